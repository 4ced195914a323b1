"""deploy/nginx.conf in front of gunicorn, both real, on loopback: what a viral peak meets.

The file is started as deployed, with only its ports and paths made local
(tests/support/frontserver.py). Without nginx these tests fail in CI and skip on a developer's
machine.
"""

from __future__ import annotations

import contextlib
import gzip
import http.client
import io
import json
import re
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect
from support import Gunicorn, needs, post_chunked
from support.frontserver import CONFIG, FrontServer, local_config, nginx_binary

from campaign.counting.storage import Counter
from campaign.counting.tokens import mint
from campaign.i18n.languages import BY_CODE, LANGUAGES
from campaign.web.caching import NO_STORE
from campaign.web.errorpages import page_path
from campaign.web.security import BODY_LIMIT, URL_LIMIT, content_security_policy, security_headers

SECRET = "frontserver-test-secret"
LETTER = "stop-forced-repatriation"
ARRIVAL_CACHE = "public, max-age=60, stale-while-revalidate=60"


@dataclass
class Reply:
    """One HTTP answer."""

    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name: str) -> str:
        """A header's value; a header sent several times (Vary), its values joined."""
        return ", ".join(self.headers.get_all(name) or [])


def ask(url: str, path: str, method: str = "GET", body: str | None = None,
        headers: dict[str, str] | None = None, timeout: float = 30) -> Reply:
    """One request, with exactly the headers given (Host included, if given)."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
    sent = dict(headers or {})
    if body is not None:
        sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
    try:
        connection.putrequest(method, path, skip_host="Host" in sent,
                              skip_accept_encoding=True)
        for name, value in sent.items():
            connection.putheader(name, value)
        data = body.encode() if body is not None else None
        if data is not None:
            connection.putheader("Content-Length", str(len(data)))
        connection.endheaders(data)
        response = connection.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        connection.close()


@dataclass
class Front:
    """nginx in front of gunicorn, and where each logs."""

    nginx: FrontServer
    app: Gunicorn
    database_url: str

    @property
    def url(self) -> str:
        return self.nginx.url

    def app_lines(self, request_line: str) -> int:
        """How many times the app logged answering this request line (e.g. 'GET /fr/ 200')."""
        return len(re.findall(rf" {re.escape(request_line)} [\d.]+ms", self.app.log.read_text()))


@contextlib.contextmanager
def _front(folder: Path, host: str | None = None, env: dict[str, str] | None = None,
           **nginx_options: object) -> Iterator[Front]:
    """gunicorn, and deploy/nginx.conf in front of it, each on a free loopback port; the
    app's public address is nginx's, or http://<host> where nginx answers for `host`."""
    if nginx_binary() is None:
        needs("nginx", ".ci/run installs Debian's nginx")
    database_url = f"sqlite:///{folder / 'counts.db'}"
    app = Gunicorn(folder, CAMPAIGN_SECRET_KEY=SECRET, DATABASE_URL=database_url,
                   CAMPAIGN_PROXIES="1", CAMPAIGN_COUNT_LIMIT="1000000", **(env or {}))
    nginx = FrontServer(folder / "nginx", app.port, host=host or "127.0.0.1",
                        **nginx_options)  # type: ignore[arg-type]
    app.env["CAMPAIGN_PUBLIC_URL"] = f"http://{host}" if host else nginx.url
    with app, nginx:
        yield Front(nginx, app, database_url)


@pytest.fixture
def fresh_front(tmp_path: Path) -> Callable[..., contextlib.AbstractContextManager[Front]]:
    """Starts a front server of its own for a test (`with fresh_front(...) as front:`), each
    in a new folder: nothing cached, in nginx or in the app."""
    started = iter(range(1000))
    return lambda **options: _front(tmp_path / f"front-{next(started)}", **options)


UNLIMITED = {"rate=20r/s": "rate=100000r/s", "burst=60": "burst=100000"}


