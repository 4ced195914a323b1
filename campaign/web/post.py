"""The letter on paper: its print-ready pages (/<slug>/post), and the blank letters organizers
print for an event (/<slug>/post/blank). compose/postal.py says who receives it at which
address; static/post.css places that address in the envelope's window.

With JavaScript, nothing personal reaches the server. The letter's page keeps the
supporter's letter, name and city in the tab's own sessionStorage (scriptdata.POST_STORAGE_KEY)
and opens /<slug>/post?country=..&region=.. in the same tab: a page the same for everyone who
asks for that place, like the letter's own page, holding the blank letter and the recipients'
addresses. post.js fills the supporter's letter into it, in the browser; the request carries
only the letter, the country and the region, as a count does. Without JavaScript the letter
form posts to the same address, and the server renders the letter into the page (as it hands
over a mail link: pages.send).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, Response, render_template, request, url_for
from jinja2.utils import htmlsafe_json_dumps

from ..compose.postal import (
    COPIES_MAX,
    PostalAddress,
    blank_letter,
    copies_of,
    direction,
    letter_date,
    paper_for,
    postal_addresses,
)
from ..compose.sendlinks import POST_CHANNEL
from ..compose.sharelinks import BLANK_POST_PAGE, POST_PAGE, public_link
from ..data.letters import Letter
from ..i18n.languages import likely_country
from ..i18n.names import language_name
from . import caching, context, languages, pages
from .scriptdata import POST_STORAGE_KEY
from .sharing import page_path_of

bp = Blueprint("post", __name__)
PAGE = "post.html"
DATES_AROUND = 1  # days either side of the server's: post.js dates the letter by the device's


@dataclass(frozen=True)
class Sheet:
    """One printed page: a recipient's address, and which copy of it this is."""

    address: PostalAddress
    copy: int


@dataclass(frozen=True)
class Filled:
    """A supporter's letter as the server fills it in (without JavaScript)."""

    text: str
    sender: str  # the sender's lines: their name and city, which they may change on the page
    language: str
    date: str


@bp.before_request
def forms_only() -> None:
    """Form posts only, as on the letter's page."""
    pages.forms_only()


@languages.route(bp, POST_PAGE)
def page(slug: str) -> Response | tuple[str, int]:
    """The print page the letter's page opens: the same bytes for everyone asking for this
    place (post.js fills in the supporter's letter from the tab's storage)."""
    letter = context.letter_or_404(slug)
    today = dt.date.today()
    if not letter.is_open(today):
        return pages.closed(letter)
    country, region = _place()
    key = ("post", languages.current().code, slug, country, region, today)
    return caching.shared_page(key, lambda: _render(letter, country, region, today).encode())


# The letter form posts here without JavaScript: a route of the letter's own pages (pages.bp),
# so that a letter not ready to send is shown again on its page, as that page's routes do.
@languages.route(pages.bp, POST_PAGE, methods=["POST"])
def posted(slug: str) -> Response | tuple[str, int]:
    """Without JavaScript: count the send by post, and render the supporter's letter into the
    print page; a letter not ready is shown again on its own page, saying why."""
    sending = pages.ready(slug, pages.PAGE, by_email=False)
    if not isinstance(sending, pages.Ready):
        return sending
    sending.count(POST_CHANNEL)
    form, draft = sending.form, sending.draft
    language = form.letter_language.data or sending.letter.language
    today = dt.date.today()
    sender = "\n".join(line for line in (form.name.data, form.city.data) if line)
    filled = Filled(draft.text, sender, language, letter_date(today, language))
    html = _render(sending.letter, form.country.data or "", form.region.data or "", today,
                   filled=filled)
    response = Response(html, mimetype="text/html")
    response.headers["Cache-Control"] = caching.NO_STORE  # it holds the supporter's name
    return response


@languages.route(bp, BLANK_POST_PAGE)
def blank(slug: str) -> Response | tuple[str, int]:
    """Blank letters for an event, in the page's language: several copies of each page, with
    lines for each supporter to write their name and city and sign by hand."""
    letter = context.letter_or_404(slug)
    today = dt.date.today()
    if not letter.is_open(today):
        return pages.closed(letter)
    country, region = _place()
    copies = copies_of(request.args.get("copies", ""))
    asked = request.args.get("language", "")  # the letter's, if not the page's
    language = asked if asked in letter.languages else languages.current().code
    key = ("post-blank", languages.current().code, slug, country, region, copies, language)
    return caching.shared_page(key, lambda: _render(letter, country, region, today,
                                                    copies=copies, language=language).encode())


def _place() -> tuple[str, str]:
    """The country and region a print page is for, as contacts.yaml spells them ('' for
    none given or not known)."""
    found = context.data().contacts.place_of(request.args.get("country", ""),
                                             request.args.get("region", ""))
    return found or ("", "")


def _render(letter: Letter, country: str, region: str, today: dt.date,
            filled: Filled | None = None, copies: int = 0, language: str = "") -> str:
    """The print page: one sheet per recipient with a postal address (`copies` of each for
    the blank letters), with the supporter's letter if the server fills it in, else the
    blank letter in `language` or the page's (which post.js fills, if it has the
    supporter's)."""
    page_language = languages.current()
    shown = letter.in_language(filled.language if filled else language or page_language.code)
    addresses = postal_addresses(context.data().contacts, country, region)
    sheets = [Sheet(address, n) for n in range(max(copies, 1)) for address in addresses]
    paper = paper_for(country or likely_country(page_language))
    return render_template(
        PAGE, letter=letter, shown=shown, sheets=sheets, paper=paper, filled=filled,
        blank=bool(copies), copies=copies, copies_max=COPIES_MAX,
        letter_languages=[(code, language_name(code)) for code in letter.languages],
        parts=blank_letter(shown.skeleton), direction=direction(shown.language),
        domestic=any(not address.abroad for address in addresses),
        letter_url=public_link("", page_path_of(letter), country=country, region=region),
        blank_action=url_for("post.blank", slug=letter.slug),
        country=country, region=region,
        post_data=None if filled or copies else _script_data(letter, today))


def _script_data(letter: Letter, today: dt.date) -> Any:
    """What post.js needs to fill in the supporter's letter: where it is kept, and the date
    in each of the letter's languages (the days around today: the device's date decides)."""
    days = [today + dt.timedelta(days=n) for n in range(-DATES_AROUND, DATES_AROUND + 1)]
    return htmlsafe_json_dumps({
        "key": POST_STORAGE_KEY,
        "letter": letter.slug,
        "languages": {code: {"direction": direction(code),
                             "dates": {day.isoformat(): letter_date(day, code) for day in days}}
                      for code in letter.languages},
    })


def init_app(app: Flask) -> None:
    """Register the print pages."""
    app.register_blueprint(bp)
