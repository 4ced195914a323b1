"""Count tokens: one signed, short-lived, single-use token per letter page rendered.

A token names a random nonce and the letter; it says nothing about the supporter. The store
remembers a used nonce only until the token expires, so reloads and double clicks count once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

TOKEN_MAX_AGE = 24 * 3600  # a supporter may leave the page open for a day
NONCE_BYTES = 12
NONCE_LENGTH = len(secrets.token_urlsafe(NONCE_BYTES))  # characters (storage.py's column)
_SALT = "campaign.count"


class BadToken(Exception):
    """A count token that is forged, malformed or expired."""


@dataclass(frozen=True)
class CountToken:
    """What a valid token carries."""

    nonce: str
    letter: str


def mint(secret: str, letter: str) -> str:
    """A fresh token for one rendering of a letter's page."""
    nonce = secrets.token_urlsafe(NONCE_BYTES)
    return URLSafeTimedSerializer(secret, salt=_SALT).dumps([nonce, letter])


def read(secret: str, token: str, max_age: int = TOKEN_MAX_AGE) -> CountToken:
    """Check a token's signature and age; raise BadToken if it will not do."""
    try:
        nonce, letter = URLSafeTimedSerializer(secret, salt=_SALT).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise BadToken("expired") from exc
    except (BadSignature, ValueError, TypeError) as exc:
        raise BadToken("not a count token") from exc
    if not isinstance(nonce, str) or len(nonce) > NONCE_LENGTH or not isinstance(letter, str):
        raise BadToken("not a count token")
    return CountToken(nonce, letter)
