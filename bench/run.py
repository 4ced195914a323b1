"""`make bench`: the campaign under gunicorn beside a minimal Flask app, under the same load;
its memory; then the page's start on a slow phone.

Prints requests per second and p50/p99 latency, each as a ratio to the hello app and against
its goal (issue 12), for: nginx serving the arrival page's bytes as a static file (the
limit), the campaign page from the app alone and through deploy/nginx.conf, the no-JS letter
POST, the app's real mix (arrival pages in every language, one request in five a count), and
the counter (on SQLite, and on PostgreSQL when one is reachable) with counted actions per
second and how many accepted counts the database lacks. The page, the post and the mix also
run, in the same run, against the campaign served as before issue 24 (bench/before.conf.py):
throughput must be no worse, in requests per second and in the CPU time a request takes (which
other work on the machine skews less). Load comes from wrk, on loopback only; the machine's
load average is printed before and after.

And the restart row: supporters sending letters through nginx (the page, a token, a count,
as the page's script does, retrying once after its wait where a restart answers 502 or 503)
while gunicorn is restarted once with `kill -HUP`, as a deploy does: errors must be 0 and no
count lost; `retried` says how many sends the retry saved. `bench/run.py restart` prints it
alone.

Then the memory rows (bench/memory.py): the whole default deployment, master and workers,
after each worker's warm-up, and again after the load above and BENCH_JUNK (10,000) requests
with query strings all different, against the goal of 300 MB; the deployment before issue 24
beside it. Then the phone rows (bench/pagestart.py): each language's page weight, raw and
compressed, against the goal of 45 KB raw; and each page's start in Chromium with its CPU
slowed 4x, against the goals of no long task and no layout shift. `bench/run.py phone` prints
the phone rows alone; `bench/run.py configs` compares numbers of workers and threads
(gunicorn.conf.py says which was chosen, and why).

Environment: BENCH_SECONDS (10), BENCH_CONNECTIONS (50), BENCH_THREADS (2), BENCH_JUNK
(10000), BENCH_SHAPES (for `configs`: workers x threads to try, e.g. 2x8,3x4),
BENCH_DATABASE_URL (a PostgreSQL server; default TEST_DATABASE_URL), BENCH_PHONE_RUNS (5).
"""

from __future__ import annotations

import collections
import http.client
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import memory
from memory import Usage
from pagestart import measure
from pagestart import report as report_phone

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the nginx harness the front server's tests use
from support.frontserver import FrontServer, nginx_binary  # noqa: E402

BIN = Path(sys.executable).parent
SECONDS = int(os.environ.get("BENCH_SECONDS", 10))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", 50))
THREADS = int(os.environ.get("BENCH_THREADS", 2))
SECRET = "bench-" + uuid.uuid4().hex
# Production serves nothing until contacts.yaml names its organizers: the shipped file, with
# made-up ones (benchmarks only), in a folder of its own.
BENCH_ORGANIZERS = "organizers:\n  name: Benchmark\n  email: bench@example.org\n"


def named_contacts() -> str:
    """The shipped contacts.yaml with organizers named, in a temporary folder."""
    folder = Path(tempfile.mkdtemp(prefix="campaign-bench-data-"))
    (folder / "contacts.yaml").write_text(BENCH_ORGANIZERS
                                         + (ROOT / "contacts.yaml").read_text())
    return str(folder / "contacts.yaml")

POST_SCRIPT = """
wrk.method = "POST"
wrk.body = {body!r}
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = {cookie!r}
"""
# The app's real mix, as it arrives behind nginx: arrival pages (in every language, for a few
# countries) and, one request in five, a count with a fresh token.
MIX_SCRIPT = """
local counter = 0
function setup(thread)
  thread:set("offset", counter)
  counter = counter + 1
end
local tokens, i, n = {}, 0, 0
local pages = {%(pages)s}
function init(args)
  for line in io.lines(args[1]) do tokens[#tokens + 1] = line end
  i = offset
end
function request()
  n = n + 1
  if n %% 5 == 0 then
    i = i + %(threads)d
    if i > #tokens then i = offset + 1 end
    return wrk.format("POST", "/count", {["Content-Type"] = "application/x-www-form-urlencoded"},
                      "channel=mailto&country=GB&src=x&token=" .. tokens[i])
  end
  return wrk.format("GET", pages[n %% #pages + 1])
end
"""
MIX_PAGES = ["/", "/?country=US&region=NY", "/ko/?country=KR", "/ja/", "/zh-hans/",
             "/zh-hant/?country=TW", "/fr/?country=FR", "/de/?country=DE&src=x", "/es/?country=MX",
             "/pt/?country=BR", "/en/?country=GB&src=whatsapp", "/ko/"]
