"""Addresses supporters find: where no mission publishes an address and a supporter adds one,
an unticked box tells the organizers of it too, sending the address, the mission and the page
it was found on, and nothing about the supporter. With and without JavaScript; kept as counts
are (the page's token, once; the rate limit), shown on no page, listed by `campaign
suggestions`."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import expect
from sqlalchemy import inspect, text
from support import TEST_DATA, LiveServer, form_values, page, valid

from campaign import create_app
from campaign.cli.main import main
from campaign.counting.storage import Counter
from campaign.counting.tokens import mint
from campaign.data.contactsfile import load_contacts

SLUG = "stop-forced-repatriation"
ADDRESS = "embaixada@example.org"
FOUND_AT = "https://www.example.org/br-embassy/contato"
SUPPORTER = {"name": "Ada Lovelace", "city": "Recife Velho",
             "own_words": "A sentence only I would write."}


def counter_of(app: Flask) -> Counter:
    found: Counter = app.extensions["campaign_counter"]
    return found


def token_of(client: FlaskClient) -> str:
    token: str = client.post("/token", data={"letter": SLUG}).get_json()["token"]
    return token


def ready_for_brazil(client: FlaskClient, **fields: Any) -> dict[str, Any]:
    """The form a supporter in Brazil posts once their letter is ready, with its token."""
    arrival = page(client.get("/?country=BR"))
    values = {**form_values(arrival), **valid(country="BR"), **SUPPORTER, "extra_to": ADDRESS,
              **fields}
    ready = client.post("/", data=values)
    assert ready.status_code == 200
    return {**form_values(page(ready)), **{k: v for k, v in fields.items() if v is not None}}


def every_row(counter: Counter) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table in the database."""
    with counter.engine.connect() as connection:
        return {table: [tuple(row) for row in connection.execute(text(f'SELECT * FROM "{table}"'))]
                for table in inspect(connection).get_table_names()}


def test_the_box_is_offered_unticked_where_a_mission_has_no_address(client: FlaskClient) -> None:
    soup = page(client.get("/?country=BR"))
    box = soup.find(id="tell_organizers")
    assert box["type"] == "checkbox" and not box.has_attr("checked")
    assert not soup.find(id="suggest").has_attr("hidden")
    assert soup.find(id="found_at")["name"] == "found_at"
    hint = soup.find(id="tell_organizers-hint").get_text()
    assert "Never your name, city or own email." in hint
    for query in ("?country=GB", "?country=other", ""):
        assert page(client.get("/" + query)).find(id="suggest").has_attr("hidden"), query


def test_without_javascript_a_ticked_box_tells_the_organizers_once_and_nothing_personal(
        client: FlaskClient, caplog: pytest.LogCaptureFixture,
        capsys: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(logging.DEBUG)
    values = ready_for_brazil(client, tell_organizers="y", found_at=FOUND_AT)
    assert values["tell_organizers"] == "y" and values["found_at"] == FOUND_AT
    assert client.post(f"/{SLUG}/go/mailto", data=values).status_code == 200
    assert client.post(f"/{SLUG}/go/gmail", data=values).status_code == 200  # the same page
    rows = every_row(counter_of(client.application))
    today = dt.datetime.now(dt.UTC).date()
    assert [row[:4] for row in rows["suggested_addresses"]] == [
        ("br-embassy", ADDRESS, FOUND_AT, 1)]  # and two days: its first and its last
    assert counter_of(client.application).suggestions() == [
        ("br-embassy", ADDRESS, FOUND_AT, 1, today, today)]
    # Nothing of the supporter in any row of any table, nor in any log line.
    stored = repr(rows)
    logged = caplog.text + "".join(capsys.readouterr())
    for personal in (*SUPPORTER.values(), "Ada", "Lovelace", "127.0.0.1"):
        assert personal not in stored, personal
        assert personal not in logged, personal
    for sent in (ADDRESS, FOUND_AT):
        assert sent not in logged
    # what the other tables hold: the count, the token's nonces, the client's keyed hash
    assert {name for name, table in rows.items() if table} == {
        "action_counts", "used_tokens", "rate_windows", "suggested_addresses"}
    assert all(len(row) == 3 for row in rows["used_tokens"])


def test_an_unticked_box_tells_no_one(client: FlaskClient) -> None:
    values = ready_for_brazil(client, found_at=FOUND_AT)
    assert "tell_organizers" not in values
    client.post(f"/{SLUG}/go/mailto", data=values)
    assert counter_of(client.application).suggestions() == []


def test_a_page_that_is_not_a_web_address_is_marked_beside_its_field(
        client: FlaskClient) -> None:
    arrival = page(client.get("/?country=BR"))
    response = client.post("/", data={**form_values(arrival), **valid(country="BR"),
                                      "extra_to": ADDRESS, "tell_organizers": "y",
                                      "found_at": "their website"})
    error = page(response).find(id="found_at-error")
    assert not error.has_attr("hidden")
    assert error.get_text().startswith("Enter the address of the page")


def suggest(client: FlaskClient, **fields: str) -> Any:
    return client.post("/suggest", data={"token": token_of(client), "country": "BR",
                                         "address": ADDRESS, "page": FOUND_AT, **fields})


def test_the_script_tells_the_organizers_with_the_pages_token_once(client: FlaskClient) -> None:
    token = token_of(client)
    first = suggest(client, token=token)
    assert first.status_code == 201 and first.get_json() == {"result": "counted"}
    assert first.headers["Cache-Control"] == "no-store"
    again = suggest(client, token=token)
    assert again.status_code == 200 and again.get_json() == {"result": "reused"}
    # a count and a suggestion with one token are each once
    assert client.post("/count", data={"token": token, "channel": "mailto"}).status_code == 201
    assert suggest(client, page="").status_code == 201  # another supporter, no page given
    rows = counter_of(client.application).suggestions()
    assert [(m, a, p, n) for m, a, p, n, _f, _l in rows] == [
        ("br-embassy", ADDRESS, "", 1), ("br-embassy", ADDRESS, FOUND_AT, 1)]


@pytest.mark.parametrize("fields", [
    {"token": "forged"},
    {"token": mint("another secret", SLUG)},
    {"country": "GB"},  # its embassy has an address: none is asked there
    {"country": "other"},
    {"address": "not an address"},
    {"address": f"{ADDRESS}, second@example.org"},
    {"page": "javascript:alert(1)"},
])
def test_anything_unsound_is_refused_and_kept_nowhere(client: FlaskClient,
                                                     fields: dict[str, str]) -> None:
    response = suggest(client, **fields)
    assert response.status_code == 400 and response.get_json() == {"result": "bad"}
    assert counter_of(client.application).suggestions() == []


def test_the_rate_limit_of_counting_holds_for_suggestions() -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "COUNT_LIMIT": 2})
    client = app.test_client()
    codes = [suggest(client).status_code for _ in range(3)]
    assert codes == [201, 201, 429]
    assert client.post("/count", data={"token": token_of(client),
                                       "channel": "mailto"}).status_code == 429


