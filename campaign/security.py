"""Security settings: headers on every response, the secret key, running behind a proxy."""

from __future__ import annotations

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

# No host but ours, for anything: no CDN, font, analytics or embed can be added by accident.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'none'"
)
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=(), "
    "browsing-topics=()"
)


class MissingSecretKey(RuntimeError):
    """Production was started without CAMPAIGN_SECRET_KEY."""


def check_secret_key(app: Flask) -> None:
    """Refuse to start in production without a secret key from the environment."""
    if not app.config.get("SECRET_KEY") and app.config["ENV"] == "production" and not app.testing:
        raise MissingSecretKey(
            "CAMPAIGN_SECRET_KEY is not set. In production it must come from the environment, "
            "the same on every server (make one with: python3 -c 'import secrets; "
            "print(secrets.token_hex(32))'). For development, set CAMPAIGN_ENV=development.")


def init_app(app: Flask) -> None:
    """Trust the configured number of proxies, and set the headers on every response."""
    proxies = int(app.config["PROXIES"])
    if proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies)

    @app.after_request
    def security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "no-referrer"
        headers["Permissions-Policy"] = PERMISSIONS_POLICY
        headers["X-Frame-Options"] = "DENY"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if request.is_secure:
            headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
        return response
