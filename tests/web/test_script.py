"""campaign.js's pure functions against their Python twins, over many generated inputs, in
real Chromium: the letter, the links and the form's checks must come out the same on both
sides, byte for byte."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import TEST_DATA, BrowserErrors, LiveServer

from campaign import create_app
from campaign.compose.drafts import Answers, prepare, preview_of, subject_for
from campaign.compose.places import asked, pending, region_kind
from campaign.compose.rules import (
    FORM_ORDER,
    RULES,
    address_problem,
    browser_rules,
    check_rule,
    waiting_for,
)
from campaign.compose.sendlinks import (
    CHANNELS,
    WEBMAIL,
    Message,
    channel_order,
    compose_mailto,
    compose_webmail,
    fit,
    limits_for,
    platform_of,
)
from campaign.data.contacts import OTHER
from campaign.data.contactsfile import load_contacts
from campaign.data.letterfiles import load_letters
from campaign.data.lettertext import Signature, compose_letter, normalize_text, resign
from campaign.i18n.words import ENGLISH
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
CONTACTS = load_contacts(TEST_DATA / "contacts.yaml")  # the app's (it reads the test data too)
MESSAGE = st.builds(Message, st.tuples(ADDRESS, ADDRESS) | st.tuples(ADDRESS), TEXT, LONG_TEXT)


@pytest.fixture(scope="module")
def app() -> Flask:
    return create_app({"TESTING": True, "SECRET_KEY": "script-test"})


@pytest.fixture(scope="module")
def core(chromium: Any, app: Flask) -> Iterator[Any]:
    """The letter page in Chromium, whose script exposes its pure functions; a call fails on
    any error the page reported."""
    errors = BrowserErrors()
    with LiveServer(app) as server:
        context = errors.watch(chromium.new_context())
        page = context.new_page()
        page.goto(server.url + "/")
        page.wait_for_load_state("load")

        def call(name: str, *args: Any) -> Any:
            result = page.evaluate("([name, args]) => window.campaignCore[name](...args)",
                                   [name, list(args)])
            assert errors.errors == []
            return result

        yield call
        context.close()
    assert errors.errors == []


def _message(m: Message) -> dict[str, Any]:
    return {"to": list(m.to), "subject": m.subject, "body": m.body}


@SETTINGS
@given(text=LONG_TEXT)
def test_normalize_is_the_same(core: Any, text: str) -> None:
    assert core("normalize", text) == normalize_text(text)


BLANK = st.sampled_from(["", " ", "\n"]) | TEXT  # what a supporter typed: often nothing yet


@SETTINGS
@given(name=BLANK, city=BLANK, own_words=TEXT, language=st.sampled_from(LETTER.languages),
       blanks=st.sampled_from([("[your name]", "[your city]"), ("[이름]", "[사는 도시]"),
                               ("［お名前］", "［お住まいの市区町村］"), ("", "")])
       | st.tuples(TEXT, TEXT))
def test_the_letter_is_the_same_in_every_language(core: Any, name: str, city: str,
                                                  own_words: str, language: str,
                                                  blanks: tuple[str, str]) -> None:
    """Signed or not yet: where a name or city is not typed, both sides show the same
    blank."""
    skeleton = LETTER.in_language(language).skeleton
    signature = {"name": name, "city": city, "own_words": own_words}
    blank = {"name": blanks[0], "city": blanks[1], "own_words": ""}
    assert core("composeLetter", skeleton, signature, blank) == compose_letter(
        skeleton, Signature(**signature), Signature(**blank))


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
@given(language=st.sampled_from(["", "en", "ja", "ko", "zh-hans"]) | TEXT,
       country=st.sampled_from(["", "JP", "KR", "US", "other"]) | TEXT)
def test_the_send_channels_are_ordered_the_same(core: Any, language: str, country: str) -> None:
    assert core("channelOrder", language, country) == list(channel_order(language, country))


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


# The rules the page applies as the supporter chooses, each against the server's, on generated
# choices: where a place routes and what the form asks there, which recipients stay ticked,
# the subject, and the verdict on an address a supporter adds.

@st.composite
def places(draw: Any) -> tuple[str, str]:
    """A country the page offers (or none, or one it does not list), and a region: one of
    that country's answers, none, another country's, or one no country has. (A country's
    answers the form never asks, which `place_of` maps to the asked one, are left out: the
    page cannot hold them.)"""
    country = draw(st.sampled_from(["", OTHER, "ZZ", "constructor"])
                   | st.sampled_from(list(CONTACTS.countries)))
    known = CONTACTS.countries.get(country)
    others = sorted({c for k in CONTACTS.countries.values() for c in k.choices}
                    - set(known.places if known else ()))
    own = [*(known.choices if known else ()), "", "XX", "__proto__"]
    region: str = draw(st.sampled_from(own) | st.sampled_from(others))
    return country, region


@SETTINGS
@given(place=places())
def test_each_place_routes_and_asks_the_same(core: Any, place: tuple[str, str]) -> None:
    found = core("route", *place)
    route = CONTACTS.route(*place)
    assert {"key": found["key"], "asks": found["asks"], "recipients": found["recipients"],
            "local": found["local"], "instead": found["instead"],
            "pending": found["pending"]} == {
        "key": CONTACTS.key_of(*place),
        "asks": dataclasses.asdict(asked(CONTACTS, *place)),
        "recipients": [r.key for r in route.recipients], "local": [r.key for r in route.local],
        "instead": route.instead.key if route.instead else None,
        "pending": pending(CONTACTS, *place)}
    country = CONTACTS.countries.get(place[0])
    if country and country.choices:  # asked as the server asks it: by state, province, city
        assert core("countryRoute", place[0])["kind"] == region_kind(country)


SUBJECTS = LETTER.subjects


@SETTINGS
@given(text=LONG_TEXT | st.lists(TEXT, max_size=6).map("\n\n".join))
def test_the_preview_is_the_same(core: Any, text: str) -> None:
    expected = preview_of(text)
    assert core("previewOf", text) == {"opening": expected.opening, "closing": expected.closing}


@SETTINGS
@given(problems=st.lists(st.tuples(st.sampled_from(FORM_ORDER), st.booleans()),
                         unique_by=lambda problem: problem[0]),
       kind=st.sampled_from(["state", "province", "region", "city"]))
def test_what_the_send_step_waits_for_is_the_same(core: Any, app: Flask,
                                                  problems: list[tuple[str, bool]],
                                                  kind: str) -> None:
    with app.test_request_context():
        expected = waiting_for(problems, kind, words())
    assert core("waitingFor", [list(p) for p in problems], kind) == [list(w) for w in expected]


@SETTINGS
@given(subject=st.sampled_from(SUBJECTS) | TEXT | st.sampled_from(["", " ", "\u3000"]),
       offered=st.sampled_from(["", *SUBJECTS]), padding=st.sampled_from(["", " ", "\t"]),
       chance=st.floats(0, 1, exclude_max=True))
def test_the_subject_is_chosen_the_same(core: Any, subject: str, offered: str, padding: str,
                                        chance: float) -> None:
    typed = padding + subject + padding
    assert core("subjectFor", typed, offered, SUBJECTS, chance) == subject_for(
        typed, offered, SUBJECTS, chance)


@pytest.fixture(scope="module")
def form_page(chromium: Any, app: Flask) -> Iterator[Any]:
    """The letter page, signed, in Chromium: a supporter's page for the rules that work on
    the page's fields (ticking, the address check); a call fails on any error it reported."""
    errors = BrowserErrors()
    with LiveServer(app) as server:
        context = errors.watch(chromium.new_context())
        page = context.new_page()
        page.goto(server.url + "/")
        page.fill("#name", "Ada Lovelace")
        page.fill("#city", "London")
        yield page, errors
        context.close()
    assert errors.errors == []


