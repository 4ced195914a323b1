"""Sharing: preview tags, cards, share links, the X post, QR codes, the flyer, `campaign link`."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import zxingcpp
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from support import TEST_DATA, LiveServer, page

from campaign import create_app
from campaign.data.letterfiles import load_letters
from campaign.data.posts import X_LIMIT, x_length
from campaign.media import cards

SITE = "https://letters.example.org"
CARD = f"{SITE}/en/stop-forced-repatriation/card.png"  # the card in the page's language


@pytest.fixture
def app() -> Flask:
    # The test client asks for the site by its public name: any other host is refused.
    return create_app({"TESTING": True, "SECRET_KEY": "test", "PUBLIC_URL": SITE,
                       "SERVER_NAME": "letters.example.org", "PREFERRED_URL_SCHEME": "https"})


def meta(soup: Any) -> dict[str, str]:
    tags = {}
    for tag in soup.find_all("meta"):
        key = tag.get("property") or tag.get("name")
        if key:
            tags[key] = tag.get("content")
    return tags


@pytest.mark.parametrize("path", ["/", "/?country=KR", "/?country=kr&src=kakao",
                                  "/?country=%3Cscript%3E&src=%3Cb%3E"])
def test_every_campaign_page_carries_preview_tags(client: FlaskClient, path: str) -> None:
    soup = page(client.get(path))
    tags = meta(soup)
    assert tags["og:title"] == "Stop the forced repatriation of North Korean refugees"
    assert tags["og:description"].startswith("North Korean refugees detained in China")
    assert tags["og:url"] == f"{SITE}/en/"
    assert tags["og:type"] == "website"
    assert tags["og:image"] == CARD
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["twitter:image"] == CARD
    # X falls back to og:title and og:description: the page does not say them twice
    assert "twitter:title" not in tags and "twitter:description" not in tags
    # the page at an address without a language follows the browser's: it is its own
    # canonical address (hreflang's x-default), never another language's page
    assert soup.find("link", rel="canonical")["href"] == f"{SITE}/"
    assert "<script>" not in str(soup.head) and "<b>" not in str(soup.head)


def test_a_letter_page_is_its_own_canonical_link(client: FlaskClient) -> None:
    tags = meta(page(client.get("/stop-forced-repatriation/")))
    assert tags["og:url"] == f"{SITE}/en/"  # the default letter's canonical link is the root


def test_the_card_is_a_1200_by_630_png(client: FlaskClient) -> None:
    response = client.get("/stop-forced-repatriation/card.png")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert "max-age" in response.headers["Cache-Control"]
    image = Image.open(io.BytesIO(response.data))
    assert (image.format, image.size) == ("PNG", (1200, 630))
    colours = image.convert("L").getcolors(maxcolors=256 * 256) or []
    assert len(colours) > 2  # text was drawn on it


def ink(png: bytes, top: int, bottom: int) -> tuple[int, int]:
    """The leftmost and rightmost columns drawn on between two rows of a card."""
    image = Image.open(io.BytesIO(png)).convert("RGB").crop((0, top, cards.WIDTH, bottom))
    background = image.getpixel((0, 0))
    columns = [x for x in range(image.width)
               if any(image.getpixel((x, y)) != background for y in range(0, image.height, 2))]
    return columns[0], columns[-1]


def test_a_card_starts_each_text_at_the_margin_its_direction_starts_at(
        client: FlaskClient) -> None:
    # An Arabic page's card: the (English) letter from the left, the Arabic footer from the right.
    png = client.get("/ar/stop-forced-repatriation/card.png").data
    title_left, title_right = ink(png, 0, cards.BAND)
    footer_left, footer_right = ink(png, cards.BAND, cards.HEIGHT)
    assert abs(title_left - cards.MARGIN) < 12 < cards.WIDTH - cards.MARGIN - title_right
    assert abs(footer_right - (cards.WIDTH - cards.MARGIN)) < 12 < footer_left - cards.MARGIN
    # Arabic text drawn right to left hugs the right margin.
    rtl = cards.draw_card("أوقفوا الإعادة القسرية", "نص قصير", "اكتب رسالة", "ar", "rtl", "rtl")
    left, right = ink(rtl, 0, cards.BAND)
    assert abs(right - (cards.WIDTH - cards.MARGIN)) < 12 < left - cards.MARGIN


@pytest.mark.parametrize(("path", "status"), [
    ("/stop-forced-repatriation/card.png?size=9999", 400),
    ("/no-such-letter/card.png", 404),
])
def test_the_card_refuses_anything_unknown(client: FlaskClient, path: str, status: int) -> None:
    assert client.get(path).status_code == status


def share_hrefs(client: FlaskClient, path: str = "/") -> dict[str, str]:
    soup = page(client.get(path))
    return {a["data-channel"]: a["href"]
            for a in soup.select(".share-buttons li:not(.mission-post) a")}


def query(href: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}


def test_share_links_decode_to_the_intended_text(app: Flask, client: FlaskClient) -> None:
    letter = app.extensions["campaign_data"].data.letters.default
    links = share_hrefs(client)
    assert set(links) == {"x", "facebook", "whatsapp", "telegram", "line", "email"}
    x = query(links["x"])
    assert links["x"].startswith("https://twitter.com/intent/tweet?")
    assert x == {"text": letter.post_short, "url": f"{SITE}/en/?src=x"}
    assert x_length(x["text"]) <= X_LIMIT
    assert "@MFA_China" in x["text"]
    assert query(links["facebook"]) == {"u": f"{SITE}/en/?src=facebook"}
    assert query(links["whatsapp"])["text"].endswith(f" {SITE}/en/?src=whatsapp")
    assert query(links["telegram"])["url"] == f"{SITE}/en/?src=telegram"
    assert query(links["line"]) == {"url": f"{SITE}/en/?src=line"}
    email = query(links["email"])
    assert email["subject"] == letter.title
    assert email["body"].endswith(f"\r\n\r\n{SITE}/en/?src=email")


def test_share_links_open_in_a_new_tab_and_load_nothing(client: FlaskClient) -> None:
    soup = page(client.get("/"))
    for a in soup.select(".share-buttons a"):
        if a["data-channel"] != "email":
            assert a["target"] == "_blank" and "noopener" in a["rel"]
    share = soup.find(id="share")
    assert not share.find_all(["img", "iframe", "script"])


def test_the_full_post_is_offered_with_a_copy_button(app: Flask, client: FlaskClient) -> None:
    letter = app.extensions["campaign_data"].data.letters.default
    soup = page(client.get("/"))
    assert soup.find(id="share-full-post").get_text().strip() == letter.post
    assert soup.select_one('button[data-copy="share-full-post"]')
    assert x_length(letter.post) > X_LIMIT  # which is why X gets the short one


def test_every_letters_x_post_fits(app: Flask) -> None:
    for letter in app.extensions["campaign_data"].data.letters.by_slug.values():
        assert letter.post_short is not None
        assert x_length(letter.post_short) <= X_LIMIT


@pytest.mark.parametrize(("text", "with_link", "expected"), [
    ("", False, 0),
    ("Hello, world", False, 12),
    ("Hello, world", True, 12 + 24),
    ("a" * 256, True, 280),
    ("北朝鮮の難民", False, 12),  # CJK counts double
    ("북한 난민", False, 9),  # Hangul too; the space counts one
    ("See https://example.org/a/very/long/path/that/goes/on?and=on", False, 4 + 23),
    ("see example.org now", False, 8 + 23),
    ("Café", False, 4),  # NFC: é is one character
    ("Cafe\u0301", False, 4),
    ("😀", False, 2),
    ("\u10ff\u1100", False, 1 + 2),  # each end of a range of light characters
    ("\u2000\u200d\u200e\u2010\u201f\u2032\u2037\u2038", False, 6 * 1 + 2 * 2),
])
def test_x_counts_like_x(text: str, with_link: bool, expected: int) -> None:
    assert x_length(text, with_link) == expected


def decode_qr(png: bytes) -> str:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(results) == 1
    return str(results[0].text)


def test_qr_png_decodes_to_the_country_link(client: FlaskClient) -> None:
    response = client.get("/qr.png?country=kr")
    assert response.mimetype == "image/png"
    assert decode_qr(response.data) == f"{SITE}/?country=KR&src=qr"


def test_qr_svg_is_an_svg_of_the_same_link(client: FlaskClient) -> None:
    response = client.get("/qr.svg?country=GB&src=event")
    assert response.mimetype == "image/svg+xml"
    assert response.data.lstrip().startswith(b"<svg")
    png = client.get("/qr.png?country=GB&src=event").data
    assert decode_qr(png) == f"{SITE}/?country=GB&src=event"


@pytest.mark.parametrize(("query_string", "status"), [
    ("?size=1000", 400),
    ("?country=ZZ", 400),
    ("?country=%3Cscript%3E", 400),
    ("?src=a%40b.org", 400),
    ("?letter=nope", 404),
])
def test_qr_refuses_unknown_parameters(client: FlaskClient, query_string: str,
                                       status: int) -> None:
    assert client.get("/qr.svg" + query_string).status_code == status
    assert client.get("/qr.png" + query_string).status_code == status


def test_the_flyer_shows_title_why_qr_and_short_link(client: FlaskClient) -> None:
    soup = page(client.get("/stop-forced-repatriation/flyer?country=KR"))
    assert soup.h1.get_text() == "Stop the forced repatriation of North Korean refugees"
    assert soup.select_one(".why").get_text().startswith("North Korean refugees")
    qr = soup.select_one("img.qr")
    assert qr["src"] == "/qr.svg?letter=stop-forced-repatriation&country=KR&src=flyer&lang=en"
    assert soup.select_one(".url").get_text() == "letters.example.org"
    assert client.get("/no-such-letter/flyer").status_code == 404


def test_a_korean_flyer_brings_a_font_of_its_characters_and_an_english_one_none(
        client: FlaskClient) -> None:
    assert page(client.get("/stop-forced-repatriation/flyer")).select(
        'link[href*="flyer-font"]') == []
    assert client.get("/stop-forced-repatriation/flyer-font.woff2").status_code == 404
    link = page(client.get("/ko/stop-forced-repatriation/flyer")).select_one(
        'link[href*="flyer-font"]')
    assert link["href"] == "/ko/stop-forced-repatriation/flyer-font.css"
    css = client.get(link["href"]).get_data(as_text=True)
    font = client.get("/ko/stop-forced-repatriation/flyer-font.woff2")
    assert 'url("/ko/stop-forced-repatriation/flyer-font.woff2")' in css
    assert font.status_code == 200 and font.mimetype == "font/woff2"
    assert font.data.startswith(b"wOF2")


def test_a_known_src_is_kept_for_counting_and_an_unknown_one_dropped(
        client: FlaskClient) -> None:
    assert page(client.get("/?src=kakao")).find(id="src")["value"] == "kakao"
    assert page(client.get("/?src=%3Cb%3E")).find(id="src")["value"] == ""
    assert page(client.get("/?src=fair")).find(id="src")["value"] == "fair"
    assert page(client.get("/?src=ada%40example.org")).find(id="src")["value"] == ""


def test_campaign_link_prints_the_link_and_writes_its_qr(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from campaign.cli.main import main

    monkeypatch.setenv("CAMPAIGN_PUBLIC_URL", SITE)
    for name in ("kr.png", "kr.svg"):
        result = CliRunner().invoke(main, ["link", "--country", "kr", "--src", "kakao", "--qr",
                                           str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        assert result.stdout.strip() == f"{SITE}/?country=KR&src=kakao"
    assert decode_qr((tmp_path / "kr.png").read_bytes()) == f"{SITE}/?country=KR&src=kakao"
    assert (tmp_path / "kr.svg").read_bytes().lstrip().startswith(b"<svg")
    bad = CliRunner().invoke(main, ["link", "--src", "my space"])
    assert bad.exit_code == 2


@pytest.mark.parametrize("src", ["fair", "poster-b", "x", "church3"])
def test_campaign_link_takes_the_organizers_own_sources(src: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from campaign.cli.main import main

    monkeypatch.setenv("CAMPAIGN_PUBLIC_URL", SITE)
    result = CliRunner().invoke(main, ["link", "--src", src])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{SITE}/?src={src}"


@pytest.mark.parametrize(("src", "why"), [
    ("ada@example.org", "no @"), ("Fair", "lower-case"), ("my fair", "no spaces"),
    ("0612345678", "starting with a letter"), ("tel0612345678", "long run of digits"),
    ("a-very-long-source-name", "longer than 16"),
])
def test_campaign_link_refuses_sources_that_could_name_a_person(src: str, why: str) -> None:
    from click.testing import CliRunner

    from campaign.cli.main import main

    result = CliRunner().invoke(main, ["link", "--src", src])
    assert result.exit_code == 2
    assert why in result.output



LONG = ("Stop the forced repatriation of North Korean refugees detained in China before it is "
        "too late for them and their families")


@pytest.mark.parametrize("language", ["en", "ko", "ja", "zh-hans"])
@pytest.mark.parametrize("long_title", [False, True])
def test_a_cards_title_and_description_end_above_its_footer_band(language: str,
                                                                  long_title: bool) -> None:
    letter = load_letters(TEST_DATA / "letters").default.in_language(language)
    assert letter.language == language
    lines = cards.layout(LONG if long_title else letter.title, letter.description, language)
    title = [line.text for line in lines if line.title]
    description = [line.text for line in lines if not line.title]
    assert title and description
    assert max(line.bottom for line in lines) < cards.BAND
    if not long_title:  # the shipped texts are drawn whole
        joiner = " " if language == "en" else ""
        assert joiner.join(title).replace(" ", "") == letter.title.replace(" ", "")


@pytest.mark.browser
@pytest.mark.parametrize("language", ["ko", "ja", "zh-hans"])
def test_share_links_carry_their_words_as_themselves_and_go_where_encoded_ones_go(
        browser: Any, language: str) -> None:
    """A share link's words beyond ASCII are in the page as themselves (a third or a ninth of
    their percent-encoded bytes), and the browser follows it to the very address the fully
    encoded link names."""
    from campaign.compose.sendlinks import encode

    context = browser.new_context()
    pg = context.new_page()
    with LiveServer(create_app({"TESTING": True, "SECRET_KEY": "t"})) as live:
        pg.goto(f"{live.url}/{language}/")
        links = pg.eval_on_selector_all(
            "#share a[href^='https://twitter.com'], #share a[href^='https://wa.me'],"
            " #share a[href^='https://t.me'], #share a[href^='mailto:']",
            "links => links.map(a => [a.getAttribute('href'), a.href])")
        context.close()
    assert len(links) >= 4  # the general post on X, WhatsApp, Telegram, email (and missions')
    for written, followed in links:
        assert any(ord(char) > 127 for char in written)  # the words as themselves
        query = urlsplit(written).query
        encoded = "&".join(
            f"{key}={encode(value)}" for key, value in
            ((part.split("=", 1)[0], parse_qs(part)[part.split("=", 1)[0]][0])
             for part in query.split("&")))
        assert followed == written.split("?")[0] + "?" + encoded
