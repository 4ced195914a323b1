"""What several test files share: reading pages and forms, posting letters, a live server,
the recipients the tests' own data routes to, and the rule for missing real services."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from campaign import ROOT, create_app

from .workers import only, workers

CHROMIUM = "/usr/bin/chromium"
TEST_DATA = Path(__file__).parent.parent / "fixtures"  # the tests' own contacts.yaml, letters/
running: pytest.Item | None = None  # the test being run (conftest.py says)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

# The addresses of tests/fixtures/contacts.yaml (made up), as its missions route them.
EMBASSY = "us-embassy@missions.example.org"
NEW_YORK = "us-new-york@missions.example.org"
CHICAGO = "us-chicago@missions.example.org"
UN = "un-new-york@missions.example.org"

# The test data's US districts, by hand: where each state's letters go. The embassy receives
# those of the states served by San Francisco and Los Angeles (no address), and of the states
# no district lists.
US_STATES = {
    **dict.fromkeys(["DC", "TX"], EMBASSY),  # the embassy's own district
    **dict.fromkeys(["FL", "GU", "AK", "PR"], EMBASSY),  # in no district
    **dict.fromkeys(["NY", "NJ", "PA"], NEW_YORK),
    **dict.fromkeys(["IL", "MI"], CHICAGO),
    **dict.fromkeys(["WA", "CA-N"], EMBASSY),  # San Francisco's
    **dict.fromkeys(["CA-S", "AZ"], EMBASSY),  # Los Angeles'
}
US_SERVING = {
    **dict.fromkeys(["WA", "CA-N"], "us-san-francisco"),
    **dict.fromkeys(["CA-S", "AZ"], "us-los-angeles"),
}
COUNTRIES = {
    "KR": "kr-embassy@missions.example.org",
    "AU": "au-embassy@missions.example.org",
    "CA": "ca-embassy@missions.example.org",
    "FR": "fr-embassy@missions.example.org",
    "DE": "de-embassy@missions.example.org",
    "JP": "jp-embassy@missions.example.org",
    "GB": "gb-embassy@missions.example.org",
}


def page(response: Any) -> BeautifulSoup:
    """Parse a response's HTML as a browser does (WHATWG's parsing, by html5lib): the page
    leaves out end tags HTML implies (an option's), which html.parser does not know."""
    return BeautifulSoup(response.get_data(as_text=True), "html5lib")


def form_values(soup: BeautifulSoup) -> dict[str, Any]:
    """The values a browser would submit from the letter form as it stands."""
    form = soup.find("form", id="letter-form")
    values: dict[str, Any] = {}
    for node in form.find_all(["input", "textarea", "select"]):
        name = node.get("name")
        if not name:
            continue
        if node.name == "textarea":
            # HTML drops a newline right after <textarea>, as a browser does
            text = node.string or ""
            values[name] = text[2:] if text.startswith("\r\n") else text.removeprefix("\n")
        elif node.name == "select":
            chosen = node.find("option", selected=True)
            values[name] = chosen["value"] if chosen else ""
        elif node.get("type") == "checkbox":
            if node.has_attr("checked"):
                values.setdefault(name, []).append(node["value"])
        elif node.get("type") != "submit":
            values[name] = node.get("value", "")
    return values


def post_letter(client: FlaskClient, path: str = "/", query: str = "", **fields: Any) -> Any:
    """Open the page as a supporter would, fill the given fields and post the form."""
    values = form_values(page(client.get(path + query)))
    values.update(fields)
    return client.post(path, data=values)


def valid(**overrides: Any) -> dict[str, Any]:
    """A supporter's valid answers, with some changed."""
    fields = {"country": "GB", "region": "", "name": "Ada Lovelace", "city": "London"}
    fields.update(overrides)
    return fields


def script_data(client: FlaskClient, response: Any) -> Any:
    """The data a page's campaign.js gets: the file its page loads (web/scriptdata.py)."""
    from campaign.web.scriptdata import decode

    found = page(response).find("script", src=re.compile(r"/data\.[0-9a-f]+\.js$"))
    assert found is not None, "the page loads no script data"
    return decode(client.get(found["src"]).data)


def links_of(client: FlaskClient, response: Any) -> dict[str, str]:
    """The links a posted page's letter is sent by (links_in)."""
    return links_in(client, page(response))


def links_in(client: FlaskClient, soup: BeautifulSoup) -> dict[str, str]:
    """The links a posted page's letter is sent by, as a browser without the script gets
    them: each send button posts the page's form to its own address (/go/<channel>), which
    answers with the page that opens its link; "" where the letter cannot go that way (the
    form comes back instead). The posted page carries no link itself (the script builds
    its own): the same holds for every channel."""
    assert {a["href"] for a in soup.select(".send-buttons a")} == {""}
    values = form_values(soup)
    links = {}
    for item in soup.select(".send-buttons li.no-js-only"):
        opener = page(client.post(item.button["formaction"], data=values)).find(id="handoff-link")
        links[item["data-channel"]] = opener["href"] if opener else ""
    return links


def decode_mailto(href: str) -> tuple[list[str], str, str]:
    parts = urlsplit(href)
    query = parse_qs(parts.query, keep_blank_values=True)
    return [unquote(a) for a in parts.path.split(",")], query["subject"][0], query["body"][0]


def error_of(response: Any, field: str) -> str:
    node = page(response).find(id=f"{field}-error")
    return node.get_text(strip=True) if node and not node.has_attr("hidden") else ""


def second_letter(data: Any, name: str, **front: str) -> None:
    """Add a letter to a data copy, changing its front matter."""
    text = (data / "letters" / "stop-forced-repatriation.txt").read_text()
    extra = "".join(f"{key}: {value}\n" for key, value in front.items())
    text = text.replace("title: Stop the forced repatriation of North Korean refugees",
                        f"title: The {name} letter\n{extra}")
    (data / "letters" / f"{name}.txt").write_text(text)


# Organizers invented for the tests: the shipped file names none (its organizers have not
# named themselves yet), and the tests never invent an organization for it.
ORGANIZERS = ("organizers:\n  name: Test Campaigners\n  link: https://campaigners.example.org\n"
              "  email: organizers@example.org\n")


def with_organizers(data: Any, extra: str = "") -> None:
    """Name test organizers at the top of a data copy's contacts.yaml."""
    contacts = data / "contacts.yaml"
    contacts.write_text(ORGANIZERS + extra + contacts.read_text())


def app_on(data: Path, **config: Any) -> Flask:
    """The app on a copy of the data (its contacts.yaml and letters/), with more settings
    (by their names in capitals) or Flask configuration."""
    return create_app({"TESTING": True, "SECRET_KEY": "t", "CONTACTS": str(data / "contacts.yaml"),
                       "LETTERS": str(data / "letters"), **config})


def client_on(data: Path) -> FlaskClient:
    """A test client of an app on a copy of the data."""
    return app_on(data).test_client()


def without_un_email(data: Path) -> Path:
    """The tests' data as the shipped data is: the UN mission in New York without an email
    address, so a supporter in Gabon (whose embassy has none) has no recipient by email."""
    contacts = data / "contacts.yaml"
    text = contacts.read_text()
    block = "    email: un-new-york@missions.example.org\n"
    assert block in text
    contacts.write_text(text.replace(block, "").replace(
        "one weak source, https://www.example.org/sources/un'\n    checked: 2026-11-22\n"
        "    status: unconfirmed",
        "one weak source, https://www.example.org/sources/un'\n    checked: 2026-11-22\n"
        "    status: no-address"))
    return data


class LiveServer:
    """The app served over real HTTP on a free port, in a thread."""

    def __init__(self, app: Flask) -> None:
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def starting(what: str) -> None:
    """Fail a test that starts a real server unmarked: a test gets the `server` marker from the
    fixture that starts one (conftest.py), and `make quick` leaves it out."""
    if running is not None and running.get_closest_marker("server") is None:
        pytest.fail(f"{running.nodeid} starts {what} without the `server` marker: start it "
                    "through a fixture that marks it (gunicorn_server, front, fresh_front)")
class BrowserErrors:
    """Every uncaught error and console error of the pages it watches. Playwright reports a
    frame's (even one from another site, in a process of its own) on the page holding it."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.expected: list[tuple[re.Pattern[str], re.Pattern[str]]] = []
        self.allowed: list[str] = []  # the expected errors that came

    def allow(self, pattern: str, where: str = "") -> None:
        """Expect console errors matching pattern (the browser refusing what it must refuse),
        from an address matching `where`: they are kept in `allowed`, not counted as errors."""
        self.expected.append((re.compile(pattern), re.compile(where)))

    def watch(self, context: Any) -> Any:
        """Watch every page of a browser context, those it opens later (tabs) included."""
        context.on("page", self.watch_page)
        for opened in context.pages:
            self.watch_page(opened)
        return context

    def watch_page(self, page: Any) -> None:
        page.on("pageerror", lambda error: self.errors.append(
            f"uncaught {error.name}: {error.message} (page {page.url})"))
        page.on("console", lambda message: self._console(page, message))

    def _console(self, page: Any, message: Any) -> None:
        if message.type != "error":
            return
        where = message.location.get("url") or page.url
        if any(pattern.search(message.text) and url.search(where)
               for pattern, url in self.expected):
            self.allowed.append(message.text)
            return
        self.errors.append(f"console error: {message.text} ({where})")


class WatchedBrowser:
    """Chromium as a test sees it: the contexts and pages it opens are watched for errors
    (`BrowserErrors`) and closed when the test ends."""

    def __init__(self, chromium: Any, errors: BrowserErrors) -> None:
        self.chromium = chromium
        self.errors = errors
        self.contexts: list[Any] = []
        self.launched: list[WatchedBrowser] = []

    def new_context(self, **options: Any) -> Any:
        """A new browser context (its own cookies, permissions and settings), watched."""
        context = self.chromium.new_context(**options)
        self.contexts.append(context)
        return self.errors.watch(context)

    def new_page(self, **options: Any) -> Any:
        """A page in a new context of its own, watched."""
        return self.new_context(**options).new_page()

    def launch(self, *args: str) -> WatchedBrowser:
        """Another Chromium, started with these extra command-line switches, watched alike."""
        other = self.chromium.browser_type.launch(executable_path=CHROMIUM,
                                                  args=[*CHROMIUM_ARGS, *args])
        watched = WatchedBrowser(other, self.errors)
        self.launched.append(watched)
        return watched

    def close(self) -> None:
        """Close every context and browser this one opened; their last events arrive first."""
        for context in self.contexts:
            context.close()
        for other in self.launched:
            other.close()
            other.chromium.close()
        self.contexts, self.launched = [], []


def needs(what: str, reason: str) -> None:
    """Fail in CI, skip on a developer's machine, when a real service is missing."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing: {reason}")
    pytest.skip(f"{what} is not available: {reason}")




def post_chunked(url: str, path: str, body: bytes, headers: dict[str, str] | None = None
                 ) -> tuple[int, dict[str, str], bytes]:
    """POST a body in chunks (no Content-Length), as a streaming client sends one: the
    status, the headers (names in lower case) and the body of the answer."""
    parts = urlsplit(url)
    sent = {"Host": parts.netloc, "Content-Type": "application/x-www-form-urlencoded",
            **(headers or {}), "Transfer-Encoding": "chunked", "Connection": "close"}
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        head = f"POST {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in sent.items())
        try:
            sock.sendall(head.encode() + b"\r\n")
            for start in range(0, len(body), 65536):
                chunk = body[start:start + 65536]
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server answered before reading it all: its answer is waiting
        answer = b""
        while data := sock.recv(65536):
            answer += data
    head_bytes, _, content = answer.partition(b"\r\n\r\n")
    status_line, *lines = head_bytes.decode("latin-1").split("\r\n")
    answered = {name.lower(): value.strip()
                for name, _, value in (line.partition(":") for line in lines)}
    if answered.get("transfer-encoding") == "chunked":
        content = dechunk(content)
    return int(status_line.split()[1]), answered, content


def dechunk(content: bytes) -> bytes:
    """A body sent in chunks, whole."""
    body = b""
    while True:
        size_line, _, content = content.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if not size:
            return body
        body, content = body + content[:size], content[size + 2:]


def free_port() -> int:
    """A TCP port free on loopback just now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def named_data(folder: Path) -> Path:
    """A copy of the tests' own data in folder, its organizers named (production serves
    nothing until they are)."""
    shutil.copytree(TEST_DATA, folder, dirs_exist_ok=True)
    with_organizers(folder)
    return folder


class Gunicorn:
    """The app under gunicorn with the repository's gunicorn.conf.py, as the README deploys it,
    on a free loopback port; its stderr (gunicorn's log and the app's) goes to `log`. It
    serves a copy of the tests' data with organizers named, unless env names other data."""

    def __init__(self, tmp_path: Path, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tmp_path / f"gunicorn-{self.port}.log"
        folder = tmp_path / f"data-{self.port}"
        data = {} if "CAMPAIGN_CONTACTS" in env else {
            "CAMPAIGN_CONTACTS": str(named_data(folder) / "contacts.yaml"),
            "CAMPAIGN_LETTERS": str(folder / "letters")}
        self.env = {**os.environ, "CAMPAIGN_SECRET_KEY": "gunicorn-test-secret",
                    "CAMPAIGN_PUBLIC_URL": self.url, "BIND": f"127.0.0.1:{self.port}",
                    "WEB_CONCURRENCY": "2", **data, **env}
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Gunicorn:
        """Start gunicorn (again, after stop()), and wait until it answers."""
        return self.__enter__()

    def stop(self) -> None:
        """Stop gunicorn as a deploy does: its workers finish what they hold."""
        self.__exit__()

    def reload(self) -> None:
        """Restart the workers as a deploy does (SIGHUP): new ones start, the old ones finish
        what they hold and stop."""
        assert self.process is not None
        self.process.send_signal(signal.SIGHUP)

    def __enter__(self) -> Gunicorn:
        starting("gunicorn")
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [str(Path(sys.executable).parent / "gunicorn"), "-c",
                 str(ROOT / "gunicorn.conf.py"), "--chdir", str(ROOT), "campaign:create_app()"],
                env=self.env, stdout=subprocess.DEVNULL, stderr=log)
        for _ in range(200):
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=1).close()
                return self
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        self.__exit__()
        pytest.fail("gunicorn did not start:\n" + self.log.read_text())

    def __exit__(self, *exc: object) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)

    def workers(self, expected: int | None = None) -> list[int]:
        """The pids of gunicorn's workers (once `expected` of them are up)."""
        assert self.process is not None
        for _ in range(200):
            found = workers(self.process.pid)
            if expected is None or len(found) == expected:
                return found
            time.sleep(0.1)
        pytest.fail(f"gunicorn has {len(found)} workers, not {expected}")

    def only(self, worker: int) -> contextlib.AbstractContextManager[None]:
        """Every connection goes to one worker meanwhile (support/workers.py)."""
        assert self.process is not None
        return only(worker, self.process.pid)
