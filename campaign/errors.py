"""Friendly pages for what goes wrong: a bad request, a missing page, a server error."""

from __future__ import annotations

from flask import Flask, Response, render_template
from werkzeug.exceptions import HTTPException, SecurityError

from .logs import log_failure

MESSAGES = {
    400: ("This request could not be understood",
          "Go back to the page and try again. If the page was open for a long time, reload it."),
    404: ("There is no such page", "The link may be mistyped or out of date."),
    405: ("This page cannot be used that way", "Go back to the campaign page and try again."),
    415: ("This page takes a form, not data of that kind",
          "Go back to the campaign page and send the form from there."),
    413: ("That was more text than a letter needs",
          "Shorten your letter and try again."),
    500: ("Something went wrong on our side",
          "Your letter was not lost on your device: go back and try again in a moment."),
}


def render_error(code: int, request_id: str | None = None) -> tuple[str, int]:
    """A plain page that says what happened and what to do."""
    title, advice = MESSAGES.get(code, (f"Error {code}", "Go back to the campaign page."))
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
    def http_error(error: HTTPException) -> tuple[str, int]:
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def server_error(error: Exception) -> tuple[str, int]:
        return render_error(500, log_failure(error))
