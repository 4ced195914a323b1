"""The URL builders, against expectations decoded by hand."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, unquote, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaign.compose.sendlinks import (
    CHANNELS,
    LIMITS,
    MAILTO_LIMITS,
    SHORT_BODY,
    Message,
    channel_order,
    compose_mailto,
    compose_webmail,
    encode,
    limits_for,
    send_links,
)

MESSAGE = Message(("a@example.org", "b.c@example.net"), "Stop it & now?",
                  "Dear Sir,\n\nÄ #1\nYours")


def test_mailto_joins_bare_addresses_and_encodes_per_rfc_6068() -> None:
    assert compose_mailto(MESSAGE) == (
        "mailto:a@example.org,b.c@example.net"
        "?subject=Stop%20it%20%26%20now%3F"
        "&body=Dear%20Sir%2C%0D%0A%0D%0A%C3%84%20%231%0D%0AYours"
    )


def test_mailto_never_uses_plus_for_spaces() -> None:
    href = compose_mailto(Message(("a@example.org",), "a+b c", "x y"))
    assert href == "mailto:a@example.org?subject=a%2Bb%20c&body=x%20y"


def test_gmail_link() -> None:
    assert compose_webmail("gmail", MESSAGE) == (
        "https://mail.google.com/mail/?view=cm&fs=1&to=a@example.org,b.c@example.net"
        "&su=Stop%20it%20%26%20now%3F&body=Dear%20Sir%2C%0A%0A%C3%84%20%231%0AYours"
    )


def test_outlook_link() -> None:
    assert compose_webmail("outlook", MESSAGE) == (
        "https://outlook.live.com/mail/0/deeplink/compose?to=a@example.org,b.c@example.net"
        "&subject=Stop%20it%20%26%20now%3F&body=Dear%20Sir%2C%0A%0A%C3%84%20%231%0AYours"
    )


def test_yahoo_link() -> None:
    assert compose_webmail("yahoo", MESSAGE) == (
        "https://compose.mail.yahoo.com/?to=a@example.org,b.c@example.net"
        "&subject=Stop%20it%20%26%20now%3F&body=Dear%20Sir%2C%0A%0A%C3%84%20%231%0AYours"
    )


@pytest.mark.parametrize(("text", "expected"), [
    ("azAZ09-_.!~*'()", "azAZ09-_.!~*'()"),  # what encodeURIComponent leaves alone
    (" ", "%20"), ("&", "%26"), ("=", "%3D"), ("#", "%23"), ("?", "%3F"), ("+", "%2B"),
    ("/", "%2F"), ("@", "%40"), ("\r\n", "%0D%0A"), ("é", "%C3%A9"), ("한", "%ED%95%9C"),
    ("😀", "%F0%9F%98%80"),
])
def test_encode_matches_encode_uri_component(text: str, expected: str) -> None:
    assert encode(text) == expected


def test_an_address_with_special_characters_keeps_its_at_sign() -> None:
    href = compose_mailto(Message(("o'neil+x@example.org",), "s", "b"))
    assert href.startswith("mailto:o'neil%2Bx@example.org?")


def decode_mailto(href: str) -> tuple[list[str], str, str]:
    parts = urlsplit(href)
    query = parse_qs(parts.query, keep_blank_values=True)
    return [unquote(a) for a in parts.path.split(",")], query["subject"][0], query["body"][0]


def test_a_mailto_decodes_to_the_exact_message() -> None:
    to, subject, body = decode_mailto(compose_mailto(MESSAGE))
    assert (to, subject, body) == (list(MESSAGE.to), MESSAGE.subject,
                                   MESSAGE.body.replace("\n", "\r\n"))


def test_yahoo_japan_takes_the_whole_mailto_link_as_its_mail_handler() -> None:
    """Firefox's handler for Japanese: https://mail.yahoo.co.jp/compose/?To=%s, where %s is
    the mailto link, encoded once more."""
    href = compose_webmail("yahoojp", MESSAGE)
    assert href == "https://mail.yahoo.co.jp/compose/?To=" + encode(compose_mailto(MESSAGE))
    assert unquote(href.split("?To=", 1)[1]) == compose_mailto(MESSAGE)


@pytest.mark.parametrize(("language", "country", "order"), [
    ("en", "", ("mailto", "gmail", "outlook", "yahoo", "yahoojp")),
    ("ja", "", ("mailto", "yahoojp", "gmail", "outlook", "yahoo")),  # a Japanese page
    ("en", "JP", ("mailto", "yahoojp", "gmail", "outlook", "yahoo")),  # a supporter in Japan
    ("ko", "KR", ("mailto", "gmail", "outlook", "yahoo", "yahoojp")),
])
def test_the_webmail_people_use_comes_first(language: str, country: str,
                                            order: tuple[str, ...]) -> None:
    assert channel_order(language, country) == order
    assert [link.channel for link in send_links(MESSAGE, order=order)] == list(order)


def test_short_letter_links_carry_the_whole_letter() -> None:
    links = {link.channel: link for link in send_links(MESSAGE)}
    assert list(links) == list(CHANNELS)
    # Yahoo! JAPAN's handler takes the letter encoded twice, within its 2,000 here
    assert not any(link.shortened for link in links.values())


def test_a_letter_too_long_for_mailto_gets_the_short_body() -> None:
    korean = Message(("a@example.org",), "제목", "북한 난민을 보호해 주십시오. " * 30)
    links = {link.channel: link for link in send_links(korean)}
    mailto = links["mailto"]
    assert len(compose_mailto(korean)) > LIMITS["mailto"] == MAILTO_LIMITS["windows"]
    assert mailto.shortened and len(mailto.href) <= LIMITS["mailto"]
    assert decode_mailto(mailto.href) == (["a@example.org"], "제목", SHORT_BODY)
    assert not links["gmail"].shortened and len(links["gmail"].href) <= LIMITS["gmail"]
    on_a_mac = {link.channel: link for link in send_links(korean, limits=limits_for("mac"))}
    assert not on_a_mac["mailto"].shortened  # a Mac's mail app takes the whole letter


def test_a_letter_too_long_for_webmail_gets_the_short_body_there_too() -> None:
    huge = Message(("a@example.org",), "s", "편지 " * 1000)
    assert all(link.shortened for link in send_links(huge))


@given(st.text(st.characters(exclude_categories=("Cs",))))
def test_encoding_is_urllibs_quote_with_encode_uri_components_safe_characters(
        value: str) -> None:
    assert encode(value) == quote(value, safe="!'()*-._~")


def test_a_share_links_words_stay_themselves_but_spaces_marks_and_ascii() -> None:
    """encode_iri: letters, digits, punctuation and symbols beyond ASCII as themselves; ASCII
    as encodeURIComponent; spaces, bidi marks and private use encoded (the browser-side proof
    that such a link goes where the encoded one does: tests/web/test_sharing.py)."""
    from campaign.compose.sharelinks import encode_iri

    assert encode_iri("Привет, 世界! a+b") == "Привет%2C%20世界!%20a%2Bb"
    assert encode_iri("\u200f\u00a0\ue000«»") == "%E2%80%8F%C2%A0%EE%80%80«»"
