"""What people see assembled from the layers below: the summary card, the review space's set-up, App Home,
the audit log."""
