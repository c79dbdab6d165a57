"""The fictional people of the sandbox workspace. Nobody here is real."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    id: str          # Slack user id; the page names the same person by it in Teams too
    handle: str      # Slack display name
    name: str        # real name as shown
    role: str        # what they do, shown on the "who are you" page


ADMIN = Person("U0DEMOADM", "alex.morgan", "Alex Morgan", "CSP admin (creates reviews, keeps the agencies)")
COORDINATOR = Person("U0DEMOCRD", "sam.patel", "Sam Patel", "Community safety officer: review coordinator")
CHAIR = Person("U0DEMOCHR", "jordan.reeve", "Jordan Reeve", "Independent chair")
POLICE = Person("U0DEMOPOL", "chris.taylor", "Chris Taylor", "Police lead (agency lead, Police)")
HEALTH = Person("U0DEMOHLT", "priya.shah", "Priya Shah", "Health lead (agency lead, NHS trust)")
AUTHOR = Person("U0DEMOIMR", "robin.ellis", "Robin Ellis", "IMR author (Police)")

PEOPLE = (ADMIN, COORDINATOR, CHAIR, POLICE, HEALTH, AUTHOR)
BY_ID = {p.id: p for p in PEOPLE}

# The agencies of the sandbox partnership (fictional places).
AGENCIES = ("Police", "NHS Trust", "Council Adult Social Care", "Probation Service", "Domestic Abuse Service")
