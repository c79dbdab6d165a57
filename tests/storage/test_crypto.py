"""EncryptedText and key rotation, on SQLite and PostgreSQL.

The table lives on a MetaData of its own so it never reaches the app's migrations.
"""
import pytest
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import Column, Integer, MetaData, Table, Text, delete, insert, select, text
from sqlalchemy.exc import StatementError

from storage import crypto
from storage.crypto import EncryptedText, UndecryptableField
from storage.db import make_engine

OLD, NEW, OTHER = (crypto.generate_key() for _ in range(3))
SECRET = "Adult A's sister said she feared him — 12 Elm Road"

metadata = MetaData()
notes = Table("crypto_test_note", metadata,
              Column("id", Integer, primary_key=True),
              Column("body", EncryptedText),
              Column("summary", EncryptedText),
              Column("label", Text))


@pytest.fixture(scope="module")
def engine(database_url):
    eng = make_engine(database_url)
    metadata.create_all(eng)
    yield eng
    metadata.drop_all(eng)
    eng.dispose()


@pytest.fixture(autouse=True)
def key_ring():
    """Every test starts with NEW configured and leaves the process-wide ring cleared."""
    crypto.configure_keys([NEW])
    yield
    crypto.clear_keys()


@pytest.fixture
def db(engine):
    with engine.begin() as conn:
        conn.execute(delete(notes))
    return engine


def add(db, **values):
    with db.begin() as conn:
        conn.execute(insert(notes).values(**values))


def read(db, column="body"):
    with db.connect() as conn:
        return conn.execute(select(notes.c[column]).order_by(notes.c.id)).scalars().all()


def raw(db, column="body"):
    """What a database dump would show: a plain SQL SELECT, no TypeDecorator."""
    with db.connect() as conn:
        return conn.execute(text(f"SELECT {column} FROM crypto_test_note ORDER BY id")).scalars().all()


def test_round_trip_including_none_and_unicode(db):
    add(db, id=1, body=SECRET, summary=None, label="x")
    add(db, id=2, body="", summary="Zoë 🕯️", label="y")
    assert read(db) == [SECRET, ""]
    assert read(db, "summary") == [None, "Zoë 🕯️"]


def test_raw_column_never_holds_the_plaintext(db):
    add(db, id=1, body=SECRET)
    add(db, id=2, body=SECRET)
    stored = raw(db)
    assert all(SECRET not in token and "Elm" not in token for token in stored)
    assert stored[0] != stored[1]  # random IV: equal plaintexts do not show as equal rows
    assert Fernet(NEW).decrypt(stored[0].encode()).decode() == SECRET


def test_old_key_rows_stay_readable_and_rotation_rewrites_them(db):
    crypto.configure_keys([OLD])
    for i in range(1, 6):  # more rows than one batch
        add(db, id=i, body=f"note {i}", summary=None if i == 3 else f"summary {i}")
    crypto.configure_keys([NEW, OLD])
    assert read(db) == [f"note {i}" for i in range(1, 6)]

    counts = crypto.rotate_table_columns(db, notes, ["body", "summary"], batch_size=2)

    assert counts == {"crypto_test_note.body": 5, "crypto_test_note.summary": 4}
    assert [Fernet(NEW).decrypt(t.encode()).decode() for t in raw(db)] == [f"note {i}" for i in range(1, 6)]
    crypto.configure_keys([NEW])  # the old key can now be dropped
    assert read(db, "summary") == ["summary 1", "summary 2", None, "summary 4", "summary 5"]


def test_rotation_is_idempotent_and_rotate_all_finds_encrypted_columns(db):
    crypto.configure_keys([OLD])
    add(db, id=1, body="a", summary="b")
    crypto.configure_keys([NEW, OLD])
    assert crypto.rotate_all(db, metadata) == {"crypto_test_note.body": 1, "crypto_test_note.summary": 1}
    before = raw(db)
    assert crypto.rotate_all(db, metadata) == {"crypto_test_note.body": 0, "crypto_test_note.summary": 0}
    assert raw(db) == before


def test_rotate_all_covers_every_encrypted_column_of_the_app_tables(db, database_url):
    from sqlmodel import SQLModel

    from storage import all_tables, migrate
    migrate.upgrade(database_url)  # the app tables, empty
    expected = {f"{t.name}.{c}" for t in SQLModel.metadata.sorted_tables for c in crypto.encrypted_columns(t)}
    assert notes.name not in SQLModel.metadata.tables  # the throwaway table stays out of migrations
    assert crypto.rotate_all(db, all_tables.METADATA) == dict.fromkeys(expected, 0)


def test_tampered_ciphertext_is_undecryptable_without_leaking(db):
    add(db, id=1, body=SECRET)
    token = raw(db)[0]
    forged = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    with db.begin() as conn:
        conn.execute(text("UPDATE crypto_test_note SET body = :t WHERE id = 1"), {"t": forged})
    with pytest.raises(UndecryptableField) as caught:
        read(db)
    assert isinstance(caught.value.__cause__, InvalidToken)
    assert token[:20] not in str(caught.value) and SECRET not in str(caught.value)


def test_unknown_key_is_undecryptable_and_stops_rotation(db):
    add(db, id=1, body=SECRET)
    crypto.configure_keys([OTHER])
    with pytest.raises(UndecryptableField):
        read(db)
    with pytest.raises(UndecryptableField, match=r"crypto_test_note\.body row 1 .*re-running is safe"):
        crypto.rotate_table_columns(db, notes, ["body"])


def test_unconfigured_keys_refuse_to_store_plaintext(db):
    crypto.clear_keys()
    with pytest.raises(RuntimeError, match="not configured"):
        EncryptedText().process_bind_param(SECRET, None)
    with pytest.raises(StatementError) as caught:
        add(db, id=1, body=SECRET)
    assert isinstance(caught.value.orig, RuntimeError)
    assert SECRET not in str(caught.value)  # make_engine hides bound parameters
    assert raw(db) == []


def test_unconfigured_keys_refuse_to_read(db):
    add(db, id=1, body=SECRET)
    crypto.clear_keys()
    with pytest.raises(RuntimeError, match="DHR_FIELD_KEYS"):
        read(db)


def test_parse_keys_accepts_comma_separated_fernet_keys():
    assert crypto.parse_keys(f" {NEW} ,{OLD}") == [NEW, OLD]
    Fernet(crypto.generate_key())


@pytest.mark.parametrize(
    "raw_value",
    ["", "  ", None, "not-a-key", f"{NEW},,{OLD}", f"{NEW},{NEW[:-2]}"],
    ids=["empty", "blank", "unset", "not-a-key", "empty-between-commas", "truncated-key"],
)
def test_parse_keys_refuses_empty_or_malformed_values_in_one_line(raw_value):
    with pytest.raises(ValueError) as caught:
        crypto.parse_keys(raw_value)
    message = str(caught.value)
    assert "DHR_FIELD_KEYS" in message and "python -m bot gen-key" in message and "\n" not in message
    assert "not-a-key" not in message and NEW[:10] not in message  # never echo a secret


def test_configure_keys_refuses_an_empty_ring():
    with pytest.raises(ValueError, match="DHR_FIELD_KEYS"):
        crypto.configure_keys([])
