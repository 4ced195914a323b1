"""The safety note: where writing to China's Foreign Ministry may draw attention to the writer
(`caution: true` in contacts.yaml; the tests' data marks Hong Kong), the page says so before
the send buttons, in every language, with and without JavaScript, and stops no one."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from playwright.sync_api import expect
from support import LiveServer, form_values, links_of, page, valid

from campaign.i18n.languages import LANGUAGES

ENGLISH = "Where you live, writing to China's Foreign Ministry may draw attention to you."


def note(soup: BeautifulSoup) -> Any:
    """The page's safety note, which the page holds whether it shows it or not."""
    found = soup.find(id="caution")
    assert found is not None
    return found


def test_a_country_marked_for_caution_shows_the_note_before_the_send_buttons(
        client: FlaskClient) -> None:
    soup = page(client.get("/?country=HK"))
    shown = note(soup)
    assert not shown.has_attr("hidden")
    assert shown.find("strong").get_text() == ENGLISH
    assert len(shown.find_all("li")) == 4
    send = soup.find(id="send")
    assert shown in send.descendants
    order = [tag.get("id") for tag in send.find_all(True) if tag.get("id")]
    assert order.index("caution") < order.index("send-ready")


@pytest.mark.parametrize("query", ["", "?country=GB", "?country=other", "?country=US&region=NY"])
def test_other_places_keep_the_note_hidden(client: FlaskClient, query: str) -> None:
    assert note(page(client.get("/" + query))).has_attr("hidden")


@pytest.mark.parametrize("language", [language.code for language in LANGUAGES])
def test_the_note_is_in_every_language(client: FlaskClient, language: str) -> None:
    shown = note(page(client.get(f"/{language}/?country=HK")))
    text = shown.get_text(" ", strip=True)
    assert text
    if language != "en":
        assert ENGLISH not in text


def test_the_note_stops_no_one_without_javascript(client: FlaskClient) -> None:
    arrival = page(client.get("/?country=HK"))
    response = client.post("/", data={**form_values(arrival), **valid(country="HK")})
    soup = page(response)
    assert not note(soup).has_attr("hidden")
    assert not soup.find(id="send-ready").has_attr("hidden")  # the letter is ready to send
    assert links_of(client, response)["mailto"].startswith("mailto:")


@pytest.mark.browser
def test_the_note_appears_when_such_a_country_is_chosen(browser: Any,
                                                         live_server: LiveServer) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    pg = context.new_page()
    pg.goto(live_server.url + "/")
    expect(pg.locator("#caution")).to_be_hidden()
    pg.select_option("#country", "HK")
    expect(pg.locator("#caution")).to_be_visible()
    expect(pg.locator("#caution strong")).to_have_text(ENGLISH)
    pg.fill("#name", "A. L.")
    pg.fill("#city", "Kowloon")
    expect(pg.locator("#send-ready")).to_be_visible()  # nothing is blocked
    pg.select_option("#country", "GB")
    expect(pg.locator("#caution")).to_be_hidden()
    context.close()
