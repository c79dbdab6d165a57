"""The baseline: a Teams SDK app (microsoft_teams.apps on its own FastAPI + uvicorn) pointed at the fake
Teams, whose card buttons only open a fixed dialog and whose messages only get a fixed reply.

Inbound tokens are checked by the SDK against the fake's keys (TEAMS_OPENID_METADATA_URL); outbound
calls carry the token the bench hands over (TEAMS_BENCH_TOKEN, issued by the fake's login service).
"""
import asyncio
import os
import warnings

import uvicorn
from fastapi import FastAPI
from microsoft_teams.api import (
    Attachment,
    CardTaskModuleTaskInfo,
    InvokeResponse,
    TaskModuleContinueResponse,
    TaskModuleResponse,
)
from microsoft_teams.api.auth.cloud_environment import PUBLIC, with_overrides

with warnings.catch_warnings():     # the SDK's package announces a preview HTML widget
    warnings.simplefilter("ignore")
    from microsoft_teams.apps import App
    from microsoft_teams.apps.http import FastAPIAdapter

DIALOG = {"type": "AdaptiveCard", "version": "1.5", "body": [
    {"type": "TextBlock", "text": "A fixed dialog", "wrap": True},
    {"type": "Input.Text", "id": "note", "label": "Note"}],
    "actions": [{"type": "Action.Submit", "title": "Save"}]}

web = FastAPI()
web.get("/healthz")(lambda: {"status": "ok"})
port = int(os.environ["PORT"])
server = uvicorn.Server(uvicorn.Config(app=web, host="127.0.0.1", port=port, log_level="warning"))
app = App(client_id=os.environ["TEAMS_CLIENT_ID"], tenant_id=os.environ["TEAMS_TENANT_ID"],
          token=lambda scope, tenant_id=None: os.environ["TEAMS_BENCH_TOKEN"],
          cloud=with_overrides(PUBLIC, openid_metadata_url=os.environ["TEAMS_OPENID_METADATA_URL"]),
          http_server_adapter=FastAPIAdapter(app=web, server_factory=lambda _: server))


@app.on_dialog_open
async def fixed_dialog(ctx):
    card = Attachment(content_type="application/vnd.microsoft.card.adaptive", content=DIALOG)
    return InvokeResponse(status=200, body=TaskModuleResponse(task=TaskModuleContinueResponse(
        value=CardTaskModuleTaskInfo(title="Fixed dialog", card=card))))


@app.on_message
async def fixed_reply(ctx):
    await ctx.send("A fixed reply.")


if __name__ == "__main__":
    asyncio.run(app.start(port))
