"""The pages the front server serves when it answers itself: a body or an address over the
limits, a request it cannot read, the app away while it restarts. They are the app's own
error page (errors.py, error.html), rendered for every language and status into a folder
by `campaign errorpages` at deploy, beside the JSON the script's paths answer instead, and
the files the pages link (their stylesheet, script and icon: while the app is away, nginx serves
them from there, so its pages keep the site's look); deploy/nginx.conf serves them with the
app's headers."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from flask import Flask, g

from ..i18n.languages import LANGUAGES, Language
from . import context
from .errors import json_result, render_error

# What nginx answers itself (deploy/nginx.conf's error_page lists these: a test compares):
# a request it cannot read or for another host, a body or an address too large, too many
# counts from one address, and the app failing, away or too slow.
FRONT_SERVER_STATUSES = (400, 413, 414, 429, 500, 502, 503, 504)


def page_path(language: Language, status: int) -> str:
    """Where a status's page in a language is, in the folder: ko/502.html."""
    return f"{language.code}/{status}.html"


def json_path(status: int) -> str:
    """Where a status's JSON answer is, in the folder: 502.json."""
    return f"{status}.json"


def asset_path(name: str) -> str:
    """Where a file the pages link is, in the folder, by its address: assets/campaign.<hash>.css."""
    return f"assets/{name}"


def linked_assets(app: Flask, pages: list[str]) -> dict[str, bytes]:
    """The app's files these pages link, by where they go in the folder."""
    originals = {fingerprinted: name
                 for name, fingerprinted in app.extensions["campaign_assets"].items()}
    names = {name for html in pages for name in re.findall(r'="/assets/([^"/]+)"', html)}
    static = Path(app.static_folder or "")
    return {asset_path(name): (static / originals[name]).read_bytes() for name in sorted(names)}


def render_page(app: Flask, language: Language, status: int) -> str:
    """A status's page in a language, as the app would answer it (in a request of its own:
    Flask-Babel keeps one language per request), for an address no page has: a page's
    language links would name that page, and this one stands for any."""
    with app.test_request_context("/" + page_path(language, status),
                                  base_url=context.settings(app).public_url or None):
        g.language, g.language_in_url = language, True
        html, _code = render_error(status)
        return html


def json_answer(status: int) -> str:
    """A status's answer on the script's paths, as the app would give it."""
    return json.dumps({"result": json_result(status)}) + "\n"


def write(app: Flask, folder: Path) -> list[Path]:
    """Write every page and JSON answer into the folder; return the files written. Each file
    is replaced whole, so nginx never serves a half-written one."""
    pages = {page_path(language, status): render_page(app, language, status)
             for language in LANGUAGES for status in FRONT_SERVER_STATUSES}
    files = {name: html.encode() for name, html in pages.items()}
    files.update({json_path(status): json_answer(status).encode()
                  for status in FRONT_SERVER_STATUSES})
    files.update(linked_assets(app, list(pages.values())))
    written = []
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False) as temporary:
            temporary.write(content)
        os.chmod(temporary.name, 0o644)  # nginx's workers read it
        os.replace(temporary.name, path)
        written.append(path)
    return written
