"""Global middleware: one workspace only; each Events API delivery handled once."""
from slack_bolt import BoltResponse

from bot.workflow.core.kernel import first_delivery
from handlers.slack.platform.context import Services

OTHER_WORKSPACE = "This DHR Bot serves a different Slack workspace; nothing was done."


def register(app, svc: Services) -> None:
    @app.middleware
    def same_workspace(context, body, next):
        home = context.authorize_result.team_id if context.authorize_result else None
        if home and context.team_id and context.team_id != home:
            return BoltResponse(status=200, body=OTHER_WORKSPACE if "command" in body else "")
        return next()

    @app.middleware
    def once_per_event(body, next):
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not _first_delivery(svc, str(event_id)[:64]):
            return BoltResponse(status=200, body="")
        return next()


def _first_delivery(svc: Services, event_id: str) -> bool:
    with svc.db.session() as s:
        return first_delivery(s, event_id, svc.clock.now())
