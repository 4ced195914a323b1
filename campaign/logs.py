"""Request logs that say what happened and never who: no query, no form, no IP by default."""

from __future__ import annotations

import logging
import time

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

    @app.after_request
    def log_request(response: Response) -> Response:
        elapsed = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
        who = f" {request.remote_addr}" if app.config["LOG_IP"] else ""
        logger.info("%s %s %s %.1fms%s", request.method, request.path, response.status_code,
                    elapsed, who)
        return response
