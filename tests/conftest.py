"""Fixtures: the app, its test client and CLI runner, a real server, and real Chromium."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from werkzeug.serving import make_server

from campaign import ROOT, create_app

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(autouse=True)
def counts_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every app a test makes counts into its own SQLite file, unless the test says otherwise."""
    url = f"sqlite:///{tmp_path / 'counts.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


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


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Real headless Chromium (Debian's); CI fails without it, a developer's machine skips."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield chromium
        chromium.close()
