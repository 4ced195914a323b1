"""The counter's data layer, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import datetime as dt
import logging
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import inspect, select
from support import TEST_DATA

from campaign.compose.sendlinks import COUNTED_CHANNELS
from campaign.counting.ratelimit import CLIENT_KEY_LENGTH, client_key, window
from campaign.counting.storage import (
    ACTION,
    CONFIRMED,
    COUNTED,
    LIMITED,
    REUSED,
    Action,
    Counter,
    Totals,
    counts,
    narrower_columns,
    rate_windows,
    used_tokens,
)
from campaign.counting.tokens import NONCE_LENGTH
from campaign.data.contacts import OTHER, REGION_KEY_MAX
from campaign.data.contactsfile import load_contacts
from campaign.data.letters import SLUG_MAX
from campaign.data.sources import SOURCE_MAX

LATER = int(time.time()) + 3600


def action(**kw: str) -> Action:
    fields = {"letter": "l", "country": "GB", "region": "", "channel": "mailto", "src": ""}
    fields.update(kw)
    return Action(**fields)  # type: ignore[arg-type]


def record(counter: Counter, what: Action, nonce: str, expires: int = LATER,
           client: str = "c" * 32, limit: int = 10**6) -> bool:
    """Count an action for one client under a generous limit; True if it was counted."""
    return counter.record(what, nonce, expires, client, limit) == COUNTED


def test_tables_are_created_idempotently(database_url: str) -> None:
    first = Counter(database_url)
    record(first, action(), "n1", LATER)
    second = Counter(database_url)  # a second start-up, or a second worker
    second.create()
    assert set(inspect(second.engine).get_table_names()) >= {
        "action_counts", "used_tokens", "rate_windows"}
    assert second.totals().letters == 1
    first.dispose()
    second.dispose()


def test_workers_starting_at_once_create_the_tables_once(database_url: str) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        counters = list(pool.map(lambda _: Counter(database_url), range(8)))
    assert record(counters[0], action(), "n1")
    for counter in counters:
        counter.dispose()


def test_a_token_counts_once_per_kind(database_url: str) -> None:
    counter = Counter(database_url, cache_seconds=0)
    assert record(counter, action(), "n1", LATER)
    assert not record(counter, action(channel="gmail"), "n1", LATER)
    assert record(counter, action(kind=CONFIRMED, channel=""), "n1", LATER)
    assert not record(counter, action(kind=CONFIRMED, channel=""), "n1", LATER)
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
        record(counter, action(country=country, region=region, channel=channel, src=src),
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


def stored_places(counter: Counter) -> dict[tuple[str, str], int]:
    """Every (country, region) the counts hold, with its count."""
    with counter.engine.connect() as connection:
        return {(row.country, row.region): row.count
                for row in connection.execute(select(counts))}


def test_every_place_the_data_routes_to_is_counted(database_url: str) -> None:
    """The finding: on PostgreSQL a region was at most 8 characters, so a send from a place
    chosen by its consulate's city (th-khon-kaen) was refused, and its count lost."""
    places = [(country, region) for _key, country, region
              in load_contacts(TEST_DATA / "contacts.yaml").places()]
    assert ("TH", "th-khon-kaen") in places and ("US", "CA") in places
    counter = Counter(database_url)
    for number, (country, region) in enumerate(places):
        assert record(counter, action(country=country, region=region), f"n{number}"), region
    assert stored_places(counter) == dict.fromkeys(places, 1)
    counter.dispose()


def test_the_longest_values_the_data_allows_are_counted(database_url: str) -> None:
    """Each key column takes the longest value its owner accepts: a slug (letters.py), a
    place (contacts.py: a consulate's id), a channel and a source (links.py), a token's nonce
    (tokens.py) and a client's keyed hash (ratelimit.py)."""
    longest = action(letter="l" * SLUG_MAX, country=OTHER, region="r" * REGION_KEY_MAX,
                     channel=max(COUNTED_CHANNELS, key=len), src="s" * SOURCE_MAX)
    counter = Counter(database_url)
    nonce, client = "n" * NONCE_LENGTH, "c" * CLIENT_KEY_LENGTH  # tokens.py's, ratelimit.py's
    assert record(counter, longest, nonce, client=client)
    assert record(counter, Action(**{**longest.__dict__, "kind": CONFIRMED}), nonce,
                  client=client)
    with counter.engine.connect() as connection:
        rows = {tuple(row)[:5] + (row.kind, row.count) for row in connection.execute(
            select(counts))}
    values = (longest.letter, longest.country, longest.region, longest.channel, longest.src)
    assert rows == {values + (ACTION, 1), values + (CONFIRMED, 1)}
    counter.dispose()


