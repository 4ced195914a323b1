"""Every log the deployment writes, under gunicorn as the README deploys it: one line per
event, no client address, no query string, even for malformed requests."""

from __future__ import annotations

import logging
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from support import Gunicorn

from campaign.web.requestlog import loggable_path
from campaign.web.serverlog import PrivateRecords, private

# The client connects from another loopback address than the server's, so an address in the
# log can only be the client's.
CLIENT = "127.0.0.2"
HOST = b"Host: 127.0.0.1\r\n"
MALFORMED = [
    b"GET /?name=Secret+Supporter HTTP/1.1 junk\r\n\r\n",  # a bad request line
    b"G@T /?name=Secret+Supporter HTTP/1.1\r\nHost: x\r\n\r\n",  # a bad method
    b"GET /?name=Secret+Supporter HTTP/9.9\r\nHost: x\r\n\r\n",  # a bad version
    b"GET /?name=Secret+Supporter HTTP/1.1\r\nHo st: x\r\n\r\n",  # a bad header name
    b"GET /?name=Secret+Supporter HTTP/1.1\r\nHost: x\r\nX: a\x00b\r\n\r\n",  # a bad header
    b"GET /?name=Secret+Supporter" + b"x" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",  # too long
    b"GET /%0d%0aGET%20/forged HTTP/1.1\r\n" + HOST + b"\r\n",  # an encoded line break
    b"POST /count?name=Secret+Supporter HTTP/1.1\r\n" + HOST
    + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n",  # a bad chunk
    b"GET /?name=Secret+Supporter HTTP/1.1\r\nHost: evil.example\r\n\r\n",  # not our host
]


def _send(port: int, raw: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5,
                                  source_address=(CLIENT, 0)) as sock:
        sock.sendall(raw)
        sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_malformed_requests_leave_no_address_or_query_in_any_log(
        gunicorn_server: Callable[..., Gunicorn]) -> None:
    with gunicorn_server() as server:
        answers = [_send(server.port, raw) for raw in MALFORMED]
        _send(server.port, b"GET /healthz?name=Secret+Supporter HTTP/1.1\r\n" + HOST + b"\r\n")
        time.sleep(0.5)
    log = server.log.read_text()
    assert all(answer.startswith(b"HTTP/1.1 4") for answer in answers), answers
    assert "Invalid request refused" in log  # gunicorn's refusals are still logged
    assert CLIENT not in log
    assert "Secret" not in log and "name=" not in log
    assert "forged" not in log.replace("%0D%0AGET%20/forged", "")  # only inside its own line
    for line in log.splitlines():
        assert line.isprintable()


@pytest.mark.parametrize(("message", "args", "expected"), [
    ("Invalid request from ip=203.0.113.9: Invalid HTTP request line: 'GET /?a=b x'", (),
     "Invalid request refused: Invalid HTTP request line"),
    ("Invalid request from ip=2001:db8::1: Request Line is too large (9000 > 4094)", (),
     "Invalid request refused: Request Line is too large"),
    ("Error handling request %s %s", ("GET", "/x?name=Secret\r\n"),
     "Error handling request GET /x"),
])
def test_gunicorn_messages_are_made_private(message: str, args: tuple[str, ...],
                                            expected: str) -> None:
    msg, rest = private(message, args)
    assert msg % rest == expected


def test_paths_are_logged_printable() -> None:
    assert loggable_path("/a b\r\nc/\u00e9") == "/a%20b%0D%0Ac/%C3%A9"
    assert loggable_path("/ko/stop-forced-repatriation/") == "/ko/stop-forced-repatriation/"


def test_an_exception_in_gunicorns_log_is_one_line_without_its_message() -> None:
    try:
        raise ValueError("Dear Minister, signed Secret Supporter")
    except ValueError:
        record = logging.LogRecord("gunicorn.error", logging.ERROR, __file__, 1,
                                   "Error handling request %s %s",
                                   ("GET", "/x?name=Secret+Supporter"), sys.exc_info())
    assert PrivateRecords().filter(record)
    text = logging.Formatter().format(record)
    assert text.startswith(f"Error handling request GET /x: ValueError at {Path(__file__).name}:")
    assert "\n" not in text and "Secret" not in text
