"""Jinja2 templates and the renderers that turn workflow notices and forms into Block Kit."""
