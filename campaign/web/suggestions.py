"""Addresses supporters found for their missions, told to the organizers where they tick "also
tell the organizers" (compose/suggestions.py says what is sent, and that it is all): posted by
the page's script to /suggest when the supporter sends, or with the no-JS send (pages.py).
Kept as counts are (the page's token, once; the same rate limit), shown on no page:
organizers read them with `campaign suggestions`."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, jsonify, request

from ..compose.suggestions import ADDRESS_MAX, PAGE_MAX
from . import caching, context
from .counts import STATUS, counting

bp = Blueprint("suggestions", __name__)
# The script posts here (static/campaign.js reads it from the page's data).
SUGGEST_PATH = "/suggest"


def suggest(token: str, country: str, region: str, address: str, page: str) -> str:
    """Tell the organizers of an address, for this request's client (counting/service.py)."""
    return counting().suggest(context.data(), request.remote_addr or "", token, country, region,
                              address, page)


@bp.route(SUGGEST_PATH, methods=["POST"])
def suggest_address() -> tuple[Response, int]:
    """An address a supporter found, from the page's script: the page's token, their place
    (which names the mission), the address and the page it is on. Form fields only."""
    def text(name: str, most: int = 200) -> str:
        return request.form.get(name, "")[:most]

    result = suggest(text("token"), text("country"), text("region"),
                     text("address", ADDRESS_MAX + 1), text("page", PAGE_MAX + 1))
    response = jsonify(result=result)
    response.headers["Cache-Control"] = caching.NO_STORE
    return response, STATUS[result]


def init_app(app: Flask) -> None:
    """Register the route."""
    app.register_blueprint(bp)
