"""Property tests: any Unicode, any length, into the URL builders and the form."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import COUNTRIES, UN, form_values, links_of, page

from campaign import create_app
from campaign.compose.sendlinks import (
    BUILDERS,
    MAILTO_LIMITS,
    SHORT_BODY,
    Message,
    compose_mailto,
    compose_webmail,
    limits_for,
    send_links,
)

ADDRESSES = st.lists(st.emails(), min_size=1, max_size=4).map(tuple)
TEXT = st.text(max_size=3000)


def decode(href: str) -> tuple[list[str], dict[str, str]]:
    parts = urlsplit(href)
    fields = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
    return [unquote(a) for a in parts.path.split(",")], fields


@given(ADDRESSES, TEXT, TEXT)
@settings(max_examples=300, deadline=None)
def test_every_mailto_parses_back_to_the_message(to: tuple[str, ...], subject: str,
                                                 body: str) -> None:
    href = compose_mailto(Message(to, subject, body))
    assert not any(ch in href for ch in "\r\n \t")
    recipients, fields = decode(href.removeprefix("mailto:"))
    assert recipients == list(to)
    assert fields == {"subject": subject, "body": body.replace("\n", "\r\n")}


@given(st.sampled_from(["gmail", "outlook", "yahoo"]), ADDRESSES, TEXT, TEXT)
@settings(max_examples=200, deadline=None)
def test_every_webmail_link_parses_back_to_the_message(channel: str, to: tuple[str, ...],
                                                       subject: str, body: str) -> None:
    href = compose_webmail(channel, Message(to, subject, body))
    assert not any(ch in href for ch in "\r\n \t")
    _path, fields = decode(href)
    assert fields["to"].split(",") == list(to)
    assert subject in (fields.get("su"), fields.get("subject"))
    assert fields["body"] == body


def fits(message: Message, platform: str) -> None:
    """Each link is whole where it fits its channel's limit on the platform (links.py's own),
    and shortened only where it does not; a shortened link fits too, unless its addresses and
    subject alone are longer than the limit."""
    limits = limits_for(platform)
    for link in send_links(message, limits=limits):
        limit, build = limits[link.channel], BUILDERS[link.channel]
        whole = build(message)
        assert link.length == len(whole)
        assert link.shortened == (len(whole) > limit), (link.channel, len(whole), limit)
        if link.shortened:
            short = build(replace(message, body=SHORT_BODY))
            assert link.href == short and (len(short) <= limit or len(
                build(replace(message, body=""))) > limit)
        else:
            assert link.href == whole and len(whole) <= limit


@given(ADDRESSES, st.text(max_size=20000), st.sampled_from(sorted(MAILTO_LIMITS)))
@settings(max_examples=100, deadline=None)
def test_links_are_never_offered_broken(to: tuple[str, ...], body: str, platform: str) -> None:
    fits(Message(to, "Subject", body), platform)


def sized(channel: str, length: int) -> Message:
    """A message whose link on this channel is exactly `length` characters long."""
    message = Message(("a@example.org",), "Subject", "")
    build = BUILDERS[channel]
    return replace(message, body="x" * (length - len(build(message))))


@pytest.mark.parametrize("platform", sorted(MAILTO_LIMITS))
@pytest.mark.parametrize("channel", sorted(BUILDERS))
def test_a_link_is_whole_up_to_its_limit_and_shortened_past_it(channel: str,
                                                               platform: str) -> None:
    """At the limit links.py sets for the channel on the platform, and one past it: a
    1,950-character mail link goes whole where 2,000 are taken, a Yahoo link of 2,001 not."""
    limit = limits_for(platform)[channel]
    for length, shortened in ((limit - 50, False), (limit, False), (limit + 1, True)):
        message = sized(channel, length)
        assert len(BUILDERS[channel](message)) == length
        link = next(link for link in send_links(message, limits=limits_for(platform))
                    if link.channel == channel)
        assert link.shortened == shortened, (channel, platform, length)
        fits(message, platform)


APP: Flask = create_app({"TESTING": True, "SECRET_KEY": "fuzz", "COUNT_LIMIT": 10**9,
                         "DATABASE_URL": "sqlite:///"
                         + str(Path(tempfile.mkdtemp(prefix="campaign-fuzz-")) / "c.db")})
FIELDS = ["country", "region", "name", "city", "own_words", "subject", "letter", "base",
          "routed", "extra_to", "to", "src", "count_token", "reset"]
HOSTILE = st.one_of(
    st.text(max_size=200),
    st.tuples(st.text(min_size=1, max_size=20), st.integers(500, 2000)).map(
        lambda t: t[0] * t[1]),  # long fields, up to 40,000 characters
    st.sampled_from(["<script>alert(1)</script>", "\r\nBcc: spy@example.org", "\x00", "US",
                     "other", "CA-N", "{{ 7*7 }}", "%0D%0A", "a@b", "\u2028", "\ud7ff"]),
)


@given(st.dictionaries(st.sampled_from(FIELDS), HOSTILE, max_size=len(FIELDS)),
       st.sampled_from(["/", "/stop-forced-repatriation/", "/stop-forced-repatriation/go/gmail",
                        "/stop-forced-repatriation/sent", "/count"]))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_hostile_form_never_gets_a_500(fields: dict[str, str], path: str) -> None:
    client = APP.test_client()
    values = form_values(page(client.get("/")))
    values.update(fields)
    response = client.post(path, data=values)
    assert response.status_code in (200, 201, 400, 413)
    for name, value in response.headers.items():
        assert "\r" not in value and "\n" not in value, name


NAMES = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Zl", "Zp"),
                              exclude_characters="<>"), min_size=1, max_size=100).filter(
    lambda s: s.strip() == s and s)


@given(NAMES, NAMES, st.sampled_from(["GB", "KR", "JP", "other"]))
@settings(max_examples=60, deadline=None)
def test_any_valid_signature_makes_links_with_exactly_that_letter(
        name: str, city: str, country: str) -> None:
    client = APP.test_client()
    values = form_values(page(client.get(f"/?country={country}")))
    values.update({"name": name, "city": city, "country": country})
    response = client.post("/", data=values)
    soup = page(response)
    body = soup.find(id="copy-body").get_text().removeprefix("\n")
    assert body.endswith(f"Sincerely,\n{name}\n{city}")
    mailto = links_of(client, response)["mailto"]
    recipients, fields = decode(mailto.removeprefix("mailto:"))
    expected = [COUNTRIES[country]] if country != "other" else []
    assert recipients == [*expected, UN]
    # a subject left as the page offered it is one of the letter's, picked for this supporter
    assert fields["subject"] == soup.find(id="copy-subject")["value"]
    assert fields["subject"] in APP.extensions["campaign_data"].data.letters.default.subjects
    if not fields["body"].startswith("Please paste the letter here"):
        assert fields["body"] == body.replace("\n", "\r\n")
