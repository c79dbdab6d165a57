"""What every listener needs, handed over at registration (no globals), and who is acting."""
from bot.workflow.core.kernel import Actor
from handlers.services import Services  # noqa: F401  (listeners import it from here)


def actor_of(body: dict) -> Actor:
    """Slash commands carry team_id/user_id; interactivity carries team/user objects."""
    team = body.get("team_id") or (body.get("team") or {}).get("id") or ""
    user = body.get("user_id") or (body.get("user") or {}).get("id") or ""
    return Actor(tenant_id=team, user_id=user)
