"""Filter-stage rules: per-criterion thresholds, a gate that short-circuits, first rejecting stage wins."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from arandu.domain.criteria.base import Criterion
from arandu.domain.transcript import Transcript
from arandu.domain.verdict import (
    HEURISTIC_STAGE,
    CleanPrefix,
    JudgedBy,
    JudgePipelineResult,
    StageResult,
    SuspectSpan,
    trusted,
)


def run_heuristic_stage(criteria: Sequence[Criterion], transcript: Transcript) -> StageResult:
    """Run every criterion in order; when the first (the gate) fails, the others are not run."""
    scores = {}
    for index, criterion in enumerate(criteria):
        score = criterion.evaluate(transcript)
        scores[criterion.name] = score
        if index == 0 and not score.passed:
            break
    return StageResult.of(scores)


def assemble(stages: Sequence[tuple[str, StageResult]], judged_by: JudgedBy | None = None) -> JudgePipelineResult:
    """The pipeline verdict from the stages that ran, in order; nothing runs after a rejection."""
    results: dict[str, StageResult] = {}
    rejected_at = None
    for name, result in stages:
        results[name] = result
        if not result.passed:
            rejected_at = name
            break
    return trusted(
        JudgePipelineResult,
        passed=rejected_at is None,
        rejected_at=rejected_at,
        stage_results=results,
        judged_by=judged_by,
        clean_prefix=clean_prefix(results.values()) if rejected_at else None,
        suspect_spans=suspect_spans(results.values()),
    )


def suspect_spans(stages: Iterable[StageResult]) -> list[SuspectSpan] | None:
    """Every span the criteria located, in the order they appear in the transcript; None when none."""
    spans = [span for stage in stages for score in stage.criterion_scores.values() for span in score.spans or ()]
    if not spans:
        return None
    return sorted(spans, key=_place)


def _place(span: SuspectSpan) -> tuple[float, float, str]:
    start = span.char_start if span.char_start is not None else span.start
    return (-1.0 if start is None else float(start), float(span.first_segment or 0), span.criterion)


def clean_prefix(stages: Iterable[StageResult]) -> CleanPrefix | None:
    """Seconds and characters before the earliest evidence any failing criterion located."""
    evidence = [
        place
        for stage in stages
        for score in stage.criterion_scores.values()
        if not score.passed
        for place in score.evidence or ()
    ]
    starts = [place.start for place in evidence if place.start is not None]
    chars = [place.char_start for place in evidence if place.char_start is not None]
    if not starts and not chars:
        return None
    return CleanPrefix(seconds=min(starts) if starts else None, chars=min(chars) if chars else None)


def judge_heuristics(
    criteria: Sequence[Criterion], transcript: Transcript, judged_by: JudgedBy | None = None
) -> JudgePipelineResult:
    """The verdict of the heuristic stage alone."""
    return assemble([(HEURISTIC_STAGE, run_heuristic_stage(criteria, transcript))], judged_by)
