"""Merging and exporting the combined chronology: 20,000 entries from 15 agencies to XLSX and CSV.

    python bench/chronology_export.py [--entries 20000] [--agencies 15] [--runs 3] [--pg postgresql://...] [--teams]

Targets: <= 3 s and <= 300 MB peak memory. Timed, as `/dhr chronology` does it after the ack:
load the review's entries (decrypting the narrative columns), merge and sort them, check them against
the redaction list (5 terms), write the XLSX (openpyxl write-only) and the CSV. Every entry's text was
checked when entered; the export re-checks a row only against terms registered since (its mark), so
the usual case checks nothing and the worst case (every term newer than every entry) checks every row.
Printed: the median wall time of --runs, Python's peak allocation during one export (tracemalloc,
a separate run so tracing does not slow the timed ones), the process's peak RSS, and file sizes.

With --teams, the two files then go the way Teams delivers them (handlers/teams/platform/files_out.py),
against the fake Teams on loopback with its checks on: the file consent card through the bot's Bot Connector
client (the file waiting in memory), then, as if the coordinator chose Allow, the bytes PUT to the upload
session the fake opens (one request with its Content-Range) and the file info card posted. Slack's figure
is the export alone (its upload is one files.uploadV2 call, not timed here).
"""
import argparse
import json
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import update  # noqa: E402

from bot.workflow.core.kernel import Actor  # noqa: E402
from bot.workflow.evidence import chronology  # noqa: E402
from bot.workflow.evidence.chronology_rows import COLUMNS  # noqa: E402
from bot.workflow.panel.redaction import term_digests  # noqa: E402
from bot.workflow.panel.redaction_list import Redactions  # noqa: E402
from messages.core.exports import csv_bytes, xlsx_bytes  # noqa: E402
from storage import migrate  # noqa: E402
from storage.chronology import ChronologyEntry  # noqa: E402
from storage.crypto import configure_keys  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import Membership, Person, Review  # noqa: E402
from storage.panel import Agency, RedactionTerm  # noqa: E402

KEY = "oCcH0P-Xo05eVnx1tBJ2A6-s-YTPs6TmzlY_x12hKAg="
HMAC_KEY = b"bench-hmac-key-that-is-long-enough-0123456789"
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)
TEAM, COORD = "T0BENCH01", "U0COORD01"
SYLLABLES = "ba be bi bo da de di do ka ke ki ko la le li lo ma me mi mo na ne ni no ra re ri ro sa se si so".split()


def vocabulary(rng, size=4000) -> list[str]:
    return ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))) for _ in range(size)]


WORDS = vocabulary(random.Random(1))
WEIGHTS = [1 / (rank + 1) for rank in range(len(WORDS))]   # Zipf, like natural language


def text(rng, n) -> str:
    return " ".join(rng.choices(WORDS, WEIGHTS, k=n)).capitalize()


def seed(db: Database, entries: int, agencies: int) -> int:
    rng = random.Random(5)
    with db.session() as s:
        review = Review(tenant_id=TEAM, reference="DHR-2026-99", stage="evidence", notified_on=date(2026, 1, 5),
                        notifying_agency="Police", victim_pseudonym="Adult A", victim_age=40,
                        relationship="partner", created_by=COORD, created_at=NOW, updated_at=NOW)
        s.add(review)
        person = Person(tenant_id=TEAM, user_id=COORD, created_at=NOW)
        s.add(person)
        s.flush()
        s.add(Membership(review_id=review.id, person_id=person.id, role="coordinator", added_by=COORD, added_at=NOW))
        ids = []
        for i in range(agencies):
            a = Agency(tenant_id=TEAM, name=f"Agency {i:02d}", created_by=COORD, created_at=NOW)
            s.add(a)
            s.flush()
            ids.append(a.id)
        review_id = review.id
    batch = []
    for n in range(entries):
        precision = rng.choices(("day", "month", "year"), (90, 8, 2))[0]
        start = date(2019, 1, 1) + timedelta(days=rng.randrange(2500))
        start = start if precision == "day" else start.replace(day=1) if precision == "month" else start.replace(
            month=1, day=1)
        batch.append(ChronologyEntry(
            review_id=review_id, agency_id=rng.choice(ids), date_start=start, date_precision=precision,
            time=f"{rng.randrange(24):02d}:{rng.randrange(60):02d}" if rng.random() < .6 else None,
            narrative=json.dumps({"source": text(rng, 3), "subject": "Adult A",
                                  "event": ("=" if n % 500 == 0 else "") + text(rng, 30), "action": text(rng, 15),
                                  "comment": text(rng, 20) if rng.random() < .5 else None, "outside_reason": None}),
            created_by=COORD, created_at=NOW, updated_by=COORD, updated_at=NOW))
        if len(batch) == 2000:
            with db.session() as s:
                s.add_all(batch)
            batch = []
    if batch:
        with db.session() as s:
            s.add_all(batch)
    return review_id


