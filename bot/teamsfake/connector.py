"""The Bot Connector REST API (bot → Teams) under the service URL: conversations, activities and
rosters, with Teams' answers: 401 without an app token, 404 ConversationNotFound, 403 when the app
is not in the chat's roster, 413 above ~28 KB, 429 over the per-conversation windows, 400 for a
malformed activity or an Adaptive Card Teams would not render."""

from __future__ import annotations

import copy
from typing import Any

from .auth import Authority
from .model import Chat, Message
from .ratelimit import RateLimiter
from .state import Tenant, now_iso
from .validation import FILE_INFO, MAX_ACTIVITY_BYTES, CardValidator, activity_problems, file_cards
from .wire import BadJson, Reply, Request, connector_error


class Connector:
    def __init__(self, tenant: Tenant, authority: Authority, limiter: RateLimiter) -> None:
        self.tenant = tenant
        self.authority = authority
        self.limiter = limiter
        self.card_validator: CardValidator | None = None

    # ---- helpers -----------------------------------------------------------------------------------

    def _chat(self, conversation_id: str) -> Chat | Reply:
        chat = self.tenant.chat(conversation_id)
        if chat is None:
            return connector_error(404, "ConversationNotFound", "Conversation not found.")
        if not chat.installed:
            return connector_error(403, "BotNotInConversationRoster", "The bot is not part of the conversation roster.")
        return chat

    def _throttled(self, bucket: str, key: str) -> Reply | None:
        wait = self.limiter.check(bucket, key)
        if wait is None:
            return None
        return connector_error(429, "Throttled", "Too many requests.", {"Retry-After": str(wait)})

    def _activity(self, req: Request) -> dict[str, Any] | Reply:
        if len(req.body) > MAX_ACTIVITY_BYTES:
            return connector_error(413, "MessageSizeTooBig", "Message size too large.")
        try:
            activity = req.json()
        except BadJson:
            return connector_error(400, "BadArgument", "The request body is not valid JSON.")
        problems = activity_problems(activity, self.card_validator)
        if problems:
            return connector_error(400, "BadArgument", " ".join(problems))
        return activity

    def _stamp(self, chat: Chat, activity: dict[str, Any]) -> dict[str, Any]:
        stored = copy.deepcopy(activity)
        stored.update({
            "timestamp": now_iso(), "channelId": "msteams", "serviceUrl": self.tenant.service_url,
            "from": self.tenant.bot_account(),
            "conversation": {"id": chat.id, "conversationType": chat.kind, "tenantId": self.tenant.app.tenant_id},
        })
        return stored

    def _file_card_refusal(self, chat: Chat, activity: dict[str, Any]) -> Reply | None:
        """File cards exist only in a personal chat; a file info card must name a file the bot uploaded to
        that person's OneDrive (its uniqueId, name and contentUrl as the upload session gave them)."""
        cards = file_cards(activity)
        if cards and chat.is_group:
            return connector_error(400, "BadArgument", "File cards can be sent only in a personal chat.")
        with self.tenant.lock:
            for card in cards:
                if card.get("contentType") != FILE_INFO:
                    continue
                stored = self.tenant.drive.files.get(str((card.get("content") or {}).get("uniqueId")))
                owner = chat.owner.aad_id if chat.owner else None
                if stored is None or stored.owner != owner or stored.content_url != card.get("contentUrl"):
                    return connector_error(400, "BadArgument", "The file info card names no file in this user's "
                                                               "OneDrive.")
        return None

    # ---- routes --------------------------------------------------------------------------------------

    def create_conversation(self, req: Request) -> Reply:
        try:
            params = req.json()
        except BadJson:
            return connector_error(400, "BadArgument", "The request body is not valid JSON.")
        if not isinstance(params, dict):
            return connector_error(400, "BadArgument", "The request body must be an object.")
        if params.get("isGroup"):
            return connector_error(400, "BadArgument", "A bot cannot create a group conversation.")
        tenant_id = params.get("tenantId") or ((params.get("channelData") or {}).get("tenant") or {}).get("id")
        if tenant_id != self.tenant.app.tenant_id:
            return connector_error(400, "BadArgument", "A valid tenant id is required.")
        members = params.get("members")
        if not isinstance(members, list) or len(members) != 1 or not isinstance(members[0], dict):
            return connector_error(400, "BadArgument", "Exactly one member is required for a 1:1 conversation.")
        user = self.tenant.find_user(str(members[0].get("id") or ""))
        if user is None or user.upn.lower() == str(members[0].get("id")).lower():
            return connector_error(400, "BadArgument", "Failed to decrypt pairwise id")
        throttled = self._throttled("create", user.aad_id)
        if throttled:
            return throttled
        with self.tenant.lock:
            chat = self.tenant.installed_for(user)
            if chat is None:
                return connector_error(403, "ForbiddenOperationException",
                                       "Bot is not installed in user's personal scope")
            answer: dict[str, Any] = {"id": chat.id, "serviceUrl": self.tenant.service_url}
            first = params.get("activity")
            if isinstance(first, dict):
                problems = activity_problems(first, self.card_validator)
                if problems:
                    return connector_error(400, "BadArgument", " ".join(problems))
                answer["activityId"] = self.tenant.record_message(chat, self._stamp(chat, first),
                                                                  self.tenant.bot_account_id).id
        return Reply(201, answer)

    def send(self, req: Request, conversation_id: str, reply_to: str | None = None) -> Reply:
        with self.tenant.lock:
            chat = self._chat(conversation_id)
            if isinstance(chat, Reply):
                return chat
        throttled = self._throttled("send", chat.id)
        if throttled:
            return throttled
        activity = self._activity(req)
        if isinstance(activity, Reply):
            return activity
        if activity["type"] == "typing":
            return Reply(201, {})
        refused = self._file_card_refusal(chat, activity)
        if refused:
            return refused
        reply_to = reply_to or activity.get("replyToId")
        with self.tenant.lock:
            stored = self._stamp(chat, activity)
            stored.pop("id", None)
            message = self.tenant.record_message(chat, stored, self.tenant.bot_account_id, reply_to)
        return Reply(201, {"id": message.id})

    def _own_message(self, chat: Chat, activity_id: str) -> Message | Reply:
        message = chat.message(activity_id)
        if message is None or message.deleted:
            return connector_error(404, "ActivityNotFoundInConversation", "The activity was not found.")
        if message.sender_id != self.tenant.bot_account_id:
            return connector_error(403, "Forbidden", "The bot can only change its own messages.")
        return message

    def update(self, req: Request, conversation_id: str, activity_id: str) -> Reply:
        with self.tenant.lock:
            chat = self._chat(conversation_id)
            if isinstance(chat, Reply):
                return chat
        throttled = self._throttled("send", chat.id)
        if throttled:
            return throttled
        activity = self._activity(req)
        if isinstance(activity, Reply):
            return activity
        if activity["type"] != "message":
            return connector_error(400, "BadArgument", "Only a message can replace a message.")
        refused = self._file_card_refusal(chat, activity)
        if refused:
            return refused
        with self.tenant.lock:
            message = self._own_message(chat, activity_id)
            if isinstance(message, Reply):
                return message
            stored = self._stamp(chat, activity)
            stored["id"] = message.id
            message.versions.append(stored)
        return Reply(200, {"id": message.id})

    def delete(self, req: Request, conversation_id: str, activity_id: str) -> Reply:
        with self.tenant.lock:
            chat = self._chat(conversation_id)
            if isinstance(chat, Reply):
                return chat
        throttled = self._throttled("send", chat.id)
        if throttled:
            return throttled
        with self.tenant.lock:
            message = self._own_message(chat, activity_id)
            if isinstance(message, Reply):
                return message
            message.deleted = True
        return Reply(200, None)

    def members(self, req: Request, conversation_id: str, member_id: str | None = None,
                paged: bool = False) -> Reply:
        with self.tenant.lock:
            chat = self._chat(conversation_id)
            if isinstance(chat, Reply):
                return chat
        throttled = self._throttled("members", chat.id)
        if throttled:
            return throttled
        tenant_id = self.tenant.app.tenant_id
        with self.tenant.lock:
            if member_id is not None:
                membership = chat.member(member_id)
                if membership is None:
                    return connector_error(404, "MemberNotFoundInConversation",
                                           "The member was not found in the conversation.")
                return Reply(200, membership.user.channel_account(tenant_id))
            accounts = [m.user.channel_account(tenant_id) for m in chat.members.values()]
        return Reply(200, {"members": accounts} if paged else accounts)

