"""What Teams shows of a review beyond its summary card: the audit log."""
