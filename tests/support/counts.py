"""Counting letters straight into the counter, as the site does, for tests of what counts show."""

from __future__ import annotations

import itertools
import time

from campaign.counting.storage import COUNTED, Action, Counter

LETTER = "stop-forced-repatriation"
LETTERS = {"KR": 6, "US": 5, "DE": 4, "other": 2}  # Germany is below the threshold of 5


_nonces = itertools.count()


def send(counter: Counter, country: str, letters: int) -> None:
    """Count letters from a country, each with its own token, as the site counts them."""
    for _ in range(letters):
        result = counter.record(Action(LETTER, country, "", "mailto", ""),
                                f"nonce-{next(_nonces)}", int(time.time()) + 3600,
                                "c" * 32, 10**6)
        assert result == COUNTED
