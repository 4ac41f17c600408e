"""Loops of any length: stretches of words that repeat one unit back to back, found in about linear time.

A loop of unit length p is a stretch where every word equals the word p places before it. Its
first k-word phrase after the first unit was last seen exactly p words earlier, and so were the
phrases after it: the distance from each k-word phrase to its previous occurrence is p all along
the loop. So one stable sort of the phrase codes gives every distance, the periods seen often
enough are the only candidates, and each candidate is checked word by word with one vectorised
comparison. A period is found whatever its length, from one word to many sentences.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]

# Phrases this long anchor the distances: rarely repeated at a short distance in speech, so few
# periods are candidates, and short enough that units of one or two words still show.
_ANCHOR = 3


@dataclass(frozen=True, slots=True)
class Loop:
    """Words [start, end) repeat a unit of `period` words `repeats` times (a last partial unit included)."""

    start: int
    end: int
    period: int

    @property
    def repeats(self) -> int:
        return (self.end - self.start) // self.period

    @property
    def words(self) -> int:
        return self.end - self.start


def _runs(mask: npt.NDArray[np.bool_]) -> tuple[Ints, Ints]:
    """Starts and ends (exclusive) of the runs of True in `mask`."""
    edges = np.flatnonzero(np.diff(np.concatenate(([False], mask, [False])).view(np.int8)))
    return edges[::2].astype(np.int64), edges[1::2].astype(np.int64)


# Keys stay below this, so int64 arithmetic on them never overflows.
_KEY_LIMIT = 2**62


def _anchor_codes(ids: Ints) -> Ints:
    """One integer per start of an `_ANCHOR`-word phrase, equal exactly when the phrases are, each
    below the vocabulary size to the power `_ANCHOR`, or below the phrase count when that is smaller."""
    count = len(ids) - _ANCHOR + 1
    vocabulary = int(ids.max()) + 1
    if vocabulary**_ANCHOR * count < _KEY_LIMIT:  # the words' ids as digits: no renumbering needed
        codes = ids[:count]
        for k in range(1, _ANCHOR):
            codes = codes * vocabulary + ids[k : k + count]
        return codes
    codes = ids[:count]
    for k in range(1, _ANCHOR):
        # Renumbering keeps codes below the phrase count, so the product never overflows.
        codes = np.unique(codes, return_inverse=True)[1].astype(np.int64) * vocabulary
        codes = codes + ids[k : k + count]
    return np.unique(codes, return_inverse=True)[1].astype(np.int64)


def candidate_periods(ids: Ints, min_repeats: int) -> list[int]:
    """Periods p whose phrases recur at distance p at least half as often as in a loop of `min_repeats` units.

    Such a loop of n words has n - p - (_ANCHOR - 1) phrases whose previous occurrence is p back,
    when no phrase recurs inside the unit (as in speech); half of that leaves room for a few that do.
    """
    if len(ids) < _ANCHOR + 1:
        return [1] if len(ids) >= min_repeats else []
    codes = _anchor_codes(ids)
    count = len(codes)
    # Sorting code * count + start orders equal phrases by where they start, as a stable sort of
    # the codes would, but the keys are distinct, so the quicker unstable sort gives the same order.
    keys = np.sort(codes * count + np.arange(count, dtype=np.int64))
    order, ordered = keys % count, keys // count
    same = ordered[1:] == ordered[:-1]
    distances = (order[1:] - order[:-1])[same]
    if not len(distances):
        return []
    counts = np.bincount(distances)
    needed = np.maximum(1, (min_repeats - 1) * np.arange(len(counts)) - (_ANCHOR - 1))
    periods = np.flatnonzero(counts * 2 >= needed)
    return [int(p) for p in periods if p > 0]


def find_loops(ids: Ints, min_repeats: int, min_words: int) -> list[Loop]:
    """Every maximal loop of at least `min_repeats` units and `min_words` words, by start.

    For each candidate period, the stretches where each word equals the one a period before; a
    stretch holding a loop of a shorter period that was already found is kept only if it is longer.
    """
    found: list[Loop] = []
    for period in candidate_periods(ids, min_repeats):
        if period * min_repeats > len(ids):
            break
        equal = ids[period:] == ids[:-period]
        starts, ends = _runs(equal)
        # Run [s, e) of equalities means words [s, e + period) have this period.
        lengths = ends - starts + period
        keep = (lengths >= period * min_repeats) & (lengths >= min_words)
        for start, end in zip(starts[keep].tolist(), (ends[keep] + period).tolist(), strict=True):
            if not any(f.start <= start and end <= f.end for f in found):  # a multiple of a shorter unit
                found.append(Loop(start, end, period))
    return sorted(found, key=lambda loop: (loop.start, loop.period))
