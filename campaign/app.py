"""The app factory: settings first, then each web module wires itself in with init_app(app)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from typing import Any

from flask import Flask

from . import settings as settings_module
from .settings import SPECS, Settings
from .web import (
    about,
    assets,
    caching,
    context,
    counts,
    embed,
    errors,
    health,
    impact,
    languages,
    pages,
    post,
    requestlog,
    scriptdata,
    security,
    sharing,
    suggestions,
)


class CampaignFlask(Flask):
    """Flask, logging an error that escapes every handler as the app logs any other: on one
    line, without the exception's message."""

    def log_exception(self, exc_info: Any) -> None:
        requestlog.log_failure(exc_info[1])


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create the app from the environment's settings; test_config overrides settings (by
    their names in capitals, e.g. PUBLIC_URL) and Flask's own configuration (e.g. TESTING)."""
    overrides = {key.lower(): value for key, value in (test_config or {}).items()
                 if key.lower() in SPECS}
    flask_config = {key: value for key, value in (test_config or {}).items()
                    if key.lower() not in SPECS}
    purpose = "testing" if flask_config.get("TESTING") else settings_module.PRODUCTION
    settings = settings_module.load(os.environ, overrides, purpose)
    return build_app(settings, flask_config, serving=purpose == settings_module.PRODUCTION)


def build_app(settings: Settings, flask_config: Mapping[str, Any] | None = None,
              serving: bool = False) -> Flask:
    """The app for these settings; `serving` it to the public (not to tests or the command
    line), it holds production's rules (context.init_app)."""
    app = CampaignFlask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        # Development and the command line sign nothing that must outlive the process.
        SECRET_KEY=settings.secret_key or secrets.token_hex(32),
        MAX_CONTENT_LENGTH=security.BODY_LIMIT,
        WTF_CSRF_TIME_LIMIT=None,  # a supporter may leave the page open for hours
        WTF_I18N_ENABLED=False,  # every message of the form is the app's own, translated
        SESSION_COOKIE_SAMESITE="Lax",
        TRUSTED_HOSTS=settings.allowed_hosts,
    )
    app.config.update(flask_config or {})
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    context.init_app(app, settings, serving)
    languages.init_app(app)
    caching.init_app(app)  # inside security's proxy fix: it sees the forwarded host
    security.init_app(app)
    requestlog.init_app(app)
    assets.init_app(app)
    errors.init_app(app)
    pages.init_app(app)
    post.init_app(app)
    health.init_app(app)
    embed.init_app(app)
    sharing.init_app(app)
    counts.init_app(app)
    suggestions.init_app(app)
    about.init_app(app)
    impact.init_app(app)
    scriptdata.init_app(app)
    return app


