"""The letter page through Flask's test client: arrivals, the no-JS post, and bad input."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from support import (
    COUNTRIES,
    UN,
    US_STATES,
    client_on,
    decode_mailto,
    error_of,
    form_values,
    links_of,
    page,
    post_letter,
    second_letter,
    valid,
    with_organizers,
    without_un_email,
)

from campaign import create_app
from campaign.compose.rules import address_problem
from campaign.compose.sendlinks import SHORT_BODY
from campaign.web.languages import words
from campaign.web.security import URL_LIMIT


def test_page_shows_the_letter_form(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    soup = page(response)
    assert soup.h1.get_text(strip=True) == "Stop the forced repatriation of North Korean refugees"
    for field in ("country", "region", "name", "city", "own_words", "subject", "letter"):
        control = soup.find(id=field)
        assert control is not None, field
        assert soup.find("label", attrs={"for": field}), f"{field} has no label"
    assert soup.find(id="letter").get_text().strip().startswith("Dear Minister Wang Yi,")
    assert soup.find(id="send-ready").has_attr("hidden")


@pytest.mark.parametrize("query", ["?country=GB", "?country=gb", "?country=Gb"])
def test_shared_link_preselects_the_country_in_any_case(client: FlaskClient, query: str) -> None:
    soup = page(client.get("/" + query))
    assert soup.find(id="country").find("option", selected=True)["value"] == "GB"
    assert [li["data-key"] for li in soup.select("#recipient-list li")] == [
        "gb-embassy", "un-new-york", "un-geneva"]


# The last: the longest value the app takes (a longer address is a 414: test_security.py).
@pytest.mark.parametrize("query", ["?country=ZZ", "?country=<script>",
                                   "?country=" + "A" * (URL_LIMIT - len("/?country="))])
def test_unknown_country_in_a_link_is_ignored(client: FlaskClient, query: str) -> None:
    response = client.get("/" + query)
    assert response.status_code == 200
    assert page(response).find(id="country").find("option", selected=True)["value"] == ""
    assert "<script>" not in response.get_data(as_text=True)


def test_each_supporter_gets_a_subject_from_the_letter(app: Any) -> None:
    # the arrival page offers everyone the same subject; a supporter who leaves it as it is
    # gets one of the letter's subjects, at random (in the browser, or here when posting)
    letter = app.extensions["campaign_data"].data.letters.default
    subjects = set()
    for _ in range(40):
        client = app.test_client()
        values = form_values(page(client.get("/")))
        assert values["subject"] == values["offered"] == letter.subjects[0]
        posted = form_values(page(client.post("/", data={**values, **valid()})))
        subjects.add(posted["subject"])
        assert posted["offered"] == ""  # from now on, the subject is the supporter's
    assert len(subjects) > 1 and subjects <= set(letter.subjects)
    typed = form_values(page(app.test_client().post("/", data={
        **form_values(page(app.test_client().get("/"))), **valid(subject="My own subject")})))
    assert typed["subject"] == "My own subject"


@pytest.mark.parametrize("country", sorted(COUNTRIES))
def test_no_js_post_sends_to_the_countrys_embassy(client: FlaskClient, country: str) -> None:
    region = {"CA": "QC"}.get(country, "")  # Canada asks for a province: Quebec is Ottawa's
    response = post_letter(client, **valid(country=country, region=region))
    assert response.status_code == 200
    to, _subject, body = decode_mailto(links_of(client, response)["mailto"])
    assert to == [COUNTRIES[country], UN]
    assert body.endswith("Sincerely,\r\nAda Lovelace\r\nLondon")


US_ANSWERS = sorted({state.split("-")[0] for state in US_STATES})  # California is one answer


@pytest.mark.parametrize("state", US_ANSWERS)
def test_no_js_post_sends_to_the_states_mission(client: FlaskClient, state: str) -> None:
    response = post_letter(client, **valid(country="US", region=state))
    to, _subject, _body = decode_mailto(links_of(client, response)["mailto"])
    assert to == [US_STATES.get(state) or US_STATES[f"{state}-N"], UN]


def test_a_state_served_by_a_consulate_without_address_says_so(client: FlaskClient) -> None:
    soup = page(post_letter(client, **valid(country="US", region="WA")))
    row = soup.select_one('li[data-key="us-san-francisco"]')
    assert "No public email address was found for it." in row.get_text()
    assert not row.select_one("[data-slot=serving]").has_attr("hidden")
    assert row.select_one("a")["href"] == "https://www.example.org/us-san-francisco"


def test_a_japanese_page_or_a_supporter_in_japan_gets_yahoo_japan_first(
        client: FlaskClient) -> None:
    for path, fields in (("/ja/", valid()), ("/", valid(country="JP"))):
        links = links_of(client, post_letter(client, path, **fields))
        assert list(links)[:2] == ["mailto", "yahoojp"], path
        assert links["yahoojp"].startswith("https://mail.yahoo.co.jp/compose/?To=mailto%3A")
    arrival = page(client.get("/?country=JP"))  # the page before it is filled, too
    assert [li["data-channel"] for li in arrival.select(".send-buttons li.js-only")][:2] == [
        "mailto", "yahoojp"]


def test_no_js_post_gives_every_link_and_copy_field(client: FlaskClient) -> None:
    response = post_letter(client, **valid(subject="My subject"))
    links = links_of(client, response)
    assert list(links) == ["mailto", "gmail", "outlook", "yahoo", "yahoojp"]
    assert links["gmail"].startswith("https://mail.google.com/mail/?view=cm&fs=1&to=")
    soup = page(response)
    assert soup.find(id="copy-to")["value"] == f"{COUNTRIES['GB']}, {UN}"
    assert soup.find(id="copy-subject")["value"] == "My subject"
    assert soup.find(id="copy-body").get_text().strip().endswith("Ada Lovelace\nLondon")
    assert "Nothing opened" in soup.find(id="send").get_text()


def test_a_recipient_can_be_left_out(client: FlaskClient) -> None:
    response = post_letter(client, query="?country=GB", **valid(to=["gb-embassy"]))
    assert decode_mailto(links_of(client, response)["mailto"])[0] == [COUNTRIES["GB"]]


def test_unticking_everyone_asks_for_a_recipient(client: FlaskClient) -> None:
    values = form_values(page(client.get("/?country=GB")))
    values.update(valid())
    values.pop("to")
    response = client.post("/", data=values)
    assert "Tick at least one recipient" in error_of(response, "recipients")
    assert links_of(client, response)["mailto"] == ""


def test_where_no_recipient_has_an_email_the_letter_is_ready_with_no_email_link(
        data_copy: Any) -> None:
    """A supporter in Gabon, whose missions publish no email address: no error to fix, the
    letter ready to copy (and for the other ways of sending), no email button, and a post
    to the mail app's send page shows the page again rather than a link with no address."""
    client = client_on(without_un_email(data_copy))
    response = post_letter(client, query="?country=GA", **valid(country="GA"))
    soup = page(response)
    assert error_of(response, "recipients") == ""
    assert not soup.find(id="send-ready").has_attr("hidden")
    assert "no-email" in soup.find(id="send-ready")["class"]
    assert "cannot go by email" in soup.find(id="no-email").get_text()
    assert soup.find(id="send-status").get_text() == "Your letter is ready."
    assert soup.find(id="copy-body").get_text().endswith("Ada Lovelace\nLondon")
    values = form_values(soup)
    again = client.post("/stop-forced-repatriation/go/mailto", data=values)
    assert again.status_code == 200 and page(again).find(id="no-email") is not None


