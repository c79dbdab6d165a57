"""Chat-platform adapters: thin listeners that parse, call the workflow, and render."""
