"""Teams plumbing: inbound tokens and activities, the Bot Connector, Graph, the chat port, dialogs."""