# In the page: choose a place (as a supporter does, one select after the other), untick some
# recipients, type an address, choose another place; what the page then ticks and sends to.
CHOOSE = """async ([first, untick, extra, second]) => {
  const el = (id) => document.getElementById(id);
  const fire = (node, kind) => node.dispatchEvent(new Event(kind, {bubbles: true}));
  const choose = ([country, region]) => {
    el("country").value = country; fire(el("country"), "change");
    el("region").value = region; fire(el("region"), "change");
    return [el("country").value, el("region").value];
  };
  choose(["", ""]);
  const chosen = choose(first);
  const placed = el("routed").value;
  for (const key of untick) {
    const box = el("to-" + key);
    if (box && box.checked) { box.checked = false; fire(box, "change"); }
  }
  el("extra_to").value = extra; fire(el("extra_to"), "input");
  const then = choose(second);
  // an address the place asks for is checked by the server: wait for its verdict
  const pending = () => el("extra_to").value && !el("extra_to-field").hidden
    && el("send-ready").hidden && el("extra_to-error").hidden;
  for (let i = 0; i < 250 && pending(); i++) await new Promise((r) => setTimeout(r, 20));
  return {chosen, placed, then, routed: el("routed").value,
          ticked: [...document.querySelectorAll("#recipient-list input[name=to]:checked")]
            .map((box) => box.value),
          ready: !el("send-ready").hidden, to: el("copy-to").value};
}"""


