"""Share sources: the channel a link travelled by (`?src=`), counted, never the people. One
rule for every source, the organizers' own and partners' keys included, so none can carry
personal data; and the longest the counts keep."""

from __future__ import annotations

import re

# Where supporters share the campaign. `src` marks the channel in the shared link, so
# organizers can count which channel brings letters (counts only, never people).
SOURCES = ("x", "facebook", "whatsapp", "telegram", "line", "email", "copy", "webshare", "qr",
           "flyer", "kakao", "instagram", "sms", "event")


# An organizer's own source (`campaign link --src fair`): short, lower case, and nothing that
# could name a person: no @, no spaces, no long run of digits (a phone or member number).
SOURCE_MAX = 16  # the longest share source a count keeps (counting/storage.py's column)


_SOURCE = re.compile(r"[a-z][a-z0-9-]*")


_LONG_DIGITS = re.compile(r"[0-9]{5,}")


def source_problem(value: str) -> str | None:
    """Why value cannot be a share source, or None: one of ours (links.SOURCES), or an
    organizer's own name for a channel, checked so it can carry no personal data."""
    if value in SOURCES:
        return None
    if not value:
        return "it is empty"
    if len(value) > SOURCE_MAX:
        return f"it is longer than {SOURCE_MAX} characters"
    if not _SOURCE.fullmatch(value):
        return ("it must be lower-case letters, digits and -, starting with a letter "
                "(no spaces, no @)")
    if _LONG_DIGITS.search(value):
        return "it has a long run of digits, like a phone number: name the channel instead"
    return None


def source_of(value: str | None) -> str:
    """The share source a supporter came by, if it is a valid one (`source_problem`);
    else nothing: a link that carries anything else is counted without a source."""
    return value if isinstance(value, str) and source_problem(value) is None else ""