def test_the_country_hint_names_the_un_missions_only_where_one_has_an_email(
        client: FlaskClient, data_copy: Any) -> None:
    def hint(c: FlaskClient) -> str:
        return page(c.get("/")).find(id="country-hint").get_text()

    assert "missions to the United Nations" in hint(client)
    assert hint(client_on(without_un_email(data_copy))) == (
        "Your letter goes to the Chinese embassy or consulate there.")


def test_changing_country_ticks_the_new_countrys_recipients(client: FlaskClient) -> None:
    values = form_values(page(client.get("/?country=GB")))
    values.update(valid(country="FR"))  # `to` still lists the UK embassy
    to, _s, _b = decode_mailto(links_of(client, client.post("/", data=values))["mailto"])
    assert to == [COUNTRIES["FR"], UN]


def test_another_country_adds_its_own_embassy(client: FlaskClient) -> None:
    response = post_letter(client, **valid(country="other", extra_to="embassy@example.org"))
    assert decode_mailto(links_of(client, response)["mailto"])[0] == [UN, "embassy@example.org"]


def test_own_words_and_edits_survive_the_post(client: FlaskClient) -> None:
    response = post_letter(client, **valid(own_words="I met a refugee."))
    body = decode_mailto(links_of(client, response)["mailto"])[2]
    assert "deserves.\r\n\r\nI met a refugee.\r\n\r\nSincerely," in body
    values = form_values(page(response))
    values["letter"] = "Dear Minister,\r\n\r\nMy own letter.\r\n"
    values["name"] = "Grace Hopper"
    response = client.post("/", data=values)
    body = decode_mailto(links_of(client, response)["mailto"])[2]
    assert body == "Dear Minister,\r\n\r\nMy own letter."
    assert not page(response).find(id="edited-note").has_attr("hidden")
    values = form_values(page(response))
    values["reset"] = "1"
    body = decode_mailto(links_of(client, client.post("/", data=values))["mailto"])[2]
    assert body.endswith("Sincerely,\r\nGrace Hopper\r\nLondon")


