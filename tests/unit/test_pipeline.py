"""Filter-stage rules and the verdict schema of SPEC.md."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from arandu.domain.criteria import default_heuristic_criteria
from arandu.domain.pipeline import assemble, judge_heuristics, run_heuristic_stage
from arandu.domain.transcript import Transcript
from arandu.domain.verdict import HEURISTIC_STAGE, LLM_STAGE, CriterionScore, JudgedBy, StageResult
from tests.builders import (
    HEURISTIC_ORDER,
    IRREGULAR_STARTS,
    clean_portuguese,
    distinct_words,
    segments_at,
    starts_every,
)

THRESHOLDS = {
    "content_length_floor": 0.5,
    "script_match": 0.6,
    "repetition": 0.5,
    "content_density": 0.4,
    "segment_quality": 0.6,
    "decoder_confidence": 0.75,
    "known_hallucination": 0.75,
    "loop": 0.8,
}
CRITERIA = default_heuristic_criteria("pt")


@dataclass(frozen=True)
class Fixed:
    """A criterion with a fixed score, to exercise the stage rules apart from any heuristic."""

    name: str
    score: float
    threshold: float = 0.5

    def evaluate(self, transcript: Transcript) -> CriterionScore:
        return CriterionScore.of(self.score, self.threshold, f"fixed at {self.score}")


def stage(*scores: float) -> StageResult:
    return run_heuristic_stage([Fixed(f"c{i}", s) for i, s in enumerate(scores)], Transcript("x"))


def judge(text: str, duration_ms: float | None = 30_000, segments: Sequence[object] | None = None) -> dict[str, Any]:
    return judge_heuristics(CRITERIA, Transcript.parse(text, duration_ms, segments)).model_dump()


def test_default_criteria_run_in_the_seed_order_with_spec_thresholds() -> None:
    assert [c.name for c in CRITERIA] == HEURISTIC_ORDER
    assert {c.name: c.threshold for c in CRITERIA} == THRESHOLDS


def test_a_stage_passes_only_when_every_criterion_passes() -> None:
    assert stage(0.9, 0.5, 1.0).passed is True  # 0.5 is exactly the threshold
    assert stage(0.9, 0.49, 1.0).passed is False


def test_a_failing_criterion_after_the_gate_does_not_stop_the_others() -> None:
    result = stage(1.0, 0.0, 1.0, 0.2)
    assert list(result.criterion_scores) == ["c0", "c1", "c2", "c3"]
    assert [s.passed for s in result.criterion_scores.values()] == [True, False, True, False]


def test_the_first_criterion_gates_the_stage() -> None:
    result = stage(0.0, 1.0, 1.0)
    assert list(result.criterion_scores) == ["c0"]
    assert result.passed is False


def test_a_rejecting_stage_stops_the_pipeline_and_later_stages_are_absent() -> None:
    verdict = assemble([(HEURISTIC_STAGE, stage(0.1)), (LLM_STAGE, stage(1.0))])
    assert verdict.passed is False
    assert verdict.rejected_at == HEURISTIC_STAGE
    assert list(verdict.stage_results) == [HEURISTIC_STAGE]


def test_rejected_at_names_the_first_failing_stage() -> None:
    verdict = assemble([(HEURISTIC_STAGE, stage(1.0)), (LLM_STAGE, stage(0.1))])
    assert (verdict.passed, verdict.rejected_at) == (False, LLM_STAGE)
    assert list(verdict.stage_results) == [HEURISTIC_STAGE, LLM_STAGE]


def test_the_pipeline_passes_when_every_stage_passes() -> None:
    verdict = assemble([(HEURISTIC_STAGE, stage(1.0)), (LLM_STAGE, stage(0.8))])
    assert (verdict.passed, verdict.rejected_at) == (True, None)


def test_failing_criteria_lists_names_in_stage_order() -> None:
    verdict = assemble([(HEURISTIC_STAGE, stage(1.0, 0.1, 0.2))])
    assert verdict.failing_criteria == ["c1", "c2"]


def test_clean_transcript_passes_every_heuristic() -> None:
    verdict = judge(clean_portuguese(), 30_000, segments_at(IRREGULAR_STARTS))
    assert verdict["passed"] is True and verdict["rejected_at"] is None
    scores = verdict["stage_results"][HEURISTIC_STAGE]["criterion_scores"]
    assert list(scores) == HEURISTIC_ORDER
    assert all(s["passed"] and s["issues"] == [] for s in scores.values())


def test_heuristic_only_mode_has_no_llm_stage() -> None:
    assert list(judge(clean_portuguese())["stage_results"]) == [HEURISTIC_STAGE]


def test_verdict_schema_keys_are_exactly_those_of_the_spec() -> None:
    verdict = judge_heuristics(
        CRITERIA, Transcript(clean_portuguese(), 30_000), JudgedBy(arandu_version="9", language="pt")
    )
    dumped = verdict.model_dump()
    assert set(dumped) == {"passed", "rejected_at", "stage_results", "judged_by"}
    heuristic = dumped["stage_results"][HEURISTIC_STAGE]
    assert set(heuristic) == {"passed", "criterion_scores"}
    for score in heuristic["criterion_scores"].values():
        assert set(score) == {"score", "threshold", "passed", "rationale", "issues"}
        assert isinstance(score["score"], float) and isinstance(score["rationale"], str) and score["rationale"]
        assert isinstance(score["issues"], list)
    assert dumped["judged_by"]["language"] == "pt" and dumped["judged_by"]["arandu_version"] == "9"


# The seed's "Common Failure Patterns" that the heuristics can catch, each failing where the table says.
def loop(times: int) -> str:
    return " ".join(["Obrigada."] * times)


def japanese() -> str:
    kanji = "日本語字幕視聴登録次回楽見話言書読聞食飲行来出入上下"
    return " ".join(kanji[i % 24] + kanji[(i * 7) % 24] + "です" for i in range(50))


@pytest.mark.parametrize(
    ("text", "duration_ms", "segments", "failing"),
    [
        (japanese(), 20_000, None, ["script_match"]),
        (loop(30), 15_000, None, ["repetition", "loop"]),
        (clean_portuguese(), 30_000, segments_at(starts_every(1.0, 12)), ["segment_quality"]),
        ("um dois tres quatro cinco", 60_000, None, ["content_length_floor"]),
        (" ".join(distinct_words(40)), 600_000, None, ["content_density"]),  # 4 wpm
    ],
    ids=["wrong-script", "obrigada-x30", "uniform-segments", "5-words-in-60s", "too-sparse"],
)
def test_each_failure_pattern_is_rejected_by_its_criterion(
    text: str, duration_ms: int, segments: Sequence[object] | None, failing: list[str]
) -> None:
    verdict = judge(text, duration_ms, segments)
    assert verdict["passed"] is False
    assert verdict["rejected_at"] == HEURISTIC_STAGE
    scores = verdict["stage_results"][HEURISTIC_STAGE]["criterion_scores"]
    assert [name for name, s in scores.items() if not s["passed"]] == failing


def test_obrigada_x30_verdict_carries_the_seed_tag() -> None:
    verdict = judge(loop(30), 15_000)
    repetition = verdict["stage_results"][HEURISTIC_STAGE]["criterion_scores"]["repetition"]
    assert repetition["score"] == 0.0
    assert "high_word_repetition:obrigada:30" in repetition["issues"]


@pytest.mark.parametrize("raw", [0.0, 0.3999, 0.39996, 0.4, 0.40004, 0.6, 0.59999, 1.0, 1.7, -0.2])
def test_written_passed_is_always_written_score_at_least_threshold(raw: float) -> None:
    for threshold in (0.4, 0.6):
        score = CriterionScore.of(raw, threshold, "r")
        assert 0.0 <= score.score <= 1.0
        assert score.passed is (score.score >= score.threshold), (raw, threshold, score)
