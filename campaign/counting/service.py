"""Counting one action: a valid token counts once, a client a limited number a minute, and
what is counted carries only known codes (anything else is counted blank). An address a
supporter tells the organizers of is kept by the same rules: the page's token, once, within
the same limit."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from ..compose.sendlinks import COUNTED_CHANNELS
from ..compose.suggestions import suggestion_for
from ..data.reloading import CampaignData
from ..data.sources import source_of
from .ratelimit import client_key
from .storage import ACTION, KINDS, Action, Counter
from .tokens import TOKEN_MAX_AGE, BadToken, CountToken, read

BAD, UNAVAILABLE = "bad", "unavailable"


@dataclass(frozen=True)
class Counting:
    """The counter, the secret that signs tokens, and the rate limit: what counting needs."""

    counter: Counter
    secret: str
    limit: int  # counted actions per client per minute

    def token(self, data: CampaignData, token: str) -> CountToken | None:
        """A page's token, if it is genuine, unexpired and for a letter the campaign has."""
        try:
            found = read(self.secret, token)
        except BadToken:
            return None
        return found if found.letter in data.letters.by_slug else None

    def count(self, data: CampaignData, client: str, token: str, kind: str, channel: str,
              country: str, region: str, src: str) -> str:
        """Count one action of a client (its address); return 'counted', 'reused', 'bad',
        'limited' or 'unavailable'."""
        found = self.token(data, token)
        if (found is None or kind not in KINDS
                or (kind == ACTION and channel not in COUNTED_CHANNELS)):
            return BAD
        # Known codes only: anything else is counted blank.
        country, region = data.contacts.place_of(country, region) or ("", "")
        action = Action(found.letter, country, region, channel if kind == ACTION else "",
                        source_of(src), kind)
        return self._store(lambda client_key: self.counter.record(
            action, found.nonce, int(time.time()) + TOKEN_MAX_AGE, client_key, self.limit),
            client, "count")

    def suggest(self, data: CampaignData, client: str, token: str, country: str, region: str,
                address: str, page: str) -> str:
        """Tell the organizers of an address a supporter found for their mission, once per
        page's token and within the rate limit (the page's own token, as for counting);
        return 'counted', 'reused', 'bad', 'limited' or 'unavailable'."""
        found = self.token(data, token)
        suggestion = suggestion_for(data.contacts, country, region, address, page)
        if found is None or suggestion is None:
            return BAD
        return self._store(lambda client_key: self.counter.suggest(
            suggestion, found.nonce, int(time.time()) + TOKEN_MAX_AGE, client_key, self.limit),
            client, "suggestion")

    def _store(self, store: Callable[[str], str], client: str, what: str) -> str:
        """Store something for a client, known by its keyed hash only; 'unavailable' if the
        database fails (the letter still goes out: only this is lost)."""
        try:
            return store(client_key(self.secret, client))
        except SQLAlchemyError as exc:
            logging.getLogger("campaign.counts").error("%s not recorded: %s", what,
                                                       type(exc).__name__)
            return UNAVAILABLE
