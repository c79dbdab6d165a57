"""Concurrent load through Slack's signed request path: the real bot server against the Slack fake.

    python bench/load.py [--reviews 400] [--concurrent 180] [--pg URL]

Seeds N reviews (each with its own coordinator and private channel), opens the `/dhr decide` form for
some of them, then fires C requests at once: half `/dhr status` in a review channel (acked at once,
answered on the response_url after reading the card), half decision-form submissions (acked after
the decision is stored; some submitted twice at the same instant, as a double click). Prints p50/p99
of the HTTP ack and of the status answer, the error count, and a duplicates check (one decision and
one stage move per review, one answer per command). The same burst of commands goes to a bare Bolt
app (bench/bare_bolt.py) on the same server stack. With --pg (or TEST_DATABASE_URL) it runs on
SQLite, then on a `dhr_bench_load_*` PostgreSQL database made and dropped for the run.
Not part of the test run; it prints figures and asserts nothing about time.
"""
import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timezone
from pathlib import Path
from urllib.parse import parse_qs

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, func, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import select  # noqa: E402

from bench.ack_latency import pct  # noqa: E402
from bot.slackfake import SlackPlatform  # noqa: E402
from bot.slackfake.signed_http import Response, SignedSender, signature  # noqa: E402
from storage import migrate  # noqa: E402
from storage.crypto import configure_keys  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import Decision, Membership, Person, Review, StageChange  # noqa: E402
from tests.e2e.journey import block_text, wait  # noqa: E402
from tests.e2e.server import FIELD_KEY, SECRET, TEAM, start_bot, start_fake  # noqa: E402


def user(i: int) -> str:
    return f"U0LD{i:05d}"


def seed(fake, url: str, n: int) -> list[tuple[str, str]]:
    """N reviews awaiting their decision, one coordinator and channel each: [(user, channel)]."""
    people = []
    for i in range(n):
        fake.add_user(user(i), f"coord{i}")
        people.append((user(i), fake.add_channel(f"dhr-2020-{i:04d}", is_private=True, members=[user(i)]).id))
    migrate.upgrade(url)
    now = datetime.now(timezone.utc)
    db = Database(url)
    with db.session() as s:
        for i, (u, channel) in enumerate(people):
            review = Review(tenant_id=TEAM, reference=f"DHR-2020-{i:04d}", stage="notified",
                            notified_on=date.today(), notifying_agency="Police", victim_pseudonym=f"Adult {i}",
                            victim_age=40, relationship="relative", created_by=u, created_at=now, updated_at=now,
                            setup_state="complete", space_id=channel, space_name=f"dhr-2020-{i:04d}")
            person = Person(tenant_id=TEAM, user_id=u, created_at=now)
            s.add_all([review, person])
            s.flush()
            s.add(Membership(review_id=review.id, person_id=person.id, role="coordinator", added_by=u, added_at=now))
            s.add(StageChange(review_id=review.id, to_stage="notified", transition="notify", by=u, at=now))
    db.engine.dispose()
    return people


def open_decide_forms(slack, fake, people) -> list[str]:
    views = []
    for u, channel in people:
        slack.command(u, channel, text="decide")
        view = wait(lambda u=u: (v := fake.open_view_for(u)) is not None and v.callback_id == "dhr.decide"
                    and "Loading" not in block_text(v.blocks) and v, timeout=15, what="the decide form")
        views.append(view.id)
    return views


def decision_values() -> dict:
    today = date.today().isoformat()
    return {"outcome": "review", "decided_on": today, "agencies_consulted_other": "Police",
            "home_office_told_on": today, "decided_by": "U0CSPCHAIR", "records_secured_on": today}


class Capture:
    """Stands in for the fake's HTTP sender: keeps the body of each request a person's client would
    send, so the burst can be fired from other processes (the generator then does not compete with
    the fake, which answers the bot's own Web API calls, for this process's GIL)."""

    def __init__(self):
        self.bodies: list[tuple[bytes, str]] = []

    def post(self, body: bytes, content_type: str, **_) -> Response:
        self.bodies.append((body, content_type))
        return Response(200, {}, "", 0.0, False)


