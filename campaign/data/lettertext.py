"""A letter's text, the same in Python and in the browser: the supporter's words put into the
skeleton, line breaks made plain, and a new signature carried into an edited letter.

campaign.js has a twin of each function here; tests/web/test_script.py compares them on many
generated inputs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The body is rendered once with these markers in place of the supporter's words, and the
# markers are replaced per supporter, in Python and identically in the browser: a supporter's
# text never passes through Jinja, and both sides produce the same letter byte for byte.
MARKERS = {"name": "\ue000", "city": "\ue001", "own_words": "\ue002"}


@dataclass(frozen=True)
class Signature:
    """What a supporter adds to a letter: who and where they are, and a sentence of theirs."""

    name: str = ""
    city: str = ""
    own_words: str = ""


NO_BLANKS = Signature()  # a letter composed with nothing where the supporter has not signed


def normalize_text(text: str) -> str:
    """Line breaks as LF, no trailing spaces, at most one blank line in a row, no outer blanks.

    campaign.js has the same function; both must stay identical.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    text = "\n".join(line.rstrip(" \t") for line in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def compose_letter(skeleton: str, signature: Signature, blanks: Signature = NO_BLANKS) -> str:
    """Put a supporter's words into a letter skeleton (see MARKERS); where they have not
    typed their name or city yet, the blank's words ("[your name]", in the letter's
    language), so the signature never dangles ("에서 / 올림").

    campaign.js has the same function; both must stay identical.
    """
    text = skeleton
    for name, marker in MARKERS.items():
        typed = normalize_text(getattr(signature, name))
        text = text.replace(marker, typed or normalize_text(getattr(blanks, name)))
    return normalize_text(text)


RESIGN_CONTEXT = 40  # characters on each side that place a signature's change in a letter


def resign(edited: str, old: str, new: str) -> str | None:
    """A letter the supporter edited, signed anew: where the letter as composed changed from
    `old` to `new` (a new name, city or sentence), the same change made in `edited`, provided
    they left that part, and the lines around it, as it was; else None.

    campaign.js has the same function; both must stay identical.
    """
    if old == new:
        return edited
    start, most = 0, min(len(old), len(new))
    while start < most and old[start] == new[start]:
        start += 1
    end = 0
    while end < most - start and old[-1 - end] == new[-1 - end]:
        end += 1
    before = old[max(0, start - RESIGN_CONTEXT):start]
    after = old[len(old) - end:len(old) - end + RESIGN_CONTEXT]
    was = before + old[start:len(old) - end] + after
    if not was or edited.count(was) != 1:
        return None
    return normalize_text(edited.replace(was, before + new[start:len(new) - end] + after))
