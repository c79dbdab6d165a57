"""Engine and session factory. SQLite gets the pragmas it needs to behave; every engine gets
timeouts, so a database that stops answering costs a request a second or two, never a thread."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import event, exc, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

import storage.all_tables  # noqa: F401  (every table known before the first query resolves a foreign key)


@dataclass(frozen=True)
class Timeouts:
    """Seconds. `answer` bounds the client's wait for any reply on an open connection: a server that
    stopped answering never trips the server-side statement timeout."""
    connect: int          # libpq and psycopg treat anything below 2 as 2
    statement: float | None  # None or 0: no limit
    lock: float              # 0: no limit
    answer: float | None
    pool: float
    busy: float           # SQLite: how long a writer waits for another's lock


# Slack waits 3 s for an ack; migrations, the CLI and the sweep can afford to wait.
INTERACTIVE = Timeouts(connect=2, statement=1.2, lock=1.0, answer=1.5, pool=1.0, busy=2.0)
PATIENT = Timeouts(connect=10, statement=None, lock=0.0, answer=None, pool=30.0, busy=30.0)


def make_engine(url: str, timeouts: Timeouts = PATIENT) -> Engine:
    # hide_parameters keeps case content out of exception text and logs.
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": timeouts.busy},
                               hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas(timeouts.busy))
        return engine
    engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10, pool_timeout=timeouts.pool,
                           hide_parameters=True, connect_args={"connect_timeout": timeouts.connect})
    event.listen(engine, "connect", _pg_session(timeouts))
    if engine.dialect.driver == "psycopg" and timeouts.answer:
        event.listen(engine, "do_connect", _bounded_connect(timeouts.answer))
    return engine


def _sqlite_pragmas(busy_seconds: float):
    def run(dbapi_conn, _record):
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={int(busy_seconds * 1000)}")
        cur.close()
    return run


def _pg_session(t: Timeouts):
    """Server-side limits, set per session rather than as startup `options` (which PgBouncer refuses)."""
    def run(dbapi_conn, _record):
        with dbapi_conn.cursor() as cur:
            cur.execute(f"SET lock_timeout = {int(t.lock * 1000)}")
            cur.execute(f"SET statement_timeout = {int((t.statement or 0) * 1000)}")
        dbapi_conn.commit()  # a SET inside a rolled-back transaction would be undone
    return run


def _bounded_connect(answer: float):
    """Connections whose every wait for the server is bounded. After a timeout or a failed connect,
    new connections are refused for a moment, so a request never pays for two timeouts in a row
    (a pre-ping that hangs, then a reconnect that hangs)."""
    import psycopg
    from psycopg import errors as pg_errors
    timed_out = getattr(pg_errors, "_WaitTimeout", pg_errors.OperationalError)
    breaker = _Breaker(cooldown=answer)

    class Bounded(psycopg.Connection):
        def wait(self, gen, interval=0.1, timeout=None):
            try:
                return super().wait(gen, interval=interval, timeout=timeout or answer)
            except timed_out:
                breaker.trip()
                self.pgconn.finish()  # state unknown: close it, so the pool throws it away
                raise pg_errors.OperationalError("the database did not answer in time") from None

    def connect(dialect, conn_rec, cargs, cparams):
        if breaker.tripped():
            raise pg_errors.OperationalError("the database did not answer a moment ago")
        try:
            return Bounded.connect(*cargs, **cparams)
        except pg_errors.OperationalError:
            breaker.trip()
            raise
    return connect


class _Breaker:
    def __init__(self, cooldown: float):
        self.cooldown, self.until = cooldown, 0.0

    def trip(self) -> None:
        self.until = time.monotonic() + self.cooldown

    def tripped(self) -> bool:
        return time.monotonic() < self.until


class DatabaseUnreachable(Exception):
    """Start-up could not use DATABASE_URL. The message is one line for whoever runs the bot."""


@contextmanager
def reaching(url: str):
    try:
        yield
    except (exc.DBAPIError, exc.ArgumentError, OSError) as err:
        raise DatabaseUnreachable(_describe(url, err)) from None


def _describe(url: str, err: Exception) -> str:
    try:
        where = make_url(url).render_as_string(hide_password=True)
    except exc.ArgumentError:
        where = "DATABASE_URL"
    reason = (str(getattr(err, "orig", None) or err).strip().splitlines() or [type(err).__name__])[0][:160]
    return (f"Cannot use the database at {where} ({reason}). Set DATABASE_URL to a database this "
            "machine can reach (postgresql://user:password@host:5432/dbname or sqlite:///path/dhr.sqlite3) "
            "and check that it is running.")


class Database:
    """Owns the engine; hands out short transactional sessions."""

    def __init__(self, url: str, timeouts: Timeouts = PATIENT):
        self.url = url
        self.engine = make_engine(url, timeouts)
        self._probe, self._probe_lock = None, threading.Lock()

    @contextmanager
    def session(self):
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def answers(self, within: float) -> bool:
        """Whether the database answers a trivial query within `within` seconds. One probe at a time:
        callers arriving while one runs share its answer instead of queueing more."""
        with self._probe_lock:
            if self._probe is None or self._probe.done():
                self._probe = _PROBES.submit(self._select_one)
            probe = self._probe
        try:
            return probe.result(timeout=within)
        except Exception:  # noqa: BLE001 - a health probe is a yes or a no
            return False

    def _select_one(self) -> bool:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"


_PROBES = ThreadPoolExecutor(2, "dhr-db-probe")
