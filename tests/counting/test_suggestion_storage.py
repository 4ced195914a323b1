"""Suggested addresses in the counter's database (SQLite and PostgreSQL alike): once per
token, within the client's rate limit, one more supporter per suggestion, with the first and
last day; the same token still counts its send."""

from __future__ import annotations

import datetime as dt
import time

from campaign.compose.suggestions import Suggestion
from campaign.counting.storage import COUNTED, LIMITED, REUSED, Action, Counter

FOUND = Suggestion("br-embassy", "embaixada@example.org", "https://www.example.org/contato")
LATER = int(time.time()) + 3600


def test_each_token_adds_one_supporter_to_its_suggestion(database_url: str) -> None:
    counter = Counter(database_url)
    assert counter.suggest(FOUND, "n1", LATER, "a" * 32, 10) == COUNTED
    assert counter.suggest(FOUND, "n1", LATER, "a" * 32, 10) == REUSED
    assert counter.suggest(FOUND, "n2", LATER, "b" * 32, 10) == COUNTED
    assert counter.suggest(Suggestion(FOUND.mission, FOUND.address), "n3", LATER, "b" * 32,
                           10) == COUNTED
    # the token that told the organizers still counts its page's send, once
    assert counter.record(Action("letter", "BR", "", "mailto", ""), "n1", LATER, "a" * 32,
                          10) == COUNTED
    today = dt.datetime.now(dt.UTC).date()
    assert counter.suggestions() == [
        ("br-embassy", FOUND.address, "", 1, today, today),
        ("br-embassy", FOUND.address, FOUND.page, 2, today, today)]
    counter.dispose()


def test_suggestions_share_the_clients_rate_limit_with_counts(database_url: str) -> None:
    counter = Counter(database_url)
    assert counter.record(Action("letter", "BR", "", "mailto", ""), "c1", LATER, "c" * 32,
                          2) == COUNTED
    assert counter.suggest(FOUND, "c2", LATER, "c" * 32, 2) == COUNTED
    assert counter.suggest(FOUND, "c3", LATER, "c" * 32, 2) == LIMITED
    assert [row[3] for row in counter.suggestions()] == [1]
    counter.dispose()
