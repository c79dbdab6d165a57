"""The reminder sweep: every due source (sources.py), the schedule, the ledger, who could not be reached."""
