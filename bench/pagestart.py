"""`make bench`'s phone rows: what the letter page weighs, and how it starts on a slow phone.

The weight: each language's arrival page (/, /ko/, ...: raw HTML, and gzipped as
deploy/nginx.conf compresses it), against the goal of 45 KB raw; and the script's data, the
file the page loads beside it, for each language.

The start: real Chromium (Debian's, through Playwright) at a phone's size, its CPU slowed 4x
through the DevTools protocol (`Emulation.setCPUThrottlingRate`), watching what the browser
itself reports: long tasks (its own measure: a task of 50 ms or more), layout shifts (the
measure of Core Web Vitals' CLS), campaign.js's performance marks (`campaign-start`,
`campaign-ready`) and the DevTools style and layout time. The tasks are told apart: the one
that ends the parse ("parse end": the browser's DOMContentLoaded work, in which Chromium also
reads the page's form for autofill and lays out what it has not drawn yet), the one
campaign.js starts in, and any after it. Each page starts BENCH_PHONE_RUNS
times (5). The table says first in how many of them a task took 50 ms or more: the goal is
none, and a median can hide a long task that comes in two starts of five. Then each figure's
median, beside its goal: another process on the machine can stretch any one start, never
the median of several.

These are timings, so they live here and not in the tests: a test holds what cannot depend
on the machine's speed (tests/web/test_pagestart.py: nothing on the page ever shifts).
"""

from __future__ import annotations

import gzip
import os
import re
import statistics
import urllib.request
from dataclasses import dataclass
from typing import Any

from campaign.i18n.languages import LANGUAGES

CHROMIUM = "/usr/bin/chromium"
RUNS = int(os.environ.get("BENCH_PHONE_RUNS", 5))
SLOWDOWN = 4  # a low-end phone's CPU against this machine's
LONG_TASK = 50.0  # ms: the browser's own threshold, and the goal of every task row below
PAGE_GOAL = 45 * 1024  # bytes of raw HTML an arrival page may weigh, in every language
GZIP_LEVEL = 5  # deploy/nginx.conf's gzip_comp_level
PATHS = ["/", "/?country=US&region=NY", "/ko/?country=KR", "/de/?country=DE", "/?country=IN",
         "/embed/stop-forced-repatriation?country=GB"]
DATA_FILE = re.compile(rb'<script src="([^"]+/data\.[0-9a-f]+\.js)"')

# Registered before the page's first byte: every task of 50 ms or more, and every layout
# shift, from the start on.
WATCH = """
window.__longtasks = [];
window.__shifts = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__longtasks.push([e.startTime, e.duration]);
}).observe({type: "longtask", buffered: true});
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts += e.value;
}).observe({type: "layout-shift", buffered: true});
"""


@dataclass
class Start:
    """What one start of a page took, in ms, and how much it moved."""

    longest: float  # the longest task from the first byte until the page was live (0: none)
    parse_end: float  # the task that ends the parse and fires DOMContentLoaded (0: under 50 ms)
    script_task: float  # the task campaign.js starts in (0: under 50 ms)
    later: float  # the longest task after that one (0: none of 50 ms)
    shift: float  # the layout shift the browser reported (the sum of its entries)
    script: float  # campaign.js, from its first line to the page made live
    style_layout: float  # all style and layout work until the page was live (DevTools)


@dataclass
class Weight:
    """One language's arrival page and script data, in bytes."""

    language: str
    page: int
    page_gzip: int
    data: int
    data_gzip: int


