"""Security headers, the secret key, proxies, logs and the 500 page."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from support import Gunicorn, page, post_chunked, post_letter, valid

from campaign import create_app
from campaign.web.security import BODY_LIMIT, URL_LIMIT, security_headers

PATHS = ["/", "/?country=GB", "/stop-forced-repatriation/", "/healthz", "/stats.json",
         "/stop-forced-repatriation/card.png", "/qr.svg", "/stop-forced-repatriation/flyer",
         "/stop-forced-repatriation/post?country=US", "/stop-forced-repatriation/post/blank",
         "/no-such-page/"]


@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_the_security_headers(client: FlaskClient, path: str) -> None:
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert directives["base-uri"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "http" not in csp  # no other host, for anything
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in headers  # plain HTTP: no HSTS


def test_hsts_over_https(client: FlaskClient) -> None:
    headers = client.get("/", base_url="https://letters.example.org").headers
    assert headers["Strict-Transport-Security"].startswith("max-age=")


def test_behind_a_proxy_the_forwarded_scheme_and_client_are_trusted() -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "PROXIES": 1})
    seen = {}

    @app.route("/_who")
    def who() -> str:
        from flask import request

        seen["addr"], seen["secure"] = request.remote_addr, request.is_secure
        return "ok"

    response = app.test_client().get("/_who", headers={
        "X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"})
    assert seen == {"addr": "203.0.113.9", "secure": True}
    assert "Strict-Transport-Security" in response.headers


def test_one_log_line_per_request_without_query_form_or_address(
        client: FlaskClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="campaign.requests"):
        client.get("/?country=GB&src=x")
        post_letter(client, **valid(name="Secret Name", city="Secret City"))
    lines = [r.getMessage() for r in caplog.records if r.name == "campaign.requests"]
    assert len(lines) == 3  # GET, GET (post_letter opens the page), POST
    assert lines[0].startswith("GET / 200 ") and " id=" in lines[0]
    assert lines[2].startswith("POST / 200 ")
    text = "\n".join(lines)
    for secret in ("country", "GB", "Secret", "127.0.0.1"):
        assert secret not in text


def test_the_client_address_is_logged_only_if_configured(
        caplog: pytest.LogCaptureFixture) -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "LOG_IP": True})
    with caplog.at_level(logging.INFO, logger="campaign.requests"):
        app.test_client().get("/healthz")
    assert caplog.records[-1].getMessage().endswith(" 127.0.0.1")


@pytest.fixture
def failing_app() -> Flask:
    app = create_app({"TESTING": True, "SECRET_KEY": "t"})
    app.testing = False  # let the error handler answer, as in production

    @app.route("/_boom", methods=["POST"])
    def boom() -> str:
        from flask import request

        raise ValueError(f"Dear Minister, signed {request.form['name']}")

    return app


def test_a_server_error_shows_a_reference_and_logs_it_without_the_message(
        failing_app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        response = failing_app.test_client().post("/_boom", data={"name": "Secret Supporter"})
    assert response.status_code == 500
    soup = page(response)
    assert soup.h1.get_text() == "Something went wrong on our side"
    request_id = soup.find(id="request-id").get_text()
    assert len(request_id) == 12
    failure = [r.getMessage() for r in caplog.records if "failed" in r.getMessage()]
    assert failure and f"request {request_id} failed: ValueError" in failure[0]
    assert "Secret" not in caplog.text
    assert f"id={request_id}" in caplog.text  # the request's own log line has the same id


# Any body shape gets a 4xx, never a 500.
FORM_ROUTES = ["/", "/stop-forced-repatriation/", "/stop-forced-repatriation/go/mailto",
               "/stop-forced-repatriation/sent"]
JSON_BODIES = ['[1,2,3]', '"abc"', '{"name": {"x": 1}}', "null", "12", '{"country": ["GB"]}',
               "[" * 40_000, "{" * 20_000, "not json"]


@pytest.mark.parametrize("body", JSON_BODIES)
@pytest.mark.parametrize("path", FORM_ROUTES)
def test_a_json_body_to_a_form_is_a_client_error(client: FlaskClient, path: str,
                                                 body: str) -> None:
    response = client.post(path, data=body, content_type="application/json")
    assert 400 <= response.status_code < 500, response.status_code


@pytest.mark.parametrize("body", JSON_BODIES)
def test_any_json_body_to_count_is_a_client_error(client: FlaskClient, body: str) -> None:
    response = client.post("/count", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json() == {"result": "bad"}


@pytest.mark.parametrize("path", ["/%0d%0aGET%20/admin%20HTTP/1.1",
                                  "/x%0aPOST%20/count%20201%201.0ms%20id=forged",
                                  "/%E2%80%A8fake", "/\u2028x"])
def test_one_request_is_one_log_line(client: FlaskClient, caplog: pytest.LogCaptureFixture,
                                     path: str) -> None:
    with caplog.at_level(logging.INFO, logger="campaign.requests"):
        client.get(path)
    lines = [r.getMessage() for r in caplog.records if r.name == "campaign.requests"]
    assert len(lines) == 1
    assert lines[0].isprintable() and lines[0].startswith("GET /")
    assert re.search(r" (308|404) \d+\.\dms id=", lines[0])


HOSTILE = ["/", "/ko/?country=KR", "/stop-forced-repatriation/flyer", "/qr.svg",
           "/stop-forced-repatriation/card.png", "/stats.json", "/healthz", "/nope"]


@pytest.mark.parametrize("settings", [{"PUBLIC_URL": "https://letters.example.org"},
                                      {"TRUSTED_HOSTS": ("letters.example.org",)},
                                      {"TRUSTED_HOSTS": ("letters.example.org",), "PROXIES": 1}])
def test_a_forged_host_is_refused_and_never_reaches_a_page(settings: dict[str, object]) -> None:
    client = create_app({"TESTING": True, "SECRET_KEY": "t", **settings}).test_client()
    forged = [{"base_url": "https://evil.example"},
              {"base_url": "https://letters.example.org",
               "headers": {"X-Forwarded-Host": "evil.example"}},
              {"base_url": "https://letters.example.org:443@evil.example"}]
    for _ in range(3):  # as an attacker would: again and again, to poison any cache
        for path in HOSTILE:
            for how in forged:
                response = client.get(path, **how)  # type: ignore[arg-type]
                assert b"evil" not in response.data, (path, how)
                if "X-Forwarded-Host" not in how.get("headers", {}):
                    assert response.status_code == 400, (path, how)
    for path in HOSTILE[:3]:
        body = client.get(path, base_url="https://letters.example.org").get_data(as_text=True)
        assert "evil" not in body
        assert "https://letters.example.org/" in body


def test_in_development_each_host_gets_its_own_page() -> None:
    """No public URL: links follow the host asked for, and no host's page is served to
    another (the page cache is keyed by it)."""
    client = create_app({"TESTING": True, "SECRET_KEY": "t"}).test_client()
    assert b"evil.example" in client.get("/", base_url="http://evil.example").data
    assert b"evil.example" not in client.get("/", base_url="http://localhost").data


# What a request may carry: an address of at most URL_LIMIT, a body of at most BODY_LIMIT,
# however it is sent.

FORM = "application/x-www-form-urlencoded"


def _token(client: FlaskClient) -> str:
    return str(client.post("/token", data={"letter": "stop-forced-repatriation"}).json["token"])


def _chunked(body: bytes) -> dict[str, Any]:
    """The environ of a body sent in chunks, as gunicorn hands it on: no length, the stream
    ended by the server."""
    return {"wsgi.input": io.BytesIO(body), "HTTP_TRANSFER_ENCODING": "chunked",
            "wsgi.input_terminated": True, "CONTENT_TYPE": FORM}


def _count_body(token: str, pad: int = 0) -> bytes:
    fields = {"token": token, "channel": "mailto", "country": "GB"}
    return urlencode({**fields, **({"pad": "x" * pad} if pad else {})}).encode()


def test_a_chunked_body_within_the_limit_is_read_whole(client: FlaskClient) -> None:
    body = _count_body(_token(client), pad=BODY_LIMIT - 200)
    assert len(body) <= BODY_LIMIT
    response = client.post("/count", environ_overrides=_chunked(body))
    assert (response.status_code, response.json) == (201, {"result": "counted"})


@pytest.mark.parametrize("size", [BODY_LIMIT + 1, 2_000_000])
def test_a_chunked_body_over_the_limit_is_refused_not_cut(client: FlaskClient,
                                                          size: int) -> None:
    """The finding: a 2 MB chunked count was cut at 64 KiB by Werkzeug, and counted."""
    token = _token(client)
    body = _count_body(token, pad=size)
    response = client.post("/count", environ_overrides=_chunked(body))
    assert (response.status_code, response.json) == (413, {"result": "bad"})
    page_response = client.post("/", environ_overrides=_chunked(body))
    assert page_response.status_code == 413
    assert page(page_response).h1.get_text() == "That was more text than a letter needs"
    # The token was not used: the same send, within the limit, counts.
    assert client.post("/count", data=_count_body(token), content_type=FORM).status_code == 201


@pytest.mark.parametrize("method", ["GET", "POST", "PUT"])
def test_a_body_with_a_length_over_the_limit_is_refused_on_any_method(
        client: FlaskClient, method: str) -> None:
    response = client.open("/", method=method, data=b"x" * (BODY_LIMIT + 1), content_type=FORM)
    assert response.status_code == 413
    assert response.headers["Content-Security-Policy"] == security_headers()[
        "Content-Security-Policy"]


def test_an_address_over_the_limit_gets_a_414_page_in_its_language(client: FlaskClient) -> None:
    path = "/ko/?country=GB&src="
    longest = path + "x" * (URL_LIMIT - len(path))
    assert client.get(longest).status_code == 200
    response = client.get(longest + "x")
    assert response.status_code == 414
    soup = page(response)
    assert soup.html["lang"] == "ko"
    assert soup.h1.get_text() == "링크가 너무 깁니다"
    assert soup.find("a", href="/ko/")  # back to the campaign, in Korean
    for name, value in security_headers().items():
        assert response.headers[name] == value
    # The 500-parameter link of the finding, and on the script's paths, JSON.
    assert client.get("/?" + "country=GB&" * 500).status_code == 414
    refused = client.post("/count?" + "x" * URL_LIMIT, data=_count_body(_token(client)),
                          content_type=FORM)
    assert (refused.status_code, refused.json) == (414, {"result": "bad"})


def test_a_chunked_count_over_the_limit_is_refused_under_gunicorn(
        gunicorn_server: Callable[..., Gunicorn]) -> None:
    """The finding, as it was met: gunicorn alone, a 2 MB chunked count with a valid token."""
    with gunicorn_server() as server:
        def token() -> str:
            status, _, content = post_chunked(server.url, "/token",
                                              b"letter=stop-forced-repatriation")
            assert status == 200
            return str(json.loads(content)["token"])

        status, _, content = post_chunked(server.url, "/count",
                                          _count_body(token(), pad=2_000_000))
        assert (status, json.loads(content)) == (413, {"result": "bad"})
        status, _, content = post_chunked(server.url, "/count", _count_body(token()))
        assert (status, json.loads(content)) == (201, {"result": "counted"})
