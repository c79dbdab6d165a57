"""Microsoft Teams: the same use cases as Slack, reached through Bot Framework activities."""
