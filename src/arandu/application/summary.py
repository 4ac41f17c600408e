"""What a corpus run did, record by record and in total."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from arandu.application.errors import RecordError
from arandu.domain.verdict import JudgePipelineResult


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class RecordOutcome:
    """What happened to one record; small, since it may cross a process boundary."""

    key: str
    outcome: Outcome
    rejected_at: str | None = None
    failing_criteria: tuple[str, ...] = ()
    error: RecordError | None = None

    @classmethod
    def judged(cls, key: str, verdict: JudgePipelineResult) -> RecordOutcome:
        if verdict.passed:
            return cls(key, Outcome.PASSED)
        return cls(key, Outcome.FAILED, verdict.rejected_at, tuple(verdict.failing_criteria))

    @classmethod
    def failed_with(cls, error: RecordError) -> RecordOutcome:
        return cls(error.key, Outcome.ERROR, error=error)


@dataclass(slots=True)
class CorpusSummary:
    """Counts over a run; `errors` keeps each failure with its reason."""

    judged: int = 0
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    errors: list[RecordError] = field(default_factory=list)
    rejections_by_stage: Counter[str] = field(default_factory=Counter)
    rejections_by_criterion: Counter[str] = field(default_factory=Counter)
    # The signal that stopped the run early (e.g. "SIGTERM"), or None when it went through the corpus.
    stopped_by: str | None = None

    def add(self, outcome: RecordOutcome) -> None:
        if outcome.outcome is Outcome.SKIPPED:
            self.skipped += 1
        elif outcome.error is not None:
            self.errors.append(outcome.error)
        else:
            self.judged += 1
            if outcome.outcome is Outcome.PASSED:
                self.passed += 1
            else:
                self.failed += 1
                self.rejections_by_stage[outcome.rejected_at or "unknown"] += 1
                self.rejections_by_criterion.update(outcome.failing_criteria)

    @property
    def total(self) -> int:
        return self.judged + self.skipped + len(self.errors)
