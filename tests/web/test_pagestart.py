"""Nothing on the page moves while it loads, however slowly: real Chromium, its CPU slowed 6x
through the DevTools protocol, the page itself arriving a few kilobytes at a time (the browser
draws what it has read so far), its scripts and images held back a second, watching the
layout shifts the browser itself reports. How long the start takes is timed by `make bench`
(bench/pagestart.py), never held to a time here."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
from support import LiveServer

from campaign import create_app

pytestmark = pytest.mark.browser
SLOWDOWN = 6
HELD = 1.0  # seconds each script and image is held back: the page is drawn long before
# A page arrives in pieces, one each 15 ms: of 4 KB at most, and cut after every tag that text
# follows (but an option's): where a line can grow as the rest of it arrives.
PIECE, PAUSE = 4096, 0.015
CUTS = re.compile(rb"<(?!option)[a-z][^<>]*>(?=[^<\s])")
# And in the middle of every button's words, as a packet may end anywhere: a label arrives in
# two pieces, the second growing what the first drew (centred, it would move it).
LABELS = re.compile(rb'<(?:a|button)\b[^>]*\bclass="button\b[^"]*"[^>]*>([^<]{2,})')
LABEL_PAUSE = 0.1  # long enough for the browser to draw the first half before the second
PHONE = {"width": 390, "height": 844}
WHOLE = {"width": 1280, "height": 6000}  # every part of the page on the screen at once

# Registered before the page's first byte: every layout shift from the start of the page on.
WATCH = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    window.__shifts.push({value: e.value, input: e.hadRecentInput, sources: (e.sources || [])
      .map((s) => [(s.node && (s.node.id || s.node.nodeName)) || "?",
                   s.node && s.node.nodeType === 3
                     ? [(s.node.parentElement && (s.node.parentElement.id
                         || s.node.parentElement.className)), s.node.textContent.slice(0, 40)]
                     : "",
                   [s.previousRect.x, s.previousRect.y, s.previousRect.width,
                    s.previousRect.height].join(" "),
                   [s.currentRect.x, s.currentRect.y, s.currentRect.width,
                    s.currentRect.height].join(" ")]), at: e.startTime});
  }
}).observe({type: "layout-shift", buffered: true});
"""
SLUG = "stop-forced-repatriation"