COUNT_SCRIPT = """
local counter, threads = 0, {}
function setup(thread)
  thread:set("offset", counter)
  counter = counter + 1
  threads[#threads + 1] = thread
end
local tokens, i = {}, 0
accepted = 0
function init(args)
  for line in io.lines(args[1]) do tokens[#tokens + 1] = line end
  i = offset
end
function request()
  i = i + %d
  if i > #tokens then i = offset + 1 end
  return wrk.format("POST", "/count", {["Content-Type"] = "application/x-www-form-urlencoded"},
                    "channel=mailto&country=GB&src=x&token=" .. tokens[i])
end
function response(status, headers, body)
  if status == 201 then accepted = accepted + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("accepted") end
  io.write("accepted: " .. total .. "\\n")
end
"""


@dataclass
class Result:
    """What wrk measured for one target."""

    name: str
    rps: float
    p50: float  # milliseconds
    p99: float
    requests: int
    errors: int  # socket errors and non-2xx/3xx responses
    counted: float | None = None  # counted actions per second, for the counter
    lost: int | None = None  # counts answered 201 that the database does not hold
    goal: float | None = None  # the ratio (or, for the counter, counted/s) to reach
    cpu: float | None = None  # CPU ms the server spent a request: what other work does not skew
    output: str = ""  # wrk's report
    retried: int | None = None  # sends retried once after a 502 or 503 (the restart row)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


CONFIG = ROOT / "gunicorn.conf.py"
BEFORE = ROOT / "bench" / "before.conf.py"  # the campaign as it was served before issue 24


class Server:
    """An app under gunicorn with the repository's gunicorn.conf.py (or another config)."""

    def __init__(self, spec: str, env: dict[str, str], chdir: Path,
                 config: Path = CONFIG, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (open as long as the server runs)
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", str(config),
             "-b", f"127.0.0.1:{self.port}", "--chdir", str(chdir), spec],
            env={**os.environ, "CAMPAIGN_SECRET_KEY": SECRET, "CAMPAIGN_PUBLIC_URL": self.url,
                 "CAMPAIGN_CONTACTS": named_contacts(), **env},
            stdout=subprocess.DEVNULL, stderr=self.log)
        for _ in range(200):
            try:
                urllib.request.urlopen(self.url + "/", timeout=2).close()
                return
            except OSError:
                time.sleep(0.1)
        self.log.seek(0)
        raise SystemExit(f"{spec} did not start:\n{self.log.read().decode()}")

    def restart(self) -> None:
        """Restart the workers as a deploy does: new ones start, the old ones finish."""
        self.process.send_signal(signal.SIGHUP)

    def workers(self) -> set[int]:
        """The process ids of gunicorn's workers now (the master's children)."""
        pid = self.process.pid
        return {int(child) for child in
                Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)
        self.log.close()


