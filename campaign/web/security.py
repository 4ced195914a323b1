"""Security headers on every response, what a request may carry, and running behind a proxy."""

from __future__ import annotations

import functools
import io
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any
from urllib.parse import quote

from flask import Flask, Request, Response, abort, g, request
from flask.json.provider import DefaultJSONProvider
from flask.sessions import NullSession, SessionInterface
from werkzeug.http import parse_set_header
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wsgi import get_content_length

from . import context

# The most a request body may hold, however it is sent (with a length, or in chunks): the
# longest letter is 10,000 characters, with room. deploy/nginx.conf's client_max_body_size
# is the same (a test holds them together).
BODY_LIMIT = 64 * 1024
# The longest address (path and query, as sent) the site takes: the links it gives out are a
# few hundred characters, and a hand-made or mangled one longer than this is refused with a
# 414. deploy/nginx.conf refuses the same (a test holds them together) and sizes its buffers
# and its cache key for it.
URL_LIMIT = 2048
# What RequestLimits tells the app it refused (413 or 414), in the request's environ.
REFUSED = "campaign.refused"
# No host but ours, for anything: no CDN, font, analytics or embed can be added by accident.
# No page may be framed, but the embed (embed.py), by the sites CAMPAIGN_EMBED_ORIGINS lists.
CSP_TEMPLATE = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors {ancestors}; "
    "form-action 'self'; base-uri 'none'"
)
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=(), "
    "browsing-topics=()"
)
HSTS = "max-age=63072000; includeSubDomains"  # over HTTPS only


class BoundedJSON(DefaultJSONProvider):
    """JSON that a hostile body cannot crash: nesting too deep to parse is invalid JSON."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError as exc:
            raise ValueError("JSON nested too deeply") from exc


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def content_security_policy(frame_ancestors: tuple[str, ...] = ()) -> str:
    """The policy of every response: framed by these origins only, or by none."""
    return CSP_TEMPLATE.format(ancestors=" ".join(frame_ancestors) or "'none'")


@functools.cache  # a few pairs of arguments, asked on every response
def security_headers(frame_ancestors: tuple[str, ...] = (), secure: bool = False
                     ) -> Mapping[str, str]:
    """The headers every answer carries: the app's, and the error pages nginx serves for it
    (deploy/nginx.conf, held to these by a test). Read-only: they are made once."""
    headers = {
        "Content-Security-Policy": content_security_policy(frame_ancestors),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Permissions-Policy": PERMISSIONS_POLICY,
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Strict-Transport-Security": HSTS,
    }
    if frame_ancestors:  # where frame-ancestors names sites, it alone decides
        del headers["X-Frame-Options"]
    if not secure:
        del headers["Strict-Transport-Security"]
    return MappingProxyType(headers)


class RequestLimits:
    """WSGI middleware holding every request to URL_LIMIT and BODY_LIMIT, whatever reads it.

    A body sent in chunks has no Content-Length, and Werkzeug (3.1) reads such a stream up to
    MAX_CONTENT_LENGTH and stops there without an error: a 2 MB form was cut at 64 KiB and
    its first fields counted. So a chunked body is read here, at most one byte past the
    limit, and handed on with its length, as if it had been sent with one. A request over
    either limit reaches the app with an empty body and its refusal marked (REFUSED), and the
    app answers it with its own page (init_app).
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        refused = self.refusal(environ)
        if refused:
            environ[REFUSED] = refused
            self.replace_body(environ, b"")
        return self.app(environ, start_response)  # type: ignore[no-any-return]

    def refusal(self, environ: dict[str, Any]) -> int | None:
        """413 or 414 for a request over a limit; else None, its chunked body read whole."""
        if len(request_target(environ)) > URL_LIMIT:
            return 414
        length = get_content_length(environ)
        if length is not None:
            return 413 if length > BODY_LIMIT else None
        chunked = "chunked" in parse_set_header(environ.get("HTTP_TRANSFER_ENCODING"))
        if not (chunked and environ.get("wsgi.input_terminated")):
            return None  # no body; or one the server cannot end, which Werkzeug never reads
        body = bytearray()
        while len(body) <= BODY_LIMIT:
            part = environ["wsgi.input"].read(BODY_LIMIT + 1 - len(body))
            if not part:
                break
            body += part
        if len(body) > BODY_LIMIT:
            return 413
        self.replace_body(environ, bytes(body))
        return None

    @staticmethod
    def replace_body(environ: dict[str, Any], body: bytes) -> None:
        """Hand the app this body, with its length, instead of what the client sends."""
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("HTTP_TRANSFER_ENCODING", None)


def request_target(environ: dict[str, Any]) -> str:
    """The address a request asked for, its path and query as sent (nginx's $request_uri)."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        return str(raw)
    path = quote(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""), safe="/;=,")
    query = environ.get("QUERY_STRING")
    return f"{path}?{query}" if query else path


def allow_framing() -> None:
    """Let the configured partners' sites frame this response (the embed's pages only)."""
    g.frame_ancestors = context.settings().embed_origins


def cross_site() -> bool:
    """Whether a request comes from another site's page (a forged form, or a script there).

    Browsers say where a request comes from: Sec-Fetch-Site (all current ones), else Origin.
    A request that says neither (a command-line client) is not a browser being abused.
    """
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site not in ("same-origin", "none")
    origin = request.headers.get("Origin")
    ours = {request.host_url.rstrip("/"), context.settings().public_url}
    return origin is not None and origin not in ours


class NoSessions(SessionInterface):
    """The app keeps nothing of a visitor between requests: no session, so no cookie (a page
    shared by everyone must carry none), and no signing of one on every request."""

    def open_session(self, app: Flask, request: Request) -> NullSession:
        return self.make_null_session(app)

    def save_session(self, app: Flask, session: Any, response: Response) -> None:
        """Nothing to save."""


def init_app(app: Flask) -> None:
    """Hold every request to the limits, trust the configured number of proxies, parse JSON
    safely, keep no session, refuse posts from other sites, and set the headers on every
    response."""
    app.json = BoundedJSON(app)
    app.session_interface = NoSessions()

    @app.before_request
    def refuse_over_the_limits() -> None:
        # First: nothing else may read a request RequestLimits refused.
        if refused := request.environ.get(REFUSED):
            abort(refused)

    @app.before_request
    def refuse_cross_site() -> None:
        if request.method not in SAFE_METHODS and cross_site():
            abort(403)
    app.wsgi_app = RequestLimits(app.wsgi_app)  # type: ignore[method-assign]
    proxies = context.settings(app).proxies
    if proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies)

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        framers: tuple[str, ...] = g.get("frame_ancestors", ())
        for name, value in security_headers(framers, request.is_secure).items():
            if name == "Content-Security-Policy":
                response.headers.setdefault(name, value)  # a response may set its own
            else:
                response.headers[name] = value
        return response
