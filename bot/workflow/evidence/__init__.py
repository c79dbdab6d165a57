"""Evidence gathering: terms of reference, requests to agencies, chronologies, IMRs, the family."""
