"""`make bench`'s phone rows: how the letter page starts on a slow phone.

Real Chromium (Debian's, through Playwright) at a phone's size, its CPU slowed 4x through the
DevTools protocol (`Emulation.setCPUThrottlingRate`), watching what the browser itself
reports: campaign.js's performance marks (`campaign-start`, `campaign-ready`), long tasks
(the browser's own measure: a task of 50 ms or more) and the DevTools style and layout time.
Each page starts BENCH_PHONE_RUNS times (5); the median is printed beside its goal: another
process on the machine can stretch any one start, never the median of several.

These are timings, so they live here and not in the tests: a test holds what cannot depend
on the machine's speed (tests/test_pagestart.py: nothing on the page ever shifts).
"""

from __future__ import annotations

import os
import statistics
from dataclasses import dataclass
from typing import Any

CHROMIUM = "/usr/bin/chromium"
RUNS = int(os.environ.get("BENCH_PHONE_RUNS", 5))
SLOWDOWN = 4  # a low-end phone's CPU against this machine's
LONG_TASK = 50.0  # ms: the browser's own threshold, and the goal of every row below
PATHS = ["/", "/?country=US&region=NY", "/ko/?country=KR", "/?country=IN",
         "/embed/stop-forced-repatriation?country=GB"]

# Registered before the page's first byte: every task of 50 ms or more from the start on.
WATCH = """
window.__longtasks = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__longtasks.push([e.startTime, e.duration]);
}).observe({type: "longtask", buffered: true});
"""


@dataclass
class Start:
    """What one start of a page took, in ms."""

    script: float  # campaign.js, from its first line to the page made live
    first_layout: float  # the task the script starts in, which holds the document's first
    #                      style and layout (0: under 50 ms, no long task)
    later: float  # the longest task after that one (0: none of 50 ms)
    style_layout: float  # all style and layout work until the page was live (DevTools)


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
        page.wait_for_timeout(1000)  # the observer reports once the page is idle
        seen: dict[str, Any] = page.evaluate("""() => ({longtasks: window.__longtasks,
            start: performance.getEntriesByName("campaign-start")[0].startTime,
            ready: performance.getEntriesByName("campaign-ready")[0].startTime})""")
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    finally:
        page.context.close()
    begun = seen["start"]
    holding = [d for s, d in seen["longtasks"] if s <= begun <= s + d]
    later = [d for s, d in seen["longtasks"] if s > begun]
    return Start(seen["ready"] - begun, max(holding, default=0.0), max(later, default=0.0),
                 (metrics["LayoutDuration"] + metrics["RecalcStyleDuration"]) * 1000)


def measure(base_url: str) -> list[tuple[str, Start]]:
    """The median start of each page at base_url."""
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=["--no-sandbox", "--disable-gpu"])
        for path in PATHS:
            starts = [start(browser, base_url + path) for _ in range(RUNS)]
            rows.append((path, Start(*(statistics.median(getattr(s, f) for s in starts)
                                       for f in Start.__dataclass_fields__))))
        browser.close()
    return rows


def _against_goal(ms: float) -> str:
    """A long-task figure beside its goal: under 50 ms is no long task at all."""
    if ms == 0:
        return f"{'<50':>7} ok  "
    return f"{ms:>7.1f} {'ok  ' if ms < LONG_TASK else 'over'}"


def report(rows: list[tuple[str, Start]]) -> None:
    """The phone table: each page's median start, each figure against its goal."""
    print(f"\nphone: Chromium 390x844, CPU {SLOWDOWN}x slower (DevTools), median of {RUNS} "
          f"starts, ms; goal: each under {LONG_TASK:.0f} (no long task)")
    print(f"{'page':<46}{'script start':>13}{'first layout':>16}{'longest task':>16}"
          f"{'style+layout':>14}")
    print(f"{'':<46}{'to ready':>13}{'+ script task':>16}{'after it':>16}{'(no goal)':>14}")
    for path, s in rows:
        print(f"{path:<46}{s.script:>8.1f} {'ok  ' if s.script < LONG_TASK else 'over'}"
              f"{_against_goal(s.first_layout):>16}{_against_goal(s.later):>16}"
              f"{s.style_layout:>14.1f}")
