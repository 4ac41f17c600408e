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
    """(length, index of the run's first segment) of the longest uniform run."""
    if len(starts) < 2:
        return 0, 0
    column = np.array(starts, dtype=np.float64)
    uniform = np.abs(np.diff(column) - interval) <= tolerance + _EPSILON
    if not uniform.any():
        return 0, 0
    # Runs of uniform intervals: where each begins and ends in the padded mask.
    edges = np.flatnonzero(np.diff(np.concatenate(([False], uniform, [False])).view(np.int8)))
    begins, ends = edges[::2], edges[1::2]
    longest = int(np.argmax(ends - begins))  # the first of the longest runs
    return int(ends[longest] - begins[longest]), int(begins[longest])


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
    # penalty only when it holds at least this share of the record's intervals, or when most of its
    # segments repeat the one before (a loop stamped at one per second) over at least
    # `min_repeated_run` intervals: a podcast's outro chanted four times is said, not looped.
    min_uniform_share: float = 0.5
    min_repeated_share: float = 0.5
    min_repeated_run: int = 8
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
        run, run_first = _longest_uniform_run(segments.start, self.uniform_interval, self.uniform_interval_tolerance)
        if run >= self.min_uniform_run and self._artefact(segments.text, run, run_first):
            score -= self.uniform_penalty
            issues.append(f"suspicious_uniform_intervals:{run}")
            findings.append(
                f"{run} consecutive segment starts are {self.uniform_interval:g} ± "
                f"{self.uniform_interval_tolerance:g} s apart"
            )
            evidence.append(
                Evidence(first_segment=run_first, last_segment=run_first + run, start=segments.start[run_first])
            )
        elif run >= self.min_uniform_run:
            # The seed's signal is kept as a tag, without the penalty.
            issues.append(f"uniform_interval_exchange:{run}")
        if not findings:
            return CriterionScore.of(
                1.0, self.threshold, f"{total} segments, none empty or metronomic.", issues or None
            )
        return CriterionScore.of(
            score,
            self.threshold,
            "; ".join(findings).capitalize() + ".",
            issues,
            evidence=evidence if score < self.threshold else None,
            spans=[
                Locator(transcript).segments(e.first_segment or 0, e.last_segment or 0, self.name, finding)
                for e, finding in zip(evidence, findings, strict=True)
            ]
            if score < self.threshold
            else None,
        )

    def _artefact(self, texts: tuple[str, ...], run: int, first: int) -> bool:
        """Whether a uniform run of `run` intervals from segment `first` is Whisper's, not quick speech."""
        if run >= self.min_uniform_share * (len(texts) - 1):
            return True
        if run < self.min_repeated_run:
            return False
        words = [normalized_words(text) for text in texts[first : first + run + 1]]
        repeated = sum(1 for a, b in itertools.pairwise(words) if a and a == b)
        return repeated >= self.min_repeated_share * run
