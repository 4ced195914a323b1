"""The embed: the letter form for a partner's frame, framed only by the sites organizers list,
crediting and counting under a partner, without a cookie; and `campaign embed`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import expect
from support import (
    COUNTRIES,
    EMBASSY,
    NEW_YORK,
    UN,
    BrowserErrors,
    LiveServer,
    WatchedBrowser,
    app_on,
    decode_mailto,
    form_values,
    links_of,
    page,
    second_letter,
    valid,
)

from campaign import ROOT, create_app
from campaign.cli.main import main
from campaign.compose.sendlinks import CHANNELS, WEBMAIL
from campaign.compose.sharelinks import embed_link
from campaign.web.embed import FRAME_HEIGHT, SANDBOX, snippet

SLUG = "stop-forced-repatriation"
EMBED = f"/embed/{SLUG}"
PARTNER_SITE = "https://partner.example.org"
@pytest.fixture
def partner_app() -> Flask:
    """The app on the test data (with its two made-up partners, one with a logo), letting one
    partner's site frame the embed."""
    return create_app({"TESTING": True, "SECRET_KEY": "t", "EMBED_ORIGINS": (PARTNER_SITE,)})


@pytest.fixture
def embed_client(partner_app: Flask) -> FlaskClient:
    return partner_app.test_client()


def counts_by_src(app: Flask) -> dict[str, tuple[int, int]]:
    """What `campaign stats --by src` would show: actions and confirmations per source."""
    with app.app_context():
        rows = app.extensions["campaign_counter"].table("src")
    return {src: (actions, confirmed) for src, actions, confirmed in rows}


def test_the_embed_is_the_letter_form_without_the_site_around_it(
        embed_client: FlaskClient) -> None:
    embed, full = page(embed_client.get(EMBED)), page(embed_client.get(f"/{SLUG}/"))
    assert embed.find("form", id="letter-form") is not None
    # the same letter, subject, recipients, send and copy buttons as the letter's page
    for selector in ("#letter", "#subject", "#copy-body", 'script[src*="/data."]', "h1"):
        assert str(embed.select_one(selector)) == str(full.select_one(selector)), selector
    for selector in ("#recipient-list li", ".send-buttons a", "#confirm-sent", "#send [data-copy]"):
        assert [node.get("id") or node.get("data-key") for node in embed.select(selector)] \
            == [node.get("id") or node.get("data-key") for node in full.select(selector)]
    # no site chrome: no language menu, skip link, share panel or social card tags
    for selector in (".languages", ".skip", "#share", 'meta[property="og:title"]'):
        assert embed.select_one(selector) is None, selector
        assert full.select_one(selector) is not None, selector
    assert "embedded" in embed.html["class"]


def test_only_the_listed_sites_may_frame_the_embed(embed_client: FlaskClient) -> None:
    embed = embed_client.get(EMBED)
    assert f"frame-ancestors {PARTNER_SITE};" in embed.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed.headers
    for path in ("/", f"/{SLUG}/", "/ko/", "/healthz", "/no-such-page"):
        other = embed_client.get(path)
        assert "frame-ancestors 'none';" in other.headers["Content-Security-Policy"], path
        assert other.headers["X-Frame-Options"] == "DENY", path


def test_with_no_site_listed_nothing_may_frame_the_embed(client: FlaskClient) -> None:
    embed = client.get(EMBED)
    assert embed.status_code == 200
    assert "frame-ancestors 'none';" in embed.headers["Content-Security-Policy"]
    assert embed.headers["X-Frame-Options"] == "DENY"


def test_the_frame_posts_its_height_only_to_the_listed_sites(embed_client: FlaskClient) -> None:
    soup = page(embed_client.get(EMBED))
    assert soup.html["data-embed-origins"] == f'["{PARTNER_SITE}"]'
    assert any("frame." in (s.get("src") or "") for s in soup.find_all("script"))


