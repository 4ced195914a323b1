"""Who runs the campaign, where its addresses come from, and what it keeps: the footer of
every page, /about, /privacy, and the small files browsers and crawlers ask every site for.

The privacy page states the facts the code runs on (what a count is keyed by, how long a used
token is remembered, the rate limit's window, whether addresses are logged), read from the
modules that own them, so the page cannot drift from what the site does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, Response, abort, render_template, url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from ..counting.ratelimit import WINDOW_SECONDS
from ..counting.storage import counts
from ..counting.tokens import TOKEN_MAX_AGE
from ..data.contacts import Contacts, Recipient
from ..data.organizers import Organizers
from ..i18n.names import country_name, in_order, mission_name
from ..i18n.words import N_, Words
from ..media.favicon import favicon
from . import caching, context, languages
from .counts import COUNT_PATH, TOKEN_PATH
from .embed import leaving
from .health import HEALTH_PATH

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
EVERY_LETTER = N_("Every letter")  # the heading of the missions every letter goes to
# Crawlers may read the pages; the counter and the health check are not for them.
ROBOTS = "".join(["User-agent: *\n"] + [f"Disallow: {path}\n"
                                         for path in (HEALTH_PATH, TOKEN_PATH, COUNT_PATH)])
_LINK = re.compile(r"https?://[^\s;,)]+")


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


def linked(text: str) -> Markup:
    """A source note as HTML: escaped, its links clickable."""
    parts, start = [], 0
    for found in _LINK.finditer(text):
        url = found.group().rstrip(".")
        parts.append(escape(text[start:found.start()]))
        parts.append(Markup('<a href="{0}" rel="nofollow noopener noreferrer">{0}</a>')
                     .format(url))
        start = found.start() + len(url)
    parts.append(escape(text[start:]))
    return Markup("").join(parts)


@dataclass(frozen=True)
class SourceGroup:
    """The missions of one country (or those every supporter writes to), with their sources."""

    title: str
    missions: tuple[tuple[Recipient, str], ...]  # the mission and its name
    country: str = ""  # its ISO code; the title is then CLDR's name for it, not a message


def source_groups(contacts: Contacts, words: Words) -> list[SourceGroup]:
    """Every recipient's sources, the missions every supporter writes to first, then each
    country's, in the reader's order of country names."""
    groups = [SourceGroup(words.gettext(EVERY_LETTER),
                          tuple((r, mission_name(r, words)) for r in contacts.everyone))]
    names = in_order(((code, country_name(code, words)) for code in contacts.countries), words)
    for code, name in names:
        country = contacts.countries[code]
        missions = [r for r in country.missions if r not in contacts.everyone]
        groups.append(SourceGroup(name, tuple((r, mission_name(r, words)) for r in missions),
                                  code))
    return groups


def organizers() -> Organizers | None:
    """The organizers, as contacts.yaml names them (None until they do)."""
    return context.data().contacts.organizers


@languages.route(bp, "/privacy")
def privacy() -> str:
    """What the site keeps and what it does not, and whom to ask."""
    return render_template("privacy.html", facts=privacy_facts())


@languages.route(bp, "/about")
def about() -> str:
    """Who runs the campaign, and where every recipient's address was found."""
    return render_template("about.html", groups=source_groups(context.data().contacts,
                                                              languages.words()))


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
    """What every page's footer shows: the organizers, and the links to /about and /privacy."""
    return {"organizers": organizers(), "about_url": url_for("about.about"),
            "privacy_url": url_for("about.privacy")}


def init_app(app: Flask) -> None:
    """Register the pages and give every template the footer's facts."""
    app.register_blueprint(bp)
    app.context_processor(footer_context)
    app.jinja_env.globals.update(organizers_link=organizers_link, organizers_mail=organizers_mail,
                                 linked=linked)
