"""Use case: draw the dual-class audit sample (a share of rejections and a share of admissions)."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from returns.result import Failure, Success

from arandu.application.build_report import ErrorListener, read_records
from arandu.application.errors import RecordError, UnreadableRecord
from arandu.application.ports import RecordDocuments
from arandu.application.stored_verdict import MalformedVerdict, StoredRecord, interpret

REJECTED, ADMITTED = "rejected", "admitted"


@dataclass(frozen=True, slots=True)
class AuditDraw:
    """How many of each class to draw and the seed of the one generator.

    An amount is a share of the class (a float from 0 to 1) or a count of records
    (an int; a class smaller than the count is drawn whole).
    """

    rejected_share: float | int
    admitted_share: float | int
    seed: int

    def __post_init__(self) -> None:
        for amount in (self.rejected_share, self.admitted_share):
            if isinstance(amount, int) and amount < 0:
                raise ValueError(f"a count of records cannot be negative, got {amount}")
            if isinstance(amount, float) and not 0.0 <= amount <= 1.0:
                raise ValueError(f"a share must lie between 0 and 1, got {amount}")


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One drawn record, with its class and the size of that class in the corpus (for projection)."""

    klass: str
    record: StoredRecord
    class_total: int
    class_sampled: int
    # Where the reviewer should look: a character span of the evidence, when the verdict locates one.
    focus: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class AuditSample:
    """What was drawn from what."""

    rejected_total: int
    admitted_total: int
    rejected_sampled: int
    admitted_sampled: int
    unjudged: int
    unreadable: int


def sample_size(amount: float | int, population: int) -> int:
    """A count, at most the population; or floor(share x population), exact for decimal shares (0.3 x 10 is 3)."""
    if isinstance(amount, int):
        return min(amount, population)
    return math.floor(Fraction(repr(amount)) * population)


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
                reread = self._reread(key, on_error)
                if reread is not None:
                    drawn_record, focus = reread
                    sink(SheetRow(klass, drawn_record, len(classes[klass]), len(drawn[klass]), focus))
        return AuditSample(
            rejected_total=len(classes[REJECTED]),
            admitted_total=len(classes[ADMITTED]),
            rejected_sampled=len(drawn[REJECTED]),
            admitted_sampled=len(drawn[ADMITTED]),
            unjudged=unjudged,
            unreadable=unreadable,
        )

    def _reread(self, key: str, on_error: ErrorListener | None) -> tuple[StoredRecord, tuple[int, int] | None] | None:
        match self._source.read_document(key):
            case Success(document):
                try:
                    return interpret(key, document), evidence_focus(document)
                except MalformedVerdict as exc:
                    error: RecordError = UnreadableRecord(key, str(exc))
            case Failure(failure):
                error = failure
        if on_error is not None:
            on_error(error)
        return None


def evidence_focus(document: Mapping[str, Any]) -> tuple[int, int] | None:
    """The character span of the first failing criterion's evidence, else of the first suspect span."""
    validation = document.get("validation")
    if not isinstance(validation, Mapping):
        return None
    stages = validation.get("stage_results")
    for stage in stages.values() if isinstance(stages, Mapping) else ():
        scores = stage.get("criterion_scores") if isinstance(stage, Mapping) else None
        for score in scores.values() if isinstance(scores, Mapping) else ():
            if isinstance(score, Mapping) and score.get("passed") is False:
                evidence = score.get("evidence")
                for place in evidence if isinstance(evidence, list) else [evidence]:
                    if (span := _char_span(place)) is not None:
                        return span
    spans = validation.get("suspect_spans")
    for place in spans if isinstance(spans, list) else ():
        if (span := _char_span(place)) is not None:
            return span
    return None


def _char_span(place: object) -> tuple[int, int] | None:
    if not isinstance(place, Mapping):
        return None
    start, end = place.get("char_start"), place.get("char_end")
    if isinstance(start, int) and isinstance(end, int) and 0 <= start < end:
        return start, end
    return None
