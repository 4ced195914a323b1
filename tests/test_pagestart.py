"""The page starts fast on a slow phone: real Chromium, its CPU slowed 4x through the DevTools
protocol, watching what the browser itself reports: layout shifts and long tasks."""

from __future__ import annotations

from typing import Any

import pytest
from support import LiveServer

pytestmark = pytest.mark.browser

# Registered before the page's first byte: every layout shift and every task over 50 ms
# (the browser's own definition of a long task) from the start of the page on.
WATCH = """
window.__start = {shifts: [], longtasks: []};
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if (!e.hadRecentInput) {
      window.__start.shifts.push({value: e.value, sources: (e.sources || []).map(
        (s) => (s.node && s.node.id) || (s.node && s.node.nodeName) || "?")});
    }
  }
}).observe({type: "layout-shift", buffered: true});
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    window.__start.longtasks.push({start: e.startTime, duration: e.duration});
  }
}).observe({type: "longtask", buffered: true});
"""


def slow_phone(browser: Any) -> Any:
    """A phone-sized page whose CPU runs 4x slower, as a low-end phone's does."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.add_init_script(WATCH)
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    return page


def start(browser: Any, url: str) -> dict[str, Any]:
    """Open url on a slow phone: what the page's start did (shifts, long tasks, errors), and
    when campaign.js started and was ready (its performance marks)."""
    page = slow_phone(browser)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(url, wait_until="load")
        page.wait_for_selector("#send-waiting", state="visible")  # the script runs
        page.wait_for_timeout(1500)  # anything the start set off has run (and shifted)
        seen: dict[str, Any] = page.evaluate("""() => ({...window.__start, marks:
            Object.fromEntries(performance.getEntriesByType("mark").map(
                (m) => [m.name, m.startTime]))})""")
    finally:
        page.context.close()
    return {**seen, "errors": errors}


def the_scripts(seen: dict[str, Any]) -> list[float]:
    """The long tasks from the script's start on, in ms: its own, and any it set off. (The
    browser's first layout of the document, before the script, is not the script's.)"""
    begun = seen["marks"]["campaign-start"]
    return [t["duration"] for t in seen["longtasks"] if t["start"] + t["duration"] > begun]


PATHS = ["/", "/?country=US&region=NY", "/ko/?country=KR", "/?country=IN"]


def best_of_three(browser: Any, url: str, measure: Any) -> list[Any]:
    """What `measure` finds in up to three starts, stopping at the first where it finds
    nothing. Every start must be free of errors and of layout shifts: a shift is there or
    not. Long tasks and durations are held to the best start: on a shared machine (CI, or
    tests running at once) another process can preempt the throttled page and stretch a
    30 ms task past 50; work the page really does too much of is there at every start."""
    found = []
    for _ in range(3):
        seen = start(browser, url)
        assert seen["errors"] == []
        assert {"campaign-start", "campaign-ready"} <= set(seen["marks"])
        assert sum(s["value"] for s in seen["shifts"]) < 0.001, seen["shifts"]
        found.append(measure(seen))
        if not found[-1]:
            break
    return found


@pytest.mark.parametrize("path", PATHS)
def test_the_script_starts_without_a_shift_and_within_a_frame_on_a_slow_phone(
        browser: Any, live_server: LiveServer, path: str) -> None:
    """The script's own start-up (from its first line to the page made live) is no long
    task, and moves nothing on the page."""
    def too_long(seen: dict[str, Any]) -> list[float]:
        took = seen["marks"]["campaign-ready"] - seen["marks"]["campaign-start"]
        return [took] if took >= 50 else []

    starts = best_of_three(browser, live_server.url + path, too_long)
    assert [] in starts, f"the script took 50 ms or more at every start (ms): {starts}"


def test_the_watch_sees_a_long_task_when_there_is_one(browser: Any,
                                                     live_server: LiveServer) -> None:
    """The measure can fail: a task of 100 ms after the script's start is seen, and counted
    as the script's."""
    page = slow_phone(browser)
    page.goto(live_server.url + "/", wait_until="load")
    page.wait_for_selector("#send-waiting", state="visible")
    page.wait_for_timeout(500)  # past the start's own tasks
    page.evaluate("() => setTimeout(() => { const end = performance.now() + 100; "
                  "while (performance.now() < end) {} }, 0)")  # a task of the page's own
    page.wait_for_timeout(1500)  # the observer reports when the page is idle
    seen = page.evaluate("""() => ({...window.__start, marks: Object.fromEntries(
        performance.getEntriesByType("mark").map((m) => [m.name, m.startTime]))})""")
    page.context.close()
    assert any(duration >= 90 for duration in the_scripts(seen)), seen
