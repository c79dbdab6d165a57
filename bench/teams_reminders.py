"""Teams: 1,000 reminders due at the same minute for 1,000 different people, each reached in their own
1:1 chat with the bot, against the fake Teams with its rate limits on (Teams' own windows, unscaled).

    python bench/teams_reminders.py [--people 1000] [--database-url postgresql://...] [--no-limits]

Each person has the app installed (their 1:1 chat is known to the bot, as after they installed it)
and coordinates one review whose decision is due today: one "on the day" reminder each, so one
message each. The sweep is the one `python -m bot sweep --now` runs (scheduler.build_sweep with the
Teams port), run here in-process so that its own time is measured, not the process start-up.
Counted: messages per person (lost = expected - delivered; twice = the same person more than once),
429s from the fake, and the total time of the sweep against the minimum the fake's windows allow
(reference §2.9: per conversation 7/1 s, 8/2 s, 60/30 s, 1800/h, and 50 a second per app per tenant
over all conversations). A reminder left for a later tick (after three 429s) is counted as not
delivered by this sweep, and the sweep is then run again a few times to show where it ends up.
With --database-url (a PostgreSQL server), a fresh database is created there and dropped afterwards.
--no-limits turns the fake's windows off: how fast the sweep goes on its own, for comparison.

Target: total within 1.2x of the minimum, nothing lost, nothing twice.
"""
import argparse
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.teams_common import FakeTime, database, start_fake  # noqa: E402
from bot import runtime, scheduler  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.teamsfake import FakeTeams, User  # noqa: E402
from bot.teamsfake.ratelimit import GLOBAL_WINDOWS, WINDOWS, Window  # noqa: E402
from storage import migrate  # noqa: E402
from storage.addresses import ChatAddress  # noqa: E402
from storage.crypto import configure_keys  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import Membership, Person, Review  # noqa: E402
from tests.e2e.server import FIELD_KEY  # noqa: E402
from tests.e2e.teams_server import teams_env  # noqa: E402

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 10, 9, 30, tzinfo=LONDON)     # a Tuesday, in reminder hours
NOTIFIED = date(2026, 10, 10)                           # the decision is due on NOW's day


def people_with_the_app(fake: FakeTeams, n: int) -> list[tuple[User, str]]:
    """n people, each with the app installed in their 1:1 chat: (person, that chat's id)."""
    out = []
    with fake.tenant.lock:
        for i in range(n):
            user = fake.add_user(f"Person {i:05d}")
            chat = fake.tenant.personal_chat(user)
            fake.tenant.install_in(chat)
            out.append((user, chat.id))
    return out


def seed(url: str, fake: FakeTeams, people: list[tuple[User, str]]) -> None:
    """One review per person, who coordinates it; the bot knows each person's 1:1 chat."""
    migrate.upgrade(url)
    db = Database(url)
    made = NOW.astimezone(timezone.utc) - timedelta(hours=1)
    tenant = fake.tenant_id
    with db.engine.begin() as conn:
        conn.execute(Person.__table__.insert(), [dict(id=i + 1, platform="teams", tenant_id=tenant,
                                                      user_id=u.aad_id.lower(), created_at=made)
                                                 for i, (u, _) in enumerate(people)])
        conn.execute(Review.__table__.insert(), [dict(
            id=i + 1, platform="teams", tenant_id=tenant, reference=f"DHR-T{i:05d}", stage="notified",
            preset="2016", notified_on=NOTIFIED, notifying_agency="Police", victim_pseudonym="Adult A",
            victim_age=40, relationship="relative", suspected_suicide=False, setup_state="complete",
            space_id=f"19:bench{i:05d}@thread.v2", card_pinned=False, coordinator_dm_sent=True,
            created_by=u.aad_id.lower(), created_at=made, updated_at=made) for i, (u, _) in enumerate(people)])
        conn.execute(Membership.__table__.insert(), [dict(review_id=i + 1, person_id=i + 1, role="coordinator",
                                                          status="active", added_by="bench", added_at=made)
                                                     for i in range(len(people))])
        conn.execute(ChatAddress.__table__.insert(), [dict(
            platform="teams", tenant_id=tenant, kind="person", key=u.aad_id.lower(), conversation_id=chat_id,
            service_url=fake.service_url, platform_user_id=u.id, display_name=u.name, updated_at=made)
            for u, chat_id in people])
    db.engine.dispose()


