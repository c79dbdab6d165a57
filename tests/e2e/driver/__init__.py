"""The end-to-end journeys' driver: verbs a person does and what they see, one class per platform.

base.py says what a driver offers (people and spaces as opaque handles, commands, forms, buttons,
files, what a person sees); slack.py speaks Slack's signed requests to the real bot server and reads
the Slack fake; teams.py does the same with Teams' signed activities and the Teams fake. To run the journeys on another platform, write its class beside slack.py, a fixture
that starts the bot against that platform's fake, and register both in tests/e2e/conftest.py
(DRIVERS); `pytest tests/e2e --platform <name>` then runs every journey not marked slack_only."""
from tests.e2e.driver.base import (
    ADMINS,
    AUTHOR,
    CHAIR,
    COORDINATOR,
    HEALTH,
    OBSERVER,
    OUTSIDER,
    PEOPLE,
    POLICE,
    Button,
    Driver,
    Field,
    Form,
    InputRefused,
    NotShown,
    Person,
    Seen,
    SharedFile,
    Space,
    Submitted,
)

__all__ = ["ADMINS", "AUTHOR", "InputRefused", "NotShown", "CHAIR", "COORDINATOR", "HEALTH", "OBSERVER", "OUTSIDER", "PEOPLE", "POLICE",
           "Button", "Driver", "Field", "Form", "Person", "Seen", "SharedFile", "Space", "Submitted"]
