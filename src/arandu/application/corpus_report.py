"""What the report knows about a corpus, gathered record by record in bounded memory."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from arandu.application.errors import RecordError
from arandu.application.kept_records import DetailPool, Rank, TopRecords
from arandu.application.record_detail import RecordDetail, record_detail
from arandu.application.stored_verdict import StoredCriterion, StoredRecord, StoredVerdict

BINS = 20
BIN_EXAMPLES = 4  # records listed under each histogram bin
CRITERION_RECORDS = 25  # failing records listed per criterion, deepest falls first
GROUPS = 60  # failure groups told apart; further ones of a criterion are counted as its "other"
_ERROR_EXAMPLES = 20
_FAMILY = re.compile(r"[a-z][a-z0-9_]{0,47}")
NO_TAG, OTHER = "", "other"


def tag_family(tag: str) -> str:
    """`high_word_repetition` for `high_word_repetition:obrigada:30`; free text (an LLM's) is `other`."""
    head = tag.split(":", 1)[0].strip()
    return head if _FAMILY.fullmatch(head) else OTHER


@dataclass(slots=True)
class CriterionStats:
    """One criterion over the corpus: a histogram of its scores, its failures, thresholds and listed records."""

    name: str
    stage: str
    histogram: list[int] = field(default_factory=lambda: [0] * BINS)
    evaluated: int = 0
    failed: int = 0
    score_sum: float = 0.0
    thresholds: Counter[float] = field(default_factory=Counter)
    failing_records: TopRecords = field(default_factory=lambda: TopRecords(CRITERION_RECORDS))
    bin_records: list[TopRecords] = field(default_factory=lambda: [TopRecords(BIN_EXAMPLES) for _ in range(BINS)])

    def add(self, criterion: StoredCriterion) -> int:
        """Count the score; returns its bin."""
        self.evaluated += 1
        self.failed += not criterion.passed
        self.score_sum += criterion.score
        index = min(BINS - 1, max(0, int(criterion.score * BINS)))
        self.histogram[index] += 1
        if criterion.threshold == criterion.threshold:  # NaN (no threshold written) is not counted
            self.thresholds[criterion.threshold] += 1
        return index

    @property
    def threshold(self) -> float | None:
        """The threshold most verdicts were judged against (others are in `thresholds`)."""
        return self.thresholds.most_common(1)[0][0] if self.thresholds else None

    @property
    def mean(self) -> float | None:
        return self.score_sum / self.evaluated if self.evaluated else None


@dataclass(slots=True)
class FailureGroup:
    """Rejected records whose deepest failure is one criterion with one family of tags."""

    criterion: str
    family: str
    records: int = 0
    examples: TopRecords = field(default_factory=lambda: TopRecords(0))


@dataclass(frozen=True, slots=True)
class WorstEntry:
    key: str
    shortfall: float
    group: FailureGroup


@dataclass(slots=True)
class CorpusReport:
    """Counts, distributions and a bounded set of listed records; its size does not grow with the corpus."""

    worst_limit: int = 10
    valid: int = 0
    invalid: int = 0
    unjudged: int = 0
    unreadable: int = 0
    error_examples: list[RecordError] = field(default_factory=list)
    rejections_by_stage: Counter[str] = field(default_factory=Counter)
    rejections_by_criterion: Counter[str] = field(default_factory=Counter)
    criteria: dict[str, CriterionStats] = field(default_factory=dict)
    groups: dict[tuple[str, str], FailureGroup] = field(default_factory=dict)
    validators: Counter[str] = field(default_factory=Counter)
    prompt_versions: Counter[str] = field(default_factory=Counter)
    arandu_versions: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    _pool: DetailPool = field(default_factory=DetailPool)

    @property
    def records(self) -> int:
        return self.judged + self.unjudged + self.unreadable

    @property
    def judged(self) -> int:
        return self.valid + self.invalid

    def detail(self, key: str) -> RecordDetail:
        """The drill-down of a record some list holds."""
        return self._pool.get(key)

    @property
    def details_kept(self) -> int:
        return len(self._pool)

    @property
    def failure_groups(self) -> list[FailureGroup]:
        """Largest first."""
        return sorted(self.groups.values(), key=lambda g: (-g.records, g.criterion, g.family))

    @property
    def worst(self) -> list[WorstEntry]:
        """Up to `worst_limit` rejected records, taken in turn from each failure group (worst group first),
        so that one case repeated a thousand times fills one line of the list, not all of it."""
        queues = [(group, group.examples.ranked()) for group in self.groups.values() if len(group.examples)]
        queues.sort(key=lambda item: (tuple(-x for x in item[1][0][0]), item[0].criterion, item[0].family))
        picked: list[WorstEntry] = []
        for turn in range(max((len(ranked) for _, ranked in queues), default=0)):
            for group, ranked in queues:
                if turn < len(ranked) and len(picked) < self.worst_limit:
                    rank, key = ranked[turn]
                    picked.append(WorstEntry(key, rank[0], group))
        return picked

    def add(self, record: StoredRecord) -> None:
        verdict = record.verdict
        if verdict is None:
            self.unjudged += 1
            return
        wanted: list[tuple[TopRecords, Rank]] = []

        def want(top: TopRecords, rank: Rank) -> None:
            if top.wants(rank, record.key):
                wanted.append((top, rank))

        for criterion in verdict.criteria:
            stats = self.criteria.get(criterion.name)
            if stats is None:
                stats = self.criteria[criterion.name] = CriterionStats(criterion.name, criterion.stage)
            want(stats.bin_records[stats.add(criterion)], ())
            if not criterion.passed:
                want(stats.failing_records, (_fall(criterion),))
        self._provenance(verdict)
        if verdict.passed:
            self.valid += 1
        else:
            self.invalid += 1
            self.rejections_by_stage[verdict.rejected_at or "unknown"] += 1
            self.rejections_by_criterion.update(c.name for c in verdict.failing)
            falls = [_fall(c) for c in verdict.failing]
            group = self._group(verdict)
            group.records += 1
            want(group.examples, (max(falls, default=0.0), round(sum(falls), 6)))
        for top, rank in wanted:
            self._pool.hold(record.key, lambda: record_detail(record))
            dropped = top.offer(rank, record.key)
            if dropped is not None:
                self._pool.release(dropped)

    def add_error(self, error: RecordError) -> None:
        self.unreadable += 1
        if len(self.error_examples) < _ERROR_EXAMPLES:
            self.error_examples.append(error)

    def _group(self, verdict: StoredVerdict) -> FailureGroup:
        failing = verdict.failing
        primary = max(failing, key=_fall) if failing else None
        criterion = primary.name if primary else "unknown"
        family = tag_family(primary.issues[0]) if primary and primary.issues else NO_TAG
        key = (criterion, family)
        if key not in self.groups and len(self.groups) >= GROUPS:
            key = (criterion, OTHER)
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = FailureGroup(*key, examples=TopRecords(self.worst_limit))
        return group

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


def _fall(criterion: StoredCriterion) -> float:
    """How far below its threshold a criterion fell (0 when no threshold was written)."""
    margin = criterion.margin
    return -margin if margin == margin else 0.0
