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


# Heuristic criteria that the recording judges better, and the audio criterion that takes over:
# words per minute of the whole file cannot tell a long quiet recording from a sparse transcript.
HEARD_BETTER = {"content_density": "speech_rate"}


def defers_to_audio(heuristics: StageResult) -> bool:
    """Whether the heuristic stage failed only on criteria that the audio stage judges better."""
    failing = [name for name, score in heuristics.criterion_scores.items() if not score.passed]
    return bool(failing) and all(name in HEARD_BETTER for name in failing)


def set_aside_for_audio(heuristics: StageResult) -> StageResult:
    """The heuristic stage once the recording was heard: its failed criteria that audio judges better
    keep their score and threshold, pass, and say which audio criterion judged instead."""
    scores = {}
    for name, score in heuristics.criterion_scores.items():
        if name in HEARD_BETTER and not score.passed:
            instead = HEARD_BETTER[name]
            score = score.model_copy(
                update={
                    "passed": True,
                    "rationale": f"{score.rationale} Set aside: the recording was found, and {instead} "
                    "judges the words per second of detected speech instead.",
                    "issues": [*score.issues, f"set_aside_for:{instead}"],
                }
            )
        scores[name] = score
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
