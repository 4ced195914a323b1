"""gunicorn's own log, kept as private as the app's: no client address, no query string.

gunicorn writes `Invalid request from ip=<address>: <the raw request line>` for a malformed
request, and a request's URI with its query string when an error escapes the app. This
logger, named by gunicorn.conf.py, keeps what an operator needs (that a request was refused,
and why in general terms) and drops the rest. Every message is one line.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from gunicorn.glogging import Logger

from .requestlog import loggable_path, where

_INVALID = re.compile(r"Invalid request from ip=.*?: ([A-Za-z][A-Za-z0-9 -]*?)\s*(?:[:'(\"]|$)")


def private(msg: str, args: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
    """A gunicorn log message and its arguments, without what identifies a client."""
    if msg.startswith("Invalid request from ip="):
        kind = _INVALID.match(msg)
        return "Invalid request refused: %s", (kind.group(1) if kind else "malformed",)
    if msg.startswith("Error handling request") and args:
        return msg, tuple(loggable_path(str(a).split("?", 1)[0]) for a in args)
    return msg, args


class PrivateRecords(logging.Filter):
    """Rewrites each record of gunicorn's error log through `private`, on one line: an
    exception becomes its type and where it was raised, without its message."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        msg, args = private(str(record.msg), args)
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            msg, args = msg + ": %s at %s", (*args, type(error).__name__, where(error))
            record.exc_info = record.exc_text = None
        record.msg, record.args = msg, args
        return True


class PrivateLogger(Logger):  # type: ignore[misc]
    """gunicorn's Logger, with every record of its error log made private."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        self.error_log.addFilter(PrivateRecords())
