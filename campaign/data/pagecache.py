"""What pages render from one version of the campaign's data, made once and kept with it.

A `PageCache` lives on a `CampaignData` and is dropped with it when a file changes, so
nothing rendered from old data outlives it. It keeps the most recently used entries only, and
never more than its bounds: at most `MAX_ENTRIES` entries and `MAX_BYTES` bytes per worker
process, however many different requests arrive (a crawler's or an attacker's query strings
make new keys only where a key holds a query value, such as a share source, and those push
the oldest entries out). An arrival page is about 160 KB: the bytes bound keeps about
seventy, beside nginx's cache.
"""

from __future__ import annotations

import dataclasses
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")
MAX_ENTRIES = 1_000
MAX_BYTES = 12 * 1024 * 1024


def size_of(value: object) -> int:
    """The bytes a value holds, with what it contains (tuples, lists, dicts, sets and
    dataclasses, each object once): close enough to bound a cache by."""
    seen: set[int] = set()
    total, stack = 0, [value]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        total += sys.getsizeof(item)
        if isinstance(item, (tuple, list, set, frozenset)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            stack.extend(getattr(item, f.name) for f in dataclasses.fields(item))
    return total


class PageCache:
    """A bounded, thread-safe map from a key to what was rendered for it: at most `entries`
    entries and `size` bytes (size_of), the least recently used dropped first."""

    def __init__(self, entries: int | None = None, size: int | None = None) -> None:
        self.entries = MAX_ENTRIES if entries is None else entries
        self.size = MAX_BYTES if size is None else size
        self.bytes = 0  # what the entries kept hold now
        self._items: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """The value kept for key, made (outside the lock) and kept if there is none."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key][0]  # type: ignore[return-value]
        value = make()
        weight = size_of(value) + size_of(key)
        if weight > self.size:
            return value  # larger than the whole cache: served, not kept
        with self._lock:
            if key in self._items:  # made meanwhile by another thread
                self.bytes -= self._items.pop(key)[1]
            self._items[key] = (value, weight)
            self.bytes += weight
            while len(self._items) > self.entries or self.bytes > self.size:
                self.bytes -= self._items.popitem(last=False)[1][1]
        return value

    def __len__(self) -> int:
        return len(self._items)
