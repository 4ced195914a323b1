"""The letter page on a phone (390x844), in real Chromium, with and without JavaScript: the
send button within a screen of the signature, the letter seen before it is sent, and what is
missing said at its field and in the send step."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from support import UN, LiveServer, app_on, decode_mailto, without_un_email

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
# A supporter in each language the issue names: where they live and how they sign.
SUPPORTERS = {
    "en": ("/en/?country=US", "NY", "Ada Lovelace", "London"),
    "ko": ("/ko/?country=KR", "", "홍길동", "서울"),
    "de": ("/de/?country=DE", "", "Ada Lovelace", "Berlin"),
}
MAIL_APP = {True: "#send-mailto", False: "li.no-js-only button[formaction$='/go/mailto']"}


@pytest.fixture(params=[True, False], ids=["with JavaScript", "without JavaScript"])
def phone(request: pytest.FixtureRequest, browser: Any) -> Iterator[tuple[Any, bool]]:
    """A phone's page, with or without JavaScript."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                  java_script_enabled=request.param)
    yield context.new_page(), request.param
    context.close()


def top(pg: Any, selector: str) -> float:
    """Where an element's top is on the page (not the screen)."""
    found: float = pg.evaluate("(s) => document.querySelector(s).getBoundingClientRect().top"
                               " + window.scrollY", selector)
    return found


def bottom(pg: Any, selector: str) -> float:
    """Where an element's bottom is on the page."""
    found: float = pg.evaluate("(s) => document.querySelector(s).getBoundingClientRect().bottom"
                               " + window.scrollY", selector)
    return found


@pytest.mark.parametrize("language", sorted(SUPPORTERS))
def test_the_send_button_is_within_a_screen_of_the_signature(
        phone: tuple[Any, bool], live_server: LiveServer, language: str) -> None:
    pg, script = phone
    path, region, name, city = SUPPORTERS[language]
    pg.goto(live_server.url + path)
    if region:
        pg.select_option("#region", region)
    pg.fill("#name", name)
    pg.fill("#city", city)
    if not script:  # the page that posts the form shows the buttons that send it
        pg.click("#prepare")
        pg.wait_for_load_state()
    button = pg.locator(MAIL_APP[script])
    expect(button).to_be_visible()
    distance = top(pg, MAIL_APP[script]) - bottom(pg, "#city")
    assert 0 < distance <= PHONE["height"], distance
    # what the supporter sees on the way: who receives the letter, its subject, its opening
    # and their signature, all before the button
    for part in ("#preview-to", "#preview-subject", "#preview-opening", "#preview-closing"):
        expect(pg.locator(part)).to_be_visible()
        assert bottom(pg, part) <= top(pg, MAIL_APP[script]), part
    closing = pg.inner_text("#preview-closing")
    assert name in closing and city in closing


def test_the_whole_letter_opens_before_the_buttons_and_its_edits_are_sent(
        browser: Any, live_server: LiveServer) -> None:
    """The preview opens into the whole letter, right above the send buttons: what the
    supporter reads and changes there is what the mail app gets."""
    pg = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    pg.goto(live_server.url + "/?country=GB")
    pg.fill("#name", "Ada Lovelace")
    pg.fill("#city", "London")
    assert not pg.is_visible("#letter")
    pg.click("#letter-editor > summary")
    expect(pg.locator("#letter")).to_be_visible()
    assert not pg.is_visible("#letter-preview")  # the whole letter stands in its place
    assert bottom(pg, "#letter") < top(pg, "#send-mailto")
    letter = pg.input_value("#letter")
    assert letter.startswith("Dear Minister Wang Yi,") and letter.endswith("Ada Lovelace\nLondon")
    pg.fill("#letter", letter.replace("Dear Minister Wang Yi,", "Dear Minister,"))
    assert decode_mailto(pg.get_attribute("#send-mailto", "href"))[2].startswith(
        "Dear Minister,\r\n")
    pg.click("#letter-editor > summary")  # folded again: the preview shows the edit
    assert pg.inner_text("#preview-opening").startswith("Dear Minister,\n")


def test_the_folded_letter_is_not_laid_out_until_it_is_opened(
        phone: tuple[Any, bool], live_server: LiveServer) -> None:
    """Folded, the recipients, the subject and the whole letter have no box at all, so the
    browser has nothing of them to lay out while the page starts, whatever reads its form
    (Chromium's autofill asks each field whether it can take focus). A browser's own fold keeps
    them laid out, out of sight: a box of the letter's whole height. Opened, they are there."""
    pg, _ = phone
    pg.goto(live_server.url + "/?country=US&region=NY")
    folded = ("#recipients", "#subject-field", "#letter-field")
    boxes = "(s) => document.querySelector(s).getClientRects().length"
    assert [pg.evaluate(boxes, part) for part in folded] == [0, 0, 0]
    pg.click("#letter-editor > summary")
    assert [pg.evaluate(boxes, part) for part in folded] == [1, 1, 1]
    expect(pg.locator("#letter")).to_be_visible()


