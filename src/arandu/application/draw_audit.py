"""Use case: draw the dual-class audit sample (a share of rejections and a share of admissions)."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from returns.result import Failure, Success

from arandu.application.build_report import ErrorListener, read_records
from arandu.application.errors import RecordError, UnreadableRecord
from arandu.application.ports import RecordDocuments
from arandu.application.stored_verdict import MalformedVerdict, StoredRecord, interpret

REJECTED, ADMITTED = "rejected", "admitted"


@dataclass(frozen=True, slots=True)
class AuditDraw:
    """How to draw: the share of each class and the seed of the one generator."""

    rejected_share: float
    admitted_share: float
    seed: int

    def __post_init__(self) -> None:
        for share in (self.rejected_share, self.admitted_share):
            if not 0.0 <= share <= 1.0:
                raise ValueError(f"a share must lie between 0 and 1, got {share}")


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One drawn record, with its class and the size of that class in the corpus (for projection)."""

    klass: str
    record: StoredRecord
    class_total: int
    class_sampled: int


@dataclass(frozen=True, slots=True)
class AuditSample:
    """What was drawn from what."""

    rejected_total: int
    admitted_total: int
    rejected_sampled: int
    admitted_sampled: int
    unjudged: int
    unreadable: int


def sample_size(share: float, population: int) -> int:
    """floor(share x population), exact for shares written in decimal (0.3 x 10 is 3, not 2)."""
    return math.floor(Fraction(repr(share)) * population)


class DrawAuditSample:
    """Draws the records a reviewer will label.

    Records are sorted by path, split into rejected and admitted (unjudged and
    unreadable records are left out), and one `random.Random(seed)` draws
    floor(share x n) records from the rejected list first, then from the
    admitted list. The same corpus, shares and seed always give the same rows.
    Only keys are kept between the two passes over the store.
    """

    def __init__(self, source: RecordDocuments) -> None:
        self._source = source

    def __call__(
        self, draw: AuditDraw, sink: Callable[[SheetRow], None], *, on_error: ErrorListener | None = None
    ) -> AuditSample:
        """Draw, then hand each drawn record to `sink`: rejected ones, then admitted ones, each by path."""
        unjudged = unreadable = 0

        def failed(error: RecordError) -> None:
            nonlocal unreadable
            unreadable += 1
            if on_error is not None:
                on_error(error)

        classes: dict[str, list[str]] = {REJECTED: [], ADMITTED: []}
        for record in read_records(self._source, failed):
            if record.verdict is None:
                unjudged += 1
            else:
                classes[ADMITTED if record.verdict.passed else REJECTED].append(record.key)
        generator = random.Random(draw.seed)
        drawn: dict[str, list[str]] = {}
        for klass, share in ((REJECTED, draw.rejected_share), (ADMITTED, draw.admitted_share)):
            population = sorted(classes[klass])
            drawn[klass] = sorted(generator.sample(population, sample_size(share, len(population))))
        for klass in (REJECTED, ADMITTED):
            for key in drawn[klass]:
                drawn_record = self._reread(key, on_error)
                if drawn_record is not None:
                    sink(SheetRow(klass, drawn_record, len(classes[klass]), len(drawn[klass])))
        return AuditSample(
            rejected_total=len(classes[REJECTED]),
            admitted_total=len(classes[ADMITTED]),
            rejected_sampled=len(drawn[REJECTED]),
            admitted_sampled=len(drawn[ADMITTED]),
            unjudged=unjudged,
            unreadable=unreadable,
        )

    def _reread(self, key: str, on_error: ErrorListener | None) -> StoredRecord | None:
        match self._source.read_document(key):
            case Success(document):
                try:
                    return interpret(key, document)
                except MalformedVerdict as exc:
                    error: RecordError = UnreadableRecord(key, str(exc))
            case Failure(failure):
                error = failure
        if on_error is not None:
            on_error(error)
        return None
