"""The statutory process, free of any chat platform (no chat SDK, Jinja2 or HTTP imports).

Capability subpackages in layers, lowest first: core, clock, intake, evidence, panel, report,
reminders, views. A module imports only its own subpackage or a lower one (tests/test_architecture.py).
"""
