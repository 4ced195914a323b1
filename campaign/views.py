"""The supporter's pages: read the form, call the pure functions, render."""

from __future__ import annotations

import datetime as dt
import random

from flask import Blueprint, Flask, Response, abort, jsonify, render_template, request
from werkzeug.datastructures import MultiDict

from . import store
from .contacts import OTHER, Contacts
from .drafts import Choices, Draft, browser_data, prepare, report_link
from .forms import LetterForm
from .letters import Letter, Signature
from .sharing import sharing_for

bp = Blueprint("letters", __name__)


@bp.route("/", methods=["GET", "POST"])
def index() -> tuple[str, int]:
    """The default letter's page."""
    return letter_page(store.current().letters.default)


@bp.route("/<slug>/", methods=["GET", "POST"])
def letter(slug: str) -> tuple[str, int]:
    """One letter's page, by its slug."""
    found = store.current().letters.by_slug.get(slug)
    if found is None:
        abort(404)
    return letter_page(found)


def letter_page(letter: Letter) -> tuple[str, int]:
    """Show the letter form; on a post, the letter and the links that send it."""
    data = store.current()
    today = dt.date.today()
    if not letter.is_open(today):
        still_open = [other for other in data.letters.by_slug.values() if other.is_open(today)]
        return render_template("closed.html", letter=letter, still_open=still_open), 200
    if request.method == "GET":
        form = LetterForm(formdata=None, data=_arrival(letter))
    else:
        form = LetterForm()
    form.set_places(data.contacts)
    ready = request.method == "POST" and form.validate()
    draft = prepare(letter, data.contacts, _choices(form), ready=ready)
    form.letter.data, form.base.data = draft.text, draft.base
    form.routed.data = draft.place
    status = 400 if form.csrf_token.errors else 200
    return render_template("letter.html", letter=letter, form=form, draft=draft,
                           contacts=data.contacts, recipients=_recipient_rows(draft, data.contacts),
                           browser_data=browser_data(letter, data.contacts),
                           sharing=sharing_for(letter)), status


def _arrival(letter: Letter) -> dict[str, str]:
    """A fresh page's fields: the country (and state) of a shared link, a subject line."""
    args = MultiDict({k: v.strip() for k, v in request.args.items(multi=False)})
    country = args.get("country", "").upper()
    countries = store.current().contacts.countries
    if country not in countries and country != OTHER.upper():
        country = ""
    region = args.get("region", "").upper()
    if country not in countries or region not in countries[country].regions:
        region = ""
    return {"country": OTHER if country == OTHER.upper() else country, "region": region,
            "subject": random.choice(letter.subjects), "src": args.get("src", "")}


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
    )


def _recipient_rows(draft: Draft, contacts: Contacts) -> list[dict[str, object]]:
    """The recipients as the page lists them, ticked or not."""
    return [{"recipient": r, "ticked": r.key in draft.ticked,
             "serving": r is draft.route.serving and draft.route.instead is not None,
             "report": report_link(contacts, r)}
            for r in draft.route.recipients]


@bp.route("/healthz")
def healthz() -> Response:
    """For organizers and monitors: the data's version, and the error if an edit broke it."""
    held = store.store()
    data = held.data
    return jsonify(status="stale" if held.error else "ok", version=data.version,
                   loaded_at=data.loaded_at.isoformat(timespec="seconds"), error=held.error,
                   letters=sorted(data.letters.by_slug), default_letter=data.letters.default_slug)


def init_app(app: Flask) -> None:
    """Register the supporter's pages."""
    app.register_blueprint(bp)
