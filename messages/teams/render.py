"""The neutral tree as Microsoft Teams Adaptive Cards 1.5, and a submitted dialog back into
{field key: value}: the Teams twin of messages/slack/render.py.

text.py writes Text as TextBlock markdown, cards.py lays out messages, dialogs.py forms, fit.py
keeps a card under Teams' size limit, read.py reads a submission. Import from here.
"""
from messages.teams.cards import activity, card
from messages.teams.dialogs import dialog, dialog_message
from messages.teams.read import form_callback, form_metadata, read_submission
from messages.teams.text import markdown, mentions

__all__ = ["activity", "card", "dialog", "dialog_message", "form_callback", "form_metadata", "markdown", "mentions",
           "read_submission"]
