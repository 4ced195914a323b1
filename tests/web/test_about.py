"""Who runs the campaign and what it keeps: the footer, /about, /privacy, the organizers'
section of contacts.yaml, and the files browsers ask every site for."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from flask.testing import FlaskClient
from PIL import Image
from playwright.sync_api import expect
from support import (
    ORGANIZERS,
    TEST_DATA,
    LiveServer,
    client_on,
    form_values,
    page,
    second_letter,
    valid,
    with_organizers,
)

from campaign import create_app
from campaign.cli.main import main
from campaign.counting.ratelimit import WINDOW_SECONDS
from campaign.counting.storage import counts
from campaign.counting.tokens import TOKEN_MAX_AGE
from campaign.data.citations import recipient_citations
from campaign.data.contactsfile import load_contacts, parse_contacts
from campaign.i18n.languages import LANGUAGES
from campaign.i18n.names import continent_of, country_name
from campaign.i18n.words import Words
from campaign.web.about import CITATION_WORDS, DIMENSION_WORDS

SLUG = "stop-forced-repatriation"


def every_page(client: FlaskClient) -> dict[str, BeautifulSoup]:
    """Every kind of page a supporter can see, by what it is."""
    arrival = page(client.get("/?country=GB"))
    values = {**form_values(arrival), **valid()}
    result = client.post("/", data=values)
    token = page(result).find(id="count_token")["value"]
    posted = {**values, "count_token": token}
    return {
        "arrival": arrival,
        "arrival in Korean": page(client.get("/ko/")),
        "letter by slug": page(client.get(f"/{SLUG}/")),
        "result": page(result),
        "handoff": page(client.post(f"/{SLUG}/go/gmail", data=posted)),
        "thanks": page(client.post(f"/{SLUG}/sent", data=posted)),
        "flyer": page(client.get(f"/{SLUG}/flyer")),
        "privacy": page(client.get("/privacy")),
        "about": page(client.get("/about")),
        "not found": page(client.get("/no-such-letter/")),
        "closed": page(client.get("/old/")),
    }


def with_closed_letter(data: Path) -> None:
    """Add a letter that has ended to a data copy, the shipped one staying the default."""
    second_letter(data, "old", ends="2000-01-01")
    shipped = data / "letters" / f"{SLUG}.txt"
    shipped.write_text(shipped.read_text().replace("---\n", "---\ndefault: true\n", 1))


@pytest.fixture
def named(data_copy: Path) -> FlaskClient:
    """A client on data whose organizers have named themselves, with a closed letter."""
    with_organizers(data_copy)
    with_closed_letter(data_copy)
    return client_on(data_copy)


def test_every_page_shows_the_organizers_in_its_footer(named: FlaskClient) -> None:
    for what, soup in every_page(named).items():
        footer = soup.find("footer", class_="site-footer")
        assert footer is not None, what
        who = footer.select_one(".organizers")
        assert "Test Campaigners" in who.get_text(), what
        assert who.find("a", string="Test Campaigners")["href"] == \
            "https://campaigners.example.org", what
        assert who.find("a", href="mailto:organizers@example.org") is not None, what
        links = {a["href"].split("#")[0].split("/")[-1] for a in footer.select(".footer-links a")}
        assert links == {"about", "privacy"}, what


def test_without_organizers_every_footer_says_so_and_still_links_privacy_and_sources(
        data_copy: Path) -> None:
    with_closed_letter(data_copy)
    for what, soup in every_page(client_on(data_copy)).items():
        footer = soup.find("footer", class_="site-footer")
        words = footer.select_one(".organizers").get_text()
        assert ("have not named themselves" in words or "이름을 밝히지 않았습니다" in words), what
        assert footer.find("a", href="mailto:organizers@example.org") is None
        hrefs = [a["href"] for a in footer.select(".footer-links a")]
        assert any(h.endswith("/privacy") for h in hrefs), what
        assert any(h.endswith("/about#sources") for h in hrefs), what


def test_the_letter_page_links_where_its_addresses_come_from(client: FlaskClient) -> None:
    link = page(client.get("/")).find(id="sources-link")
    assert link["href"] == "/en/about#sources"


def test_the_about_page_lists_every_recipient_once_with_its_public_links(
        client: FlaskClient) -> None:
    contacts = load_contacts(TEST_DATA / "contacts.yaml")
    soup = page(client.get("/about"))
    assert soup.find(id="sources").name == "h2"
    keys = [li["data-key"] for li in soup.select(".source-mission")]
    listed = [r.key for r in contacts.everyone] + [
        r.key for country in contacts.countries.values() for r in country.missions
        if r not in contacts.everyone]
    assert sorted(keys) == sorted(listed)  # under each country it serves (Madrid: Andorra too)
    assert set(keys) == set(contacts.recipients)
    rows = {li["data-key"]: li for li in soup.select(".source-mission")}
    for key, recipient in contacts.recipients.items():
        links = rows[key].select(".sources a")
        assert [a["href"] for a in links] == [c.url for c in recipient_citations(recipient)], key
        for a, cited in zip(links, recipient_citations(recipient), strict=True):
            assert a["rel"] == ["nofollow", "noopener", "noreferrer"]
            assert a.get_text() == str(CITATION_WORDS[cited.kind])
            assert a.find_next_sibling("span", class_="host").get_text() == cited.host
    fr = rows["fr-embassy"].select_one('.sources [data-kind="wikidata"] a')
    assert fr["href"] == "https://www.wikidata.org/wiki/Q1000002"
    ga = [a["href"] for a in rows["ga-embassy"].select(".sources a")]
    assert ga == ["https://en.wikipedia.org/wiki/List_of_diplomatic_missions_of_China"]
    geneva = rows["un-geneva"].select(".sources a")
    assert [(a.get_text(), a["href"]) for a in geneva] == [
        ("Official page", "https://www.example.org/un-geneva")]
    # a mission whose sources name no public page says so
    assert "No public page is linked for it yet." in rows["gh-embassy"].get_text()


def about_of(client: FlaskClient, query: str = "", language: str = "en") -> Any:
    """The /about page, asked with a query."""
    return client.get(f"/{language}/about{query}")


def test_the_readers_country_comes_first_and_only_once(client: FlaskClient) -> None:
    soup = page(about_of(client, "?country=us"))
    own = soup.find(id="own-country")
    assert own["data-country"] == "US"
    assert own.find("h3").get_text() == "Your country: United States"
    assert [li["data-key"] for li in own.select(".source-mission")] == [
        "us-embassy", "us-new-york", "us-chicago", "us-los-angeles", "us-san-francisco"]
    order = [tag["id"] for tag in soup.select("section.source-group")]
    assert order == ["own-country", "every-letter", "by-region"]
    assert soup.select('details.country[data-country="US"]') == []
    assert len(soup.select("details.country")) == len(load_contacts(
        TEST_DATA / "contacts.yaml").countries) - 1


def test_a_country_no_mission_serves_says_where_its_letters_go(client: FlaskClient) -> None:
    own = page(about_of(client, "?country=cn")).find(id="own-country")
    assert own["data-country"] == "CN" and own.select(".source-mission") == []
    assert "No Chinese mission serves it" in own.get_text()


@pytest.mark.parametrize("query", ["", "?country=", "?country=zz", "?country=other",
                                   "?country=%3Cb%3E", "?country=GB%0A", "?lang=ko&x=%3Cb%3E"])
def test_an_unknown_country_is_no_country_and_nothing_of_the_query_reaches_the_page(
        client: FlaskClient, query: str) -> None:
    plain = about_of(client)
    asked = about_of(client, query)
    if query == "?country=GB%0A":  # a known code with a stray line break: read as GB
        assert page(asked).find(id="own-country")["data-country"] == "GB"
        return
    assert asked.get_data() == plain.get_data()
    assert page(asked).find(id="own-country") is None


def test_the_page_is_shared_by_everyone_asking_for_the_same_country(
        client: FlaskClient) -> None:
    upper, lower = about_of(client, "?country=FR"), about_of(client, "?country=fr&src=x")
    assert upper.get_data() == lower.get_data()
    assert upper.headers["ETag"] == lower.headers["ETag"]
    assert upper.headers["Cache-Control"] == "public, max-age=60, stale-while-revalidate=60"
    assert "Set-Cookie" not in upper.headers
    again = client.get("/en/about?country=fr", headers={"If-None-Match": upper.headers["ETag"]})
    assert again.status_code == 304
    # the language versions keep the country, as read
    alternate = page(upper).select_one('.languages a[hreflang="ko"]')
    assert alternate["href"].endswith("/ko/about?country=FR")


def test_every_other_country_is_folded_under_its_continent_in_the_pages_language(
        client: FlaskClient) -> None:
    soup = page(about_of(client, language="ko"))
    regions = soup.select("#by-region > details.region")
    assert regions and all(not region.has_attr("open") for region in regions)
    names = [region.find("summary").find("span").get_text() for region in regions]
    assert names == [country_name(r["data-region"], Words("ko")) for r in regions]
    assert "아시아" in names and "유럽" in names
    for region in regions:
        for country in region.select("details.country"):
            assert continent_of(country["data-country"]) == region["data-region"]
            assert not country.has_attr("open")
    codes = {c["data-country"] for c in soup.select("details.country")}
    assert codes == set(load_contacts(TEST_DATA / "contacts.yaml").countries)


def test_the_letter_page_links_the_sources_of_the_chosen_country(client: FlaskClient) -> None:
    assert page(client.get("/?country=fr")).find(id="sources-link")["href"] == \
        "/en/about?country=FR#sources"


@pytest.mark.browser
def test_with_javascript_the_sources_link_follows_the_country_chosen(
        browser: Any, live_server: LiveServer) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    pg = context.new_page()
    pg.goto(live_server.url + "/")
    link = pg.locator("#sources-link")
    assert link.get_attribute("href") == "/en/about#sources"
    pg.select_option("#country", "JP")
    expect(link).to_have_attribute("href", "/en/about?country=JP#sources")
    pg.click("#letter-editor > summary")  # the recipients, with the link, are in the fold
    link.click()
    expect(pg.locator("#own-country h3")).to_have_text("Your country: Japan")
    context.close()


def test_the_privacy_page_states_what_the_code_keeps(client: FlaskClient) -> None:
    soup = page(client.get("/privacy"))
    keys = [li["data-key"] for li in soup.select("#count-keys > li")]
    columns = [column.name for column in counts.primary_key.columns]
    assert keys == columns  # every key of a count, and nothing else
    assert keys == ["letter", "country", "region", "channel", "src", "day", "kind"]
    assert set(DIMENSION_WORDS) == set(columns)
    assert set(counts.columns.keys()) == {*columns, "count"}  # a count holds just its number
    token = soup.find(id="token-fact")
    assert int(token["data-hours"]) * 3600 == TOKEN_MAX_AGE
    assert f"for {TOKEN_MAX_AGE // 3600} hours" in token.get_text()
    rate = soup.find(id="rate-fact")
    limit = client.application.extensions["campaign_settings"].count_limit
    assert f"at most {limit} counts in {WINDOW_SECONDS} seconds" in rate.get_text()
    assert [li["data-not"] for li in soup.select("#not-kept > li")] == [
        "names", "letters", "emails", "ip", "cookies"]
    assert "never who asked" in soup.select_one('[data-not="ip"]').get_text()
    assert "have not named themselves" in soup.find(id="privacy-contact").get_text()


def test_the_privacy_page_says_so_when_addresses_are_logged() -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "LOG_IP": True, "COUNT_LIMIT": 7})
    soup = page(app.test_client().get("/privacy"))
    assert "have chosen to write the IP address" in soup.select_one('[data-not="ip"]').get_text()
    assert "at most 7 counts" in soup.find(id="rate-fact").get_text()


def test_no_page_sets_a_cookie_as_the_privacy_page_says(named: FlaskClient) -> None:
    every_page(named)
    assert named.get_cookie("session") is None
    assert not list(named._cookies)  # type: ignore[attr-defined]


@pytest.mark.parametrize("language", [language.code for language in LANGUAGES])
def test_the_privacy_page_is_in_every_language(client: FlaskClient, language: str) -> None:
    response = client.get(f"/{language}/privacy")
    assert response.status_code == 200
    soup = page(response)
    assert soup.html["lang"] == next(x.tag for x in LANGUAGES if x.code == language)
    assert len(soup.select("#count-keys > li")) == len(counts.primary_key.columns)
    if language != "en":
        english = page(client.get("/en/privacy"))
        assert soup.h1.get_text() != english.h1.get_text()
        assert soup.find(id="token-fact").get_text() != english.find(id="token-fact").get_text()


def test_the_privacy_page_names_the_organizers_address(named: FlaskClient) -> None:
    contact = page(named.get("/privacy")).find(id="privacy-contact")
    assert contact.find("a")["href"] == "mailto:organizers@example.org"


def organizers_problems(block: str, tmp_path: Path) -> list[str]:
    """The problems of a small contacts.yaml with this organizers' block."""
    text = (f"{block}recipients:\n  un:\n    kind: un-mission\n    city: New York\n"
            "    email: un@example.org\n    source: a test\n    checked: 2099-01-01\n"
            "    status: confirmed\neveryone: [un]\ncountries: {}\n")
    _contacts, problems = parse_contacts(text, str(tmp_path / "contacts.yaml"))
    return [f"{p.line}: {'warning: ' if p.warning else ''}{p.message}" for p in problems]


