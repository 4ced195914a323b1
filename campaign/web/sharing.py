"""Links that travel well: preview cards, share links, QR codes and a printable flyer
(compose/sharelinks.py builds the links; media/ draws the card and the codes)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext

from ..compose.sharelinks import (
    ShareLink,
    campaign_link,
    display_url,
    letter_path,
    share_links,
    x_intent,
)
from ..data.contacts import OTHER, Recipient
from ..data.letters import Letter
from ..data.posts import X_LIMIT, addressed_post, x_length
from ..data.sources import source_of
from ..i18n.languages import BY_CODE, LANGUAGES, Language, direction
from ..i18n.names import language_name
from ..media.cards import HEIGHT, WIDTH, draw_card
from ..media.fonts import needs_font, woff2_for
from ..media.qrcodes import qr_png, qr_svg
from . import caching, context, languages

bp = Blueprint("sharing", __name__)
QR_PARAMETERS = {"letter", "country", "src", "lang"}


@dataclass(frozen=True)
class Alternate:
    """The page being shown, in another language."""

    language: Language
    url: str  # absolute, with the page's query (country, region, src)
    name: str  # the language's name in itself


@dataclass(frozen=True)
class Sharing:
    """What a letter's page needs to be shared, in the page's language: its public link, card
    and share links, and the title and description of the letter in that language."""

    title: str
    description: str
    language: str  # the code of the language title, description and posts are in
    url: str  # the canonical public link, naming the page's language
    default_url: str  # the same page without a language, which follows the reader's browser
    flyer_url: str
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
    return (context.settings().public_url or request.host_url).rstrip("/")


def page_path_of(letter: Letter, language: str | None = None) -> str:
    """The letter's public path, in a language (the page's, unless given)."""
    return letter_path(context.data().letters, letter.slug, language or languages.current().code)


def sharing_for(letter: Letter) -> Sharing:
    """Everything the page shows for sharing this letter, in the page's language: the same
    for everyone, so made once per letter, language and public address (a posted letter's
    page shows it too)."""
    language, base = languages.current().code, public_url()
    return context.data().rendered.get(("sharing", letter.slug, language, base),
                                       lambda: _sharing(letter, language, base))


def _sharing(letter: Letter, language: str, base: str) -> Sharing:
    shown = letter.in_language(language)
    path = page_path_of(letter)
    ministry = context.data().contacts.minister
    account = f" @{ministry.x}" if ministry and ministry.x else ""
    post = shown.post_short or shown.post or f"{shown.title}{account}"
    if x_length(post) > X_LIMIT:  # `campaign check` refuses such a letter; never cut mid-word
        post = shown.title
    full = shown.post if shown.post and shown.post != post else None
    card = base + url_for("sharing.card", slug=letter.slug)
    links = [replace(link, label=link.label if link.brand else gettext(link.label))
             for link in share_links(base, path, post, shown.title, shown.description)]
    return Sharing(shown.title, shown.description, shown.language, campaign_link(base, path),
                   campaign_link(base, letter_path(context.data().letters, letter.slug)),
                   url_for("sharing.flyer", slug=letter.slug), campaign_link(base, path, src="x"),
                   campaign_link(base, path, src="copy"),
                   campaign_link(base, path, src="webshare"), card, WIDTH, HEIGHT, post, full,
                   links)


def alternates(query: Mapping[str, str] | None = None) -> list[Alternate]:
    """The page being shown in every language (for the switcher and hreflang), keeping the
    query values the page was built from (an arrival's country, region and share source, as
    read and normalized): never the request's own, since a page is shared by everyone who asks
    for it (pages.py), and must carry nothing one of them sent."""
    endpoint = request.endpoint
    if request.method != "GET" or not endpoint or not languages.localized(current_app, endpoint):
        return []
    kept: dict[str, Any] = {key: value for key, value in (query or {}).items() if value}
    base = public_url()
    return [Alternate(language, base + url_for(endpoint, **(request.view_args or {}),
                                               lang=language.code, **kept),
                      language_name(language.code))
            for language in LANGUAGES]


# Stands for a mission's handle in the one post for X the script's data carries (scriptdata):
# letters, digits and "_" only, as a handle is, so the link's encoding leaves both alike.
HANDLE = "MISSION_HANDLE"


def handle_for(sharing: Sharing, recipient: Recipient) -> str | None:
    """The account a mission's own post for X goes to: its handle, where it has one and the
    post has room for it (`campaign check` reports a handle the post cannot carry)."""
    if not recipient.x or x_length(addressed_post(sharing.post, recipient.x)) > X_LIMIT:
        return None
    return recipient.x


def mission_post(sharing: Sharing, recipient: Recipient) -> ShareLink | None:
    """A post for X addressed to a mission's own account, where it has one."""
    handle = handle_for(sharing, recipient)
    return addressed_to(sharing, handle) if handle else None


