"""The links that send a letter, built by pure functions (no Flask): the mailto link and each
webmail's compose link, each within what its platform takes, and the organizers' report link.

Providers change their compose URLs without notice: each format is one entry in WEBMAIL, and
the browser builds the same links from the same table (it is handed to campaign.js as JSON).
A webmail is offered only where its compose link (to, subject, body) is documented, or shown
in public code that uses it: README.md, "Mail services", says what was found for each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache, partial

from ..i18n.words import N_

# How long a link each platform takes (the whole encoded URL); past it, the link carries a
# short body asking the supporter to paste the letter, copied for them. Sources (README.md,
# "How long a mail link may be"): Chromium on Windows hands a mailto of at most 2,046
# characters to the mail app, and silently drops a longer one (platform_util_win.cc,
# kMaxUrlLength = 2048 with two quotes; crbug.com/727909); Firefox on Windows has no such check
# (nsMIMEInfoWin.cpp; >= 8,000 reported working with Outlook); macOS and Linux pass the URL on
# unchecked (NSWorkspace openURL; xdg-email, an argument up to 131,072 bytes); Android's
# limit is the 1 MB binder buffer; iOS has no documented one; ChromeOS hands mailto to Gmail's
# web handler, which encodes it again (Gmail failed past ~8 KB requests).
MAILTO_LIMITS = {
    "windows": 2000, "windows-firefox": 8000, "mac": 32000, "linux": 32000, "ios": 16000,
    "android": 16000, "chromeos": 4800, "unknown": 2000,
}
# Webmail compose URLs, built straight (no second encoding): Gmail failed past ~8 KB requests
# cookies included (defund12/defund12.org#893); Outlook.com answered 31,145 and refused 31,161
# characters (measured 2026); nothing is published for Yahoo (2,000: its calendar links fail
# past it), nor for Yahoo! JAPAN (2,000, the smallest: a link always works).
WEBMAIL_LIMITS = {"gmail": 6000, "outlook": 16000, "yahoo": 2000, "yahoojp": 2000}


SHORT_BODY = N_(
    "Please paste the letter here: it was copied for you when you pressed the button. "
    "If it was not, go back to the campaign page and press \"Copy letter\"."
)


@dataclass(frozen=True)
class WebmailFormat:
    """How one webmail service takes a new message in its compose URL: in a parameter each
    for the addresses, the subject and the body, or as a whole mailto link in one parameter
    (the service's handler of mailto links, as browsers register it)."""

    label: str
    base: str  # everything up to the first parameter, with any fixed parameters
    to: str = ""
    subject: str = ""
    body: str = ""
    mailto: str = ""  # the parameter that takes a whole mailto link, for a mailto handler
    first_for: tuple[str, ...] = ()  # the languages (ja) and countries (JP) it comes first for


WEBMAIL: dict[str, WebmailFormat] = {
    "gmail": WebmailFormat("Gmail", "https://mail.google.com/mail/?view=cm&fs=1&",
                           "to", "su", "body"),
    "outlook": WebmailFormat("Outlook", "https://outlook.live.com/mail/0/deeplink/compose?",
                             "to", "subject", "body"),
    "yahoo": WebmailFormat("Yahoo", "https://compose.mail.yahoo.com/?",
                           "to", "subject", "body"),
    # Yahoo! JAPAN's mailto handler, as Firefox registers it for Japanese (mozilla-central,
    # uriloader/exthandler/HandlerList.sys.mjs: "https://mail.yahoo.co.jp/compose/?To=%s", the
    # whole mailto link in To).
    "yahoojp": WebmailFormat("Yahoo! JAPAN", "https://mail.yahoo.co.jp/compose/?",
                             mailto="To", first_for=("ja", "JP")),
}


@dataclass(frozen=True)
class Message:
    """A letter ready to send: bare addresses, a subject line and a plain-text body."""

    to: tuple[str, ...]
    subject: str
    body: str  # line breaks as LF


@dataclass(frozen=True)
class SendLink:
    """One way of sending, and whether its body had to be shortened to fit."""

    channel: str
    label: str
    href: str
    shortened: bool
    length: int = 0  # the link's length with the whole letter in it, shortened or not


# What encodeURIComponent leaves as it is; every other byte of the UTF-8 is %XX.
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!'()*-._~")
_PERCENT = [chr(byte) if byte in _UNRESERVED else f"%{byte:02X}" for byte in range(256)]


def encode(value: str) -> str:
    """Percent-encode as UTF-8, exactly as JavaScript's encodeURIComponent does (and as
    urllib's quote with its safe characters: a test holds the two together), byte by byte
    through one table indexed by the byte (1.5 to 1.7 times as fast as str.translate's
    mapping): a letter is thousands of characters, several times per post."""
    return "".join([_PERCENT[byte] for byte in value.encode("utf-8")])


def encode_addresses(addresses: tuple[str, ...], quote: Callable[[str], str] = encode) -> str:
    """Bare addresses joined by commas, each encoded but for its '@' (RFC 6068)."""
    return ",".join(quote(address).replace("%40", "@") for address in addresses)


def compose_mailto(message: Message, quote: Callable[[str], str] = encode) -> str:
    """An RFC 6068 mailto URL: CRLF line breaks, %20 for spaces, UTF-8 percent-encoding (or,
    for a link only a page shows, its words as themselves: sharelinks.encode_iri)."""
    body = message.body.replace("\n", "\r\n")
    return (f"mailto:{encode_addresses(message.to)}"
            f"?subject={quote(message.subject)}&body={quote(body)}")


def compose_webmail(channel: str, message: Message, quote: Callable[[str], str] = encode) -> str:
    """A webmail compose URL for one of the services in WEBMAIL (`quote`: encode, or one
    that remembers what it encoded: send_links)."""
    fmt = WEBMAIL[channel]
    if fmt.mailto:
        return f"{fmt.base}{fmt.mailto}={quote(compose_mailto(message, quote))}"
    return (f"{fmt.base}{fmt.to}={encode_addresses(message.to, quote)}"
            f"&{fmt.subject}={quote(message.subject)}&{fmt.body}={quote(message.body)}")


def channel_order(language: str, country: str) -> tuple[str, ...]:
    """The send channels as the page offers them: the mail app, then the webmails the
    supporter's language (a page's code: ja) or country (JP) uses, then the others.

    campaign.js's channelOrder is the same function: a browser test compares the two.
    """
    first = [channel for channel, f in WEBMAIL.items()
             if language in f.first_for or country in f.first_for]
    return ("mailto", *first, *(channel for channel in WEBMAIL if channel not in first))


CHANNELS = {"mailto": N_("Email app"),
            **{channel: f.label for channel, f in WEBMAIL.items()}}
COPY_CHANNEL = "copy"  # the supporter copied the letter to paste it into any email
POST_CHANNEL = "post"  # the supporter printed the letter to post it (compose/postal.py)
# The channels a send is counted under: counting/storage.py's column is as wide as the longest.
COUNTED_CHANNELS = (*CHANNELS, COPY_CHANNEL, POST_CHANNEL)
CHANNEL_MAX = max(len(channel) for channel in COUNTED_CHANNELS)  # counting/storage.py's column
# The smallest limit of each channel: what is safe on any platform.
LIMITS = {"mailto": min(MAILTO_LIMITS.values()), **WEBMAIL_LIMITS}


def platform_of(user_agent: str) -> str:
    """The platform a browser runs on, as MAILTO_LIMITS names it, from its User-Agent.

    campaign.js's platformOf is the same function: a browser test compares the two.
    """
    if "CrOS" in user_agent:
        return "chromeos"
    if "Windows" in user_agent:
        return "windows-firefox" if "Firefox/" in user_agent else "windows"
    if "Android" in user_agent:
        return "android"
    if any(device in user_agent for device in ("iPhone", "iPad", "iPod")):
        return "ios"
    if "Macintosh" in user_agent or "Mac OS X" in user_agent:
        return "mac"
    if "Linux" in user_agent or "X11" in user_agent:
        return "linux"
    return "unknown"


def limits_for(platform: str) -> dict[str, int]:
    """Each channel's limit on a platform."""
    return {**LIMITS, "mailto": MAILTO_LIMITS.get(platform, MAILTO_LIMITS["unknown"])}
BUILDERS: dict[str, Callable[..., str]] = {  # (message, quote=encode)
    "mailto": compose_mailto, **{channel: partial(compose_webmail, channel) for channel in WEBMAIL}}


def fit(message: Message, channel: str, short_body: str = SHORT_BODY,
        limits: dict[str, int] = LIMITS, quote: Callable[[str], str] = encode) -> SendLink:
    """A channel's link; past its limit, built with the short body, and saying so."""
    build = BUILDERS[channel]
    href = build(message, quote)
    if len(href) <= limits[channel]:
        return SendLink(channel, CHANNELS[channel], href, False, len(href))
    return SendLink(channel, CHANNELS[channel], build(replace(message, body=short_body), quote),
                    True, len(href))


def send_links(message: Message, short_body: str = SHORT_BODY,
               limits: dict[str, int] = LIMITS,
               order: tuple[str, ...] = tuple(CHANNELS)) -> list[SendLink]:
    """The mailto link and every webmail link, each within its length limit, in order. The
    links share their parts (the body, the subject, each address): each is encoded once."""
    quote = cache(encode)  # this letter's parts only: gone with the call
    return [fit(message, channel, short_body, limits, quote) for channel in order]


def blank_links(order: tuple[str, ...] = tuple(CHANNELS)) -> list[SendLink]:
    """Every send channel with no link yet: the page's places for links the browser fills."""
    return [SendLink(channel, CHANNELS[channel], "", False) for channel in order]


REPORT_SUBJECT = N_("Address bounced: %(address)s")
REPORT_BODY = N_("The address %(address)s of %(mission)s, listed on the campaign page, bounced "
                 "or looks wrong.\n\nWhat happened (the bounce message, if you have it):\n")


def compose_report(report_to: str, subject: str, body: str) -> str:
    """A mailto that tells the organizers an address bounced or looks wrong."""
    return compose_mailto(Message((report_to,), subject, body))


def recipients_line(addresses: tuple[str, ...]) -> str:
    """The addresses as a person pastes them into a To field."""
    return ", ".join(addresses)


