"""The page cache keeps what was rendered, the most recently used first, within its bounds of
entries and bytes, whatever keys arrive."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pytest

from campaign.data.pagecache import MAX_BYTES, MAX_ENTRIES, PageCache, size_of


@dataclass(frozen=True)
class Rendered:
    body: bytes
    etag: str


def page(kilobytes: int) -> bytes:
    return b"x" * (kilobytes * 1024)


def test_it_makes_a_value_once_and_serves_it_after() -> None:
    cache = PageCache()
    made: list[str] = []
    for _ in range(3):
        assert cache.get("key", lambda: made.append("key") or "value") == "value"
    assert made == ["key"] and len(cache) == 1


def test_it_keeps_at_most_its_entries_the_latest_used() -> None:
    cache = PageCache(entries=3)
    for key in "abcd":
        cache.get(key, lambda key=key: key)
    cache.get("b", lambda: pytest.fail("b was kept"))  # b is now the latest used
    cache.get("e", lambda: "e")
    assert len(cache) == 3
    for key in "dbe":  # a and c were used least recently
        cache.get(key, lambda: pytest.fail("a recently used entry was dropped"))
    assert cache.get("a", lambda: "made again") == "made again"


def test_it_keeps_at_most_its_bytes() -> None:
    cache = PageCache(entries=1_000, size=200 * 1024)
    for n in range(50):
        cache.get(("arrival", n), lambda: Rendered(page(30), "etag"))
        assert cache.bytes <= cache.size
    weight = size_of(Rendered(page(30), "etag")) + size_of(("arrival", 49))
    assert len(cache) == cache.size // weight == 6  # 30 KB pages: 6 fit in 200 KB, 7 do not
    assert cache.bytes == sum(size_of(Rendered(page(30), "etag")) + size_of(("arrival", n))
                              for n in range(44, 50))


def test_a_value_larger_than_the_whole_cache_is_served_and_not_kept() -> None:
    cache = PageCache(size=100 * 1024)
    cache.get("small", lambda: page(10))
    assert cache.get("huge", lambda: page(200)) == page(200)
    assert len(cache) == 1 and cache.bytes < 100 * 1024  # and what it held is still there
    cache.get("small", lambda: pytest.fail("the small page was dropped"))


def test_threads_making_the_same_key_at_once_count_its_bytes_once() -> None:
    cache = PageCache()
    start = threading.Barrier(8)

    def make() -> bytes:
        start.wait(timeout=10)  # every thread is inside make() before any keeps its value
        return page(20)

    threads = [threading.Thread(target=cache.get, args=("key", make)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(cache) == 1 and cache.bytes == size_of(page(20)) + size_of("key")


def test_size_of_counts_what_a_value_holds_once_each() -> None:
    name = "Republic of Korea" * 100  # listed twice (suggested, and among all), held once
    groups = (("Suggested", (("KR", name),)), ("All countries", (("KR", name), ("US", "US"))))
    assert size_of(name) < size_of(groups) < 2 * size_of(name)
    assert size_of(Rendered(page(100), "etag")) > 100 * 1024
    assert size_of({"a": page(50)}) > 50 * 1024


def test_the_default_bounds_are_what_the_readme_says() -> None:
    from campaign import ROOT

    readme = " ".join((ROOT / "README.md").read_text().split())
    assert f"at most {MAX_ENTRIES:,} entries and {MAX_BYTES // 2**20} MB" in readme
