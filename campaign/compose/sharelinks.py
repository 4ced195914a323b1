"""The campaign's own public links and the links that share them, built by pure functions (no
Flask): a page's path in a language, the link with its country and share source, and a link
for each place supporters share on (X's compose link among them)."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from ..data.letters import Letters
from ..i18n.words import N_
from .sendlinks import Message, compose_mailto, encode

# The public pages' paths: one spelling for the routes (web/) and for every link given out.
# Each is also under "/<language>" (/ko/...), where the link names the page's language.
DEFAULT_PAGE = "/"  # the default letter's page
LETTER_PAGE = "/<slug>/"  # any other letter's page
EMBED_PAGE = "/embed/<slug>"  # a letter's form, for a partner's frame
POST_PAGE = "/<slug>/post"  # a letter printed to post (compose/postal.py)
BLANK_POST_PAGE = "/<slug>/post/blank"  # blank letters, printed to sign at an event


@dataclass(frozen=True)
class ShareLink:
    """One way of sharing the campaign."""

    channel: str
    label: str
    href: str
    brand: bool = False  # the label is a service's name, the same in every language


def public_link(base_url: str, path: str, **query: str) -> str:
    """A public address of the site: a path, and the query values that are not empty."""
    text = "&".join(f"{key}={encode(value)}" for key, value in query.items() if value)
    return f"{base_url.rstrip('/')}{path}" + (f"?{text}" if text else "")


def campaign_link(base_url: str, path: str, country: str = "", src: str = "") -> str:
    """The campaign's public link, with a country to preselect and the channel it travels by."""
    return public_link(base_url, path, country=country, src=src)


def display_url(url: str) -> str:
    """A link as people read it aloud or type it from paper: no scheme, no trailing slash."""
    return url.split("://", 1)[-1].rstrip("/")


# What a share link may carry as itself (an IRI, RFC 3987): letters, marks, digits,
# punctuation and symbols beyond ASCII. The browser encodes them as UTF-8 when the link is
# followed, so the network gets the very request a percent-encoded link makes, while the page
# carries "Привет" in 12 bytes, not 36. Spaces, controls, format characters (bidi marks) and
# private-use characters stay percent-encoded, and ASCII is encoded as encodeURIComponent does.
_AS_ITSELF = ("L", "M", "N", "P", "S")


_ASCII = {code: encode(chr(code)) for code in range(128)}  # as encodeURIComponent, by one table
_BEYOND_ASCII = re.compile(r"[^\x00-\x7f]")


@functools.lru_cache(maxsize=4096)  # a character each: 4,096 at most, a few hundred in use
def _beyond_ascii(char: str) -> str:
    return char if unicodedata.category(char)[0] in _AS_ITSELF else encode(char)


def encode_iri(value: str) -> str:
    """A query value for a share link: `encode` for ASCII and what _AS_ITSELF leaves out, the
    rest as itself."""
    return _BEYOND_ASCII.sub(lambda found: _beyond_ascii(found.group()), value.translate(_ASCII))


def x_intent(text: str, url: str) -> str:
    """X's compose link: the post, and the link X shows a card for (and counts as 23)."""
    return f"https://twitter.com/intent/tweet?text={encode_iri(text)}&url={encode(url)}"


def share_links(base_url: str, path: str, post: str, title: str, description: str) -> list[
    ShareLink
]:
    """A link for each place supporters share on, each carrying its own `src`."""

    def url(src: str) -> str:
        return campaign_link(base_url, path, src=src)

    text = f"{title}: {description}"
    return [
        ShareLink("x", N_("Post on X"), x_intent(post, url("x"))),
        ShareLink("facebook", "Facebook",
                  f"https://www.facebook.com/sharer/sharer.php?u={encode(url('facebook'))}",
                  brand=True),
        ShareLink("whatsapp", "WhatsApp",
                  f"https://wa.me/?text={encode_iri(text + ' ' + url('whatsapp'))}", brand=True),
        ShareLink("telegram", "Telegram", f"https://t.me/share/url?url="
                  f"{encode(url('telegram'))}&text={encode_iri(text)}", brand=True),
        ShareLink("line", "LINE", "https://social-plugins.line.me/lineit/share?url="
                  f"{encode(url('line'))}", brand=True),
        ShareLink("email", N_("Email a friend"), compose_mailto(Message(
            (), title, f"{description}\n\n{url('email')}"), encode_iri)),
    ]


def page_path(page: str, slug: str = "", language: str | None = None) -> str:
    """The path of one of the public pages above, for a letter, in a language (none: the page
    follows the reader's browser)."""
    return (f"/{language}" if language else "") + page.replace("<slug>", slug)


def letter_path(letters: Letters, slug: str, language: str | None = None) -> str:
    """A letter's public path: '/' for the default letter, '/<slug>/' for the others; in a
    language, under its code: '/ko/', '/ko/<slug>/'."""
    return page_path(DEFAULT_PAGE if slug == letters.default_slug else LETTER_PAGE, slug,
                     language)


def embed_path(slug: str, language: str | None = None) -> str:
    """The path of a letter's embed: '/embed/<slug>', in a language '/ko/embed/<slug>'."""
    return page_path(EMBED_PAGE, slug, language)


def embed_link(base_url: str, slug: str, language: str | None = None, country: str = "",
               partner: str = "") -> str:
    """The embed's public address, with a country to preselect and the partner to credit."""
    return public_link(base_url, embed_path(slug, language), country=country, partner=partner)