def test_the_embed_is_cacheable_and_sets_no_cookie(embed_client: FlaskClient) -> None:
    first = embed_client.get(EMBED + "?country=GB")
    assert "Set-Cookie" not in first.headers
    assert first.headers["Cache-Control"].startswith("public, max-age=60")
    # search engines are pointed to the letter's own page, which they list in its place
    assert page(first).find("link", rel="canonical")["href"] == "http://localhost/en/"
    assert page(first).find("meta", attrs={"name": "description"})["content"]
    again = embed_client.get(EMBED + "?country=GB",
                             headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    posted = embed_client.post(EMBED, data=form_values(page(first)) | valid())
    assert posted.status_code == 200 and "Set-Cookie" not in posted.headers


@pytest.mark.parametrize(("path", "lang", "country"), [
    (EMBED + "?country=kr", "en", "KR"),
    (f"/ko{EMBED}?country=KR", "ko", "KR"),
    (f"/fr{EMBED}", "fr", ""),
    (f"/ja{EMBED}?country=JP", "ja", "JP"),
    (f"/zh-hant{EMBED}?country=US&region=NY", "zh-Hant", "US"),
])
def test_the_embed_speaks_every_language_and_preselects_the_country(
        embed_client: FlaskClient, path: str, lang: str, country: str) -> None:
    soup = page(embed_client.get(path))
    assert soup.html["lang"] == lang
    chosen = soup.select_one("#country option[selected]")
    assert (chosen["value"] if chosen else "") == country
    # the form posts back to the embed, in the page's language
    assert soup.find("form", id="letter-form")["action"] == f"/{lang.lower()}{EMBED}#result"


def test_a_partner_is_credited_and_its_key_carried_as_the_source(
        embed_client: FlaskClient) -> None:
    soup = page(embed_client.get(EMBED + "?partner=test-partner&country=GB"))
    credit = soup.find(id="partner")
    assert credit.get_text(" ", strip=True) == "Shared by Test Partner & Friends"
    link = credit.find("a")
    assert link["href"] == "https://partner.example.org/about"
    assert link["target"] == "_blank" and "noopener" in link["rel"]
    assert soup.find("input", attrs={"name": "src"})["value"] == "test-partner"
    logo = embed_client.get(credit.find("img")["src"])
    assert logo.status_code == 200 and logo.mimetype == "image/png"
    assert logo.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert page(embed_client.get(EMBED + "?partner=plain")).find(id="partner").find("img") is None
    assert page(embed_client.get(EMBED)).find(id="partner") is None


def test_a_partners_link_to_the_letters_page_credits_it_too(embed_client: FlaskClient) -> None:
    for query in ("?partner=plain", "?src=plain"):
        credit = page(embed_client.get(f"/{SLUG}/{query}")).find(id="partner")
        assert credit.get_text(" ", strip=True) == "Shared by Plain Org"
    # on the letter's page an unknown partner is only ignored, as an unknown source is
    soup = page(embed_client.get(f"/{SLUG}/?partner=nobody"))
    assert soup.find(id="partner") is None
    assert soup.find("input", attrs={"name": "src"})["value"] == ""


def test_a_partners_sends_count_under_its_key(partner_app: Flask,
                                              embed_client: FlaskClient) -> None:
    arrival = page(embed_client.get(EMBED + "?partner=test-partner"))
    token = embed_client.post("/token", data={"letter": SLUG}).get_json()["token"]
    counted = embed_client.post("/count", data={"token": token, "channel": "mailto",
                                                "country": "GB", "src": "test-partner"})
    assert counted.status_code == 201
    # without JavaScript: the letter is made ready, then the send button posts the form (and
    # the token the ready page carries), the partner's key with it
    ready = embed_client.post(EMBED, data=form_values(arrival) | valid(country="KR", city="Seoul"))
    sent = embed_client.post(f"{EMBED}/go/gmail", data=form_values(page(ready)))
    assert sent.status_code == 200
    assert counts_by_src(partner_app) == {"test-partner": (2, 0)}


@pytest.mark.parametrize("query", ["?partner=nobody", "?partner=", "?partner=%3Cscript%3E",
                                   "?partner=TEST-PARTNER"])
def test_an_unknown_partner_gets_a_small_404_inside_the_frame(embed_client: FlaskClient,
                                                              query: str) -> None:
    response = embed_client.get(EMBED + query)
    assert response.status_code == 404
    assert f"frame-ancestors {PARTNER_SITE};" in response.headers["Content-Security-Policy"]
    soup = page(response)
    assert soup.h1.get_text() == "There is no such page"
    assert soup.select_one(".languages") is None and "embedded" in soup.html["class"]
    assert "<script>" not in response.get_data(as_text=True).split("</head>")[1]
    back = soup.find("a", string="Back to the campaign")
    assert back["target"] == "_blank"  # the campaign's page cannot be shown in the frame


@pytest.mark.parametrize("path", ["/embed/no-such-letter", "/ko/embed/no-such-letter",
                                  "/embed/no-such-letter/go/mailto"])
def test_an_unknown_letter_gets_a_small_404_inside_the_frame(embed_client: FlaskClient,
                                                             path: str) -> None:
    response = embed_client.get(path) if "/go/" not in path else \
        embed_client.post(path, data=valid())
    assert response.status_code == 404
    assert f"frame-ancestors {PARTNER_SITE};" in response.headers["Content-Security-Policy"]
    assert page(response).select_one(".languages") is None


@pytest.mark.parametrize("hostile", ['"><script>alert(1)</script>', "GB\r\nX-Evil: 1",
                                     "javascript:alert(1)", "' onload='x"])
def test_hostile_query_values_are_never_echoed(embed_client: FlaskClient, hostile: str) -> None:
    for name in ("country", "region", "src", "lang"):
        response = embed_client.get(EMBED, query_string={name: hostile})
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert hostile not in body and "alert(1)" not in body
        assert "X-Evil" not in response.headers


def test_mail_links_leave_the_frame_and_webmail_opens_a_new_tab(
        embed_client: FlaskClient) -> None:
    fields = form_values(page(embed_client.get(EMBED))) | valid()
    posted = embed_client.post(EMBED, data=fields)
    soup = page(posted)
    mailto = soup.select_one("#send-mailto")
    assert mailto["target"] == "_top"  # the mail app opens from the partner's page
    to, _subject, body = decode_mailto(links_of(embed_client, posted)["mailto"])
    assert to == ["gb-embassy@missions.example.org", UN] and body.endswith("Ada Lovelace\r\nLondon")
    for channel in WEBMAIL:
        link = soup.select_one(f"#send-{channel}")
        assert link["target"] == "_blank" and link["rel"] == ["noopener", "noreferrer"]
    for report in soup.select("a.report"):
        assert report["target"] == "_top"
    # without JavaScript the send buttons post to the embed's own pages, inside the frame
    assert {b["formaction"] for b in soup.select(".no-js-only button")} == {
        f"/en{EMBED}/go/{c}" for c in CHANNELS}
    assert soup.select_one("#confirm-sent")["formaction"] == f"/en{EMBED}/sent"
    # the letter's own page keeps its links as they were
    full = page(embed_client.post(f"/{SLUG}/", data=fields))
    assert not full.select_one("#send-mailto").has_attr("target")
    assert full.select_one("#confirm-sent")["formaction"] == f"/en/{SLUG}/sent"


def test_without_javascript_the_frame_counts_then_hands_over_the_link(
        partner_app: Flask, embed_client: FlaskClient) -> None:
    arrival = form_values(page(embed_client.get(EMBED + "?partner=plain"))) | valid()
    fields = form_values(page(embed_client.post(EMBED, data=arrival)))
    handoff = embed_client.post(f"{EMBED}/go/mailto", data=fields)
    soup = page(handoff)
    assert f"frame-ancestors {PARTNER_SITE};" in handoff.headers["Content-Security-Policy"]
    assert soup.select_one(".languages") is None
    link = soup.find(id="handoff-link")
    assert link["href"].startswith(f"mailto:{COUNTRIES['GB']},") and link["target"] == "_top"
    assert soup.find("a", string="Ask others to write too")["target"] == "_blank"
    confirmed = embed_client.post(f"{EMBED}/sent", data=fields)
    assert confirmed.status_code == 200 and page(confirmed).select_one(".languages") is None
    assert counts_by_src(partner_app) == {"plain": (1, 1)}


def test_a_form_needing_a_fix_stays_in_the_frame(embed_client: FlaskClient) -> None:
    fields = form_values(page(embed_client.get(EMBED))) | valid(name="")
    soup = page(embed_client.post(EMBED, data=fields))
    assert soup.find(id="result").get_text(strip=True).startswith("Almost there")
    assert soup.find(id="name-error").get_text(strip=True)
    assert "embedded" in soup.html["class"]


def test_the_embed_takes_form_posts_only(embed_client: FlaskClient) -> None:
    assert embed_client.post(EMBED, json={"name": "x"}).status_code == 415
    assert embed_client.post(EMBED, data={"name": "x"},
                             headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403


# What campaign.js finds missing on some page with the form, and checks for: the share panel
# and the post (not in a partner's frame), the link to post from the campaign's own page (in
# a partner's frame only), the copy status, the language choice (a letter in one language).
MAY_LACK = {"share-x", "share-webshare", "share-thanks", "copied", "letter_language",
            "send-post", "send-post-page"}


def ids_the_script_needs() -> set[str]:
    """Every element campaign.js looks up by id where the page has the letter form."""
    script = (ROOT / "campaign" / "static" / "campaign.js").read_text()
    ids = set(re.findall(r'\$\("([\w-]+)"\)', script))
    fields = re.search(r"\[([^\]]*)\]\.forEach\(function \(name\) \{ fields\[name\] = ", script)
    assert fields is not None, "campaign.js's list of fields"
    return (ids | set(re.findall(r'"(\w+)"', fields.group(1))) | {"tpl-recipient", "tpl-no-address"}
            | {f"send-{channel}" for channel in CHANNELS})


@pytest.mark.parametrize("path", ["/", "/?country=US", EMBED, f"/ko{EMBED}?partner=plain"])
def test_every_element_the_script_needs_is_on_each_page_with_the_form(
        embed_client: FlaskClient, path: str) -> None:
    soup = page(embed_client.get(path))
    needed = ids_the_script_needs()
    assert {"country", "letter-form", "tpl-recipient", "send-mailto"} <= needed
    assert sorted(i for i in needed - MAY_LACK if soup.find(id=i) is None) == []


def test_embed_js_is_our_own_script(embed_client: FlaskClient) -> None:
    response = embed_client.get("/embed.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    text = response.get_data(as_text=True)
    assert "event.origin !== origin" in text and "http" not in text


def test_the_snippet_escapes_what_it_is_given() -> None:
    url = embed_link("https://letters.example.org", SLUG, "ko", "KR", "test-partner")
    assert url == f"https://letters.example.org/ko{EMBED}?country=KR&partner=test-partner"
    html = snippet(url, "https://letters.example.org/embed.js", 'A "title" <b>')
    soup = BeautifulSoup(html, "html.parser")
    frame = soup.find("iframe")
    assert frame["src"] == url and frame["title"] == 'A "title" <b>'
    assert " ".join(frame["sandbox"]) == SANDBOX and frame["allow"] == "clipboard-write"
    assert soup.find("script")["src"] == "https://letters.example.org/embed.js"
    assert "<b>" not in html
    assert BeautifulSoup(snippet(url, None, "t"), "html.parser").find("script") is None


def cli(runner: CliRunner, data: Path, *args: str, **env: str) -> Any:
    return runner.invoke(main, ["embed", *args], env={
        "CAMPAIGN_CONTACTS": str(data / "contacts.yaml"), "CAMPAIGN_LETTERS": str(data / "letters"),
        "CAMPAIGN_PUBLIC_URL": "https://letters.example.org", **env})


def test_campaign_embed_prints_the_snippet(runner: CliRunner, data_copy: Path) -> None:
    result = cli(runner, data_copy, "--letter", SLUG, "--lang", "ko", "--country", "kr",
                 "--partner", "test-partner", CAMPAIGN_EMBED_ORIGINS=PARTNER_SITE)
    assert result.exit_code == 0, result.output
    soup = BeautifulSoup(result.stdout, "html.parser")
    assert soup.find("iframe")["src"] == (
        f"https://letters.example.org/ko{EMBED}?country=KR&partner=test-partner")
    assert soup.find("iframe")["title"] == "탈북민 강제 북송을 멈춰 주세요"
    assert soup.find("script")["src"] == "https://letters.example.org/embed.js"
    assert result.stderr == ""
    bare = cli(runner, data_copy, "--letter", SLUG, "--no-script")
    assert BeautifulSoup(bare.stdout, "html.parser").find("script") is None
    assert "CAMPAIGN_EMBED_ORIGINS is empty" in bare.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["--letter", "no-such-letter"], "no letter 'no-such-letter'; known: stop-forced"),
    (["--letter", SLUG, "--partner", "nobody"],
     "no partner 'nobody' in contacts.yaml; known: plain, test-partner"),
    (["--letter", SLUG, "--country", "ZZ"], "'ZZ' is not in contacts.yaml"),
    (["--letter", SLUG, "--lang", "it"], "'it' is not one of"),
    ([], "Missing option '--letter'"),
])
def test_campaign_embed_refuses_what_it_does_not_know(runner: CliRunner, data_copy: Path,
                                                      args: list[str], message: str) -> None:
    result = cli(runner, data_copy, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "<iframe" not in result.output


def test_campaign_link_credits_a_partner(runner: CliRunner, data_copy: Path) -> None:
    env = {"CAMPAIGN_CONTACTS": str(data_copy / "contacts.yaml"),
           "CAMPAIGN_LETTERS": str(data_copy / "letters"),
           "CAMPAIGN_PUBLIC_URL": "https://letters.example.org"}
    result = runner.invoke(main, ["link", "--partner", "plain", "--country", "GB"], env=env)
    assert result.stdout.strip() == "https://letters.example.org/?country=GB&src=plain"
    unknown = runner.invoke(main, ["link", "--partner", "nobody"], env=env)
    assert unknown.exit_code == 2 and "no partner 'nobody'" in unknown.output
    both = runner.invoke(main, ["link", "--partner", "plain", "--src", "x"], env=env)
    assert both.exit_code == 2 and "not both" in both.output


def test_campaign_stats_by_src_shows_each_partner(runner: CliRunner, partner_app: Flask,
                                                  embed_client: FlaskClient,
                                                  data_copy: Path, counts_database: str) -> None:
    arrival = form_values(page(embed_client.get(EMBED + "?partner=test-partner"))) | valid()
    fields = form_values(page(embed_client.post(EMBED, data=arrival)))
    embed_client.post(f"{EMBED}/go/mailto", data=fields)
    result = runner.invoke(main, ["stats", "--by", "src", "--csv"], env={
        "CAMPAIGN_CONTACTS": str(data_copy / "contacts.yaml"), "DATABASE_URL": counts_database})
    assert result.output.splitlines() == ["src,letters,confirmed", "test-partner,1,0"]


# In real Chromium: the embed on a partner's page served from a second loopback origin
# (http://localhost:<port>, another site than the app's http://127.0.0.1:<port>).

class HostSite(LiveServer):
    """A partner's plain page, served on its own loopback port (as localhost, another origin
    than the app's 127.0.0.1): the snippet and some text."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        site = Flask("partner")

        @site.route("/<path:path>")
        def page(path: str) -> tuple[str, int]:
            if path == "favicon.ico":
                return "", 204  # what a browser asks every site for: no error in its console
            body = self.pages.get("/" + path, "")
            return body, 200 if body else 404

        super().__init__(site)
        self.origin = f"http://localhost:{self.server.server_port}"

    def add(self, path: str, embed: str) -> str:
        """A page holding this snippet; its address."""
        self.pages[path] = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>A partner's page</title></head><body><main>"
            "<h1>Our campaign for refugees' rights</h1><p>Please write to China's Foreign "
            f"Minister with us:</p>{embed}<p>Thank you.</p></main></body></html>")
        return self.origin + path


@pytest.fixture
def sites(data_copy: Path) -> Iterator[tuple[LiveServer, HostSite, HostSite, Flask]]:
    """The app; a partner's site it lets frame the embed; and a site it does not."""
    with HostSite() as partner, HostSite() as stranger:
        app = app_on(data_copy, EMBED_ORIGINS=(partner.origin,))
        with LiveServer(app) as live:
            yield live, partner, stranger, app


def host_page(live: LiveServer, site: HostSite, query: str = "", script: bool = True) -> str:
    """A partner's page embedding the letter with `campaign embed`'s snippet."""
    country, _, partner = query.partition("/")
    url = embed_link(live.url, SLUG, None, country, partner)
    return site.add(f"/page-{len(site.pages)}",
                    snippet(url, f"{live.url}/embed.js" if script else None, "The letter"))


@dataclass
class Watched:
    """A page on a partner's site, and what the test watches of it."""

    page: Any
    console: list[str] = field(default_factory=list)  # what the browser's console says
    set_cookies: list[str] = field(default_factory=list)  # any Set-Cookie a response sends
    stopped: list[str] = field(default_factory=list)  # addresses on other hosts, not opened


def watched(context: Any) -> Watched:
    """A new page of the context, watched; nothing may reach a host but loopback (webmail
    tabs are stopped at their address)."""
    seen = Watched(context.new_page())
    seen.page.on("console", lambda message: seen.console.append(message.text))
    seen.page.on("response", lambda response: seen.set_cookies.extend(
        v for k, v in response.all_headers().items() if k == "set-cookie"))

    def stop(route: Any) -> None:
        seen.stopped.append(route.request.url)
        route.abort()

    context.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost)"), stop)
    return seen