def test_a_new_name_resigns_an_unedited_letter(client: FlaskClient) -> None:
    values = form_values(page(post_letter(client, **valid())))
    values["name"] = "Grace Hopper"
    body = decode_mailto(links_of(client, client.post("/", data=values))["mailto"])[2]
    assert body.endswith("Sincerely,\r\nGrace Hopper\r\nLondon")


def test_an_edited_letter_keeps_the_edit_and_signs_a_corrected_name(client: FlaskClient) -> None:
    values = form_values(page(post_letter(client, **valid(name="Ada Lovelac"))))
    values["letter"] = values["letter"].replace(
        "Dear Minister Wang Yi,", "Dear Minister Wang Yi,\r\n\r\nI write from London.")
    values["name"] = "Ada Lovelace"
    response = client.post("/", data=values)
    soup, body = page(response), decode_mailto(links_of(client, response)["mailto"])[2]
    assert "Dear Minister Wang Yi,\r\n\r\nI write from London.\r\n\r\n" in body
    assert body.endswith("Sincerely,\r\nAda Lovelace\r\nLondon")
    assert soup.find(id="letter").get_text().endswith("Sincerely,\nAda Lovelace\nLondon")
    assert not soup.find(id="edited-note").has_attr("hidden")
    assert not soup.find(id="edited-kept").has_attr("hidden")
    assert soup.find(id="edited-stale").has_attr("hidden")
    # the page now carries the new signature as its base: a second change is signed in too
    values = form_values(soup)
    values["city"] = "Paris"
    body = decode_mailto(links_of(client, client.post("/", data=values))["mailto"])[2]
    assert "I write from London." in body and body.endswith("Ada Lovelace\r\nParis")


def test_a_name_edited_by_hand_in_the_letter_is_left_as_typed(client: FlaskClient) -> None:
    values = form_values(page(post_letter(client, **valid())))
    assert "Sincerely,\nAda Lovelace" in values["letter"]
    values["letter"] = values["letter"].replace("Sincerely,\nAda Lovelace", "Yours,\nAda L.")
    values["name"] = "Grace Hopper"
    soup = page(client.post("/", data=values))
    assert soup.find(id="letter").get_text().endswith("Yours,\nAda L.\nLondon")
    assert not soup.find(id="edited-stale").has_attr("hidden")
    assert soup.find(id="edited-kept").has_attr("hidden")


def test_a_very_long_letter_gets_the_paste_fallback(client: FlaskClient) -> None:
    response = post_letter(client, **valid(own_words="북한 난민을 보호해 주십시오. " * 20))
    soup = page(response)
    assert "북한 난민을" in soup.find(id="copy-body").get_text()
    # Without the script, the send says so before it opens the link with the short note
    # (it does not open it by itself), and offers the whole letter to copy first. (With
    # it, the posted page's note says so: the script knows its links' lengths.)
    button = soup.select_one("li.no-js-only[data-channel=mailto] button")
    handoff = page(client.post(button["formaction"], data=form_values(soup)))
    assert handoff.find(id="handoff-shortened") is not None
    assert handoff.find("meta", attrs={"http-equiv": "refresh"}) is None
    assert "북한 난민을" in handoff.find(id="handoff-letter").get_text()
    assert decode_mailto(handoff.find(id="handoff-link")["href"])[2] == SHORT_BODY


