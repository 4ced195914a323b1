"""How long browsers and shared caches (nginx, a CDN) may keep what the site serves, and the
pages that are the same bytes for everyone who asks alike: rendered once, kept with the data
(data/pagecache.py), served with an ETag; and, for a second at a time, answered from memory
before Flask even looks at the request (`SharedPages`), so a viral peak costs the app little
more than the bytes, with or without a caching proxy in front.

Every Cache-Control the app sends is one of the policies here.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, request

from ..counting.storage import TOTALS_SECONDS, Counter
from ..i18n.languages import negotiate
from . import context, requestlog

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
# How long the app answers a shared page from memory, without asking Flask again: a second,
# and never longer than the totals on it are kept (nor once the data it was made from changed).
SHARED_SECONDS = 1.0
SHARED = "campaign.shared"  # the environ's mark of a response that is a shared page


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
    request.environ[SHARED] = True  # SharedPages may answer the next ones like it
    response = Response(page.body, mimetype="text/html")
    response.set_etag(page.etag)
    response.headers["Cache-Control"] = ARRIVAL
    response.make_conditional(request)
    return response


@functools.lru_cache(maxsize=256)
def _language(header: str) -> str:
    """The language a page without one in its address is shown in, for this Accept-Language."""
    return negotiate(header).code


@dataclass(frozen=True)
class Answer:
    """A shared page's response as Flask gave it, and until when it may be given again."""

    status: str
    headers: list[tuple[str, str]]
    body: bytes
    until: float
    data: object  # the data it was made from


class SharedPages:
    """WSGI middleware answering a plain GET of a shared page (an arrival page: the same bytes
    for everyone asking alike) from memory, as Flask answered it less than a second ago.

    Flask marks such a response (`shared_page`); each is kept under what the page may depend
    on, read straight from the request: scheme, host, path, query string and the language its
    Accept-Language gets. Anything else goes to Flask: another method, a conditional or
    partial request, a page not marked, a host Flask refused (it is never kept). A kept answer
    is logged as Flask logs any (requestlog.py), one line, and expires after SHARED_SECONDS,
    or sooner where the totals are kept for less (`seconds`), or once the data it was made
    from is not the app's any more (`data`: the reloader's, which looks at the files).
    """

    SIZE = 512  # pages kept, the most recently asked

    def __init__(self, app: Callable[..., Iterable[bytes]], seconds: Callable[[], float],
                 data: Callable[[], object], log_ip: bool) -> None:
        self.app, self.seconds, self.data, self.log_ip = app, seconds, data, log_ip
        self.kept: OrderedDict[tuple[str, ...], Answer] = OrderedDict()
        self.lock = threading.Lock()

    @staticmethod
    def key(environ: dict[str, Any]) -> tuple[str, ...] | None:
        """What a shared page may depend on, for a request that may be answered from memory."""
        if environ.get("REQUEST_METHOD") != "GET" or any(
                name in environ for name in ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE",
                                             "HTTP_RANGE")):
            return None
        return (environ.get("wsgi.url_scheme", ""), environ.get("HTTP_HOST", ""),
                environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""),
                environ.get("QUERY_STRING", ""), _language(environ.get("HTTP_ACCEPT_LANGUAGE", "")))

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        started = time.perf_counter()
        key = self.key(environ)
        if key is None:
            return self.app(environ, start_response)
        with self.lock:
            answer = self.kept.get(key)
        if answer is not None and time.monotonic() < answer.until \
                and answer.data is self.data():
            start_response(answer.status, answer.headers)
            requestlog.log_line("GET", environ.get("PATH_INFO", ""), int(answer.status[:3]),
                                started, secrets.token_hex(6),
                                environ.get("REMOTE_ADDR") if self.log_ip else None)
            return [answer.body]
        return self.ask(key, environ, start_response)

    def ask(self, key: tuple[str, ...], environ: dict[str, Any],
            start_response: Callable[..., Any]) -> Any:
        """Flask's answer, kept if it is a shared page."""
        given: list[Any] = []

        def start(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            given[:] = [status, headers]
            return start_response(status, headers, *rest)

        data = self.data()
        body = self.app(environ, start)
        if not (environ.get(SHARED) and given and given[0].startswith("200")):
            return body
        try:
            whole = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        answer = Answer(given[0], list(given[1]), whole, time.monotonic() + self.seconds(), data)
        with self.lock:
            self.kept[key] = answer
            self.kept.move_to_end(key)
            while len(self.kept) > self.SIZE:
                self.kept.popitem(last=False)
        return [whole]


def init_app(app: Flask) -> None:
    """Answer shared pages from memory, for a second at a time (before security.py puts its
    proxy fix in front: the host and scheme are the forwarded ones)."""
    settings = context.settings(app)

    def seconds() -> float:
        counter: Counter = app.extensions[context.COUNTER]
        return min(SHARED_SECONDS, counter.cache_seconds)

    def data() -> object:
        return app.extensions[context.DATA].data

    app.wsgi_app = SharedPages(app.wsgi_app, seconds, data,  # type: ignore[method-assign]
                               settings.log_ip)
