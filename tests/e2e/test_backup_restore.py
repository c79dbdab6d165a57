"""Backups (docs/operations.md): a PostgreSQL database filled by real journeys, dumped with pg_dump and
restored with pg_restore into a new database, serves every review from the real server with the same
keys; with another key the server refuses to start, saying which setting is wrong.

Slack only for now: it starts servers against the fake Slack around pg_dump and pg_restore."""
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from bot.slackfake import SlackPlatform
from storage.crypto import configure_keys, generate_key
from storage.db import Database
from tests.conftest import PG_SKIP, _fresh_pg_database
from tests.content_scan import readable
from tests.e2e.journey import block_text, wait
from tests.e2e.lifecycle_steps import conclude_with_content, prepare, review_with_content
from tests.e2e.report_steps import modal
from tests.e2e.server import COORDINATOR, FIELD_KEY, SECRET, TEAM, Bot, start_bot, start_fake

pytestmark = [pytest.mark.e2e, pytest.mark.slack_only]
TOOLS = ("pg_dump", "pg_restore")


def libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@pytest.fixture(scope="module")
def admin_url():
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip(PG_SKIP)
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"backup/restore test skipped: {', '.join(missing)} not installed "
                    "(apt-get install postgresql-client)")
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def running_bot(fake, url: str, log_path: Path, extra_env=None) -> Bot:
    proc, bot_url = start_bot(fake, url, log_path, extra_env)
    slack = SlackPlatform(fake, bot_url=f"{bot_url}/slack/events", signing_secret=SECRET, team_id=TEAM)
    return Bot(bot_url, fake, slack, Database(url), log_path, proc)


def stop(bot: Bot) -> None:
    bot.process.terminate()
    bot.process.wait(timeout=10)
    bot.db.engine.dispose()


@pytest.fixture(scope="module")
def databases(admin_url, tmp_path_factory):
    configure_keys([FIELD_KEY])
    made = [_fresh_pg_database(admin_url) for _ in range(2)]
    fake = start_fake()
    yield fake, made[0][0], made[1][0], tmp_path_factory.mktemp("backup")
    fake.stop()
    for _, drop in made:
        drop()


def everything_decrypted(engine) -> dict[str, list]:
    """Every row of every table, encrypted values decrypted with the configured keys."""
    out = {}
    with engine.connect() as conn:
        for table in sorted(inspect(engine).get_table_names()):
            rows = conn.execute(text(f'SELECT * FROM "{table}"')).all()
            out[table] = sorted(repr([readable(v)[-1] if v is not None else None for v in row]) for row in rows)
    return out


def status_text(bot, channel, reference) -> str:
    before = len(bot.fake.responses())
    bot.slack.command(COORDINATOR, channel, text=f"status {reference}")
    wait(lambda: len(bot.fake.responses()) > before, what="the status reply")
    reply = bot.fake.responses()[-1].params
    return str(reply.get("text")) + block_text(reply.get("blocks") or [])


def test_a_restored_dump_serves_every_review_with_the_same_keys_and_refuses_another_key(databases):
    fake, source_url, restored_url, folder = databases
    source = running_bot(fake, source_url, folder / "source.log")
    general = fake.add_channel("general-backup", members=[COORDINATOR]).id
    prepare(source, general)
    concluded, concluded_channel = review_with_content(source, general, tag="1")
    conclude_with_content(source, concluded, concluded_channel)
    live, live_channel = review_with_content(source, general, tag="2")
    before = everything_decrypted(source.db.engine)
    stop(source)

    dump = folder / "dhr.dump"
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", libpq(source_url)], check=True,
                   timeout=120)
    subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={libpq(restored_url)}", str(dump)],
                   check=True, timeout=120)

    restored = running_bot(fake, restored_url, folder / "restored.log")
    try:
        for reference, tag in ((concluded, "1"), (live, "2")):
            shown = status_text(restored, general, reference)
            assert reference in shown and f"Zephyrine{tag}" in shown, shown
        terms = modal(restored, COORDINATOR, lambda: restored.slack.command(COORDINATOR, live_channel, text="tor"))
        assert "marrowfat housing moves2" in json.dumps(terms.blocks)      # decrypted by the restored server
        assert everything_decrypted(restored.db.engine) == before       # every row, every value
    finally:
        stop(restored)

    with pytest.raises(RuntimeError) as exited:
        running_bot(fake, restored_url, folder / "wrong-key.log", {"DHR_FIELD_KEYS": generate_key()})
    log = (folder / "wrong-key.log").read_text()
    assert "DHR_FIELD_KEYS cannot decrypt the data already in this database" in str(exited.value)
    assert "Traceback" not in log and "marrowfat" not in log