@pytest.fixture(scope="module")
def front(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Front]:
    """The shipped configuration, with nginx's per-address limit on /count and /token
    raised: every request of these tests comes from the one address 127.0.0.1, which the
    limit (rightly) stops after a burst of 60 (test_the_count_rate_is_limited_per_address)."""
    with _front(tmp_path_factory.mktemp("front"), changes=UNLIMITED) as front:
        yield front


def test_the_local_run_changes_only_ports_and_paths(tmp_path: Path) -> None:
    shipped = CONFIG.read_text()
    local = local_config(shipped, 8080, 8000, tmp_path)
    dropped = set(shipped.splitlines()) - set(local.splitlines())
    assert {line.strip() for line in dropped} == {
        "listen 80 default_server;", "listen [::]:80 default_server;",
        "server_name letters.example.org;", "alias /var/www/campaign-errors/;",
        "root /var/www/campaign-errors;",
        "proxy_cache_path /var/cache/nginx/campaign levels=1:2 keys_zone=campaign:10m "
        "max_size=256m",
        "access_log /var/log/nginx/campaign-access.log campaign_private buffer=32k flush=1s;",
        "error_log /var/log/nginx/campaign-error.log crit;"}
    assert "/var/" not in local.split("# tests/test_frontserver.py")[1]


def test_the_configurations_languages_are_the_campaigns() -> None:
    text = CONFIG.read_text()
    codes = {lang.code for lang in LANGUAGES}
    primaries = re.search(r"\(\?:((?:[a-z]{2}\|)+[a-z]{2})\)\(\?:-\[a-z0-9\]\+\)\*", text)
    assert primaries, "the Accept-Language map"
    assert set(primaries.group(1).split("|")) == {lang.locale.split("_")[0] for lang in LANGUAGES}
    chosen = re.search(r"map \$campaign_asked \$campaign_language \{\n(.*?)\n\}", text, re.S)
    assert chosen, "the map of the browser's language to ours"
    assert set(re.findall(r"^ +\S+ +(\S+);$", chosen.group(1), re.M)) == codes
    prefixes = re.search(r'"~\^/\(\?<code>([a-z|-]+)\)\(\?:/\|\$\)"', text)
    assert prefixes, "the map of addresses with a language"
    assert set(prefixes.group(1).split("|")) == codes


@pytest.mark.parametrize(("accept", "lang"), [
    ("", "en"), ("ko-KR,ko;q=0.9,en;q=0.8", "ko"), ("zh-TW", "zh-Hant"), ("zh-CN,zh", "zh-Hans"),
    ("it, xx", "en"), ("it-IT, fr-CH;q=0.8, en;q=0.5", "fr"), ("pt-BR", "pt"), ("DE", "de"),
])
def test_a_bare_address_is_in_the_browsers_language_through_nginx(
        front: Front, accept: str, lang: str) -> None:
    for _ in range(2):  # asked of the app, then from the cache: the same language
        reply = ask(front.url, "/?src=lang", headers={"Accept-Language": accept} if accept else {})
        assert reply.status == 200
        assert BeautifulSoup(reply.body, "html.parser").html["lang"] == lang
    assert reply.header("X-Cache-Status") == "HIT"


def test_an_arrival_page_is_asked_of_the_app_once(front: Front) -> None:
    before = front.app_lines("GET /fr/ 200")
    replies = [ask(front.url, "/fr/?country=FR&src=once") for _ in range(20)]
    assert [r.header("X-Cache-Status") for r in replies[:2]] == ["MISS", "HIT"]
    assert {r.header("X-Cache-Status") for r in replies[1:]} == {"HIT"}
    assert len({r.body for r in replies}) == 1
    assert front.app_lines("GET /fr/ 200") == before + 1


