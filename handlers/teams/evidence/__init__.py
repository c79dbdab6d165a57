"""Evidence on Teams: terms of reference, requests and the grid, scoping, chronology entries, IMR decisions, family."""
