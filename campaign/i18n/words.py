"""The interface's words in one language, handed to the layers below the web as an argument.

`Words` translates as Flask-Babel does (named placeholders, `num` for plurals), from a
catalog the data holds, so code outside a request (the letter's draft, the form's rules, the
names of missions) reads no Flask global. `N_` marks a message for `make messages` where it
is defined, to be translated where it is shown.
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from babel.numbers import format_decimal


def N_(text: str) -> str:
    """Mark text for translation where it is shown (the defining module translates nothing)."""
    return text


@dataclass(frozen=True)
class Words:
    """gettext and ngettext in one language."""

    locale: str  # Babel's: ko, zh_Hans
    translations: gettext.NullTranslations = field(default_factory=gettext.NullTranslations)
    # The cities CLDR does not name, in this language (data/cities.py), by country and city.
    cities: Mapping[tuple[str, str], str] = field(default_factory=dict)

    def gettext(self, message: str, **variables: Any) -> str:
        """A message in this language, its %(name)s placeholders filled."""
        text = self.translations.gettext(message)
        return text % variables if variables else text

    def ngettext(self, singular: str, plural: str, num: int, **variables: Any) -> str:
        """The form of a message for a number (%(num)s), its placeholders filled."""
        variables.setdefault("num", num)
        return self.translations.ngettext(singular, plural, num) % variables

    def format_number(self, number: int | float) -> str:
        """A number as this language writes it: 1,000 or 1.000 or 1 000."""
        return format_decimal(number, locale=self.locale)


ENGLISH = Words("en")
