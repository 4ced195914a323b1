"""The letter on paper in real Chromium: printed to PDF, the recipient's address lands in the
envelope's window on A4 and US Letter, in English and Korean, with and without JavaScript;
the page built by the script sends nothing personal; a send by post counts once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

import pytest
from playwright.sync_api import expect
from support import LiveServer, app_on, without_un_email
from support.printed import MM_PER_INCH, Box, Page, inches, mm, printed

from campaign.compose.postal import letter_date

SLUG = "stop-forced-repatriation"
NAME, CITY = "Quirinus Zapf", "Wolkenheim"
# The Ministry's address as contacts.yaml ships it: its second line is the longest a window
# has to show.
MINISTRY = ["H.E. Wang Yi, Minister of Foreign Affairs",
            "Ministry of Foreign Affairs of the People's Republic of China",
            "No. 2 Chaoyangmen Nandajie, Chaoyang District", "Beijing 100701", "CHINA"]
EMBASSY = ["Chinese Embassy, United States", "3505 Example Place NW", "Washington, DC 20008",
           "USA"]
PAPER = {"a4": (210.0, 297.0), "letter": (8.5 * MM_PER_INCH, 11 * MM_PER_INCH)}
# Where the envelope's window lies on the sheet, by the standards' figures (post.css cites
# them). A4: the address field of DIN 5008, form B. US Letter: a #10 envelope's window (7/8 in
# from its left, 1/2 in from its bottom, 4 1/2 x 1 1/8 in) over a sheet folded in thirds,
# resting on the envelope's bottom, centred in its width (9 1/2 - 8 1/2 in: 1/2 in each side).
WINDOW = {"a4": mm(20, 45, 85, 45),
          "letter": inches(7 / 8 - 1 / 2, 11 / 3 - (1 / 2 + 9 / 8), 4.5, 9 / 8)}
# The address keeps clear of the window's edges: USPS asks 1/8 in (DMM 6.3.b); DIN's field
# is the window itself, its text set 5 mm in, its zone for notes left empty above it.
CLEARANCE = {"a4": 2.0, "letter": MM_PER_INCH / 8}
ARABIC = """---
language: ar
original: 0a0b0c0d0e0f
reviewed: false
title: أوقفوا الإعادة القسرية للاجئين الكوريين الشماليين
description: اكتب إلى وزير خارجية الصين في دقيقة.
salutation: معالي وزير الخارجية وانغ يي المحترم،
subjects:
  - أوقفوا الإعادة القسرية للاجئين الكوريين الشماليين
---
أكتب إليكم لأعبر عن قلقي العميق على اللاجئين الكوريين الشماليين المحتجزين في الصين.

أرجو أن تتوقفوا عن إعادتهم قسرا، وأن تعاملوهم بالإنسانية والكرامة التي يستحقها كل إنسان.

{{ own_words }}