def _fire(args) -> list[tuple]:
    """In a client process: wait for the common start instant, then send every body at once."""
    url, secret, at, bodies = args
    barrier = threading.Barrier(len(bodies))

    def one(item):
        body, content_type = item
        barrier.wait()
        while time.time() < at:
            time.sleep(0.0005)
        ts = str(int(time.time()))
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": content_type, "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature(secret, ts, body)})
        started = time.time()
        try:
            with urllib.request.urlopen(request, timeout=30) as resp:
                status, text_ = resp.status, resp.read().decode()
        except urllib.error.HTTPError as err:
            status, text_ = err.code, ""
        except OSError as err:
            status, text_ = 0, type(err).__name__
        return status, text_, (time.time() - started) * 1000, started
    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(one, bodies))


def burst(url: str, bodies: list[tuple[bytes, str]], processes: int = 6) -> list[tuple]:
    """Fires every body at the same instant from `processes` client processes; results in order:
    (status, body text, ms to the HTTP answer, wall-clock start)."""
    at = time.time() + 2.0
    shares = [bodies[i::processes] for i in range(processes)]
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        parts = pool.map(_fire, [(url, SECRET, at, share) for share in shares if share])
    out = [None] * len(bodies)
    for i, part in enumerate(parts):
        for j, result in enumerate(part):
            out[i + j * processes] = result
    return out


def ok(result) -> bool:
    return result[0] == 200 and "went wrong" not in result[1]


def run_backend(url: str, label: str, n: int, concurrent: int, folder: Path) -> None:
    fake = start_fake()
    people = seed(fake, url, n)
    bot, bot_url = start_bot(fake, url, folder / f"{label}-bot.log")
    bare, bare_url = start_bot(fake, url, folder / f"{label}-bare.log", argv=("bench/bare_bolt.py",))
    try:
        slack = SlackPlatform(fake, bot_url=f"{bot_url}/slack/events", signing_secret=SECRET, team_id=TEAM)
        half, doubles = concurrent // 2, max(1, concurrent // 18)     # 180: 90 status, 80 forms + 10 double clicks
        statuses, deciders = people[:half], people[half:concurrent - doubles]
        views = open_decide_forms(slack, fake, deciders)
        capture = slack.sender = Capture()
        for u, c in statuses:
            slack.command(u, c, text="status")
        for (u, _), v in zip(deciders, views):
            slack.submit_view(u, v, decision_values())
        bodies = capture.bodies + capture.bodies[half:half + doubles]   # double clicks: the same body twice
        kinds = ["status"] * half + ["decide"] * (len(bodies) - half)
        fake.reset_calls()
        results = burst(f"{bot_url}/slack/events", bodies)
        tokens = [parse_qs(b.decode())["response_url"][0].rsplit("/", 1)[-1] for b, _ in capture.bodies[:half]]
        answers = wait_answers(fake, dict(zip(tokens, [r[3] for r in results[:half]])))
        bare_results = burst(f"{bare_url}/slack/events", capture.bodies[:half] * 2)
        slack.sender = SignedSender(f"{bot_url}/slack/events", SECRET)
        alone = one_at_a_time(slack, fake, statuses[:30])
        print_figures(label, n, list(zip(kinds, results)), answers, bare_results, alone, url, doubles,
                      [f"DHR-2020-{i:04d}" for i in range(half, half + len(deciders))])
    finally:
        for proc in (bot, bare):
            proc.terminate()
            proc.wait(timeout=10)
        fake.stop()


def one_at_a_time(slack, fake, people) -> list[float]:
    """What one request costs with nothing else in flight: signed command to its answer."""
    out = []
    for u, c in people:
        before = len(fake.responses())
        start = time.monotonic()
        slack.command(u, c, text="status")
        wait(lambda before=before: len(fake.responses()) > before, what="the answer")
        out.append((time.monotonic() - start) * 1000)
    return out


