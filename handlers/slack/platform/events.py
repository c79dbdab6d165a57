"""Events API listeners."""
from bot.workflow.core.kernel import Actor
from handlers.slack.platform.context import Services
from handlers.slack.platform.errors import reporting
from handlers.slack.views import home


def register(app, svc: Services) -> None:
    @app.event("app_home_opened")
    @reporting
    def home_opened(event, body, client, context):
        user = event.get("user")
        if event.get("tab") != "home" or not user:   # a signed but odd event names nobody: nothing to show
            return
        home.publish(svc, client, Actor(tenant_id=body.get("team_id", ""), user_id=user))
