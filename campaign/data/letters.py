"""Campaign letters, as the app uses them: each letter, its translations, which one is the default.

letterfiles.py reads them from letters/; lettertext.py composes their text."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .lettertext import NO_BLANKS, Signature, compose_letter

SUBJECT_MAX = 150
ORIGINAL_LANGUAGE = "en"  # an original letter's language unless its front matter names one
SLUG_MAX = 63  # the longest letter slug: a file name, an address, and a count's key
SLUG = re.compile(rf"[a-z0-9][a-z0-9-]{{0,{SLUG_MAX - 1}}}")


@dataclass(frozen=True)
class Letter:
    """One campaign letter, parsed and ready to compose."""

    slug: str
    title: str
    description: str
    salutation: str
    subjects: tuple[str, ...]
    skeleton: str  # salutation and body, with MARKERS where the supporter's words go
    default: bool = False
    ends: dt.date | None = None
    post: str | None = None
    post_short: str | None = None
    goal: int | None = None
    language: str = ORIGINAL_LANGUAGE  # its code, as URLs spell it: en, ko, zh-hans
    fingerprint: str = ""  # of the file's text: what a translation says it was made from
    original: str | None = None  # a translation: the fingerprint of the original it was made from
    reviewed: bool = True  # a translation: read and approved by a native speaker
    translations: dict[str, Letter] = field(default_factory=dict, compare=False)

    @property
    def languages(self) -> list[str]:
        """The languages the letter can be sent in: the original's first."""
        return [self.language, *self.translations]

    def in_language(self, code: str) -> Letter:
        """The letter in a language, where it has been translated; else the original."""
        return self.translations.get(code, self)

    def compose(self, signature: Signature, blanks: Signature = NO_BLANKS) -> str:
        """The letter signed by one supporter (the blanks' words where they have not signed
        yet)."""
        return compose_letter(self.skeleton, signature, blanks)

    def is_open(self, today: dt.date) -> bool:
        """Whether supporters can still send this letter."""
        return self.ends is None or today <= self.ends


@dataclass(frozen=True)
class Letters:
    """Every letter in letters/, by slug, and which one `/` shows."""

    by_slug: dict[str, Letter]
    default_slug: str

    @property
    def default(self) -> Letter:
        """The letter shown at the site's root."""
        return self.by_slug[self.default_slug]
