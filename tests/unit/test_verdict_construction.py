"""The verdict's fast constructor builds exactly what pydantic would."""

from __future__ import annotations

from typing import Any

import pydantic
import pytest

from arandu.domain.evidence import Evidence
from arandu.domain.verdict import (
    CleanPrefix,
    CriterionScore,
    JudgedBy,
    JudgePipelineResult,
    StageResult,
    SuspectSpan,
    trusted,
)


def _examples() -> list[tuple[type[pydantic.BaseModel], dict[str, Any]]]:
    score = CriterionScore(
        score=0.2,
        threshold=0.5,
        passed=False,
        rationale="loops",
        issues=["repeated_phrase:tchau tchau tchau:9"],
        evidence=[Evidence(char_start=3, char_end=40)],
    )
    stage = StageResult(passed=False, criterion_scores={"repetition": score})
    return [
        (
            CriterionScore,
            {
                "score": 0.2,
                "threshold": 0.5,
                "passed": False,
                "rationale": "loops",
                "issues": ["x"],
                "evidence": [Evidence(char_start=1, char_end=2)],
                "spans": [SuspectSpan(first_segment=0, last_segment=2, criterion="loop", reason="x")],
            },
        ),
        (StageResult, {"passed": False, "criterion_scores": {"repetition": score}}),
        (
            JudgePipelineResult,
            {
                "passed": False,
                "rejected_at": "heuristic_filter",
                "stage_results": {"heuristic_filter": stage},
                "judged_by": JudgedBy(arandu_version="1", language="pt"),
                "clean_prefix": CleanPrefix(seconds=1.5, chars=3),
                "suspect_spans": [SuspectSpan(char_start=3, char_end=9, criterion="loop", reason="'a b' x9")],
            },
        ),
    ]


@pytest.mark.parametrize(("model", "fields"), _examples(), ids=lambda x: getattr(x, "__name__", ""))
def test_trusted_equals_validated_construction(model: type[pydantic.BaseModel], fields: dict[str, Any]) -> None:
    built = trusted(model, **fields)
    validated = model.model_validate(fields)
    assert built == validated
    assert built.model_fields_set == validated.model_fields_set
    assert built.model_dump(mode="json") == validated.model_dump(mode="json")
    assert built.model_dump_json() == validated.model_dump_json()
    # A criterion's spans are written once, under the verdict's suspect_spans, not in its own JSON.
    read_back = model.model_validate_json(built.model_dump_json())
    assert read_back == (validated.model_copy(update={"spans": None}) if model is CriterionScore else validated)


def test_trusted_models_stay_frozen() -> None:
    score = CriterionScore.of(0.9, 0.5, "fine")
    with pytest.raises(pydantic.ValidationError):
        score.score = 0.1  # type: ignore[misc]
    assert score == CriterionScore(score=0.9, threshold=0.5, passed=True, rationale="fine")