def addressed_to(sharing: Sharing, handle: str) -> ShareLink:
    """The post for X addressed to a handle (HANDLE: the pattern every mission's post fills)."""
    label = gettext("Post to @%(handle)s on X", handle=handle)
    return ShareLink("x", label, x_intent(addressed_post(sharing.post, handle), sharing.x_url))


def _no_query(allowed: set[str]) -> None:
    """Refuse any query parameter but the allowed ones."""
    if set(request.args) - allowed:
        abort(400)


@languages.route(bp, "/<slug:slug>/card.png")
def card(slug: str) -> Response:
    """The letter's 1200x630 link-preview card, in the page's language."""
    _no_query(set())
    language = languages.current().code
    letter = context.letter_or_404(slug).in_language(language)
    site = urlsplit(public_url()).netloc
    png = draw_card(letter.title, letter.description,
                    gettext("Write a letter at %(site)s", site=site), language,
                    direction(letter.language), languages.current().dir)
    response = Response(png, mimetype="image/png")
    response.headers["Cache-Control"] = caching.DAILY
    return response


def _qr_target() -> str:
    """The campaign link a QR code points to, from strictly checked parameters."""
    _no_query(QR_PARAMETERS)
    data = context.data()
    slug = request.args.get("letter", data.letters.default_slug)
    letter = context.letter_or_404(slug)
    country = request.args.get("country", "")
    place = data.contacts.place_of(country)
    if country and place is None:
        abort(400)
    src = request.args.get("src", "qr")
    language = request.args.get("lang")
    if source_of(src) != src or (language is not None and language not in BY_CODE):
        abort(400)
    path = letter_path(data.letters, letter.slug, language)  # no language: the browser's
    return campaign_link(public_url(), path, place[0] if place else "", src)


@bp.route("/qr.svg")
def qr_as_svg() -> Response:
    """A QR code for a campaign link, as SVG."""
    response = Response(qr_svg(_qr_target()), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = caching.DAILY
    return response


@bp.route("/qr.png")
def qr_as_png() -> Response:
    """A QR code for a campaign link, as PNG."""
    response = Response(qr_png(_qr_target()), mimetype="image/png")
    response.headers["Cache-Control"] = caching.DAILY
    return response


@languages.route(bp, "/<slug:slug>/flyer")
def flyer(slug: str) -> str:
    """A one-page flyer to print (A4 or US Letter), in the page's language: title, why, QR
    code and link; with a font of its own where the reader's printer may lack the script."""
    language = languages.current().code
    letter = context.letter_or_404(slug)
    place = context.data().contacts.place_of(request.args.get("country", ""))
    country = place[0] if place and place[0] != OTHER else ""  # a flyer is for one country
    letter_url = campaign_link(public_url(), page_path_of(letter))
    qr = url_for("sharing.qr_as_svg", letter=letter.slug, country=country or None,
                 src="flyer", lang=language)
    shown = letter.in_language(language)
    font_url = (url_for("sharing.flyer_font_css", slug=slug)
                if needs_font(_flyer_text(shown), language) else None)
    # The address printed for people to type is the shortest: the page follows their browser.
    short = display_url(campaign_link(public_url(), letter_path(context.data().letters,
                                                                letter.slug)))
    # For an event: the letter printed blank, to sign at a table (post.py).
    blank_url = url_for("post.blank", slug=letter.slug, country=country or None)
    return render_template("flyer.html", letter=shown, letter_url=letter_url, qr=qr,
                           short=short, font_url=font_url, blank_url=blank_url)


def _flyer_text(letter: Letter) -> str:
    """Every character the flyer prints, for its font."""
    return "".join((letter.title, letter.description, display_url(public_url()),
                    gettext("Scan to write a letter in one minute, from your own email."),
                    "0123456789/.-:"))


@languages.route(bp, "/<slug:slug>/flyer-font.css")
def flyer_font_css(slug: str) -> Response:
    """The flyer's own font face, as CSS (pages carry no inline style)."""
    css = ('@font-face { font-family: "Flyer"; font-weight: 100 900; '
           f'src: url("{url_for("sharing.flyer_font", slug=slug)}") format("woff2"); }}\n'
           'body { font-family: "Flyer", system-ui, sans-serif; }\n')
    response = Response(css, mimetype="text/css")
    response.headers["Cache-Control"] = caching.DAILY
    return response


@languages.route(bp, "/<slug:slug>/flyer-font.woff2")
def flyer_font(slug: str) -> Response:
    """The flyer's font: just the characters it prints (a few kilobytes, not a CJK font's
    many megabytes), so any printer draws them."""
    language = languages.current().code
    woff2 = woff2_for(_flyer_text(context.letter_or_404(slug).in_language(language)), language)
    if woff2 is None:
        abort(404)
    response = Response(woff2, mimetype="font/woff2")
    response.headers["Cache-Control"] = caching.DAILY
    return response


def init_app(app: Flask) -> None:
    """Register the sharing routes, and give every page its language versions (with no query:
    a page built from query values passes its own, as the letter's page does)."""
    app.register_blueprint(bp)
    app.context_processor(lambda: {"alternates": alternates()})
