"""The letter page in real headless Chromium, with and without JavaScript."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from PIL import Image
from playwright.sync_api import expect
from support import (
    COUNTRIES,
    UN,
    LiveServer,
    app_on,
    decode_mailto,
    form_values,
    links_in,
    page,
    post_letter,
    with_organizers,
)

from campaign.compose.sendlinks import CHANNELS
from campaign.media.fonts import CJK_FACES, face_for, missing

pytestmark = pytest.mark.browser
SUBJECT = "Please protect North Korean escapees detained in China"


@pytest.fixture
def context(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    yield ctx
    ctx.close()


@pytest.fixture
def no_js_context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(java_script_enabled=False)
    yield ctx
    ctx.close()


def open_letter(pg: Any) -> None:
    """Open the fold holding the recipients, the subject and the whole letter, as a supporter
    does (the page shows a preview until then)."""
    if not pg.evaluate("document.getElementById('letter-editor').open"):
        pg.click("#letter-editor > summary")


def fill(pg: Any, country: str, region: str = "", own_words: str = "") -> None:
    pg.select_option("#country", country)
    if region and not pg.is_visible("#region"):  # without JavaScript: asked once posted
        pg.click("#prepare")
        pg.wait_for_load_state()
    if region:
        pg.select_option("#region", region)
    pg.fill("#name", "Ada Lovelace")
    pg.fill("#city", "London")
    if own_words:
        pg.fill("#own_words", own_words)
    open_letter(pg)
    pg.fill("#subject", SUBJECT)


def hrefs(pg: Any) -> dict[str, str]:
    return {c: pg.get_attribute(f"#send-{c}", "href") for c in CHANNELS}


def test_letter_and_links_update_as_the_supporter_types(context: Any,
                                                        live_server: LiveServer) -> None:
    pg = context.new_page()
    pg.goto(live_server.url + "/")
    assert pg.is_visible("#send-waiting") and not pg.is_visible("#send-ready")
    assert not pg.is_visible("#prepare")  # with JavaScript the letter is always ready
    fill(pg, "US", "NY")
    letter = pg.input_value("#letter")
    assert letter.endswith("Sincerely,\nAda Lovelace\nLondon")
    assert pg.is_visible("#send-ready")
    to, subject, body = decode_mailto(hrefs(pg)["mailto"])
    assert to == ["us-new-york@missions.example.org", UN]
    assert subject == SUBJECT
    assert body == letter.replace("\n", "\r\n")


def test_country_change_lists_its_recipients_and_unticking_leaves_one_out(
        context: Any, live_server: LiveServer) -> None:
    pg = context.new_page()
    pg.goto(live_server.url + "/?country=kr")
    assert pg.input_value("#country") == "KR"
    assert not pg.is_visible("#region")
    fill(pg, "KR")
    assert decode_mailto(hrefs(pg)["mailto"])[0] == ["kr-embassy@missions.example.org", UN]
    pg.uncheck("#to-un-new-york")
    assert decode_mailto(hrefs(pg)["mailto"])[0] == ["kr-embassy@missions.example.org"]
    pg.select_option("#country", "US")
    assert pg.is_visible("#region")
    pg.select_option("#region", "AZ")
    keys = pg.eval_on_selector_all("#recipient-list li", "els => els.map(e => e.dataset.key)")
    assert keys == ["us-los-angeles", "us-embassy", "un-new-york", "un-geneva"]
    assert pg.is_visible("li[data-key=us-los-angeles] [data-slot=serving]")
    pg.select_option("#region", "CA")  # California: both its consulates, neither with an address
    keys = pg.eval_on_selector_all("#recipient-list li", "els => els.map(e => e.dataset.key)")
    assert keys == ["us-san-francisco", "us-los-angeles", "us-embassy", "un-new-york",
                    "un-geneva"]
    assert decode_mailto(hrefs(pg)["mailto"])[0] == ["us-embassy@missions.example.org", UN]
    pg.select_option("#country", "other")
    assert pg.is_visible("#extra_to")
    pg.fill("#extra_to", "embassy@example.org")
    expect(pg.locator("#send-ready")).to_be_visible()  # once the server has checked it
    assert decode_mailto(hrefs(pg)["mailto"])[0] == [UN, "embassy@example.org"]


def test_edits_are_kept_when_the_name_changes_and_can_be_undone(
        context: Any, live_server: LiveServer) -> None:
    pg = context.new_page()
    pg.goto(live_server.url + "/")
    fill(pg, "GB")
    pg.fill("#letter", "Dear Minister,\n\nMy own words.")
    pg.fill("#name", "Grace Hopper")
    assert pg.input_value("#letter") == "Dear Minister,\n\nMy own words."
    assert pg.is_visible("#edited-note")
    assert decode_mailto(hrefs(pg)["mailto"])[2] == "Dear Minister,\r\n\r\nMy own words."
    pg.click("#reset-letter")
    assert pg.input_value("#letter").endswith("Sincerely,\nGrace Hopper\nLondon")
    assert not pg.is_visible("#edited-note")


def test_errors_show_beside_fields_when_the_supporter_tries_to_send(
        context: Any, live_server: LiveServer) -> None:
    pg = context.new_page()
    pg.goto(live_server.url + "/")
    pg.fill("#name", "Ada <b>")
    pg.press("#name", "Enter")  # submitting: every field is checked
    assert "< or >" in pg.inner_text("#name-error")
    assert "Choose your country" in pg.inner_text("#country-error")
    assert pg.evaluate("document.activeElement.id") == "country"
    assert pg.input_value("#name") == "Ada <b>"
    assert not pg.is_visible("#send-ready")


def test_copy_buttons_put_the_right_text_on_the_clipboard(context: Any,
                                                          live_server: LiveServer) -> None:
    pg = context.new_page()
    pg.goto(live_server.url + "/")
    fill(pg, "JP")
    expected = {
        "copy-to": "jp-embassy@missions.example.org, un-new-york@missions.example.org",
        "copy-subject": SUBJECT,
        "copy-body": pg.input_value("#letter"),
    }
    for target, text in expected.items():
        pg.click(f"button[data-copy={target}]")
        expect(pg.locator("#copied")).to_contain_text("Copied")
        assert pg.evaluate("navigator.clipboard.readText()") == text
        pg.evaluate("document.getElementById('copied').textContent = ''")


WINDOWS_CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
                  "Gecko) Chrome/140.0.0.0 Safari/537.36")


def test_a_long_letter_opens_mail_with_a_paste_note_and_copies_the_letter(
        browser: Any, live_server: LiveServer) -> None:
    # Chrome on Windows hands a mail app at most 2,046 characters of link
    ctx = browser.new_context(user_agent=WINDOWS_CHROME)
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    pg = ctx.new_page()
    pg.goto(live_server.url + "/")
    fill(pg, "KR", own_words="북한 난민을 보호해 주십시오. " * 20)
    assert pg.is_visible("#shortened-note")
    mailto = hrefs(pg)["mailto"]
    assert len(mailto) <= 2000
    assert decode_mailto(mailto)[2].startswith("Please paste the letter here")
    # Clicking would hand the link to a mail program; the copy is what matters here.
    pg.evaluate("""() => {
        const a = document.getElementById('send-mailto');
        a.addEventListener('click', e => e.preventDefault());
        a.click();
    }""")
    expect(pg.locator("#copied")).to_contain_text("Copied")
    assert "북한 난민을" in pg.evaluate("navigator.clipboard.readText()")
    ctx.close()


@pytest.mark.parametrize(("country", "region", "own_words"), [
    ("GB", "", ""),
    ("US", "IL", "I care, “deeply” & sincerely: 100% — ok?"),
    ("US", "CA", ""),
    ("other", "", "Ich schreibe aus Wien. 北朝鮮の難民を守ってください。"),
    ("KR", "", "북한 난민을 보호해 주십시오. " * 20),
])
def test_javascript_and_no_javascript_give_the_same_links_byte_for_byte(
        context: Any, no_js_context: Any, app: Flask, live_server: LiveServer,
        country: str, region: str, own_words: str) -> None:
    live = context.new_page()
    live.goto(live_server.url + "/")
    fill(live, country, region, own_words)
    with_js = hrefs(live)
    with_js["body"] = live.input_value("#copy-body")

    plain = no_js_context.new_page()
    plain.goto(live_server.url + "/")
    assert plain.is_visible("#prepare")
    fill(plain, country, region, own_words)
    with plain.expect_navigation():  # without JavaScript, the form is posted
        plain.click("#prepare")
    # each send button posts that page's form to the send, which opens the link: asked by
    # the same browser (its platform decides how long a mail link may be)
    sender = app.test_client()
    sender.environ_base["HTTP_USER_AGENT"] = live.evaluate("navigator.userAgent")
    without_js = links_in(sender, BeautifulSoup(plain.content(), "html5lib"))
    without_js["body"] = plain.input_value("#copy-body")
    assert without_js == with_js
    assert with_js["mailto"].startswith("mailto:")


def ready_without_javascript(context: Any, live_server: LiveServer) -> Any:
    """A page without JavaScript, filled in for GB, after "Get my letter ready"."""
    pg = context.new_page()
    pg.goto(live_server.url + "/")
    fill(pg, "GB")
    pg.click("#prepare")
    pg.wait_for_load_state()
    return pg


def test_enter_in_a_field_never_discards_an_edited_letter(
        no_js_context: Any, live_server: LiveServer) -> None:
    pg = ready_without_javascript(no_js_context, live_server)
    open_letter(pg)
    pg.fill("#letter", "Dear Minister,\n\nMy own words.")
    pg.fill("#name", "Grace Hopper")
    pg.press("#name", "Enter")
    pg.wait_for_load_state()
    assert pg.input_value("#letter") == "Dear Minister,\n\nMy own words."
    assert pg.is_visible("#edited-note")
    pg.click("#reset-letter")
    assert pg.input_value("#letter").endswith("Sincerely,\nGrace Hopper\nLondon")


def test_recipients_listed_by_javascript_keep_their_bounce_links(
        browser: Any, data_copy: Any) -> None:

    with_organizers(data_copy)
    app = app_on(data_copy)
    with LiveServer(app) as server:
        pg = browser.new_page()
        pg.goto(server.url + "/")
        pg.select_option("#country", "FR")
        open_letter(pg)
        href = pg.get_attribute('li[data-key="fr-embassy"] a.report', "href")
        to, subject, _body = decode_mailto(href)
        assert to == ["organizers@example.org"]
        assert subject == "Address bounced: fr-embassy@missions.example.org"
        assert pg.is_visible('li[data-key="fr-embassy"] a.report')
        pg.close()


def test_a_country_link_leads_to_a_letter_and_the_share_panel(
        context: Any, live_server: LiveServer) -> None:
    pg = context.new_page()
    pg.goto(live_server.url + "/?country=KR&src=kakao")
    assert pg.input_value("#country") == "KR"
    assert pg.input_value("#src") == "kakao"
    pg.fill("#name", "Ada Lovelace")
    pg.fill("#city", "Seoul")
    assert decode_mailto(hrefs(pg)["mailto"])[0] == ["kr-embassy@missions.example.org", UN]
    assert not pg.is_visible("#share-thanks")
    pg.evaluate("""() => {
        const a = document.getElementById('send-mailto');
        a.addEventListener('click', e => e.preventDefault());
        a.click();
    }""")
    assert pg.is_visible("#share-thanks")
    share = {c: pg.get_attribute(f"#share-{c}", "href")
             for c in ("x", "facebook", "whatsapp", "telegram", "line", "email")}
    x = parse_qs(urlsplit(share["x"]).query)
    assert x["url"] == [live_server.url + "/en/?src=x"]  # shared links keep the page's language
    assert "@MFA_China" in x["text"][0]
    assert parse_qs(urlsplit(share["facebook"]).query)["u"] == [
        live_server.url + "/en/?src=facebook"]
    assert pg.get_attribute("#share-x", "rel") == "noopener noreferrer"
    pg.click('button[data-copy="share-link"]')
    expect(pg.locator("#share [data-copied]")).to_contain_text("Copied")
    assert pg.evaluate("navigator.clipboard.readText()") == live_server.url + "/en/?src=copy"


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_flyer_prints_on_one_page(context: Any, live_server: LiveServer, paper: str) -> None:
    pg = context.new_page()
    pg.goto(live_server.url + "/stop-forced-repatriation/flyer?country=KR")
    assert pg.evaluate("document.querySelector('img.qr').naturalWidth") > 0
    pdf = pg.pdf(format=paper)
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1


def test_a_send_is_counted_once_per_page_view(context: Any, live_server: LiveServer) -> None:
    counter = live_server.server.app.extensions["campaign_counter"]
    counter.cache_seconds = 0
    pg = context.new_page()
    counts: list[int] = []
    pg.on("response", lambda r: counts.append(r.status) if r.url.endswith("/count") else None)
    pg.goto(live_server.url + "/?src=whatsapp")
    fill(pg, "DE")
    keep_page = """() => {
        document.querySelectorAll('.send-buttons a').forEach(a =>
            a.addEventListener('click', e => e.preventDefault()));
    }"""
    pg.evaluate(keep_page)
    with pg.expect_response("**/token") as token, pg.expect_response("**/count") as first:
        pg.click("#send-mailto")
    assert token.value.status == 200 and first.value.status == 201
    pg.click("#send-gmail")  # a second send from the same page is not counted again,
    pg.click("#send-yahoo")  # and asks the server nothing: no error in the console
    with pg.expect_response("**/count") as confirm:
        pg.click("#confirm-sent")
    assert confirm.value.status == 201
    expect(pg.locator("#confirm-thanks")).to_be_visible()
    assert counts == [201, 201]
    assert counter.table("country") == [("DE", 1, 1)]
    assert counter.table("src") == [("whatsapp", 1, 1)]


def test_every_request_goes_to_our_origin_and_the_page_is_light(
        browser: Any, live_server: LiveServer) -> None:
    import gzip

    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    requested: list[str] = []
    sizes: dict[str, int] = {}

    def record(route: Any) -> None:
        requested.append(route.request.url)
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            route.abort()

    ctx.route("**/*", record)
    pg = ctx.new_page()
    pg.on("response", lambda r: sizes.__setitem__(r.url, len(gzip.compress(r.body()))))
    pg.goto(live_server.url + "/?country=KR&src=x")
    fill(pg, "KR", own_words="One more sentence.")
    pg.locator("#share").scroll_into_view_if_needed()
    pg.wait_for_load_state("networkidle")
    assert requested and all(url.startswith(live_server.url + "/") for url in requested), [
        url for url in requested if not url.startswith(live_server.url)]
    page_weight = sum(size for url, size in sizes.items()
                      if not url.endswith(".svg"))  # the page, its CSS and its JS
    assert {url.rsplit(".", 1)[-1] for url in sizes} >= {"css", "js"}
    assert page_weight < 40 * 1024, sizes
    print(f"page weight, page + CSS + JS, gzip: {page_weight:,} bytes: {sizes}")
    ctx.close()


def test_without_javascript_a_send_button_opens_the_same_link(
        no_js_context: Any, context: Any, live_server: LiveServer) -> None:
    live = context.new_page()
    live.goto(live_server.url + "/")
    fill(live, "GB")
    expected = hrefs(live)["gmail"]
    plain = no_js_context.new_page()
    plain.goto(live_server.url + "/")
    fill(plain, "GB")
    with plain.expect_navigation():
        plain.click("#prepare")
    assert not plain.is_visible("#send-gmail") and plain.is_visible("button:has-text('Gmail')")
    opened: list[str] = []

    def webmail(route: Any) -> None:  # the browser goes on to Gmail: note where, go no further
        opened.append(route.request.url)
        route.abort()

    no_js_context.route("https://mail.google.com/**", webmail)
    with no_js_context.expect_page() as new_tab:  # webmail opens in a new tab
        plain.click("button:has-text('Gmail')")
    new_tab.value.wait_for_event("requestfailed", timeout=10_000)
    assert opened == [expected]


def test_a_supporter_in_brazil_adds_the_address_they_found_and_sends(
        context: Any, live_server: LiveServer) -> None:
    pg = context.new_page()
    pg.goto(live_server.url + "/")
    fill(pg, "BR")
    row = pg.locator("li[data-key=br-embassy]")
    expect(row).to_contain_text("Chinese Embassy, Brazil")
    expect(row).to_contain_text("No public email address was found for it.")
    assert row.locator("a").get_attribute("href") == "https://www.example.org/br-embassy"
    expect(pg.locator("#extra_to")).to_be_visible()
    assert decode_mailto(hrefs(pg)["mailto"])[0] == [UN]  # the UN missions, meanwhile
    pg.fill("#extra_to", "not an address")
    pg.locator("#extra_to").blur()
    expect(pg.locator("#extra_to-error")).to_be_visible()
    pg.fill("#extra_to", "a..b@example.org")  # what the server refuses, the page refuses
    expect(pg.locator("#extra_to-error")).to_have_text(
        "This address does not look right: An email address cannot have two periods in a row.")
    expect(pg.locator("#send-ready")).to_be_hidden()
    pg.fill("#extra_to", "embaixada@example.org")
    expect(pg.locator("#send-ready")).to_be_visible()  # once the server has checked it
    assert decode_mailto(hrefs(pg)["mailto"])[0] == [UN, "embaixada@example.org"]
    expect(pg.locator(".mission-post a")).to_have_text(["Post to @EmbaixadaTeste on X",
                                                        "Post to @MissionTestUN on X"])
    pg.select_option("#country", "GB")  # a country whose embassy has an address
    expect(pg.locator("#extra_to")).to_be_hidden()
    assert decode_mailto(hrefs(pg)["mailto"])[0] == ["gb-embassy@missions.example.org", UN]
    expect(pg.locator(".mission-post a")).to_have_text(["Post to @MissionTestUN on X"])


@pytest.mark.parametrize("failure", ["unreachable", "unavailable"])
def test_an_address_check_that_fails_never_stops_a_letter(
        browser: Any, context: Any, live_server: LiveServer, failure: str) -> None:
    """The server judges an added address; if it cannot be asked, the address goes as typed."""
    browser.errors.allow("^Failed to load resource: ", where=r"/address-check$")  # this test's
    pg = context.new_page()
    if failure == "unreachable":
        pg.route("**/address-check", lambda route: route.abort())
    else:
        pg.route("**/address-check", lambda route: route.fulfill(status=503, body="busy"))
    pg.goto(live_server.url + "/")
    fill(pg, "BR")
    pg.fill("#extra_to", "embaixada@example.org")
    expect(pg.locator("#send-ready")).to_be_visible()
    assert decode_mailto(hrefs(pg)["mailto"])[0] == [UN, "embaixada@example.org"]
    assert not pg.is_visible("#extra_to-error")


def test_a_letter_in_one_language_works_with_javascript(browser: Any, data_copy: Any) -> None:
    """A letter written in one language only: the page offers no choice of language."""

    for translation in (data_copy / "letters").glob("*.*.txt"):
        translation.unlink()
    app = app_on(data_copy)
    with LiveServer(app) as server:
        pg = browser.new_page()
        pg.goto(server.url + "/ko/")
        assert pg.locator("#letter_language").count() == 0
        fill(pg, "KR")
        expect(pg.locator("#send-ready")).to_be_visible()
        assert pg.input_value("#letter").startswith("Dear Minister Wang Yi,")
        pg.fill("#subject", "")
        expect(pg.locator("#subject-error")).to_be_visible()
        pg.fill("#subject", "My own subject")
        pg.select_option("#country", "JP")
        assert decode_mailto(hrefs(pg)["mailto"])[0] == [COUNTRIES["JP"], UN]
        pg.context.close()


def test_a_supporter_in_a_country_with_consulates_picks_theirs(
        context: Any, live_server: LiveServer) -> None:
    pg = context.new_page()
    pg.goto(live_server.url + "/")
    fill(pg, "TH")
    region = pg.locator("#region")
    expect(region).to_be_visible()
    assert region.input_value() == "th-embassy"  # the embassy, unless they choose
    assert decode_mailto(hrefs(pg)["mailto"])[0] == ["th-embassy@missions.example.org", UN]
    labels = region.locator("option").all_text_contents()
    assert labels[0] == "Bangkok (the embassy), Chiang Mai, or Phuket" and "Songkhla" in labels
    pg.select_option("#region", "th-songkhla")
    keys = pg.eval_on_selector_all("#recipient-list li", "els => els.map(e => e.dataset.key)")
    assert keys[0] == "th-songkhla"
    assert decode_mailto(hrefs(pg)["mailto"])[0] == ["th-songkhla@missions.example.org", UN]
    pg.select_option("#country", "DE")  # districts, but no consulate publishes an address
    expect(region).to_be_hidden()
    assert decode_mailto(hrefs(pg)["mailto"])[0] == ["de-embassy@missions.example.org", UN]


def test_a_korean_browser_gets_the_page_the_countries_and_the_letter_in_korean(
        browser: Any, live_server: LiveServer) -> None:
    ctx = browser.new_context(locale="ko-KR", viewport={"width": 390, "height": 844})
    pg = ctx.new_page()
    pg.goto(live_server.url + "/")
    assert pg.get_attribute("html", "lang") == "ko"
    expect(pg.locator("h1")).to_have_text("탈북민 강제 북송을 멈춰 주세요")
    suggested = pg.locator("#country optgroup").first
    assert suggested.locator("option").first.text_content() == "대한민국"
    countries = pg.eval_on_selector_all("#country optgroup:nth-of-type(2) option",
                                        "os => os.map(o => o.textContent)")
    assert countries[:2] == ["가나", "가봉"]  # Ghana, Gabon: in Hangul order
    pg.select_option("#country", "KR")
    assert pg.input_value("#letter").endswith("[사는 도시]에서\n[이름] 드림")  # not signed yet
    pg.fill("#name", "홍길동")
    assert pg.input_value("#letter").endswith("[사는 도시]에서\n홍길동 드림")
    pg.fill("#city", "서울")
    letter = pg.input_value("#letter")
    assert letter.startswith("왕이 외교부장님께") and letter.endswith("서울에서\n홍길동 드림")
    to, subject, body = decode_mailto(hrefs(pg)["mailto"])  # Linux takes the whole letter
    assert to == ["kr-embassy@missions.example.org", UN]
    assert body == letter.replace("\n", "\r\n")
    assert subject in pg.evaluate("window.campaignData.letters.ko.subjects")
    ctx.close()


def test_choosing_japan_brings_yahoo_japan_first_as_the_server_does(
        context: Any, live_server: LiveServer) -> None:
    pg = context.new_page()
    pg.goto(live_server.url + "/")
    order = ("() => [...document.querySelectorAll('.send-buttons li.js-only')]"
             ".map(li => li.dataset.channel)")
    assert pg.evaluate(order) == list(CHANNELS)
    fill(pg, "JP")
    assert pg.evaluate(order) == ["mailto", "yahoojp", "gmail", "outlook", "yahoo"]
    href = pg.get_attribute("#send-yahoojp", "href")
    assert href.startswith("https://mail.yahoo.co.jp/compose/?To=mailto%3Ajp-embassy%40")
    pg.select_option("#country", "GB")
    assert pg.evaluate(order) == list(CHANNELS)


def test_choosing_the_letters_language_marks_its_fields_and_blanks_with_it(
        context: Any, live_server: LiveServer, app: Flask) -> None:
    """In a French page, the English letter (there is no French one) is marked English; the
    supporter chooses Japanese: subject and letter say Japanese, as the server would."""
    pg = context.new_page()
    pg.goto(live_server.url + "/fr/")
    marks = ("ids => ids.map(id => [document.getElementById(id).lang, "
             "document.getElementById(id).dir])")
    # the fields, the copy fields and the preview before the send buttons
    fields = ["subject", "letter", "copy-subject", "copy-body", "preview-subject",
              "preview-opening", "preview-closing"]
    assert pg.evaluate(marks, fields) == [["en", "ltr"]] * 7
    assert pg.input_value("#letter").endswith("Sincerely,\n[your name]\n[your city]")
    pg.click("#letter-editor > summary")  # the language is in the letter's fold
    pg.select_option("#letter_language", "ja")
    assert pg.evaluate(marks, fields) == [["ja", "ltr"]] * 7
    assert pg.input_value("#letter").endswith("敬具\n\n［お名前］\n［お住まいの市区町村］")
    pg.select_option("#country", "JP")
    pg.fill("#name", "山田花子")
    pg.fill("#city", "東京")
    served = post_letter(app.test_client(), "/fr/", **{
        "letter_language": "ja", "country": "JP", "name": "山田花子", "city": "東京",
        "subject": pg.input_value("#subject")})
    assert page(served).find(id="letter")["lang"] == "ja"
    assert form_values(page(served))["letter"] == pg.input_value("#letter")


def test_the_language_switcher_works_without_javascript(no_js_context: Any,
                                                          live_server: LiveServer) -> None:
    pg = no_js_context.new_page()
    pg.goto(live_server.url + "/ko/?country=JP")
    assert not pg.is_visible("nav.languages a:text('日本語')")  # folded away until asked for
    pg.focus("nav.languages summary")
    pg.keyboard.press("Enter")  # by keyboard, as by touch
    pg.click("nav.languages a:text('日本語')")
    assert pg.url == live_server.url + "/ja/?country=JP"
    assert pg.get_attribute("html", "lang") == "ja"
    assert pg.input_value("#country") == "JP"
    assert pg.input_value("#letter").startswith("中華人民共和国外交部長")
    assert no_js_context.cookies() == []  # the choice is the URL, never a cookie


def test_a_korean_link_shared_on_x_previews_with_a_korean_card(
        context: Any, live_server: LiveServer) -> None:
    pg = context.new_page()
    pg.goto(live_server.url + "/ko/?src=x")
    card = pg.get_attribute("meta[property='og:image']", "content")
    assert card == live_server.url + "/ko/stop-forced-repatriation/card.png"
    title = "탈북민 강제 북송을 멈춰 주세요"
    assert pg.get_attribute("meta[property='og:title']", "content") == title
    assert pg.get_attribute("meta[property='og:locale']", "content") == "ko_KR"
    image = context.request.get(card)
    assert image.status == 200 and image.headers["content-type"] == "image/png"
    picture = Image.open(io.BytesIO(image.body()))
    assert picture.size == (1200, 630)
    english = Image.open(io.BytesIO(context.request.get(
        live_server.url + "/en/stop-forced-repatriation/card.png").body()))
    # the title is drawn in a face that has every one of its characters: no empty boxes
    assert missing(title, "ko") == "" and face_for(title, "ko")[1] == CJK_FACES["ko"]
    assert picture.tobytes() != english.tobytes()


def keep_page(pg: Any) -> None:
    """Let send links be clicked without leaving the page (no mail app in the test)."""
    pg.evaluate("""() => document.querySelectorAll('.send-buttons a').forEach(a =>
        a.addEventListener('click', e => e.preventDefault()))""")


def test_after_a_send_the_page_says_what_to_do_next(context: Any,
                                                   live_server: LiveServer) -> None:
    pg = context.new_page()
    pg.goto(live_server.url + "/")
    fill(pg, "GB")
    keep_page(pg)
    assert not pg.is_visible("#next-steps")
    pg.click("#send-gmail")
    expect(pg.locator("#next-steps")).to_be_visible()
    steps = pg.locator("#next-steps li").all_inner_texts()
    assert len(steps) == 4
    assert "opened" in steps[0] and "Send" in steps[1]
    assert "I sent my letter" in steps[2] and "others" in steps[3]
    assert pg.get_attribute("#next-steps", "role") == "status"


def test_a_page_whose_token_was_used_counts_nothing_and_logs_no_error(
        context: Any, live_server: LiveServer) -> None:
    """A reloaded (re-posted) result page carries a token its first view already used."""
    counter = live_server.server.app.extensions["campaign_counter"]
    pg = context.new_page()
    console: list[str] = []
    pg.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    pg.goto(live_server.url + "/")
    fill(pg, "GB")
    with pg.expect_navigation():  # a post, past the script: the result page has its token
        pg.evaluate("document.getElementById('letter-form').submit()")
    token = pg.input_value("#count_token")
    assert token
    used = pg.request.post(live_server.url + "/count", form={"token": token, "channel": "mailto"})
    assert used.status == 201  # its first view counted
    keep_page(pg)
    with pg.expect_response("**/count") as again:
        pg.click("#send-mailto")
    assert again.value.status == 200 and again.value.json() == {"result": "reused"}
    pg.wait_for_timeout(200)
    assert console == []
    assert counter.table("channel") == [("mailto", 1, 0)]


def test_an_edited_letter_signs_a_corrected_name_with_javascript(
        context: Any, live_server: LiveServer) -> None:
    pg = context.new_page()
    pg.goto(live_server.url + "/")
    fill(pg, "GB")
    edited = pg.input_value("#letter").replace("Dear Minister Wang Yi,",
                                               "Dear Minister Wang Yi,\n\nI write from London.")
    pg.fill("#letter", edited)
    expect(pg.locator("#edited-kept")).to_be_visible()
    pg.fill("#name", "Ada King")
    letter = pg.input_value("#letter")
    assert "Dear Minister Wang Yi,\n\nI write from London.\n\n" in letter
    assert letter.endswith("Sincerely,\nAda King\nLondon")
    assert decode_mailto(hrefs(pg)["mailto"])[2].endswith("Sincerely,\r\nAda King\r\nLondon")
    expect(pg.locator("#edited-kept")).to_be_visible()
    assert not pg.is_visible("#edited-stale")


def test_an_edited_letter_signs_a_corrected_name_without_javascript(
        no_js_context: Any, live_server: LiveServer) -> None:
    pg = ready_without_javascript(no_js_context, live_server)
    open_letter(pg)
    edited = pg.input_value("#letter").replace("Dear Minister Wang Yi,",
                                               "Dear Minister Wang Yi,\n\nI write from London.")
    pg.fill("#letter", edited)
    pg.fill("#name", "Ada King")
    pg.click("#prepare")
    pg.wait_for_load_state()
    letter = pg.input_value("#letter")
    assert "I write from London." in letter and letter.endswith("Sincerely,\nAda King\nLondon")
    assert pg.is_visible("#edited-kept") and not pg.is_visible("#edited-stale")
    assert pg.input_value("#copy-body") == letter


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844},
                                      {"width": 1280, "height": 900}])
def test_without_javascript_get_my_letter_ready_lands_on_the_send_buttons(
        browser: Any, live_server: LiveServer, viewport: dict[str, int]) -> None:
    ctx = browser.new_context(java_script_enabled=False, viewport=viewport)
    pg = ctx.new_page()
    pg.goto(live_server.url + "/")
    fill(pg, "GB")
    pg.click("#prepare")
    pg.wait_for_load_state()
    assert pg.url.endswith("#result")
    assert pg.evaluate("window.scrollY") > 0  # not the top of the page
    heading = pg.locator("#send-title").bounding_box()
    assert 0 < heading["y"] < 100  # the heading sits at the top of the screen, whole
    expect(pg.locator("#send-status")).to_have_text("Your letter to 2 recipients is ready.")
    button = pg.locator("button:has-text('Open in my email app')").bounding_box()
    assert button["y"] + button["height"] < viewport["height"]
    ctx.close()


def test_without_javascript_a_long_letter_waits_to_be_copied_before_mail_opens(
        no_js_context: Any, live_server: LiveServer) -> None:
    pg = no_js_context.new_page()
    pg.goto(live_server.url + "/")
    fill(pg, "GB", own_words="북한 난민을 보호해 주십시오. " * 20)
    pg.click("#prepare")
    pg.wait_for_load_state()
    # the posted page leaves the note to the script (which knows its links' lengths); the
    # send says so, below, before anything opens
    assert not pg.is_visible("#shortened-note") and pg.is_visible("#copy-body")
    no_js_context.route("https://compose.mail.yahoo.com/**", lambda route: route.abort())
    with no_js_context.expect_page() as new_tab:  # Yahoo takes the shortest link: 2,000
        pg.click("li.no-js-only button:has-text('Yahoo')")
    pg = new_tab.value
    pg.wait_for_load_state()
    pg.wait_for_timeout(500)
    assert "/go/yahoo" in pg.url  # still here: the page waits for the supporter
    assert pg.is_visible("#handoff-shortened")
    box = pg.locator("#handoff-letter")
    assert box.is_visible() and box.get_attribute("readonly") is not None
    assert "북한 난민을" in box.input_value()
    assert pg.locator("meta[http-equiv=refresh]").count() == 0  # nothing leaves before a copy
    box.click()
    pg.keyboard.press("Control+A")
    assert pg.evaluate("document.getSelection().toString() || "
                       "(el => el.value.substring(el.selectionStart, el.selectionEnd))"
                       "(document.getElementById('handoff-letter'))") == box.input_value()


def test_touch_targets_are_at_least_44_px(context: Any, live_server: LiveServer) -> None:
    pg = context.new_page()
    pg.goto(live_server.url + "/")
    fill(pg, "GB")
    small = pg.evaluate("""() => [...document.querySelectorAll(
        '.share-buttons .button, .send-buttons .button, .copy-field .button, .link-button')]
        .filter(el => el.offsetParent !== null)
        .map(el => [el.textContent.trim(), el.getBoundingClientRect().height])
        .filter(([, height]) => height < 44)""")
    assert small == []


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_letter_page_fits_a_phone_in_either_direction(context: Any, live_server: LiveServer,
                                                          language: str) -> None:
    pg = context.new_page()
    pg.goto(f"{live_server.url}/{language}/?country=FR")
    assert pg.evaluate("document.documentElement.dir") == ("rtl" if language == "ar" else "ltr")
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390
    # A mission's address reads left to right, lined up with its name at the page's start edge.
    edge = "right" if language == "ar" else "left"
    name, address = (pg.evaluate(f"""() => {{
        const range = document.createRange();
        range.selectNodeContents(document.querySelector('.recipient {slot}'));
        return range.getBoundingClientRect().{edge}; }}""") for slot in (".r-name", ".r-email"))
    assert abs(name - address) < 2
    # The layout says start and end: each step's number begins its title at the start edge,
    # and a list's markers hang there too.
    rows = pg.evaluate("""() => [...document.querySelectorAll('.step > legend')].map(legend => {
        const num = legend.querySelector('.num').getBoundingClientRect();
        const title = legend.getBoundingClientRect();
        return [num.left - title.left, title.right - num.right]; })""")
    assert rows and all((end if language == "ar" else start) < 1 for start, end in rows), rows
    assert all((start if language == "ar" else end) > 100 for start, end in rows), rows
    sides = pg.evaluate("""() => ['#waiting-list', '#next-steps'].map(id => {
        const style = getComputedStyle(document.querySelector(id));
        return [style.paddingLeft, style.paddingRight, style.borderLeftWidth,
                style.borderRightWidth]; })""")
    start, end = (1, 0) if language == "ar" else (0, 1)
    assert sides[0][start] != "0px" and sides[0][end] == "0px", sides  # the markers' room
    assert sides[1][2 + start] == "4px" and sides[1][2 + end] == "0px", sides  # the bar


def test_the_flyer_fits_a_phone_and_prints_from_a_button(context: Any,
                                                        live_server: LiveServer) -> None:
    pg = context.new_page()
    pg.goto(live_server.url + "/stop-forced-repatriation/flyer")
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390
    pg.evaluate("window.print = () => { window.printed = true; }")
    pg.click("#print-flyer")
    assert pg.evaluate("window.printed") is True


def test_without_javascript_the_flyer_says_how_to_print(no_js_context: Any,
                                                        live_server: LiveServer) -> None:
    pg = no_js_context.new_page()
    pg.goto(live_server.url + "/stop-forced-repatriation/flyer")
    assert not pg.is_visible("#print-flyer")
    assert "use your browser's Print" in pg.inner_text("header")
