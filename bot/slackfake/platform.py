"""SlackPlatform: Slack's side of the conversation with the app.

It plays the people using Slack: runs slash commands, clicks buttons, fills and submits modals,
opens the Home tab. Each request is signed exactly as Slack signs it and carries the fields Slack
sends; answers are applied to the FakeSlack state as Slack would (modal closes, field errors,
in-channel replies...). Things a real user could not do raise NotShown / ClientSideValidation.
"""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

from . import ids, viewstate
from .errors import NotShown
from .fake import FakeSlack
from .model import Channel, Message, StoredFile, View
from .replies import apply_reply
from .signed_http import Response, SignedSender
from .submission import apply_submission_answer

_UNSET: Any = object()


class SlackPlatform:
    def __init__(
        self, fake: FakeSlack, bot_url: str, signing_secret: str, team_id: str | None = None, *, timeout: float = 10.0
    ) -> None:
        self.fake = fake
        self.ws = fake.ws
        self.team_id = team_id or fake.team_id
        self.sender = SignedSender(bot_url, signing_secret, timeout)

    # ---- low level -------------------------------------------------------------------------------

    def raw_post(
        self, body: bytes | str, content_type: str, timestamp: str | None = None, secret: str | None = None,
        signature: str | None = None, headers: dict[str, str] | None = None,
    ) -> Response:
        """Send arbitrary bytes, optionally with a stale timestamp, wrong secret or forged signature."""
        raw = body.encode() if isinstance(body, str) else body
        return self.sender.post(
            raw, content_type, headers=headers, timestamp=timestamp, secret=secret, signature_value=signature
        )

    def _post_form(self, fields: dict[str, str]) -> Response:
        resp = self.sender.post(urlencode(fields).encode(), "application/x-www-form-urlencoded")
        resp.sent = fields
        return resp

    def _post_payload(self, payload: dict[str, Any]) -> Response:
        if self.fake.app_config and not self.fake.app_config.interactivity_enabled:
            raise NotShown("interactivity is not enabled in the app manifest")
        resp = self.sender.post(urlencode({"payload": json.dumps(payload)}).encode(),
                                "application/x-www-form-urlencoded")
        resp.sent = payload
        return resp

    def _person(self, user_id: str) -> dict[str, str]:
        user = self.ws.user(user_id)
        if user is None or user.deleted or user.is_bot:
            raise NotShown(f"{user_id} is not an active person in this workspace")
        return {"id": user.id, "username": user.name, "name": user.name, "team_id": self.team_id}

    def _interaction(self, kind: str, user_id: str) -> dict[str, Any]:
        """Fields every interactivity payload carries; the trigger is fresh, as for each real click."""
        return {
            "type": kind,
            "team": {"id": self.team_id, "domain": self.ws.team_domain},
            "user": self._person(user_id),
            "api_app_id": self.ws.app_id,
            "token": self.ws.verification_token,
            "trigger_id": self.ws.issue_trigger(user_id),
            "enterprise": None,
            "is_enterprise_install": False,
        }

    # ---- slash commands --------------------------------------------------------------------------

    def command(self, user_id: str, channel_id: str, text: str = "", command: str = "/dhr") -> Response:
        config = self.fake.app_config
        if config and config.commands is not None and command not in config.commands:
            raise NotShown(f"{command} is not a slash command of this app (manifest)")
        person = self._person(user_id)
        self._dismiss_modals(user_id)
        fields = {
            "token": self.ws.verification_token,
            "team_id": self.team_id,
            "team_domain": self.ws.team_domain,
            "channel_id": channel_id,
            "channel_name": self._channel_name_for(user_id, channel_id),
            "user_id": user_id,
            "user_name": person["username"],
            "command": command,
            "text": text,
            "api_app_id": self.ws.app_id,
            "is_enterprise_install": "false",
            "response_url": self.ws.issue_response_url(channel_id, user_id),
            "trigger_id": self.ws.issue_trigger(user_id),
        }
        resp = self._post_form(fields)
        self._apply_command_answer(resp, channel_id, user_id)
        return resp

    def _dismiss_modals(self, user_id: str) -> None:
        """A person typing in the message box has closed any modal first: a modal covers the box."""
        while (top := self.ws.top_view(user_id)) is not None and top.type == "modal" and not top.closed:
            self.close_view(user_id, top.id)

    def _channel_name_for(self, user_id: str, channel_id: str) -> str:
        ch = self.ws.conversation(channel_id)
        if ch is None:
            if channel_id.startswith("D"):
                return "directmessage"  # a DM between people, which the fake does not model
            raise NotShown(f"unknown conversation {channel_id}")
        if ch.kind != "public" and user_id not in ch.members:
            raise NotShown(f"{user_id} cannot see {channel_id}")
        return "directmessage" if ch.is_im else ch.name

    def _apply_command_answer(self, resp: Response, channel_id: str, user_id: str) -> None:
        """A 200 body within 3 s is shown like a response_url message (ephemeral unless in_channel)."""
        if resp.status != 200 or resp.too_slow or not resp.text.strip():
            return
        is_json = resp.headers.get("content-type", "").startswith("application/json")
        payload = resp.json() if is_json else {"text": resp.text}
        apply_reply(self.ws, channel_id, user_id, payload, message_ts=None, source="command_reply")

    # ---- modals ----------------------------------------------------------------------------------

    def _visible_modal(self, user_id: str, view_id: str) -> View:
        view = self.ws.views.get(view_id)
        if view is None or view.closed or view.user_id != user_id or view.type != "modal":
            raise NotShown(f"{user_id} has no open modal {view_id}")
        if self.ws.top_view(user_id) is not view:
            raise NotShown(f"modal {view_id} is not the one on top of {user_id}'s stack")
        return view

    def fill(self, user_id: str, view_id: str, values: dict[str, Any]) -> None:
        """Type/select values in a modal's inputs without submitting (kept in view.state)."""
        with self.ws.lock:
            view = self._visible_modal(user_id, view_id)
            view.state = self._typed_state(view, values)

    def _typed_state(self, view: View, values: dict[str, Any]) -> dict[str, dict[str, Any]]:
        state = {bid: dict(actions) for bid, actions in view.state.items()}
        blocks = {b["block_id"]: b for b in viewstate.input_blocks(view)}
        for block_id, raw in values.items():
            if block_id not in blocks:
                raise NotShown(f"modal {view.id} has no input block {block_id!r}")
            el = blocks[block_id]["element"]
            state.setdefault(block_id, {})[el["action_id"]] = viewstate.value_from_user(el, raw)
        return state

    def submit_view(self, user_id: str, view_id: str, values: dict[str, Any] | None = None) -> Response:
        """Press the modal's submit button after entering `values` ({block_id: value})."""
        with self.ws.lock:
            view = self._visible_modal(user_id, view_id)
            if not view.content.get("submit"):
                raise NotShown(f"modal {view_id} has no submit button")
            typed = self._typed_state(view, values or {})
            state = viewstate.full_state(view, typed)
            for block in viewstate.input_blocks(view):
                values_of_block = state.get(block["block_id"], {})
                if block["element"].get("action_id") in values_of_block:
                    viewstate.client_check(block, values_of_block[block["element"]["action_id"]])
            view.state = typed
            payload = self._interaction("view_submission", user_id)
            payload["view"] = view.to_api(state=state)
            payload["response_urls"] = self._response_urls(view, state, user_id)
        resp = self._post_payload(payload)
        resp.outcome = apply_submission_answer(self.ws, view, resp)
        return resp

    def forge_submission(self, user_id: str, view_id: str, values: dict[str, Any] | None = None,
                         private_metadata: str | None = None) -> Response:
        """A tampered client: submits the user's open modal with `values` the Slack client would have
        refused (over max_length, a missing required field) and/or a forged private_metadata."""
        with self.ws.lock:
            view = self._visible_modal(user_id, view_id)
            state = viewstate.full_state(view, self._typed_state(view, values or {}))
            payload = self._interaction("view_submission", user_id)
            payload["view"] = view.to_api(state=state)
            if private_metadata is not None:
                payload["view"]["private_metadata"] = private_metadata
            payload["response_urls"] = []
        resp = self._post_payload(payload)
        resp.outcome = apply_submission_answer(self.ws, view, resp)
        return resp

    def _response_urls(self, view: View, state: dict[str, Any], user_id: str) -> list[dict[str, str]]:
        """Only conversation/channel selects with response_url_enabled yield response_urls."""
        urls = []
        for block in viewstate.input_blocks(view):
            el = block["element"]
            if not el.get("response_url_enabled"):
                continue
            value = state.get(block["block_id"], {}).get(el["action_id"], {})
            channel_id = value.get("selected_conversation") or value.get("selected_channel")
            if channel_id:
                urls.append({
                    "block_id": block["block_id"], "action_id": el["action_id"], "channel_id": channel_id,
                    "response_url": self.ws.issue_response_url(channel_id, user_id),
                })
        return urls

    def close_view(self, user_id: str, view_id: str) -> Response | None:
        """Press Cancel/X. Slack sends view_closed only when the view set notify_on_close."""
        with self.ws.lock:
            view = self._visible_modal(user_id, view_id)
            cleared = len(self.ws.stack(user_id)) > 1 and bool(view.content.get("clear_on_close"))
            payload = self._interaction("view_closed", user_id) if view.notify_on_close else None
            if payload is not None:
                payload.pop("trigger_id")
                payload.update(view=view.to_api(state=viewstate.full_state(view)), is_cleared=cleared)
            if cleared:
                self.ws.clear_stack(user_id)
            else:
                self.ws.close_view(view)
        return self._post_payload(payload) if payload is not None else None

    # ---- clicks ----------------------------------------------------------------------------------

    def click(
        self, user_id: str, action_id: str, message: tuple[str, str] | None = None, view_id: str | None = None,
        block_id: str | None = None, value: Any = None, forged_value: Any = _UNSET,
    ) -> Response:
        """Use an interactive element shown in a message ((channel, ts)) or a view (modal or Home tab)."""
        if (message is None) == (view_id is None):
            raise ValueError("pass exactly one of message=(channel, ts) or view_id=")
        with self.ws.lock:
            payload = self._interaction("block_actions", user_id)
            if message is not None:
                blocks = self._message_surface(payload, user_id, *message)
            else:
                blocks = self._view_surface(payload, user_id, view_id)
            block, el = viewstate.find_element(blocks, action_id, block_id)
            if block.get("type") == "input" and not block.get("dispatch_action"):
                raise NotShown("input elements only send block_actions when the block sets dispatch_action")
            action = self._action(block, el, value, forged_value)
            if view_id is not None:
                self._remember_view_value(payload, view_id, block, el, action)
            payload["actions"] = [action]
        return self._post_payload(payload)

    def _message_surface(self, payload: dict[str, Any], user_id: str, channel_id: str, ts: str) -> list[dict[str, Any]]:
        ch = self.ws.conversation(channel_id)
        if ch is None or not self._can_see(ch, user_id):
            raise NotShown(f"{user_id} cannot see conversation {channel_id}")
        msg = ch.message(ts)
        ephemeral = msg is None
        if ephemeral:
            msg = next((m for m in ch.ephemerals if m.ts == ts and m.ephemeral_to == user_id), None)
        if msg is None:
            raise NotShown(f"no message {ts} in {channel_id} for {user_id}")
        payload["container"] = {"type": "message", "message_ts": ts, "channel_id": ch.id, "is_ephemeral": ephemeral}
        payload["channel"] = {"id": ch.id, "name": "directmessage" if ch.is_im else ch.name}
        if not ephemeral:  # Slack does not echo ephemeral messages back
            payload["message"] = self._message_payload(msg)
        payload["state"] = {"values": {}}
        payload["response_url"] = self.ws.issue_response_url(ch.id, user_id, ts)
        return msg.blocks or []

    def _message_payload(self, msg: Message) -> dict[str, Any]:
        data = msg.to_api()
        data["team"] = self.team_id
        return data

    @staticmethod
    def _can_see(ch: Channel, user_id: str) -> bool:
        if ch.is_im:
            return ch.im_user == user_id
        return ch.kind == "public" or user_id in ch.members

    def _view_surface(self, payload: dict[str, Any], user_id: str, view_id: str) -> list[dict[str, Any]]:
        view = self.ws.views.get(view_id)
        is_home = view is not None and self.ws.home_views.get(user_id) == view_id
        if not is_home:
            view = self._visible_modal(user_id, view_id)
        payload["container"] = {"type": "view", "view_id": view_id}
        payload["view"] = view.to_api(state=viewstate.full_state(view))
        return view.blocks

    def _action(self, block: dict[str, Any], el: dict[str, Any], value: Any, forged: Any) -> dict[str, Any]:
        kind = el.get("type", "")
        action: dict[str, Any] = {"type": kind, "action_id": el["action_id"], "block_id": block["block_id"]}
        if kind in ("button", "workflow_button"):
            action["text"] = el.get("text")
            if value is not None and value != el.get("value"):
                raise NotShown("a button sends its own value; use forged_value= to simulate tampering")
            if "value" in el:
                action["value"] = el["value"]
            if "style" in el:
                action["style"] = el["style"]
        else:
            state_value = viewstate.value_from_user(el, value)
            action.update({k: v for k, v in state_value.items() if k != "type"})
        if forged is not _UNSET:
            key = "value" if kind in ("button", "workflow_button") else viewstate.STATE_KEY.get(kind, "value")
            action[key] = forged
        action["action_ts"] = f"{time.time():.6f}"
        return action

    def _remember_view_value(
        self, payload: dict[str, Any], view_id: str, block: dict[str, Any], el: dict[str, Any], action: dict[str, Any]
    ) -> None:
        """Selecting something in a view also changes its state, which Slack reports in later payloads."""
        kind = el.get("type", "")
        if kind not in viewstate.STATE_KEY or kind == "overflow":
            return
        view = self.ws.views[view_id]
        value = {"type": kind,
                 **{k: v for k, v in action.items() if k not in ("type", "action_id", "block_id", "action_ts")}}
        view.state.setdefault(block["block_id"], {})[el["action_id"]] = value
        payload["view"] = view.to_api(state=viewstate.full_state(view))

    # ---- events ----------------------------------------------------------------------------------

    def event(
        self, event: dict[str, Any], event_id: str | None = None, retry_num: int | None = None,
        retry_reason: str | None = None,
    ) -> Response:
        """Deliver an Events API event_callback; pass the same event_id with retry_num to re-deliver."""
        kind = self.subscription_name(event)
        if not self.subscribed(kind):
            raise NotShown(f"the app manifest does not subscribe to {kind}")
        envelope = self._envelope(self._complete_event(dict(event)), event_id or ids.event_id())
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason or "http_timeout"}
        resp = self.sender.post(json.dumps(envelope).encode(), "application/json", headers=headers)
        resp.event_id, resp.sent = envelope["event_id"], envelope
        return resp

    @staticmethod
    def subscription_name(event: dict[str, Any]) -> str:
        """Message events are subscribed per conversation type (message.channels, .groups, .im, .mpim)."""
        kind = event.get("type", "")
        if kind == "message":
            plural = {"channel": "channels", "group": "groups", "im": "im", "mpim": "mpim"}
            return f"message.{plural.get(event.get('channel_type', ''), 'channels')}"
        return kind

    def subscribed(self, kind: str) -> bool:
        config = self.fake.app_config
        return not (config and config.bot_events is not None and kind not in config.bot_events)

    def _complete_event(self, event: dict[str, Any]) -> dict[str, Any]:
        event.setdefault("event_ts", f"{time.time():.6f}")
        if event.get("type") == "app_home_opened" and event.get("user"):
            with self.ws.lock:
                event.setdefault("tab", "home")
                event.setdefault("channel", self.ws.im_for(event["user"]).id)
                home = self.fake.home_view(event["user"])
                if home is not None:
                    event.setdefault("view", home.to_api())
        return event

    def _envelope(self, event: dict[str, Any], event_id: str) -> dict[str, Any]:
        return {
            "token": self.ws.verification_token,
            "team_id": self.team_id,
            "api_app_id": self.ws.app_id,
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{
                "enterprise_id": None, "team_id": self.team_id, "user_id": self.ws.bot_user_id,
                "is_bot": True, "is_enterprise_install": False,
            }],
            "is_ext_shared_channel": False,
            "event_context": f"4-{ids.short_id(24)}",
        }

    def _check_app_dm_writable(self, ch: Channel) -> None:
        config = self.fake.app_config
        if ch.is_im and config is not None and (not config.messages_tab_enabled or config.messages_tab_read_only):
            raise NotShown("the app's Messages tab is read-only or off (manifest): people can't write in its DM")

    def user_message(self, user_id: str, channel_id: str, text: str, thread_ts: str | None = None) -> Response:
        """A person posts a message; it is stored in the channel and sent as a `message` event."""
        self._person(user_id)
        with self.ws.lock:
            ch = self.ws.conversation(channel_id) or (self.ws.im_for(user_id) if channel_id == user_id else None)
            if ch is None or not self._can_see(ch, user_id) or ch.is_archived:
                raise NotShown(f"{user_id} cannot post in {channel_id}")
            self._check_app_dm_writable(ch)
            msg = self.ws.post(ch, user=user_id, text=text, thread_ts=thread_ts)
        event = {
            "type": "message", "channel": ch.id, "user": user_id, "text": text, "ts": msg.ts,
            "event_ts": msg.ts, "channel_type": {"public": "channel", "private": "group"}.get(ch.kind, ch.kind),
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
        return self.event(event)

    def upload_file(self, user_id: str, channel_id: str, filename: str, content: bytes | None,
                    title: str | None = None, *, external_url: str | None = None, external_type: str = "gdrive",
                    host: str | None = None) -> str:
        """A person uploads a file into a conversation (or the app's DM: pass the D id or their own user id).

        As Slack does: the file is stored and shared there, the person's message carries it in `files`
        (subtype file_share), and the app gets the events it subscribes to and may see: `message.*` for
        the conversation type and `file_shared` (needs files:read). The bytes are served at url_private
        to the bot token only. Returns the file id.

        `external_url` shares a link to a file held outside Slack (Google Drive, an app's remote file): files.info
        then says `is_external` and its url_private is that address. `host` (a fault to inject) makes url_private
        name another host than the fake's own."""
        self._person(user_id)
        with self.ws.lock:
            ch = self.ws.conversation(channel_id) or (self.ws.im_for(user_id) if channel_id == user_id else None)
            if ch is None or not self._can_see(ch, user_id) or ch.is_archived:
                raise NotShown(f"{user_id} cannot post in {channel_id}")
            self._check_app_dm_writable(ch)
            stored = StoredFile(id=ids.slack_id("F"), name=filename, length=len(content or b""), user=user_id,
                                created=int(time.time()), upload_token="", title=title or filename,
                                content=None if content is None else bytes(content), completed=True,
                                channels=[ch.id], host=host or self.ws.public_url or "https://files.slack.com",
                                team_id=self.team_id, external_url=external_url,
                                external_type=external_type if external_url else None)
            self.ws.files[stored.id] = stored
            msg = self.ws.post(ch, user=user_id, text="", subtype="file_share", files=[stored.to_api()],
                               source="file_upload")
            bot_sees = self.ws.bot_user_id in ch.members
        channel_type = "im" if ch.is_im else {"public": "channel", "private": "group"}.get(ch.kind, ch.kind)
        message = {"type": "message", "subtype": "file_share", "channel": ch.id, "user": user_id, "text": "",
                   "ts": msg.ts, "event_ts": msg.ts, "channel_type": channel_type, "upload": True,
                   "display_as_bot": False, "files": [stored.to_api()]}
        if bot_sees and self.subscribed(self.subscription_name(message)):
            self.event(message)
        if bot_sees and self.subscribed("file_shared") and "files:read" in self.ws.scopes:
            self.event({"type": "file_shared", "channel_id": ch.id, "file_id": stored.id, "user_id": user_id,
                        "file": {"id": stored.id}, "event_ts": msg.ts})
        return stored.id

    def delete_file(self, user_id: str, file_id: str) -> None:
        """A person deletes a file they shared (members may delete only their own files)."""
        self._person(user_id)
        with self.ws.lock:
            stored = self.ws.files.get(file_id)
            if stored is None or stored.user != user_id:
                raise NotShown(f"{user_id} cannot delete {file_id}")
            self.ws.delete_file(file_id)

    def url_verification(self, challenge: str = "fake-challenge") -> Response:
        body = {"token": self.ws.verification_token, "challenge": challenge, "type": "url_verification"}
        return self.sender.post(json.dumps(body).encode(), "application/json")