# The tables as the version before widths came from the data made them (region: 8).
EARLIER_SCHEMA = """
CREATE TABLE action_counts (
    letter VARCHAR(64) NOT NULL, country VARCHAR(8) NOT NULL, region VARCHAR(8) NOT NULL,
    channel VARCHAR(16) NOT NULL, src VARCHAR(16) NOT NULL, day DATE NOT NULL,
    kind VARCHAR(16) NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (letter, country, region, channel, src, day, kind));
CREATE TABLE used_tokens (
    nonce VARCHAR(32) NOT NULL, kind VARCHAR(16) NOT NULL, expires INTEGER NOT NULL,
    PRIMARY KEY (nonce, kind));
CREATE INDEX ix_used_tokens_expires ON used_tokens (expires);
CREATE TABLE rate_windows (
    client VARCHAR(32) NOT NULL, "window" INTEGER NOT NULL, hits INTEGER NOT NULL,
    PRIMARY KEY (client, "window"));
INSERT INTO action_counts VALUES
    ('stop-forced-repatriation', 'US', 'NY', 'mailto', 'x', '2026-06-01', 'action', 7),
    ('stop-forced-repatriation', 'GB', '', 'gmail', '', '2026-06-02', 'confirmed', 3),
    ('stop-forced-repatriation', 'other', '', 'copy', 'qr', '2026-06-02', 'action', 2);
"""


def test_an_earlier_versions_database_is_widened_at_start_up_keeping_every_count(
        postgres_url: str, caplog: pytest.LogCaptureFixture) -> None:
    import psycopg

    admin = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(EARLIER_SCHEMA)
        with pytest.raises(psycopg.errors.StringDataRightTruncation):  # what the finding hit
            connection.execute("INSERT INTO action_counts VALUES ('l', 'TH', 'th-khon-kaen', "
                               "'mailto', '', '2026-06-03', 'action', 1)")
    with caplog.at_level(logging.INFO, logger="campaign.counts"):
        counter = Counter(postgres_url, cache_seconds=0)  # a start-up of this version
    assert [r.getMessage() for r in caplog.records] == [
        f"widened action_counts.region from 8 to {REGION_KEY_MAX} characters"]
    with counter.engine.connect() as connection:
        assert narrower_columns(connection) == []
    assert counter.table("region") == [("NY", 7, 0), ("", 2, 3)]  # every count as it was
    assert counter.totals() == Totals(letters=9, countries=1, confirmed=3)
    assert record(counter, action(country="TH", region="th-khon-kaen"), "n1")
    assert ("TH", "th-khon-kaen") in stored_places(counter)
    caplog.clear()
    Counter(postgres_url).dispose()  # the next start-up finds nothing to widen
    assert caplog.records == []
    counter.dispose()


def test_expired_token_nonces_are_forgotten(database_url: str) -> None:
    counter = Counter(database_url)
    record(counter, action(), "old", 100)
    record(counter, action(), "new", LATER)
    assert counter.forget_expired(now=1000) == 1
    with counter.engine.connect() as connection:
        assert [r.nonce for r in connection.execute(select(used_tokens))] == ["new"]
    counter.dispose()


def test_counting_forgets_expired_nonces_by_itself(database_url: str) -> None:
    counter = Counter(database_url)
    record(counter, action(), "old", 100)  # the first count sweeps (nothing yet), then stores
    counter._next_sweep = 0  # an hour later
    record(counter, action(), "new", LATER)
    with counter.engine.connect() as connection:
        assert [r.nonce for r in connection.execute(select(used_tokens))] == ["new"]
    counter.dispose()


