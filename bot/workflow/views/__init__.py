"""What people see assembled from the layers below: the summary card, the channel's set-up, App Home,
the audit log."""
