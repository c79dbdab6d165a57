"""DHR Bot: composition root, configuration and command line."""
