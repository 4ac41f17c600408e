"""Records with verdicts, built in memory for the report and audit tests, and a source to read them from."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from returns.result import Failure, Result, Success

from arandu.application.errors import RecordError, UnreadableRecord
from arandu.domain.verdict import HEURISTIC_STAGE, CriterionScore, JudgedBy, JudgePipelineResult, StageResult

THRESHOLDS = {"content_length_floor": 0.5, "script_match": 0.6, "repetition": 0.5}


def judged(
    scores: dict[str, float],
    *,
    text: str = "uma frase qualquer",
    tags: dict[str, list[str]] | None = None,
    evidence: dict[str, Any] | None = None,
    model: str | None = None,
) -> dict[str, Any]:
    """A record whose verdict holds `scores` (thresholds from THRESHOLDS), written as the judge writes it."""
    stage = StageResult.of(
        {
            name: CriterionScore.of(score, THRESHOLDS[name], f"{name} said {score}", (tags or {}).get(name))
            for name, score in scores.items()
        }
    )
    verdict = JudgePipelineResult(
        passed=stage.passed,
        rejected_at=None if stage.passed else HEURISTIC_STAGE,
        stage_results={HEURISTIC_STAGE: stage},
        judged_by=JudgedBy(
            arandu_version="0.1.0",
            language="pt",
            validator_model=model,
            validator_provider="ollama" if model else None,
            prompt_versions={"hallucination_loop": "v1"} if model else {},
        ),
    )
    validation = verdict.model_dump(mode="json")
    for name, where in (evidence or {}).items():
        validation["stage_results"][HEURISTIC_STAGE]["criterion_scores"][name]["evidence"] = where
    return {"id": 1, "transcription_text": text, "validation": validation, "is_valid": verdict.passed}


def unjudged(text: str = "ainda sem veredito") -> dict[str, Any]:
    return {"transcription_text": text, "validation": None, "is_valid": None}


class InMemoryDocuments:
    """A read-only record source: key -> JSON object, or a string standing for an unreadable record."""

    def __init__(self, documents: dict[str, dict[str, Any] | str]) -> None:
        self._documents = documents
        self.reads: list[str] = []

    def keys(self) -> Iterator[str]:
        yield from sorted(self._documents)

    def read_document(self, key: str) -> Result[dict[str, Any], RecordError]:
        self.reads.append(key)
        document = self._documents[key]
        if isinstance(document, str):
            return Failure(UnreadableRecord(key, document))
        return Success(document)