def add_terms(db: Database, review_id: int) -> None:
    with db.session() as s:
        for entry, (term, kind) in enumerate((("Jane Doe", "name"), ("John Smith", "name"),
                                              ("12 Acacia Avenue", "address"), ("Mary Roe", "name"),
                                              ("12/03/1984", "date_of_birth")), start=1):
            for count, digest in term_digests(term, kind, HMAC_KEY):
                s.add(RedactionTerm(review_id=review_id, token_count=count, digest=digest, kind=kind, entry=entry,
                                    added_by=COORD, added_at=NOW))


def export(db: Database, review_id: int, redactions, parts: dict) -> tuple[int, int, int]:
    def first_redacted(rows, marks):
        t = time.perf_counter()
        hit = redactions.first_hit_row(rows, marks)
        parts.setdefault("redaction check", []).append(time.perf_counter() - t)
        return hit
    t = time.perf_counter()
    with db.session() as s:
        review = s.get(Review, review_id)
        rows = chronology.export_rows(s, review, Actor(TEAM, COORD), NOW, first_redacted)
        s.rollback()   # keep the audit table from growing between runs
    parts.setdefault("load, decrypt, merge", []).append(time.perf_counter() - t - parts["redaction check"][-1])
    t = time.perf_counter()
    xlsx = xlsx_bytes(COLUMNS, rows, "Chronology")
    parts.setdefault("XLSX", []).append(time.perf_counter() - t)
    t = time.perf_counter()
    csv = csv_bytes(COLUMNS, rows)
    parts.setdefault("CSV", []).append(time.perf_counter() - t)
    return len(rows), len(xlsx), len(csv)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--agencies", type=int, default=15)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pg", help="a PostgreSQL URL of an empty database to use instead of SQLite")
    parser.add_argument("--teams", action="store_true", help="also deliver the files the Teams way (consent card, "
                                                             "upload session, file info card) to the fake Teams")
    args = parser.parse_args()
    configure_keys([KEY])
    tmp = tempfile.mkdtemp()
    url = args.pg.replace("postgresql://", "postgresql+psycopg://", 1) if args.pg else f"sqlite:///{tmp}/bench.db"
    try:
        migrate.upgrade(url)
        db = Database(url)
        t0 = time.perf_counter()
        review_id = seed(db, args.entries, args.agencies)
        print(f"seeded {args.entries:,} entries from {args.agencies} agencies in {time.perf_counter() - t0:.1f} s "
              f"({db.engine.dialect.name})")
        redactions = Redactions(db, HMAC_KEY)
        add_terms(db, review_id)
        cases = (("every entry already checked against the current redaction list (the usual case)", 10**9),
                 ("5 redaction terms registered after every entry (worst case: every row re-checked)", 0))
        for label, mark in cases:
            with db.session() as s:
                s.execute(update(ChronologyEntry).values(redaction_mark=mark))
            times, parts = [], {}
            for _ in range(args.runs):
                t = time.perf_counter()
                n, xlsx, csv = export(db, review_id, redactions, parts)
                times.append(time.perf_counter() - t)
            breakdown = ", ".join(f"{k} {statistics.median(v):.2f} s" for k, v in parts.items())
            print(f"export of {n:,} entries, {label}: median {statistics.median(times):.2f} s over {args.runs} runs "
                  f"(min {min(times):.2f}, max {max(times):.2f}); {breakdown}; target <= 3 s")
        tracemalloc.start()
        export(db, review_id, redactions, {})
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak Python allocation during one export {peak / 1024 / 1024:.0f} MB; process peak RSS {rss:.0f} MB; "
              f"target <= 300 MB")
        print(f"files: XLSX {xlsx / 1024 / 1024:.1f} MB, CSV {csv / 1024 / 1024:.1f} MB")
        if args.teams:
            teams_delivery(db, review_id, redactions, args.runs)
        db.engine.dispose()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def teams_delivery(db: Database, review_id: int, redactions, runs: int) -> None:
    """The export, then each file offered by consent card and, once allowed, uploaded and shown (see above)."""
    import httpx

    from bench.teams_common import start_fake
    from bot.config import TeamsSettings
    from bot.workflow.core.refs import PersonRef
    from handlers.teams.platform import files_out
    from handlers.teams.platform.auth import CONNECTOR_SCOPE, Tokens
    from handlers.teams.platform.connector import Connector
    from handlers.teams.platform.directory import Directory
    from handlers.teams.platform.http import Service
    from handlers.teams.platform.port import TeamsPort

    with db.session() as s:       # the usual case: every entry already checked against the current list
        s.execute(update(ChronologyEntry).values(redaction_mark=10**9))
    fake = start_fake(rate_limits=True)
    try:
        user = fake.add_user("Coordinator Cole")
        with fake.tenant.lock:
            chat = fake.tenant.personal_chat(user)
            fake.tenant.install_in(chat)
        settings = TeamsSettings(client_id=fake.bot_id, client_secret=fake.client_secret, tenant_id=fake.tenant_id,
                                 app_catalog_id=fake.app_catalog_id, admins=(), login_url=fake.login_url,
                                 openid_metadata_url=fake.openid_metadata_url, graph_api_url=fake.graph_url + "/")
        http = httpx.Client(timeout=httpx.Timeout(60.0, connect=5.0))
        connector = Connector(Service(http, Tokens(settings, http), CONNECTOR_SCOPE), settings.client_id)
        directory = Directory(db, fake.tenant_id)
        directory.remember_person(user.aad_id, conversation_id=chat.id, service_url=fake.service_url)
        pending = files_out.PendingFiles()
        port = TeamsPort(connector, None, directory, fake.service_url, pending=pending)  # type: ignore[arg-type]
        space = port.open_dm(PersonRef(user.aad_id))
        totals, parts = [], {}
        for _ in range(runs):
            t = time.perf_counter()
            _, xlsx, csv = export_bytes(db, review_id, redactions, parts)
            for name, content in (("chronology.xlsx", xlsx), ("chronology.csv", csv)):
                t1 = time.perf_counter()
                port.upload(space, name, content, "Combined chronology")
                card = fake.bot_messages_in(chat.id)[-1].attachments_of(files_out.CONSENT)[0]
                t2 = time.perf_counter()
                with fake.tenant.lock:
                    session = fake.tenant.drive.open_session(user, name)
                info = session.upload_info(f"{fake.tenant.root_url}/upload/{session.token}")
                waiting = pending.take(card["content"]["acceptContext"]["dhr_file"], user.aad_id)
                assert waiting is not None
                files_out.put_bytes(http, info["uploadUrl"], waiting.content)
                t3 = time.perf_counter()
                connector.send(fake.service_url, chat.id, files_out.file_info_activity(info))
                t4 = time.perf_counter()
                for key, took in (("consent card", t2 - t1), ("PUT to the upload session", t3 - t2),
                                  ("file info card", t4 - t3)):
                    parts.setdefault(f"{key} ({name.rsplit('.', 1)[-1].upper()})", []).append(took)
            totals.append(time.perf_counter() - t)
        assert not fake.internal_errors and len(fake.drive_files) == 2 * runs
        breakdown = ", ".join(f"{k} {statistics.median(v) * 1000:.0f} ms" for k, v in parts.items()
                              if "card" in k or "PUT" in k)
        print(f"Teams: export and both files delivered (consent card, upload, file info card): median "
              f"{statistics.median(totals):.2f} s over {runs} runs (min {min(totals):.2f}, max {max(totals):.2f}); "
              f"{breakdown}")
        http.close()
    finally:
        fake.stop()


def export_bytes(db: Database, review_id: int, redactions, parts: dict) -> tuple[int, bytes, bytes]:
    with db.session() as s:
        rows = chronology.export_rows(s, s.get(Review, review_id), Actor(TEAM, COORD), NOW, redactions.first_hit_row)
        s.rollback()
    t = time.perf_counter()
    xlsx = xlsx_bytes(COLUMNS, rows, "Chronology")
    csv = csv_bytes(COLUMNS, rows)
    parts.setdefault("files", []).append(time.perf_counter() - t)
    return len(rows), xlsx, csv


if __name__ == "__main__":
    main()