def test_two_supporters_get_the_same_bytes_and_headers_through_nginx(front: Front) -> None:
    one = ask(front.url, f"/{LETTER}/?country=KR&src=x",
              headers={"User-Agent": "Mozilla/5.0 (iPhone)", "Cookie": "session=someone",
                       "Accept-Language": "ko"})
    two = ask(front.url, f"/{LETTER}/?country=KR&src=x",
              headers={"User-Agent": "Mozilla/5.0 (Windows NT 10.0)", "Accept-Language": "ko"})
    assert one.status == two.status == 200
    assert one.body == two.body
    for reply in (one, two):
        assert reply.header("Set-Cookie") == ""
        assert reply.header("Cache-Control") == ARRIVAL_CACHE
        assert re.fullmatch(r'"[0-9a-f]{24}"', reply.header("ETag"))
        # The page follows the browser's language; nginx may compress it.
        assert {v.strip() for v in reply.header("Vary").split(",")} == {"Accept-Language",
                                                                        "Accept-Encoding"}
        assert reply.header("Content-Security-Policy") == content_security_policy()
        assert reply.header("X-Frame-Options") == "DENY"
        assert reply.header("Server") == "nginx"  # no version
    soup = BeautifulSoup(one.body, "html.parser")
    assert soup.find("input", attrs={"name": "count_token"})["value"] == ""
    assert soup.find("link", rel="canonical")["href"].startswith(front.url + "/")


# A visitor's junk (or another spelling of a page's values) first; then the page as everyone
# else asks for it.
JUNK = ['/fr/?country=ZZ"x&region=QQ1&src=Bad%20Src', "/fr/?country=Br",
        f'/{LETTER}/?country=us&region=ny&src=Bad%20Src', f'/embed/{LETTER}?country=ZZ"x',
        '/ko/impact?country=ZZ"x']
CLEAN = ["/fr/", "/fr/?country=BR", f"/{LETTER}/?country=US&region=NY", f"/embed/{LETTER}",
         "/ko/impact"]


def test_no_shared_page_carries_a_visitors_query_through_nginx(
        fresh_front: Callable[..., contextlib.AbstractContextManager[Front]]) -> None:
    """The finding: after `GET /fr/?country=ZZ"x&region=QQ1&src=Bad%20Src`, every visitor of
    `/fr/` got language links to `/en/?country=ZZ%22x&region=QQ1&src=Bad+Src`. Each page
    through nginx is the same bytes whether junk came first or not (one gunicorn worker, so
    the junk and the page meet in the same app)."""
    def pages(first: list[str]) -> dict[str, bytes]:
        host = "letters.example.org"  # one public address for both runs: the same pages
        with fresh_front(host=host, env={"WEB_CONCURRENCY": "1",  # gunicorn asks /healthz:
                                         "CAMPAIGN_TRUSTED_HOSTS": "127.0.0.1"}) as front:
            for path in first:
                assert ask(front.url, path, headers={"Host": host}).status == 200, path
            replies = {path: ask(front.url, path, headers={"Host": host}) for path in CLEAN}
        assert {reply.status for reply in replies.values()} == {200}
        return {path: reply.body for path, reply in replies.items()}

    clean_first, junk_first = pages([]), pages(JUNK)
    for path in CLEAN:
        assert junk_first[path] == clean_first[path], path
        assert b"ZZ" not in junk_first[path] and b"Bad" not in junk_first[path], path


def test_a_known_page_is_revalidated_with_a_304(front: Front) -> None:
    first = ask(front.url, "/de/?country=DE")
    etag = first.header("ETag")
    again = ask(front.url, "/de/?country=DE", headers={"If-None-Match": etag})
    assert again.status == 304 and again.body == b""
    assert again.header("ETag") == etag
    assert ask(front.url, "/de/?country=DE", headers={"If-None-Match": '"other"'}).status == 200
    # Compressed, the ETag is weak, and a browser revalidating with it gets its 304 too.
    zipped = ask(front.url, "/de/?country=DE", headers={"Accept-Encoding": "gzip"})
    assert zipped.header("Content-Encoding") == "gzip"
    assert gzip.decompress(zipped.body) == first.body
    assert zipped.header("ETag") == "W/" + etag
    assert ask(front.url, "/de/?country=DE", headers={
        "Accept-Encoding": "gzip", "If-None-Match": zipped.header("ETag")}).status == 304


