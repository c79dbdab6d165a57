"""Imports every module that defines tables, so Alembic and create-on-start see them all.

A feature that adds tables in a module of its own adds one import line here.
"""
from sqlmodel import SQLModel

import storage.addresses  # noqa: F401
import storage.chronology  # noqa: F401
import storage.evidence  # noqa: F401
import storage.family  # noqa: F401
import storage.learning  # noqa: F401
import storage.ledger  # noqa: F401
import storage.models  # noqa: F401
import storage.panel  # noqa: F401
import storage.report  # noqa: F401
import storage.terms  # noqa: F401
import storage.timeline  # noqa: F401

METADATA = SQLModel.metadata   # every table: for key rotation and the start-up key check
