"""Fingerprinted static files: /assets/campaign.<hash>.css, cached for a year.

A name changes whenever its content does, so a proxy or CDN may keep each one forever.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Blueprint, Flask, Response, abort, current_app, send_from_directory, url_for

from . import caching

bp = Blueprint("assets", __name__)


def fingerprints(folder: Path) -> dict[str, str]:
    """Each static file's name, and its fingerprinted name."""
    names = {}
    for path in sorted(folder.iterdir()):
        if path.is_file():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
            names[path.name] = f"{path.stem}.{digest}{path.suffix}"
    return names


def asset_url(name: str) -> str:
    """The fingerprinted URL of a static file."""
    return url_for("assets.asset", name=current_app.extensions["campaign_assets"][name])


@bp.route("/assets/<name>")
def asset(name: str) -> Response:
    """A static file under its fingerprinted name, cacheable for a year."""
    originals = {v: k for k, v in current_app.extensions["campaign_assets"].items()}
    if name not in originals:
        abort(404)
    response = send_from_directory(current_app.static_folder or "", originals[name],
                                   max_age=caching.A_YEAR)
    response.headers["Cache-Control"] = caching.IMMUTABLE
    return response


def init_app(app: Flask) -> None:
    """Fingerprint the static files and offer asset_url() to templates."""
    app.extensions["campaign_assets"] = fingerprints(Path(app.static_folder or ""))
    app.jinja_env.globals["asset_url"] = asset_url
    app.register_blueprint(bp)
