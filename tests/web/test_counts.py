"""The impact counter through the app: tokens, channels, the no-JS redirect, totals, privacy."""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from support import COUNTRIES, Gunicorn, app_on, form_values, page, valid

from campaign import create_app
from campaign.cli.main import main
from campaign.compose.sendlinks import CHANNELS
from campaign.counting.storage import counts
from campaign.counting.tokens import mint

SECRET = "counting-test-secret"


@pytest.fixture
def app(database_url: str) -> Flask:
    return create_app({"TESTING": True, "SECRET_KEY": SECRET, "DATABASE_URL": database_url})


def token_of(client: FlaskClient, letter: str = "stop-forced-repatriation") -> str:
    """A count token, as the page's script fetches one when the supporter first sends."""
    response = client.post("/token", data={"letter": letter})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    return str(response.get_json()["token"])


def posted_page(client: FlaskClient, query: str = "", **fields: str) -> dict[str, Any]:
    """The form as a page returns it after "Get my letter ready" without JavaScript: with the
    count token its send buttons need."""
    values = form_values(page(client.get("/" + query)))
    assert values["count_token"] == ""  # an arrival page carries none
    values.update(valid(**fields))
    response = client.post("/", data=values)
    assert response.status_code == 200
    return form_values(page(response))


def count(client: FlaskClient, **fields: str) -> Any:
    return client.post("/count", data=fields)


def stats(client: FlaskClient) -> dict[str, Any]:
    client.application.extensions["campaign_counter"].cache_seconds = 0
    data: dict[str, Any] = client.get("/stats.json").get_json()
    return data


def test_a_send_counts_once_per_page(client: FlaskClient) -> None:
    token = token_of(client)
    assert count(client, token=token, channel="mailto", country="GB").status_code == 201
    again = count(client, token=token, channel="mailto", country="GB")
    assert (again.status_code, again.get_json()) == (200, {"result": "reused"})
    assert count(client, token=token, channel="gmail", country="GB").status_code == 200
    assert count(client, token=token_of(client), channel="copy", country="us",
                 region="NY", src="x").status_code == 201
    assert stats(client)["letters"] == 2
    assert stats(client)["countries"] == 2


def test_a_send_from_every_place_is_counted(database_url: str) -> None:
    """The finding: on PostgreSQL, `/count` from a place chosen by its consulate's city
    (country=TH, region=th-khon-kaen) answered 503 and logged `count not recorded:
    DataError`: the region column took 8 characters. Every place is counted, once."""
    app = create_app({"TESTING": True, "SECRET_KEY": SECRET, "DATABASE_URL": database_url,
                      "COUNT_LIMIT": 10**6})
    client = app.test_client()
    places = [(country, region) for _key, country, region
              in app.extensions["campaign_data"].data.contacts.places()]
    for country, region in places:
        response = count(client, token=token_of(client), channel="mailto", country=country,
                         region=region)
        assert (response.status_code, response.get_json()) == (201, {"result": "counted"}), \
            (country, region)
    with app.extensions["campaign_counter"].engine.connect() as connection:
        stored = [(row.country, row.region, row.count) for row in connection.execute(
            select(counts))]
    assert sorted(stored) == sorted((country, region, 1) for country, region in places)


def test_i_sent_it_is_counted_apart(client: FlaskClient) -> None:
    token = token_of(client)
    assert count(client, token=token, channel="gmail").status_code == 201
    assert count(client, token=token, kind="confirmed").status_code == 201
    assert count(client, token=token, kind="confirmed").get_json() == {"result": "reused"}
    data = stats(client)
    assert (data["letters"], data["confirmed"]) == (1, 1)


@pytest.mark.parametrize("fields", [
    {"token": "forged", "channel": "mailto"},
    {"token": "", "channel": "mailto"},
    {"channel": "mailto"},
    {"token": mint("another-secret", "stop-forced-repatriation"), "channel": "mailto"},
    {"token": mint(SECRET, "no-such-letter"), "channel": "mailto"},
    {"token": mint(SECRET, "stop-forced-repatriation"), "channel": "fax"},
    {"token": mint(SECRET, "stop-forced-repatriation"), "channel": "mailto", "kind": "visit"},
])
def test_bad_tokens_and_values_are_refused(client: FlaskClient, fields: dict[str, str]) -> None:
    response = count(client, **fields)
    assert response.status_code == 400
    assert response.get_json() == {"result": "bad"}
    assert stats(client)["letters"] == 0


