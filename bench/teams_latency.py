"""Teams: time from a signed card-button invoke (`task/fetch`) to its HTTP answer (the dialog), and from
a typed `status` in a review's group chat to the bot's reply reaching Teams (the fake), beside a bare
Teams SDK app that answers the same invoke with a fixed dialog and the message with a fixed reply.

    python bench/teams_latency.py [--requests 200] [--reviews 1000] [--database-url postgresql://...]

The real bot server (`python -m bot serve`, Teams only) and the bare app (bench/bare_teams.py) each run
in their own process against one fake Teams in this one, taking turns in batches of 20 so that both
see the same load from the rest of the machine. The review being used is opened the real way (typed
`new`, the dialog, its group chat and summary card); the others are stored directly. The button is
the summary card's "Record decision". The fake's rate limits are off here (one person pressing 200
times a minute would be throttled by Teams; that is bench/teams_reminders.py's subject).
With --database-url (a PostgreSQL server), a fresh database is created there and dropped afterwards.

Targets: p99 < 300 ms for both; p50 ratio to the bare SDK app <= 1.3.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.teams_common import database, line, start_fake  # noqa: E402
from bot.teamsfake import CONNECTOR_SCOPE, FakeTeams, TeamsPlatform, User  # noqa: E402
from storage import migrate  # noqa: E402
from storage.crypto import configure_keys  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import Review  # noqa: E402
from tests.e2e.server import FIELD_KEY, _wait_healthy, free_port  # noqa: E402
from tests.e2e.teams_server import start_bot  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BATCH = 20
NEW_REVIEW = {"reference": "DHR-2026-901", "notifying_agency": "Police", "victim_pseudonym": "Adult B",
              "victim_age": "34", "relationship": "current_partner", "suspected_suicide": "no",
              "confidentiality": "agreed"}


def seed(url: str, tenant_id: str, coordinator: str, n: int) -> None:
    """`n` Teams reviews stored directly, each with its own group chat id."""
    migrate.upgrade(url)
    now = datetime.now(timezone.utc)
    db = Database(url)
    with db.session() as s:
        s.add_all(Review(platform="teams", tenant_id=tenant_id, reference=f"DHR-2020-{i:04d}", stage="setup",
                         notified_on=date(2020, 1, 1), notifying_agency="Police", victim_pseudonym=f"Adult {i}",
                         victim_age=40, relationship="relative", created_by=coordinator, created_at=now,
                         updated_at=now, setup_state="complete", space_id=f"19:seed{i:05d}@thread.v2")
                  for i in range(n))
    db.engine.dispose()


def open_review(fake: FakeTeams, platform: TeamsPlatform, coord: User):
    """The coordinator opens a review in their 1:1 chat; the bot makes its group chat and posts the
    summary card there. Returns (group chat id, card message id)."""
    mine = fake.personal_chat(coord).id
    platform.say(coord, mine, "new")
    offer = fake.wait_until(lambda: next((m for m in reversed(fake.bot_messages_in(mine))
                                          if "Open: New review" in str(m.activity)), None))
    platform.press(coord, mine, offer.id, "Open: New review")
    answer = platform.submit_dialog(coord, mine, NEW_REVIEW)
    assert answer.status == 200, answer.text
    topic = NEW_REVIEW["reference"].lower()
    chat = fake.wait_until(lambda: next((c for c in fake.chats.values() if c.topic == topic), None), timeout=30)
    card = fake.wait_until(lambda: next((m for m in fake.bot_messages_in(chat.id)
                                         if "Record decision" in str(m.activity)), None), timeout=30)
    platform.close_dialog(coord)
    return chat.id, card.id


def presses(platform: TeamsPlatform, coord: User, chat_id: str, card_id: str, n: int) -> list[float]:
    """Signed task/fetch invoke -> its HTTP answer (a dialog), ms."""
    out = []
    for _ in range(n):
        answer = platform.press(coord, chat_id, card_id, "Record decision")
        assert answer.status == 200 and '"continue"' in answer.text, answer.text[:300]
        out.append(answer.elapsed * 1000)
        platform.close_dialog(coord)
    return out


TYPING_GAP = 0.5   # s between one person's commands: Teams lets a bot send 60 messages in 30 s into one chat


def statuses(fake: FakeTeams, platform: TeamsPlatform, coord: User, chat_id: str, n: int) -> list[float]:
    """Typed `status` in the group chat -> the reply reaching the fake's Bot Connector, ms. The replies
    all go to one person's 1:1 chat, so the commands come at most two a second, as Teams' per-chat
    windows allow (faster, Teams answers 429 and the bot's pacer makes the reply wait)."""
    out = []
    for i in range(n):
        if i:
            time.sleep(TYPING_GAP)
        before = len(fake.calls)
        start = time.monotonic()
        answer = platform.say(coord, chat_id, "status")
        assert answer.status == 200, answer.text[:300]
        reply = fake.wait_until(lambda before=before: next(
            (c for c in fake.calls[before:] if c.method == "POST" and c.path.endswith("/activities")
             and (c.request or {}).get("type") == "message"), None))
        assert reply.status == 201, f"the fake refused the reply: {reply.status} {reply.response}"
        out.append((reply.at - start) * 1000)
    return out


def start_bare(fake: FakeTeams, log_path: Path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEAMS_", "DHR_"))}
    env.update(PORT=str(port), TEAMS_CLIENT_ID=fake.bot_id, TEAMS_TENANT_ID=fake.tenant_id,
               TEAMS_OPENID_METADATA_URL=fake.openid_metadata_url, PYTHONUNBUFFERED="1",
               TEAMS_BENCH_TOKEN=fake.access_token(CONNECTOR_SCOPE))
    proc = subprocess.Popen([sys.executable, "bench/bare_teams.py"], cwd=ROOT, env=env, stdout=open(log_path, "ab"),
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    _wait_healthy(url, proc, log_path)
    return proc, url


def measure(fake, platform, coord, chat_id, card_id, urls: dict[str, str], n: int) -> dict[str, dict]:
    """n presses and n statuses for each app, in turns of BATCH."""
    got = {name: {"press": [], "status": []} for name in urls}
    for _ in range(0, n, BATCH):
        for name, url in urls.items():
            fake.messaging_endpoint = f"{url}/api/messages"
            got[name]["press"] += presses(platform, coord, chat_id, card_id, BATCH)
            got[name]["status"] += statuses(fake, platform, coord, chat_id, BATCH)
    return got


def report(label: str, reviews: int, n: int, got: dict[str, dict]) -> None:
    bot, bare = got["DHR Bot"], got["bare SDK"]
    print(f"\n== {label}: {reviews} reviews stored, {n} of each request per app, one at a time")
    line("DHR Bot: task/fetch -> dialog (HTTP answer)", bot["press"])
    line("bare SDK: task/fetch -> fixed dialog", bare["press"])
    line("DHR Bot: `status` -> reply at the fake", bot["status"])
    line("bare SDK: message -> fixed reply at the fake", bare["status"])
    for kind, name in (("press", "task/fetch"), ("status", "status/message")):
        print(f"   p50 ratio DHR Bot / bare SDK, {name}: "
              f"{statistics.median(bot[kind]) / statistics.median(bare[kind]):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="of each kind, per app (a multiple of 20)")
    parser.add_argument("--reviews", type=int, default=1000)
    parser.add_argument("--database-url", help="a PostgreSQL server: a fresh database is made there")
    args = parser.parse_args()
    configure_keys([FIELD_KEY])
    url, label, drop = database(args.database_url)
    folder = Path(tempfile.mkdtemp(prefix="dhr-bench-teams-"))
    fake = start_fake(rate_limits=False)
    coord = fake.add_user("Coordinator Cole")
    procs = []
    try:
        seed(url, fake.tenant_id, coord.aad_id, args.reviews - 1)
        bot, bot_url = start_bot(fake, [coord], url, folder / "bot.log", extra_env={"LOG_LEVEL": "INFO"})
        procs.append(bot)
        bare, bare_url = start_bare(fake, folder / "bare.log")
        procs.append(bare)
        platform = TeamsPlatform(fake, f"{bot_url}/api/messages")
        platform.install_for(coord)
        chat_id, card_id = open_review(fake, platform, coord)
        urls = {"DHR Bot": bot_url, "bare SDK": bare_url}
        measure(fake, platform, coord, chat_id, card_id, urls, BATCH)      # warm-up: imports, pools, keys
        got = measure(fake, platform, coord, chat_id, card_id, urls, args.requests)
        report(label, args.reviews, args.requests, got)
        print(f"   invokes Teams would show as failed: {len(fake.invoke_failures)}; fake errors: "
              f"{len(fake.internal_errors)}; logs in {folder}")
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=10)
        fake.stop()
        drop()


if __name__ == "__main__":
    main()
