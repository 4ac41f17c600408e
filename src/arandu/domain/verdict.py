"""Verdict value objects: the schema written under a record's `validation`."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from arandu.domain.evidence import Evidence, absent

HEURISTIC_STAGE = "heuristic_filter"
LLM_STAGE = "llm_filter"
AUDIO_STAGE = "audio_filter"

_Model = TypeVar("_Model", bound=BaseModel)
_set = object.__setattr__


def trusted(cls: type[_Model], **fields: Any) -> _Model:
    """A model from every one of its fields, already typed: what `model_construct` does for a
    model without aliases, extras or private attributes, without its per-field loop (a
    verdict builds about ten of these). tests/unit/test_verdict_construction.py keeps the
    two equal."""
    instance = cls.__new__(cls)
    _set(instance, "__dict__", fields)
    _set(instance, "__pydantic_fields_set__", set(fields))
    _set(instance, "__pydantic_extra__", None)
    _set(instance, "__pydantic_private__", None)
    return instance


class SuspectSpan(Evidence):
    """A located part of the transcript that a criterion suspects: what a user drops to keep the rest."""

    criterion: str
    reason: str


class CriterionScore(BaseModel):
    """One criterion's judgement of one transcript."""

    model_config = ConfigDict(frozen=True)

    score: float = Field(ge=0.0, le=1.0)
    threshold: float
    passed: bool
    rationale: str
    issues: list[str] = Field(default_factory=list)
    # Where the evidence lies; absent (and not written) when the criterion cannot say.
    evidence: list[Evidence] | None = Field(default=None, exclude_if=absent)
    # What the criterion located, failing or not; written once for the whole verdict, not here.
    spans: list[SuspectSpan] | None = Field(default=None, exclude=True)

    @classmethod
    def of(
        cls,
        score: float,
        threshold: float,
        rationale: str,
        issues: list[str] | None = None,
        *,
        evidence: list[Evidence] | None = None,
        spans: list[SuspectSpan] | None = None,
    ) -> CriterionScore:
        """Build a score, clamped to [0, 1] and rounded so verdicts stay readable; `passed` is derived."""
        # `passed` is decided on the score as written, so a reader never sees 0.4 >= 0.4 marked failed.
        written = round(min(1.0, max(0.0, float(score))), 4)
        # Every field is derived or typed here, so pydantic's validation is skipped on this hot path.
        return trusted(
            cls,
            score=written,
            threshold=threshold,
            passed=written >= threshold,
            rationale=rationale,
            issues=issues or [],
            evidence=evidence or None,
            spans=spans or None,
        )


class StageResult(BaseModel):
    """A filter stage: it passes only when every criterion it evaluated passed."""

    model_config = ConfigDict(frozen=True)

    passed: bool
    criterion_scores: dict[str, CriterionScore]

    @classmethod
    def of(cls, scores: dict[str, CriterionScore]) -> StageResult:
        return trusted(cls, passed=all(s.passed for s in scores.values()), criterion_scores=scores)


class JudgedBy(BaseModel):
    """What produced a verdict, so a corpus judged under other settings can be found."""

    model_config = ConfigDict(frozen=True)

    arandu_version: str
    language: str
    validator_model: str | None = None
    validator_provider: str | None = None
    prompt_versions: dict[str, str] = Field(default_factory=dict)


class CleanPrefix(BaseModel):
    """The part of a rejected record before its first located artefact: what could still be kept."""

    model_config = ConfigDict(frozen=True)

    seconds: float | None = None
    chars: int | None = None


class JudgePipelineResult(BaseModel):
    """The whole verdict: `passed` is true only when every stage that ran passed."""

    model_config = ConfigDict(frozen=True)

    passed: bool
    rejected_at: str | None = None
    stage_results: dict[str, StageResult]
    judged_by: JudgedBy | None = None
    # How much of the record precedes its first located artefact; absent when nothing was located.
    clean_prefix: CleanPrefix | None = Field(default=None, exclude_if=absent)
    # Everything the criteria that ran located, rejected or not; absent when nothing was located.
    suspect_spans: list[SuspectSpan] | None = Field(default=None, exclude_if=absent)

    @property
    def failing_criteria(self) -> list[str]:
        """Names of criteria below their threshold, in stage order."""
        return [
            name
            for stage in self.stage_results.values()
            for name, score in stage.criterion_scores.items()
            if not score.passed
        ]
