"""The letter on paper, as the server gives it: the print page (the same for everyone, filled by
post.js), the letter posted without JavaScript, the blank letters for events, and the count."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import support
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from support import client_on, form_values, page, post_letter, second_letter, valid

from campaign.compose.postal import COPIES, letter_date
from campaign.web.scriptdata import POST_STORAGE_KEY

SLUG = "stop-forced-repatriation"
POST = f"/{SLUG}/post"
BLANK = f"/{SLUG}/post/blank"
MINISTRY = ["H.E. Wang Yi, Minister of Foreign Affairs", "Ministry of Foreign Affairs (test data)",
            "2 Example Street, Chaoyang District", "Beijing 100701", "CHINA"]
EMBASSY = ["Chinese Embassy, United States", "3505 Example Place NW", "Washington, DC 20008",
           "USA"]


def addresses(soup: BeautifulSoup) -> list[list[str]]:
    """Each sheet's address, line by line."""
    return [[line.get_text() for line in block.select(".line")]
            for block in soup.select(".sheet address.recipient")]


def paper(soup: BeautifulSoup) -> str:
    """The paper the page prints on unless the supporter switches."""
    return str(soup.select_one("input[name=paper][checked]")["value"])


def ready_values(client: FlaskClient, **fields: Any) -> dict[str, Any]:
    """The letter form as a page ready to send it posts it, with its own count token."""
    ready = post_letter(client, "/", **valid(**fields))
    assert ready.status_code == 200
    values = form_values(page(ready))
    assert values["count_token"]
    return values


def counted(client: FlaskClient) -> list[tuple[str, int, int]]:
    counter = client.application.extensions["campaign_counter"]
    counter.cache_seconds = 0
    rows: list[tuple[str, int, int]] = counter.table("channel")
    return rows