def frame_of(pg: Any) -> Any:
    """The embed's frame on a partner's page, once its form is there."""
    pg.wait_for_selector("iframe")
    frame = pg.frame_locator("iframe")
    frame.locator("#letter-form").wait_for()
    return next(f for f in pg.frames if "/embed/" in f.url)


def frame_height(pg: Any) -> float:
    height: float = pg.eval_on_selector("iframe", "f => f.clientHeight")  # inside its border
    return height


def fill_in(frame: Any) -> None:
    frame.fill("#name", "Ada Lovelace")
    frame.fill("#city", "London")
    frame.wait_for_selector("#send-ready", state="visible")


@pytest.mark.browser
def test_a_supporter_sends_the_letter_from_a_partners_page(
        browser: Any, sites: tuple[LiveServer, HostSite, HostSite, Flask]) -> None:
    live, partner, _stranger, app = sites
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # copying inside the frame (the snippet allows clipboard-write): a browser asks about a
    # frame's permissions for the page around it; granted before the frame loads
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=partner.origin)
    seen = watched(context)
    pg = seen.page
    address = host_page(live, partner, "GB/test-partner")
    pg.goto(address)
    frame = frame_of(pg)
    assert frame.inner_text("#partner") == "Shared by Test Partner & Friends"
    assert frame.eval_on_selector("#country", "s => s.value") == "GB"
    fill_in(frame)
    to, subject, body = decode_mailto(frame.get_attribute("#send-mailto", "href"))
    assert to == ["gb-embassy@missions.example.org", UN]
    assert subject == frame.input_value("#subject")
    assert body.startswith("Dear Minister Wang Yi,\r\n")
    assert body.endswith("Sincerely,\r\nAda Lovelace\r\nLondon")
    # the mail app opens from the frame (not blocked by its sandbox), and the send counts
    with pg.expect_console_message(
            lambda m: m.text.startswith("Launched external handler for 'mailto:gb-embassy@")), \
            pg.expect_response(lambda r: r.url == f"{live.url}/count") as counted:
        frame.click("#send-mailto")
    assert counted.value.status == 201
    assert pg.url == address  # the partner's page stays
    # copying works inside the frame
    frame.click("[data-copy=copy-body]")
    expect(frame.locator("#copied")).to_have_text("Copied the letter.")
    assert pg.evaluate("navigator.clipboard.readText()") == frame.input_value("#copy-body")
    # webmail opens in a new tab of its own (stopped there: no request leaves loopback)
    with context.expect_page() as tab:
        frame.click("#send-gmail")
    tab.value.wait_for_load_state()
    assert any(url.startswith("https://mail.google.com/mail/?view=cm") for url in seen.stopped)
    assert counts_by_src(app) == {"test-partner": (1, 0)}
    assert seen.set_cookies == [] and context.cookies() == []
    context.close()


