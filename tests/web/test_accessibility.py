"""Accessibility: axe-core finds nothing on any page or state, and keyboard alone suffices."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from support import COUNTRIES, UN, LiveServer
from support.counts import LETTERS, send

from campaign import create_app
from campaign.counting.storage import Counter

pytestmark = pytest.mark.browser
AXE = Axe()
WCAG = {"runOnly": {"type": "tag", "values": [
    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}}


@pytest.fixture
def server(data_copy: Any) -> Iterator[LiveServer]:
    """The app, with a second letter that has closed, so every kind of page exists."""
    letter = data_copy / "letters" / "stop-forced-repatriation.txt"
    text = letter.read_text()
    letter.write_text(text.replace("title: Stop", "default: true\ntitle: Stop"))
    (data_copy / "letters" / "closed.txt").write_text(
        text.replace("title: Stop", "ends: 2020-01-31\ntitle: Closed letter, stop"))
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "CONTACTS": str(
        data_copy / "contacts.yaml"), "LETTERS": str(data_copy / "letters")})
    with LiveServer(app) as live:
        yield live


def violations(pg: Any) -> list[str]:
    result = AXE.run(pg, options=WCAG)
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}"
            for v in result.response["violations"]]


def fill(pg: Any) -> None:
    pg.select_option("#country", "US")
    if not pg.is_visible("#region"):  # without JavaScript: asked once the country is posted
        pg.click("#prepare")
        pg.wait_for_load_state()
    pg.select_option("#region", "CA")
    pg.fill("#name", "Ada Lovelace")
    pg.fill("#city", "San Jose")


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844},
                                      {"width": 1280, "height": 900}])
def test_every_state_of_the_letter_page(browser: Any, server: LiveServer,
                                        viewport: dict[str, int]) -> None:
    pg = browser.new_page(viewport=viewport)
    pg.goto(server.url + "/")
    assert violations(pg) == [], "empty form"
    pg.fill("#name", "<b>")
    pg.press("#name", "Enter")
    assert pg.is_visible("#name-error")
    assert violations(pg) == [], "errors shown"
    fill(pg)
    pg.click("#open-letter")  # the recipients, subject and whole letter
    pg.fill("#letter", "Dear Minister,\n\nMy own words.")
    assert pg.is_visible("#send-ready") and pg.is_visible("#edited-note")
    assert violations(pg) == [], "letter ready, edited"
    pg.locator("#share").scroll_into_view_if_needed()
    pg.evaluate("document.getElementById('share-thanks').hidden = false")
    assert violations(pg) == [], "share panel"
    pg.evaluate("""() => document.querySelectorAll('.send-buttons a').forEach(a =>
        a.addEventListener('click', e => e.preventDefault()))""")
    pg.click("#send-gmail")
    expect(pg.locator("#next-steps")).to_be_visible()
    assert violations(pg) == [], "after send"
    with pg.expect_navigation():
        pg.click("#send-post")
    expect(pg.locator(".sender-text").first).to_have_value("Ada Lovelace\nSan Jose")
    assert violations(pg) == [], "printed letter"
    pg.close()


def test_every_page_without_javascript(browser: Any, server: LiveServer) -> None:
    # axe itself runs as a script, so the page's own scripts are blocked instead of all of them
    # (the browser says so in the console, and of the 404 page below).
    browser.errors.allow(r"^Failed to load resource: net::ERR_FAILED", where=r"/assets/.*\.js$")
    browser.errors.allow(r"^Failed to load resource: .* 404", where=r"/no-such-page/$")
    ctx = browser.new_context()
    ctx.route("**/assets/*.js", lambda route: route.abort())
    pg = ctx.new_page()
    pg.goto(server.url + "/")
    assert violations(pg) == [], "empty form"
    with pg.expect_navigation():  # each click posts the form: read the page it answers
        pg.click("#prepare")
    assert pg.is_visible("#country-error")
    assert violations(pg) == [], "errors shown"
    fill(pg)
    with pg.expect_navigation():
        pg.click("#prepare")
    assert pg.is_visible("#send-ready")
    assert violations(pg) == [], "letter ready"
    with pg.expect_navigation():
        pg.click("li.no-js-only button:has-text('Open in my email app')")
    assert pg.inner_text("h1") == "Your letter is ready"
    assert violations(pg) == [], "hand-off"
    with pg.expect_navigation():
        pg.click("#confirm-sent")
    assert pg.inner_text("h1") == "Thank you for writing"
    assert violations(pg) == [], "thank-you page"
    pg.goto(server.url + "/?country=US&region=DC")
    fill(pg)
    with pg.expect_navigation():
        pg.click("#prepare")
    with pg.expect_navigation():
        pg.click("#send-post-box button")
    assert pg.locator(".sheet").count() == 2
    assert violations(pg) == [], "printed letter"
    for path in ("/stop-forced-repatriation/flyer", "/closed/", "/no-such-page/", "/privacy",
                 "/about", "/stop-forced-repatriation/post/blank?country=US&copies=1"):
        pg.goto(server.url + path)
        assert violations(pg) == [], path
    ctx.close()


def test_the_whole_letter_by_keyboard_alone(browser: Any, server: LiveServer) -> None:
    ctx = browser.new_context()
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    pg = ctx.new_page()
    pg.goto(server.url + "/")

    def tab_to(element_id: str, limit: int = 60) -> None:
        for _ in range(limit):
            pg.keyboard.press("Tab")
            if pg.evaluate("document.activeElement.id") == element_id:
                return
        raise AssertionError(f"Tab never reached #{element_id}")

    pg.keyboard.press("Tab")
    assert pg.evaluate("document.activeElement.textContent") == "Skip to the letter"
    tab_to("country")
    pg.keyboard.type("Japan")
    assert pg.input_value("#country") == "JP"
    tab_to("name")
    pg.keyboard.type("Ada Lovelace")
    tab_to("city")
    pg.keyboard.type("Osaka")
    tab_to("open-letter")
    pg.keyboard.press("Enter")  # open the recipients and the whole letter
    tab_to("to-jp-embassy")
    pg.keyboard.press("Space")  # leave the embassy out, by keyboard
    assert not pg.is_checked("#to-jp-embassy")
    pg.keyboard.press("Space")
    tab_to("send-mailto")
    outline = pg.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused button shows its focus"
    href = pg.evaluate("document.activeElement.href")
    assert href.startswith(f"mailto:{COUNTRIES['JP']},{UN}?")
    for _ in range(30):
        pg.keyboard.press("Tab")
        if pg.evaluate("document.activeElement.dataset.copy") == "copy-body":
            break
    pg.keyboard.press("Enter")
    expect(pg.locator("#copied")).to_contain_text("Copied")
    assert pg.evaluate("navigator.clipboard.readText()").endswith("Ada Lovelace\nOsaka")
    ctx.close()


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844},
                                      {"width": 1280, "height": 900}])
def test_the_impact_view(browser: Any, counts_database: str, viewport: dict[str, int]) -> None:
    counter = Counter(counts_database)
    for country, letters in LETTERS.items():
        send(counter, country, letters)
    with LiveServer(create_app({"TESTING": True, "SECRET_KEY": "t"})) as live:
        pg = browser.new_page(viewport=viewport)
        for path in ("/en/impact", "/ko/impact"):
            pg.goto(live.url + path)
            assert violations(pg) == [], path
            pg.click(".impact details summary")  # every day, as a table
            assert pg.is_visible(".impact details table")
            assert violations(pg) == [], f"{path}, every day shown"
        pg.close()
