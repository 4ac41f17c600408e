"""Bounded lists of records kept while a corpus streams by, sharing one copy of each record's details."""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass

from arandu.application.record_detail import RecordDetail

Rank = tuple[float, ...]


@dataclass(frozen=True, slots=True)
class _Entry:
    """Heap entry whose root is the least wanted record kept: lowest rank, then the greatest key."""

    rank: Rank
    key: str

    def __lt__(self, other: _Entry) -> bool:
        return (self.rank, other.key) < (other.rank, self.key)


class TopRecords:
    """The `limit` records of highest rank (ties: smallest key), whatever order they come in."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._heap: list[_Entry] = []

    def wants(self, rank: Rank, key: str) -> bool:
        if self.limit <= 0:
            return False
        return len(self._heap) < self.limit or self._heap[0] < _Entry(rank, key)

    def offer(self, rank: Rank, key: str) -> str | None:
        """Keep `key` (call only when `wants`); returns the key it pushed out, if any."""
        entry = _Entry(rank, key)
        if len(self._heap) < self.limit:
            heapq.heappush(self._heap, entry)
            return None
        return heapq.heapreplace(self._heap, entry).key

    def ranked(self) -> list[tuple[Rank, str]]:
        """The kept records, best first."""
        return [(e.rank, e.key) for e in sorted(self._heap, reverse=True)]

    def __len__(self) -> int:
        return len(self._heap)


class DetailPool:
    """One RecordDetail per record that some list keeps; dropped when the last list lets it go."""

    def __init__(self) -> None:
        self._details: dict[str, RecordDetail] = {}
        self._holders: dict[str, int] = {}

    def hold(self, key: str, build: Callable[[], RecordDetail]) -> None:
        if key not in self._details:
            self._details[key] = build()
        self._holders[key] = self._holders.get(key, 0) + 1

    def release(self, key: str) -> None:
        self._holders[key] -= 1
        if not self._holders[key]:
            del self._holders[key], self._details[key]

    def get(self, key: str) -> RecordDetail:
        return self._details[key]

    def __len__(self) -> int:
        return len(self._details)