def test_a_post_from_another_site_is_refused(client: FlaskClient) -> None:
    response = client.post("/suggest", data={"token": token_of(client), "country": "BR",
                                             "address": ADDRESS},
                           headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403


def test_nothing_suggested_reaches_a_page(client: FlaskClient) -> None:
    assert suggest(client).status_code == 201
    for path in ("/?country=BR", "/about?country=BR", "/about", "/embed/" + SLUG + "?country=BR",
                 "/ko/?country=BR"):
        html = client.get(path).get_data(as_text=True)
        assert ADDRESS not in html and FOUND_AT not in html, path
    assert "Disallow: /suggest" in client.get("/robots.txt").get_data(as_text=True)


def test_campaign_suggestions_lists_them_with_the_lines_to_add(
        app: Flask, runner: CliRunner, counts_database: str) -> None:
    client = app.test_client()
    for page_given in (FOUND_AT, FOUND_AT, ""):
        assert suggest(client, page=page_given).status_code == 201
    assert suggest(client, country="HK", address="office@example.org",
                   page="").status_code == 201
    result = runner.invoke(main, ["suggestions"], env={"DATABASE_URL": counts_database})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"br-embassy: {ADDRESS}: suggested by 3 supporters, ")
    assert f"  found at {FOUND_AT}: 2" in lines and "  found at (no page given): 1" in lines
    block = result.output.split("set (adding the page to its sources):\n", 1)[1]
    line = load_contacts(TEST_DATA / "contacts.yaml").recipients["br-embassy"].line
    assert block.splitlines()[:4] == [
        f"  br-embassy:  # contacts.yaml line {line}", f"    email: {ADDRESS}", "    source:",
        f"      - {FOUND_AT}"]
    assert any(line.startswith("hk-office: office@example.org: suggested by 1 supporter,")
               for line in lines)
    csv_result = runner.invoke(main, ["suggestions", "--csv"],
                               env={"DATABASE_URL": counts_database})
    rows = csv_result.output.splitlines()
    assert rows[0] == "mission,address,page,supporters,first_day,last_day"
    assert len(rows) == 4 and rows[1].startswith(f"br-embassy,{ADDRESS},,1,")


def test_campaign_suggestions_says_when_there_are_none(runner: CliRunner) -> None:
    result = runner.invoke(main, ["suggestions"])
    assert result.exit_code == 0 and result.output.startswith("No addresses suggested yet.")


@pytest.mark.browser
def test_with_javascript_the_box_tells_the_organizers_when_the_letter_is_sent(
        browser: Any, live_server: LiveServer) -> None:
    counter = counter_of(live_server.server.app)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    pg = context.new_page()
    pg.goto(live_server.url + "/")
    expect(pg.locator("#suggest")).to_be_hidden()
    pg.select_option("#country", "BR")
    expect(pg.locator("#suggest")).to_be_visible()
    expect(pg.locator("#tell_organizers")).not_to_be_checked()
    pg.fill("#name", SUPPORTER["name"])
    pg.fill("#city", SUPPORTER["city"])
    pg.fill("#extra_to", ADDRESS)
    pg.check("#tell_organizers")
    pg.fill("#found_at", FOUND_AT)
    expect(pg.locator("#send-ready")).to_be_visible()
    pg.evaluate("""() => document.querySelectorAll('.send-buttons a').forEach(a =>
        a.addEventListener('click', e => e.preventDefault()))""")
    with pg.expect_request("**/suggest") as sent, pg.expect_response("**/suggest") as answer:
        pg.click("#send-mailto")
    body = dict(item.split("=", 1) for item in (sent.value.post_data or "").split("&"))
    assert set(body) == {"token", "country", "region", "address", "page"}
    assert answer.value.status == 201
    expect(pg.locator("#suggest-status")).to_have_text(
        "The organizers have the address: thank you.")
    pg.click("#send-gmail")  # once a page
    today = dt.datetime.now(dt.UTC).date()
    assert counter.suggestions() == [("br-embassy", ADDRESS, FOUND_AT, 1, today, today)]
    context.close()
