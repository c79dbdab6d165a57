"""The report on Teams: stage steps, the action plan, conclusion and retention."""
