"""The page a letter's form post returns, rendered once per shape and filled in per supporter.

Two supporters who post alike (the same page, language, country, recipients ticked, the same
fields to fix, a letter ready or not) get the same page but for what each typed, and what is
made of it: their name, city, sentence, subject and letter, their count token (the page
carries no send link: pages._posted). So the page is rendered once per shape, each of those
values a placeholder, and kept with the data (data/pagecache.py); each post then only fills
in its own values, escaped exactly as the template escapes them (markupsafe's escape: element
text and attribute values alike). The template never sees a supporter's value while the
shape is rendered, so none can stay in it for another: only placeholders do.
`tests/web/test_shapes.py` holds the filled-in page to the page rendered whole, byte for
byte, over generated posts.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Hashable
from typing import Any

from flask import render_template
from markupsafe import escape

from ..compose.drafts import Draft, Preview
from . import context
from .letterform import LetterForm

# A placeholder: two characters of Unicode's private use area around its number. No rule of
# the form lets a supporter's value hold them, and values are never scanned for placeholders:
# the page is filled in one pass over the shape only.
_PLACEHOLDER = re.compile("\ue000([0-9]+)\ue001")
# The form's fields a supporter types (or that carry what they typed, or their token).
PERSONAL = ("name", "city", "own_words", "extra_to", "subject", "letter", "base", "count_token")


class Values:
    """A supporter's values, each taken out of what the template is given and replaced by a
    placeholder; an empty value stays as it is (the shape says which are empty)."""

    def __init__(self) -> None:
        self.values: list[str] = []

    def __call__(self, value: str) -> str:
        """The placeholder of a value (or the empty value itself)."""
        if not value:
            return value
        self.values.append(value)
        return f"\ue000{len(self.values) - 1}\ue001"

    def fill(self, shape: Shape) -> str:
        """The page: the shape with each placeholder replaced by its value, escaped."""
        escaped = [str(escape(value)) for value in self.values]
        texts, slots = shape
        parts = [texts[0]]
        for slot, text in zip(slots, texts[1:], strict=True):
            parts += (escaped[slot], text)
        return "".join(parts)


# A shape, cut at its placeholders once: its texts, and the number of the value that goes
# between each two, so each post joins it with its values rather than searching it.
Shape = tuple[tuple[str, ...], tuple[int, ...]]


def cut(page: str) -> Shape:
    """A rendered shape, cut at its placeholders."""
    pieces = _PLACEHOLDER.split(page)
    return tuple(pieces[::2]), tuple(int(number) for number in pieces[1::2])


def render(template: str, key: Hashable, form: LetterForm, draft: Draft, preview: Preview,
           page: Callable[[], dict[str, Any]]) -> str:
    """The page of a post: its shape (rendered the first time, under `key` (what the page's
    other values, `page()`, depend on) and what the form and draft hold but the supporter's
    values), filled in with this supporter's values. `page()` is called only to render a
    shape: a post whose shape is kept works out none of it. The form and draft are theirs no
    more: the values in them are placeholders now."""
    message, extra = draft.message, form.extra_to.data or ""
    added = message is not None and bool(extra) and extra in message.to
    # Every value of theirs, in one order; the shape depends on which of them are empty.
    mine = [form[name].data or "" for name in PERSONAL]
    mine += [message.subject, message.body] if message else []
    mine += [preview.opening, preview.closing]
    if added:
        mine.append(extra)
    values = Values()
    taken = iter([values(value) for value in mine])
    for name in PERSONAL:
        form[name].data = next(taken)
    if message is not None:
        subject, body = next(taken), next(taken)
    shown = Preview(next(taken), next(taken))
    if message is not None:
        to = tuple(next(taken) if added and address == extra else address
                   for address in message.to)
        message = dataclasses.replace(message, to=to, subject=subject, body=body)
    # No send link: a posted page carries none (pages._posted builds none for it; the
    # script builds its own, and each no-JS send button's post the one it opens).
    shaped = dataclasses.replace(draft, text="", base="", message=message, links=[])
    shape_key = ("shape", key, tuple(not value for value in mine), added, form.country.data,
                 form.region.data, form.letter_language.data, form.src.data, form.offered.data,
                 form.routed.data, tuple((name, tuple(map(str, errors)))
                                         for name, errors in form.errors.items()),
                 draft.place, draft.pending, draft.edited, draft.stale, draft.ticked,
                 draft.to_error, message.to if message else None)
    shape = context.data().rendered.get(
        shape_key,
        lambda: cut(render_template(template, form=form, draft=shaped, preview=shown,
                                    **page())))
    return values.fill(shape)
