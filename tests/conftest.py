"""Fixtures: the app, its test client and CLI runner, a real server, and real Chromium.

Every test runs on the tests' own data (tests/fixtures: a small contacts.yaml and letters), never
on what ships: every app, `campaign` command and server a test starts reads it, unless the test
names other files. Only tests/test_shipped.py reads the shipped contacts.yaml and letters/.

Tests that start Chromium, gunicorn or nginx, or need PostgreSQL, are marked by the fixtures
they use (browser, server, postgres): `make quick` leaves the first two out.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import support
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    TEST_DATA,
    BrowserErrors,
    Gunicorn,
    LiveServer,
    WatchedBrowser,
    needs,
)

from campaign import create_app
from campaign.counting.storage import Counter

# The fixtures that start each kind of real program, and the marker a test using one gets.
MARKED_BY = {"browser": {"browser", "chromium"},
             "server": {"gunicorn_server", "front", "fresh_front"},
             "postgres": {"postgres_url"}}


def pytest_configure(config: pytest.Config) -> None:
    """Point every app, command and server the tests start at the tests' own data."""
    os.environ["CAMPAIGN_CONTACTS"] = str(TEST_DATA / "contacts.yaml")
    os.environ["CAMPAIGN_LETTERS"] = str(TEST_DATA / "letters")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by the real programs its fixtures start (or the database_url it is
    given), so no test can be left unmarked by hand."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("database_url") == "postgresql":
            used.add("postgres_url")
        for marker, fixtures in MARKED_BY.items():
            if used & fixtures:
                item.add_marker(marker)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Tell support (tests/support) which test runs (before its fixtures start anything)."""
    support.running = item


@pytest.fixture(autouse=True)
def counts_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Every app a test makes counts into its own SQLite file, unless the test says otherwise;
    every database connection a test opened is closed after it."""
    url = f"sqlite:///{tmp_path / 'counts.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    yield url
    for counter in list(Counter.opened):
        counter.dispose()


@pytest.fixture
def app() -> Flask:
    """The app on the tests' own contacts.yaml and letters/ (tests/fixtures)."""
    return create_app({"TESTING": True, "SECRET_KEY": "test"})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner() -> CliRunner:
    """Runs the `campaign` command in-process."""
    return CliRunner()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the tests' own data: contacts.yaml, letters/ and the logos."""
    shutil.copytree(TEST_DATA, tmp_path, dirs_exist_ok=True)
    return tmp_path


@pytest.fixture
def gunicorn_server(tmp_path: Path) -> Callable[..., Gunicorn]:
    """Starts the app under gunicorn (support.Gunicorn) with the given environment: use it as
    `with gunicorn_server(DATABASE_URL=...) as server:`. Marks the test `server`."""
    return lambda **env: Gunicorn(tmp_path, **env)


@pytest.fixture
def live_server(app: Flask) -> Iterator[LiveServer]:
    with LiveServer(app) as server:
        yield server


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh database on a real PostgreSQL server (TEST_DATABASE_URL), dropped afterwards."""
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        needs("TEST_DATABASE_URL", ".ci/run starts PostgreSQL and sets it")
    import psycopg

    name = f"campaign_test_{uuid.uuid4().hex[:12]}"
    admin = server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = admin.rpartition("/")
    yield f"postgresql+psycopg://{base.split('://', 1)[1]}/{name}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, counts_database: str) -> str:
    """Each counting test runs on SQLite and on a real PostgreSQL server."""
    if request.param == "sqlite":
        return counts_database
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Real headless Chromium (Debian's), shared by the session; CI fails without it, a
    developer's machine skips. Tests take it as `browser`, which watches every page it opens;
    a fixture that keeps a page beyond one test watches it with its own `BrowserErrors`."""
    if not os.path.exists(CHROMIUM):
        needs(CHROMIUM, ".ci/run installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def browser(chromium: Any) -> Iterator[WatchedBrowser]:
    """Chromium for one test: every page it opens, and every frame in them, is watched, and
    the test fails on any uncaught page error or console error (`BrowserErrors.allow` names
    one a test expects). Its contexts are closed at the end, which delivers the last events."""
    errors = BrowserErrors()
    watched = WatchedBrowser(chromium, errors)
    yield watched
    watched.close()
    if errors.errors:
        pytest.fail("the browser reported errors:\n" + "\n".join(errors.errors), pytrace=False)
