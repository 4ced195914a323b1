"""The letter form in a partner's frame: /embed/<slug> (and /ko/embed/<slug>), /embed.js.

The embed is the letter's own form (pages.py renders it, into embed.html): the same letter,
recipients, send and copy buttons and counting, with and without JavaScript, and no cookie.
Only the sites CAMPAIGN_EMBED_ORIGINS lists may frame it (security.py); every other page
keeps `frame-ancestors 'none'`. `/embed.js`, on the partner's page, sizes the frame to its
content from the messages the frame posts (static/frame.js), each side checking the other's
origin. `?partner=<key>` credits a partner from contacts.yaml and counts under its key.

Search engines list the letter's page, not its copies in partners' frames: the embed names
the letter's page as its canonical address (embed.html), which folds every copy into it.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, abort, has_request_context, request, url_for
from markupsafe import Markup, escape

from ..compose.sharelinks import EMBED_PAGE
from ..data.partners import Partner
from ..settings import PACKAGE
from . import caching, context, languages, pages
from .security import allow_framing

bp = Blueprint("embed", __name__)
EMBED = EMBED_PAGE
PAGE = "embed.html"
# Served as /embed.js, not fingerprinted: partners link it by that name.
SCRIPT = PACKAGE / "static" / "embed.js"
FRAME_HEIGHT = 1100  # pixels: the frame's height where embed.js does not run
# What the frame needs, and nothing more: its scripts and forms, same-origin requests for the
# count, new tabs for webmail (not sandboxed themselves), and the mail app on a click.
SANDBOX = ("allow-scripts allow-same-origin allow-forms allow-popups "
           "allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation")


def snippet(url: str, script_url: str | None, title: str, height: int = FRAME_HEIGHT) -> str:
    """The HTML a partner pastes into their page: the frame, and the script that sizes it."""
    frame = (f'<iframe src="{escape(url)}" title="{escape(title)}" width="100%" '
             f'height="{height}" style="width: 100%; max-width: 46rem; border: 1px solid #c9ccd4; '
             f'border-radius: 12px;" '
             f'loading="lazy" allow="clipboard-write" sandbox="{SANDBOX}"></iframe>')
    script = f'\n<script src="{escape(script_url)}" async></script>' if script_url else ""
    return frame + script


def embedded() -> bool:
    """Whether the page being rendered is shown in a partner's frame."""
    return has_request_context() and request.blueprint == bp.name


def leaving(mail: bool = False) -> Markup:
    """The target of a link that leaves the frame: a mail link opens the mail app from the
    partner's page; any other opens in a new tab. Nothing outside the frame."""
    if not embedded():
        return Markup("")
    if mail:
        return Markup(' target="_top"')
    return Markup(' target="_blank" rel="noopener noreferrer"')


@bp.before_request
def framed() -> None:
    """The embed's pages (and their error pages) may be framed by the partners' sites; they
    take form posts only, as the letter's page does."""
    allow_framing()
    pages.forms_only()


@languages.route(bp, EMBED, methods=["GET", "POST"])
def embed(slug: str) -> Response | tuple[str, int]:
    """A letter's form, for a partner's frame; a partner the organizers do not list is a 404."""
    letter = context.letter_or_404(slug)
    partner = request.args.get("partner")
    if partner is not None and partner not in context.data().contacts.partners:
        abort(404)
    return pages.letter_page(letter, PAGE)


# Without JavaScript the form posts to these, as on the letter's page: they count, then
# show the link (or the thanks) inside the frame.
@languages.route(bp, f"{EMBED}/go/<channel>", methods=["POST"])
def go(slug: str, channel: str) -> tuple[str, int]:
    """Without JavaScript: count the send, then hand the frame the link that sends it."""
    return pages.send(slug, channel, PAGE)


@languages.route(bp, f"{EMBED}/sent", methods=["POST"])
def sent(slug: str) -> tuple[str, int]:
    """Without JavaScript: count an "I sent it", and thank the supporter in the frame."""
    return pages.confirm(slug)


@bp.route("/embed/logo/<key>/<name>")
def logo(key: str, name: str) -> Response:
    """A partner's logo, by a name that changes with its content: cached for a year."""
    partner = context.data().contacts.partners.get(key)
    if partner is None or partner.logo is None or name != _logo_name(partner):
        abort(404)
    response = Response(partner.logo.content, mimetype=partner.logo.mimetype)
    response.headers["Cache-Control"] = caching.IMMUTABLE
    return response


def _logo_name(partner: Partner) -> str:
    """The file name of a partner's logo in its URL: its fingerprint and type."""
    return f"{partner.logo.version}{partner.logo.suffix}" if partner.logo else ""


@bp.route("/embed.js")
def script() -> Response:
    """The script a partner's page includes to size the frame: ours, with no other code."""
    response = Response(SCRIPT.read_bytes(), mimetype="text/javascript")
    response.headers["Cache-Control"] = caching.AN_HOUR
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def init_app(app: Flask) -> None:
    """Register the embed's pages, and what templates need to show a page in a frame."""
    app.register_blueprint(bp)

    def partner_logo_url(partner: Partner) -> str:
        return url_for("embed.logo", key=partner.key, name=_logo_name(partner))

    app.jinja_env.globals.update(
        embedded=embedded, leaving=leaving, partner_logo_url=partner_logo_url,
        embed_origins=lambda: list(context.settings().embed_origins))
