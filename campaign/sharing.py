"""Links that travel well: preview cards, share links, QR codes and a printable flyer."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, abort, render_template, request, url_for
from flask_babel import gettext

from . import store
from .app import current_settings
from .cards import HEIGHT, WIDTH, draw_card
from .contacts import OTHER, Recipient
from .letters import Letter
from .links import (
    SOURCES,
    X_LIMIT,
    ShareLink,
    addressed_post,
    campaign_link,
    display_url,
    share_links,
    x_intent,
    x_length,
)
from .qrcodes import qr_png, qr_svg

bp = Blueprint("sharing", __name__)
QR_PARAMETERS = {"letter", "country", "src"}
CACHE_A_DAY = "public, max-age=86400"


@dataclass(frozen=True)
class Sharing:
    """What a letter's page needs to be shared: its public link, card and share links."""

    url: str  # the canonical public link
    x_url: str  # the link posts on X carry, marked src=x
    copy_url: str  # the link the copy button copies, marked src=copy
    webshare_url: str  # the link the browser's share sheet passes on, marked src=webshare
    card_url: str
    card_width: int
    card_height: int
    post: str  # the post for X, within its 280 characters with the link
    full_post: str | None  # the organizers' longer post, offered with a copy button
    links: list[ShareLink]


def public_url() -> str:
    """The site's public address: PUBLIC_URL when configured, else the one asked for."""
    return (current_settings().public_url or request.host_url).rstrip("/")


def letter_path(letter: Letter) -> str:
    """The letter's public path."""
    return store.current().letters.path(letter.slug)


def sharing_for(letter: Letter) -> Sharing:
    """Everything the page shows for sharing this letter."""
    base, path = public_url(), letter_path(letter)
    post = letter.post_short or letter.post or f"{letter.title} @MFA_China"
    if x_length(post) > X_LIMIT:  # `campaign check` refuses such a letter; never cut mid-word
        post = letter.title
    full = letter.post if letter.post and letter.post != post else None
    card = base + url_for("sharing.card", slug=letter.slug)
    return Sharing(campaign_link(base, path), campaign_link(base, path, src="x"),
                   campaign_link(base, path, src="copy"),
                   campaign_link(base, path, src="webshare"), card, WIDTH, HEIGHT, post, full,
                   share_links(base, path, post, letter.title, letter.description))


def mission_post(sharing: Sharing, recipient: Recipient) -> ShareLink | None:
    """A post for X addressed to a mission's own account, where it has one."""
    if not recipient.x or x_length(addressed_post(sharing.post, recipient.x)) > X_LIMIT:
        return None  # `campaign check` reports a handle the post cannot carry
    label = gettext("Post to @%(handle)s on X", handle=recipient.x)
    return ShareLink("x", label, x_intent(addressed_post(sharing.post, recipient.x),
                                          sharing.x_url))


def _no_query(allowed: set[str]) -> None:
    """Refuse any query parameter but the allowed ones."""
    if set(request.args) - allowed:
        abort(400)


@bp.route("/<slug>/card.png")
def card(slug: str) -> Response:
    """The letter's 1200x630 link-preview card."""
    _no_query(set())
    letter = store.letter_or_404(slug)
    png = draw_card(letter.title, letter.description, urlsplit(public_url()).netloc)
    response = Response(png, mimetype="image/png")
    response.headers["Cache-Control"] = CACHE_A_DAY
    return response


def _qr_target() -> str:
    """The campaign link a QR code points to, from strictly checked parameters."""
    _no_query(QR_PARAMETERS)
    data = store.current()
    slug = request.args.get("letter", data.letters.default_slug)
    letter = store.letter_or_404(slug)
    country = request.args.get("country", "")
    place = data.contacts.place_of(country)
    if country and place is None:
        abort(400)
    src = request.args.get("src", "qr")
    if src not in SOURCES:
        abort(400)
    return campaign_link(public_url(), letter_path(letter), place[0] if place else "", src)


@bp.route("/qr.svg")
def qr_as_svg() -> Response:
    """A QR code for a campaign link, as SVG."""
    response = Response(qr_svg(_qr_target()), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = CACHE_A_DAY
    return response


@bp.route("/qr.png")
def qr_as_png() -> Response:
    """A QR code for a campaign link, as PNG."""
    response = Response(qr_png(_qr_target()), mimetype="image/png")
    response.headers["Cache-Control"] = CACHE_A_DAY
    return response


@bp.route("/<slug>/flyer")
def flyer(slug: str) -> str:
    """A one-page flyer to print (A4 or US Letter): title, why, QR code and link."""
    letter = store.letter_or_404(slug)
    place = store.current().contacts.place_of(request.args.get("country", ""))
    country = place[0] if place and place[0] != OTHER else ""  # a flyer is for one country
    letter_url = campaign_link(public_url(), letter_path(letter))
    qr = url_for("sharing.qr_as_svg", letter=letter.slug, country=country or None, src="flyer")
    return render_template("flyer.html", letter=letter, letter_url=letter_url, qr=qr,
                           short=display_url(letter_url))


def init_app(app: Flask) -> None:
    """Register the sharing routes."""
    app.register_blueprint(bp)
