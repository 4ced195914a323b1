"""How long browsers and shared caches (nginx, a CDN) may keep what the site serves, and the
pages that are the same bytes for everyone who asks alike: rendered once, kept with the data
(data/pagecache.py), served with an ETag.

Every Cache-Control the app sends is one of the policies here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from flask import Response, request

from ..counting.storage import TOTALS_SECONDS
from . import context

A_YEAR = 365 * 24 * 3600
A_DAY = 24 * 3600
# Browsers and shared caches may keep an arrival page a minute, and serve it a little longer
# while they fetch a fresh one; the totals on it are at most that old.
ARRIVAL = "public, max-age=60, stale-while-revalidate=60"
A_MINUTE = "public, max-age=60"  # the impact view and its charts
AN_HOUR = "public, max-age=3600"  # /embed.js: partners link it by its name
# Cards, QR codes, the flyer's font, the icon, robots.txt, the organizers' logo.
DAILY = f"public, max-age={A_DAY}"
IMMUTABLE = f"public, max-age={A_YEAR}, immutable"  # a file whose name changes with its bytes
TOTALS = f"public, max-age={TOTALS_SECONDS}"  # /stats.json: the counter's totals are this old
NO_STORE = "no-store"  # a count token: one per view of a page


@dataclass(frozen=True)
class RenderedPage:
    """A page rendered once: its bytes and their ETag."""

    body: bytes
    etag: str


def shared_page(key: Hashable, render: Callable[[], bytes]) -> Response:
    """A page the same for everyone whose request has this key: rendered the first time,
    then served from the data's page cache, with an ETag (304 when the asker has the bytes)."""
    def make() -> RenderedPage:
        html = render()
        return RenderedPage(html, hashlib.blake2b(html, digest_size=12).hexdigest())

    page = context.data().rendered.get(key, make)
    response = Response(page.body, mimetype="text/html")
    response.set_etag(page.etag)
    response.headers["Cache-Control"] = ARRIVAL
    response.make_conditional(request)
    return response
