"""Every setting the app and its server read from the environment, read once at start-up.

Each field of `Settings` names its environment variable, how its text is read, its default and
what it means; the README's table and `campaign settings` are made from this one list. A bad
value stops start-up with one line naming the variable and what it accepts. No Flask here:
gunicorn.conf.py reads the same settings before any app exists.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PACKAGE = Path(__file__).resolve().parent  # its templates, static files and catalogs
ROOT = PACKAGE.parent  # the checkout: contacts.yaml, letters/
PRODUCTION, DEVELOPMENT, COMMAND_LINE = "production", "development", "command-line"


class SettingsError(ValueError):
    """A setting has a value the app cannot use; the message is one line an operator reads."""


@dataclass(frozen=True)
class Spec:
    """How one setting is read and documented."""

    variable: str  # the environment variable
    read: Callable[[str], Any]  # text -> value; raises ValueError with what it accepts
    accepts: str  # what a valid value looks like, for the error line
    meaning: str  # what it does, for the README
    shown_default: str  # the default, as the README shows it
    secret: bool = False


def _spec(variable: str, read: Callable[[str], Any], accepts: str, meaning: str,
          default: Any, shown_default: str, secret: bool = False) -> Any:
    """A dataclass field carrying its Spec."""
    spec = Spec(variable, read, accepts, meaning, shown_default, secret)
    if callable(default):
        return field(default_factory=default, metadata={"spec": spec})
    return field(default=default, metadata={"spec": spec})


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError
    return value.strip()


def _whole(minimum: int) -> Callable[[str], int]:
    def read(value: str) -> int:
        number = int(value.strip())
        if number < minimum:
            raise ValueError
        return number
    return read


def _seconds(value: str) -> float:
    number = float(value.strip())
    if not number >= 0 or number == float("inf"):
        raise ValueError
    return number


def _boolean(value: str) -> bool:
    words = {"true": True, "1": True, "yes": True, "on": True,
             "false": False, "0": False, "no": False, "off": False}
    return words[value.strip().lower()]


def _choice(*allowed: str) -> Callable[[str], str]:
    def read(value: str) -> str:
        if value.strip() not in allowed:
            raise ValueError
        return value.strip()
    return read


def _public_url(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path.strip("/") \
            or parts.query or parts.fragment or parts.username:
        raise ValueError
    return f"{parts.scheme}://{parts.netloc}"


# A host name or address, with an optional port; ".example.org" also allows its subdomains.
_HOST = re.compile(r"(?:[a-z0-9-]+\.)*[a-z0-9-]+(?::\d{1,5})?|\.[a-z0-9.-]+"
                   r"|\[[0-9a-f:]+\](?::\d+)?")


def _hosts(value: str) -> tuple[str, ...]:
    hosts = tuple(h.strip().lower() for h in value.split(",") if h.strip())
    if not all(_HOST.fullmatch(h) for h in hosts):
        raise ValueError
    return hosts


def _origins(value: str) -> tuple[str, ...]:
    origins = []
    for item in (o.strip() for o in value.split(",") if o.strip()):
        origin = _public_url(item)
        # nothing but scheme, host and port: an origin goes into a Content-Security-Policy
        if origin != item.rstrip("/") or not _HOST.fullmatch(urlsplit(origin).netloc.lower()):
            raise ValueError
        origins.append(origin)
    return tuple(origins)


def _database_url(value: str) -> str:
    """A database URL as SQLAlchemy takes it: postgres:// means PostgreSQL through psycopg 3."""
    url = value.strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    if not url.startswith(("sqlite:///", "postgresql+psycopg://")):
        raise ValueError
    return url


def _bind(value: str) -> str:
    if not re.fullmatch(r"(unix:\S+|[\w.\-\[\]:]*:\d{1,5})", value.strip()):
        raise ValueError
    return value.strip()