def finish(n: int, windows: list[Window]) -> float:
    """When the n-th of n operations can go at the earliest under sliding `windows`, the first at 0."""
    times: list[float] = []
    for _ in range(n):
        t = times[-1] if times else 0.0
        for span, limit in windows:
            recent = [x for x in times if x > t - span]
            if len(recent) >= limit:
                t = max(t, recent[-limit] + span)
        times.append(t)
    return times[-1] if times else 0.0


def minimum_seconds(people: int, per_person: int = 1) -> float:
    """The global 50 a second over every send, or one conversation's own windows, whichever is longer."""
    return max(finish(people * per_person, GLOBAL_WINDOWS), finish(per_person, WINDOWS["send"]))


def waits(teams) -> list[float]:
    """The seconds the bot's Bot Connector client sleeps before retrying (after a 429, Retry-After)."""
    service = teams.connector._service
    slept: list[float] = []
    sleep = service._sleep

    def counted(seconds: float) -> None:
        slept.append(seconds)
        sleep(seconds)
    service._sleep = counted
    return slept


def delivered(fake: FakeTeams, people: list[tuple[User, str]]) -> list[int]:
    return [len(fake.bot_messages_in(chat_id)) for _, chat_id in people]


def run(server_url: str | None, n: int, limits: bool) -> None:
    url, label, drop = database(server_url)
    fake = start_fake(rate_limits=limits)
    try:
        admin = fake.add_user("Admin Ada")
        people = people_with_the_app(fake, n)
        seed(url, fake, people)
        settings = load_settings(teams_env(fake, [admin], url), dotenv_path=None)
        svc = runtime.services(settings)
        teams, _ = runtime.teams_of(svc, settings)
        sweep = scheduler.build_sweep(settings, svc.db, svc.calendar, None, redactions=svc.redactions, teams=teams)
        inside, slept = FakeTime(fake), waits(teams)
        started = time.perf_counter()
        report = sweep.run(NOW)
        total = time.perf_counter() - started
        show(label, n, limits, total, delivered(fake, people), sum(1 for c in fake.calls if c.status == 429))
        print(f"   ({report.summary()})")
        print(f"   of which the fake answering: {inside.seconds:.1f} s over {inside.calls} calls "
              f"({inside.seconds / max(1, inside.calls) * 1000:.1f} ms a call); the bot waiting out "
              f"Retry-After: {sum(slept):.1f} s ({len(slept)} waits)")
        later_ticks(sweep, fake, people)
        svc.db.engine.dispose()
    finally:
        fake.stop()
        drop()


def show(label: str, n: int, limits: bool, total: float, counts: list[int], throttled: int) -> None:
    minimum = minimum_seconds(n)
    against = f"against a minimum of {minimum:.1f} s (ratio {total / minimum:.2f})" if limits else \
        f"(no limits, so no minimum; theirs would be {minimum:.1f} s)"
    print(f"\n== {label}: {n} people, one reminder each, fake's rate limits "
          f"{'on (unscaled)' if limits else 'OFF (the bot alone)'}")
    print(f"   one sweep: {total:.1f} s {against}; delivered {sum(1 for c in counts if c)}, lost {counts.count(0)}, "
          f"twice {sum(c > 1 for c in counts)}; 429s {throttled}")


def later_ticks(sweep, fake: FakeTeams, people) -> None:
    """The minute ticks after: where the reminders left for later end up."""
    for k in range(1, 7):
        if all(delivered(fake, people)):
            return
        report = sweep.run(NOW + timedelta(minutes=10 * k))
        counts = delivered(fake, people)
        print(f"   tick +{10 * k} min: delivered {sum(1 for c in counts if c)}, lost {counts.count(0)}, "
              f"twice {sum(c > 1 for c in counts)} ({report.summary()})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--database-url", help="a PostgreSQL server: a fresh database is made there")
    parser.add_argument("--no-limits", action="store_true",
                        help="the fake's rate limits off: how fast the sweep goes on its own")
    args = parser.parse_args()
    configure_keys([FIELD_KEY])
    run(args.database_url, args.people, not args.no_limits)


if __name__ == "__main__":
    main()
