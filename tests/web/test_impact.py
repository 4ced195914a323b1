"""The impact view on real counts: the threshold, every language, its charts as images of
their own, the links to it, `campaign stats --chart`, and the map's shading in Chromium."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from babel import Locale
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from support import LiveServer, form_values, page, post_letter, valid
from support.counts import LETTER, LETTERS, send
from support.pseudo import PSEUDO, pseudo_translations, untranslated
from support.svg import external_references, shaded

from campaign import create_app
from campaign.cli.main import main
from campaign.counting.storage import ACTION, Counter, counts
from campaign.i18n.languages import LANGUAGES
from campaign.media.charts import SHADES
from campaign.web.impact import SVG_POLICY


def app_on(url: str, **settings: Any) -> Flask:
    """The app counting into `url`, its counter's totals never cached."""
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": url, **settings})
    app.extensions["campaign_counter"].cache_seconds = 0
    return app


@pytest.fixture
def counted(counts_database: str) -> Flask:
    """The app on SQLite, with LETTERS counted."""
    counter = Counter(counts_database)
    for country, letters in LETTERS.items():
        send(counter, country, letters)
    return app_on(counts_database)


@pytest.fixture
def on_each_database(database_url: str) -> Iterator[tuple[Counter, Flask]]:
    """A counter and the app on SQLite, then on PostgreSQL; closed before the database goes."""
    counter, app = Counter(database_url), app_on(database_url)
    yield counter, app
    counter.dispose()
    app.extensions["campaign_counter"].dispose()


def rows(response: Any) -> list[tuple[str, str]]:
    """The country table of the impact page: (country, letters) per row."""
    return [(row.th.get_text(strip=True), row.td.get_text(strip=True))
            for row in page(response).select("#countries tbody tr")]


def test_a_country_below_the_threshold_is_counted_in_other_countries(
        on_each_database: tuple[Counter, Flask]) -> None:
    counter, app = on_each_database
    for country, letters in LETTERS.items():
        send(counter, country, letters)
    client = app.test_client()
    response = client.get("/en/impact")
    assert response.status_code == 200
    assert rows(response) == [("South Korea", "6"), ("United States", "5"),
                              ("Other countries", "6")]
    assert "Germany" not in response.get_data(as_text=True)
    assert shaded(client.get("/en/impact/map.svg").data) == {"KR": "color-0", "US": "color-0"}


def test_the_threshold_is_a_setting(counts_database: str) -> None:
    counter = Counter(counts_database)
    for country, letters in LETTERS.items():
        send(counter, country, letters)
    client = app_on(counts_database, IMPACT_MIN=6).test_client()
    assert rows(client.get("/en/impact")) == [("South Korea", "6"), ("Other countries", "11")]
    assert set(shaded(client.get("/en/impact/map.svg").data)) == {"KR"}
    hint = page(client.get("/en/impact")).find("p", class_="hint").get_text()
    assert "fewer than 6 letters" in hint


def test_a_day_below_the_threshold_is_not_shown(counts_database: str) -> None:
    send(Counter(counts_database), "KR", 3)
    soup = page(app_on(counts_database).test_client().get("/en/impact"))
    days = soup.select(".impact details table tbody tr")
    assert len(days) == 30
    assert days[0].td.get_text(strip=True) == "fewer than 5"  # today, newest first
    assert {row.td.get_text(strip=True) for row in days[1:]} == {"0"}
    assert rows(page_response := app_on(counts_database).test_client().get("/en/impact")) == [
        ("Other countries", "3")]
    assert "South Korea" not in page_response.get_data(as_text=True)


def test_new_letters_show_at_once(counted: Flask, counts_database: str) -> None:
    client = counted.test_client()
    assert rows(client.get("/en/impact"))[0] == ("South Korea", "6")
    send(Counter(counts_database), "KR", 1)
    assert rows(client.get("/en/impact"))[0] == ("South Korea", "7")


@pytest.mark.parametrize("language", LANGUAGES, ids=[lang.code for lang in LANGUAGES])
def test_the_impact_view_in_every_language(counted: Flask, language: Any) -> None:
    client = counted.test_client()
    response = client.get(f"/{language.code}/impact")
    assert response.status_code == 200
    soup = page(response)
    assert soup.html["lang"] == language.tag
    names = Locale.parse(language.locale).territories
    assert [name for name, _n in rows(response)[:2]] == [names["KR"], names["US"]]
    images = [img["src"] for img in soup.select("img.chart")]
    narrow = [source["srcset"] for source in soup.select("picture source")]
    assert len(images) == 2 and len(narrow) == 1
    for src in [*images, *narrow]:
        assert src.startswith(f"/{language.code}/impact/")
        chart = client.get(src)
        assert chart.status_code == 200 and chart.mimetype == "image/svg+xml"
        assert chart.headers["Content-Security-Policy"] == SVG_POLICY
        ElementTree.fromstring(chart.data)
        assert external_references(chart.data) == []
    assert all(img["alt"] for img in soup.select("img.chart"))