BAD_INPUTS = [
    ("name", "", "Enter your name"),
    ("name", "   ", "Enter your name"),
    ("city", "", "Enter your city"),
    ("name", "x" * 10_000, "within 100 characters"),
    ("city", "y" * 10_000, "within 100 characters"),
    ("own_words", "z" * 10_000, "within 1,000 characters"),
    ("subject", "s" * 10_000, "within 150 characters"),
    ("letter", "l" * 10_001, "within 10,000 characters"),
    ("name", "Ada\r\nBcc: spy@example.org", "no line breaks"),
    ("subject", "Hello\nBcc: spy@example.org", "no line breaks"),
    ("name", "Ada\x00Lovelace", "control characters"),
    ("city", "Lon\x1bdon", "control characters"),
    ("own_words", "bell\x07", "control characters"),
    ("letter", "Dear\x08Minister", "control characters"),
    ("name", "Ada\u2028Lovelace", "no line breaks"),
    ("name", "<script>alert(1)</script>", "< or >"),
    ("country", "ZZ", "Choose your country from the list"),
    ("country", "", "Choose your country"),
    ("region", "ZZ", "Choose your state"),
    ("extra_to", "not an address", "does not look right"),
    ("extra_to", "a@example.org,b@example.org", "one email address"),
    ("extra_to", "a@example.org\r\nbcc: x@example.org", "one email address"),
    ("extra_to", "<script>@example.org", "does not look right"),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_INPUTS)
def test_bad_input_gets_a_message_beside_the_field_and_keeps_the_text(
        client: FlaskClient, field: str, value: str, message: str) -> None:
    country = {"region": "US", "extra_to": "other"}.get(field, "GB")
    fields = valid(country=country, region="NY" if country == "US" else "")
    fields[field] = value
    response = post_letter(client, **fields)
    assert response.status_code == 200
    assert message in error_of(response, field)
    soup = page(response)
    assert soup.find(id="send-ready").has_attr("hidden")  # no letter is offered to send
    kept = form_values(soup)
    if field not in ("country", "region", "letter"):
        # as the browser reads it back: HTML's line breaks are LF, and it has no NUL
        shown = value.replace("\r\n", "\n").replace("\x00", "\ufffd")
        assert kept[field] == shown.strip() or field == "own_words" and kept[field] == shown
    for other in ("name", "city"):
        if other != field:
            assert kept[other] == fields[other]
    control = soup.find(id=field)
    assert control["aria-invalid"] == "true"
    assert f"{field}-error" in control["aria-describedby"]


def test_script_in_a_field_is_shown_escaped(client: FlaskClient) -> None:
    response = post_letter(client, **valid(own_words="<script>alert(1)</script>"))
    html = response.get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html


@pytest.mark.parametrize("headers", [{"Sec-Fetch-Site": "cross-site"},
                                     {"Sec-Fetch-Site": "same-site"},
                                     {"Origin": "https://evil.example"}])
@pytest.mark.parametrize("path", ["/", "/stop-forced-repatriation/go/mailto",
                                  "/stop-forced-repatriation/sent", "/count", "/token"])
def test_a_post_from_another_site_is_refused(client: FlaskClient, path: str,
                                             headers: dict[str, str]) -> None:
    values = {**form_values(page(client.get("/"))), **valid()}
    response = client.post(path, data=values, headers=headers)
    assert response.status_code == 403


@pytest.mark.parametrize("headers", [{"Sec-Fetch-Site": "same-origin"}, {"Sec-Fetch-Site": "none"},
                                     {"Origin": "http://localhost"}, {}])
def test_a_post_from_the_campaigns_own_page_is_answered(client: FlaskClient,
                                                        headers: dict[str, str]) -> None:
    values = {**form_values(page(client.get("/"))), **valid()}
    response = client.post("/", data=values, headers=headers)
    assert response.status_code == 200 and links_of(client, response)["mailto"]


def test_an_oversized_post_is_a_friendly_413(client: FlaskClient) -> None:
    response = client.post("/", data={"letter": "x" * 100_000})
    assert response.status_code == 413
    assert "more text than a letter needs" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/nope", "/no-such-letter/"])
def test_unknown_page_is_a_friendly_404(client: FlaskClient, path: str) -> None:
    response = client.get(path, follow_redirects=True)
    assert response.status_code == 404
    assert page(response).h1.get_text() == "There is no such page"


def test_letter_has_its_own_page(client: FlaskClient) -> None:
    response = client.get("/stop-forced-repatriation/")
    assert response.status_code == 200
    # a post lands on its result, on the page in its language
    assert page(response).find("form")["action"] == "/en/stop-forced-repatriation/#result"