def wait_answers(fake, started: dict[str, float]) -> dict[str, list]:
    """The status answers posted to each command's response_url: {token: [ms after the request]}."""
    deadline = time.monotonic() + 30
    got: dict[str, list] = {}
    while time.monotonic() < deadline:
        got = {}
        for call in fake.responses():
            got.setdefault(call.params.get("_token"), []).append(call)
        if all(t in got for t in started):
            break
        time.sleep(0.1)
    return {t: [(c.wall - start) * 1000 for c in got.get(t, [])] for t, start in started.items()}


def print_figures(label, n, results, answers, bare_results, alone, url, doubles: int,
                  submitted: list[str]) -> None:
    errors = [r for kind, r in results if not ok(r)]
    acks = [r[2] for _, r in results if ok(r)]
    status_acks = [r[2] for kind, r in results if ok(r) and kind == "status"]
    decide_acks = [r[2] for kind, r in results if ok(r) and kind == "decide"]
    answered = [a[0] for a in answers.values() if a]
    unanswered = sum(1 for a in answers.values() if not a)
    repeated = sum(1 for a in answers.values() if len(a) > 1)
    db = Database(url)
    with db.session() as s:
        refs = [f"DHR-2020-{i:04d}" for i in range(n)]
        decisions = dict(s.exec(select(Review.reference, func.count(Decision.id)).join(Decision)
                                .where(Review.reference.in_(refs)).group_by(Review.reference)).all())
        moves = dict(s.exec(select(Review.reference, func.count(StageChange.id)).join(StageChange)
                            .where(StageChange.to_stage == "setup").group_by(Review.reference)).all())
    db.engine.dispose()
    missing = [r for r in submitted if decisions.get(r) != 1]
    doubled = sum(1 for v in decisions.values() if v > 1) + sum(1 for v in moves.values() if v > 1)
    kinds = [kind for kind, _ in results]
    print(f"\n== {label}: {n} reviews stored, {len(results)} concurrent requests ({kinds.count('status')} "
          f"/dhr status, {kinds.count('decide')} decision submissions of which {doubles} double clicks)")
    line("all requests: signed request -> HTTP ack", acks)
    line("/dhr status: -> ack", status_acks)
    line("/dhr status: -> answer on response_url", answered)
    line("decision submission: -> ack (stored)", decide_acks)
    line("/dhr status one at a time: -> answer", alone)
    line(f"bare Bolt /dhr (ack only), {len(bare_results)} at once", [r[2] for r in bare_results if ok(r)])
    print(f"   errors: {len(errors)} of {len(results)} (bare Bolt: {sum(1 for r in bare_results if not ok(r))}); "
          f"status unanswered: {unanswered}, answered twice: {repeated}")
    print(f"   duplicates: {doubled} reviews with more than one decision or move to set-up; "
          f"{len(missing)} submitted reviews without exactly one decision")


def line(name: str, values: list[float]) -> None:
    if not values:
        print(f"   {name:<46} (none)")
        return
    print(f"   {name:<46} p50 {statistics.median(values):7.1f} ms   p99 {pct(values, 99):7.1f} ms   "
          f"max {max(values):7.1f} ms   n={len(values)}")


def pg_database(admin_url: str):
    admin_url = admin_url.replace("postgresql://", "postgresql+psycopg://", 1)
    name = f"dhr_bench_load_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False), drop


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reviews", type=int, default=400)
    parser.add_argument("--concurrent", type=int, default=180)
    parser.add_argument("--pg", default=os.environ.get("TEST_DATABASE_URL"))
    args = parser.parse_args()
    if args.reviews < args.concurrent:
        parser.error("--reviews must be at least --concurrent (each request has its own review)")
    configure_keys([FIELD_KEY])
    folder = Path(tempfile.mkdtemp(prefix="dhr-load-"))
    run_backend(f"sqlite:///{folder}/load.sqlite3", "SQLite", args.reviews, args.concurrent, folder)
    if args.pg:
        url, drop = pg_database(args.pg)
        try:
            run_backend(url, "PostgreSQL", args.reviews, args.concurrent, folder)
        finally:
            drop()
    print(f"\nlogs in {folder}")


if __name__ == "__main__":
    main()
