"""The statutory process, free of any chat platform (no Slack, Jinja2 or HTTP imports)."""
