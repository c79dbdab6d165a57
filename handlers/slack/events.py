"""Events API listeners."""
from handlers.slack.commands import review_rows
from handlers.slack.context import Services
from bot.workflow.reviews import Actor
from handlers.slack.errors import reporting
from messages import replies


def register(app, svc: Services) -> None:
    @app.event("app_home_opened")
    @reporting
    def home_opened(event, body, client, context):
        if event.get("tab") != "home":
            return
        actor = Actor(team_id=body.get("team_id", ""), user_id=event["user"])
        with svc.db.session() as s:
            rows = review_rows(s, actor)
        client.views_publish(user_id=actor.user_id, view=replies.home(rows))
