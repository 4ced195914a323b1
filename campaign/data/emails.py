"""The one rule for an email address, owned here: organizers' files, the supporter's form and
the browser's check all ask it."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email


def check_email(address: str) -> str | None:
    """Return why an address is not valid, or None; syntax only, no network."""
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        return str(exc)
    return None
