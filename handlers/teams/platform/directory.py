"""Where the bot reaches each person and chat on Teams, learnt from what Teams sends it.

Every inbound activity names its conversation and the serviceUrl to answer at; a 1:1 activity also
names the person's Entra object id, bot-scoped id and display name. Those are kept (storage.addresses)
so that a reminder, a DM or a post in a review's chat can go out unprompted, at the latest serviceUrl.
"""
import threading
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from storage.addresses import PERSON, SPACE, ChatAddress
from storage.db import Database
from storage.models import Review

TEAMS = "teams"


@dataclass(frozen=True)
class Address:
    conversation_id: str
    service_url: str


@dataclass(frozen=True)
class Posted:
    """A message the bot posted: its conversation and its activity id (to update it in place)."""
    conversation_id: str
    activity_id: str


class Directory:
    def __init__(self, db: Database, tenant_id: str):
        self._db, self.tenant_id = db, tenant_id
        self._written: dict[tuple[str, str], dict] = {}   # what this process last wrote: unchanged is not rewritten
        self._lock = threading.Lock()

    def remember_space(self, conversation_id: str, service_url: str) -> None:
        self._upsert(SPACE, conversation_id, conversation_id=conversation_id, service_url=service_url)

    def remember_person(self, user_id: str, *, conversation_id: str | None, service_url: str,
                        platform_user_id: str | None = None, name: str | None = None) -> None:
        """`conversation_id` is the person's 1:1 chat with the bot, when this activity came from it."""
        values: dict = {"service_url": service_url}
        if conversation_id:
            values["conversation_id"] = conversation_id
        if platform_user_id:
            values["platform_user_id"] = platform_user_id
        if name:
            values["display_name"] = name[:256]
        self._upsert(PERSON, user_id.lower(), **values)

    def forget_conversation(self, user_id: str) -> None:
        """The 1:1 chat Teams says the bot is no longer in: found again (or made) next time."""
        self._upsert(PERSON, user_id.lower(), conversation_id="")

    def person(self, user_id: str) -> ChatAddress | None:
        return self._row(PERSON, user_id.lower())

    def space(self, conversation_id: str) -> Address | None:
        row = self._row(SPACE, conversation_id)
        return Address(row.conversation_id, row.service_url) if row else None

    def any_service_url(self) -> str | None:
        """The serviceUrl Teams last used for this tenant: where a new chat is first reached."""
        with self._db.session() as s:
            row = s.exec(select(ChatAddress).where(ChatAddress.platform == TEAMS,
                                                   ChatAddress.tenant_id == self.tenant_id)
                         .order_by(ChatAddress.updated_at.desc())).first()   # type: ignore[attr-defined]
            return row.service_url if row else None

    def names(self, user_ids) -> dict[str, str]:
        with self._db.session() as s:
            rows = s.exec(select(ChatAddress).where(
                ChatAddress.platform == TEAMS, ChatAddress.tenant_id == self.tenant_id, ChatAddress.kind == PERSON,
                ChatAddress.key.in_([u.lower() for u in user_ids]))).all()   # type: ignore[attr-defined]
            return {r.key: r.display_name for r in rows if r.display_name}

    def chat_names(self, chat_ids) -> dict[str, str]:
        """The names the bot gave review chats (each review's space name), for links to them."""
        with self._db.session() as s:
            rows = s.exec(select(Review.space_id, Review.space_name).where(
                Review.space_id.in_(list(chat_ids)))).all()   # type: ignore[union-attr]
            return {chat: name for chat, name in rows if chat and name}

    def _row(self, kind: str, key: str) -> ChatAddress | None:
        with self._db.session() as s:
            return s.exec(select(ChatAddress).where(
                ChatAddress.platform == TEAMS, ChatAddress.tenant_id == self.tenant_id, ChatAddress.kind == kind,
                ChatAddress.key == key)).first()

    def _upsert(self, kind: str, key: str, **values) -> None:
        """Every activity names where it came from; only a change is written. Teams sends several
        activities at once (an install and its conversation update): the second to insert the same
        row updates it instead."""
        with self._lock:
            if self._written.get((kind, key)) == values:
                return
        try:
            self._write(kind, key, values)
        except IntegrityError:
            self._write(kind, key, values)
        with self._lock:
            if len(self._written) > 50_000:
                self._written.clear()
            self._written[(kind, key)] = dict(values)

    def _write(self, kind: str, key: str, values: dict) -> None:
        now = datetime.now(timezone.utc)
        with self._db.session() as s:
            row = s.exec(select(ChatAddress).where(
                ChatAddress.platform == TEAMS, ChatAddress.tenant_id == self.tenant_id, ChatAddress.kind == kind,
                ChatAddress.key == key)).first()
            if row is None:
                row = ChatAddress(platform=TEAMS, tenant_id=self.tenant_id, kind=kind, key=key, updated_at=now,
                                  **{"conversation_id": "", **values})
            else:
                for name, value in values.items():
                    setattr(row, name, value)
                row.updated_at = now
            s.add(row)
