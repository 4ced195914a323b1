"""The languages the campaign speaks, and which one a request is in.

`LANGUAGES` is the one list: each language's code in URLs, its Babel locale, its BCP 47 tag
(for <html lang> and hreflang), and its og:locale. A page's language comes from its URL
(/ko/, /ko/<slug>/), so a shared link keeps it; a bare URL follows the browser's
Accept-Language (and says so in Vary). Everything a person reads goes through gettext
(catalogs.py loads the catalogs) or Babel's CLDR data.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from flask import Blueprint, Flask, Response, g, has_request_context, request
from flask_babel import format_date, format_number, format_percent
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header
from werkzeug.routing import BaseConverter

from .catalogs import CampaignBabel
from .letters import SLUG

F = TypeVar("F", bound=Callable[..., Any])


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
# What looks like a language tag where a URL's first segment is: a language, then perhaps a
# script and a region (BCP 47): en, pt-br, zh-hant-tw, es-419; not no-such-letter.
TAG = re.compile(r"[a-z]{2,3}(-[a-z]{4})?(-(?:[a-z]{2}|\d{3}))?", re.IGNORECASE)


class LanguageConverter(BaseConverter):
    """A URL segment naming one of LANGUAGES."""

    regex = "|".join(re.escape(language.code) for language in LANGUAGES)


class SlugConverter(BaseConverter):
    """A URL segment naming a letter: never one of LANGUAGES' codes, which /ko/ means."""

    regex = rf"(?!(?:{LanguageConverter.regex})$){SLUG.pattern}"


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


@functools.lru_cache(maxsize=1024)
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


@functools.lru_cache(maxsize=1024)
def negotiate(header: str) -> Language:
    """The language a browser asks for first among ours (its Accept-Language header), else
    English."""
    accept = parse_accept_header(header, LanguageAccept)
    for tag, quality in sorted(accept, key=lambda item: -item[1]):
        found = nearest(tag) if quality > 0 and tag != "*" else None
        if found:
            return found
    return DEFAULT


def likely_country(language: Language) -> str:
    """The country a reader of a language most likely lives in (CLDR's likely subtags)."""
    likely: str = get_global("likely_subtags").get(language.locale, "")
    return likely.rsplit("_", 1)[-1] if likely.count("_") >= 1 else ""


def current() -> Language:
    """The language of the request being answered: named by its URL, or else negotiated
    (English outside a request)."""
    if "language" not in g:
        g.language = negotiate(request.headers.get("Accept-Language", "")) \
            if has_request_context() else DEFAULT
    found: Language = g.language
    return found


def localized(app: Flask, endpoint: str | None) -> bool:
    """Whether an endpoint has a version in each language (/ko/...)."""
    return bool(endpoint) and app.url_map.is_endpoint_expecting(endpoint or "", "lang")


def from_url() -> bool:
    """Whether the request named its language in its URL (else it was negotiated)."""
    return bool(g.get("language_in_url"))


def init_app(app: Flask) -> None:
    """Translate with Flask-Babel in the request's language, taken from the URL or else from
    Accept-Language; give templates the language."""
    app.url_map.converters["lang"] = LanguageConverter
    app.url_map.converters["slug"] = SlugConverter
    CampaignBabel(app, locale_selector=lambda: current().locale, default_locale=DEFAULT.locale)

    @app.url_value_preprocessor
    def language_from_url(endpoint: str | None, values: dict[str, object] | None) -> None:
        code = values.pop("lang", None) if values else None
        if isinstance(code, str):
            g.language, g.language_in_url = BY_CODE[code], True

    @app.url_defaults
    def language_in_links(endpoint: str, values: dict[str, object]) -> None:
        # Links a page gives out keep its language, where the route has a language version.
        if "lang" not in values and localized(app, endpoint):
            values["lang"] = current().code
        if values.get("lang") is None:
            values.pop("lang", None)

    @app.after_request
    def vary(response: Response) -> Response:
        if not from_url() and localized(app, request.endpoint):
            response.vary.add("Accept-Language")  # a bare URL's page follows the browser's
        return response

    @app.context_processor
    def language_context() -> dict[str, object]:
        return {"language": current(), "languages": LANGUAGES}

    app.jinja_env.globals.update(format_number=format_number, format_percent=format_percent,
                                 format_date=format_date)


def route(blueprint: Blueprint, rule: str, **options: Any) -> Callable[[F], F]:
    """Register a page at its rule and at /<lang>/rule: /ko/<slug>/ for every language."""

    def register(view: F) -> F:
        blueprint.add_url_rule(rule, view_func=view, **options)
        blueprint.add_url_rule(f"/<lang:lang>{rule}", view_func=view, **options)
        return view

    return register