def test_fingerprinted_files_are_compressed_and_kept_a_year(front: Front) -> None:
    page = BeautifulSoup(ask(front.url, "/").body, "html.parser")
    paths = [page.find("link", rel="stylesheet")["href"],
             *(s["src"] for s in page.find_all("script", src=True))]
    assert len(paths) >= 2
    for path in paths:
        # the assets, and the script's data (named by its own fingerprint, web/scriptdata.py)
        assert re.fullmatch(r"/assets/[a-z]+\.[0-9a-f]{10}\.(?:css|js)"
                            r"|/en/stop-forced-repatriation/data\.[0-9a-f]{12}\.js", path)
        plain = ask(front.app.url, path).body  # straight from the app
        replies = [ask(front.url, path, headers={"Accept-Encoding": "gzip, br"})
                   for _ in range(2)]
        for reply in replies:
            assert reply.status == 200
            assert reply.header("Content-Encoding") == "gzip"
            assert gzip.decompress(reply.body) == plain
            # halved, where a file is large enough to gain (start.js is a few lines)
            assert len(reply.body) < len(plain) / (2 if len(plain) > 4096 else 1)
            assert reply.header("Cache-Control") == "public, max-age=31536000, immutable"
            assert "Accept-Encoding" in reply.header("Vary")
        assert replies[1].header("X-Cache-Status") == "HIT"
    assert ask(front.url, "/assets/campaign.0000000000.css").status == 404


def our_page(front: Front, reply: Reply, status: int, language: str = "en") -> None:
    """An answer nginx gave itself is the app's error page for its status, in the page's
    language, as `campaign errorpages` wrote it, with the app's headers."""
    assert reply.status == status
    assert reply.header("Content-Type") == "text/html; charset=utf-8"
    for name, value in security_headers().items():
        assert reply.header(name) == value, name
    assert reply.header("Strict-Transport-Security") == ""  # plain HTTP, as the app
    assert reply.header("Cache-Control") == NO_STORE
    written = front.nginx.folder / "errors" / page_path(BY_CODE[language], status)
    assert reply.body == written.read_bytes()
    soup = BeautifulSoup(reply.body, "html.parser")
    assert soup.html["lang"] == BY_CODE[language].tag and soup.h1.get_text()


def our_json(reply: Reply, status: int, result: str) -> None:
    """An answer nginx gave itself on the script's paths is the app's JSON."""
    assert reply.status == status
    assert reply.header("Content-Type") == "application/json"
    assert json.loads(reply.body) == {"result": result}
    assert reply.header("Content-Security-Policy") == content_security_policy()


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "127.0.0.1.evil.example",
                                  ""])
def test_a_forged_host_gets_our_400_from_nginx_and_never_a_cached_page(
        front: Front, host: str) -> None:
    paths = ["/", "/?country=KR", f"/{LETTER}/", "/ko/", "/stats.json", f"/{LETTER}/card.png",
             "/qr.svg", "/assets/campaign.0000000000.css"]
    before = front.app.log.read_text().count(" GET ")
    for _ in range(3):  # again and again, as one poisoning a cache would
        for path in paths:
            reply = ask(front.url, path, headers={"Host": host})
            our_page(front, reply, 400, "ko" if path == "/ko/" else "en")
            assert b"evil" not in reply.body
        our_json(ask(front.url, "/count", "POST", "token=x", headers={"Host": host}), 400,
                 "bad")
    assert front.app.log.read_text().count(" GET ") == before  # none reached the app
    assert "POST /count" not in front.app.log.read_text()
    for path in paths[:4]:
        # The right Host, with a forged X-Forwarded-Host: nginx sets its own.
        reply = ask(front.url, path, headers={"X-Forwarded-Host": "evil.example",
                                               "X-Forwarded-Port": "666"})
        assert reply.status == 200 and b"evil" not in reply.body and b":666" not in reply.body
        assert (front.url + "/").encode() in reply.body


