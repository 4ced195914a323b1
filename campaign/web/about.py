"""Who runs the campaign, where its addresses come from, and what it keeps: the footer of
every page, /about, /privacy, and the small files browsers and crawlers ask every site for.

The privacy page states the facts the code runs on (what a count is keyed by, how long a used
token is remembered, the rate limit's window, whether addresses are logged), read from the
modules that own them, so the page cannot drift from what the site does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, Response, abort, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from ..counting.ratelimit import WINDOW_SECONDS
from ..counting.storage import counts
from ..counting.tokens import TOKEN_MAX_AGE
from ..data.citations import Citation, citations, recipient_citations
from ..data.contacts import Contacts, Recipient
from ..data.organizers import Organizers
from ..i18n.names import continent_of, country_name, in_order, mission_name
from ..i18n.words import Words
from ..media.favicon import favicon
from . import caching, context, languages
from .counts import COUNT_PATH, TOKEN_PATH
from .embed import leaving
from .health import HEALTH_PATH
from .sharing import alternates, public_url
from .suggestions import SUGGEST_PATH

bp = Blueprint("about", __name__)
# What each key of a count means to a supporter: one entry per key column of the counts.
DIMENSION_WORDS = {
    "letter": _l("which letter was sent"),
    "country": _l("the country chosen on the page"),
    "region": _l("the US state (or region) chosen, where the page asks for one"),
    "channel": _l("how it was sent: the email app, a webmail button, or copying the letter"),
    "src": _l("the kind of link that brought the visitor, like a QR code or an X post"),
    "day": _l("the day (UTC)"),
    "kind": _l("whether it was a send, or a press of \u201cI sent my letter\u201d"),
}
# Crawlers may read the pages; the counter and the health check are not for them.
ROBOTS = "".join(["User-agent: *\n"] + [f"Disallow: {path}\n"
                                         for path in (HEALTH_PATH, TOKEN_PATH, COUNT_PATH,
                                                      SUGGEST_PATH)])


@dataclass(frozen=True)
class PrivacyFacts:
    """What the site keeps, as its code says."""

    dimensions: tuple[tuple[str, str], ...]  # (database column, what it means)
    token_hours: int
    window_seconds: int
    count_limit: int
    logs_ip: bool


def privacy_facts() -> PrivacyFacts:
    """The facts /privacy states, from the modules and settings that own them."""
    settings = context.settings()
    keys = [column.name for column in counts.primary_key.columns]
    return PrivacyFacts(tuple((key, str(DIMENSION_WORDS[key])) for key in keys),
                        TOKEN_MAX_AGE // 3600, WINDOW_SECONDS, settings.count_limit,
                        settings.log_ip)


# What each kind of cited page is called (data/citations.py's KINDS).
CITATION_WORDS = {
    "official": _l("Official page"),
    "wikipedia": _l("Wikipedia"),
    "wikidata": _l("Wikidata"),
    "repository": _l("Public code repository"),
    "page": _l("Other public page"),
}


@dataclass(frozen=True)
class MissionSources:
    """A mission, its name in the page's language, and the public pages its facts are from."""

    recipient: Recipient
    name: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class CountrySources:
    """A country's missions, and the public pages saying which of them serves where."""

    code: str
    name: str
    missions: tuple[MissionSources, ...]
    citations: tuple[Citation, ...]  # its districts' and its accreditation's sources


@dataclass(frozen=True)
class RegionSources:
    """The countries of one continent, as CLDR groups and names them."""

    code: str
    name: str
    countries: tuple[CountrySources, ...]


@dataclass(frozen=True)
class SourcesPage:
    """What /about lists: the missions every letter goes to, the reader's own country first
    (where the link names it), then every other country, by continent."""

    everyone: tuple[MissionSources, ...]
    own: CountrySources | None
    regions: tuple[RegionSources, ...]


def mission_sources(recipient: Recipient, words: Words) -> MissionSources:
    """A mission with its public sources."""
    return MissionSources(recipient, mission_name(recipient, words),
                          recipient_citations(recipient))


