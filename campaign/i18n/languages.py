"""The languages the campaign speaks: `LANGUAGES` is the one list, each language's code in
URLs, its Babel locale, its BCP 47 tag (for <html lang> and hreflang), its og:locale and its
writing direction (CLDR's); which of them is nearest a browser's or a link's language tag;
and the tag and direction of any language a letter is written in. No Flask: web/languages.py
picks a request's language with these."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header


@dataclass(frozen=True)
class Language:
    """One language the campaign speaks."""

    code: str  # in URLs: /ko/, /zh-hans/
    locale: str  # Babel's: ko, zh_Hans
    tag: str  # BCP 47, for lang= and hreflang=: ko, zh-Hans
    og_locale: str  # Open Graph's: ko_KR (Facebook's list of locales: Arabic is ar_AR)

    @property
    def dir(self) -> str:
        """Its writing direction, for dir=: rtl for Arabic, else ltr (CLDR's)."""
        return direction(self.code)


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
    Language("ar", "ar", "ar", "ar_AR"),
    Language("ru", "ru", "ru", "ru_RU"),
    Language("id", "id", "id", "id_ID"),
)


DEFAULT = LANGUAGES[0]


BY_CODE = {language.code: language for language in LANGUAGES}


# What looks like a language tag where a URL's first segment is: a language, then perhaps a
# script and a region (BCP 47): en, pt-br, zh-hant-tw, es-419; not no-such-letter.
TAG = re.compile(r"[a-z]{2,3}(-[a-z]{4})?(-(?:[a-z]{2}|\d{3}))?", re.IGNORECASE)


def nearest(tag: str) -> Language | None:
    """The supported language nearest a BCP 47 tag (zh-TW: Traditional Chinese), if any."""
    try:
        parsed = Locale.parse(tag.replace("_", "-"), sep="-")
    except (ValueError, UnknownLocaleError):
        return None
    if parsed.language == "zh":
        script = parsed.script or get_global("likely_subtags").get("zh", "zh_Hans").split("_")[1]
        return BY_CODE.get(f"zh-{script.lower()}")
    return next((lang for lang in LANGUAGES if lang.locale == parsed.language), None)


@functools.lru_cache(maxsize=256)  # a request line or header: 8 KB at most, 2 MB in all
def nearest_page(path: str) -> str | None:
    """Where a path whose first segment is a language tag we do not have (/ko-KR/, /it/) is
    found: the same path in the nearest language we have, else in English. None for any
    other path."""
    first, _slash, rest = path.lstrip("/").partition("/")
    if not TAG.fullmatch(first) or first in BY_CODE:
        return None
    try:
        Locale.parse(first.replace("_", "-"), sep="-")
    except (ValueError, UnknownLocaleError):
        return None  # not a language: an ordinary missing page
    return f"/{(nearest(first) or DEFAULT).code}/{rest}"


@functools.lru_cache(maxsize=256)  # a request line or header: 8 KB at most, 2 MB in all
def negotiate(header: str) -> Language:
    """The language a browser asks for first among ours (its Accept-Language header), else
    English."""
    accept = parse_accept_header(header, LanguageAccept)
    for tag, quality in sorted(accept, key=lambda item: -item[1]):
        found = nearest(tag) if quality > 0 and tag != "*" else None
        if found:
            return found
    return DEFAULT


@functools.lru_cache(maxsize=256)
def tag_of(code: str) -> str:
    """A language's BCP 47 tag, for lang=, from its code as URLs and letters spell it
    (zh-hans: zh-Hans, pt-br: pt-BR)."""
    if code in BY_CODE:
        return BY_CODE[code].tag
    try:
        parsed = Locale.parse(code.replace("_", "-"), sep="-")
    except (ValueError, UnknownLocaleError):
        return code
    return "-".join(part for part in (parsed.language, parsed.script, parsed.territory) if part)


@functools.lru_cache(maxsize=256)
def locale_of(code: str) -> str:
    """A language's Babel locale, from its code as URLs and letters spell it (zh-hans:
    zh_Hans)."""
    if code in BY_CODE:
        return BY_CODE[code].locale
    return tag_of(code).replace("-", "_")


@functools.lru_cache(maxsize=256)
def direction(code: str) -> str:
    """A language's writing direction, for dir=: "rtl" or "ltr" (CLDR's)."""
    try:
        parsed = Locale.parse(code.replace("_", "-"), sep="-")
    except (ValueError, UnknownLocaleError):
        return "ltr"
    return "rtl" if parsed.text_direction == "rtl" else "ltr"


def likely_country(language: Language) -> str:
    """The country a reader of a language most likely lives in (CLDR's likely subtags)."""
    likely: str = get_global("likely_subtags").get(language.locale, "")
    return likely.rsplit("_", 1)[-1] if likely.count("_") >= 1 else ""
