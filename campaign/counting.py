"""The impact counter's routes: count a send, confirm one, show the totals."""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from sqlalchemy.exc import SQLAlchemyError

from . import store
from .app import current_settings
from .database import ACTION, COUNTED, KINDS, LIMITED, REUSED, Action, Counter
from .forms import source_of
from .links import COUNTED_CHANNELS
from .ratelimit import client_key
from .tokens import TOKEN_MAX_AGE, BadToken, mint, read

bp = Blueprint("counting", __name__)
BAD, UNAVAILABLE = "bad", "unavailable"
STATUS = {COUNTED: 201, REUSED: 409, BAD: 400, LIMITED: 429, UNAVAILABLE: 503}


def counter() -> Counter:
    """The running app's counter."""
    found: Counter = current_app.extensions["campaign_counter"]
    return found


def new_token(slug: str) -> str:
    """A count token for one rendering of a letter's page."""
    return mint(current_app.config["SECRET_KEY"], slug)


def usable_token(token: str | None, slug: str) -> str:
    """The token a page posted back, if it is valid for this letter; else a fresh one."""
    try:
        if token and read(current_app.config["SECRET_KEY"], token).letter == slug:
            return token
    except BadToken:
        pass
    return new_token(slug)


def count(token: str, kind: str, channel: str, country: str, region: str, src: str) -> str:
    """Count one action; return 'counted', 'reused', 'bad', 'limited' or 'unavailable'.

    Only a valid token counts, once; and a client counts at most COUNT_LIMIT a minute.
    """
    secret = current_app.config["SECRET_KEY"]
    try:
        found = read(secret, token)
    except BadToken:
        return BAD
    if (kind not in KINDS or found.letter not in store.current().letters.by_slug
            or (kind == ACTION and channel not in COUNTED_CHANNELS)):
        return BAD
    # Known codes only: anything else is counted blank.
    country, region = store.current().contacts.place_of(country, region) or ("", "")
    action = Action(found.letter, country, region, channel if kind == ACTION else "",
                    source_of(src), kind)
    try:
        return counter().record(action, found.nonce, int(time.time()) + TOKEN_MAX_AGE,
                                client_key(secret, request.remote_addr or ""),
                                current_settings().count_limit)
    except SQLAlchemyError as exc:  # the letter still goes out; only the count is lost
        logging.getLogger("campaign.counts").error("count not recorded: %s", type(exc).__name__)
        return UNAVAILABLE


@bp.route("/count", methods=["POST"])
def count_action() -> tuple[Response, int]:
    """Count a send (or an "I sent it") from the page's script. Takes form fields or JSON."""
    fields: Any = request.get_json(silent=True) if request.is_json else request.form
    if not hasattr(fields, "get"):
        return jsonify(result=BAD), 400

    def text(name: str) -> str:
        value = fields.get(name, "")
        return value[:200] if isinstance(value, str) else ""

    result = count(text("token"), text("kind") or ACTION, text("channel"), text("country"),
                   text("region"), text("src"))
    return jsonify(result=result), STATUS[result]


@bp.route("/token", methods=["POST"])
def token() -> tuple[Response, int]:
    """A count token for one view of a letter's page, fetched by its script when the
    supporter first sends (the page itself is the same for everyone, and carries none)."""
    slug = request.form.get("letter", "")
    if slug not in store.current().letters.by_slug:
        return jsonify(result=BAD), 400
    response = jsonify(token=new_token(slug))
    response.headers["Cache-Control"] = "no-store"
    return response, 200


@bp.route("/stats.json")
def stats() -> Response:
    """The public totals: letters sent, countries, confirmations, overall and per letter."""
    letters = store.current().letters.by_slug
    overall = counter().totals()
    by_letter: dict[str, dict[str, int | None]] = {}
    for slug, letter in letters.items():
        totals = counter().totals(slug)
        by_letter[slug] = {"letters": totals.letters, "countries": totals.countries,
                           "confirmed": totals.confirmed, "goal": letter.goal}
    body = {"letters": overall.letters, "countries": overall.countries,
            "confirmed": overall.confirmed, "by_letter": by_letter}
    response = jsonify(body)
    response.headers["Cache-Control"] = "public, max-age=5"
    return response


def init_app(app: Flask) -> None:
    """Open the counter's database (creating its tables) and register the routes."""
    app.extensions["campaign_counter"] = Counter(app.extensions["campaign_settings"].database_url)
    app.register_blueprint(bp)
