"""Field-level encryption for free-text columns (OFFICIAL-SENSITIVE case content).

Defence in depth against database dumps, backups and log leaks: a column typed
`EncryptedText` only ever holds Fernet tokens. Keys come from DHR_FIELD_KEYS
("new,old"): the first key encrypts, every key decrypts, so a key is rotated by
prepending a new one, deploying, running `rotate_all`, then dropping the old one.

Fernet is non-deterministic: an EncryptedText column cannot be searched, sorted
or compared in SQL. Add an HMAC "blind index" column if exact lookup is needed.
"""
from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import MetaData, Table, Text, bindparam, select, type_coerce, update
from sqlalchemy.engine import Engine
from sqlalchemy.types import TypeDecorator

ENV_VAR = "DHR_FIELD_KEYS"
_HOW_TO_MAKE_A_KEY = "make one with `python -m bot gen-key`"
ROTATE_BATCH = 500

# One key ring per process, set at start-up: (all keys, first key), swapped as
# one object so a reader never sees half an update. None means "not
# configured": the column then refuses to work rather than store plaintext.
_ring: tuple[MultiFernet, Fernet] | None = None


class UndecryptableField(Exception):
    """A stored value is tampered with or was encrypted under a key no longer configured.

    The message never carries ciphertext or plaintext, so it is safe to log.
    """


def generate_key() -> str:
    return Fernet.generate_key().decode()


def parse_keys(raw: str | None) -> list[str]:
    """Splits DHR_FIELD_KEYS and checks every entry is a Fernet key (never echoing a key back)."""
    entries = [part.strip() for part in (raw or "").split(",")]
    if not any(entries):
        raise ValueError(f"{ENV_VAR} is empty: set it to one or more comma-separated Fernet keys; {_HOW_TO_MAKE_A_KEY}")
    for position, entry in enumerate(entries, start=1):
        if not _is_fernet_key(entry):
            raise ValueError(f"{ENV_VAR} entry {position} of {len(entries)} is not a valid Fernet key "
                             f"(32 url-safe base64-encoded bytes); {_HOW_TO_MAKE_A_KEY}")
    return entries


def _is_fernet_key(key: str) -> bool:
    try:
        Fernet(key)
    except ValueError:  # binascii.Error is a ValueError too
        return False
    return True


def configure_keys(keys: list[str]) -> None:
    """Installs the process-wide key ring: keys[0] encrypts, all of them decrypt."""
    global _ring
    if not keys:
        raise ValueError(f"no field encryption keys given; set {ENV_VAR}; {_HOW_TO_MAKE_A_KEY}")
    fernets = [Fernet(key) for key in keys]
    _ring = (MultiFernet(fernets), fernets[0])


def clear_keys() -> None:
    """Forgets the key ring (tests, and shutting down cleanly)."""
    global _ring
    _ring = None


def _key_ring() -> tuple[MultiFernet, Fernet]:
    ring = _ring
    if ring is None:
        raise RuntimeError(f"field encryption keys are not configured: call storage.crypto.configure_keys("
                           f"parse_keys(os.environ['{ENV_VAR}'])) at start-up before using the database")
    return ring


def encrypt(plaintext: str) -> str:
    return _key_ring()[0].encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _key_ring()[0].decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise UndecryptableField(
            f"an encrypted field could not be decrypted: it was altered, or its key is not in {ENV_VAR}") from exc


class EncryptedText(TypeDecorator):
    """Text stored as a Fernet token; use as `Field(sa_type=EncryptedText)`.

    Comparing the column with a value in SQL never matches (see module docstring).
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if not isinstance(value, str):
            raise TypeError(f"EncryptedText takes str, not {type(value).__name__}")
        return encrypt(value)

    def process_result_value(self, value, dialect):
        return None if value is None else decrypt(value)


def encrypted_columns(table: Table) -> list[str]:
    return [column.name for column in table.columns if isinstance(column.type, EncryptedText)]


def rotate_all(engine: Engine, metadata: MetaData) -> dict[str, int]:
    """Re-encrypts every EncryptedText value under the first key; returns rows rewritten per "table.column".

    `metadata` holds the tables to rotate: the application's are storage.all_tables.METADATA (the
    models import this module for EncryptedText, so it cannot import them itself).
    """
    counts: dict[str, int] = {}
    for table in metadata.sorted_tables:
        columns = encrypted_columns(table)
        if columns:
            counts.update(rotate_table_columns(engine, table, columns))
    return counts


def rotate_table_columns(engine: Engine, table: Table, columns: list[str],
                         batch_size: int = ROTATE_BATCH) -> dict[str, int]:
    """Rotates the named columns of one table, batch by batch, one transaction per batch.

    Values already under the first key are left alone, so a re-run (e.g. after
    an interrupted rotation) rewrites nothing twice and returns zero counts.
    """
    pk = _single_primary_key(table)
    return {f"{table.name}.{name}": _rotate_column(engine, table, pk, name, batch_size) for name in columns}


def _single_primary_key(table: Table):
    keys = list(table.primary_key.columns)
    if len(keys) != 1:
        raise ValueError(f"rotation needs a single-column primary key; {table.name} has {len(keys)}")
    return keys[0]


def _rotate_column(engine: Engine, table: Table, pk, name: str, batch_size: int) -> int:
    # type_coerce(..., Text) reads and writes the raw token, bypassing EncryptedText
    # (otherwise the SELECT would decrypt and the UPDATE would encrypt twice).
    raw = type_coerce(table.c[name], Text)
    page = select(pk, raw).where(table.c[name].is_not(None)).order_by(pk).limit(batch_size)
    # Matching the old token as well as the key means a row the app rewrote
    # meanwhile is not overwritten with a stale value.
    rewrite = (update(table)
               .where(pk == bindparam("_pk"), raw == bindparam("_old", type_=Text))
               .values({name: bindparam("_new", type_=Text)}))
    rewritten, last = 0, None
    while True:
        with engine.begin() as conn:
            rows = conn.execute(page if last is None else page.where(pk > last)).all()
            for key, token in rows:
                new = _rotated(token, table.name, name, key)
                if new is not None:
                    rewritten += conn.execute(rewrite, {"_pk": key, "_old": token, "_new": new}).rowcount
        if len(rows) < batch_size:
            return rewritten
        last = rows[-1][0]


def _rotated(token: str, table: str, column: str, key) -> str | None:
    """The token re-encrypted under the first key, or None if it already is."""
    ring, primary = _key_ring()
    try:
        primary.decrypt(token.encode())
        return None
    except InvalidToken:
        pass
    try:
        return ring.rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise UndecryptableField(
            f"{table}.{column} row {key!r} cannot be decrypted with any key in {ENV_VAR}; rotation stopped "
            "(batches before it are committed, re-running is safe)") from exc


def unreadable_column(engine: Engine, metadata: MetaData) -> str | None:
    """"table.column" of the first encrypted column whose newest value the configured keys cannot
    decrypt (a database restored without its keys, or with another deployment's), else None.
    One value per column: a check at start-up, not a scan."""
    ring = _key_ring()[0]
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            pk = _single_primary_key(table) if len(table.primary_key.columns) == 1 else None
            for name in encrypted_columns(table):
                raw = type_coerce(table.c[name], Text)
                query = select(raw).where(table.c[name].is_not(None)).limit(1)
                token = conn.execute(query.order_by(pk.desc()) if pk is not None else query).scalar()
                if token is None:
                    continue
                try:
                    ring.decrypt(token.encode())
                except InvalidToken:
                    return f"{table.name}.{name}"
    return None