def slow_phone(browser: Any) -> tuple[Any, Any]:
    """A phone-sized page whose CPU runs SLOWDOWN times slower; its DevTools session."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.add_init_script(WATCH)
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": SLOWDOWN})
    cdp.send("Performance.enable")
    return page, cdp


def start(browser: Any, url: str) -> Start:
    """Open url on a slow phone, once; what its start took."""
    page, cdp = slow_phone(browser)
    try:
        page.goto(url, wait_until="load")
        page.wait_for_function("performance.getEntriesByName('campaign-ready').length > 0")
        page.wait_for_timeout(1000)  # the observers report once the page is idle
        seen: dict[str, Any] = page.evaluate("""() => ({longtasks: window.__longtasks,
            shifts: window.__shifts,
            parsed: performance.getEntriesByType("navigation")[0].domContentLoadedEventStart,
            start: performance.getEntriesByName("campaign-start")[0].startTime,
            ready: performance.getEntriesByName("campaign-ready")[0].startTime})""")
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    finally:
        page.context.close()
    tasks, begun = seen["longtasks"], seen["start"]

    def holding(moment: float) -> float:
        """The long task running at a moment (0: none)."""
        return max((d for s, d in tasks if s <= moment <= s + d), default=0.0)

    return Start(max((d for _s, d in tasks), default=0.0), holding(seen["parsed"]),
                 holding(begun), max((d for s, d in tasks if s > begun), default=0.0),
                 seen["shifts"], seen["ready"] - begun,
                 (metrics["LayoutDuration"] + metrics["RecalcStyleDuration"]) * 1000)


def weights(base_url: str) -> list[Weight]:
    """Each language's arrival page and script data, raw and gzipped."""
    found = []
    for language in LANGUAGES:
        page = urllib.request.urlopen(f"{base_url}/{language.code}/").read()
        link = DATA_FILE.search(page)
        data = urllib.request.urlopen(base_url + link.group(1).decode()).read() if link else b""
        found.append(Weight(language.code, len(page), len(gzip.compress(page, GZIP_LEVEL)),
                            len(data), len(gzip.compress(data, GZIP_LEVEL))))
    return found


def measure(base_url: str) -> tuple[list[Weight], list[tuple[str, Start, int]]]:
    """Each language's weight; each page's median start at base_url, and in how many of its
    starts a task took 50 ms or more (the goal is none: a median can hide them)."""
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=["--no-sandbox", "--disable-gpu"])
        for path in PATHS:
            starts = [start(browser, base_url + path) for _ in range(RUNS)]
            rows.append((path, Start(*(statistics.median(getattr(s, f) for s in starts)
                                       for f in Start.__dataclass_fields__)),
                         sum(s.longest >= LONG_TASK for s in starts)))
        browser.close()
    return weights(base_url), rows


def _verdict(ok: bool) -> str:
    """A figure's mark beside its goal, four wide so the columns line up."""
    return "ok  " if ok else "over"


def _task(ms: float) -> str:
    """A long-task figure beside its goal: under 50 ms is no long task at all."""
    if ms == 0:
        return f"{'<50':>7} {_verdict(True)}"
    return f"{ms:>7.1f} {_verdict(ms < LONG_TASK)}"


def report(measured: tuple[list[Weight], list[tuple[str, Start, int]]]) -> None:
    """The phone tables: each language's weight, each page's median start, each figure
    against its goal."""
    found, rows = measured
    print(f"\nphone: page weight by language, KB (gzip: level {GZIP_LEVEL}, as nginx sends it); "
          f"goal: the page at most {PAGE_GOAL // 1024} KB raw")
    print(f"{'language':<12}{'page raw':>14}{'page gzip':>11}{'script data raw':>17}"
          f"{'data gzip':>11}")
    for w in found:
        print(f"{w.language:<12}{w.page / 1024:>9.1f} {_verdict(w.page <= PAGE_GOAL)}"
              f"{w.page_gzip / 1024:>11.1f}{w.data / 1024:>17.1f}{w.data_gzip / 1024:>11.1f}")
    print(f"\nphone: Chromium 390x844, CPU {SLOWDOWN}x slower (DevTools), {RUNS} starts a page: "
          f"how many had a task of {LONG_TASK:.0f} ms or more, then the median of each figure; "
          f"goals: no such task, a layout shift of 0")
    print(f"{'page':<44}{'starts with':>12}{'longest task':>14}{'parse end':>14}"
          f"{'script task':>14}{'task after':>14}{'layout shift':>15}{'script ms':>11}"
          f"{'style+layout':>14}")
    print(f"{'':<44}{'a long task':>12}{'(ms)':>14}{'(ms)':>14}{'(ms)':>14}{'it (ms)':>14}"
          f"{'':>15}{'(no goal)':>11}{'ms (no goal)':>14}")
    for path, s, long in rows:
        starts = f"{long}/{RUNS}"
        print(f"{path:<44}{starts:>7} {_verdict(long == 0)}{_task(s.longest):>14}"
              f"{_task(s.parse_end):>14}{_task(s.script_task):>14}{_task(s.later):>14}"
              f"{s.shift:>10.3f} {_verdict(s.shift == 0)}{s.script:>11.1f}"
              f"{s.style_layout:>14.1f}")