@pytest.mark.browser
def test_in_the_frame_the_supporter_changes_country_region_and_language(
        browser: Any, sites: tuple[LiveServer, HostSite, HostSite, Flask]) -> None:
    """Every choice the form offers works in the frame (which has no share panel), without
    a script error (the `browser` fixture fails the test on any)."""
    live, partner, _stranger, _app = sites
    pg = watched(browser.new_context(viewport={"width": 390, "height": 844})).page
    pg.goto(host_page(live, partner, "GB/test-partner"))
    frame = frame_of(pg)
    fill_in(frame)
    frame.select_option("#country", "US")
    expect(frame.locator("#region")).to_be_visible()
    frame.select_option("#region", "NY")
    assert decode_mailto(frame.get_attribute("#send-mailto", "href"))[0] == [
        NEW_YORK, UN]
    frame.select_option("#region", "CA")  # no address there: the embassy instead
    assert decode_mailto(frame.get_attribute("#send-mailto", "href"))[0] == [
        EMBASSY, UN]
    frame.click("#open-letter")  # the recipients, the letter's language, subject and text
    frame.select_option("#letter_language", "ko")
    assert frame.input_value("#letter").startswith("왕이 외교부장님께")
    assert frame.input_value("#subject") in frame.evaluate(
        "window.campaignData.letters.ko.subjects")
    frame.select_option("#country", "KR")
    expect(frame.locator("#region")).to_be_hidden()
    frame.select_option("#country", "BR")  # no address published: the supporter may add one
    frame.fill("#extra_to", "embaixada@example.org")
    expect(frame.locator("#send-ready")).to_be_visible()
    assert decode_mailto(frame.get_attribute("#send-mailto", "href"))[0] == [
        UN, "embaixada@example.org"]
    # the page in another language, changed the same ways
    pg.goto(partner.add("/ko", f'<iframe src="{live.url}/ko/embed/{SLUG}?country=TH" '
                               'width="390" height="1100"></iframe>'))
    frame = frame_of(pg)
    assert frame.evaluate("document.documentElement.lang") == "ko"
    fill_in(frame)
    frame.select_option("#region", "th-songkhla")
    assert decode_mailto(frame.get_attribute("#send-mailto", "href"))[0] == [
        "th-songkhla@missions.example.org", UN]
    frame.select_option("#country", "US")
    frame.select_option("#region", "IL")
    frame.click("#open-letter")
    frame.select_option("#letter_language", "en")
    assert frame.input_value("#letter").startswith("Dear Minister Wang Yi,")


