"""Friendly pages for what goes wrong: a bad request, a missing page, a server error; and
the JSON answers of the script's paths (/count, /token, /suggest) instead."""

from __future__ import annotations

from flask import Flask, Response, jsonify, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, SecurityError

from ..counting.service import BAD, UNAVAILABLE
from ..counting.storage import LIMITED
from ..i18n.languages import nearest_page
from .counts import COUNT_PATH, TOKEN_PATH
from .requestlog import log_failure
from .suggestions import SUGGEST_PATH

# What the front server, or the app behind it, may answer while the app is away: calm words,
# since a restart (a deploy) takes seconds and loses nothing.
BACK_SOON = (_l("The site will be back in a moment"),
             _l("Reload the page in a few seconds. Anything you wrote is still on your "
                "device: go back to it."))

MESSAGES = {
    400: (_l("This request could not be understood"),
          _l("Go back to the page and try again. If the page was open for a long time, reload "
             "it.")),
    403: (_l("This form can only be sent from the campaign's own page"),
          _l("Go to the campaign page and fill the form in there.")),
    404: (_l("There is no such page"), _l("The link may be mistyped or out of date.")),
    405: (_l("This page cannot be used that way"), _l("Go back to the campaign page and try "
                                                       "again.")),
    413: (_l("That was more text than a letter needs"), _l("Shorten your letter and try again.")),
    414: (_l("This link is too long"),
          _l("Something added too much to it. Open the campaign from its plain address.")),
    415: (_l("This page takes a form, not data of that kind"),
          _l("Go back to the campaign page and send the form from there.")),
    429: (_l("Too many requests at once"), _l("Wait a minute, then try again.")),
    500: (_l("Something went wrong on our side"),
          _l("Your letter was not lost on your device: go back and try again in a moment.")),
    502: BACK_SOON,
    503: BACK_SOON,
    504: BACK_SOON,
}
# The script's paths answer JSON, whatever goes wrong: its result, as the counter says it.
JSON_PATHS = (COUNT_PATH, TOKEN_PATH, SUGGEST_PATH)


def json_result(code: int) -> str:
    """What a JSON answer of this status says happened: 'bad', 'limited' or 'unavailable'."""
    return LIMITED if code == 429 else UNAVAILABLE if code >= 500 else BAD


def render_error(code: int, request_id: str | None = None) -> tuple[str, int]:
    """A plain page that says what happened and what to do."""
    title, advice = MESSAGES.get(code, (_l("Error %(code)s", code=code),
                                        _l("Go back to the campaign page.")))
    return render_template("error.html", code=code, title=title, advice=advice,
                           request_id=request_id), code


def init_app(app: Flask) -> None:
    """Register the friendly error pages."""

    @app.errorhandler(SecurityError)
    def untrusted_host(error: SecurityError) -> Response:
        # A request naming a host that is not ours: no page of ours can be built for it,
        # and none of what it sent may reach a page (or a cache).
        return Response("This site does not answer to that host name.\n", 400,
                        mimetype="text/plain")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        if request.path in JSON_PATHS:
            code = error.code or 500
            kept = [(name, value) for name, value in error.get_headers()  # Allow: POST
                    if name.lower() != "content-type"]
            return jsonify(result=json_result(code)), code, kept
        if error.code == 404 and (moved := nearest_page(request.path)):
            # /ko-KR/..., /it/: the page in the nearest language, with the link's query
            query = request.query_string.decode("ascii", "replace")
            return redirect(moved + (f"?{query}" if query else ""), 308)
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def server_error(error: Exception) -> ResponseReturnValue:
        request_id = log_failure(error)
        if request.path in JSON_PATHS:
            return jsonify(result=json_result(500)), 500
        return render_error(500, request_id)
