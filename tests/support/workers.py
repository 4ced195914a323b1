"""gunicorn's workers, one at a time: for the tests and `make bench`, which must reach each
worker of a running server (its data, its memory), not whichever answers first."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator

import psutil


def workers(master: int) -> list[int]:
    """The pids of a gunicorn master's workers."""
    return sorted(child.pid for child in psutil.Process(master).children())


@contextlib.contextmanager
def only(worker: int, master: int) -> Iterator[None]:
    """Every connection goes to one worker: the others, paused (SIGSTOP), accept none
    meanwhile. Keep it short: gunicorn replaces a worker silent for its timeout (30 s)."""
    others = [pid for pid in workers(master) if pid != worker]
    for pid in others:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in others:
            os.kill(pid, signal.SIGCONT)
