"""What one verdict says about known failures: caught, located, rejected for the right reason.

A failure is a time range (seconds) in the record. A verdict *catches* a failed record when it
rejects it or lays a suspect span over one of its failures, *locates* a failure when a suspect
span overlaps it, and *points at* the failure when a criterion that rejected the record located
something overlapping a failure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from arandu.domain.criteria import default_heuristic_criteria
from arandu.domain.evidence import Evidence
from arandu.domain.locate import Locator
from arandu.domain.pipeline import judge_heuristics
from arandu.domain.transcript import Transcript

Range = tuple[float, float]
_SLACK = 0.5  # seconds: cue times are rounded, a span ending where a failure starts still touches it


@dataclass(frozen=True)
class Outcome:
    """The verdict on one record, seen against its failures (none for a good record)."""

    passed: bool
    failing: tuple[str, ...]
    judged: bool  # past the length floor, so every criterion ran
    spans: int
    failures: int
    located: int  # failures a suspect span overlaps
    pointing: bool  # a rejecting criterion located something over a failure

    @property
    def caught(self) -> bool:
        return not self.passed or self.located > 0


def _times(transcript: Transcript, locator: Locator, place: Evidence) -> Range | None:
    if place.start is not None:
        return place.start, place.end if place.end is not None else place.start
    if place.char_start is None or not len(transcript.columns):
        return None
    first = locator.segment_at(place.char_start)
    last = locator.segment_at(max(place.char_start, (place.char_end or place.char_start) - 1))
    if first is None or last is None:
        return None
    return transcript.columns.start[first], transcript.columns.end[last]


def _touches(place: Range | None, failures: Sequence[Range]) -> bool:
    return place is not None and any(place[0] <= e + _SLACK and place[1] >= s - _SLACK for s, e in failures)


def judge(
    transcript: Transcript, language: str, failures: Sequence[Range] | None = (), gate: bool = True
) -> Outcome:
    """The heuristic verdict on `transcript` (without the length floor when `gate` is off).

    `failures` None: the whole record is the failure (a clip of non-speech, a fixture that loops
    throughout), so any span locates it and any rejection but the length floor's points at it.
    """
    criteria = default_heuristic_criteria(language)
    verdict = judge_heuristics(criteria if gate else criteria[1:], transcript)
    scores = next(iter(verdict.stage_results.values())).criterion_scores
    locator = Locator(transcript)
    spans = verdict.suspect_spans or []
    if failures is None:
        return Outcome(
            passed=verdict.passed,
            failing=tuple(verdict.failing_criteria),
            judged=len(scores) > 1 or not gate,
            spans=len(spans),
            failures=1,
            located=int(bool(spans)),
            pointing=any(name != "content_length_floor" for name in verdict.failing_criteria),
        )
    located = sum(1 for f in failures if any(_touches(_times(transcript, locator, s), [f]) for s in spans))
    pointing = False
    for score in scores.values():
        if not score.passed:
            places: Iterable[Evidence] = [*(score.evidence or ()), *(score.spans or ())]
            pointing |= any(_touches(_times(transcript, locator, p), failures) for p in places)
    return Outcome(
        passed=verdict.passed,
        failing=tuple(verdict.failing_criteria),
        judged=len(scores) > 1 or not gate,
        spans=len(spans),
        failures=len(failures),
        located=located,
        pointing=pointing,
    )


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.0%})" if whole else "-"


@dataclass
class Summary:
    """Failed and good records of one set, and the figures the targets are about."""

    failed: list[Outcome] = field(default_factory=list)
    good: list[Outcome] = field(default_factory=list)  # long good records only
    every: list[Outcome] = field(default_factory=list)  # failed, good and the rest (short good, ambiguous)
    reasons: dict[str, int] = field(default_factory=dict)

    def add(self, outcome: Outcome, failed: bool | None) -> None:
        """`failed` None: neither (a short good record, an ambiguous one); counted as a record only."""
        (self.failed if failed else self.good if failed is not None else []).append(outcome)
        self.every.append(outcome)
        for name in outcome.failing:
            self.reasons[name] = self.reasons.get(name, 0) + 1

    def row(self, name: str) -> str:
        failed, good = self.failed, self.good
        judged = [o for o in failed if o.judged]
        cells = [
            name,
            str(len(self.every)),
            _share(sum(not o.passed for o in self.every), len(self.every)),
            _share(sum(o.spans > 0 for o in self.every), len(self.every)),
            _share(sum(not o.passed for o in failed), len(failed)),
            _share(sum(not o.passed and o.pointing for o in failed), len(failed)),
            _share(sum(o.caught for o in failed), len(failed)),
            _share(sum(o.located for o in judged), sum(o.failures for o in judged)),
            _share(sum(not o.passed for o in good), len(good)),
            _share(sum(o.spans > 0 for o in good), len(good)),
        ]
        return "| " + " | ".join(cells) + " |"


HEADER = (
    "| set | records | rejected | with suspect spans | failed: rejected "
    "| failed: rejected, pointing at the failure | failed: caught | failures located (judged records) "
    "| good long: rejected | good long: with suspect spans |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
)
