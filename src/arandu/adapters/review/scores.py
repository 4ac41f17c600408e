"""What the review page shows of the sheet as a whole: rows, progress and `audit score`'s figures."""

from __future__ import annotations

from typing import Any

from arandu.adapters.review.sheet_file import ReviewSheet
from arandu.application.score_audit import LABELS, AuditScore, InvalidSheet, RateEstimate


def state_of(sheet: ReviewSheet) -> dict[str, Any]:
    rows = sheet.rows
    labelled = sum(1 for row in rows if row.label)
    try:
        score: dict[str, Any] | None = _score(sheet.score())
        problem = None
    except InvalidSheet as exc:  # e.g. a label typed by hand in a spreadsheet; the page says which
        score, problem = None, str(exc)
    return {
        "sheet": str(sheet.path),
        "rows": [{"index": r.index, "klass": r.klass, "path": r.path, "label": r.label} for r in rows],
        "labels": {klass: list(labels) for klass, labels in LABELS.items()},
        "progress": {"labelled": labelled, "total": len(rows)},
        "score": score,
        "problem": problem,
    }


def _score(score: AuditScore) -> dict[str, Any]:
    def estimate(value: RateEstimate | None) -> dict[str, Any] | None:
        if value is None:
            return None
        projected = value.projected()
        return {
            "errors": value.errors,
            "labelled": value.labelled,
            "rate": value.rate,
            "interval": [value.low, value.high],
            "rule_of_three_upper": value.rule_of_three,
            "population": value.population,
            "projected": None if projected is None else list(projected),
        }

    return {
        "confidence": score.confidence,
        "labels": {klass: dict(counts) for klass, counts in score.labels.items()},
        "unlabelled": score.unlabelled,
        "false_positive": {
            "lenient": estimate(score.false_positive_lenient),
            "conservative": estimate(score.false_positive_conservative),
        },
        "false_negative": {
            "lenient": estimate(score.false_negative_lenient),
            "conservative": estimate(score.false_negative_conservative),
        },
    }
