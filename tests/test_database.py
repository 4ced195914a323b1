"""The counter's data layer, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import datetime as dt
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import inspect, select

from campaign.counts import ACTION, CONFIRMED, Action, Counter, counts, used_tokens

LATER = int(time.time()) + 3600


def action(**kw: str) -> Action:
    fields = {"letter": "l", "country": "GB", "region": "", "channel": "mailto", "src": ""}
    fields.update(kw)
    return Action(**fields)  # type: ignore[arg-type]


def test_tables_are_created_idempotently(database_url: str) -> None:
    first = Counter(database_url)
    first.record(action(), "n1", LATER)
    second = Counter(database_url)  # a second start-up, or a second worker
    second.create()
    assert set(inspect(second.engine).get_table_names()) >= {"action_counts", "used_tokens"}
    assert second.totals().letters == 1
    first.dispose()
    second.dispose()


def test_workers_starting_at_once_create_the_tables_once(database_url: str) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        counters = list(pool.map(lambda _: Counter(database_url), range(8)))
    assert counters[0].record(action(), "n1", LATER)
    for counter in counters:
        counter.dispose()


def test_a_token_counts_once_per_kind(database_url: str) -> None:
    counter = Counter(database_url, cache_seconds=0)
    assert counter.record(action(), "n1", LATER)
    assert not counter.record(action(channel="gmail"), "n1", LATER)
    assert counter.record(action(kind=CONFIRMED, channel=""), "n1", LATER)
    assert not counter.record(action(kind=CONFIRMED, channel=""), "n1", LATER)
    assert counter.totals() == counter.totals("l")
    totals = counter.totals()
    assert (totals.letters, totals.countries, totals.confirmed) == (1, 1, 1)
    counter.dispose()


def test_counts_are_keyed_only_by_letter_place_channel_source_and_day(database_url: str) -> None:
    counter = Counter(database_url, cache_seconds=0)
    for i, (country, region, channel, src) in enumerate([
        ("GB", "", "mailto", "x"), ("GB", "", "mailto", "x"), ("US", "NY", "gmail", ""),
        ("other", "", "copy", "qr"), ("", "", "yahoo", ""),
    ]):
        counter.record(action(country=country, region=region, channel=channel, src=src),
                       f"n{i}", LATER)
    with counter.engine.connect() as connection:
        columns = [c.name for c in counts.columns]
        rows = connection.execute(select(counts)).all()
    assert columns == ["letter", "country", "region", "channel", "src", "day", "kind", "count"]
    today = dt.datetime.now(dt.UTC).date()
    assert sorted(tuple(r) for r in rows) == sorted([
        ("l", "GB", "", "mailto", "x", today, ACTION, 2),
        ("l", "US", "NY", "gmail", "", today, ACTION, 1),
        ("l", "other", "", "copy", "qr", today, ACTION, 1),
        ("l", "", "", "yahoo", "", today, ACTION, 1),
    ])
    totals = counter.totals()
    assert (totals.letters, totals.countries) == (5, 2)  # 'other' and unknown are no country
    assert counter.table("country") == [("GB", 2, 0), ("", 1, 0), ("US", 1, 0), ("other", 1, 0)]
    assert counter.table("src", since=today) == [("", 2, 0), ("x", 2, 0), ("qr", 1, 0)]
    assert counter.table("day") == [(str(today), 5, 0)]
    assert counter.table("channel", since=today + dt.timedelta(days=1)) == []
    counter.dispose()


def test_expired_token_nonces_are_forgotten(database_url: str) -> None:
    counter = Counter(database_url)
    counter.record(action(), "old", 100)
    counter.record(action(), "new", LATER)
    assert counter.forget_expired(now=1000) == 1
    with counter.engine.connect() as connection:
        assert [r.nonce for r in connection.execute(select(used_tokens))] == ["new"]
    counter.dispose()


def test_counting_forgets_expired_nonces_by_itself(database_url: str) -> None:
    counter = Counter(database_url)
    counter.record(action(), "old", 100)  # the first count sweeps (nothing yet), then stores
    counter._next_sweep = 0  # an hour later
    counter.record(action(), "new", LATER)
    with counter.engine.connect() as connection:
        assert [r.nonce for r in connection.execute(select(used_tokens))] == ["new"]
    counter.dispose()


def test_totals_are_cached_for_a_few_seconds(database_url: str) -> None:
    counter = Counter(database_url, cache_seconds=60)
    assert counter.totals().letters == 0
    counter.record(action(), "n1", LATER)
    assert counter.totals().letters == 0  # a traffic spike reads the cache, not the database
    fresh = Counter(database_url, cache_seconds=0)
    assert fresh.totals().letters == 1
    counter.dispose()
    fresh.dispose()


def test_concurrent_increments_are_exact(database_url: str) -> None:
    counter = Counter(database_url, cache_seconds=0)
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda i: counter.record(action(), f"n{i % 300}", LATER),
                                range(400)))
    assert sum(results) == 300
    assert counter.totals().letters == 300
    counter.dispose()


def test_grouping_by_an_unknown_dimension_is_refused(counts_database: str) -> None:
    with pytest.raises(ValueError):
        Counter(counts_database).table("name")