@dataclass(frozen=True)
class Settings:
    """Everything an operator can set, with its default."""

    secret_key: str | None = _spec(
        "CAMPAIGN_SECRET_KEY", _text, "a long random text",
        "signs count tokens; the same on every server", None,
        "required (development: made up per process)", secret=True)
    env: str = _spec(
        "CAMPAIGN_ENV", _choice(PRODUCTION, DEVELOPMENT), "production or development",
        "`development` allows a made-up secret key and no public URL (`make run` sets it)",
        PRODUCTION, "`production`")
    public_url: str | None = _spec(
        "CAMPAIGN_PUBLIC_URL", _public_url, "an address like https://letters.example.org",
        "the site's public address, for canonical links, cards, share links and QR codes; "
        "only requests for its host are answered", None,
        "required in production (development: http://127.0.0.1:5000)")
    trusted_hosts: tuple[str, ...] = _spec(
        "CAMPAIGN_TRUSTED_HOSTS", _hosts, "host names separated by commas",
        "other host names the app answers to (e.g. an internal name for health checks)",
        (), "none")
    embed_origins: tuple[str, ...] = _spec(
        "CAMPAIGN_EMBED_ORIGINS", _origins,
        "origins like https://partner.example.org, separated by commas",
        "the partners' sites allowed to show the letter form in a frame (`/embed/...`, see "
        "Embedding); every other page may never be framed", (), "none")
    database_url: str = _spec(
        "DATABASE_URL", _database_url, "a URL like postgresql://user:pass@host/db or "
        "sqlite:///path", "where counts go", f"sqlite:///{ROOT / 'instance' / 'counts.db'}",
        "`sqlite:///instance/counts.db`")
    contacts: str = _spec(
        "CAMPAIGN_CONTACTS", _text, "a file path", "path of contacts.yaml",
        str(ROOT / "contacts.yaml"), "`contacts.yaml` in this checkout")
    letters: str = _spec(
        "CAMPAIGN_LETTERS", _text, "a folder path", "folder of letters",
        str(ROOT / "letters"), "`letters/` in this checkout")
    reload_every: float = _spec(
        "CAMPAIGN_RELOAD_EVERY", _seconds, "a number of seconds, 0 or more",
        "seconds between looks at the data files", 1.0, "`1.0`")
    proxies: int = _spec(
        "CAMPAIGN_PROXIES", _whole(0), "a whole number, 0 or more",
        "how many proxies in front set `X-Forwarded-*` (trusted by ProxyFix)", 0, "`0`")
    count_limit: int = _spec(
        "CAMPAIGN_COUNT_LIMIT", _whole(1), "a whole number, 1 or more",
        "counted actions per client per minute, across every worker and server", 30, "`30`")
    impact_min: int = _spec(
        "CAMPAIGN_IMPACT_MIN", _whole(1), "a whole number, 1 or more",
        "fewest letters a country or a day needs to be shown on its own on `/impact` and in "
        "`campaign stats --chart` (fewer join \"other countries\"), so no one stands out", 5,
        "`5`")
    log_ip: bool = _spec(
        "CAMPAIGN_LOG_IP", _boolean, "true or false", "add the client IP to request logs",
        False, "`false`")
    bind: str = _spec(
        "BIND", _bind, "host:port, or unix:/path", "gunicorn's address", "127.0.0.1:8000",
        "`127.0.0.1:8000`")
    workers: int = _spec(
        "WEB_CONCURRENCY", _whole(1), "a whole number, 1 or more",
        "gunicorn's processes (each keeps its own rendered pages: see gunicorn.conf.py)",
        lambda: multiprocessing.cpu_count() + 1, "one per core, and one more")
    threads: int = _spec(
        "THREADS", _whole(1), "a whole number, 1 or more", "threads per gunicorn process", 4,
        "`4`")
    forwarded_allow_ips: str = _spec(
        "FORWARDED_ALLOW_IPS", _text, "addresses separated by commas, or *",
        "the proxies gunicorn trusts to say a request came over HTTPS", "127.0.0.1",
        "`127.0.0.1`")

    @property
    def development(self) -> bool:
        """Whether this is a developer's machine (`make run`)."""
        return self.env == DEVELOPMENT

    @property
    def allowed_hosts(self) -> tuple[str, ...] | None:
        """The hosts requests may name; None lets any host in (development only)."""
        if self.public_url is None and not self.trusted_hosts:
            return None
        public = (urlsplit(self.public_url).netloc,) if self.public_url else ()
        return public + self.trusted_hosts


SPECS: dict[str, Spec] = {f.name: f.metadata["spec"] for f in dataclasses.fields(Settings)}


def load(environ: Mapping[str, str], overrides: Mapping[str, Any] | None = None,
         purpose: str = PRODUCTION) -> Settings:
    """Read every setting from the environment, then overrides (typed values, by field name).

    `purpose` is what the settings are for: serving (production rules apply unless
    CAMPAIGN_ENV=development), or the command line, which signs nothing and serves nothing.
    """
    values: dict[str, Any] = {}
    for name, spec in SPECS.items():
        text = environ.get(spec.variable)
        if text is None or not text.strip():
            continue
        try:
            values[name] = spec.read(text)
        except (ValueError, KeyError):
            shown = "(hidden)" if spec.secret else repr(text)
            raise SettingsError(f"{spec.variable}={shown} is not valid: it takes "
                                f"{spec.accepts}") from None
    values.update(overrides or {})
    settings = Settings(**values)
    if purpose == PRODUCTION and settings.env == PRODUCTION:
        _check_production(settings)
    return settings


def _check_production(settings: Settings) -> None:
    """What production cannot run without."""
    if not settings.secret_key:
        raise SettingsError(
            "CAMPAIGN_SECRET_KEY is not set. In production it must come from the environment, "
            "the same on every server (make one with: python3 -c 'import secrets; "
            "print(secrets.token_hex(32))'). For development, set CAMPAIGN_ENV=development.")
    if settings.public_url is None and not settings.trusted_hosts:
        raise SettingsError(
            "CAMPAIGN_PUBLIC_URL is not set. In production the app must know its public "
            "address (e.g. https://letters.example.org): it answers only requests for that "
            "host, and every link it gives out points there.")


def check_organizers(settings: Settings, named: bool) -> None:
    """Production says who runs the campaign: it serves nothing until contacts.yaml names its
    organizers (development shows a banner instead)."""
    if settings.env == PRODUCTION and not named:
        raise SettingsError(
            f"{Path(settings.contacts).name} names no organizers. In production every page "
            "says who runs the campaign: add 'organizers:' to it, with at least 'name:' and "
            "'email:' (README: For organizers). For development, set CAMPAIGN_ENV=development.")


def table() -> str:
    """The settings as the README's Markdown table."""
    rows = ["| variable | meaning | default |", "|---|---|---|"]
    rows += [f"| `{s.variable}` | {s.meaning} | {s.shown_default} |" for s in SPECS.values()]
    return "\n".join(rows)
