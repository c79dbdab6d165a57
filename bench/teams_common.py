"""What the Teams benches share: a database to fill (SQLite, or a fresh one on a PostgreSQL server),
the fake Teams, and how figures are printed."""
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.teamsfake import FakeTeams
from bot.teamsfake import server as fake_server
from bot.teamsfake.cards import validate_card


def database(server_url: str | None) -> tuple[str, str, Callable[[], None]]:
    """(url, label, drop): a new SQLite file, or a new `dhr_bench_teams_*` database on the PostgreSQL
    server of `server_url` (created here, dropped by `drop`), so every run starts empty."""
    if not server_url:
        folder = Path(tempfile.mkdtemp(prefix="dhr-bench-teams-"))
        return f"sqlite:///{folder}/bench.sqlite3", "SQLite", lambda: shutil.rmtree(folder, ignore_errors=True)
    admin_url = server_url.replace("postgresql://", "postgresql+psycopg://", 1)
    name = f"dhr_bench_teams_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False), "PostgreSQL", drop


def start_fake(rate_limits: bool) -> FakeTeams:
    """The fake Teams checking every card the bot sends, as the e2e tests run it, with Nagle's algorithm
    off on its connections: its HTTP server writes the headers and the body of an answer separately,
    so on a kept-alive connection (the bot's httpx client) each answer's body waited for the client's
    delayed ACK, about 40 ms a call that Teams itself would not add."""
    fake_server._Handler.disable_nagle_algorithm = True
    fake = FakeTeams(card_validator=validate_card).start()
    fake.set_rate_limits(rate_limits)
    return fake


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def line(name: str, values: list[float]) -> None:
    if not values:
        print(f"   {name:<44} (none)")
        return
    print(f"   {name:<44} p50 {statistics.median(values):7.1f} ms   p99 {pct(values, 99):7.1f} ms   "
          f"max {max(values):7.1f} ms   n={len(values)}")


class FakeTime:
    """How long the fake itself spends answering (checking tokens and cards, storing), summed over
    every call: the part of a run that stands for Teams' own time rather than the bot's."""

    def __init__(self, fake: FakeTeams):
        self.seconds, self.calls = 0.0, 0
        handle = fake._dispatcher.handle

        def timed(req, raw_path):
            start = time.perf_counter()
            try:
                return handle(req, raw_path)
            finally:
                self.seconds += time.perf_counter() - start
                self.calls += 1
        fake._dispatcher.handle = timed
