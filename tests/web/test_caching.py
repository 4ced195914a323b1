"""Shared pages answered from memory (caching.SharedPages): the same bytes and headers as Flask
gave, for a second at most, logged as any request is, and never for what is not a shared
page."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from support import app_on, with_organizers

from campaign import create_app
from campaign.web.caching import SharedPages


@pytest.fixture
def app() -> Flask:
    """The app, its totals kept as in production (5 seconds), so pages may be kept a second."""
    made = create_app({"TESTING": True, "SECRET_KEY": "test"})
    made.extensions["campaign_counter"].cache_seconds = 5
    return made


def shared(app: Flask) -> SharedPages:
    found = app.wsgi_app
    while not isinstance(found, SharedPages):
        found = found.app  # type: ignore[attr-defined]
    return found


def flask_asked(app: Flask, client: FlaskClient, path: str, **kw: Any) -> tuple[Any, int]:
    """A response, and how many times Flask itself was asked for it."""
    asked = []
    app.before_request_funcs.setdefault(None, []).insert(0, lambda: asked.append(1))
    try:
        response = client.get(path, **kw)
    finally:
        app.before_request_funcs[None].pop(0)
    return response, len(asked)


@pytest.mark.parametrize("path", ["/", "/ko/?country=KR", "/embed/stop-forced-repatriation"])
def test_a_shared_page_is_answered_from_memory_as_flask_answered_it(
        app: Flask, client: FlaskClient, path: str, caplog: pytest.LogCaptureFixture) -> None:
    first, asked = flask_asked(app, client, path)
    assert asked == 1
    caplog.set_level(logging.INFO, logger="campaign.requests")
    caplog.clear()
    again, asked = flask_asked(app, client, path)
    assert asked == 0  # from memory
    assert again.data == first.data and again.status == first.status
    assert list(again.headers) == list(first.headers)
    assert [r.getMessage().split(" ")[:3] for r in caplog.records] == [
        ["GET", path.split("?")[0], "200"]]  # logged as Flask logs any request, once


@pytest.mark.parametrize(("first", "then"), [
    ({}, {"headers": {"Accept-Language": "ko"}}),  # another language
    ({}, {"query_string": "country=KR"}),  # another page
    ({}, {"headers": {"If-None-Match": '"x"'}}),  # a conditional request
    ({}, {"headers": {"Host": "other.example"}}),  # another host
])
def test_anything_else_goes_to_flask(app: Flask, client: FlaskClient, first: dict[str, Any],
                                     then: dict[str, Any]) -> None:
    flask_asked(app, client, "/", **first)
    _response, asked = flask_asked(app, client, "/", **then)
    assert asked == 1


def test_a_page_that_is_not_shared_is_never_kept(app: Flask, client: FlaskClient) -> None:
    for path in ("/privacy", "/healthz", "/stats.json", "/no-such-page/"):
        flask_asked(app, client, path)
        assert flask_asked(app, client, path)[1] == 1, path
    assert shared(app).kept == {}


def test_a_page_is_kept_no_longer_than_the_totals_on_it(app: Flask, client: FlaskClient) -> None:
    """Where totals are kept for no time at all (as the counting tests ask), nothing is."""
    app.extensions["campaign_counter"].cache_seconds = 0
    flask_asked(app, client, "/")
    assert flask_asked(app, client, "/")[1] == 1


def test_a_forged_host_is_refused_and_never_kept(data_copy: Path) -> None:
    with_organizers(data_copy)  # production's rules: its pages name the organizers
    app = app_on(data_copy, TESTING=False, PUBLIC_URL="https://letters.example.org")
    client = app.test_client()
    for _ in range(2):
        assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert shared(app).kept == {}
    assert client.get("/", base_url="https://letters.example.org").status_code == 200
    assert len(shared(app).kept) == 1
