"""The letter's pages: read the form, call the pure functions, render.

The same views serve the letter's own page (letter.html, here) and a partner's frame
(embed.html, embed.py): each passes its template. An arrival page (a GET) is the same bytes
for everyone who arrives by the same link: no cookie, no token, no per-visitor anything
(caching.py keeps it). What differs per supporter happens in their browser, or in the pages a
post returns: the posted letter, and the count token its send buttons need.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, Response, abort, jsonify, render_template, request, url_for

from ..compose.drafts import (
    Answers,
    Draft,
    blanks_in,
    prepare,
    preview_of,
    report_link,
    subject_for,
)
from ..compose.places import questions
from ..compose.rules import REGION_WORDS, WAITING, address_problem, waiting_for
from ..compose.sendlinks import CHANNELS, platform_of
from ..compose.sharelinks import DEFAULT_PAGE, LETTER_PAGE
from ..counting.storage import ACTION, CONFIRMED, Totals
from ..data.contacts import Contacts
from ..data.letters import Letter
from ..data.lettertext import Signature
from ..data.sources import source_of
from ..i18n.languages import likely_country
from ..i18n.names import mission_name
from ..i18n.words import Words
from . import caching, context, languages, shapes
from .counts import count, usable_token
from .letterform import LetterForm
from .scriptdata import script_data_url
from .sharing import alternates, mission_post, public_url, sharing_for
from .suggestions import suggest

bp = Blueprint("letters", __name__)
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
PAGE = "letter.html"
EDITOR_FIELDS = ("letter_language", "subject", "letter")  # in the letter's <details>
Waiting = list[tuple[str, str]]  # what the send step waits for: (field, what to do there)


@bp.before_request
def forms_only() -> None:
    """The letter's pages take form posts only: a JSON (or any other) body is refused whole,
    before any of it reaches the form."""
    if request.method == "POST" and request.mimetype not in FORM_TYPES:
        abort(415)


@languages.route(bp, DEFAULT_PAGE, methods=["GET", "POST"])
def index() -> Response | tuple[str, int]:
    """The default letter's page."""
    return letter_page(context.data().letters.default, PAGE)


@languages.route(bp, LETTER_PAGE, methods=["GET", "POST"])
def letter(slug: str) -> Response | tuple[str, int]:
    """One letter's page, by its slug."""
    return letter_page(context.letter_or_404(slug), PAGE)


@languages.route(bp, f"{LETTER_PAGE}go/<channel>", methods=["POST"])
def go(slug: str, channel: str) -> tuple[str, int]:
    """Without JavaScript: count the send, then hand the browser the link that sends it."""
    return send(slug, channel, PAGE)


@languages.route(bp, f"{LETTER_PAGE}sent", methods=["POST"])
def sent(slug: str) -> tuple[str, int]:
    """Without JavaScript: count an "I sent it", and thank the supporter."""
    return confirm(slug)


@dataclass(frozen=True)
class Ready:
    """A letter posted without JavaScript to be sent, checked: its form and draft, and the
    count token its page posted."""

    letter: Letter
    form: LetterForm
    draft: Draft
    token: str  # only the page's own token counts

    def count(self, channel: str) -> None:
        """Count this letter's send by a channel (once per page: the token says so)."""
        form = self.form
        count(self.token, ACTION, channel, form.country.data or "", form.region.data or "",
              form.src.data or "")


def ready(slug: str, template: str, by_email: bool = True) -> Ready | tuple[str, int]:
    """A letter posted without JavaScript to be sent (by email, or else by post), checked;
    or the page to show instead: a closed letter's, or the letter's own page (in its
    template) saying what to fix."""
    letter = context.letter_or_404(slug)
    if not letter.is_open(dt.date.today()):
        return closed(letter)
    token = request.form.get("count_token", "")
    form, draft, waiting = _posted(letter, with_links=True)
    if not draft.ready or (by_email and not draft.links):
        return _render(letter, form, draft, waiting, template)
    return Ready(letter, form, draft, token)


