"""/healthz: for organizers and monitors, the data's version, and the error if an edit broke
it (files named within the data folder, never the server's paths)."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, jsonify

from . import context

bp = Blueprint("health", __name__)
HEALTH_PATH = "/healthz"


@bp.route(HEALTH_PATH)
def healthz() -> Response:
    """For organizers and monitors: the data's version, and the error if an edit broke it."""
    held = context.reloader()
    data = held.data
    return jsonify(status="stale" if held.error else "ok", version=data.version,
                   loaded_at=data.loaded_at.isoformat(timespec="seconds"),
                   error=held.public_error,
                   letters=sorted(data.letters.by_slug), default_letter=data.letters.default_slug)


def init_app(app: Flask) -> None:
    """Register the health check."""
    app.register_blueprint(bp)