def test_the_print_page_is_the_same_for_everyone_and_cached(client: FlaskClient) -> None:
    first = client.get(POST + "?country=US&region=DC")
    second = client.get(POST + "?country=us&region=DC", headers={"Cookie": "a=b"})
    assert first.status_code == 200 and first.data == second.data
    assert first.headers["Cache-Control"].startswith("public, max-age=")
    assert "Set-Cookie" not in first.headers
    again = client.get(POST + "?country=US&region=DC",
                       headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_the_print_page_has_a_sheet_for_the_minister_and_one_for_the_embassy(
        client: FlaskClient) -> None:
    soup = page(client.get(POST + "?country=US&region=DC"))
    assert addresses(soup) == [MINISTRY, EMBASSY]
    assert [s["data-recipient"] for s in soup.select(".sheet")] == ["minister", "us-embassy"]
    # Until post.js fills it in, each sheet is the blank letter in the page's language.
    text = soup.select_one(".letter-text").get_text()
    assert text.startswith("Dear Minister Wang Yi,") and "Sincerely," in text
    assert len(soup.select(".sheet .letter-text .blank")) == 4
    assert soup.select_one("#post-unfilled") is not None


def test_the_print_page_gives_its_script_the_dates_and_where_the_letter_waits(
        client: FlaskClient) -> None:
    soup = page(client.get("/ko" + POST + "?country=KR"))
    data = json.loads(soup.select_one("#post-data").string)
    assert data["key"] == POST_STORAGE_KEY and data["letter"] == SLUG
    today = dt.date.today()
    assert set(data["languages"]) == {"en", "ko", "ja", "zh-hans"}
    assert data["languages"]["ko"]["dates"][today.isoformat()] == letter_date(today, "ko")
    assert len(data["languages"]["en"]["dates"]) == 3  # the device's day decides
    assert data["languages"]["en"]["direction"] == "ltr"


@pytest.mark.parametrize(("path", "expected"), [
    ("/en" + POST + "?country=US", "letter"), ("/en" + POST + "?country=CA", "letter"),
    ("/en" + POST + "?country=GB", "a4"), ("/ko" + POST + "?country=KR", "a4"),
    ("/en" + POST, "letter"),  # no country: the page's language's likeliest (the US)
    ("/de" + POST, "a4"), ("/fr" + BLANK + "?country=CA", "letter"),
])
def test_the_paper_follows_the_supporters_country(client: FlaskClient, path: str,
                                                   expected: str) -> None:
    soup = page(client.get(path))
    assert paper(soup) == expected
    assert {radio["value"] for radio in soup.select("input[name=paper]")} == {"a4", "letter"}


def test_a_place_without_a_postal_address_prints_for_the_minister_alone(
        client: FlaskClient) -> None:
    for query in ("?country=KR", "?country=other", "", "?country=ZZ"):
        assert addresses(page(client.get(POST + query))) == [MINISTRY], query


def test_without_javascript_the_posted_letter_is_printed_with_its_sender_and_date(
        client: FlaskClient) -> None:
    values = ready_values(client, country="US", region="DC", own_words="Please act now.")
    values["letter"] = values["letter"].replace("I am writing", "I write")  # an edit is kept
    response = client.post(POST, data=values)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    soup = page(response)
    assert addresses(soup) == [MINISTRY, EMBASSY]
    for sheet in soup.select(".sheet"):
        text = sheet.select_one(".letter-text").get_text()
        assert "I write to express" in text and "Please act now." in text
        assert text.endswith("Sincerely,\nAda Lovelace\nLondon")
        assert sheet.select_one(".sender-text").get_text() == "Ada Lovelace\nLondon"
        assert sheet.select_one(".date").get_text() == letter_date(dt.date.today(), "en")
        assert not sheet.select(".blank")
    assert soup.select_one("#post-data") is None and soup.select_one("#post-unfilled") is None


def test_without_javascript_the_letter_is_printed_in_its_own_language(
        client: FlaskClient) -> None:
    values = ready_values(client, country="KR", letter_language="ko")
    values.update(letter_language="ko", reset="1")  # the organizers' letter, in Korean
    soup = page(client.post("/en" + POST, data=values))
    sheet = soup.select_one(".sheet")
    assert sheet["lang"] == "ko" and sheet["dir"] == "ltr"
    assert sheet.select_one(".letter-text").get_text().startswith("왕이 외교부장님께")
    assert sheet.select_one(".date").get_text() == letter_date(dt.date.today(), "ko")
    assert soup.select_one("h1").get_text() == "Your letter, ready to post"  # the page's words


def test_a_send_by_post_is_counted_once_per_page(client: FlaskClient) -> None:
    values = ready_values(client, country="US", region="DC")
    assert client.post(POST, data=values).status_code == 200
    assert client.post(POST, data=values).status_code == 200  # printed again: the same page
    assert client.post(f"/{SLUG}/go/mailto", data=values).status_code == 200
    assert counted(client) == [("post", 1, 0)]


def test_a_post_without_the_pages_token_prints_but_counts_nothing(client: FlaskClient) -> None:
    values = ready_values(client, country="GB")
    values["count_token"] = ""
    assert client.post(POST, data=values).status_code == 200
    assert counted(client) == []


def test_a_letter_not_ready_is_shown_again_saying_why(client: FlaskClient) -> None:
    values = ready_values(client, country="GB")
    values["name"] = ""
    response = client.post(POST, data=values)
    soup = page(response)
    assert response.status_code == 200 and soup.select_one("#letter-form") is not None
    assert not soup.select_one("#name-error").has_attr("hidden")
    assert soup.select(".sheet") == [] and counted(client) == []


def test_the_letter_page_offers_the_post_with_and_without_javascript(
        client: FlaskClient) -> None:
    soup = page(post_letter(client, "/", **valid(country="US", region="NY")))
    link = soup.select_one("#send-post")
    assert link["href"] == "/en" + POST + "?country=US&region=NY"
    assert "js-only" in link["class"]
    button = soup.select_one("#send-post-box button.no-js-only")
    assert button["formaction"] == "/en" + POST and button["form"] == "letter-form"


def test_a_partners_frame_offers_no_post(client: FlaskClient) -> None:
    soup = page(client.get(f"/embed/{SLUG}?country=US"))
    assert soup.select_one("#letter-form") is not None and soup.select_one("#send-post") is None


def test_where_no_email_reaches_the_missions_the_letter_goes_by_post(data_copy: Any) -> None:
    support.without_un_email(data_copy)  # Gabon's embassy publishes no email, nor (then) the UN
    client = client_on(data_copy)
    response = post_letter(client, "/", **valid(country="GA"))
    soup = page(response)
    # Ready to send, with no error to fix: the post is offered, and no mail link is built.
    assert soup.select_one(".alert") is None
    assert soup.select_one("#recipients-error").has_attr("hidden")
    ready = soup.select_one("#send-ready")
    assert not ready.has_attr("hidden") and ready["class"] == ["no-email"]
    assert soup.select_one("#no-email") in ready.select(".no-email-only")
    assert set(support.links_of(client, response).values()) == {""}
    assert ready.select_one(".send-buttons")["class"] == ["send-buttons", "email-only"]
    assert soup.select_one("#send-post")["href"] == "/en" + POST + "?country=GA"
    values = form_values(soup)
    # An email send cannot go anywhere: the page is shown again, and nothing is counted.
    again = page(client.post(f"/{SLUG}/go/mailto", data=values))
    assert again.select_one("#letter-form") is not None and counted(client) == []
    printed = page(client.post(POST, data=values))
    assert addresses(printed) == [MINISTRY]
    assert "Ada Lovelace" in printed.select_one(".sheet .letter-text").get_text()
    assert counted(client) == [("post", 1, 0)]


def test_a_place_reached_by_email_shows_the_email_first(client: FlaskClient) -> None:
    soup = page(post_letter(client, "/", **valid(country="GA")))
    ready = soup.select_one("#send-ready")
    assert not ready.has_attr("hidden") and not ready.has_attr("class")
    assert soup.select_one("#send-post") is not None


def test_a_partners_frame_sends_by_post_from_the_campaigns_page_where_no_email_reaches(
        data_copy: Any) -> None:
    support.without_un_email(data_copy)
    soup = page(client_on(data_copy).get(f"/embed/{SLUG}?country=GA"))
    link = soup.select_one("#send-post-page")
    assert link["href"] == f"/en/{SLUG}/?country=GA" and link["target"] == "_blank"
    assert "no-email-only" in link.parent["class"]


def test_blank_letters_repeat_each_page_with_lines_to_sign(client: FlaskClient) -> None:
    response = client.get("/ko" + BLANK + "?country=US&region=DC&copies=3")
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    soup = page(response)
    # The envelope names the mission in English, as the post of its country reads it.
    assert addresses(soup) == [MINISTRY, EMBASSY] * 3
    sheet = soup.select_one(".sheet")
    assert sheet["lang"] == "ko"
    assert sheet.select_one(".letter-text").get_text().startswith("왕이 외교부장님께")
    assert len(sheet.select(".sender-blank .blank")) == 2
    assert len(sheet.select(".letter-text .blank")) == 2 and sheet.select(".date .blank")
    assert soup.select_one("#post-data") is None  # nothing for a script to fill in
    assert soup.select_one("input#copies")["value"] == "3"


def test_blank_letters_default_to_a_few_copies(client: FlaskClient) -> None:
    soup = page(client.get(BLANK + "?copies=lots"))
    assert addresses(soup) == [MINISTRY] * COPIES


def test_the_flyer_links_blank_letters_for_its_country(client: FlaskClient) -> None:
    soup = page(client.get(f"/ko/{SLUG}/flyer?country=HK"))
    assert soup.select_one("#blank-letters")["href"] == "/ko" + BLANK + "?country=HK"
    blank = page(client.get("/ko" + BLANK + "?country=HK"))
    assert [a[1:] for a in addresses(blank)][:2] == [MINISTRY[1:],
                                                    ["42 Example Road, Mid-Levels", "Hong Kong"]]


def test_a_closed_letter_prints_nothing(data_copy: Any) -> None:
    second_letter(data_copy, "old", ends="2020-01-31")
    client = client_on(data_copy)
    for path in ("/old/post", "/old/post/blank"):
        soup = page(client.get(path))
        assert soup.select(".sheet") == [] and soup.select_one("h1") is not None


def test_the_print_page_takes_form_posts_only(client: FlaskClient) -> None:
    assert client.post(POST, json={"name": "x"}).status_code == 415


def test_the_print_page_has_no_inline_script_or_style(client: FlaskClient) -> None:
    for response in (client.get(POST + "?country=US"), client.get(BLANK)):
        soup = page(response)
        assert not soup.select("[style]") and not soup.select("style")
        scripts = soup.select("script")
        assert all(s.get("src") or s.get("type") == "application/json" for s in scripts)
        assert not any("http" in str(tag.get("src") or tag.get("href") or "")
                       for tag in soup.select("[src], link[href]"))


def test_blank_letters_may_be_in_another_of_the_letters_languages(client: FlaskClient) -> None:
    soup = page(client.get("/en" + BLANK + "?country=KR&copies=1&language=ja"))
    assert soup.select_one(".sheet")["lang"] == "ja"
    assert soup.select_one("#language option[selected]")["value"] == "ja"
    assert soup.select_one(".caption").get_text() == "Your name"  # the page's words
    other = page(client.get("/en" + BLANK + "?country=KR&copies=1&language=xx"))
    assert other.select_one(".sheet")["lang"] == "en"