def test_a_request_nginx_cannot_read_gets_our_400(front: Front) -> None:
    def raw(request: bytes) -> Reply:
        with socket.create_connection(("127.0.0.1", front.nginx.port), timeout=10) as sock:
            sock.sendall(request)
            answer = b""
            while data := sock.recv(65536):
                answer += data
        head, _, body = answer.partition(b"\r\n\r\n")
        message = http.client.parse_headers(io.BytesIO(head.split(b"\r\n", 1)[1] + b"\r\n\r\n"))
        return Reply(int(head.split()[1]), message, body)

    for request, language in [
            # Where nginx has read the address, the page is in its language.
            (b"GET /ko/ HTTP/1.1\r\nHost: 127.0.0.1\r\nBroken header\r\n\r\n", "ko"),
            (b"GET /ko/\x00 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "en"),
            (b"GET /ja/ HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + b"x" * 20_000 +
             b"\r\nConnection: close\r\n\r\n", "ja")]:
        our_page(front, raw(request), 400, language)


def test_an_address_longer_than_the_app_takes_gets_our_414_from_nginx(front: Front) -> None:
    """The finding: a link with `country=GB&` 300 times answered 502 through nginx ("proxy_
    buffer_size 4096 is not enough for cache key"). The app's limit holds here too."""
    before = front.app.log.read_text()
    our_page(front, ask(front.url, "/ko/?" + "country=GB&" * 500), 414, "ko")
    our_page(front, ask(front.url, "/?" + "country=GB&" * 300,
                        headers={"Accept-Language": "ja"}), 414, "ja")
    # Past nginx's buffers for a request line (8k): refused before nginx reads where it goes.
    our_page(front, ask(front.url, "/ko/?" + "country=GB&" * 2000), 414, "en")
    our_json(ask(front.url, "/count?" + "x" * URL_LIMIT, "POST", "token=x"), 414, "bad")
    assert front.app.log.read_text() == before  # none reached the app
    # The longest address the app takes is answered, and cached: its key fits nginx's buffer.
    path = "/fr/?country=FR&src="
    longest = path + "x" * (URL_LIMIT - len(path))
    replies = [ask(front.url, longest) for _ in range(2)]
    assert [(r.status, r.header("X-Cache-Status")) for r in replies] == [(200, "MISS"),
                                                                          (200, "HIT")]
    our_page(front, ask(front.url, longest + "x"), 414, "fr")


def test_a_body_larger_than_the_app_takes_gets_our_413_from_nginx(front: Front) -> None:
    before = front.app.log.read_text()
    body = "name=" + "x" * 2_000_000
    our_page(front, ask(front.url, "/ko/", "POST", body), 413, "ko")
    our_page(front, ask(front.url, "/", "POST", "name=" + "x" * BODY_LIMIT), 413)
    status, headers, content = post_chunked(front.url, "/ko/", body.encode())
    assert (status, headers["content-security-policy"]) == (413, content_security_policy())
    assert content == (front.nginx.folder / "errors" / "ko" / "413.html").read_bytes()
    our_json(ask(front.url, "/count", "POST", body), 413, "bad")
    status, headers, content = post_chunked(front.url, "/count", body.encode())
    assert (status, json.loads(content)) == (413, {"result": "bad"})
    assert front.app.log.read_text() == before  # none reached the app


def test_while_the_app_is_away_pages_and_files_get_our_502_and_counts_json(
        fresh_front: Callable[..., contextlib.AbstractContextManager[Front]]) -> None:
    with fresh_front() as front:
        page = BeautifulSoup(ask(front.url, "/").body, "html.parser")
        script = page.find("script", src=re.compile("^/assets/campaign"))["src"]
        token = _token(front)
        front.app.stop()
        our_page(front, ask(front.url, "/ko/?src=away"), 502, "ko")
        our_page(front, ask(front.url, f"/{LETTER}/", headers={"Accept-Language": "de"}), 502,
                 "de")
        our_page(front, ask(front.url, script), 502)  # a file nginx had not kept yet
        # The files our page links are served from its folder: it keeps the site's look.
        links = BeautifulSoup(ask(front.url, "/ko/?src=away").body, "html.parser")
        hrefs = [node.get("href") or node["src"] for node in links.select(
            "link[rel=stylesheet], link[rel=icon], script[src]")]
        assert len(hrefs) == 3
        for href in hrefs:
            reply = ask(front.url, href)
            assert reply.status == 200, href
            assert reply.body == (front.nginx.folder / "errors" / href.lstrip("/")).read_bytes()
            assert reply.header("X-Content-Type-Options") == "nosniff"
        our_page(front, ask(front.url, "/", "POST", "name=Ada"), 502)
        our_json(ask(front.url, "/token", "POST", f"letter={LETTER}"), 502, "unavailable")
        our_json(ask(front.url, "/count", "POST", f"token={token}&channel=mailto"), 502,
                 "unavailable")
        our_json(ask(front.url, "/suggest", "POST", f"token={token}"), 502, "unavailable")
        assert ask(front.url, "/").status == 200  # what nginx kept, it still serves
        front.app.start()
        assert _count(front, token) == (201, "counted")  # the token is good after the restart


def test_counts_sent_while_the_app_restarts_are_stored_once(
        fresh_front: Callable[..., contextlib.AbstractContextManager[Front]]) -> None:
    """A deploy restarts gunicorn (SIGHUP: new workers start, the old ones finish). Supporters
    sending all the while, each as the page's script does (once more after a 502 or 503),
    see no error, and each send is stored once."""
    with fresh_front(env={"WEB_CONCURRENCY": "2"}, changes=UNLIMITED) as front:
        counter = Counter(front.database_url, cache_seconds=0)
        before = counter.totals(LETTER).letters
        old = set(front.app.workers())
        restarted = threading.Event()
        sent_after: list[int] = []

        def supporter(_: int) -> tuple[str, bool]:
            result = _send_as_the_script_does(front)
            if restarted.is_set():
                sent_after.append(1)
            return result

        with ThreadPoolExecutor(max_workers=50) as pool:
            first = list(pool.map(supporter, range(100)))
            front.app.reload()
            during = [pool.submit(supporter, n) for n in range(100)]
            deadline = time.monotonic() + 120
            while old & set(front.app.workers()) or len(front.app.workers()) < 2:
                assert time.monotonic() < deadline, "gunicorn never restarted its workers"
                during += [pool.submit(supporter, n) for n in range(20)]
                time.sleep(0.2)
            restarted.set()
            after = list(pool.map(supporter, range(100)))
            results = first + [future.result() for future in during] + after
        assert len(sent_after) >= 100  # the sends went on until the new workers answered
        answers = [result for result, _ in results]
        assert set(answers) <= {"counted", "reused"}, answers
        assert all(retried for result, retried in results if result == "reused")
        assert counter.totals(LETTER).letters - before == len(results)
        counter.dispose()


def test_in_chromium_a_send_that_meets_a_restart_is_sent_again_and_counted_once(
        browser: Any,
        fresh_front: Callable[..., contextlib.AbstractContextManager[Front]]) -> None:
    """The app is away as the supporter sends: the count meets nginx's 502, and the page's
    script sends it once more after a short wait, when the app is back. It is stored once,
    and the page says nothing alarming: only its thanks."""
    browser.errors.allow(r"status of 502", r"/count$")  # Chromium logs the failed request
    with fresh_front(changes=UNLIMITED) as front:
        counter = Counter(front.database_url, cache_seconds=0)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(front.url + "/?country=GB")
        page.fill("#name", "Ada Lovelace")
        page.fill("#city", "London")
        page.evaluate("""() => document.querySelectorAll('.send-buttons a').forEach(a =>
            a.addEventListener('click', e => e.preventDefault()))""")  # no mail app here
        sent: list[tuple[str, int, object]] = []  # each count: its body, and the answer

        def restart(route: Any) -> None:
            # The app stops as the count goes out, and is back for the script's next try,
            # however long it takes to start.
            if not sent:
                front.app.stop()
            else:
                front.app.start()
            answer = route.fetch()  # through nginx, as the page would
            sent.append((route.request.post_data, answer.status, answer.json()))
            route.fulfill(response=answer)

        page.route("**/count", restart)
        with page.expect_response("**/count") as first:
            page.click("#send-mailto")
        with page.expect_response("**/count", timeout=120_000) as second:
            pass
        assert (first.value.status, second.value.status) == (502, 201)
        assert [(status, answer) for _, status, answer in sent] == [
            (502, {"result": "unavailable"}), (201, {"result": "counted"})]
        assert sent[0][0] == sent[1][0]  # the same send, with its token
        assert counter.totals(LETTER).letters == 1
        expect(page.locator("#share-thanks")).to_be_visible()
        assert page.locator("[role=alert]:visible").count() == 0
        counter.dispose()


def _send_as_the_script_does(front: Front) -> tuple[str, bool]:
    """A token, then a count, as campaign.js sends them: once more after a short wait if
    either met a 502 or 503. What the count answered, and whether it was sent again."""
    for attempt in range(2):
        reply = ask(front.url, "/token", "POST", f"letter={LETTER}")
        if reply.status == 200:
            body = urllib.parse.urlencode({"token": json.loads(reply.body)["token"],
                                           "channel": "mailto", "country": "GB"})
            reply = ask(front.url, "/count", "POST", body)
            if reply.status in (200, 201):
                return json.loads(reply.body)["result"], attempt == 1
        if reply.status not in (502, 503) or attempt:
            return f"failed {reply.status}", attempt == 1
        time.sleep(1)
    raise AssertionError("unreachable")


def test_slow_clients_do_not_block_anyone(front: Front) -> None:
    """The finding: 128 slow sockets straight at gunicorn stopped /healthz from answering.
    Through nginx, 200 clients trickling their headers a byte at a time hold nginx only."""
    request = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow\r\n"
    slow = [socket.create_connection(("127.0.0.1", front.nginx.port)) for _ in range(200)]
    stop = threading.Event()

    def trickle() -> None:
        for position in range(len(request)):
            for sock in slow:
                with contextlib.suppress(OSError):  # one nginx gave up on: the others go on
                    sock.send(request[position:position + 1])
            if stop.wait(0.2):
                return

    trickler = threading.Thread(target=trickle)
    trickler.start()
    try:
        time.sleep(1.0)  # every slow socket is connected and sending
        for _ in range(10):
            started = time.perf_counter()
            reply = ask(front.url, "/healthz", timeout=5)
            assert reply.status == 200
            assert time.perf_counter() - started < 1.0
            assert ask(front.url, f"/{LETTER}/", timeout=5).status == 200
    finally:
        stop.set()
        trickler.join()
        for sock in slow:
            sock.close()


def test_the_totals_are_kept_a_few_seconds_and_stay_fresh(front: Front) -> None:
    replies = [ask(front.url, "/stats.json") for _ in range(2)]
    assert [r.header("Cache-Control") for r in replies] == ["public, max-age=5"] * 2
    assert replies[1].header("X-Cache-Status") == "HIT"
    before = json.loads(replies[1].body)["letters"]
    assert _count(front, _token(front)) == (201, "counted")
    time.sleep(5.5)  # the app's totals and nginx's copy, 5 seconds each
    deadline = time.monotonic() + 10
    while json.loads(ask(front.url, "/stats.json").body)["letters"] == before:
        assert time.monotonic() < deadline, "the totals never showed the new count"
        time.sleep(0.5)


def _token(front: Front) -> str:
    reply = ask(front.url, "/token", "POST", f"letter={LETTER}")
    assert reply.status == 200 and reply.header("Cache-Control") == "no-store"
    assert reply.header("X-Cache-Status") == ""
    token: str = json.loads(reply.body)["token"]
    return token


def _count(front: Front, token: str) -> tuple[int, str]:
    """Count a send with a token: the status, and what the app says happened."""
    body = urllib.parse.urlencode({"token": token, "channel": "mailto", "country": "GB"})
    reply = ask(front.url, "/count", "POST", body)
    return reply.status, json.loads(reply.body)["result"]


def test_2000_concurrent_counts_through_nginx_are_2000_stored(front: Front) -> None:
    counter = Counter(front.database_url, cache_seconds=0)
    before = counter.totals(LETTER).letters

    def supporter(_: int) -> tuple[str, tuple[int, str]]:
        token = _token(front)  # as the page's script fetches one, when the supporter sends
        return token, _count(front, token)

    with ThreadPoolExecutor(max_workers=200) as pool:
        done = list(pool.map(supporter, range(2000)))
    codes = [code for _, code in done]
    assert codes.count((201, "counted")) == 2000, {c: codes.count(c) for c in set(codes)}
    with ThreadPoolExecutor(max_workers=100) as pool:  # each token replayed: not counted
        again = list(pool.map(lambda pair: _count(front, pair[0]), done[:500]))
    assert set(again) == {(200, "reused")}
    assert _count(front, mint("another-secret", LETTER)) == (400, "bad")
    assert counter.totals(LETTER).letters - before == 2000


def test_the_count_rate_is_limited_per_address(
        fresh_front: Callable[..., contextlib.AbstractContextManager[Front]]) -> None:
    """The shipped limit: 20 a second per address with a burst of 60, then nginx says 429
    before the app is asked."""
    forged = "token=forged&channel=mailto"  # the app answers 400; nginx, 429 past the limit
    with fresh_front() as front, ThreadPoolExecutor(max_workers=50) as pool:
        codes = list(pool.map(lambda _: ask(front.url, "/count", "POST", forged).status,
                              range(300)))
        assert codes.count(429) >= 150, {c: codes.count(c) for c in set(codes)}
        assert set(codes) == {400, 429}
        assert front.app_lines("POST /count 400") == codes.count(400)


def test_posts_are_never_cached(front: Front) -> None:
    page = BeautifulSoup(ask(front.url, "/?country=GB").body, "html.parser")
    fields = {node["name"]: node.get("value", "") for node in
              page.select("#letter-form input[name]") if node.get("type") not in
              ("checkbox", "submit")}
    fields.update(country="GB", name="Ada Lovelace", city="London")
    body = urllib.parse.urlencode(fields)
    tokens = set()
    for _ in range(2):
        reply = ask(front.url, "/", "POST", body)
        assert reply.status == 200 and reply.header("X-Cache-Status") == ""
        assert "Ada Lovelace" in reply.body.decode()
        soup = BeautifulSoup(reply.body, "html.parser")
        tokens.add(soup.find("input", attrs={"name": "count_token"})["value"])
    assert len(tokens) == 2 and "" not in tokens  # each posted page has its own token


def test_nginx_logs_no_address_and_no_query(front: Front) -> None:
    ask(front.url, "/ko/?country=KR&src=privacy", headers={"User-Agent": "Secret-Agent",
                                                           "Referer": "https://x.example/"})
    log = (front.nginx.folder / "campaign-access.log").read_text()
    line = [line for line in log.splitlines() if '"/ko/"' in line][-1]
    assert re.fullmatch(r'\S+ GET "/ko/" 200 \d+ [\d.]+ cache=(?:HIT|MISS|EXPIRED)', line)
    for secret in ("127.0.0.1", "country=", "privacy", "Secret-Agent", "x.example"):
        assert secret not in log
