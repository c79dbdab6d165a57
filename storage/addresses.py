"""Where a platform can reach a person or a space unprompted (Teams: a conversation and its serviceUrl).

Teams cannot message someone by e-mail or user id: the bot needs the 1:1 conversation it has with
them (made when the app is installed for them) and the serviceUrl Teams last called it from. Each
inbound activity refreshes these, so a regional serviceUrl change is picked up at once.
"""
from datetime import datetime
from typing import Optional

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import ID, UTCDateTime, platform_field

PERSON, SPACE = "person", "space"


class ChatAddress(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("platform", "tenant_id", "kind", "key", name="uq_chataddress_key"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    platform: str = platform_field()
    tenant_id: str = Field(max_length=ID)
    kind: str = Field(max_length=8)                  # person | space
    key: str = Field(max_length=ID)                  # the person's directory id, or the space's id
    conversation_id: str = Field(max_length=ID)      # the 1:1 chat with the person, or the space itself
    service_url: str = Field(max_length=ID)
    platform_user_id: Optional[str] = Field(default=None, max_length=ID)   # Teams' bot-scoped 29:… id
    display_name: Optional[str] = Field(default=None, max_length=256)      # for mentions; not case content
    updated_at: datetime = Field(sa_type=UTCDateTime)


class HomeCard(SQLModel, table=True):
    """A person's "My work" card in their 1:1 chat (Teams has no App Home): the message to update in
    place when their work changes, and the page of each list they last chose. Written only when they
    ask for it or turn a page: redrawing it after a change only reads."""
    __table_args__ = (UniqueConstraint("platform", "tenant_id", "user_id", name="uq_homecard_person"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    platform: str = platform_field()
    tenant_id: str = Field(max_length=ID)
    user_id: str = Field(max_length=ID)
    conversation_id: str = Field(max_length=ID)      # the 1:1 chat the card is in
    activity_id: str = Field(max_length=ID)          # the card's message
    pages: str = Field(default="{}", max_length=256)  # JSON {list: page}
    updated_at: datetime = Field(sa_type=UTCDateTime)
