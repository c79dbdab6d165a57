"""What every listener needs, handed over at registration (no globals)."""
from dataclasses import dataclass

from bot.clock import Clock
from bot.config import Settings
from bot.workflow.reviews import Actor
from bot.workflow.workdays import WorkingCalendar
from storage.db import Database


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    calendar: WorkingCalendar


def actor_of(body: dict) -> Actor:
    """Slash commands carry team_id/user_id; interactivity carries team/user objects."""
    team = body.get("team_id") or (body.get("team") or {}).get("id") or ""
    user = body.get("user_id") or (body.get("user") or {}).get("id") or ""
    return Actor(team_id=team, user_id=user)