def test_an_american_without_a_state_is_told_to_choose_it(browser: Any,
                                                          live_server: LiveServer) -> None:
    """The issue's American: country, name and city filled in, no state. The state's field
    says so, the send step names it, and the embassy is not shown as if it were final."""
    pg = browser.new_context(viewport=PHONE).new_page()
    pg.goto(live_server.url + "/")
    pg.select_option("#country", "US")
    pg.fill("#name", "Ada Lovelace")
    pg.fill("#city", "Boston")
    expect(pg.locator("#region-error")).to_have_text(
        "Choose your state: it decides which Chinese consulate you write to.")
    assert pg.inner_text("#region-field label") == "Your state"
    expect(pg.locator("#waiting-list li")).to_have_text(["Choose your state"])
    assert pg.get_attribute("#waiting-list a", "href") == "#region"
    assert not pg.is_visible("#send-ready")
    expect(pg.locator("#pending-row")).to_be_visible()
    expect(pg.locator("#pending-question")).to_have_text("Choose your state")
    names = pg.locator("#preview-to li[data-key]").evaluate_all(
        "items => items.map(item => item.dataset.key)")
    assert names == ["un-new-york"]  # the embassy is not listed until a state says so
    pg.click("#waiting-list a")
    assert pg.evaluate("document.activeElement.id") == "region"
    pg.select_option("#region", "NY")
    expect(pg.locator("#send-ready")).to_be_visible()
    assert not pg.is_visible("#region-error") and not pg.is_visible("#pending-row")
    assert decode_mailto(pg.get_attribute("#send-mailto", "href"))[0] == [
        "us-new-york@missions.example.org", UN]


def test_the_send_step_names_each_thing_it_waits_for_as_the_supporter_goes(
        browser: Any, live_server: LiveServer) -> None:
    pg = browser.new_context(viewport=PHONE).new_page()
    pg.goto(live_server.url + "/")
    waiting = pg.locator("#waiting-list li")
    expect(waiting).to_have_text(["Choose your country", "Enter your name", "Enter your city"])
    assert not pg.is_visible("#name-error")  # nothing is marked before the supporter begins
    pg.fill("#city", "London")  # past the name: it says so at the field
    expect(pg.locator("#name-error")).to_have_text(
        "Enter your name, as you want to sign the letter.")
    expect(waiting).to_have_text(["Choose your country", "Enter your name"])
    pg.fill("#name", "Ada <b>")
    expect(waiting).to_have_text(["Choose your country", "Check your name"])
    pg.fill("#name", "Ada")
    pg.select_option("#country", "TH")  # asked by its consulates' cities: the embassy's chosen
    expect(pg.locator("#send-ready")).to_be_visible()
    assert pg.inner_text("#region-field label") == "The city nearest you"


def test_without_javascript_an_american_without_a_state_is_asked_for_it(
        browser: Any, live_server: LiveServer) -> None:
    """Without the script, the state is asked once the country is known (the form's second
    step), of that country's states alone."""
    pg = browser.new_context(viewport=PHONE, java_script_enabled=False).new_page()
    pg.goto(live_server.url + "/")
    assert not pg.is_visible("#region")  # no country yet: no list of every country's places
    expect(pg.locator("#waiting-list li")).to_have_text(
        ["Choose your country", "Enter your name", "Enter your city"])
    pg.select_option("#country", "US")
    pg.fill("#name", "Ada Lovelace")
    pg.fill("#city", "Boston")
    pg.click("#prepare")
    pg.wait_for_load_state()
    expect(pg.locator("#region-error")).to_have_text(
        "Choose your state: it decides which Chinese consulate you write to.")
    expect(pg.locator("#waiting-list li")).to_have_text(["Choose your state"])
    expect(pg.locator("#pending-row")).to_be_visible()
    values = pg.locator("#region option").evaluate_all("os => os.map(o => o.value)")
    assert values[0] == "" and "NY" in values and "th-embassy" not in values
    pg.select_option("#region", "NY")
    pg.click("#prepare")
    pg.wait_for_load_state()
    assert pg.is_visible("li.no-js-only button[formaction$='/go/mailto']")


def test_where_no_mission_has_an_email_the_letter_is_ready_without_a_dead_email_link(
        phone: tuple[Any, bool], data_copy: Path) -> None:
    """A supporter whose missions publish no email address: the send step says the letter
    cannot go by email and holds no email button, and the letter is ready all the same (to
    copy, and for the other ways of sending); an address they add makes it an email."""
    pg, script = phone
    with LiveServer(app_on(without_un_email(data_copy))) as server:
        pg.goto(server.url + "/?country=GA")
        expect(pg.locator("#no-email-row")).to_be_visible()
        pg.fill("#name", "Ada Lovelace")
        pg.fill("#city", "Libreville")
        if not script:
            pg.click("#prepare")
            pg.wait_for_load_state()
        expect(pg.locator("#send-ready")).to_be_visible()
        expect(pg.locator("#no-email")).to_be_visible()
        expect(pg.locator("#send-status")).to_have_text("Your letter is ready.")
        assert not pg.is_visible(MAIL_APP[script]) and not pg.is_visible("#send-email")
        assert not pg.is_visible("#recipients-error")
        assert not pg.is_visible("#send-waiting")
        assert pg.input_value("#copy-body").endswith("Ada Lovelace\nLibreville")
        pg.click("#no-email a[href='#extra_to']")  # the field where they may add one
        pg.fill("#extra_to", "embassy@gabon.example.org")
        if script:
            expect(pg.locator("#no-email")).to_be_hidden()
            expect(pg.locator(MAIL_APP[script])).to_be_visible()
            assert decode_mailto(pg.get_attribute("#send-mailto", "href"))[0] == [
                "embassy@gabon.example.org"]
            expect(pg.locator("#send-status")).to_have_text(
                "Your letter to 1 recipient is ready.")
