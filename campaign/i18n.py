"""The languages the campaign speaks, and which one a request is in.

`LANGUAGES` is the one list: each language's code in URLs, its Babel locale, its BCP 47 tag
(for <html lang> and hreflang), and its og:locale. Everything a person reads goes through
gettext (catalogs in campaign/translations/) or Babel's CLDR data.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.core import get_global
from flask import Flask, g
from flask_babel import Babel


@dataclass(frozen=True)
class Language:
    """One language the campaign speaks."""

    code: str  # in URLs: /ko/, /zh-hans/
    locale: str  # Babel's: ko, zh_Hans
    tag: str  # BCP 47, for lang= and hreflang=: ko, zh-Hans
    og_locale: str  # Open Graph's: ko_KR


LANGUAGES = (
    Language("en", "en", "en", "en_US"),
    Language("ko", "ko", "ko", "ko_KR"),
    Language("ja", "ja", "ja", "ja_JP"),
    Language("zh-hans", "zh_Hans", "zh-Hans", "zh_CN"),
    Language("zh-hant", "zh_Hant", "zh-Hant", "zh_TW"),
    Language("fr", "fr", "fr", "fr_FR"),
    Language("de", "de", "de", "de_DE"),
    Language("es", "es", "es", "es_ES"),
    Language("pt", "pt", "pt", "pt_BR"),
)
DEFAULT = LANGUAGES[0]
BY_CODE = {language.code: language for language in LANGUAGES}


def likely_country(language: Language) -> str:
    """The country a reader of a language most likely lives in (CLDR's likely subtags)."""
    likely: str = get_global("likely_subtags").get(language.locale, "")
    return likely.rsplit("_", 1)[-1] if likely.count("_") >= 1 else ""


def current() -> Language:
    """The language of the request being answered (English outside a request)."""
    found: Language = g.get("language", DEFAULT)
    return found


def init_app(app: Flask) -> None:
    """Translate with Flask-Babel, in the request's language."""
    Babel(app, locale_selector=lambda: current().locale, default_locale=DEFAULT.locale,
          default_translation_directories="translations")
