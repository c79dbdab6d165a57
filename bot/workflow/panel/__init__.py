"""The review panel: invitations, agreements, agency access, and the redaction list."""
