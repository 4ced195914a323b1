"""The supporter's pages: read the form, call the pure functions, render.

An arrival page (a GET) is the same bytes for everyone who arrives by the same link: no
cookie, no token, no per-visitor anything. It is rendered once per link and language (and
whenever the totals change) and then served from memory, with an ETag; any shared cache may
keep it for a minute. What differs per supporter happens in their browser, or in the pages a
post returns: the posted letter, and the count token its send buttons need.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    g,
    jsonify,
    render_template,
    request,
    url_for,
)
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from . import i18n, store
from .contacts import Contacts
from .counting import count, counter, usable_token
from .database import ACTION, CONFIRMED, Totals
from .drafts import Choices, Draft, browser_data, prepare, report_link, subject_for
from .forms import LetterForm, address_problem, asked, source_of
from .letters import Letter, Signature
from .links import CHANNELS, platform_of
from .names import mission_name
from .sharing import Sharing, alternates, mission_post, public_url, sharing_for
from .store import CampaignData

bp = Blueprint("letters", __name__)
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# Browsers and shared caches (nginx, a CDN) may keep an arrival page a minute, and serve it a
# little longer while they fetch a fresh one; the totals on it are at most that old.
ARRIVAL_CACHE = "public, max-age=60, stale-while-revalidate=60"


@dataclass(frozen=True)
class RenderedPage:
    """An arrival page, rendered once: its bytes and their ETag."""

    body: bytes
    etag: str


@bp.before_request
def forms_only() -> None:
    """The letter's pages take form posts only: a JSON (or any other) body is refused whole,
    before any of it reaches the form."""
    if request.method == "POST" and request.mimetype not in FORM_TYPES:
        abort(415)


@i18n.route(bp, "/", methods=["GET", "POST"])
def index() -> Response | tuple[str, int]:
    """The default letter's page."""
    return letter_page(store.current().letters.default)


@i18n.route(bp, "/<slug:slug>/", methods=["GET", "POST"])
def letter(slug: str) -> Response | tuple[str, int]:
    """One letter's page, by its slug."""
    return letter_page(store.letter_or_404(slug))


@i18n.route(bp, "/<slug:slug>/go/<channel>", methods=["POST"])
def go(slug: str, channel: str) -> tuple[str, int]:
    """Without JavaScript: count the send, then hand the browser the link that sends it."""
    letter = store.letter_or_404(slug)
    if channel not in CHANNELS:
        abort(404)
    if not letter.is_open(dt.date.today()):
        return _closed(letter)
    posted_token = request.form.get("count_token", "")  # only the page's own token counts
    form, draft = _posted(letter)
    if draft.message is None:
        return _render(letter, form, draft)
    link = next(link for link in draft.links if link.channel == channel)
    count(posted_token, ACTION, channel, form.country.data or "", form.region.data or "",
          form.src.data or "")
    # A page that opens the link, not a redirect: the letter stays out of response headers,
    # and form-action 'self' (a redirect after a post is held to it) is kept strict.
    return render_template("handoff.html", letter=letter, link=link, message=draft.message,
                           form=form), 200


@i18n.route(bp, "/address-check", methods=["POST"])
def address_check() -> Response:
    """For campaign.js: what is wrong with an address a supporter adds for their mission, in
    the page's language ("" if nothing), by the same rule as the form's. The address is a
    mission's, posted (never in a URL), neither kept nor logged."""
    response = jsonify(problem=address_problem(request.form.get("address", "").strip()))
    response.headers["Cache-Control"] = "no-store"
    return response


@i18n.route(bp, "/<slug:slug>/sent", methods=["POST"])
def sent(slug: str) -> tuple[str, int]:
    """Without JavaScript: count an "I sent it", and thank the supporter."""
    letter = store.letter_or_404(slug)
    form = LetterForm(formdata=request.form)
    count(form.count_token.data or "", CONFIRMED, "", form.country.data or "",
          form.region.data or "", form.src.data or "")
    return render_template("thanks.html", letter=letter, sharing=sharing_for(letter),
                           totals=counter().totals(letter.slug)), 200


def letter_page(letter: Letter) -> Response | tuple[str, int]:
    """Show the letter form; on a post, the letter and the links that send it."""
    if not letter.is_open(dt.date.today()):
        return _closed(letter)
    if request.method == "GET":
        return _arrival_page(letter)
    form, draft = _posted(letter)
    return _render(letter, form, draft)


def _arrival_page(letter: Letter) -> Response:
    """A fresh letter page: the same bytes for everyone arriving by this link."""
    data = store.current()
    arrival = _arrival(letter)
    totals = counter().totals(letter.slug)
    key = ("arrival", _page_template(), i18n.current().code, letter.slug, *arrival.values(),
           totals, public_url())

    def render() -> RenderedPage:
        # From the key's values only: nothing of the request but what the key holds (its
        # language, letter, normalized arrival, totals and public address) reaches the page.
        form = LetterForm(formdata=None, data=arrival)
        html = _render(letter, form, _fill(letter, form), totals, arrival)[0].encode()
        return RenderedPage(html, hashlib.blake2b(html, digest_size=12).hexdigest())

    page = data.rendered.get(key, render)
    response = Response(page.body, mimetype="text/html")
    response.set_etag(page.etag)
    response.headers["Cache-Control"] = ARRIVAL_CACHE
    response.make_conditional(request)  # 304 when the browser or cache has these bytes
    return response


def _closed(letter: Letter) -> tuple[str, int]:
    """The polite page of a letter past its end date, with the letters still open."""
    today = dt.date.today()
    still_open = [other for other in store.current().letters.by_slug.values()
                  if other.is_open(today)]
    return render_template("closed.html", letter=letter.in_language(i18n.current().code),
                           still_open=still_open), 200


