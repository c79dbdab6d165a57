"""Time from a signed `/dhr new` to its HTTP ack and to views.open reaching Slack (the fake).

    python bench/ack_latency.py [--requests 200] [--reviews 1000] [--database-url URL]

Targets: ack p99 < 300 ms; views.open within 500 ms; p50 ack ratio to bare Bolt <= 1.5.
"""
import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.slackfake import SlackPlatform  # noqa: E402
from storage import migrate  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import Review  # noqa: E402
from tests.e2e.server import COORDINATOR, SECRET, TEAM, start_bot, start_fake  # noqa: E402


def seed(url: str, n: int) -> None:
    migrate.upgrade(url)
    now = datetime.now(timezone.utc)
    db = Database(url)
    with db.session() as s:
        s.add_all(Review(tenant_id=TEAM, reference=f"DHR-2020-{i:04d}", stage="setup", notified_on=date(2020, 1, 1),
                         notifying_agency="Police", victim_pseudonym=f"Adult {i}", victim_age=40,
                         relationship="relative", created_by=COORDINATOR, created_at=now, updated_at=now,
                         setup_state="complete", space_id=f"CSEED{i:05d}") for i in range(n))
    db.engine.dispose()


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def measure(fake, url: str, n: int, want_open: bool) -> tuple[list[float], list[float]]:
    slack = SlackPlatform(fake, bot_url=f"{url}/slack/events", signing_secret=SECRET, team_id=TEAM)
    channel = fake.add_channel(f"bench-{int(time.time() * 1000) % 10**8}", is_private=False,
                                  members=[COORDINATOR]).id
    acks, opens = [], []
    for _ in range(n):
        fake.reset_calls()
        start = time.monotonic()
        response = slack.command(COORDINATOR, channel, text="new")
        acks.append((time.monotonic() - start) * 1000)
        assert response.status == 200, response.text
        if want_open:
            call = fake.wait_for("views.open", timeout=5)
            opens.append((call.at - start) * 1000)
            fake.wait_for("views.update", timeout=5)  # let the form finish before the next request
    return acks, opens


def report(name: str, values: list[float]) -> None:
    print(f"{name:<34} p50 {statistics.median(values):7.1f} ms   p99 {pct(values, 99):7.1f} ms   "
          f"max {max(values):7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--reviews", type=int, default=1000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="dhr-bench-"))
    url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
    seed(url, args.reviews)
    fake = start_fake()
    bot, bot_url = start_bot(fake, url, tmp / "bot.log")
    bare, bare_url = start_bot(fake, url, tmp / "bare.log", argv=("bench/bare_bolt.py",))
    try:
        measure(fake, bot_url, 10, True)  # warm-up: imports, connection pools
        measure(fake, bare_url, 10, False)
        acks, opens = measure(fake, bot_url, args.requests, True)
        bare_acks, _ = measure(fake, bare_url, args.requests, False)
    finally:
        for proc in (bot, bare):
            proc.terminate()
        fake.stop()
    print(f"/dhr new with {args.reviews} reviews stored, {args.requests} requests, {url.split(':')[0]}")
    report("DHR Bot: signed request -> ack", acks)
    report("DHR Bot: signed request -> views.open", opens)
    report("bare Bolt: signed request -> ack", bare_acks)
    print(f"p50 ack ratio DHR Bot / bare Bolt: {statistics.median(acks) / statistics.median(bare_acks):.2f}")


if __name__ == "__main__":
    main()
