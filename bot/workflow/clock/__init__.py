"""Time: the guidance's timescales, working days, deadlines, holds on activities and agreed extensions, transitions, and
what is due (DueItem)."""
