"""Fixtures: the app, its test client and CLI runner, a real server, and real Chromium."""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from werkzeug.serving import make_server

from campaign import ROOT, create_app
from campaign.counts import Counter

CHROMIUM = "/usr/bin/chromium"


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
    """The app on the shipped contacts.yaml and letters/."""
    return create_app({"TESTING": True, "SECRET_KEY": "test"})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped contacts.yaml and letters/."""
    shutil.copy(ROOT / "contacts.yaml", tmp_path / "contacts.yaml")
    shutil.copytree(ROOT / "letters", tmp_path / "letters")
    return tmp_path


def page(response: Any) -> BeautifulSoup:
    """Parse a response's HTML."""
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def form_values(soup: BeautifulSoup) -> dict[str, Any]:
    """The values a browser would submit from the letter form as it stands."""
    form = soup.find("form", id="letter-form")
    values: dict[str, Any] = {}
    for node in form.find_all(["input", "textarea", "select"]):
        name = node.get("name")
        if not name:
            continue
        if node.name == "textarea":
            # HTML drops a newline right after <textarea>, as a browser does
            text = node.string or ""
            values[name] = text[2:] if text.startswith("\r\n") else text.removeprefix("\n")
        elif node.name == "select":
            chosen = node.find("option", selected=True)
            values[name] = chosen["value"] if chosen else ""
        elif node.get("type") == "checkbox":
            if node.has_attr("checked"):
                values.setdefault(name, []).append(node["value"])
        elif node.get("type") != "submit":
            values[name] = node.get("value", "")
    return values


def post_letter(client: FlaskClient, path: str = "/", query: str = "", **fields: Any) -> Any:
    """Open the page as a supporter would, fill the given fields and post the form."""
    values = form_values(page(client.get(path + query)))
    values.update(fields)
    return client.post(path, data=values)


def valid(**overrides: Any) -> dict[str, Any]:
    """A supporter's valid answers, with some changed."""
    fields = {"country": "GB", "region": "", "name": "Ada Lovelace", "city": "London"}
    fields.update(overrides)
    return fields


class LiveServer:
    """The app served over real HTTP on a free port, in a thread."""

    def __init__(self, app: Flask) -> None:
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.thread.join()


@pytest.fixture
def live_server(app: Flask) -> Iterator[LiveServer]:
    with LiveServer(app) as server:
        yield server


def _needs(what: str, reason: str) -> None:
    """Fail in CI, skip on a developer's machine, when a real service is missing."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing: {reason}")
    pytest.skip(f"{what} is not available: {reason}")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh database on a real PostgreSQL server (TEST_DATABASE_URL), dropped afterwards."""
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        _needs("TEST_DATABASE_URL", ".ci/run starts PostgreSQL and sets it")
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
def browser() -> Iterator[Any]:
    """Real headless Chromium (Debian's); CI fails without it, a developer's machine skips."""
    if not os.path.exists(CHROMIUM):
        _needs(CHROMIUM, ".ci/run installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield chromium
        chromium.close()
