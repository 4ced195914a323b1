"""What a worker keeps in memory: shared pages answered from memory (caching.SharedPages),
the same bytes and headers as Flask gave, for a second at most, logged as any request is, and
never for what is not a shared page; and every cache within its bounds, however many
different requests arrive: the page cache by entries and bytes, the option lists by list,
every other cache by its size."""

from __future__ import annotations

import importlib
import logging
import pkgutil
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from support import app_on, with_organizers

import campaign
from campaign import create_app
from campaign.data import pagecache
from campaign.i18n.languages import LANGUAGES
from campaign.web import context, letterform
from campaign.web.caching import SharedPages

# Caches without a bound: each is keyed by what the code or the data fixes (a language, a
# country of contacts.yaml, a font face), never by anything a request sends.
UNBOUNDED = {
    "campaign.data.contacts.iso_subdivisions": "a country of contacts.yaml",
    "campaign.data.contacts.iso_subdivision_types": "a country of contacts.yaml",
    "campaign.i18n.names.country_names": "a language",
    "campaign.i18n.names.city_names": "a language",
    "campaign.i18n.names._regions": "a language",
    "campaign.i18n.names._collator": "a language",
    "campaign.i18n.names.continent_of": "a country of contacts.yaml",
    "campaign.media.charts._simplified_map": "nothing: one map",
    "campaign.media.charts._pygal": "nothing: pygal, once",
    "campaign.media.favicon.favicon": "nothing: one icon",
    "campaign.media.fonts.characters": "a font face shipped with the app",
    "campaign.web.security.security_headers": "the settings' framing origins, and https or not",
}


def app_with_cache(monkeypatch: pytest.MonkeyPatch, entries: int, size: int) -> Flask:
    """An app whose data's page cache has these bounds."""
    monkeypatch.setattr(pagecache, "MAX_ENTRIES", entries)
    monkeypatch.setattr(pagecache, "MAX_BYTES", size)
    return create_app({"TESTING": True, "SECRET_KEY": "test", "RELOAD_EVERY": 3600})


@pytest.mark.parametrize(("entries", "size"), [(12, 64 * 2**20), (1_000, 600 * 1024)],
                         ids=["entries", "bytes"])
def test_a_workers_page_cache_stops_growing_at_its_bound(
        monkeypatch: pytest.MonkeyPatch, entries: int, size: int) -> None:
    app = app_with_cache(monkeypatch, entries, size)
    client = app.test_client()
    with app.app_context():
        cache = context.data().rendered
    seen = []
    # a crawler's (or an attacker's) links: every one a share source never seen before
    for n in range(60):
        language = LANGUAGES[n % len(LANGUAGES)].code
        response = client.get(f"/{language}/?src=junk{n}&country=GB")
        assert response.status_code == 200
        seen.append((len(cache), cache.bytes))
    assert max(count for count, _bytes in seen) <= entries
    assert max(held for _count, held in seen) <= size
    full = [n for n, (count, held) in enumerate(seen)
            if count == entries or held > size - 2 * len(response.data)]
    assert full and full[0] < 40, "the test never filled the cache: it proves nothing"
    assert len(full) == len(seen) - full[0], "once full, it stays full, and no larger"


def test_posted_values_add_nothing_to_the_option_lists(app: Flask) -> None:
    client = app.test_client()
    client.post("/", data={"country": "GB", "name": "Ada"})  # a country's regions
    client.post("/", data={"country": "XX", "name": "Ada"})  # every country's: what else is
    kept = letterform._option_list.cache_info().currsize
    for n in range(30):
        response = client.post("/", data={"country": f"X{n}", "region": f"R{n}",
                                           "letter_language": f"l{n}", "name": "Ada"})
        assert response.status_code == 200
    assert letterform._option_list.cache_info().currsize == kept


def every_cache() -> dict[str, Any]:
    """Every functools cache in the package, by its dotted name."""
    found = {}
    for module in pkgutil.walk_packages(campaign.__path__, "campaign."):
        loaded = importlib.import_module(module.name)
        for name, value in vars(loaded).items():
            if hasattr(type(value), "cache_info") and value.__module__ == module.name:
                found[f"{module.name}.{name}"] = value
    return found


def test_every_cache_keyed_by_a_request_has_a_bound() -> None:
    caches = every_cache()
    assert len(caches) > len(UNBOUNDED)
    unbounded = {name for name, cache in caches.items() if cache.cache_info().maxsize is None}
    assert unbounded == set(UNBOUNDED), "a new unbounded cache: bound it, or list why not"


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
