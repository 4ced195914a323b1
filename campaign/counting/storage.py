"""Where counts are kept: one database, SQLite or PostgreSQL, shared by every worker and server.

Each count is keyed only by letter, country, region, channel, share source, UTC day and kind
(a send action, or an "I sent it" confirmation). Besides the counts, the database keeps the
random nonces of used tokens until the tokens expire (a day), and, for the rate limit, a keyed
hash of each client with the number of its counts in the current minute (see ratelimit.py),
for that minute and the next; and the addresses supporters found for their missions and told
the organizers of, each with its mission, page and number of supporters (nothing about them).
Every worker and server sharing the database shares all four.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import logging
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    delete,
    event,
    func,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from ..compose.sendlinks import CHANNEL_MAX
from ..compose.suggestions import ADDRESS_MAX, PAGE_MAX, Suggestion
from ..data.contacts import COUNTRY_KEY_MAX, OTHER, RECIPIENT_KEY_MAX, REGION_KEY_MAX
from ..data.letters import SLUG_MAX
from ..data.sources import SOURCE_MAX
from .ratelimit import CLIENT_KEY_LENGTH
from .ratelimit import window as current_window
from .tokens import NONCE_LENGTH

logger = logging.getLogger("campaign.counts")

ACTION, CONFIRMED = "action", "confirmed"
KINDS = (ACTION, CONFIRMED)
SUGGESTED = "suggested"  # a token's use for telling the organizers of an address (once a page)
COUNTED, REUSED, LIMITED = "counted", "reused", "limited"
TOTALS_SECONDS = 5  # how long the totals pages show may be old: one query per this, not per page
SCHEMA_LOCK = 7_270_707  # the advisory lock held while creating tables
DIMENSIONS = ("country", "region", "channel", "src", "day", "letter")  # what counts group by

metadata = MetaData()
# Each key column is as wide as the longest value its owner accepts: data/contacts.py refuses
# a place key, data/letters.py a slug, compose/sendlinks.py a channel, data/sources.py a
# source, that would not fit. A database made by an earlier version, with narrower columns, is
# widened at start-up (widen).
counts = Table(
    "action_counts", metadata,
    Column("letter", String(SLUG_MAX), primary_key=True),
    Column("country", String(COUNTRY_KEY_MAX), primary_key=True),
    Column("region", String(REGION_KEY_MAX), primary_key=True),
    Column("channel", String(CHANNEL_MAX), primary_key=True),
    Column("src", String(SOURCE_MAX), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("kind", String(max(len(kind) for kind in KINDS)), primary_key=True),
    Column("count", Integer, nullable=False),
)
used_tokens = Table(
    "used_tokens", metadata,
    Column("nonce", String(NONCE_LENGTH), primary_key=True),
    Column("kind", String(max(len(kind) for kind in (*KINDS, SUGGESTED))), primary_key=True),
    Column("expires", Integer, nullable=False, index=True),  # Unix time
)
rate_windows = Table(
    "rate_windows", metadata,
    Column("client", String(CLIENT_KEY_LENGTH), primary_key=True),  # ratelimit.client_key
    Column("window", Integer, primary_key=True),  # ratelimit.window
    Column("hits", Integer, nullable=False),
)
# Addresses supporters found for their missions and told the organizers of
# (compose/suggestions.py): the address, the mission, the page it was found on ('' if none),
# how many supporters said so, and the first and last UTC day. Nothing about who said it.
suggested_addresses = Table(
    "suggested_addresses", metadata,
    Column("mission", String(RECIPIENT_KEY_MAX), primary_key=True),
    Column("address", String(ADDRESS_MAX), primary_key=True),
    Column("page", String(PAGE_MAX), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("first_day", Date, nullable=False),
    Column("last_day", Date, nullable=False),
)


# PostgreSQL: the client's hit, then (within its limit) the nonce, then (if the nonce was
# new) what it adds: a count, or a suggested address; in one statement. Each step reads the
# one before through RETURNING; all three run to completion, or none does.
_ONCE = """
WITH hit AS (
    INSERT INTO rate_windows (client, "window", hits) VALUES (:client, :window, 1)
    ON CONFLICT (client, "window") DO UPDATE SET hits = rate_windows.hits + 1
    RETURNING hits
), claim AS (
    INSERT INTO used_tokens (nonce, kind, expires)
    SELECT :nonce, :kind, :expires FROM hit WHERE hit.hits <= :limit
    ON CONFLICT (nonce, kind) DO NOTHING
    RETURNING nonce
), added AS (
    %s
    RETURNING 1
)
SELECT (SELECT hits FROM hit) AS hits, (SELECT count(*) FROM claim) AS claimed
"""
RECORD_ONCE = text(_ONCE % """
    INSERT INTO action_counts (letter, country, region, channel, src, day, kind, count)
    SELECT :letter, :country, :region, :channel, :src, :day, :kind, 1 FROM claim
    ON CONFLICT (letter, country, region, channel, src, day, kind)
    DO UPDATE SET count = action_counts.count + 1""")
SUGGEST_ONCE = text(_ONCE % """
    INSERT INTO suggested_addresses (mission, address, page, count, first_day, last_day)
    SELECT :mission, :address, :page, 1, :day, :day FROM claim
    ON CONFLICT (mission, address, page)
    DO UPDATE SET count = suggested_addresses.count + 1, last_day = EXCLUDED.last_day""")


@contextlib.contextmanager
def _file_lock(path: str | None) -> Iterator[None]:
    """Hold an exclusive lock on a file (none for an in-memory database)."""
    if path is None:
        yield
        return
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def narrower_columns(connection: Any) -> list[tuple[str, str, int, int]]:
    """PostgreSQL: every text column of our tables narrower in the database than here, as
    (table, column, its width there, the width here)."""
    wanted = {(table.name, column.name): column.type.length
              for table in metadata.tables.values() for column in table.columns
              if isinstance(column.type, String) and column.type.length}
    rows = connection.execute(text(
        "SELECT table_name, column_name, character_maximum_length FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND character_maximum_length IS NOT NULL"))
    return [(table, column, int(width), wanted[table, column]) for table, column, width in rows
            if (table, column) in wanted and int(width) < wanted[table, column]]


def widen(connection: Any) -> None:
    """Bring the columns of a database an earlier version made up to today's widths. Only
    ever wider: PostgreSQL changes a VARCHAR's limit upward in its catalog alone, keeping every
    row (no count is lost, no table rewritten)."""
    for table, column, was, width in narrower_columns(connection):
        connection.execute(text(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" '
                                f"TYPE VARCHAR({width})"))
        logger.info("widened %s.%s from %d to %d characters", table, column, was, width)


@dataclass(frozen=True)
class Action:
    """One thing to count: what was sent, from where, by which channel."""

    letter: str
    country: str
    region: str
    channel: str
    src: str
    kind: str = ACTION


@dataclass(frozen=True)
class Totals:
    """What supporters are shown."""

    letters: int
    countries: int
    confirmed: int


def _use_wal(dbapi_connection: Any, patience: float = 30.0) -> None:
    """Put the database file in WAL mode (it stays so). Switching needs the file to itself,
    and workers starting at once all try: whoever finds it busy waits and looks again."""
    deadline = time.monotonic() + patience
    while True:
        try:
            mode = dbapi_connection.execute("PRAGMA journal_mode").fetchone()[0]
            if mode.lower() == "wal":
                return
            dbapi_connection.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _sqlite_engine(url: str) -> Engine:
    """SQLite in WAL mode, where writers take the lock at BEGIN and wait for each other."""
    path = make_url(url).database
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        _use_wal(dbapi_connection)
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


class Counter:
    """Atomic counts in one database, shared by every worker and host that points at it."""

    opened: weakref.WeakSet[Counter] = weakref.WeakSet()  # so tests can close every pool

    def __init__(self, url: str, cache_seconds: float = TOTALS_SECONDS) -> None:
        self.url = url
        Counter.opened.add(self)
        self._writers = threading.Lock()  # SQLite: this process's writers, one at a time
        self._lock_path: str | None = None
        if url.startswith("sqlite"):
            self.engine = _sqlite_engine(url)
            self._insert: Any = sqlite.insert
            path = make_url(url).database
            if path and path != ":memory:":
                self._lock_path = path + ".lock"
        else:
            # No ping before each use (a round trip per count): a connection the server
            # dropped fails its statement, is replaced, and the count is retried (record).
            # A thread of each gunicorn worker holds one connection at most.
            self.engine = create_engine(url, pool_size=8, max_overflow=8, pool_recycle=3600)
            self._insert = postgresql.insert
        self.cache_seconds = cache_seconds
        self._next_sweep = 0.0  # when to forget expired token nonces next (monotonic time)
        self._cache: dict[str | None, tuple[float, Totals]] = {}
        self._cache_lock = threading.Lock()
        self.create()

    def create(self) -> None:
        """Create the tables if they are missing, and widen any column an earlier version made
        narrower: safe on every start-up, and when several workers or hosts start at once
        (PostgreSQL: under an advisory lock; SQLite: its write lock, taken at BEGIN)."""
        with self.engine.begin() as connection:
            if self.engine.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                                   {"key": SCHEMA_LOCK})
                metadata.create_all(connection, checkfirst=True)
                widen(connection)
            else:  # SQLite keeps text of any length in any column: nothing to widen
                metadata.create_all(connection, checkfirst=True)

    def record(self, action: Action, nonce: str, expires: int, client: str,
               limit: int) -> str:
        """Count an action once per token nonce and at most `limit` a minute per client.

        Returns COUNTED, REUSED (the nonce was used already) or LIMITED. All at once: the
        client's hit, the nonce and the count are written together or not at all, and are
        in the database (committed) before this returns; nothing is held in memory.
        """
        def add(connection: Any, values: dict[str, Any]) -> None:
            row = {column.name: values[column.name] for column in counts.columns
                   if column.name != "count"}
            connection.execute(self._insert(counts).values(**row, count=1).on_conflict_do_update(
                index_elements=[c.name for c in counts.primary_key],
                set_={"count": counts.c.count + 1}))

        return self._once(RECORD_ONCE, add, {**action.__dict__}, nonce, expires, client, limit)

    def suggest(self, suggestion: Suggestion, nonce: str, expires: int, client: str,
                limit: int) -> str:
        """Keep an address a supporter told the organizers of, once per token nonce, within
        the same rate limit as counts: one more supporter for it, and the day. Returns
        COUNTED, REUSED or LIMITED, as `record` does."""
        def add(connection: Any, values: dict[str, Any]) -> None:
            key = {name: values[name] for name in ("mission", "address", "page")}
            connection.execute(self._insert(suggested_addresses).values(
                **key, count=1, first_day=values["day"], last_day=values["day"])
                .on_conflict_do_update(index_elements=list(key), set_={
                    "count": suggested_addresses.c.count + 1, "last_day": values["day"]}))

        return self._once(SUGGEST_ONCE, add, {**suggestion.__dict__, "kind": SUGGESTED},
                          nonce, expires, client, limit)

    def _once(self, statement: Any, add: Callable[[Any, dict[str, Any]], None],
              values: dict[str, Any], nonce: str, expires: int, client: str,
              limit: int) -> str:
        """The client's hit, then (within its limit) the token's nonce for values' kind,
        then (if the nonce was new) what `add` writes (on PostgreSQL: `statement`, one
        statement doing all three)."""
        if time.monotonic() >= self._next_sweep:  # at most once a minute
            self._next_sweep = time.monotonic() + 60
            self.forget_expired()
        values = {**values, "day": dt.datetime.now(dt.UTC).date(), "nonce": nonce,
                  "expires": expires, "client": client, "window": current_window(),
                  "limit": limit}
        if self.engine.dialect.name == "postgresql":
            hits, claimed = self._record_postgresql(statement, values)
        else:
            hits, claimed = self._record_sqlite(add, values)
        if hits > limit:
            return LIMITED
        return COUNTED if claimed else REUSED

    def _record_postgresql(self, statement: Any, values: dict[str, Any]) -> tuple[int, bool]:
        """One statement, in one round trip, atomic as any statement is (see RECORD_ONCE).
        A connection the server dropped (a restart) is retried once, on a fresh one: the
        nonce makes a retry of a count that did commit a REUSED, never a second count."""
        for attempt in (1, 2):
            try:
                with self.engine.connect() as connection:
                    row = connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                        statement, values).one()
                return int(row.hits), bool(row.claimed)
            except DBAPIError as exc:
                if attempt == 2 or not exc.connection_invalidated:
                    raise
        raise AssertionError("unreachable")

    def _record_sqlite(self, add: Callable[[Any, dict[str, Any]], None],
                       values: dict[str, Any]) -> tuple[int, bool]:
        """Three statements in one write transaction. SQLite lets one writer in at a time,
        and a writer finding the database busy sleeps and looks again (up to 100 ms a turn):
        under load, writers spent their time asleep. They queue here instead, on a lock
        (threads of this process) and a lock file (other processes) that wake the next one
        the moment the last is done."""
        with self._writers, _file_lock(self._lock_path), self.engine.begin() as connection:
            hits = connection.execute(
                self._insert(rate_windows).values(client=values["client"],
                                                  window=values["window"], hits=1)
                .on_conflict_do_update(index_elements=["client", "window"],
                                       set_={"hits": rate_windows.c.hits + 1})
                .returning(rate_windows.c.hits)).scalar_one()
            if hits > values["limit"]:
                return hits, False
            claimed = connection.execute(
                self._insert(used_tokens).values(nonce=values["nonce"], kind=values["kind"],
                                                 expires=values["expires"])
                .on_conflict_do_nothing(index_elements=["nonce", "kind"])
                .returning(used_tokens.c.nonce)).first()
            if claimed is None:  # the nonce was used already: nothing to add
                return hits, False
            add(connection, values)
        return hits, True

    def suggestions(self) -> list[tuple[str, str, str, int, dt.date, dt.date]]:
        """Every address supporters suggested: (mission, address, page, supporters, first
        day, last day), by mission and address."""
        table = suggested_addresses.c
        query = select(table.mission, table.address, table.page, table.count, table.first_day,
                       table.last_day).order_by(table.mission, table.address, table.page)
        with self.engine.connect() as connection:
            return [(m, a, p, int(n), first, last)
                    for m, a, p, n, first, last in connection.execute(query)]

    def forget_expired(self, now: int | None = None) -> int:
        """Drop the nonces of expired tokens, and rate-limit windows past; return how many
        nonces."""
        now = now if now is not None else int(time.time())
        with self.engine.begin() as connection:
            result = connection.execute(delete(used_tokens).where(used_tokens.c.expires < now))
            connection.execute(delete(rate_windows).where(
                rate_windows.c.window < current_window(now) - 1))
            return int(result.rowcount or 0)

    def totals(self, letter: str | None = None) -> Totals:
        """Letters sent, countries they came from, confirmations; cached for a few seconds."""
        now = time.monotonic()
        with self._cache_lock:
            cached = self._cache.get(letter)
            if cached and now - cached[0] < self.cache_seconds:
                return cached[1]
        query = select(
            func.coalesce(func.sum(counts.c.count).filter(counts.c.kind == ACTION), 0),
            func.count(func.distinct(counts.c.country)).filter(
                counts.c.kind == ACTION, counts.c.country.not_in(("", OTHER))),
            func.coalesce(func.sum(counts.c.count).filter(counts.c.kind == CONFIRMED), 0),
        )
        if letter is not None:
            query = query.where(counts.c.letter == letter)
        try:
            with self.engine.connect() as connection:
                sent, countries, confirmed = connection.execute(query).one()
        except SQLAlchemyError as exc:  # the page goes on without its counter
            logger.warning("counts unavailable: %s", type(exc).__name__)
            return cached[1] if cached else Totals(0, 0, 0)
        totals = Totals(int(sent), int(countries), int(confirmed))
        with self._cache_lock:
            self._cache[letter] = (now, totals)
        return totals

    def table(self, by: str, letter: str | None = None,
              since: dt.date | None = None) -> list[tuple[str, int, int]]:
        """Counts grouped by one dimension: (value, actions, confirmations), largest first."""
        if by not in DIMENSIONS:
            raise ValueError(f"cannot group by {by!r}")
        column = counts.c[by]
        actions = func.coalesce(func.sum(counts.c.count).filter(counts.c.kind == ACTION), 0)
        confirmed = func.coalesce(
            func.sum(counts.c.count).filter(counts.c.kind == CONFIRMED), 0)
        query = select(column, actions, confirmed).group_by(column)
        if letter is not None:
            query = query.where(counts.c.letter == letter)
        if since is not None:
            query = query.where(counts.c.day >= since)
        query = query.order_by(column) if by == "day" else query.order_by(actions.desc(), column)
        with self.engine.connect() as connection:
            return [(str(value), int(a), int(c)) for value, a, c in connection.execute(query)]

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
