"""Events API listeners."""
from bot.workflow.core.kernel import Actor
from handlers.slack.platform import listeners
from handlers.slack.platform.context import Services
from handlers.slack.views import home


def home_opened(svc: Services, event, body, client):
    user = event.get("user")
    if event.get("tab") != "home" or not user:   # a signed but odd event names nobody: nothing to show
        return
    home.publish(svc, client, Actor(tenant_id=body.get("team_id", ""), user_id=user))


LISTENERS = [("event", "app_home_opened", home_opened)]


def register(app, svc: Services) -> None:
    listeners.add(app, svc, LISTENERS)
