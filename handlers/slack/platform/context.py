"""What every listener needs, handed over at registration (no globals)."""
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from bot.clock import Clock
from bot.config import Settings
from bot.workflow.clock.workdays import WorkingCalendar
from bot.workflow.core.kernel import Actor
from bot.workflow.panel.redaction_list import Redactions
from storage.db import Database


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    calendar: WorkingCalendar
    redactions: Redactions
    # Work that must outlive an ack's time budget (channel set-up on a slow Slack).
    background: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(8, "dhr-bg"))


def actor_of(body: dict) -> Actor:
    """Slash commands carry team_id/user_id; interactivity carries team/user objects."""
    team = body.get("team_id") or (body.get("team") or {}).get("id") or ""
    user = body.get("user_id") or (body.get("user") or {}).get("id") or ""
    return Actor(tenant_id=team, user_id=user)
