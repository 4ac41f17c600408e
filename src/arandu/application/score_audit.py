"""Scoring a labelled audit sheet: error rates with exact intervals, read leniently and conservatively."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from arandu.application.draw_audit import ADMITTED, REJECTED
from arandu.domain.binomial import clopper_pearson, rule_of_three

LABELS = {REJECTED: ("tp", "fp", "borderline"), ADMITTED: ("tn", "fn", "borderline")}


class InvalidSheet(ValueError):
    """The sheet holds a class or a label this protocol does not know; the message names the row."""


@dataclass(frozen=True, slots=True)
class LabelledRow:
    """What scoring needs of a sheet row (`line` is its line in the file, for messages)."""

    line: int
    klass: str
    label: str
    class_total: int | None


@dataclass(frozen=True, slots=True)
class RateEstimate:
    """errors / labelled, its exact interval, and the same projected over the class in the whole corpus."""

    errors: int
    labelled: int
    low: float
    high: float
    rule_of_three: float | None
    population: int | None

    @property
    def rate(self) -> float:
        return self.errors / self.labelled

    def projected(self) -> tuple[float, float, float] | None:
        """Expected count of such errors in the corpus class, with the interval scaled to it."""
        if self.population is None:
            return None
        n = self.population
        return self.rate * n, self.low * n, self.high * n


@dataclass(frozen=True, slots=True)
class AuditScore:
    """False-positive rate among rejections and false-negative rate among admissions, two readings each."""

    labels: dict[str, Counter[str]]
    unlabelled: dict[str, int]
    confidence: float
    false_positive_lenient: RateEstimate | None
    false_positive_conservative: RateEstimate | None
    false_negative_lenient: RateEstimate | None
    false_negative_conservative: RateEstimate | None


def score_audit(rows: Iterable[LabelledRow], *, confidence: float = 0.95) -> AuditScore:
    """Count the labels per class and estimate the error rates.

    Lenient reading: `borderline` counts as a correct verdict. Conservative
    reading: `borderline` counts as an error (a false positive among rejections,
    a false negative among admissions). Rows without a label are left out.
    """
    labels: dict[str, Counter[str]] = {REJECTED: Counter(), ADMITTED: Counter()}
    unlabelled = {REJECTED: 0, ADMITTED: 0}
    totals: dict[str, int | None] = {REJECTED: None, ADMITTED: None}
    for row in rows:
        klass = row.klass.strip().lower()
        if klass not in LABELS:
            raise InvalidSheet(f"line {row.line}: class '{row.klass}' is neither 'rejected' nor 'admitted'")
        label = row.label.strip().lower()
        if row.class_total is not None:
            totals[klass] = row.class_total
        if not label:
            unlabelled[klass] += 1
            continue
        if label not in LABELS[klass]:
            allowed = ", ".join(LABELS[klass])
            raise InvalidSheet(f"line {row.line}: label '{row.label}' on a {klass} record (use {allowed})")
        labels[klass][label] += 1
    fp, fn = labels[REJECTED], labels[ADMITTED]
    return AuditScore(
        labels=labels,
        unlabelled=unlabelled,
        confidence=confidence,
        false_positive_lenient=_estimate(fp["fp"], fp.total(), totals[REJECTED], confidence),
        false_positive_conservative=_estimate(fp["fp"] + fp["borderline"], fp.total(), totals[REJECTED], confidence),
        false_negative_lenient=_estimate(fn["fn"], fn.total(), totals[ADMITTED], confidence),
        false_negative_conservative=_estimate(fn["fn"] + fn["borderline"], fn.total(), totals[ADMITTED], confidence),
    )


def _estimate(errors: int, labelled: int, population: int | None, confidence: float) -> RateEstimate | None:
    if labelled == 0:
        return None
    low, high = clopper_pearson(errors, labelled, confidence)
    return RateEstimate(
        errors=errors,
        labelled=labelled,
        low=low,
        high=high,
        rule_of_three=rule_of_three(labelled) if errors == 0 else None,
        population=population,
    )
