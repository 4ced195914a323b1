"""campaign: turns a human-rights appeal into letters people actually send."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent
DEFAULTS: dict[str, Any] = {
    "CONTACTS": str(ROOT / "contacts.yaml"),
    "LETTERS": str(ROOT / "letters"),
}


def database_url(url: str) -> str:
    """A database URL as SQLAlchemy takes it: postgres:// means PostgreSQL through psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the app: defaults, then CAMPAIGN_* environment variables, then test_config."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        **DEFAULTS,
        MAX_CONTENT_LENGTH=64 * 1024,  # the longest letter is 10,000 characters
        WTF_CSRF_TIME_LIMIT=None,  # a supporter may leave the page open for hours
        SESSION_COOKIE_SAMESITE="Lax",
        LOG_IP=False,
        RELOAD_EVERY=1.0,  # seconds between looks at the data files' modification times
        COUNT_LIMIT=30,  # counted actions per client per minute
        PUBLIC_URL=None,  # e.g. https://letters.example.org: canonical links, cards, QR codes
        ENV="production",  # "development" lets the app make up a secret key
        PROXIES=0,  # how many proxies in front set X-Forwarded-*: trusted by ProxyFix
    )
    app.config.from_prefixed_env("CAMPAIGN")
    if test_config is not None:
        app.config.update(test_config)
    app.config["DATABASE_URL"] = database_url(
        app.config.get("DATABASE_URL") or os.environ.get("DATABASE_URL")
        or f"sqlite:///{Path(app.instance_path) / 'counts.db'}")
    from . import security

    security.check_secret_key(app)
    if not app.config.get("SECRET_KEY"):
        # Development only: a key per process. Production sets CAMPAIGN_SECRET_KEY.
        app.config["SECRET_KEY"] = secrets.token_hex(32)

    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    from . import assets, cli, counting, errors, logs, sharing, store, views

    security.init_app(app)
    logs.init_app(app)
    assets.init_app(app)
    store.init_app(app)
    errors.init_app(app)
    views.init_app(app)
    sharing.init_app(app)
    counting.init_app(app)
    cli.init_app(app)
    return app