@pytest.mark.browser
def test_the_watch_sees_errors_inside_a_frame_from_another_site(
        chromium: Any, sites: tuple[LiveServer, HostSite, HostSite, Flask]) -> None:
    """The `browser` fixture's watch can fail: an uncaught error and a console error in the
    embed's frame (another site than the page, in a process of its own) are both seen."""
    live, partner, _stranger, _app = sites
    errors = BrowserErrors()
    watched_browser = WatchedBrowser(chromium, errors)
    pg = watched_browser.new_page()
    pg.goto(host_page(live, partner, "GB"))
    frame = frame_of(pg)
    frame.evaluate("""() => { setTimeout(() => { throw new Error("thrown in the frame"); });
                              console.error("said in the frame"); }""")
    pg.wait_for_timeout(200)
    watched_browser.close()
    assert sorted(errors.errors) == ["console error: said in the frame (" + pg.url + ")",
                                     "uncaught Error: thrown in the frame (page " + pg.url + ")"]


@pytest.mark.browser
def test_the_frame_fits_its_content_and_ignores_other_messages(
        browser: Any, sites: tuple[LiveServer, HostSite, HostSite, Flask]) -> None:
    live, partner, _stranger, _app = sites
    context = browser.new_context(viewport={"width": 390, "height": 844})
    pg = watched(context).page
    pg.goto(host_page(live, partner, "KR"))
    frame = frame_of(pg)

    def content() -> float:
        height: float = frame.evaluate(
            "Math.ceil(document.documentElement.getBoundingClientRect().height)")
        return height

    pg.wait_for_function("() => document.querySelector('iframe').style.height !== ''")
    assert frame_height(pg) == content() != FRAME_HEIGHT
    before = content()
    fill_in(frame)
    pg.wait_for_function(f"() => document.querySelector('iframe').offsetHeight > {before}")
    assert frame_height(pg) == content()
    # a message that does not come from the campaign's frame is ignored
    fitted = frame_height(pg)
    pg.evaluate("window.postMessage({type: 'campaign-embed:height', height: 5000}, '*')")
    pg.evaluate("""() => { const f = document.createElement("iframe");
        f.srcdoc = "<script>parent.postMessage({type: 'campaign-embed:height', height: 5000}, "
          + "'*')</" + "script>";
        document.body.appendChild(f); }""")
    pg.wait_for_timeout(300)
    assert frame_height(pg) == fitted
    # without embed.js the frame keeps the snippet's height, and scrolls
    pg.goto(host_page(live, partner, "KR", script=False))
    frame_of(pg)
    pg.wait_for_timeout(300)
    assert frame_height(pg) == FRAME_HEIGHT
    context.close()


