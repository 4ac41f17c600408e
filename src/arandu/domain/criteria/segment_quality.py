"""segment_quality: empty segments and metronomic 1-second starts are Whisper timestamp artefacts."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from arandu.domain.evidence import Evidence, index_ranges
from arandu.domain.locate import Locator
from arandu.domain.text import normalized_words
from arandu.domain.transcript import Transcript
from arandu.domain.verdict import CriterionScore

_EPSILON = 1e-9  # so that an interval of exactly 1.1 s counts as within 1.0 ± 0.1


def longest_uniform_run(starts: tuple[float, ...], interval: float, tolerance: float) -> int:
    """Length, in start-to-start intervals, of the longest run of intervals within interval ± tolerance."""
    return _longest_uniform_run(starts, interval, tolerance)[0]


def _longest_uniform_run(starts: tuple[float, ...], interval: float, tolerance: float) -> tuple[int, int]:
    """(length, index of the run's first segment) of the longest uniform run (the first of the longest)."""
    runs = uniform_runs(starts, interval, tolerance)
    return max(runs, key=lambda run: run[0], default=(0, 0))


def uniform_runs(starts: tuple[float, ...], interval: float, tolerance: float) -> list[tuple[int, int]]:
    """(length in intervals, index of the first segment) of every maximal run of uniform intervals, in order."""
    if len(starts) < 2:
        return []
    column = np.array(starts, dtype=np.float64)
    uniform = np.abs(np.diff(column) - interval) <= tolerance + _EPSILON
    if not uniform.any():
        return []
    # Runs of uniform intervals: where each begins and ends in the padded mask.
    edges = np.flatnonzero(np.diff(np.concatenate(([False], uniform, [False])).view(np.int8)))
    begins, ends = edges[::2], edges[1::2]
    return list(zip((ends - begins).tolist(), begins.tolist(), strict=True))


def sparse_tail(
    texts: tuple[str, ...], starts: tuple[float, ...], ends: tuple[float, ...], seconds_per_word: float
) -> tuple[int, int, int] | None:
    """(first, last, count) of the record's last segments with words that each last at least
    `seconds_per_word` a word, back from its last segment with words (segments without words are
    stepped over); None when its last segment with words is said faster than that."""
    first = last = None
    count = 0
    for index in range(len(texts) - 1, -1, -1):
        words = len(normalized_words(texts[index]))
        if not words:
            continue
        if ends[index] - starts[index] < seconds_per_word * words:
            break
        first, count = index, count + 1
        last = index if last is None else last
    return None if first is None or last is None else (first, last, count)


@dataclass(frozen=True, slots=True)
class SegmentQuality:
    """Starts at 1.0 and loses a penalty per artefact found."""

    max_empty_segment_ratio: float = 0.2
    empty_penalty: float = 0.3
    uniform_interval: float = 1.0
    uniform_interval_tolerance: float = 0.1
    min_uniform_run: int = 5
    uniform_penalty: float = 0.5
    # A run of quick exchanges ("Yep." / "Awesome.") in a long record is speech: the run costs the
    # penalty only when it holds at least this share of the record's intervals, or when it holds a
    # loop stamped at one per second (most of its steps over at least `min_repeated_run` intervals,
    # or `min_repeated_streak` steps in a row, repeat the segment before): a podcast's outro
    # chanted four times is said, not looped.
    min_uniform_share: float = 0.5
    min_repeated_share: float = 0.5
    min_repeated_run: int = 8
    min_repeated_streak: int = 7
    # Such a loop costs the penalty only when its segments are more than this share of the record
    # (as for `loop`); a smaller one is a suspect span.
    min_loop_share: float = 0.2
    # Lines over the silence after a recording's speech: its last segments (at least
    # `min_sparse_tail` of those with words), each lasting at least `sparse_seconds_per_word` a
    # word, are a suspect span; they cost nothing, since one slow last line is often said.
    sparse_seconds_per_word: float = 5.0
    min_sparse_tail: int = 2
    threshold: float = 0.6
    name: str = "segment_quality"

    def evaluate(self, transcript: Transcript) -> CriterionScore:
        segments = transcript.columns
        total = len(segments)
        if not total:
            return CriterionScore.of(1.0, self.threshold, "No segments were given, so none are judged.")
        score, issues, findings = 1.0, [], []
        evidence: list[Evidence] = []
        stripped = list(map(str.strip, segments.text))
        empty = stripped.count("")
        if empty / total > self.max_empty_segment_ratio:
            empty_indices = [i for i, text in enumerate(stripped) if not text]
            score -= self.empty_penalty
            issues.append(f"high_empty_segments:{empty}/{total}")
            findings.append(f"{empty} of {total} segments are empty")
            first, last = index_ranges(empty_indices)[0]
            evidence.append(Evidence(first_segment=first, last_segment=last, start=segments.start[first]))
        runs = uniform_runs(segments.start, self.uniform_interval, self.uniform_interval_tolerance)
        run, run_first, whole = self._artefact(segments.text, runs)
        local: list[tuple[int, int, str]] = []  # (first, last, reason) of what is located but costs nothing
        if run and (whole or run + 1 > self.min_loop_share * total):
            score -= self.uniform_penalty
            issues.append(f"suspicious_uniform_intervals:{run}")
            findings.append(
                f"{run} consecutive segment starts are {self.uniform_interval:g} ± "
                f"{self.uniform_interval_tolerance:g} s apart"
            )
            evidence.append(
                Evidence(first_segment=run_first, last_segment=run_first + run, start=segments.start[run_first])
            )
        elif run:
            issues.append(f"uniform_interval_loop:{run}")
            finding = f"{run + 1} segments repeat each other at {self.uniform_interval:g}-s stamps"
            findings.append(finding)
            local.append((run_first, run_first + run, finding))
        elif (longest := max((length for length, _ in runs), default=0)) >= self.min_uniform_run:
            # The seed's signal is kept as a tag, without the penalty.
            issues.append(f"uniform_interval_exchange:{longest}")
        tail = sparse_tail(segments.text, segments.start, segments.end, self.sparse_seconds_per_word)
        if tail is not None and tail[2] >= self.min_sparse_tail:
            first, last, count = tail
            finding = f"the last {count} segments hold at most one word per {self.sparse_seconds_per_word:g} s"
            issues.append(f"sparse_tail:{first}-{last}")
            findings.append(finding)
            local.append((first, last, f"{finding} (text over silence?)"))
        if not findings:
            return CriterionScore.of(
                1.0, self.threshold, f"{total} segments, none empty or metronomic.", issues or None
            )
        failed = score < self.threshold
        locator = Locator(transcript)
        spans = [
            locator.segments(e.first_segment or 0, e.last_segment or 0, self.name, finding)
            for e, finding in zip(evidence, findings, strict=False)
            if failed
        ]
        spans += [locator.segments(first, last, self.name, reason) for first, last, reason in local]
        return CriterionScore.of(
            score,
            self.threshold,
            "; ".join(findings).capitalize() + ".",
            issues,
            evidence=evidence if failed else None,
            spans=spans,
        )

    def _artefact(self, texts: tuple[str, ...], runs: list[tuple[int, int]]) -> tuple[int, int, bool]:
        """(length, first segment, whether it is the record-wide kind) of the uniform run that is
        Whisper's, not quick speech; (0, 0, False) if none is.

        The longest run is, when it holds at least `min_uniform_share` of the record's intervals.
        Else the longest run, wherever it sits, that holds a loop stamped at one per second: at
        least `min_repeated_run` intervals of which most steps repeat the segment before, or a
        streak of `min_repeated_streak` steps each repeating the one before (the same segment
        said `min_repeated_streak` + 1 times at 1-s stamps, inside a longer run of speech).
        """
        longest = max(runs, key=lambda run: run[0], default=(0, 0))
        if longest[0] >= self.min_uniform_run and longest[0] >= self.min_uniform_share * (len(texts) - 1):
            return (*longest, True)
        looping = (0, 0)
        for length, first in runs:
            if length < self.min_uniform_run or length <= looping[0]:
                continue
            words = [normalized_words(text) for text in texts[first : first + length + 1]]
            steps = [bool(a) and a == b for a, b in itertools.pairwise(words)]
            streak = max((len(list(same)) for repeat, same in itertools.groupby(steps) if repeat), default=0)
            mostly = length >= self.min_repeated_run and sum(steps) >= self.min_repeated_share * length
            if mostly or streak >= self.min_repeated_streak:
                looping = (length, first)
        return (*looping, False)
