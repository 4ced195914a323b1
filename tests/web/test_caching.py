"""What a worker keeps in memory stays within its bounds, however many different requests
arrive: the page cache by entries and bytes, the option lists by list, every other cache by
its size."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest
from flask import Flask

import campaign
from campaign import create_app
from campaign.data import pagecache
from campaign.i18n.languages import LANGUAGES
from campaign.web import context, letterform

# Caches without a bound: each is keyed by what the code or the data fixes (a language, a
# country of contacts.yaml, a font face), never by anything a request sends.
UNBOUNDED = {
    "campaign.data.contacts.iso_subdivisions": "a country of contacts.yaml",
    "campaign.i18n.names.country_names": "a language",
    "campaign.i18n.names.city_names": "a language",
    "campaign.i18n.names._regions": "a language",
    "campaign.i18n.names._collator": "a language",
    "campaign.i18n.names.continent_of": "a country of contacts.yaml",
    "campaign.media.charts._simplified_map": "nothing: one map",
    "campaign.media.charts._pygal": "nothing: pygal, once",
    "campaign.media.favicon.favicon": "nothing: one icon",
    "campaign.media.fonts.characters": "a font face shipped with the app",
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