class Trickle:
    """The app's pages sent a piece at a time, as over a slow network."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        html = False

        def start(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            nonlocal html
            html = any(k.lower() == "content-type" and v.startswith("text/html")
                       for k, v in headers)
            if html:  # sent as it comes, without a length
                headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
            return start_response(status, headers, *rest)

        sent = self.app(environ, start)
        try:
            body = b"".join(sent)
        finally:
            if hasattr(sent, "close"):  # a file's body closes its file
                sent.close()
        if not html:
            return [body]
        return self.pieces(body)

    @staticmethod
    def pieces(body: bytes) -> Iterator[bytes]:
        halves = {middle(body, m.start(1), m.end(1)) for m in LABELS.finditer(body)}
        cuts = sorted({*range(PIECE, len(body), PIECE), *(m.end() for m in CUTS.finditer(body)),
                       *halves, len(body)})
        start = 0
        for end in cuts:
            yield body[start:end]
            time.sleep(LABEL_PAUSE if end in halves else PAUSE)  # a label's half is drawn
            start = end


def middle(body: bytes, start: int, end: int) -> int:
    """The middle of body[start:end], at the start of a character (of its UTF-8)."""
    at = (start + end) // 2
    while body[at] & 0xC0 == 0x80:  # a continuation byte
        at += 1
    return at


@pytest.fixture
def server() -> Iterator[LiveServer]:
    """The app on the test data (a partner's logo the embed shows), sending its pages
    slowly."""
    app = create_app({"TESTING": True, "SECRET_KEY": "t"})
    app.wsgi_app = Trickle(app.wsgi_app)  # type: ignore[method-assign]
    with LiveServer(app) as live:
        yield live


def slow_phone(browser: Any, viewport: dict[str, int] = PHONE) -> Any:
    """A page (a phone's, unless told) whose CPU runs SLOWDOWN times slower, and whose
    scripts (but start.js, which the page waits for anyway) and images arrive HELD seconds
    late."""
    context = browser.new_context(viewport=viewport, is_mobile=viewport == PHONE,
                                  has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.add_init_script(WATCH)
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": SLOWDOWN})

    page.route(lambda url: url.endswith(".js") and "/start." not in url, held_back)
    page.route("**/*.{png,svg}", held_back)
    page.route("**/logo*", held_back)
    return page


def held_back(route: Any) -> None:
    """Send what a page asked for HELD seconds late."""
    time.sleep(HELD)  # the browser goes on parsing and drawing meanwhile
    route.continue_()


def shifts(page: Any, url: str) -> list[dict[str, Any]]:
    """Open url; every layout shift until its scripts have run and it has settled."""
    page.goto(url, wait_until="load")
    page.wait_for_timeout(500)  # whatever the start set off has run (and shifted)
    found: list[dict[str, Any]] = page.evaluate("window.__shifts")
    return found


def painted_before_the_script(page: Any) -> bool:
    """Whether the browser drew the page before campaign.js started: what makes a late
    change of the layout a shift the supporter sees."""
    return bool(page.evaluate("""() => {
        const paint = performance.getEntriesByName("first-contentful-paint")[0];
        const start = performance.getEntriesByName("campaign-start")[0];
        return paint !== undefined && start !== undefined && paint.startTime < start.startTime;
    }"""))


@pytest.mark.parametrize(("path", "viewport"), [
    ("/", PHONE), ("/", WHOLE), ("/?country=US&region=NY", PHONE), ("/ko/?country=KR", PHONE),
    ("/?country=IN", PHONE), ("/?country=BR", WHOLE), ("/ja/?country=TH", PHONE),
    (f"/embed/{SLUG}?partner=test-partner", PHONE), (f"/ko/embed/{SLUG}?country=US", WHOLE)])
def test_nothing_moves_while_the_letter_page_loads_however_slowly(
        browser: Any, server: LiveServer, path: str, viewport: dict[str, int]) -> None:
    page = slow_phone(browser, viewport)
    assert shifts(page, server.url + path) == []
    assert painted_before_the_script(page)  # the page was there to move, and did not
    assert page.is_visible("#send-waiting") and page.evaluate("'campaignCore' in window")


def test_nothing_moves_while_the_flyer_loads(browser: Any, server: LiveServer) -> None:
    page = slow_phone(browser, WHOLE)
    assert shifts(page, f"{server.url}/{SLUG}/flyer") == []
    assert page.is_visible("#print-flyer")


def test_the_watch_sees_the_shift_of_a_page_told_of_its_script_late(
        browser: Any, server: LiveServer) -> None:
    """The measure can fail: without start.js the page is drawn for no script first, then
    changed by campaign.js (class "js" added late), and the browser reports the shift."""
    browser.errors.allow("^Failed to load resource: net::ERR_FAILED", where=r"/start\.")
    page = slow_phone(browser, WHOLE)  # the whole page in view: the send step's button too
    page.route("**/assets/start.*.js", lambda route: route.abort())
    seen = shifts(page, server.url + "/")
    assert painted_before_the_script(page)
    assert sum(s["value"] for s in seen) > 0, seen  # the share panel, moved by the send step


def test_the_watch_sees_a_centred_label_move_as_its_words_arrive(
        browser: Any, server: LiveServer) -> None:
    """The measure can fail: a button as wide as its place, its label centred (the page says
    its labels from their start), moves its words back when their second piece arrives."""
    page = slow_phone(browser, WHOLE)
    page.route("**/assets/campaign.*.css", lambda route: route.fulfill(
        response=(sent := route.fetch()),
        body=sent.text() + "\n.button { text-align: center !important; }"))
    seen = shifts(page, server.url + "/")
    moved = [source for shift in seen for source in shift["sources"] if source[0] == "#text"]
    assert moved, seen


def test_a_page_whose_script_cannot_load_works_without_it(browser: Any,
                                                         server: LiveServer) -> None:
    """start.js draws the page for its script; if campaign.js then fails to load, the page
    goes back to the form that works without it."""
    browser.errors.allow("^Failed to load resource: net::ERR_FAILED", where=r"/campaign\.")
    page = browser.new_page()
    page.route("**/assets/campaign.*.js", lambda route: route.abort())
    page.goto(server.url + "/?country=US")
    assert page.evaluate("document.documentElement.className") == ""
    assert page.is_visible("#prepare") and page.is_visible("#region")
    assert not page.is_visible("button[data-copy=share-link]")
    page.select_option("#region", "NY")
    page.fill("#name", "Ada Lovelace")
    page.fill("#city", "London")
    page.click("#prepare")
    page.wait_for_load_state()
    assert page.is_visible("li.no-js-only button:has-text('Open in my email app')")


@pytest.mark.parametrize("late", ["data", "campaign"])
def test_the_page_is_made_live_whichever_of_its_scripts_arrives_last(
        browser: Any, live_server: LiveServer, late: str) -> None:
    """The script's data and campaign.js are async: either may run first. The page is live
    (its letter built from the data) once both have, and its "load" waited for both."""
    page = browser.new_page()
    page.add_init_script("""window.__arrived = [];
        new PerformanceObserver((list) => list.getEntries().forEach(
            (e) => /\\/(data|campaign)\\./.test(e.name) && window.__arrived.push(e.name)))
          .observe({type: "resource", buffered: true});""")
    page.route(f"**/{late}.*.js", held_back)
    page.goto(live_server.url + "/?country=KR", wait_until="load")
    assert page.evaluate("'campaignCore' in window")  # live by "load", with nothing waited for
    assert f"/{late}." in page.evaluate("window.__arrived")[-1]  # the held one came last
    page.fill("#name", "Ada Lovelace")
    page.fill("#city", "Seoul")
    assert "Ada Lovelace" in page.input_value("#letter")
    assert page.get_attribute("#send-mailto", "href").startswith("mailto:")
