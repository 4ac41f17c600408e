"""A verdict as read back from a record: tolerant of fields it does not know, strict about those it uses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from arandu.application.spans import Span, describe_evidence, spans_of

__all__ = ["MalformedVerdict", "Provenance", "StoredCriterion", "StoredRecord", "StoredVerdict", "interpret"]
__all__ += ["describe_evidence"]


class MalformedVerdict(ValueError):
    """A record's `validation` is present but is not a verdict this program can read."""


@dataclass(frozen=True, slots=True)
class StoredCriterion:
    """One criterion's score as written in a record."""

    stage: str
    name: str
    score: float
    threshold: float
    passed: bool
    rationale: str
    issues: tuple[str, ...] = ()
    evidence: str | None = None  # a readable line, e.g. "chars 0-1155; segments 3-9 (12-19.5 s)"
    spans: tuple[Span, ...] = ()  # the same evidence, structured (what the report highlights)

    @property
    def margin(self) -> float:
        """How far above (positive) or below (negative) its threshold the score lies."""
        return self.score - self.threshold


@dataclass(frozen=True, slots=True)
class Provenance:
    """What produced a verdict (`judged_by`)."""

    arandu_version: str | None = None
    language: str | None = None
    validator_model: str | None = None
    validator_provider: str | None = None
    prompt_versions: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class StoredVerdict:
    """The `validation` of a judged record."""

    passed: bool
    rejected_at: str | None
    criteria: tuple[StoredCriterion, ...]
    judged_by: Provenance | None = None

    @property
    def failing(self) -> tuple[StoredCriterion, ...]:
        return tuple(c for c in self.criteria if not c.passed)


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """A record as the report and the audit see it; `verdict` is None while it is unjudged."""

    key: str
    verdict: StoredVerdict | None
    text: str = ""
    # The whole JSON object, for the few records whose details a report shows (never copied).
    document: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)


def interpret(key: str, document: Mapping[str, Any]) -> StoredRecord:
    """Read the verdict and the text out of a record's JSON object; raises MalformedVerdict."""
    validation = document.get("validation")
    verdict = None if validation is None else _verdict(validation)
    return StoredRecord(key, verdict, _text(document), document)


def _verdict(validation: object) -> StoredVerdict:
    if not isinstance(validation, Mapping):
        raise MalformedVerdict("'validation' is not an object")
    passed = validation.get("passed")
    stages = validation.get("stage_results")
    if not isinstance(passed, bool) or not isinstance(stages, Mapping):
        raise MalformedVerdict("'validation' lacks 'passed' or 'stage_results'")
    rejected_at = validation.get("rejected_at")
    criteria = tuple(
        _criterion(str(stage), str(name), score)
        for stage, result in stages.items()
        for name, score in _scores(stage, result).items()
    )
    if not passed and rejected_at is None:
        rejected_at = next((c.stage for c in criteria if not c.passed), None)
    return StoredVerdict(passed, str(rejected_at) if rejected_at else None, criteria, _provenance(validation))


def _scores(stage: object, result: object) -> Mapping[str, Any]:
    scores = result.get("criterion_scores") if isinstance(result, Mapping) else None
    if not isinstance(scores, Mapping):
        raise MalformedVerdict(f"stage '{stage}' has no 'criterion_scores'")
    return scores


def _criterion(stage: str, name: str, value: object) -> StoredCriterion:
    if not isinstance(value, Mapping):
        raise MalformedVerdict(f"criterion '{name}' is not an object")
    score, threshold = value.get("score"), value.get("threshold")
    if not _is_number(score):
        raise MalformedVerdict(f"criterion '{name}' has no numeric 'score'")
    assert isinstance(score, (int, float))
    threshold_value = float(threshold) if _is_number(threshold) else float("nan")  # type: ignore[arg-type]
    passed = value.get("passed")
    issues = value.get("issues")
    return StoredCriterion(
        stage=stage,
        name=name,
        score=float(score),
        threshold=threshold_value,
        passed=passed if isinstance(passed, bool) else bool(score >= threshold_value),
        rationale=str(value.get("rationale") or ""),
        issues=tuple(str(tag) for tag in issues) if isinstance(issues, list) else (),
        evidence=describe_evidence(value.get("evidence")),
        spans=spans_of(value.get("evidence"), criterion=name),
    )


def _provenance(validation: Mapping[str, Any]) -> Provenance | None:
    judged_by = validation.get("judged_by")
    if not isinstance(judged_by, Mapping):
        return None
    prompts = judged_by.get("prompt_versions")
    versions = tuple(sorted((str(k), str(v)) for k, v in prompts.items())) if isinstance(prompts, Mapping) else ()
    return Provenance(
        arandu_version=_optional_str(judged_by.get("arandu_version")),
        language=_optional_str(judged_by.get("language")),
        validator_model=_optional_str(judged_by.get("validator_model")),
        validator_provider=_optional_str(judged_by.get("validator_provider")),
        prompt_versions=versions,
    )


def _text(document: Mapping[str, Any]) -> str:
    for name in ("transcription_text", "text"):
        value = document.get(name)
        if isinstance(value, str):
            return value
    return ""


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _optional_str(value: object) -> str | None:
    return None if value is None else str(value)
