"""What every worker needs, made once in gunicorn's master before the workers fork, so that they
all share one copy of it (copy-on-write) instead of each making its own.

gunicorn.conf.py loads the app in the master (`preload_app`) and calls `warm` before the first
fork. The surest way to load what a page needs is to render it: each language's arrival page
and /about, through the app itself, load the contacts, letters and catalogs, CLDR's names and
collators in every language, the country lists and the compiled templates. What few requests
need (the impact charts, cards, flyer fonts: media/) is left to the first request that draws
one, in the worker that serves it.
"""

from __future__ import annotations

import logging
import time

from flask import Flask

from ..i18n.languages import LANGUAGES
from . import context
from .requestlog import logger as request_logger

logger = logging.getLogger("campaign.data")
WARM_PATHS = ("/about", *(f"/{language.code}/" for language in LANGUAGES))


def warm(app: Flask) -> None:
    """Render what every worker serves, once, here; then close the database connections it
    opened, which no forked worker may share."""
    started = time.perf_counter()
    client = app.test_client()
    shown = request_logger.level
    request_logger.setLevel(logging.WARNING)  # these are no one's requests
    try:
        statuses = {path: client.get(path, base_url=_base_url(app)).status_code
                    for path in WARM_PATHS}
    finally:
        request_logger.setLevel(shown)
        context.counter(app).dispose()
    failed = [path for path, status in statuses.items() if status != 200]
    if failed:  # not fatal: a worker renders them itself
        logger.warning("warm-up: %s did not render", ", ".join(failed))
    logger.info("warmed up in %.1f s: %d pages", time.perf_counter() - started, len(statuses))


def _base_url(app: Flask) -> str:
    """An address the app answers to: its public one, else a host it trusts."""
    settings = context.settings(app)
    if settings.public_url:
        return settings.public_url
    hosts = [host for host in settings.trusted_hosts if not host.startswith(".")]
    return f"http://{hosts[0] if hosts else 'localhost'}"
