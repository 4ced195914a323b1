"""A post for X: how X counts its length (twitter-text's weights, a link as 23), the limit a
letter's post must fit, and the post addressed to one mission's own account."""

from __future__ import annotations

import re
import unicodedata

X_LIMIT = 280  # X counts a URL as 23 and a CJK character as 2


X_URL_LENGTH = 23


# X's counting (twitter-text 3, its published configuration): these code points weigh 1,
# every other 2 (CJK, emoji, ...), and any link 23. An emoji made of several code points
# weighs more here than on X: the count errs long, never short.
_X_LIGHT = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))


_X_LINK = re.compile(r"https?://\S+|\b(?:[a-z0-9-]+\.)+[a-z]{2,}\b(?:/\S*)?", re.IGNORECASE)


# The characters that weigh 2: every one outside _X_LIGHT's ranges.
_X_HEAVY = re.compile("[^" + "".join(f"{chr(low)}-{chr(high)}" for low, high in _X_LIGHT) + "]")


def _x_weight(text: str) -> int:
    """The X weight of text with no link in it."""
    return len(text) + len(_X_HEAVY.findall(text))


def x_length(text: str, with_link: bool = True) -> int:
    """How long X counts a post, with the campaign link (23, after a space) if it has one."""
    text = unicodedata.normalize("NFC", text)
    length, start = 0, 0
    for link in _X_LINK.finditer(text):
        length += _x_weight(text[start:link.start()]) + X_URL_LENGTH
        start = link.end()
    length += _x_weight(text[start:])
    return length + (X_URL_LENGTH + 1 if with_link else 0)


def addressed_post(post: str, handle: str) -> str:
    """The post for X, addressed to one mission's own account."""
    return f"@{handle} {post}"
