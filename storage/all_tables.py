"""Imports every module that defines tables, so Alembic and create-on-start see them all.

A feature that adds tables in a module of its own adds one import line here.
"""
import storage.models  # noqa: F401