@pytest.mark.browser
def test_a_site_not_listed_cannot_frame_the_embed(
        browser: Any, sites: tuple[LiveServer, HostSite, HostSite, Flask]) -> None:
    live, partner, stranger, _app = sites
    # the refusals this test is about: the browser's own console errors
    browser.errors.allow(r"^Framing '[^']*' violates the following Content Security Policy "
                         r"directive: \"frame-ancestors ")
    context = browser.new_context()
    seen = watched(context)
    pg = seen.page
    pg.goto(host_page(live, stranger, "GB"))
    pg.wait_for_timeout(500)
    assert pg.frames[1].url.startswith("chrome-error://")  # the browser's error, not ours
    assert any("frame-ancestors" in m and partner.origin in m for m in seen.console)
    # nor may the letter's own page be framed, even by the partner
    pg.goto(partner.add("/full", f'<iframe src="{live.url}/{SLUG}/"></iframe>'))
    pg.wait_for_timeout(500)
    assert pg.frames[1].url.startswith("chrome-error://")
    context.close()
    assert len(browser.errors.allowed) == 2


@pytest.mark.browser
def test_with_third_party_cookies_blocked_the_flow_and_count_still_work(
        browser: Any, sites: tuple[LiveServer, HostSite, HostSite, Flask]) -> None:
    live, partner, _stranger, app = sites
    # a Chromium of its own, told to block third-party cookies as Chrome's tracking protection
    blocking = browser.launch("--test-third-party-cookie-phaseout")
    context = blocking.new_context()
    seen = watched(context)
    pg = seen.page
    pg.goto(f"{live.url}/healthz")  # first party: a cookie can be set here
    assert pg.evaluate("document.cookie = 'probe=1; SameSite=None; Secure'; "
                       "document.cookie") == "probe=1"
    pg.goto(host_page(live, partner, "GB/plain"))
    frame = frame_of(pg)
    # in the frame the same cookie is refused: third-party cookies are blocked here
    assert frame.evaluate("document.cookie = 'probe2=1; SameSite=None; Secure'; "
                          "document.cookie") == ""
    fill_in(frame)
    with pg.expect_response(lambda r: r.url == f"{live.url}/count") as counted:
        frame.click("#send-mailto")
    assert counted.value.status == 201
    with pg.expect_response(lambda r: r.url == f"{live.url}/count") as confirmed:
        frame.click("#confirm-sent")
    assert confirmed.value.status == 201
    expect(frame.locator("#confirm-thanks")).to_be_visible()
    assert seen.set_cookies == []
    context.close()  # its Chromium closes with the test
    assert counts_by_src(app) == {"plain": (1, 1)}