def test_the_default_letter_is_at_the_root(data_copy: Any) -> None:
    second_letter(data_copy, "second", default="true")
    client = client_on(data_copy)
    assert page(client.get("/")).h1.get_text() == "The second letter"
    assert page(client.get("/second/")).h1.get_text() == "The second letter"
    assert page(client.get("/stop-forced-repatriation/")).h1.get_text().startswith("Stop the")


def test_an_expired_letter_shows_a_closed_page_with_the_open_ones(data_copy: Any) -> None:
    second_letter(data_copy, "old", ends="2020-01-31")
    client = client_on(data_copy)
    for response in (client.get("/old/"), client.post("/old/", data={"name": "Ada"})):
        soup = page(response)
        assert response.status_code == 200
        assert "closed on January 31, 2020" in soup.get_text()  # a date as English writes it
        assert soup.find("form") is None
        links = [a["href"] for a in soup.select(".open-letters a")]
        assert links == ["/en/stop-forced-repatriation/"]


def test_an_open_letter_with_an_end_date_is_served(data_copy: Any) -> None:
    second_letter(data_copy, "later", ends="2999-12-31")
    assert page(client_on(data_copy).get("/later/")).find("form") is not None


def test_each_recipient_has_a_bounce_report_link(data_copy: Any) -> None:
    with_organizers(data_copy)
    soup = page(client_on(data_copy).get("/?country=GB"))
    link = soup.select_one('li[data-key="gb-embassy"] a.report')
    assert "Address bounced?" in link.get_text()
    to, subject, body = decode_mailto(link["href"])
    assert to == ["organizers@example.org"]
    assert subject == f"Address bounced: {COUNTRIES['GB']}"
    assert f"{COUNTRIES['GB']} of Chinese Embassy, United Kingdom" in body
    assert soup.select_one('li[data-key="un-geneva"] a.report') is None


def test_no_bounce_link_without_an_organizers_address(client: FlaskClient) -> None:
    soup = page(client.get("/?country=GB"))
    assert soup.select_one('li[data-key="gb-embassy"] a.report').has_attr("hidden")


def test_healthz_reports_the_data_version(client: FlaskClient) -> None:
    data = client.get("/healthz").get_json()
    assert data["status"] == "ok" and data["error"] is None
    assert len(data["version"]) == 12
    assert data["letters"] == ["stop-forced-repatriation"]


