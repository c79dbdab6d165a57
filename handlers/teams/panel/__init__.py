"""The panel on Teams: members and the confidentiality agreement."""
