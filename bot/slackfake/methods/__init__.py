"""Fake Web API methods. Importing this package registers every method in REGISTRY."""

from . import auth_users, chat, conversations, files, pins, scheduled, views  # noqa: F401  (registration side effects)
from .registry import REGISTRY, Ctx, Method, check_scopes

__all__ = ["REGISTRY", "Ctx", "Method", "check_scopes"]