def sources_page(contacts: Contacts, words: Words, own: str = "") -> SourcesPage:
    """Every recipient's public sources, in the reader's language and order: those every
    supporter writes to, the country `own` (an ISO code contacts.yaml lists, or ""), then the
    other countries under their continents, each list in the reader's order of names."""
    def country(code: str, name: str) -> CountrySources:
        found = contacts.countries[code]
        missions = tuple(mission_sources(r, words) for r in found.missions
                         if r not in contacts.everyone)
        return CountrySources(code, name, missions,
                              citations((*found.source, *found.districts_source)))

    names = in_order(((code, country_name(code, words)) for code in contacts.countries), words)
    by_continent: dict[str, list[CountrySources]] = {}
    for code, name in names:
        if code != own:
            by_continent.setdefault(continent_of(code), []).append(country(code, name))
    regions = in_order(((code, country_name(code, words)) for code in by_continent), words)
    return SourcesPage(
        tuple(mission_sources(r, words) for r in contacts.everyone),
        country(own, country_name(own, words)) if own in contacts.countries else None,
        tuple(RegionSources(code, name, tuple(by_continent[code])) for code, name in regions))


def citation_label(kind: str) -> str:
    """What a kind of cited page is called, in the page's language."""
    return str(CITATION_WORDS[kind])


def organizers() -> Organizers | None:
    """The organizers, as contacts.yaml names them (None until they do)."""
    return context.data().contacts.organizers


@languages.route(bp, "/privacy")
def privacy() -> str:
    """What the site keeps and what it does not, and whom to ask."""
    return render_template("privacy.html", facts=privacy_facts())


@languages.route(bp, "/about")
def about() -> Response:
    """Who runs the campaign, and where every recipient's address was found: the reader's
    country first where the link names one (?country=). The same bytes for everyone asking
    for the same language and country, as read and normalized: nothing of the raw query
    reaches the page."""
    contacts = context.data().contacts
    place = contacts.place_of(request.args.get("country", ""))
    own = place[0] if place and place[0] in contacts.countries else ""
    key = ("about", languages.current().code, own, public_url())

    def render() -> bytes:
        page = sources_page(contacts, languages.words(), own)
        return render_template("about.html", page=page,
                               alternates=alternates({"country": own})).encode()

    return caching.shared_page(key, render)


@bp.route("/organizers-logo")
def logo() -> Response:
    """The organizers' logo, from the data folder."""
    found = organizers()
    if found is None or found.logo is None:
        abort(404)
    # The site's Content-Security-Policy covers it too: an SVG opened alone runs no script.
    response = Response(found.logo.read_bytes(), mimetype=found.logo_type)
    response.headers["Cache-Control"] = caching.DAILY
    return response


@bp.route("/favicon.ico")
def favicon_ico() -> Response:
    """The site's icon, where a browser asks for it without reading the page."""
    response = Response(favicon(), mimetype="image/vnd.microsoft.icon")
    response.headers["Cache-Control"] = caching.DAILY
    return response


@bp.route("/robots.txt")
def robots() -> Response:
    """Crawlers may read the pages; the counter and health check are not for them."""
    response = Response(ROBOTS, mimetype="text/plain")
    response.headers["Cache-Control"] = caching.DAILY
    return response


def organizers_link(found: Organizers) -> Markup:
    """The organizers' name, linked to their site where they gave one."""
    if found.link:
        return Markup('<a href="{}"{} dir="auto">{}</a>').format(found.link, leaving(),
                                                                 found.name)
    return Markup('<bdi>{}</bdi>').format(found.name)


def organizers_mail(found: Organizers) -> Markup:
    """The organizers' address, as a mail link."""
    return Markup('<a href="mailto:{0}"{1} dir="ltr">{0}</a>').format(found.email,
                                                                      leaving(mail=True))


def footer_context() -> dict[str, Any]:
    """What every page's footer shows: the organizers, and the links to /about and /privacy;
    and whether every page says it is an example campaign (development, organizers unnamed:
    production refuses to start so)."""
    found = organizers()
    return {"organizers": found, "about_url": url_for("about.about"),
            "privacy_url": url_for("about.privacy"),
            "example_campaign": found is None and context.settings().development}


def init_app(app: Flask) -> None:
    """Register the pages and give every template the footer's facts."""
    app.register_blueprint(bp)
    app.context_processor(footer_context)
    app.jinja_env.globals.update(organizers_link=organizers_link, organizers_mail=organizers_mail,
                                 citation_label=citation_label)
