"""Security headers on every response, what a request may carry, and running behind a proxy."""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, Response, abort, g, request
from flask.json.provider import DefaultJSONProvider
from flask.sessions import NullSession, SessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

from . import context

# The most a request body may hold: the longest letter is 10,000 characters, with room.
# deploy/nginx.conf's client_max_body_size is the same (a test holds them together).
BODY_LIMIT = 64 * 1024
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
    """Trust the configured number of proxies, parse JSON safely, keep no session, refuse
    posts from other sites, and set the headers on every response."""
    app.json = BoundedJSON(app)
    app.session_interface = NoSessions()

    @app.before_request
    def refuse_cross_site() -> None:
        if request.method not in SAFE_METHODS and cross_site():
            abort(403)
    proxies = context.settings(app).proxies
    if proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies)

    @app.after_request
    def security_headers(response: Response) -> Response:
        headers = response.headers
        framers: tuple[str, ...] = g.get("frame_ancestors", ())
        headers.setdefault("Content-Security-Policy", content_security_policy(framers))
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "no-referrer"
        headers["Permissions-Policy"] = PERMISSIONS_POLICY
        if not framers:  # where frame-ancestors names sites, it alone decides
            headers["X-Frame-Options"] = "DENY"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if request.is_secure:
            headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
        return response
