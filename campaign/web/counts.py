"""The counter's routes: count a send, confirm one, hand out a token, show the totals."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, request

from ..counting.service import BAD, UNAVAILABLE, Counting
from ..counting.storage import ACTION, COUNTED, LIMITED, REUSED
from ..counting.tokens import BadToken, mint, read
from . import caching, context

bp = Blueprint("counting", __name__)
# The script posts to these (static/campaign.js); deploy/nginx.conf limits their rate. Tests
# hold both to these paths.
COUNT_PATH, TOKEN_PATH = "/count", "/token"
# A token already used is not an error: a second click, or a reloaded page, is normal. It
# counts nothing and is answered 200, so no browser logs it as a failed request.
STATUS = {COUNTED: 201, REUSED: 200, BAD: 400, LIMITED: 429, UNAVAILABLE: 503}


def counting() -> Counting:
    """What counting needs, from the running app: its counter, secret key and rate limit."""
    return Counting(context.counter(), current_app.config["SECRET_KEY"],
                    context.settings().count_limit)


def count(token: str, kind: str, channel: str, country: str, region: str, src: str) -> str:
    """Count one action of this request's client (see counting/service.py)."""
    return counting().count(context.data(), request.remote_addr or "", token, kind, channel,
                            country, region, src)


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


@bp.route(COUNT_PATH, methods=["POST"])
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


@bp.route(TOKEN_PATH, methods=["POST"])
def token() -> tuple[Response, int]:
    """A count token for one view of a letter's page, fetched by its script when the
    supporter first sends (the page itself is the same for everyone, and carries none)."""
    slug = request.form.get("letter", "")
    if slug not in context.data().letters.by_slug:
        return jsonify(result=BAD), 400
    response = jsonify(token=new_token(slug))
    response.headers["Cache-Control"] = caching.NO_STORE
    return response, 200


@bp.route("/stats.json")
def stats() -> Response:
    """The public totals: letters sent, countries, confirmations, overall and per letter."""
    letters = context.data().letters.by_slug
    overall = context.counter().totals()
    by_letter: dict[str, dict[str, int | None]] = {}
    for slug, letter in letters.items():
        totals = context.counter().totals(slug)
        by_letter[slug] = {"letters": totals.letters, "countries": totals.countries,
                           "confirmed": totals.confirmed, "goal": letter.goal}
    body = {"letters": overall.letters, "countries": overall.countries,
            "confirmed": overall.confirmed, "by_letter": by_letter}
    response = jsonify(body)
    response.headers["Cache-Control"] = caching.TOTALS
    return response


def init_app(app: Flask) -> None:
    """Register the counter's routes."""
    app.register_blueprint(bp)
