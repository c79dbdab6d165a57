"""Time: the guidance's timescales, working days, deadlines, pauses and extensions, transitions, and
what is due (DueItem)."""