@st.composite
def journeys(draw: Any) -> tuple[tuple[str, str], list[str], tuple[str, str]]:
    """A place, recipients unticked there, and the place the supporter ends up choosing as
    they must to send: a country, and one of its answers where it asks."""
    first = draw(places())
    listed = [r.key for r in CONTACTS.route(*first).addressed]
    untick = draw(st.lists(st.sampled_from(listed), unique=True)) if listed else []
    country = draw(st.sampled_from([OTHER, *CONTACTS.countries]))
    known = CONTACTS.countries.get(country)
    region = draw(st.sampled_from(known.choices)) if known and known.choices else ""
    return first, untick, (country, region)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journey=journeys(), extra=st.sampled_from(["", "embassy@example.org"]))
def test_the_recipients_ticked_are_the_same(form_page: Any, app: Flask, journey: Any,
                                            extra: str) -> None:
    """Ticks are kept while the place stays, every recipient ticked in a new one; the letter
    goes to those ticked (and the added address, where the place asks for one)."""
    page, errors = form_page
    first, untick, second = journey
    seen = page.evaluate(CHOOSE, [list(first), untick, extra, list(second)])
    assert errors.errors == []
    before = prepare(LETTER, CONTACTS, Answers(*seen["chosen"]), False, ENGLISH)
    assert seen["placed"] == before.place
    kept = tuple(key for key in before.ticked if key not in untick)
    with app.test_request_context():
        after = prepare(LETTER, CONTACTS, Answers(
            *seen["then"], signature=Signature("Ada Lovelace", "London"), subject="S",
            routed=before.place, to=kept, extra_to=extra), True, words())
    assert (seen["routed"], seen["ticked"]) == (after.place, list(after.ticked))
    if after.message is None:  # nobody ticked, no address added
        assert not seen["ready"] and after.to_error
    else:
        assert seen["ready"] and seen["to"] == ", ".join(after.message.to)


# Addresses a supporter might add, each with the server's verdict: the script shows the same.
ADDRESSES = ["embassy@example.org", "a.b+c@sub.example.co.uk", "名前@example.org",
             "a..b@example.org", "x@-bad.org", '"q"@example.org', "not an address", "a@b",
             "a@b.org, c@d.org", "a b@example.org", ".a@example.org", "a.@example.org",
             "a@example..org", "a@localhost", "a@[127.0.0.1]", "a@example.org.",
             "a@exa_mple.org", "a@" + "x" * 64 + ".org", "x" * 65 + "@example.org",
             "a@example.invalid", "a@xn--bcher-kva.example", "a@bücher.example"]


@pytest.mark.parametrize("address", ADDRESSES)
def test_the_script_judges_an_added_address_as_the_server_does(
        form_page: Any, app: Flask, address: str) -> None:
    page, errors = form_page
    page.select_option("#country", "BR")  # no mission there publishes an address
    page.fill("#extra_to", "")
    page.fill("#extra_to", address)
    page.wait_for_function("() => !document.getElementById('extra_to-error').hidden || "
                           "!document.getElementById('send-ready').hidden")
    shown = page.evaluate("""() => { const e = document.getElementById('extra_to-error');
        return e.hidden ? '' : e.textContent; }""")
    typed = page.input_value("#extra_to")  # an email field holds a domain in ASCII (punycode)
    with app.test_request_context("/en/"):
        assert shown == address_problem(typed, words())
    if not shown:  # the letter goes to it
        assert page.input_value("#copy-to").split(", ")[-1] == typed
    assert errors.errors == []