def _posted(letter: Letter) -> tuple[LetterForm, Draft]:
    """The form as the supporter posted it, and their draft; the links only if it is valid.
    The page gets a count token, for its send buttons, if it posted none of its own."""
    form = LetterForm(formdata=request.form)  # never JSON: the form is only ever posted
    draft = _fill(letter, form)
    form.count_token.data = usable_token(form.count_token.data, letter.slug)
    return form, draft


def _fill(letter: Letter, form: LetterForm) -> Draft:
    """Check a form (when posted), work out its draft, and show the draft in the form."""
    data = store.current()
    form.set_places(data.contacts, (i18n.likely_country(i18n.current()),), data.rendered)
    form.set_languages(letter, i18n.current().code)
    shown = letter.in_language(form.letter_language.data)
    if request.method == "POST":
        # the subject the arrival page offered everyone: theirs is picked at random
        form.subject.data = subject_for(form.subject.data or "", form.offered.data or "",
                                        shown.subjects, random.random())
        form.offered.data = ""  # from now on, the subject is theirs
    else:
        form.offered.data = form.subject.data = shown.subjects[0]
    ready = request.method == "POST" and form.validate()
    draft = prepare(shown, data.contacts, _choices(form), ready=ready)
    form.letter.data, form.base.data = draft.text, draft.base
    form.routed.data = draft.place
    return draft


def _render(letter: Letter, form: LetterForm, draft: Draft, totals: Totals | None = None,
            arrival: dict[str, str] | None = None) -> tuple[str, int]:
    """The letter page; an arrival page with the totals and the arrival it was keyed by."""
    data = store.current()
    place = asked(data.contacts, form.country.data or "", form.region.data or "")
    # Before a country is chosen, a page without the script asks the region too, among every
    # country's (it cannot show it later); the script shows it once a country needs it.
    asks = {"region": place.region, "address": place.address,
            "any_region": not form.country.data, "language": len(letter.languages) > 1}
    sharing = sharing_for(letter)
    local = [*draft.route.local, *([draft.route.instead] if draft.route.instead else [])]
    mission_posts = [post for r in local if (post := mission_post(sharing, r))]
    action = url_for(request.endpoint or "letters.index", **(request.view_args or {}))
    return render_template(_page_template(), letter=letter, form=form, draft=draft, asks=asks,
                           action=f"{action}#result", contacts=data.contacts,
                           recipients=_recipient_rows(draft, data.contacts),
                           browser_data=_browser_json(data, letter, sharing),
                           sharing=sharing, mission_posts=mission_posts,
                           alternates=alternates(arrival),
                           totals=counter().totals(letter.slug) if totals is None else totals), 200


def _page_template() -> str:
    """The letter's page, or the page another blueprint shows the same form in (embed.py)."""
    return str(g.get("letter_template", "letter.html"))


def _browser_json(data: CampaignData, letter: Letter, sharing: Sharing) -> Markup:
    """The page's data for campaign.js, as HTML-safe JSON, built once per letter, language and
    public address."""
    def make() -> Markup:
        posts = {key: post for key, r in data.contacts.recipients.items()
                 if (post := mission_post(sharing, r))}
        return htmlsafe_json_dumps({**browser_data(letter, data.contacts, posts),
                                    "addressCheck": url_for("letters.address_check")})

    return data.rendered.get(("browser_json", letter.slug, i18n.current().code, sharing.url),
                             make)


def _arrival(letter: Letter) -> dict[str, str]:
    """A fresh page's fields: the country (and region) and share source of the link (a
    partner's key, when it names a partner)."""
    args = request.args
    country, region = store.current().contacts.place_of(
        args.get("country", ""), args.get("region", "")) or ("", "")
    partner = args.get("partner", "")
    if partner:  # ?partner= names one of the organizers' partners, or nothing
        src = partner if partner in store.current().contacts.partners else ""
    else:
        src = source_of(args.get("src", ""))
    return {"country": country, "region": region, "src": src}


def _choices(form: LetterForm) -> Choices:
    """The form's values as plain data."""
    posted = request.method == "POST"
    return Choices(
        country=form.country.data or "",
        region=form.region.data or "",
        signature=Signature(form.name.data or "", form.city.data or "", form.own_words.data or ""),
        subject=form.subject.data or "",
        letter=form.letter.data or "",
        base=form.base.data or "",
        to=tuple(form.to.data or ()),
        routed=form.routed.data if posted else None,
        extra_to=form.extra_to.data or "",
        reset="reset" in request.form,
        platform=platform_of(request.user_agent.string),
    )


def _recipient_rows(draft: Draft, contacts: Contacts) -> list[dict[str, object]]:
    """The recipients as the page lists them, ticked or not."""
    return [{"recipient": r, "name": mission_name(r), "ticked": r.key in draft.ticked,
             "serving": r in draft.route.local and draft.route.instead is not None,
             "report": report_link(contacts, r)}
            for r in draft.route.recipients]


@bp.route("/healthz")
def healthz() -> Response:
    """For organizers and monitors: the data's version, and the error if an edit broke it."""
    held = store.store()
    data = held.data
    return jsonify(status="stale" if held.error else "ok", version=data.version,
                   loaded_at=data.loaded_at.isoformat(timespec="seconds"),
                   error=held.public_error,
                   letters=sorted(data.letters.by_slug), default_letter=data.letters.default_slug)


def init_app(app: Flask) -> None:
    """Register the supporter's pages, and what templates need to link to them."""
    app.register_blueprint(bp)

    def letter_url(letter: Letter) -> str:
        return url_for("letters.letter", slug=letter.slug)

    app.jinja_env.globals.update(letter_url=letter_url,
                                 home_url=lambda: url_for("letters.index"))
