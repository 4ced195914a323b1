"""Request logs that say what happened and never who: no query, no form, no IP by default."""

from __future__ import annotations

import logging
import secrets
import time
import traceback

from flask import Flask, Response, g, request

logger = logging.getLogger("campaign.requests")


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

    @app.before_request
    def start_timer() -> None:
        g.request_started = time.perf_counter()
        g.request_id = secrets.token_hex(6)

    @app.after_request
    def log_request(response: Response) -> Response:
        elapsed = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
        who = f" {request.remote_addr}" if app.config["LOG_IP"] else ""
        logger.info("%s %s %s %.1fms id=%s%s", request.method, request.path,
                    response.status_code, elapsed, g.get("request_id", "-"), who)
        return response


def log_failure(error: BaseException) -> str:
    """Log a server error under the request's id, without the exception's message (which may
    quote what a supporter typed); return the id to show them."""
    request_id: str = g.get("request_id") or secrets.token_hex(6)
    frames = "".join(traceback.format_tb(error.__traceback__))
    logger.error("request %s failed: %s at\n%s", request_id, type(error).__name__, frames)
    return request_id