def _millis(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(name: str, url: str, script: str | None = None, args: list[str] | None = None,
        connections: int = CONNECTIONS, seconds: int = SECONDS) -> Result:
    """Drive url with wrk and read its report."""
    command = ["wrk", "-t", str(THREADS), "-c", str(connections), "-d", f"{seconds}s",
               "--latency", "--timeout", "10s"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script or "")
    command += ["-s", lua.name, url]
    if args:
        command += ["--", *args]
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode:
        raise SystemExit(f"wrk failed on {name}: {run.stdout}{run.stderr}")
    output = run.stdout
    os.unlink(lua.name)
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors += int(non_2xx.group(1)) if non_2xx else 0
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    return Result(name, rps, _millis(latency["50"]), _millis(latency["99"]), requests, errors,
                  output=output)


class _Form(HTMLParser):
    """The letter form's fields, as a browser would post them."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "input" and a.get("name") and a.get("type") not in ("checkbox", "submit"):
            self.fields[a["name"] or ""] = a.get("value") or ""
        if tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.fields[self._textarea or ""] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None


def letter_post(url: str) -> tuple[str, str]:
    """A valid no-JS letter post for the campaign at url: its body and session cookie."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = _Form()
    form.feed(opener.open(url + "/?country=US").read().decode())
    fields = {**form.fields, "country": "US", "region": "NY", "name": "Ada Lovelace",
              "city": "London", "to": "us-new-york"}
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return urllib.parse.urlencode(fields), cookie


def token_file() -> str:
    """A file of fresh count tokens, one a line, for the counter's and the mix's scripts."""
    from campaign.counting.tokens import mint

    with tempfile.NamedTemporaryFile("w", delete=False) as tokens:
        for _ in range(200_000 if SECONDS > 5 else 50_000):
            tokens.write(mint(SECRET, "stop-forced-repatriation") + "\n")
    return tokens.name


def mix_run(name: str, server: Server) -> Result:
    """Drive the app with its real mix: arrival pages, and one request in five a count."""
    tokens = token_file()
    pages = ", ".join(f'"{page}"' for page in MIX_PAGES)
    result = wrk(name, server.url + "/", MIX_SCRIPT % {"pages": pages, "threads": THREADS},
                 [tokens])
    os.unlink(tokens)
    return result


def count_run(name: str, server: Server, database_url: str) -> Result:
    """Drive the counter with fresh tokens; count what was recorded."""
    from campaign.counting.storage import Counter

    tokens = token_file()
    counter = Counter(database_url, cache_seconds=0)
    before = counter.totals().letters
    result = wrk(name, server.url + "/count", COUNT_SCRIPT % THREADS, [tokens])
    time.sleep(2)  # wrk stops without reading the answers in flight: let them finish
    stored = counter.totals().letters - before
    accepted = int(re.search(r"accepted: (\d+)", result.output).group(1))  # type: ignore[union-attr]
    # Lost: answered 201 (counted) but not in the database. The answers wrk left unread
    # make `stored` a little larger than `accepted`, never smaller, if nothing is lost.
    result.counted, result.lost, result.goal = stored / SECONDS, max(0, accepted - stored), 500
    counter.dispose()
    os.unlink(tokens)
    return result


# How long campaign.js waits before its one retry of a send, read from the script itself.
RETRY_AFTER = int(re.search(  # type: ignore[union-attr]
    r"RETRY_AFTER_MS = (\d+)", (ROOT / "campaign" / "static" / "campaign.js").read_text()
).group(1)) / 1000
RETRIED_STATUSES = (502, 503)  # what a restart may answer, and the script retries


class Supporter:
    """One supporter's browser, on a kept-alive connection to nginx: opens the page, and
    sends letters as campaign.js counts them."""

    def __init__(self, url: str) -> None:
        parts = urllib.parse.urlsplit(url)
        self.connection = http.client.HTTPConnection(parts.hostname or "", parts.port,
                                                     timeout=30)
        self.latencies: list[float] = []
        self.statuses: list[int] = []
        self.mended = 0  # answers a retry followed: not errors the supporter sees

    def ask(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        """One request; a connection error is status 0."""
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body, headers)
            response = self.connection.getresponse()
            status, data = response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            status, data = 0, b""
        self.latencies.append((time.perf_counter() - started) * 1000)
        self.statuses.append(status)
        return status, data

    def send(self) -> tuple[str, bool]:
        """Open the page, then count a send as the script does (a token, then the count,
        once more after its wait if either met a restart): the count's result, and whether
        it was retried."""
        self.ask("GET", "/?country=GB")
        for attempt in range(2):
            status, data = self.ask("POST", "/token", "letter=stop-forced-repatriation")
            if status == 200:
                token = json.loads(data)["token"]
                body = f"token={token}&channel=mailto&country=GB&src=x"
                status, data = self.ask("POST", "/count", body)
                if status in (200, 201):
                    return json.loads(data)["result"], attempt == 1
            if status not in RETRIED_STATUSES or attempt == 1:
                return f"failed {status}", attempt == 1
            self.mended += 1
            time.sleep(RETRY_AFTER)
        raise AssertionError("unreachable")


def restart_run(name: str, url: str, server: Server, database_url: str) -> Result:
    """Supporters send letters through nginx for BENCH_SECONDS while gunicorn restarts once
    (SIGHUP), a third of the way in. Errors: every answer a supporter sees but the 502s and
    503s a retry mended; lost: counts answered 'counted' the database does not hold."""
    from campaign.counting.storage import Counter

    counter = Counter(database_url, cache_seconds=0)
    before = counter.totals().letters
    deadline = time.monotonic() + SECONDS
    results: list[tuple[str, bool]] = []
    supporters = [Supporter(url) for _ in range(CONNECTIONS)]
    old_workers = server.workers()

    def supporter(one: Supporter) -> None:
        while time.monotonic() < deadline:
            results.append(one.send())

    threads = [threading.Thread(target=supporter, args=(one,)) for one in supporters]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(SECONDS / 3)
    server.restart()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    replaced = len(old_workers - server.workers())  # the restart happened: old workers gone
    stored = counter.totals().letters - before
    counter.dispose()
    latencies = sorted(ms for one in supporters for ms in one.latencies)
    statuses = [status for one in supporters for status in one.statuses]
    retried = sum(1 for _, again in results if again)
    # A 502 or 503 a retry followed is not an error a supporter sees; any other is.
    errors = sum(1 for status in statuses if not 200 <= status < 400) - sum(
        one.mended for one in supporters)
    counted = sum(1 for result, _ in results if result == "counted")
    failed = sum(1 for result, _ in results if result.startswith("failed"))
    tally = dict(sorted(collections.Counter(statuses).items()))
    output = (f"{len(results)} sends: {counted} counted, {failed} failed, {retried} retried; "
              f"{stored} stored; statuses {tally}; {replaced} of {len(old_workers)} workers "
              "replaced by the restart")
    return Result(name, len(statuses) / elapsed, latencies[len(latencies) // 2],
                  latencies[len(latencies) * 99 // 100], len(statuses), errors,
                  counted=stored / elapsed, lost=max(0, counted - stored), output=output,
                  retried=retried)


def postgres_database() -> str | None:
    """A fresh database on the benchmark's PostgreSQL server, if one answers."""
    server = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if not server:
        return None
    import psycopg

    admin = server.replace("postgresql+psycopg://", "postgresql://")
    name = f"campaign_bench_{uuid.uuid4().hex[:8]}"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        print(f"PostgreSQL not reachable ({exc}); its rows are skipped", file=sys.stderr)
        return None
    return "postgresql+psycopg://" + admin.split("://", 1)[1].rsplit("/", 1)[0] + "/" + name


def load_average() -> str:
    """The machine's load average (1, 5, 15 minutes): other work on it skews the figures."""
    return "load average " + ", ".join(f"{n:.2f}" for n in os.getloadavg())


def front_server(workdir: Path, campaign: Server) -> FrontServer:
    """deploy/nginx.conf in front of the campaign, also serving the arrival page's bytes as
    a static file: the fastest the front server can answer that page, the limit."""
    static = workdir / "static"
    static.mkdir()
    page = urllib.request.urlopen(campaign.url + "/").read()
    (static / "page.html").write_bytes(page)
    extra = f"""
    location = /static/page.html {{
        root {workdir};
        access_log off;
    }}"""
    # Every supporter of the benchmark comes from 127.0.0.1: the per-address limit on /count
    # and /token (20 a second) would refuse them, as it should refuse one client.
    unlimited = {"rate=20r/s": "rate=100000r/s", "burst=60": "burst=100000"}
    return FrontServer(workdir / "nginx", campaign.port, extra=extra, changes=unlimited)


def report(results: list[Result]) -> None:
    """The table: each target against the hello app and its goal."""
    base = results[0].rps
    print(f"\n{'target':<40}{'req/s':>9}{'ratio':>7}{'goal':>7}{'p50 ms':>8}{'p99 ms':>8}"
          f"{'errors':>8}{'counted/s':>10}{'lost':>6}{'CPU ms':>8}{'retried':>8}")
    for r in results:
        goal = "" if r.goal is None else (f"{r.goal:.0f}/s" if r.counted is not None
                                          else f"{r.goal:.1f}x")
        counted = "" if r.counted is None else f"{r.counted:.0f}"
        lost = "" if r.lost is None else str(r.lost)
        cpu = "" if r.cpu is None else f"{r.cpu:.2f}"
        retried = "" if r.retried is None else str(r.retried)
        print(f"{r.name:<40}{r.rps:>9.0f}{r.rps / base:>7.2f}{goal:>7}{r.p50:>8.1f}"
              f"{r.p99:>8.1f}{r.errors:>8}{counted:>10}{lost:>6}{cpu:>8}{retried:>8}")


def phone_only() -> None:
    """The phone rows alone: the campaign under gunicorn, started in a slow phone's Chromium."""
    with tempfile.TemporaryDirectory(prefix="campaign-bench-") as workdir:
        campaign = Server("campaign:create_app()",
                          {"DATABASE_URL": f"sqlite:///{workdir}/counts.db"}, ROOT)
        try:
            print(f"{os.cpu_count()} cores, {load_average()}", file=sys.stderr)
            rows = measure(campaign.url)
        finally:
            campaign.stop()
    report_phone(rows)
    print(f"\nload after: {load_average()}")


def restart_only() -> None:
    """The restart row alone: sends through nginx while gunicorn restarts."""
    workdir = Path(tempfile.mkdtemp(prefix="campaign-bench-"))
    sqlite_url = f"sqlite:///{workdir / 'counts.db'}"
    campaign = Server("campaign:create_app()", {
        "CAMPAIGN_SECRET_KEY": SECRET, "CAMPAIGN_COUNT_LIMIT": "100000000",
        "CAMPAIGN_PROXIES": "1", "DATABASE_URL": sqlite_url}, ROOT)
    try:
        with front_server(workdir, campaign) as nginx:
            print(f"{CONNECTIONS} supporters for {SECONDS}s, {os.cpu_count()} cores, "
                  f"{load_average()}", file=sys.stderr)
            result = restart_run("sends through nginx, app restarted", nginx.url, campaign,
                                 sqlite_url)
    finally:
        campaign.stop()
    print(result.output, file=sys.stderr)
    result.goal = None
    report([result])
    shutil.rmtree(workdir, ignore_errors=True)


def costed(server: Server, run: Callable[[], Result]) -> Result:
    """run's result, with the CPU time server spent on each of its requests."""
    used = cpu_seconds(server)
    result = run()
    result.cpu = (cpu_seconds(server) - used) / max(result.requests, 1) * 1000
    return result


def compared(results: list[Result], name: str, path: str, now: Server, before: Server,
             goal: float, script: str | None = None) -> None:
    """A row for the campaign as served now, and one for it as served before issue 24, each
    with its CPU time a request: on a machine other work keeps busy, five processes win more
    of its cores than two, and requests per second alone would say more about that work."""
    results.append(costed(now, lambda: wrk(name, now.url + path, script)))
    results[-1].goal = goal
    results.append(costed(before, lambda: wrk(f"  {name.split(':')[0]}, as before",
                                              before.url + path, script)))


def main() -> None:
    if sys.argv[1:] == ["phone"]:
        return phone_only()
    if sys.argv[1:] == ["restart"]:
        return restart_only()
    if sys.argv[1:] == ["configs"]:
        return configs()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk (make bench does this as root)")
    if nginx_binary() is None:
        raise SystemExit("nginx is missing: apt-get install nginx")
    workdir = Path(tempfile.mkdtemp(prefix="campaign-bench-"))
    base_env = {"CAMPAIGN_SECRET_KEY": SECRET, "CAMPAIGN_COUNT_LIMIT": "100000000",
                "CAMPAIGN_RELOAD_EVERY": "1.0", "CAMPAIGN_PROXIES": "1"}
    sqlite_url = f"sqlite:///{workdir / 'counts.db'}"
    before_url = f"sqlite:///{workdir / 'counts-before.db'}"
    pg_url = postgres_database()
    servers: list[Server] = []
    results: list[Result] = []
    footprints: list[tuple[str, list[Usage]]] = []
    started = load_average()
    try:
        hello = Server("hello:create_app()", {}, ROOT / "bench")
        campaign = Server("campaign:create_app()", {**base_env, "DATABASE_URL": sqlite_url},
                          ROOT)
        before = Server("campaign:create_app()", {**base_env, "DATABASE_URL": before_url},
                        ROOT, BEFORE)
        servers += [hello, campaign, before]
        if pg_url:
            servers.append(Server("campaign:create_app()",
                                  {**base_env, "DATABASE_URL": pg_url}, ROOT))
        with front_server(workdir, campaign) as nginx:
            print(f"gunicorn.conf.py, deploy/nginx.conf, wrk -t{THREADS} -c{CONNECTIONS} "
                  f"-d{SECONDS}s, {os.cpu_count()} cores, {started}; warming up...",
                  file=sys.stderr)
            for server in (campaign, before):
                memory.warm_up(server.url, server.process.pid)
            footprints += [("default deployment, warmed up", memory.usage(campaign.process.pid)),
                           ("  as before, warmed up", memory.usage(before.process.pid))]
            for server in servers:
                wrk("warm-up", server.url + "/", seconds=2)
            wrk("warm-up", nginx.url + "/", seconds=2)
            results.append(wrk("hello app: GET /", hello.url + "/"))
            results.append(wrk("nginx static file (the page's bytes)",
                               nginx.url + "/static/page.html"))
            compared(results, "campaign page, app alone: GET /", "/", campaign, before, 0.9)
            results.append(wrk("campaign page through nginx: GET /", nginx.url + "/"))
            results[-1].goal = 4.0
            body, cookie = letter_post(campaign.url)
            script = POST_SCRIPT.format(body=body, cookie=cookie)
            compared(results, "letter POST (no JS)", "/", campaign, before, 0.2, script)
            results.append(costed(campaign, lambda: mix_run("the mix: pages, 1 in 5 a count",
                                                            campaign)))
            results.append(costed(before, lambda: mix_run("  the mix, as before", before)))
            results.append(count_run("counter POST /count, SQLite", campaign, sqlite_url))
            if pg_url:
                results.append(count_run("counter POST /count, PostgreSQL", servers[3],
                                         pg_url))
            results.append(restart_run("sends through nginx, app restarted", nginx.url,
                                       campaign, sqlite_url))
            print(results[-1].output, file=sys.stderr)
        print(f"{memory.JUNK} requests with query strings all different...", file=sys.stderr)
        for server in (campaign, before):
            memory.send_junk(server.url)
        footprints += [("default deployment, after load + junk",
                        memory.usage(campaign.process.pid)),
                       ("  as before, after load + junk", memory.usage(before.process.pid))]
        phone = measure(campaign.url)
    finally:
        for server in servers:
            server.stop()
    report(results)
    print(memory.header())
    for name, footprint in footprints:
        print(memory.report(name, footprint))
    report_phone(phone)
    print(f"\nload before: {started}; after: {load_average()}")
    shutil.rmtree(workdir, ignore_errors=True)


def cpu_seconds(server: Server) -> float:
    """The CPU time gunicorn's master and workers have used, those it recycled included: what a
    request costs, however busy the rest of the machine is."""
    import psutil

    master = psutil.Process(server.process.pid)
    return sum(master.cpu_times()[:4]) + sum(sum(worker.cpu_times()[:2])
                                         for worker in master.children())


def configs() -> None:
    """The mix and the arrival page under each number of workers and threads worth trying on
    this machine, with the memory each takes warmed up: how gunicorn.conf.py's defaults were
    chosen."""
    workdir = Path(tempfile.mkdtemp(prefix="campaign-bench-"))
    cores = os.cpu_count() or 1
    shapes = [(cores, 8), (cores, 4), (cores + 1, 4), (cores * 2 + 1, 4), (cores * 2, 8), (1, 16)]
    if os.environ.get("BENCH_SHAPES"):  # e.g. 2x8,3x4
        shapes = [(int(w), int(t)) for w, t in (shape.split("x") for shape
                                                in os.environ["BENCH_SHAPES"].split(","))]
    rows = []
    print(f"{cores} cores, {load_average()}", file=sys.stderr)
    for workers, threads in shapes:
        server = Server("campaign:create_app()",
                        {"CAMPAIGN_SECRET_KEY": SECRET, "CAMPAIGN_COUNT_LIMIT": "100000000",
                         "WEB_CONCURRENCY": str(workers), "THREADS": str(threads),
                         "DATABASE_URL": f"sqlite:///{workdir / f'{workers}x{threads}.db'}"},
                        ROOT)
        try:
            memory.warm_up(server.url, server.process.pid)
            warmed = sum(u.pss for u in memory.usage(server.process.pid)) / memory.MB
            page = costed(server, lambda server=server: wrk("page", server.url + "/"))
            mix = costed(server, lambda server=server: mix_run("mix", server))
            rows.append((f"{workers} x {threads}", page, mix, warmed))
        finally:
            server.stop()
    print(f"\n{'workers x threads':<20}{'page req/s':>11}{'p99 ms':>8}{'CPU ms':>8}"
          f"{'mix req/s':>11}{'p99 ms':>8}{'CPU ms':>8}{'errors':>8}{'PSS MB':>8}")
    for shape, page, mix, warmed in rows:
        print(f"{shape:<20}{page.rps:>11.0f}{page.p99:>8.1f}{page.cpu or 0:>8.2f}"
              f"{mix.rps:>11.0f}{mix.p99:>8.1f}{mix.cpu or 0:>8.2f}"
              f"{page.errors + mix.errors:>8}{warmed:>8.0f}")
    print(f"\nload after: {load_average()}")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