@pytest.mark.browser
def test_without_javascript_the_frame_still_sends_and_counts(
        browser: Any, sites: tuple[LiveServer, HostSite, HostSite, Flask]) -> None:
    live, partner, _stranger, app = sites
    context = browser.new_context(java_script_enabled=False)
    seen = watched(context)
    pg = seen.page
    address = host_page(live, partner, "GB/test-partner")

    def ready() -> Any:
        pg.goto(address)
        frame = frame_of(pg)
        frame.fill("#name", "Ada Lovelace")
        frame.fill("#city", "London")
        frame.click("#prepare")
        frame = frame_of(pg)
        frame.wait_for_selector("#send-ready")
        return frame

    ready().click(".no-js-only button >> text=Open in my email app")
    pg.wait_for_timeout(500)
    handoff = next(f for f in pg.frames if "/go/mailto" in f.url)
    to, _subject, body = decode_mailto(handoff.get_attribute("#handoff-link", "href"))
    assert to == ["gb-embassy@missions.example.org", UN] and body.endswith("Ada Lovelace\r\nLondon")
    assert handoff.get_attribute("#handoff-link", "target") == "_top"
    # webmail: the form posts into a new tab, which counts and goes on to the webmail
    # (the handoff tab leaves at once: an icon request it cuts short would leave the test
    # server's file open, a quirk of werkzeug's server, so the icon is answered here)
    context.route("**/assets/icon.*", lambda route: route.fulfill(status=204))
    frame = ready()
    with context.expect_page() as tab:
        frame.click(".no-js-only button >> text=Gmail")
    tab.value.wait_for_load_state()
    assert tab.value.url == f"{live.url}/en/embed/{SLUG}/go/gmail"
    tab.value.wait_for_timeout(300)
    assert any(url.startswith("https://mail.google.com/mail/?view=cm") for url in seen.stopped)
    assert counts_by_src(app) == {"test-partner": (2, 0)}
    assert seen.set_cookies == [] and context.cookies() == []
    context.close()