def test_every_word_of_the_impact_view_is_translated(counted: Flask) -> None:
    counted.extensions["campaign_data"].data.catalogs[PSEUDO] = pseudo_translations()
    html = counted.test_client().get(f"/{PSEUDO}/impact").get_data(as_text=True)
    assert untranslated(html) == []
    assert "⟦Other countries⟧" in html and "⟦%(low)s to %(high)s letters⟧" not in html


def test_a_fresh_campaign_has_an_impact_view(client: FlaskClient) -> None:
    response = client.get("/en/impact")
    assert response.status_code == 200 and rows(response) == []
    assert "No letter has been counted yet." in response.get_data(as_text=True)
    assert page(response).find("a", class_="skip").get_text() == "Skip to the numbers"
    days = client.get("/en/impact/days.svg").data
    assert b"No day has had enough letters to be shown yet." in days


def test_the_letter_page_and_the_thank_you_page_link_to_it(counted: Flask) -> None:
    client = counted.test_client()
    totals = page(client.get("/ko/")).find(id="totals")
    assert totals.a["href"] == "/ko/impact"
    thanks = client.post(f"/{LETTER}/sent", data=form_values(page(post_letter(
        client, "/", **valid()))))
    assert page(thanks).find(id="totals").a["href"] == "/en/impact"
    assert page(client.get("/en/impact")).find(id="totals").a is None  # not to itself


def test_stats_chart_draws_the_same_charts_for_a_report(counted: Flask, runner: CliRunner,
                                                        tmp_path: Path) -> None:
    target = tmp_path / "report.svg"
    result = runner.invoke(main, ["stats", "--chart", str(target)])
    assert result.exit_code == 0, result.output
    assert "KR" in result.output  # the table as ever: organizers see every number there
    svg = target.read_bytes()
    root = ElementTree.fromstring(svg)
    assert root.find("{http://www.w3.org/2000/svg}title").text == "Letters sent, at a glance"
    charts = root.findall("{http://www.w3.org/2000/svg}svg")
    assert len(charts) == 2
    assert shaded(ElementTree.tostring(charts[0])) == {"KR": "color-0", "US": "color-0"}
    assert external_references(svg) == []


def test_stats_chart_since_a_day_draws_only_what_came_since(
        counts_database: str, runner: CliRunner, tmp_path: Path) -> None:
    counter = Counter(counts_database)
    send(counter, "US", 5)
    long_ago = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=40)
    with counter.engine.begin() as connection:  # letters counted 40 days ago
        connection.execute(counts.insert().values(
            letter=LETTER, country="KR", region="", channel="mailto", src="", day=long_ago,
            kind=ACTION, count=9))
    drawn = {}
    for since in (None, dt.datetime.now(dt.UTC).date()):
        target = tmp_path / f"{since}.svg"
        args = ["stats", "--chart", str(target)] + (["--since", str(since)] if since else [])
        assert runner.invoke(main, args).exit_code == 0
        maps = ElementTree.fromstring(target.read_bytes()).findall(
            "{http://www.w3.org/2000/svg}svg")
        drawn[since] = set(shaded(ElementTree.tostring(maps[0])))
    assert drawn == {None: {"KR", "US"}, dt.datetime.now(dt.UTC).date(): {"US"}}


def test_stats_chart_takes_only_an_svg_file(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["stats", "--chart", str(tmp_path / "report.png")])
    assert result.exit_code == 2 and "name the file .svg" in result.output


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844},
                                      {"width": 1280, "height": 900}])
def test_the_map_shows_its_shading_in_chromium(browser: Any, counted: Flask,
                                               viewport: dict[str, int]) -> None:
    with LiveServer(counted) as server:
        pg = browser.new_page(viewport=viewport)
        refused: list[str] = []
        pg.on("console", lambda message: refused.append(message.text))
        pg.goto(server.url + "/en/impact")
        pg.wait_for_load_state("networkidle")
        assert pg.evaluate("Array.from(document.images).every(i => i.naturalWidth > 0)")
        picture = Image.open(io.BytesIO(pg.locator("img.chart").first.screenshot()))
        pg.close()
    assert refused == []
    shade = bytes(int(SHADES[0][i:i + 2], 16) for i in (1, 3, 5))
    rgb = picture.convert("RGB").tobytes()
    pixels = [rgb[i:i + 3] for i in range(0, len(rgb), 3)]
    assert sum(1 for pixel in pixels if _near(pixel, shade)) > 50  # the US, at least


def _near(pixel: bytes, colour: bytes) -> bool:
    return all(abs(a - b) <= 6 for a, b in zip(pixel, colour, strict=True))
