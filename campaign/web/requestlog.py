"""Request logs that say what happened and never who: no query, no form, no IP by default.

One request, one line: the path is logged percent-encoded, so an encoded line break in it
cannot start a line that looks like another request.
"""

from __future__ import annotations

import logging
import secrets
import time
import traceback
from urllib.parse import quote

from flask import Flask, Response, g, request

from . import context

logger = logging.getLogger("campaign.requests")
# Characters a path may show as they are; everything else (spaces, line breaks, quotes,
# non-ASCII) is logged percent-encoded.
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def loggable_path(path: str) -> str:
    """A request path as one printable line."""
    return quote(path, safe=_PATH_SAFE)


def init_app(app: Flask) -> None:
    """Log one line per request in place of the development server's own log."""
    # The development server's access log carries the client's IP and the query string.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    log_ip = context.settings(app).log_ip

    @app.before_request
    def start_timer() -> None:
        g.request_started = time.perf_counter()
        g.request_id = secrets.token_hex(6)

    @app.after_request
    def log_request(response: Response) -> Response:
        log_line(request.method, request.path, response.status_code,
                 g.get("request_started", time.perf_counter()), g.get("request_id", "-"),
                 request.remote_addr if log_ip else None)
        return response


def log_line(method: str, path: str, status: int, started: float, request_id: str,
             address: str | None = None) -> None:
    """The one line a request is logged as: method, path, status, time taken since `started`
    (time.perf_counter), its id, and the client's address only where configured."""
    elapsed = (time.perf_counter() - started) * 1000
    who = f" {address}" if address else ""
    logger.info("%s %s %s %.1fms id=%s%s", loggable_path(method), loggable_path(path), status,
                elapsed, request_id, who)


def where(error: BaseException) -> str:
    """Where an exception was raised, innermost last, as one line: 'file:line in function'."""
    frames = traceback.extract_tb(error.__traceback__)
    return " < ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} in {f.name}"
                      for f in reversed(frames))


def log_failure(error: BaseException) -> str:
    """Log a server error under the request's id on one line, without the exception's message
    (which may quote what a supporter typed); return the id to show them."""
    request_id: str = g.get("request_id") or secrets.token_hex(6)
    logger.error("request %s failed: %s at %s", request_id, type(error).__name__, where(error))
    return request_id