def send(slug: str, channel: str, template: str) -> tuple[str, int]:
    """Count a send posted without JavaScript, then hand the browser the link that sends it;
    a letter not ready to send is shown again, in its page's template, saying why."""
    context.letter_or_404(slug)
    if channel not in CHANNELS:
        abort(404)
    sending = ready(slug, template)
    if not isinstance(sending, Ready):
        return sending
    message, form = sending.draft.message, sending.form
    link = next(link for link in sending.draft.links if link.channel == channel)
    sending.count(channel)
    if form.tell_organizers.data and form.extra_to.data:
        suggest(sending.token, form.country.data or "", form.region.data or "",
                form.extra_to.data, form.found_at.data or "")
    # A page that opens the link, not a redirect: the letter stays out of response headers,
    # and form-action 'self' (a redirect after a post is held to it) is kept strict.
    return render_template("handoff.html", letter=sending.letter, link=link, message=message,
                           form=sending.form), 200


@languages.route(bp, "/address-check", methods=["POST"])
def address_check() -> Response:
    """For campaign.js: what is wrong with an address a supporter adds for their mission, in
    the page's language ("" if nothing), by the same rule as the form's. The address is a
    mission's, posted (never in a URL), neither kept nor logged."""
    address = request.form.get("address", "").strip()
    response = jsonify(problem=address_problem(address, languages.words()))
    response.headers["Cache-Control"] = caching.NO_STORE
    return response


def confirm(slug: str) -> tuple[str, int]:
    """Count an "I sent it" posted without JavaScript, and thank the supporter."""
    letter = context.letter_or_404(slug)
    form = LetterForm(formdata=request.form)
    count(form.count_token.data or "", CONFIRMED, "", form.country.data or "",
          form.region.data or "", form.src.data or "")
    return render_template("thanks.html", letter=letter, sharing=sharing_for(letter),
                           totals=context.counter().totals(letter.slug)), 200


def letter_page(letter: Letter, template: str) -> Response | tuple[str, int]:
    """Show the letter form in a template; on a post, the letter and the links that send
    it."""
    if not letter.is_open(dt.date.today()):
        return closed(letter)
    if request.method == "GET":
        return _arrival_page(letter, template)
    return _render(letter, *_posted(letter), template)


def _arrival_page(letter: Letter, template: str) -> Response:
    """A fresh letter page: the same bytes for everyone arriving by this link."""
    arrival = _arrival(letter)
    totals = context.counter().totals(letter.slug)
    key = ("arrival", template, languages.current().code, languages.from_url(), letter.slug,
           *arrival.values(), totals, public_url())

    def render() -> bytes:
        # From the key's values only: nothing of the request but what the key holds (its
        # language and whether its address names it, letter, normalized arrival, totals and
        # public address) reaches the page.
        form = LetterForm(formdata=None, data=arrival)
        return _render(letter, form, *_fill(letter, form), template, totals,
                       arrival)[0].encode()

    return caching.shared_page(key, render)


def closed(letter: Letter) -> tuple[str, int]:
    """The polite page of a letter past its end date, with the letters still open."""
    today = dt.date.today()
    still_open = [other for other in context.data().letters.by_slug.values()
                  if other.is_open(today)]
    return render_template("closed.html", letter=letter.in_language(languages.current().code),
                           still_open=still_open), 200


def _posted(letter: Letter, with_links: bool = False) -> tuple[LetterForm, Draft, Waiting]:
    """The form as the supporter posted it, their draft, and what the send step waits for.
    The page gets a count token, for its send buttons, if it posted none of its own.

    The links that send the letter are built only `with_links` (a send without the script:
    the one it opens). A posted page carries none: its buttons post the form to that send,
    and the script, where it runs, builds its own from what the supporter typed."""
    form = LetterForm(formdata=request.form)  # never JSON: the form is only ever posted
    draft, waiting = _fill(letter, form, with_links)
    form.count_token.data = usable_token(form.count_token.data, letter.slug)
    return form, draft, waiting