مع التقدير،
{{ name }}
{{ city }}
"""


@pytest.fixture
def server(data_copy: Path) -> Iterator[LiveServer]:
    """The app on the tests' data, with the Ministry's real (long) address and an Arabic
    translation of the letter."""
    contacts = data_copy / "contacts.yaml"
    text = contacts.read_text()
    contacts.write_text(text.replace("Ministry of Foreign Affairs (test data)", MINISTRY[1])
                        .replace("2 Example Street, Chaoyang District", MINISTRY[2]))
    (data_copy / "letters" / f"{SLUG}.ar.txt").write_text(ARABIC)
    with LiveServer(app_on(data_copy)) as live:
        yield live


def write_letter(browser: Any, server: LiveServer, language: str, javascript: bool,
                 letter_language: str = "") -> Any:
    """A supporter in Washington signs the letter and presses "Send it by post": the print
    page, as their browser shows it."""
    pg = browser.new_context(java_script_enabled=javascript).new_page()
    pg.goto(f"{server.url}/{language}/?country=US")
    pg.select_option("#region", "DC")
    if letter_language:
        pg.click("#letter-editor > summary")  # the language is in the letter's fold
        pg.select_option("#letter_language", letter_language)
    pg.fill("#name", NAME)
    pg.fill("#city", CITY)
    if not javascript:
        with pg.expect_navigation():  # the form is posted: the send step is the answer's
            pg.click("#prepare")
    with pg.expect_navigation():
        pg.click("#send-post" if javascript else "#send-post-box button")
    assert "/post" in pg.url
    return pg


def print_on(pg: Any, paper: str) -> list[Page]:
    """The page printed on a paper, as the supporter chooses it on the page."""
    pg.check(f"#paper-{paper}")
    pages = printed(pg.pdf(prefer_css_page_size=True))
    for sheet in pages:
        assert (round(sheet.width), round(sheet.height)) == tuple(map(round, PAPER[paper]))
    return pages


def assert_in_window(sheet: Page, address: list[str], paper: str) -> None:
    """Every line of the address lies inside the window, clear of its edges."""
    window = WINDOW[paper].inset(CLEARANCE[paper])
    for line in sheet.lines_of(address):
        assert window.holds(line.box), (paper, line, window)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_address_shows_in_the_envelopes_window(browser: Any, server: LiveServer,
                                                   paper: str, language: str,
                                                   javascript: bool) -> None:
    pg = write_letter(browser, server, language, javascript)
    minister, embassy = print_on(pg, paper)  # one page each, the whole letter on it
    assert_in_window(minister, MINISTRY, paper)
    assert_in_window(embassy, EMBASSY, paper)
    for sheet in (minister, embassy):
        text = sheet.text()
        assert text.startswith(f"{NAME}\n{CITY}\n")  # the sender's lines, at the top
        assert letter_date(dt.date.today(), language) in text
        greeting = "왕이 외교부장님께" if language == "ko" else "Dear Minister Wang Yi,"
        assert greeting in text and NAME in text.split(greeting)[1]  # signed below
        below = [line for line in sheet.lines if line.text == greeting][0]
        assert below.box.top > WINDOW[paper].bottom  # the letter begins under the window


def test_the_page_built_by_javascript_sends_nothing_personal(browser: Any,
                                                             server: LiveServer) -> None:
    requests: list[tuple[str, str, str]] = []
    context = browser.new_context()
    context.on("request", lambda r: requests.append((r.method, r.url, r.post_data or "")))
    pg = context.new_page()
    pg.goto(f"{server.url}/?country=US")
    pg.select_option("#region", "DC")
    pg.fill("#name", NAME)
    pg.fill("#city", CITY)
    pg.fill("#own_words", "My very own sentence.")
    printing = len(requests)
    with pg.expect_navigation():
        pg.click("#send-post")
    pg.wait_for_load_state("networkidle")
    sent = [(method, unquote_plus(url), unquote_plus(body)) for method, url, body in requests]
    assert sent and not [r for r in sent for word in (NAME, CITY, "own sentence")
                         if word in r[1] or word in r[2]]
    counts = [body for method, url, body in sent[printing:] if url.endswith("/count")]
    assert len(counts) == 1 and "channel=post" in counts[0]
    page_requests = sent[sent.index(next(r for r in sent if "/post?" in r[1])):]
    assert {method for method, _, _ in page_requests} == {"GET"}
    assert all(url.startswith(server.url) for _, url, _ in page_requests)
    # ... and yet the page holds the whole letter, signed.
    for sheet in pg.locator(".sheet").all():
        assert sheet.locator(".sender-text").input_value() == f"{NAME}\n{CITY}"
        letter = sheet.locator(".letter-text").inner_text()
        assert "My very own sentence." in letter and letter.endswith(f"{NAME}\n{CITY}")
    expect(pg.locator("#post-unfilled")).to_have_count(0)


def test_the_sender_lines_are_the_supporters_to_change(browser: Any,
                                                      server: LiveServer) -> None:
    for javascript in (True, False):
        pg = write_letter(browser, server, "en", javascript)
        pg.fill("#sender-1", f"{NAME}\n12 Any Street\n{CITY}")
        if not javascript:  # each sheet is changed on its own
            pg.fill("#sender-2", f"{NAME}\n12 Any Street\n{CITY}")
        for sheet in print_on(pg, "a4"):
            assert sheet.text().startswith(f"{NAME}\n12 Any Street\n{CITY}\n"), javascript


def test_a_send_by_post_is_counted_once_per_page_view(browser: Any, server: LiveServer) -> None:
    counter = server.server.app.extensions["campaign_counter"]
    counter.cache_seconds = 0
    pg = write_letter(browser, server, "en", javascript=True)
    assert counter.table("channel") == [("post", 1, 0)]
    pg.reload()
    pg.check("#paper-a4")
    assert counter.table("channel") == [("post", 1, 0)]
    # A page that sent by mail already: posting it too is the same letter, not counted again.
    pg.goto(f"{server.url}/?country=GB")
    pg.fill("#name", NAME)
    pg.fill("#city", CITY)
    pg.evaluate("""() => document.querySelectorAll('.send-buttons a').forEach(a =>
        a.addEventListener('click', e => e.preventDefault()))""")
    with pg.expect_response("**/count"):
        pg.click("#send-mailto")
    counts: list[str] = []
    pg.on("request", lambda r: counts.append(r.url) if r.url.endswith("/count") else None)
    with pg.expect_navigation():
        pg.click("#send-post")
    assert counts == []
    assert sorted(counter.table("channel")) == [("mailto", 1, 0), ("post", 1, 0)]


def test_where_no_email_reaches_the_missions_the_page_offers_the_post_alone(
        browser: Any, data_copy: Path) -> None:
    without_un_email(data_copy)  # Gabon's embassy publishes no email, nor (then) the UN
    with LiveServer(app_on(data_copy)) as live:
        pg = browser.new_page()
        pg.goto(f"{live.url}/?country=GA")
        pg.fill("#name", NAME)
        pg.fill("#city", CITY)
        expect(pg.locator("#no-email")).to_be_visible()
        expect(pg.locator("#send-post")).to_be_visible()
        # The post is the send step's first button, drawn as its main one; no mail button.
        shown = pg.locator("#send-ready .button:visible").evaluate_all(
            "nodes => nodes.map(n => n.id)")
        assert shown[0] == "send-post" and shown[-1] == "confirm-sent", shown
        assert [name for name in shown if name.startswith("send-")] == ["send-post"]
        assert pg.locator("#send-post").evaluate("a => getComputedStyle(a).backgroundColor") \
            == "rgb(11, 87, 164)"  # --accent, as .button.primary
        expect(pg.locator("#recipients-error")).to_be_hidden()
        pg.select_option("#country", "GB")  # its embassy has an email: the mail buttons return
        expect(pg.locator("#send-mailto")).to_be_visible()
        expect(pg.locator("#no-email")).to_be_hidden()
        pg.select_option("#country", "GA")
        expect(pg.locator("#send-mailto")).to_be_hidden()
        with pg.expect_navigation():
            pg.click("#send-post")
        assert pg.url.endswith(f"/{SLUG}/post?country=GA")
        (sheet,) = print_on(pg, "a4")
        assert_in_window(sheet, MINISTRY[:1] + ["Ministry of Foreign Affairs (test data)"], "a4")
        assert sheet.text().startswith(f"{NAME}\n{CITY}\n")


def test_back_leads_to_the_letter_as_the_supporter_left_it(browser: Any,
                                                          server: LiveServer) -> None:
    pg = write_letter(browser, server, "en", javascript=True)
    with pg.expect_navigation():
        pg.click("#post-back")
    assert pg.input_value("#name") == NAME and pg.input_value("#region") == "DC"
    assert pg.input_value("#letter").endswith(f"{NAME}\n{CITY}")


def test_the_print_page_opened_alone_is_the_blank_letter(browser: Any,
                                                         server: LiveServer) -> None:
    pg = browser.new_page()
    pg.goto(f"{server.url}/ko/{SLUG}/post?country=KR")
    expect(pg.locator("#post-unfilled")).to_be_visible()
    assert pg.locator(".sender-lines").is_hidden()
    assert pg.locator(".letter-text .blank").count() == 2
    (sheet,) = print_on(pg, "a4")
    assert_in_window(sheet, MINISTRY, "a4")


def test_an_arabic_letter_prints_right_to_left(browser: Any, server: LiveServer) -> None:
    pg = write_letter(browser, server, "en", javascript=True, letter_language="ar")
    sheet = pg.locator(".sheet").first
    assert sheet.get_attribute("dir") == "rtl" and sheet.get_attribute("lang") == "ar"
    assert sheet.locator(".date").inner_text() == letter_date(dt.date.today(), "ar")
    letter = sheet.locator(".letter-text")
    assert letter.inner_text().startswith("معالي وزير الخارجية")
    text_box = letter.bounding_box()
    greeting_right = pg.evaluate("""() => { const r = document.createRange();
        const text = document.querySelector('.letter-text').firstChild;
        r.setStart(text, 0); r.setEnd(text, 5); return r.getBoundingClientRect().right; }""")
    assert text_box is not None
    assert abs(greeting_right - (text_box["x"] + text_box["width"])) < 2  # set from the right
    minister, embassy = print_on(pg, "a4")
    assert_in_window(minister, MINISTRY, "a4")  # the address stays left to right


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_blank_letters_print_the_address_in_the_window(browser: Any, server: LiveServer,
                                                       paper: str) -> None:
    pg = browser.new_context(java_script_enabled=False).new_page()
    pg.goto(f"{server.url}/ko/{SLUG}/post/blank?country=US&region=DC&copies=2")
    pages = print_on(pg, paper)
    assert len(pages) == 4
    for sheet, address in zip(pages, [MINISTRY, EMBASSY] * 2, strict=True):
        assert_in_window(sheet, address, paper)
        assert sheet.text().count("왕이 외교부장님께") == 1
        assert NAME not in sheet.text()


def test_a_phone_shows_the_page_and_a_sheet_it_can_scroll(browser: Any,
                                                          server: LiveServer) -> None:
    pg = browser.new_page(viewport={"width": 390, "height": 844})
    pg.goto(f"{server.url}/{SLUG}/post?country=US")
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390  # the page itself fits
    sheets = pg.locator("#sheets")
    assert sheets.evaluate("e => e.scrollWidth > e.clientWidth")  # the paper scrolls inside
    box = pg.locator("#print-post").bounding_box()
    assert box is not None and box["height"] >= 44


def test_the_window_outline_is_shown_on_screen_and_never_printed(
        browser: Any, server: LiveServer) -> None:
    pg = browser.new_page()
    pg.goto(f"{server.url}/{SLUG}/post?country=GB")
    window = pg.locator(".window").first
    sheet = pg.locator(".sheet").first.bounding_box()
    box = window.bounding_box()
    assert sheet is not None and box is not None
    px = 96 / MM_PER_INCH  # CSS pixels per mm
    drawn = Box((box["x"] - sheet["x"]) / px, (box["y"] - sheet["y"]) / px,
                (box["x"] + box["width"] - sheet["x"]) / px,
                (box["y"] + box["height"] - sheet["y"]) / px)
    assert all(abs(a - b) < 0.5 for a, b in zip(
        (drawn.left, drawn.top, drawn.right, drawn.bottom),
        (WINDOW["a4"].left, WINDOW["a4"].top, WINDOW["a4"].right, WINDOW["a4"].bottom),
        strict=True))
    pg.emulate_media(media="print")
    assert window.is_hidden()
