"""Column types the tables share."""
from datetime import datetime, timezone

from sqlalchemy.types import DateTime, TypeDecorator
from sqlmodel import Field

# Platform ids (Slack's U0..., Teams' 29:... and 19:...@thread.v2) fit in ID columns.
ID = 255
SLACK = "slack"


def platform_field():
    """The platform a row's ids belong to; rows from before Teams are Slack's."""
    return Field(default=SLACK, max_length=16, sa_column_kwargs={"server_default": SLACK})


class UTCDateTime(TypeDecorator):
    """Stores instants as UTC and always hands back aware UTC datetimes.

    SQLite drops tzinfo without converting, so a naive or non-UTC value would
    silently become the wrong instant: naive input is refused outright.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware datetime (UTC)")
        value = value.astimezone(timezone.utc)
        return value if dialect.name == "postgresql" else value.replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)
