"""`make bench`'s memory rows: what a gunicorn deployment of the campaign holds in memory.

Each process of the deployment (gunicorn's master and its workers) is measured by psutil, from
the kernel's own accounts (/proc/<pid>/smaps_rollup): its resident memory (RSS, every page it
can touch, shared or not), what it alone holds (USS: freed if it exits) and its proportional
share (PSS: each shared page divided among the processes sharing it). Summed, RSS counts a page
shared by three processes three times; PSS counts it once: the sum of PSS is what the whole
deployment takes from the machine, and what the goal is held to.

Every worker is warmed up on its own (the others paused with SIGSTOP, so the listening socket's
connections can only go to it): every language's arrival page, /impact, /about, a card, a
flyer with its font. Junk is many requests whose query strings are all different, as a
crawler or an attacker sends them: the caches must keep their bounds.
"""

from __future__ import annotations

import http.client
import os
import sys
import threading
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the workers' harness the tests use
from support.workers import only, workers  # noqa: E402

from campaign.i18n.languages import LANGUAGES  # noqa: E402

MB = 1024 * 1024
GOAL_MB = 300  # the whole deployment, on the smallest server an organization rents (issue 24)
JUNK = int(os.environ.get("BENCH_JUNK", 10_000))
LETTER = "stop-forced-repatriation"


@dataclass(frozen=True)
class Usage:
    """One process's memory, in bytes."""

    role: str  # "master" or "worker"
    pid: int
    rss: int
    pss: int
    uss: int
    anonymous: int  # of its PSS, what is not a file's pages (those the kernel can drop and reread)


def usage(master: int) -> list[Usage]:
    """The memory of a gunicorn master and of each of its workers."""
    found = []
    parent = psutil.Process(master)
    for role, process in [("master", parent), *(("worker", child) for child in
                                                 sorted(parent.children(), key=lambda p: p.pid))]:
        info = process.memory_full_info()
        found.append(Usage(role, process.pid, info.rss, info.pss, info.uss,
                           _rollup(process.pid).get("Pss_Anon", info.pss)))
    return found


def _rollup(pid: int) -> dict[str, int]:
    """The kernel's memory totals for a process (/proc/<pid>/smaps_rollup), in bytes."""
    found = {}
    with open(f"/proc/{pid}/smaps_rollup") as rollup:
        for line in rollup:
            name, _colon, rest = line.partition(":")
            if rest.strip().endswith("kB"):
                found[name] = int(rest.split()[0]) * 1024
    return found


def warm_paths(letter: str = LETTER) -> list[str]:
    """What a worker serves in its first minutes: every language's arrival page, the impact
    view, /about, a card and a flyer with its font."""
    return ["/", *(f"/{language.code}/" for language in LANGUAGES), "/impact", "/about",
            f"/{letter}/card.png", "/ko/", f"/ko/{letter}/flyer", f"/ko/{letter}/flyer-font.woff2"]


def get(url: str, paths: list[str], headers: dict[str, str] | None = None) -> list[int]:
    """GET each path on one keep-alive connection; the statuses."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=60)
    statuses = []
    try:
        for path in paths:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
    finally:
        connection.close()
    return statuses


def warm_up(url: str, master: int) -> None:
    """Warm every worker in turn, alone."""
    for worker in workers(master):
        with only(worker, master):
            statuses = get(url, warm_paths())
        if any(status != 200 for status in statuses):
            raise SystemExit(f"warm-up failed: {list(zip(warm_paths(), statuses, strict=False))}")


def junk_paths(count: int) -> list[str]:
    """`count` requests, each with a query string (or a header) no other has: pages with
    unknown parameters, share sources and partners never seen, countries that are not, QR
    codes for every source, the impact view and /about with junk."""
    codes = [language.code for language in LANGUAGES]
    kinds = [
        lambda n: f"/?junk={n}",
        lambda n: f"/{codes[n % len(codes)]}/?src=j{n}",
        lambda n: f"/?country=Z{n}&region=R{n}",
        lambda n: f"/{codes[n % len(codes)]}/?partner=p{n}",
        lambda n: f"/impact?v={n}",
        lambda n: f"/about?x={n}",
        lambda n: f"/qr.svg?src=q{n}",
        lambda n: f"/{LETTER}/?country=US&src=s{n}",
    ]
    return [kinds[n % len(kinds)](n) for n in range(count)]


def send_junk(url: str, count: int = JUNK, clients: int = 8) -> dict[int, int]:
    """Send the junk requests from `clients` connections at once; how many got each status."""
    paths = junk_paths(count)
    tally: dict[int, int] = {}
    lock = threading.Lock()

    def client(share: list[str]) -> None:
        for start in range(0, len(share), 100):  # a fresh connection now and then
            statuses = get(url, share[start:start + 100],
                           {"Accept-Language": f"xx-{start}, ko;q=0.5"})
            with lock:
                for status in statuses:
                    tally[status] = tally.get(status, 0) + 1

    threads = [threading.Thread(target=client, args=(paths[i::clients],))
               for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


def report(name: str, measured: list[Usage]) -> str:
    """One row: the whole deployment's memory (PSS summed, against the goal; RSS summed), and
    each process's RSS/USS."""
    pss = sum(u.pss for u in measured) / MB
    rss = sum(u.rss for u in measured) / MB
    each = "  ".join(f"{u.role[0]}{'' if u.role == 'master' else i}"
                     f" {u.rss / MB:.0f}/{u.uss / MB:.0f}"
                     for i, u in enumerate(measured))
    verdict = "ok" if pss <= GOAL_MB else "OVER"
    return (f"{name:<36}{len(measured):>4}{pss:>8.0f}{GOAL_MB:>6}{verdict:>6}{rss:>8.0f}"
            f"   {each}")


def header() -> str:
    """The memory table's header."""
    return (f"\n{'memory (MB)':<36}{'proc':>4}{'PSS':>8}{'goal':>6}{'':>6}{'RSS':>8}"
            "   each process: RSS/USS (m: master, w: workers)")
