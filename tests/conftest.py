"""Shared fixtures: database backends (SQLite always, PostgreSQL when TEST_DATABASE_URL is set)."""
import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_SKIP = ("PostgreSQL tests skipped: set TEST_DATABASE_URL=postgresql://user@host:5432/db "
           "(the CI script does) to run them on PostgreSQL as well as SQLite.")


def pytest_addoption(parser):
    parser.addoption("--platform", default="slack",
                     help="the chat platform the end-to-end journeys drive (tests/e2e/driver): slack or teams")


def pytest_configure(config):
    os.environ.pop("SLACK_APP_TOKEN", None)  # never let a developer's Socket Mode token leak into tests
    config.addinivalue_line("markers", "slack_only(why=None): an end-to-end test about Slack's own wire (or `why`), "
                                       "run on Slack only")


def pytest_collection_modifyitems(config, items):
    platform = config.getoption("--platform")
    if platform != "slack":
        for item in items:
            mark = item.get_closest_marker("slack_only")
            if mark:
                why = mark.args[0] if mark.args else "about Slack's own wire"
                item.add_marker(pytest.mark.skip(reason=f"{why}; the journeys run on {platform}"))


@pytest.fixture(scope="session")
def pg_admin_url():
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip(PG_SKIP)
    return url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url


def _fresh_pg_database(admin_url: str):
    """A database of its own per use, so module-scoped servers never see each other's rows."""
    name = f"dhr_t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


@pytest.fixture(params=["sqlite", "postgresql"], scope="module")
def database_url(request, tmp_path_factory):
    """A fresh, empty database URL on each backend."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "dhr.sqlite3"
        yield f"sqlite:///{path}"
        return
    admin = request.getfixturevalue("pg_admin_url")
    url, drop = _fresh_pg_database(admin)
    yield url
    drop()
