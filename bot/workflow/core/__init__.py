"""The workflow's foundation: errors, roles and permissions, stages, field rules, text handling, ports,
notices, and the kernel (the actor, the audit trail, finding and authorising on a review)."""
