"""Telling clients apart for the rate limit, without keeping who they are.

A client is a keyed hash of its address (an IPv6 address by its /64, which one subscriber
usually holds whole), under a key derived from the secret key and the day: every worker and
server sharing the database agrees on it, and without the secret key the hash names no one.
The database keeps the hash with the number of its counts per minute (`window`), for that
minute and the next, then forgets it (counting/storage.py).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import time

WINDOW_SECONDS = 60
CLIENT_KEY_LENGTH = 32  # hex characters of a client's keyed hash (storage.py's column)


def client_key(secret: str, address: str, now: float | None = None) -> str:
    """A keyed hash naming a client for one day, in CLIENT_KEY_LENGTH hex characters."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        network = address
    else:
        network = str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 \
            else str(ip)
    day = int((time.time() if now is None else now) // 86400)
    key = hmac.new(secret.encode(), f"rate-limit:{day}".encode(), hashlib.sha256).digest()
    return hmac.new(key, network.encode(), hashlib.sha256).hexdigest()[:CLIENT_KEY_LENGTH]


def window(now: float | None = None) -> int:
    """The number of the current rate-limit window (a minute)."""
    return int((time.time() if now is None else now) // WINDOW_SECONDS)
