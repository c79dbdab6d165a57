"""The interaction port on Slack, over what Bolt hands a listener (ack, body, client, respond).

A view_submission is answered in the HTTP response to it (ack with a response_action): errors,
update, push, or an empty ack that closes the modal. Anywhere else a form is opened with the
trigger id (a Loading view at once, since the trigger lives 3 seconds, then the real form), and
private replies go through response_url, or as a DM where there is none (a modal's button).
"""
from collections.abc import Callable, Mapping

from bot.workflow.core.errors import WorkflowError
from bot.workflow.core.refs import PersonRef
from bot.workflow.core.text import Text, text
from messages import tree
from messages.render import render_notice
from messages.slack import render
from messages.slack import views as slack_views

LOADING_CALLBACK = "dhr.loading"


class SlackInteraction:
    def __init__(self, ack, body: dict, client, respond=None):
        """`ack` None: already acknowledged (a sub-command, routed after the command's ack)."""
        self.ack, self.body, self.client, self.respond = ack, body, client, respond

    @property
    def submission(self) -> dict | None:
        view = self.body.get("view")
        return view if self.body.get("type") == "view_submission" and isinstance(view, dict) else None

    def _acked(self) -> bool:
        return self.ack is None or getattr(self.ack, "response", None) is not None

    def open_form(self, title: str, build: Callable[[], tree.Form], *,
                  notice: Callable[[str, Text], tree.Form] = tree.notice) -> None:
        loading = self.client.views_open(trigger_id=self.body["trigger_id"],
                                         view=slack_views.loading(title, LOADING_CALLBACK))["view"]
        try:
            form = build()
        except WorkflowError as err:
            form = notice(title, err.rich or text(err.message))
        self.client.views_update(view_id=loading["id"], hash=loading.get("hash"), view=render.modal(form))

    def submitted_keys(self) -> frozenset[str]:
        return render.input_keys(self.submission) if self.submission else frozenset()

    def show_errors(self, errors: Mapping[str, str | Text]) -> None:
        unknown = set(errors) - self.submitted_keys()
        if unknown:     # Slack would show "We had some trouble connecting" and leave the person stuck
            raise ValueError(f"errors for no input of the form: {sorted(unknown)}")
        self.ack(response_action="errors", errors={k: render.field_error(v) for k, v in errors.items()})

    def keep_form(self, message: Text) -> None:
        self.ack(response_action="update", view=slack_views.with_refusal(self.submission or {}, render.mrkdwn(message)))

    def replace_form(self, form: tree.Form) -> None:
        if self.submission is not None and not self._acked():
            self.ack(response_action="update", view=render.modal(form))
            return
        self._ack_once()
        view = self.body.get("view") or {}
        self.client.views_update(view_id=view["id"], hash=view.get("hash"), view=render.modal(form))

    def stack_form(self, form: tree.Form) -> None:
        if self.submission is not None and not self._acked():
            self.ack(response_action="push", view=render.modal(form))
            return
        self._ack_once()
        self.client.views_push(trigger_id=self.body["trigger_id"], view=render.modal(form))

    def close(self) -> None:
        self._ack_once()

    def reply(self, body, *, replace_source: bool = False) -> None:
        content = render_notice(body)
        if self.respond is not None and (self.body.get("response_url") or self.body.get("response_urls")
                                         or (self.body.get("container") or {}).get("type") == "message"):
            kind = {"replace_original": True} if replace_source else {"response_type": "ephemeral",
                                                                      "replace_original": False}
            self.respond(**kind, **content)
            return
        user = self.body.get("user_id") or (self.body.get("user") or {}).get("id")
        self.client.chat_postMessage(channel=user, **content)

    def publish_home(self, person: PersonRef, view: tree.HomeView) -> None:
        self.client.views_publish(user_id=person.id, view=render.home(view))

    def _ack_once(self) -> None:
        if not self._acked():
            self.ack()