def test_unknown_places_and_sources_are_counted_blank(app: Flask, client: FlaskClient) -> None:
    token = token_of(client)
    assert count(client, token=token, channel="mailto", country="<script>", region="ZZ",
                 src="ada@example.org").status_code == 201
    rows = app.extensions["campaign_counter"].table("src")
    assert rows == [("", 1, 0)]
    assert app.extensions["campaign_counter"].table("country") == [("", 1, 0)]


@pytest.mark.parametrize("src", ["fair", "poster-b", "kakao", "event2026"])
def test_organizers_own_sources_are_counted_and_shown_in_stats(
        app: Flask, client: FlaskClient, runner: CliRunner, src: str, database_url: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert count(client, token=token_of(client), channel="mailto", src=src).status_code == 201
    assert app.extensions["campaign_counter"].table("src") == [(src, 1, 0)]
    monkeypatch.setenv("DATABASE_URL", database_url)  # the command reads the same counts
    result = runner.invoke(main, ["stats", "--by", "src"])
    assert result.exit_code == 0, result.output
    assert [line.split()[:2] for line in result.output.splitlines()[1:]] == [
        [src, "1"], ["total", "1"]]


@pytest.mark.parametrize("path", ["/count", "/token"])
def test_the_scripts_paths_answer_json_whatever_goes_wrong(client: FlaskClient,
                                                           path: str) -> None:
    """The script reads JSON from these paths: a refusal by the app's guards is JSON too."""
    fields = {"token": token_of(client), "channel": "mailto", "letter": "stop-forced-repatriation"}
    refused = [client.post(path, data=fields, headers={"Sec-Fetch-Site": "cross-site"}),
               client.post(path, data={**fields, "pad": "x" * 70_000}),
               client.post(path + "?" + "x" * 3000, data=fields)]
    assert [(r.status_code, r.get_json()) for r in refused] == [
        (403, {"result": "bad"}), (413, {"result": "bad"}), (414, {"result": "bad"})]
    assert stats(client)["letters"] == 0


def test_json_bodies_count_too(client: FlaskClient) -> None:
    response = client.post("/count", json={"token": token_of(client), "channel": "outlook"})
    assert response.status_code == 201
    assert client.post("/count", json=["not", "an", "object"]).status_code == 400


def test_one_client_cannot_inflate_the_count(database_url: str) -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": SECRET, "DATABASE_URL": database_url,
                      "COUNT_LIMIT": 3})
    client = app.test_client()
    tokens = [mint(SECRET, "stop-forced-repatriation") for _ in range(5)]
    codes = [count(client, token=t, channel="mailto").status_code for t in tokens]
    assert codes == [201, 201, 201, 429, 429]
    other = app.test_client()
    response = other.post("/count", data={"token": tokens[4], "channel": "mailto"},
                          environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert response.status_code == 201


def test_the_page_shows_the_total_and_the_goal(tmp_path: Path, database_url: str,
                                               data_copy: Path) -> None:
    letter = data_copy / "letters" / "stop-forced-repatriation.txt"
    letter.write_text(letter.read_text().replace("salutation:", "goal: 10000\nsalutation:"))
    app = app_on(data_copy, SECRET_KEY=SECRET, DATABASE_URL=database_url)
    app.extensions["campaign_counter"].cache_seconds = 0
    client = app.test_client()
    soup = page(client.get("/"))
    assert soup.find(id="totals") is None
    assert soup.find("progress")["value"] == "0"
    for country in ("GB", "KR", "KR"):
        count(client, token=token_of(client), channel="mailto", country=country)
    soup = page(client.get("/"))
    assert " ".join(soup.find(id="totals").get_text().split()) == (
        "3 letters sent from 2 countries. See where they come from")
    bar = soup.find("progress")
    assert (bar["max"], bar["value"]) == ("10000", "3")
    assert soup.find("label", attrs={"for": "goal-bar"}).get_text() == (
        "3 of 10,000 letters: help us reach the goal")
    assert stats(client)["by_letter"]["stop-forced-repatriation"]["goal"] == 10000


def test_without_javascript_a_send_button_counts_then_opens_the_link(client: FlaskClient) -> None:
    values = posted_page(client, "?country=GB&src=qr", subject="Hello")
    assert values["count_token"]
    response = client.post("/stop-forced-repatriation/go/gmail", data=values)
    assert response.status_code == 200
    assert "Location" not in response.headers  # the letter stays out of headers
    soup = page(response)
    href = soup.find(id="handoff-link")["href"]
    assert href.startswith(f"https://mail.google.com/mail/?view=cm&fs=1&to={COUNTRIES['GB']},")
    assert soup.find("meta", attrs={"http-equiv": "refresh"})["content"] == f"0; url={href}"
    again = client.post("/stop-forced-repatriation/go/mailto", data=values)
    assert page(again).find(id="handoff-link")["href"].startswith("mailto:")
    assert stats(client)["letters"] == 1  # one page, one letter
    rows = client.application.extensions["campaign_counter"].table("src")
    assert rows == [("qr", 1, 0)]
    assert client.post("/stop-forced-repatriation/go/fax", data=values).status_code == 404


def test_without_javascript_an_incomplete_form_is_shown_again(client: FlaskClient) -> None:
    values = form_values(page(client.get("/")))
    values.update(valid(name=""))
    response = client.post("/stop-forced-repatriation/go/mailto", data=values)
    assert response.status_code == 200
    assert "Enter your name" in page(response).find(id="name-error").get_text()
    assert stats(client)["letters"] == 0


def test_a_posted_page_keeps_its_token(client: FlaskClient) -> None:
    values = posted_page(client)
    again = form_values(page(client.post("/", data=values)))
    assert again["count_token"] == values["count_token"]
    forged = form_values(page(client.post("/", data={**values, "count_token": "forged"})))
    assert forged["count_token"] not in ("forged", values["count_token"])


def test_without_javascript_i_sent_it_thanks_and_counts(client: FlaskClient) -> None:
    values = posted_page(client)
    response = client.post("/stop-forced-repatriation/sent", data=values)
    assert response.status_code == 200
    assert page(response).h1.get_text() == "Thank you for writing"
    assert page(response).find(id="share") is not None
    assert stats(client)["confirmed"] == 1


def test_stats_command_prints_the_table(client: FlaskClient, database_url: str) -> None:
    for country, channel in (("GB", "mailto"), ("GB", "gmail"), ("KR", "copy")):
        count(client, token=token_of(client), channel=channel, country=country, src="x")

    def campaign(*args: str) -> Result:
        return CliRunner().invoke(main, args, env={"DATABASE_URL": database_url})

    result = campaign("stats")
    assert result.output.splitlines() == [
        "country    letters  confirmed",
        "GB               2          0",
        "KR               1          0",
        "total            3          0",
    ]
    csv = campaign("stats", "--by", "channel", "--csv").output
    assert csv.splitlines() == ["channel,letters,confirmed", "copy,1,0", "gmail,1,0",
                                "mailto,1,0"]
    since = campaign("stats", "--since", "2999-01-01").output
    assert since.splitlines()[-1].split() == ["total", "0", "0"]
    assert campaign("stats", "--by", "name").exit_code == 2


NAME, CITY, EMAIL = "Zebulon Quartermaine", "Xylophonia", "zebulon.q@example.org"


def test_no_name_city_or_email_reaches_the_database_or_logs(
        database_url: str, counts_database: str, caplog: pytest.LogCaptureFixture,
        capfd: pytest.CaptureFixture[str]) -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": SECRET, "DATABASE_URL": database_url})
    client = app.test_client()
    with caplog.at_level(logging.DEBUG):
        values = form_values(page(client.get("/?country=other")))
        values.update(valid(country="other", name=NAME, city=CITY, extra_to=EMAIL,
                            own_words=f"I am {NAME} of {CITY}."))
        assert client.post("/", data=values).status_code == 200
        client.post("/stop-forced-repatriation/go/mailto", data=values)
        client.post("/stop-forced-repatriation/sent", data=values)
        client.post("/", data={**values, "name": NAME + "\x00"})  # an invalid form too
        count(client, token=token_of(client), channel="copy", country="other")
    app.extensions["campaign_counter"].dispose()
    logged = caplog.text + "".join(capfd.readouterr())
    assert "POST /stop-forced-repatriation/go/mailto 200" in logged
    dumps = [logged]
    if database_url.startswith("sqlite"):
        db = Path(database_url.removeprefix("sqlite:///"))
        dumps += [p.read_bytes().decode("latin-1") for p in db.parent.glob(db.name + "*")]
    else:
        dumps.append(_postgres_dump(database_url))
    for dump in dumps:
        for secret in (NAME, CITY, EMAIL, "Zebulon", "127.0.0.1"):
            assert secret not in dump


def _postgres_dump(url: str) -> str:
    """Every row of every table in a PostgreSQL database, as text."""
    import psycopg

    text = []
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as connection:
        for (table,) in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"):
            text += [repr(row) for row in connection.execute(f'SELECT * FROM "{table}"')]
    return "\n".join(text)


# The concurrency test: real gunicorn, 4 workers, 2,000 counts from 50 concurrent clients.

@pytest.fixture
def gunicorn(database_url: str, gunicorn_server: Callable[..., Gunicorn]) -> Iterator[str]:
    """The app under gunicorn with 4 workers, counting into database_url."""
    with gunicorn_server(CAMPAIGN_SECRET_KEY=SECRET, DATABASE_URL=database_url,
                         CAMPAIGN_COUNT_LIMIT="1000000", WEB_CONCURRENCY="4") as server:
        yield server.url


def _post(url: str, token: str) -> int:
    body = urlencode({"token": token, "channel": "mailto", "country": "GB"}).encode()
    try:
        with urllib.request.urlopen(url + "/count", data=body, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_4_workers_and_50_clients_count_exactly(gunicorn: str, database_url: str) -> None:
    tokens = [mint(SECRET, "stop-forced-repatriation") for _ in range(2000)]
    with ThreadPoolExecutor(max_workers=50) as pool:
        codes = list(pool.map(lambda t: _post(gunicorn, t), tokens))
    assert codes.count(201) == 2000, {c: codes.count(c) for c in set(codes)}
    with ThreadPoolExecutor(max_workers=50) as pool:
        again = list(pool.map(lambda t: _post(gunicorn, t), tokens[:500]))
    assert set(again) == {200}
    time.sleep(5.1)  # past the totals cache
    totals = json.loads(urllib.request.urlopen(gunicorn + "/stats.json").read())
    assert totals["letters"] == 2000


def test_the_page_stays_up_when_the_database_is_gone(tmp_path: Path) -> None:
    db = tmp_path / "gone.db"
    app = create_app({"TESTING": True, "SECRET_KEY": SECRET, "DATABASE_URL": f"sqlite:///{db}"})
    app.extensions["campaign_counter"].dispose()
    for path in tmp_path.glob("gone.db*"):
        path.unlink()
    client = app.test_client()
    assert client.get("/").status_code == 200
    response = count(client, token=token_of(client), channel="mailto")
    assert response.status_code == 503
    assert response.get_json() == {"result": "unavailable"}


def test_the_rate_limit_holds_across_gunicorn_workers(gunicorn_server: Callable[..., Gunicorn],
                                                      database_url: str) -> None:
    """The finding: with gunicorn's workers, one client got 142 of 200 counts accepted in a
    burst against a limit of 30 a minute, since each worker kept its own limit."""
    with gunicorn_server(CAMPAIGN_SECRET_KEY=SECRET, DATABASE_URL=database_url,
                         CAMPAIGN_COUNT_LIMIT="30", WEB_CONCURRENCY="4") as server:
        while time.time() % 60 > 45:  # the burst fits in one minute's window
            time.sleep(1)
        tokens = [mint(SECRET, "stop-forced-repatriation") for _ in range(200)]
        with ThreadPoolExecutor(max_workers=20) as pool:
            codes = list(pool.map(lambda t: _post(server.url, t), tokens))
    assert codes.count(201) == 30, {c: codes.count(c) for c in set(codes)}
    assert codes.count(429) == 170


@pytest.mark.parametrize("token", [None, "", "forged", mint("another-secret",
                                                            "stop-forced-repatriation")])
def test_without_javascript_a_send_counts_only_with_the_pages_token(
        client: FlaskClient, token: str | None) -> None:
    """The finding: the no-JS send route counted without a token (it made a fresh one when
    the posted token was missing or forged)."""
    values = posted_page(client, "?country=GB")
    if token is None:
        values.pop("count_token")
    else:
        values["count_token"] = token
    for channel in CHANNELS:
        response = client.post(f"/stop-forced-repatriation/go/{channel}", data=values)
        assert response.status_code == 200  # the letter still goes out
        assert page(response).find(id="handoff-link")["href"]
    assert stats(client)["letters"] == 0
