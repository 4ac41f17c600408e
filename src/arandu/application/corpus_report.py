"""What the report knows about a corpus, gathered record by record in bounded memory."""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass, field

from arandu.application.errors import RecordError
from arandu.application.stored_verdict import StoredCriterion, StoredRecord, StoredVerdict

BINS = 20
_ERROR_EXAMPLES = 20
_TAGS_PER_RECORD = 6
_TAG_CHARS = 72


@dataclass(slots=True)
class CriterionStats:
    """One criterion over the corpus: a fixed-size histogram of its scores, its failures and thresholds."""

    name: str
    stage: str
    histogram: list[int] = field(default_factory=lambda: [0] * BINS)
    evaluated: int = 0
    failed: int = 0
    score_sum: float = 0.0
    thresholds: Counter[float] = field(default_factory=Counter)

    def add(self, criterion: StoredCriterion) -> None:
        self.evaluated += 1
        self.failed += not criterion.passed
        self.score_sum += criterion.score
        self.histogram[min(BINS - 1, max(0, int(criterion.score * BINS)))] += 1
        if criterion.threshold == criterion.threshold:  # NaN (no threshold written) is not counted
            self.thresholds[criterion.threshold] += 1

    @property
    def threshold(self) -> float | None:
        """The threshold most verdicts were judged against (others are in `thresholds`)."""
        return self.thresholds.most_common(1)[0][0] if self.thresholds else None

    @property
    def mean(self) -> float | None:
        return self.score_sum / self.evaluated if self.evaluated else None


@dataclass(frozen=True, slots=True)
class WorstRecord:
    """A rejected record with how far it fell short, its tags and where its evidence lies."""

    key: str
    rejected_at: str | None
    shortfall: float
    failing: tuple[tuple[str, float, float], ...]
    tags: tuple[str, ...]
    evidence: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class _Ranked:
    """Heap entry ordered so that the root is the least bad record kept (the first to drop)."""

    shortfall: float
    total: float
    key: str
    record: WorstRecord

    def __lt__(self, other: _Ranked) -> bool:
        return (self.shortfall, self.total, other.key) < (other.shortfall, other.total, self.key)


@dataclass(slots=True)
class CorpusReport:
    """Counts, distributions and the worst records of a corpus; its size does not grow with the corpus."""

    worst_limit: int = 10
    valid: int = 0
    invalid: int = 0
    unjudged: int = 0
    unreadable: int = 0
    error_examples: list[RecordError] = field(default_factory=list)
    rejections_by_stage: Counter[str] = field(default_factory=Counter)
    rejections_by_criterion: Counter[str] = field(default_factory=Counter)
    criteria: dict[str, CriterionStats] = field(default_factory=dict)
    validators: Counter[str] = field(default_factory=Counter)
    prompt_versions: Counter[str] = field(default_factory=Counter)
    arandu_versions: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    _worst: list[_Ranked] = field(default_factory=list)

    @property
    def records(self) -> int:
        return self.judged + self.unjudged + self.unreadable

    @property
    def judged(self) -> int:
        return self.valid + self.invalid

    @property
    def worst(self) -> list[WorstRecord]:
        """The kept rejected records, worst first."""
        return [entry.record for entry in sorted(self._worst, reverse=True)]

    def add(self, record: StoredRecord) -> None:
        verdict = record.verdict
        if verdict is None:
            self.unjudged += 1
            return
        for criterion in verdict.criteria:
            stats = self.criteria.get(criterion.name)
            if stats is None:
                stats = self.criteria[criterion.name] = CriterionStats(criterion.name, criterion.stage)
            stats.add(criterion)
        self._provenance(verdict)
        if verdict.passed:
            self.valid += 1
            return
        self.invalid += 1
        self.rejections_by_stage[verdict.rejected_at or "unknown"] += 1
        self.rejections_by_criterion.update(c.name for c in verdict.failing)
        self._rank(record.key, verdict)

    def add_error(self, error: RecordError) -> None:
        self.unreadable += 1
        if len(self.error_examples) < _ERROR_EXAMPLES:
            self.error_examples.append(error)

    def _provenance(self, verdict: StoredVerdict) -> None:
        by = verdict.judged_by
        if by is None:
            self.validators["unknown (no judged_by)"] += 1
            return
        if by.validator_model:
            self.validators[f"{by.validator_model} ({by.validator_provider or 'provider unknown'})"] += 1
        else:
            self.validators["none: heuristic stage only"] += 1
        self.prompt_versions.update(f"{name} {version}" for name, version in by.prompt_versions)
        self.arandu_versions[by.arandu_version or "unknown"] += 1
        self.languages[by.language or "unknown"] += 1

    def _rank(self, key: str, verdict: StoredVerdict) -> None:
        if self.worst_limit <= 0:
            return
        # Ranked by the deepest fall below a threshold, then by the falls summed over failing criteria.
        falls = [-c.margin for c in verdict.failing if c.margin == c.margin]
        shortfall, total = max(falls, default=0.0), round(sum(falls), 6)
        if len(self._worst) >= self.worst_limit:
            root = self._worst[0]
            if (shortfall, total, root.key) <= (root.shortfall, root.total, key):
                return  # not worse than the least bad record kept; skip building its entry
        entry = _Ranked(shortfall, total, key, _worst_record(key, verdict, shortfall))
        if len(self._worst) < self.worst_limit:
            heapq.heappush(self._worst, entry)
        else:
            heapq.heapreplace(self._worst, entry)


def _worst_record(key: str, verdict: StoredVerdict, shortfall: float) -> WorstRecord:
    failing = verdict.failing
    return WorstRecord(
        key=key,
        rejected_at=verdict.rejected_at,
        shortfall=shortfall,
        failing=tuple((c.name, c.score, c.threshold) for c in failing),
        tags=tuple(_clip(tag) for c in failing for tag in c.issues)[:_TAGS_PER_RECORD],
        evidence=tuple((c.name, c.evidence) for c in failing if c.evidence),
    )


def _clip(tag: str) -> str:
    return tag if len(tag) <= _TAG_CHARS else tag[: _TAG_CHARS - 1] + "\u2026"