AXE_RULES = {"runOnly": {"type": "tag", "values": [
    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}}


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844},
                                      {"width": 1280, "height": 900}])
def test_axe_finds_nothing_inside_the_embed(
        browser: Any, sites: tuple[LiveServer, HostSite, HostSite, Flask],
        viewport: dict[str, int]) -> None:
    from axe_playwright_python.sync_playwright import Axe

    live, _partner, _stranger, _app = sites
    browser.errors.allow(r"^Failed to load resource: .* 404", where=r"/no-such-letter$")

    def violations(pg: Any) -> list[str]:
        result = Axe().run(pg, options=AXE_RULES)
        return [f"{v['id']}: {[n['target'] for n in v['nodes']]}"
                for v in result.response["violations"]]

    pg = browser.new_page(viewport=viewport)
    pg.goto(f"{live.url}/embed/{SLUG}?partner=test-partner")
    assert violations(pg) == [], "empty form"
    pg.press("#name", "Enter")
    assert pg.is_visible("#name-error")
    assert violations(pg) == [], "errors shown"
    pg.select_option("#country", "US")
    pg.select_option("#region", "CA")
    pg.fill("#name", "Ada Lovelace")
    pg.fill("#city", "San Jose")
    assert pg.is_visible("#send-ready")
    assert violations(pg) == [], "letter ready"
    pg.goto(f"{live.url}/ko/embed/no-such-letter")
    assert violations(pg) == [], "404 in the frame"
    pg.close()


def test_a_closed_letter_says_so_inside_the_frame(data_copy: Path) -> None:
    second_letter(data_copy, "closed", ends="2020-01-31")
    client = app_on(data_copy, EMBED_ORIGINS=(PARTNER_SITE,)).test_client()
    response = client.get("/embed/closed")
    assert response.status_code == 200
    assert f"frame-ancestors {PARTNER_SITE};" in response.headers["Content-Security-Policy"]
    soup = page(response)
    assert "closed on" in soup.find("header").get_text()
    assert soup.select_one(".languages") is None and soup.find("form") is None
    # the letters still open are on the campaign's site: they open in a new tab
    assert [a["target"] for a in soup.select(".open-letters a")] == ["_blank"]
