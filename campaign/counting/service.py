"""Counting one action: a valid token counts once, a client a limited number a minute, and
what is counted carries only known codes (anything else is counted blank)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from ..compose.sendlinks import COUNTED_CHANNELS
from ..data.reloading import CampaignData
from ..data.sources import source_of
from .ratelimit import client_key
from .storage import ACTION, KINDS, Action, Counter
from .tokens import TOKEN_MAX_AGE, BadToken, read

BAD, UNAVAILABLE = "bad", "unavailable"


@dataclass(frozen=True)
class Counting:
    """The counter, the secret that signs tokens, and the rate limit: what counting needs."""

    counter: Counter
    secret: str
    limit: int  # counted actions per client per minute

    def count(self, data: CampaignData, client: str, token: str, kind: str, channel: str,
              country: str, region: str, src: str) -> str:
        """Count one action of a client (its address); return 'counted', 'reused', 'bad',
        'limited' or 'unavailable'."""
        try:
            found = read(self.secret, token)
        except BadToken:
            return BAD
        if (kind not in KINDS or found.letter not in data.letters.by_slug
                or (kind == ACTION and channel not in COUNTED_CHANNELS)):
            return BAD
        # Known codes only: anything else is counted blank.
        country, region = data.contacts.place_of(country, region) or ("", "")
        action = Action(found.letter, country, region, channel if kind == ACTION else "",
                        source_of(src), kind)
        try:
            return self.counter.record(action, found.nonce, int(time.time()) + TOKEN_MAX_AGE,
                                       client_key(self.secret, client), self.limit)
        except SQLAlchemyError as exc:  # the letter still goes out; only the count is lost
            logging.getLogger("campaign.counts").error("count not recorded: %s",
                                                       type(exc).__name__)
            return UNAVAILABLE
