"""What a corpus run did, record by record and in total."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import Enum

from arandu.application.errors import RecordError
from arandu.domain.verdict import JudgePipelineResult


class Outcome(str, Enum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class RecordOutcome:
    """What happened to one record."""

    key: str
    outcome: Outcome
    verdict: JudgePipelineResult | None = None
    error: RecordError | None = None


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

    def add(self, outcome: RecordOutcome) -> None:
        if outcome.outcome is Outcome.SKIPPED:
            self.skipped += 1
        elif outcome.outcome is Outcome.ERROR:
            assert outcome.error is not None
            self.errors.append(outcome.error)
        else:
            assert outcome.verdict is not None
            self.judged += 1
            if outcome.verdict.passed:
                self.passed += 1
            else:
                self.failed += 1
                self.rejections_by_stage[outcome.verdict.rejected_at or "?"] += 1
                self.rejections_by_criterion.update(outcome.verdict.failing_criteria)

    def merge(self, other: CorpusSummary) -> None:
        """Fold another partial summary (from another worker) into this one."""
        self.judged += other.judged
        self.passed += other.passed
        self.failed += other.failed
        self.skipped += other.skipped
        self.errors.extend(other.errors)
        self.rejections_by_stage.update(other.rejections_by_stage)
        self.rejections_by_criterion.update(other.rejections_by_criterion)

    @property
    def total(self) -> int:
        return self.judged + self.skipped + len(self.errors)