def test_two_supporters_get_the_same_arrival_page_byte_for_byte(app: Any) -> None:
    first, second = app.test_client(), app.test_client()
    one = first.get("/ko/?country=KR&src=x", headers={"Accept-Language": "en"})
    two = second.get("/ko/?country=KR&src=x", headers={"Accept-Language": "de"})
    assert one.status_code == two.status_code == 200
    assert one.data == two.data
    for response in (one, two):
        assert "Set-Cookie" not in response.headers
        assert response.headers["Cache-Control"] == "public, max-age=60, stale-while-revalidate=60"
        assert "Vary" not in response.headers or "Cookie" not in response.headers["Vary"]
    assert form_values(page(one))["count_token"] == ""  # no per-visitor token in the page
    again = first.get("/ko/?country=KR&src=x", headers={"If-None-Match": one.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert first.get("/ko/?country=KR&src=x",
                     headers={"If-None-Match": '"other"'}).status_code == 200


# A shared page, asked for with a visitor's junk (or another spelling of its values) first,
# then as every other visitor asks for it: (the junk, the page as others ask for it).
JUNK_FIRST = [
    ('/fr/?country=ZZ"x&region=QQ1&src=Bad%20Src', "/fr/"),
    ("/fr/?country=Br", "/fr/?country=BR"),
    ("/?country=us&region=ny&src=QR", "/?country=US&region=NY"),
    ("/?country=th&region=TH-CHIANG-MAI", "/?country=TH&region=th-embassy"),
    ("/de/?partner=plain&country=gb", "/de/?src=plain&country=GB"),
    ('/ko/embed/stop-forced-repatriation?country=ZZ"x&src=Bad%20Src',
     "/ko/embed/stop-forced-repatriation"),
    ('/ja/impact?country=ZZ"x&src=Bad%20Src', "/ja/impact"),
    ('/about?country=ZZ"x', "/about"),
    ('/privacy?src=Bad%20Src', "/privacy"),
    ('/stop-forced-repatriation/flyer?country=ZZ"x', "/stop-forced-repatriation/flyer"),
]


@pytest.mark.parametrize(("junk", "clean"), JUNK_FIRST)
def test_a_shared_page_carries_nothing_of_a_visitors_query(
        junk: str, clean: str, counts_database: str) -> None:
    """A page is built only from the values of its cache key: after a visitor's junk, every
    later visitor gets the bytes a fresh app gives (and so does the junk's own visitor)."""
    def app() -> FlaskClient:
        return create_app({"TESTING": True, "SECRET_KEY": "test"}).test_client()

    fresh = app().get(clean)
    assert fresh.status_code == 200
    after_junk = app()
    first = after_junk.get(junk)
    then = after_junk.get(clean)
    assert then.data == fresh.data
    assert first.data == fresh.data
    for leaked in ("ZZ", "QQ1", "Bad", "Src", "%22", "Br&", "=us", "ny&", "CHIANG"):
        assert leaked not in then.get_data(as_text=True), leaked


def test_a_bare_address_follows_the_browsers_language_and_says_so(client: FlaskClient) -> None:
    korean = client.get("/", headers={"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.8"})
    assert page(korean).html["lang"] == "ko"
    assert "Accept-Language" in korean.headers["Vary"]
    assert page(client.get("/", headers={"Accept-Language": "zh-TW"})).html["lang"] == "zh-Hant"
    assert page(client.get("/", headers={"Accept-Language": "zh-CN"})).html["lang"] == "zh-Hans"
    assert page(client.get("/", headers={"Accept-Language": "it, xx"})).html["lang"] == "en"
    named = client.get("/ko/", headers={"Accept-Language": "ja"})
    assert page(named).html["lang"] == "ko" and "Vary" not in named.headers


def test_the_no_js_hand_off_says_what_next_and_counts_i_sent_it(client: FlaskClient) -> None:
    values = form_values(page(post_letter(client, **valid(country="US", region="NY"))))
    soup = page(client.post("/stop-forced-repatriation/go/mailto", data=values))
    steps = soup.select("#next-steps li")
    assert len(steps) == 4 and "I sent my letter" in steps[2].get_text()
    sent = soup.find("form", id="sent-form")
    fields = {i["name"]: i.get("value", "") for i in sent.find_all("input")}
    assert set(fields) == {"count_token", "src", "country", "region"}  # none of the letter
    assert (fields["country"], fields["region"]) == ("US", "NY")
    thanks = client.post(sent["action"], data=fields)
    assert page(thanks).h1.get_text() == "Thank you for writing"
    counter = client.application.extensions["campaign_counter"]
    assert counter.table("region") == [("NY", 1, 1)]  # the send, and its confirmation


@pytest.mark.parametrize("address", ["a..b@example.org", "x@-bad.org", '"q"@example.org'])
def test_without_javascript_an_address_it_cannot_take_is_marked(client: FlaskClient,
                                                                address: str) -> None:
    response = post_letter(client, "/", **valid(country="BR", extra_to=address))
    assert error_of(response, "extra_to").startswith("This address does not look right: ")
    assert set(links_of(client, response).values()) == {""}  # no letter is offered


def test_the_address_check_answers_by_the_forms_rule_and_keeps_nothing(
        app: Flask, client: FlaskClient, caplog: pytest.LogCaptureFixture) -> None:
    """What campaign.js asks about an address a supporter adds for their mission: the form's
    verdict, in the page's language, never cached, the address in no log line."""
    caplog.set_level(logging.DEBUG)
    for path, language in (("/address-check", "en"), ("/ko/address-check", "ko")):
        for address in ("embassy@example.org", "a..b@example.org", "x@-bad.org,y@example.org"):
            response = client.post(path, data={"address": f" {address} "})
            with app.test_request_context(headers={"Accept-Language": language}):
                expected = address_problem(address, words())
            assert response.status_code == 200 and response.json == {"problem": expected}
            assert response.headers["Cache-Control"] == "no-store"
            assert "Set-Cookie" not in response.headers
    assert response.json["problem"].startswith("이메일 주소")  # in the page's language
    assert not any("example.org" in record.getMessage() for record in caplog.records)
    assert client.post("/address-check", json={"address": "a@example.org"}).status_code == 415


def waiting_of(response: Any) -> list[tuple[str, str]]:
    """What the send step says it waits for: each item's link and words."""
    return [(a["href"], a.get_text()) for a in page(response).select("#waiting-list a")]


def test_the_send_step_names_what_a_fresh_page_waits_for(client: FlaskClient) -> None:
    soup = page(client.get("/"))
    assert waiting_of(client.get("/")) == [
        ("#country", "Choose your country"), ("#name", "Enter your name"),
        ("#city", "Enter your city")]
    assert soup.select(".error:not([hidden])") == []  # no field is marked before any answer
    assert waiting_of(client.get("/?country=US")) == [
        ("#region", "Choose your state"), ("#name", "Enter your name"),
        ("#city", "Enter your city")]
    assert waiting_of(client.get("/?country=TH"))[0] == ("#name", "Enter your name")


def test_the_us_page_without_a_state_names_the_state_at_the_field_and_in_the_send_step(
        client: FlaskClient) -> None:
    response = post_letter(client, **valid(country="US", region="", city="Boston"))
    soup = page(response)
    assert error_of(response, "region") == \
        "Choose your state: it decides which Chinese consulate you write to."
    assert soup.find("label", attrs={"for": "region"}).get_text() == "Your state"
    assert waiting_of(response) == [("#region", "Choose your state")]
    assert links_of(client, response)["mailto"] == ""
    # who receives it waits for the state: the embassy is not shown as if it were final
    pending = soup.find(id="pending-row")
    assert not pending.has_attr("hidden")
    assert pending.find("a")["href"] == "#region" and pending.find("a").get_text() == \
        "Choose your state"
    assert [li["data-key"] for li in soup.select("#preview-to li[data-key]")] == ["un-new-york"]
    assert [li["data-key"] for li in soup.select("#recipient-list li")] == [
        "un-new-york", "un-geneva"]
    answered = page(post_letter(client, **valid(country="US", region="NY")))
    assert answered.find(id="pending-row").has_attr("hidden")
    assert [li["data-key"] for li in answered.select("#preview-to li[data-key]")] == [
        "us-new-york", "un-new-york"]


@pytest.mark.parametrize(("query", "country"), [("", ""), ("?country=US", "US"),
                                                ("?country=TH", "TH"), ("?country=GB", "GB")])
def test_without_javascript_the_region_list_holds_only_the_chosen_countrys_places(
        client: FlaskClient, app: Flask, query: str, country: str) -> None:
    contacts = app.extensions["campaign_data"].data.contacts
    soup = page(client.get("/" + query))
    field, options = soup.find(id="region-field"), soup.select("#region option")
    own = contacts.countries[country].choices if country else ()
    assert field.has_attr("hidden") == (not own)
    assert {o["value"] for o in options} - {""} == set(own)
    assert not soup.select("#region optgroup")  # never a list of several countries' places


def test_without_javascript_a_country_that_asks_by_city_is_asked_after_it_is_chosen(
        client: FlaskClient, app: Flask) -> None:
    """A supporter who chose Thailand on a page that did not yet offer its consulates' cities
    is asked to choose one (the embassy's is chosen for them), the form's second step."""
    response = post_letter(client, **valid(country="TH"))
    assert error_of(response, "region").startswith("Choose the city nearest you")
    options = page(response).select("#region option")
    assert [o["value"] for o in options][0] == "th-embassy"
    assert {o["value"] for o in options} == set(
        app.extensions["campaign_data"].data.contacts.countries["TH"].choices)
    posted = post_letter(client, "/", "?country=TH", **valid(country="TH", region="th-embassy"))
    to = decode_mailto(links_of(client, posted)["mailto"])[0]
    assert to[0] == "th-embassy@missions.example.org"


def test_the_preview_shows_the_subject_the_opening_and_the_signature(
        client: FlaskClient) -> None:
    soup = page(post_letter(client, **valid(own_words="I met a refugee.")))
    assert soup.find(id="preview-subject").get_text() == form_values(soup)["subject"]
    opening = soup.find(id="preview-opening").get_text()
    assert opening.startswith("Dear Minister Wang Yi,\nI am writing")
    assert soup.find(id="preview-closing").get_text() == "Sincerely,\nAda Lovelace\nLondon"
    assert not soup.find(id="letter-editor").has_attr("open")  # the whole letter, folded


@pytest.mark.parametrize(("field", "value"), [("subject", ""), ("letter", "x" * 10_001)])
def test_a_letter_needing_a_fix_is_shown_unfolded(client: FlaskClient, field: str,
                                                  value: str) -> None:
    soup = page(post_letter(client, **valid(**{field: value})))
    assert soup.find(id="letter-editor").has_attr("open")
    assert not soup.find(id=f"{field}-error").has_attr("hidden")


def test_the_script_data_is_a_file_of_its_own_named_by_its_bytes(client: FlaskClient) -> None:
    """Per language, cached a year under its fingerprint; a page cached before the data
    changed still gets today's data (kept a minute)."""
    import hashlib

    from campaign.web.scriptdata import PREFIX

    urls = {}
    for path in ("/", "/?country=KR", "/ko/", "/embed/stop-forced-repatriation"):
        soup = page(client.get(path))
        assert soup.find(id="campaign-data") is None  # not in the page: its own file
        urls[path] = soup.find("script", src=re.compile(r"/data\.[0-9a-f]{12}\.js$"))["src"]
    assert urls["/"] == urls["/?country=KR"] == urls["/embed/stop-forced-repatriation"]
    assert urls["/"].startswith("/en/") and urls["/ko/"].startswith("/ko/")
    response = client.get(urls["/ko/"])
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.mimetype == "text/javascript" and response.data.startswith(PREFIX)
    fingerprint = urls["/ko/"].rsplit(".", 2)[1]
    assert fingerprint == hashlib.blake2b(response.data, digest_size=6).hexdigest()
    older = client.get(urls["/ko/"].replace(fingerprint, "0" * 12))
    assert older.data == response.data and older.headers["Cache-Control"] == "public, max-age=60"
    assert client.get(urls["/ko/"].replace(fingerprint, "nope")).status_code == 404
    assert client.get("/stop-forced-repatriation/data." + fingerprint + ".js").status_code == 404


@pytest.mark.parametrize("path", ["/", "/ko/?country=KR", "/embed/stop-forced-repatriation"])
def test_the_page_holds_no_script_for_the_end_of_its_parse(client: FlaskClient, path: str) -> None:
    """Only start.js (a few lines, in <head>) runs as the page is read. Every other script
    is async, and the letter's two come after everything they work on: none runs in the
    task that ends the parse, where the browser reads the form and lays out the page."""
    soup = page(client.get(path))
    scripts = soup.find_all("script", src=True)
    waiting = [s["src"] for s in scripts if not s.has_attr("async") and "/start." not in s["src"]]
    assert waiting == []
    letters = [s for s in scripts if re.search(r"/(data|campaign)\.[0-9a-f]+\.js$", s["src"])]
    assert len(letters) == 2
    for script in letters:
        assert script.parent.name == "body" and script.find_previous("footer") is not None
        assert not [tag for tag in script.find_all_next() if tag.name != "script"]


def test_the_canonical_address_of_a_page_is_itself(client: FlaskClient) -> None:
    """A page without a language in its address follows the browser's, and is its own
    canonical address (the hreflang x-default); a page with one names that one."""
    def canonical(path: str) -> str:
        return str(page(client.get(path)).find("link", rel="canonical")["href"])

    assert canonical("/") == "http://localhost/"
    assert canonical("/en/") == "http://localhost/en/"
    assert canonical("/ko/?country=KR") == "http://localhost/ko/"


@pytest.mark.parametrize(("path", "language", "opening"), [
    ("/", "en", "Dear Minister"), ("/ko/", "en", "Dear Minister"),
    ("/ko/", "ko", "왕이 외교부장님께")])
def test_a_fresh_pages_letter_posted_as_it_came_is_signed_not_kept_as_an_edit(
        client: FlaskClient, path: str, language: str, opening: str) -> None:
    """A fresh page leaves the base empty (its letter is in it once): posted so, the letter
    that page offered is the base, in the language it offered, so the letter is signed
    (and, in another language chosen without the script, written in that one)."""
    fresh = form_values(page(client.get(path)))
    assert fresh["base"] == "" and fresh["letter"]
    soup = page(client.post(path, data={**fresh, **valid(letter_language=language)}))
    letter = soup.find(id="letter").get_text()
    assert letter.startswith(opening) and "Ada Lovelace" in letter
    assert soup.find(id="edited-note").has_attr("hidden")
    assert soup.find(id="base")["value"] == letter  # a posted page carries its base