def test_totals_are_cached_for_a_few_seconds(database_url: str) -> None:
    counter = Counter(database_url, cache_seconds=60)
    assert counter.totals().letters == 0
    record(counter, action(), "n1", LATER)
    assert counter.totals().letters == 0  # a traffic spike reads the cache, not the database
    fresh = Counter(database_url, cache_seconds=0)
    assert fresh.totals().letters == 1
    counter.dispose()
    fresh.dispose()


def test_concurrent_increments_are_exact(database_url: str) -> None:
    counter = Counter(database_url, cache_seconds=0)
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda i: record(counter, action(), f"n{i % 300}"),
                                range(400)))
    assert sum(results) == 300
    assert counter.totals().letters == 300
    counter.dispose()


def test_grouping_by_an_unknown_dimension_is_refused(counts_database: str) -> None:
    with pytest.raises(ValueError):
        Counter(counts_database).table("name")


def test_the_rate_limit_holds_for_a_client_across_workers(database_url: str) -> None:
    workers = [Counter(database_url, cache_seconds=0) for _ in range(2)]
    client = client_key("secret", "203.0.113.9")
    results = [workers[i % 2].record(action(), f"n{i}", LATER, client, 3) for i in range(6)]
    assert results == [COUNTED, COUNTED, COUNTED, LIMITED, LIMITED, LIMITED]
    other = client_key("secret", "203.0.113.10")
    assert workers[1].record(action(), "n-other", LATER, other, 3) == COUNTED
    assert workers[0].totals().letters == 4
    # a refused attempt does not use its token up
    assert workers[0].record(action(), "n3", LATER, other, 3) == COUNTED
    assert workers[0].record(action(), "n3", LATER, other, 3) == REUSED
    for counter in workers:
        counter.dispose()


def test_rate_windows_keep_only_a_keyed_hash_for_a_minute(database_url: str) -> None:
    counter = Counter(database_url)
    client = client_key("secret", "203.0.113.9")
    counter.record(action(), "n1", LATER, client, 30)
    with counter.engine.connect() as connection:
        rows = [tuple(r) for r in connection.execute(select(rate_windows))]
    assert [c.name for c in rate_windows.columns] == ["client", "window", "hits"]
    assert rows == [(client, window(), 1)]
    assert "203.0.113.9" not in client and len(client) == 32
    counter.forget_expired(now=int(time.time()) + 120)
    with counter.engine.connect() as connection:
        assert connection.execute(select(rate_windows)).all() == []
    counter.dispose()


def test_client_keys_group_an_ipv6_subscriber_and_change_daily() -> None:
    day = 86400 * 20000
    assert client_key("s", "2001:db8:1:2::1", day) == client_key("s", "2001:db8:1:2:ffff::9", day)
    assert client_key("s", "2001:db8:1:2::1", day) != client_key("s", "2001:db8:1:3::1", day)
    assert client_key("s", "192.0.2.1", day) != client_key("s", "192.0.2.1", day + 86400)
    assert client_key("s", "192.0.2.1", day) != client_key("t", "192.0.2.1", day)


def test_a_count_survives_the_server_dropping_its_connections(postgres_url: str) -> None:
    """No ping before each count (a round trip saved per count): a connection PostgreSQL
    dropped (a restart, an idle timeout) fails once, and the count is retried on a new one."""
    import psycopg

    counter = Counter(postgres_url, cache_seconds=0)
    assert record(counter, action(), "n1")  # the pool now holds an open connection
    admin = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as connection:
        dropped = connection.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchone()
    assert dropped and dropped[0] >= 1
    assert record(counter, action(), "n2")
    assert not record(counter, action(), "n2")  # and once only
    assert counter.totals().letters == 2
    counter.dispose()


def test_sqlite_writers_of_several_processes_count_exactly(counts_database: str) -> None:
    """Writers queue on a lock file, not in SQLite's sleeping busy handler: every count of
    four processes writing at once is kept."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.starmap(_count_many, [(counts_database, w) for w in range(4)])
    assert results == [250] * 4
    assert Counter(counts_database).totals().letters == 1000


def _count_many(url: str, worker: int) -> int:
    """250 counts from one process, in 5 threads; how many were counted."""
    counter = Counter(url)
    with ThreadPoolExecutor(max_workers=5) as pool:
        done = list(pool.map(lambda i: record(counter, action(), f"w{worker}-{i}"), range(250)))
    counter.dispose()
    return done.count(True)
