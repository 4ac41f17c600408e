"""Where a recording holds speech: intervals in seconds, made from a voice-activity detector's frame scores."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class SpeechTimeline:
    """Sorted, disjoint speech intervals `(start, end)` in seconds over a recording of `duration` seconds."""

    intervals: tuple[tuple[float, float], ...]
    duration: float

    @classmethod
    def from_scores(
        cls,
        scores: Sequence[float] | npt.NDArray[np.floating],
        frame_seconds: float,
        *,
        onset: float = 0.5,
        offset: float = 0.35,
        min_speech: float = 0.25,
        min_silence: float = 0.3,
        duration: float | None = None,
    ) -> SpeechTimeline:
        """Speech where the score rises to `onset` until it falls below `offset` (so a word's dip does
        not split it); runs shorter than `min_speech` are dropped and gaps shorter than `min_silence`
        closed, as a listener would hear them."""
        values = np.asarray(scores, dtype=np.float64)
        runs: list[list[float]] = []
        speaking = False
        # A loop over frames (about 110,000 an hour) only where the state can change.
        above = np.flatnonzero((values >= onset) | (values < offset))
        for frame in above.tolist():
            if not speaking and values[frame] >= onset:
                speaking = True
                runs.append([frame * frame_seconds, 0.0])
            elif speaking and values[frame] < offset:
                speaking = False
                runs[-1][1] = frame * frame_seconds
        total = len(values) * frame_seconds if duration is None else duration
        if speaking:
            runs[-1][1] = len(values) * frame_seconds
        merged: list[list[float]] = []
        for run in runs:
            if merged and run[0] - merged[-1][1] < min_silence:
                merged[-1][1] = run[1]
            else:
                merged.append(run)
        kept = tuple((start, min(end, total)) for start, end in merged if end - start >= min_speech)
        return cls(kept, total)

    @cached_property
    def _starts(self) -> list[float]:
        return [start for start, _ in self.intervals]

    @property
    def speech_seconds(self) -> float:
        return sum(end - start for start, end in self.intervals)

    def speech_between(self, start: float, end: float) -> float:
        """Seconds of speech inside [start, end]."""
        if end <= start:
            return 0.0
        first = max(0, bisect.bisect_right(self._starts, start) - 1)
        total = 0.0
        for a, b in self.intervals[first:]:
            if a >= end:
                break
            total += max(0.0, min(b, end) - max(a, start))
        return total

    def uncovered(self, covered: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
        """The parts of the speech intervals outside every `covered` interval (which need not be sorted)."""
        spans = sorted((a, b) for a, b in covered if b > a)
        holes: list[tuple[float, float]] = []
        index = 0
        for start, end in self.intervals:
            cursor = start
            while index < len(spans) and spans[index][1] <= cursor:
                index += 1
            probe = index
            while probe < len(spans) and spans[probe][0] < end:
                a, b = spans[probe]
                if a > cursor:
                    holes.append((cursor, a))
                cursor = max(cursor, b)
                probe += 1
            if cursor < end:
                holes.append((cursor, end))
        return holes


def clock(seconds: float) -> str:
    """'1:02:10' past an hour, '2:05' below."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