def _fill(letter: Letter, form: LetterForm, with_links: bool = False) -> tuple[Draft, Waiting]:
    """Check a form, work out its draft, and show the draft in the form; and what the send
    step waits for. A fresh page marks no field: its send step says what it waits for."""
    data = context.data()
    form.set_places(data.contacts, (likely_country(languages.current()),), data.rendered)
    form.set_languages(letter, languages.current().code)
    shown = letter.in_language(form.letter_language.data)
    if request.method == "POST":
        # the subject the arrival page offered everyone: theirs is picked at random
        form.subject.data = subject_for(form.subject.data or "", form.offered.data or "",
                                        shown.subjects, random.random())
        form.offered.data = ""  # from now on, the subject is theirs
    else:
        form.offered.data = form.subject.data = shown.subjects[0]
    valid = form.validate()
    problems = form.problems()
    posted = request.method == "POST"
    if not posted:
        for field in form:
            field.errors = []
    elif not form.base.data:  # a fresh page's: the letter it offered
        first = letter.in_language(form.first_language)
        form.base.data = first.compose(Signature(), blanks_in(languages.words_for(first.language)))
    draft = prepare(shown, data.contacts, _answers(form), posted and valid, languages.words(),
                    blanks_in(languages.words_for(shown.language)), with_links)
    # A fresh page leaves the base empty: its letter is in the page once, not twice.
    form.letter.data, form.base.data = draft.text, draft.base if posted else ""
    form.routed.data = draft.place
    if draft.to_error:
        problems.append(("to", True))
    return draft, waiting_for(problems, form.region_kind, languages.words())


def _render(letter: Letter, form: LetterForm, draft: Draft, waiting: Waiting, template: str,
            totals: Totals | None = None,
            arrival: dict[str, str] | None = None) -> tuple[str, int]:
    """The letter's page, in its template; an arrival page with the totals and the arrival it
    was keyed by. A post's page is rendered once per shape, and filled in with what the
    supporter typed (shapes.py): what is the same for every post of a shape (its recipients,
    questions, sharing) is worked out only when the shape is rendered."""
    posted = request.method == "POST"
    totals = context.counter().totals(letter.slug) if totals is None else totals

    def page() -> dict[str, Any]:
        data = context.data()
        words = languages.words()
        asks = questions(letter, data.contacts, form.country.data or "", form.region.data or "")
        sharing = sharing_for(letter)
        action = url_for(request.endpoint or "letters.index", **(request.view_args or {}))
        return {
            "letter": letter, "asks": asks, "waiting": waiting, "action": f"{action}#result",
            "contacts": data.contacts, "recipients": _recipient_rows(draft, data.contacts, words),
            "pending_question": words.gettext(REGION_WORDS[asks["region_kind"]].prompt
                                              if form.country.data else WAITING["country"][0]),
            "editor_open": posted and draft.edited or any(form[name].errors
                                                          for name in EDITOR_FIELDS),
            "data_url": script_data_url(letter, sharing), "sharing": sharing,
            "mission_posts": [post for r in draft.route.accounts
                              if (post := mission_post(sharing, r))],
            "alternates": alternates(arrival),
            "canonical": sharing.url if languages.from_url() else sharing.default_url,
            "totals": totals}

    if posted:
        key = (template, languages.current().code, request.endpoint,
               tuple(sorted((request.view_args or {}).items())), public_url(), totals)
        return shapes.render(template, key, form, draft, preview_of(draft.text), page), 200
    return render_template(template, form=form, draft=draft, preview=preview_of(draft.text),
                           **page()), 200


def _arrival(letter: Letter) -> dict[str, str]:
    """A fresh page's fields: the country (and region) and share source of the link (a
    partner's key, when it names a partner)."""
    args = request.args
    country, region = context.data().contacts.place_of(
        args.get("country", ""), args.get("region", "")) or ("", "")
    partner = args.get("partner", "")
    if partner:  # ?partner= names one of the organizers' partners, or nothing
        src = partner if partner in context.data().contacts.partners else ""
    else:
        src = source_of(args.get("src", ""))
    return {"country": country, "region": region, "src": src}


def _answers(form: LetterForm) -> Answers:
    """The form's values as plain data."""
    posted = request.method == "POST"
    return Answers(
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
        language=languages.current().code,
    )


def _recipient_rows(draft: Draft, contacts: Contacts, words: Words) -> list[dict[str, object]]:
    """The recipients as the page lists them, ticked or not."""
    return [{"recipient": r, "name": mission_name(r, words), "ticked": r.key in draft.ticked,
             "serving": r in draft.route.local and draft.route.instead is not None,
             "report": report_link(contacts, r, words)}
            for r in draft.shown]


def init_app(app: Flask) -> None:
    """Register the supporter's pages, and what templates need to link to them."""
    app.register_blueprint(bp)

    def letter_url(letter: Letter) -> str:
        return url_for("letters.letter", slug=letter.slug)

    app.jinja_env.globals.update(letter_url=letter_url,
                                 home_url=lambda: url_for("letters.index"))
