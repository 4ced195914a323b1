"""A per-client rate limit kept in memory only: never written to disk or logs.

Clients are told apart by a keyed hash of their address, under a key made anew in every
process, so not even the memory holds an address in the clear.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque


class RateLimiter:
    """At most `limit` events per client in any `window` seconds."""

    def __init__(self, limit: int, window: float = 60.0) -> None:
        self.limit, self.window = limit, window
        self._key = secrets.token_bytes(32)
        self._events: dict[bytes, deque[float]] = {}
        self._lock = threading.Lock()
        self._last_sweep = time.monotonic()

    def allow(self, client: str) -> bool:
        """Record an event for client; False if it is over the limit."""
        who = hmac.new(self._key, client.encode(), hashlib.sha256).digest()[:16]
        now = time.monotonic()
        with self._lock:
            if now - self._last_sweep > self.window:
                self._sweep(now)
            events = self._events.setdefault(who, deque())
            while events and now - events[0] > self.window:
                events.popleft()
            if len(events) >= self.limit:
                return False
            events.append(now)
            return True

    def _sweep(self, now: float) -> None:
        """Forget clients with no event in the window, so memory stays small."""
        self._last_sweep = now
        for who in [w for w, e in self._events.items() if not e or now - e[-1] > self.window]:
            del self._events[who]
