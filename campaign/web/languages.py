"""Which language a request is in, and the pages in every language (i18n/languages.py lists
the languages).

A page's language comes from its URL (/ko/, /ko/<slug>/), so a shared link keeps it; a bare
URL follows the browser's Accept-Language (and says so in Vary). Everything a person reads
goes through gettext, with the catalogs the data holds (data/catalogs.py reads them), or
Babel's CLDR data.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from babel.support import NullTranslations, Translations
from flask import Blueprint, Flask, Response, g, has_request_context, request
from flask_babel import Babel, Domain, LazyString, format_date, format_number, format_percent
from markupsafe import Markup, escape
from werkzeug.routing import BaseConverter

from ..data.letters import SLUG
from ..i18n.languages import (
    BY_CODE,
    DEFAULT,
    LANGUAGES,
    Language,
    direction,
    locale_of,
    negotiate,
    tag_of,
)
from ..i18n.words import Words
from . import context

F = TypeVar("F", bound=Callable[..., Any])


class LanguageConverter(BaseConverter):
    """A URL segment naming one of LANGUAGES."""

    regex = "|".join(re.escape(language.code) for language in LANGUAGES)


class SlugConverter(BaseConverter):
    """A URL segment naming a letter: never one of LANGUAGES' codes, which /ko/ means."""

    regex = rf"(?!(?:{LanguageConverter.regex})$){SLUG.pattern}"


def current() -> Language:
    """The language of the request being answered: named by its URL, or else negotiated
    (English outside a request)."""
    if "language" not in g:
        g.language = negotiate(request.headers.get("Accept-Language", "")) \
            if has_request_context() else DEFAULT
    found: Language = g.language
    return found


def words() -> Words:
    """The interface's words in the request's language, for the layers below the web."""
    language = current()
    kept = g.get("words")
    if kept is None or kept.locale != language.locale:
        kept = g.words = Words(language.locale, _DOMAIN.get_translations(),
                               context.data().cities.in_language(language.code))
    found: Words = kept
    return found


def lazy_words(message: str) -> LazyString:
    """A message translated where it is shown, in the language of the request showing it
    (a form's labels are made once, shown in every language)."""
    return LazyString(lambda: words().gettext(message))


def words_for(code: str) -> Words:
    """The interface's words in any language a letter is written in (its code: ko, zh-hans),
    from that language's catalog; English where the site has none."""
    locale = locale_of(code)
    data = context.data()
    return Words(locale, data.catalogs.get(locale, NullTranslations()),
                 data.cities.in_language(code))


def lang_attributes(code: str, always: bool = False) -> Markup:
    """The lang and dir attributes of text in a language (a letter's code: en, zh-hans), where
    it is not the page's: a letter shown in its original, or the language a supporter chose
    for it. `always` for a field whose language the script may change."""
    if code == current().code and not always:
        return Markup("")
    return Markup(' lang="{}" dir="{}"').format(tag_of(code), direction(code))


def in_own_language(text: str, code: str) -> Markup:
    """Text in a language, marked with it where it is not the page's (a letter's title in a
    sentence of the page's language)."""
    attributes = lang_attributes(code)
    return Markup("<span{}>{}</span>").format(attributes, text) if attributes else escape(text)


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
    # Templates translate through the request's Words, straight to its catalog: a page asks
    # a hundred times, and Flask-Babel's way there looks the request up each time.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda message: words().translations.gettext(message),
        ngettext=lambda singular, plural, num: words().translations.ngettext(singular, plural,
                                                                            num),
        newstyle=True)

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
                                 format_date=format_date, lang_attributes=lang_attributes,
                                 in_own_language=in_own_language, tag_of=tag_of,
                                 direction=direction)


def route(blueprint: Blueprint, rule: str, **options: Any) -> Callable[[F], F]:
    """Register a page at its rule and at /<lang>/rule: /ko/<slug>/ for every language."""

    rule = rule.replace("<slug>", "<slug:slug>")  # compose/sharelinks.py spells pages so

    def register(view: F) -> F:
        blueprint.add_url_rule(rule, view_func=view, **options)
        blueprint.add_url_rule(f"/<lang:lang>{rule}", view_func=view, **options)
        return view

    return register


class CatalogDomain(Domain):  # type: ignore[misc]
    """Flask-Babel's domain, translating with the catalogs the app's data holds."""

    def get_translations(self) -> Translations | NullTranslations:
        locale = current().locale
        if not has_request_context():
            return context.data().catalogs.get(locale, NullTranslations())
        # A page asks hundreds of times: the data is looked up once per request and language.
        kept = g.get("catalog")
        if kept is None or kept[0] != locale:
            kept = g.catalog = (locale, context.data().catalogs.get(locale, NullTranslations()))
        found: Translations | NullTranslations = kept[1]
        return found


class CampaignBabel(Babel):  # type: ignore[misc]
    """Flask-Babel, with the catalogs read by this module."""

    @property
    def domain_instance(self) -> Domain:
        return _DOMAIN


_DOMAIN = CatalogDomain()
