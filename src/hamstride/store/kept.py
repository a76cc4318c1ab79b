"""The one cache of answers worked out from the database, owned by the open database (one
per process and database, shared by every account's view of it).

What is kept is keyed by what it depends on: a plan by its id and when it was stored
(stored plans never change), "today" by the profile's freshness (store.freshness), a
credential by the database's data version. A key never goes stale, it stops being asked
for; the cache is bounded by emptying it when full (what is asked again is worked out
again once).
"""

from __future__ import annotations

import threading
from collections.abc import Hashable

KEPT_MAX = 8192  # entries, all kinds together (a bound on memory, not a tuning)


class Kept:
    def __init__(self, limit: int = KEPT_MAX) -> None:
        self._limit = limit
        self._entries: dict[Hashable, object] = {}
        self._lock = threading.Lock()
        # for kinds kept under a bound of their own: their keys, oldest first
        self._bounded: dict[str, dict[Hashable, None]] = {}

    def get(self, key: Hashable) -> object | None:
        return self._entries.get(key)

    def put(self, key: Hashable, value: object, *, at_most: int | None = None) -> None:
        """Keep ``value``; ``at_most``: keep at most that many entries of this key's kind
        (a tuple key's first item), the oldest going first. For big answers (a validated
        plan is ~66,000 objects): every full collection of the cycle collector scans what
        is kept, and with thousands of them one took most of a second (bench/RESULTS.md,
        issue 13)."""
        with self._lock:
            if len(self._entries) >= self._limit:
                self._entries.clear()
                self._bounded.clear()
            self._entries[key] = value
            if at_most is not None and isinstance(key, tuple) and key:
                order = self._bounded.setdefault(str(key[0]), {})
                order.pop(key, None)
                order[key] = None
                while len(order) > at_most:
                    oldest = next(iter(order))
                    del order[oldest]
                    self._entries.pop(oldest, None)

    def forget(self, kind: str) -> None:
        """Drop every entry whose key is a tuple starting with ``kind``."""
        with self._lock:
            for key in [k for k in self._entries if isinstance(k, tuple) and k[:1] == (kind,)]:
                del self._entries[key]
            self._bounded.pop(kind, None)

    def __len__(self) -> int:
        return len(self._entries)