def test_named_organizers_are_read_into_one_object(data_copy: Path) -> None:
    (data_copy / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    text = ORGANIZERS + "  logo: logo.svg\n" + (data_copy / "contacts.yaml").read_text()
    contacts, problems = parse_contacts(text, str(data_copy / "contacts.yaml"))
    assert contacts is not None and contacts.organizers is not None
    assert contacts.organizers.name == "Test Campaigners"
    assert contacts.organizers.link == "https://campaigners.example.org"
    assert contacts.organizers.email == contacts.report_to == "organizers@example.org"
    assert contacts.organizers.logo == (data_copy / "logo.svg").resolve()
    assert not any("organizers" in p.message for p in problems)


@pytest.mark.parametrize(("block", "expected"), [
    ("", "1: warning: the organizers have not named themselves yet"),
    ("organizers:\n  name: We\n  email: us@@example.org\n",
     "3: email 'us@@example.org' of 'organizers' is not valid"),
    ("organizers:\n  name: We\n", "1: 'organizers' has no 'email'; add one"),
    ("organizers:\n  email: us@example.org\n", "1: 'organizers' has no 'name'; add one"),
    ("organizers:\n  name: We\n  email: us@example.org\n  link: our.site\n",
     "4: link 'our.site' of 'organizers' must be a link starting with https://"),
    ("organizers:\n  name: We\n  email: us@example.org\n  logo: gone.png\n",
     "4: logo 'gone.png' is not there"),
    ("organizers:\n  name: We\n  email: us@example.org\n  logo: ../../etc/passwd.png\n",
     "4: logo '../../etc/passwd.png' must be a file in the folder of contacts.yaml"),
    ("organizers:\n  name: We\n  email: us@example.org\n  logo: notes.txt\n",
     "4: logo 'notes.txt' must be an image"),
    ("organizers:\n  name: We\n  email: us@example.org\n  phone: 123\n",
     "4: unknown key 'phone' in 'organizers'"),
    ("report_to: us@example.org\n", "1: report_to is now the organizers' email"),
])
def test_check_names_what_is_wrong_with_the_organizers_at_its_line(
        block: str, expected: str, tmp_path: Path) -> None:
    problems = organizers_problems(block, tmp_path)
    assert any(p.startswith(expected) for p in problems), problems


def test_campaign_check_warns_while_the_organizers_are_not_named() -> None:
    result = CliRunner().invoke(main, ["check"])  # the test data names none
    assert "contacts.yaml:1: warning: the organizers have not named themselves yet" \
        in result.output


def test_the_organizers_logo_is_served_and_shown(data_copy: Path) -> None:
    logo = io.BytesIO()
    Image.new("RGB", (80, 40), "navy").save(logo, format="PNG")
    (data_copy / "logo.png").write_bytes(logo.getvalue())
    with_organizers(data_copy, "  logo: logo.png\n")
    client = client_on(data_copy)
    img = page(client.get("/")).select_one("footer img.organizers-logo")
    response = client.get(img["src"])
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data == logo.getvalue()


def test_no_logo_is_a_404(client: FlaskClient) -> None:
    assert client.get("/organizers-logo").status_code == 404


def test_favicon_is_a_real_icon(client: FlaskClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    icon: Any = Image.open(io.BytesIO(response.data))
    assert icon.format == "ICO"
    assert {(16, 16), (32, 32), (48, 48)} <= set(icon.info["sizes"])
    assert icon.convert("RGB").getpixel((16, 4)) == (11, 87, 164)  # icon.svg's blue


def test_robots_txt_lets_crawlers_read_the_pages_only(client: FlaskClient) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "User-agent: *"
    assert {"Disallow: /count", "Disallow: /token", "Disallow: /healthz"} <= set(lines)
    assert "Disallow: /" not in lines


def test_the_thank_you_page_shows_no_lone_step_number(named: FlaskClient) -> None:
    pages = every_page(named)
    assert pages["thanks"].select("#share-title .num") == []
    assert pages["thanks"].find(id="share-title").get_text(strip=True) == \
        "Ask others to write too"
    assert pages["arrival"].select_one("#share-title .num").get_text() == "4"  # step 4 there


def development_client(data: Path, monkeypatch: pytest.MonkeyPatch) -> FlaskClient:
    """A client of the app as `make run` serves it (CAMPAIGN_ENV=development), on data."""
    monkeypatch.setenv("CAMPAIGN_ENV", "development")
    return client_on(data)


def test_development_without_organizers_says_example_campaign_on_every_page(
        data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with_closed_letter(data_copy)
    client = development_client(data_copy, monkeypatch)
    pages = {**every_page(client), "embed": page(client.get(f"/embed/{SLUG}")),
             "impact": page(client.get("/impact"))}
    for what, soup in pages.items():
        banner = soup.find(id="example-banner")
        assert banner is not None, what
        assert banner.get_text().strip().startswith(
            "예시 캠페인" if "Korean" in what else "Example campaign: organizers not named yet."
        ), what
    korean = page(client.get("/ko/")).find(id="example-banner").get_text()
    assert "Example campaign" not in korean and "예시" in korean


def test_named_organizers_or_production_show_no_example_banner(
        data_copy: Path, monkeypatch: pytest.MonkeyPatch, client: FlaskClient) -> None:
    assert page(client.get("/")).find(id="example-banner") is None  # production's rules
    with_organizers(data_copy)
    development = development_client(data_copy, monkeypatch)
    assert page(development.get("/")).find(id="example-banner") is None
