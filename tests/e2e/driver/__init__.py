"""The end-to-end journeys' driver: verbs a person does and what they see, one class per platform."""
from tests.e2e.driver.base import (
    ADMINS, AUTHOR, InputRefused, NotShown, CHAIR, COORDINATOR, HEALTH, OBSERVER, OUTSIDER, PEOPLE, POLICE, Button, Driver, Field, Form,
    Person, Seen, SharedFile, Space, Submitted,
)

__all__ = ["ADMINS", "AUTHOR", "InputRefused", "NotShown", "CHAIR", "COORDINATOR", "HEALTH", "OBSERVER", "OUTSIDER", "PEOPLE", "POLICE",
           "Button", "Driver", "Field", "Form", "Person", "Seen", "SharedFile", "Space", "Submitted"]
