"""campaign.js's pure functions against their Python twins, over many generated inputs, in
real Chromium: the letter, the links and the form's checks must come out the same on both
sides, byte for byte."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import TEST_DATA, LiveServer

from campaign import create_app
from campaign.compose.rules import RULES, browser_rules, check_rule
from campaign.compose.sendlinks import (
    CHANNELS,
    WEBMAIL,
    Message,
    compose_mailto,
    compose_webmail,
    fit,
    limits_for,
    platform_of,
)
from campaign.data.letterfiles import load_letters
from campaign.data.lettertext import Signature, compose_letter, normalize_text, resign
from campaign.web.languages import words

pytestmark = pytest.mark.browser
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
# Any text a supporter could type, line breaks and CJK included (no lone surrogates: a form
# cannot carry them), kept short so a run stays fast.
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
LONG_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=2500)
ADDRESS = st.from_regex(r"[a-z0-9._%+-]{1,20}@[a-z0-9-]{1,20}\.[a-z]{2,6}", fullmatch=True)
LETTER = load_letters(TEST_DATA / "letters").default
MESSAGE = st.builds(Message, st.tuples(ADDRESS, ADDRESS) | st.tuples(ADDRESS), TEXT, LONG_TEXT)


@pytest.fixture(scope="module")
def app() -> Flask:
    return create_app({"TESTING": True, "SECRET_KEY": "script-test"})


@pytest.fixture(scope="module")
def core(browser: Any, app: Flask) -> Iterator[Any]:
    """The letter page in Chromium, whose script exposes its pure functions."""
    with LiveServer(app) as server:
        context = browser.new_context()
        page = context.new_page()
        page.goto(server.url + "/")
        page.wait_for_load_state("load")

        def call(name: str, *args: Any) -> Any:
            return page.evaluate("([name, args]) => window.campaignCore[name](...args)",
                                 [name, list(args)])

        yield call
        context.close()


def _message(m: Message) -> dict[str, Any]:
    return {"to": list(m.to), "subject": m.subject, "body": m.body}


@SETTINGS
@given(text=LONG_TEXT)
def test_normalize_is_the_same(core: Any, text: str) -> None:
    assert core("normalize", text) == normalize_text(text)


@SETTINGS
@given(name=TEXT, city=TEXT, own_words=TEXT, language=st.sampled_from(LETTER.languages))
def test_the_letter_is_the_same_in_every_language(core: Any, name: str, city: str,
                                                  own_words: str, language: str) -> None:
    skeleton = LETTER.in_language(language).skeleton
    signature = {"name": name, "city": city, "own_words": own_words}
    assert core("composeLetter", skeleton, signature) == compose_letter(skeleton,
                                                                        Signature(**signature))


@SETTINGS
@given(message=MESSAGE)
def test_the_send_links_are_the_same(core: Any, message: Message) -> None:
    assert core("composeMailto", _message(message)) == compose_mailto(message)
    for channel in WEBMAIL:
        assert core("composeWebmail", channel, _message(message)) == compose_webmail(
            channel, message)
    for channel in CHANNELS:
        expected = fit(message, channel)
        assert core("fit", channel, _message(message)) == {
            "href": expected.href, "shortened": expected.shortened, "length": expected.length}


@SETTINGS
@given(field=st.sampled_from(sorted(RULES)), value=TEXT | st.text(max_size=1200)
       | st.sampled_from(["", "   ", "x" * 101, "x" * 1001, "<b>", "a\u2028b", "\t\n"]))
def test_the_form_checks_are_the_same(core: Any, app: Flask, field: str, value: str) -> None:
    with app.test_request_context():
        expected = check_rule(RULES[field], value, words())
        rule = browser_rules(words())["rules"][field]
    assert core("checkRule", rule, value) == expected


@SETTINGS
@given(text=TEXT)
def test_strip_is_pythons(core: Any, text: str) -> None:
    assert core("strip", text) == text.strip()


AGENT_PARTS = st.sampled_from(["Windows NT 10.0", "Firefox/140.0", "Chrome/140.0", "CrOS",
                               "Android 15", "iPhone", "iPad", "Macintosh", "Mac OS X", "Linux",
                               "X11", "Safari", "Mobile", "Gecko"])


@SETTINGS
@given(agent=st.lists(AGENT_PARTS | TEXT, max_size=6).map("; ".join))
def test_the_platform_and_its_limits_are_the_same(core: Any, agent: str) -> None:
    platform = platform_of(agent)
    assert core("platformOf", agent) == platform
    assert core("limitsFor", platform) == limits_for(platform)


@SETTINGS
@given(first=TEXT, second=TEXT, inserted=TEXT, at=st.integers(0, 3000), field=st.sampled_from(
    ["name", "city", "own_words"]))
def test_resigning_an_edited_letter_is_the_same(core: Any, first: str, second: str,
                                                 inserted: str, at: int, field: str) -> None:
    signed = {"name": "Ada", "city": "London", "own_words": ""}
    new = compose_letter(LETTER.skeleton, Signature(**{**signed, field: second}))
    old = compose_letter(LETTER.skeleton, Signature(**{**signed, field: first}))
    edited = normalize_text(old[:at] + inserted + old[at:])
    assert core("resign", edited, old, new) == resign(edited, old, new)
