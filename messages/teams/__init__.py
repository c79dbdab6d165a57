"""Microsoft Teams: the neutral tree as Adaptive Cards (render.py is the way in)."""
