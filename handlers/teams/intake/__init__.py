"""Opening a review on Teams: new, decide, status, retry and the set-up of its group chat."""
