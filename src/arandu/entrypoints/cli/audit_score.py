"""`arandu audit score SHEET`: error rates with exact 95% intervals from a labelled audit sheet."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Annotated, Literal

from cyclopts import Parameter

from arandu.adapters.report.audit_sheet import read_sheet
from arandu.application.score_audit import AuditScore, InvalidSheet, RateEstimate, score_audit
from arandu.entrypoints.cli.common import reader_may_leave

EXIT_OK, EXIT_USAGE = 0, 2


def audit_score(
    sheet: Path,
    /,
    *,
    format: Annotated[Literal["text", "json", "terminal"], Parameter(name="--format")] = "text",
) -> int:
    """Score a labelled audit sheet written by `arandu audit sample`.

    Prints the false-positive rate among rejections and the false-negative rate
    among admissions, each with its exact (Clopper-Pearson) 95% interval, under
    two readings: lenient (a borderline label counts as a correct verdict) and
    conservative (it counts as an error). Where no error was found, the rule-of-
    three bound 3/n is printed beside the exact bound. Rates are projected onto
    the whole corpus with the class sizes the sheet carries. Rows without a
    label are left out and counted.

    Exit status: 0 when scored, 2 when the sheet is missing or holds an unknown label.

    Parameters
    ----------
    sheet
        The CSV sheet, with its `label` column filled in.
    format
        text (for people; `terminal` is accepted too) or json.
    """
    try:
        # utf-8-sig: a sheet saved by a spreadsheet often starts with a byte-order mark.
        with sheet.open(encoding="utf-8-sig", newline="") as stream:
            score = score_audit(read_sheet(stream))
    except UnicodeDecodeError as exc:
        print(f"error: {sheet}: not UTF-8 (byte {exc.start}); save it as 'CSV UTF-8'", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"error: {sheet}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    except InvalidSheet as exc:
        print(f"error: {sheet}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    with reader_may_leave():  # `audit score | head` ends quietly
        print(json.dumps(_as_dict(score), indent=2) if format == "json" else _as_text(score))
    return EXIT_OK


def _as_text(score: AuditScore) -> str:
    lines = []
    for klass, errors in (("rejected", "false positives"), ("admitted", "false negatives")):
        labels = score.labels[klass]
        counted = ", ".join(f"{n} {label}" for label, n in sorted(labels.items())) or "none"
        lines.append(f"{klass}: {labels.total()} labelled ({counted}); {score.unlabelled[klass]} unlabelled")
        lenient, conservative = (
            (score.false_positive_lenient, score.false_positive_conservative)
            if klass == "rejected"
            else (score.false_negative_lenient, score.false_negative_conservative)
        )
        lines.append(f"  {errors}, lenient      {_estimate(lenient)}")
        lines.append(f"  {errors}, conservative {_estimate(conservative)}")
    lines.append("intervals: exact Clopper-Pearson 95%; lenient counts borderline as correct, conservative as an error")
    return "\n".join(lines)


def _estimate(estimate: RateEstimate | None) -> str:
    if estimate is None:
        return "no labelled rows"
    text = f"{estimate.errors}/{estimate.labelled} = {estimate.rate:.1%}  [{estimate.low:.1%}, {estimate.high:.1%}]"
    if estimate.rule_of_three is not None:
        text += f"  (rule of three: ≤ {estimate.rule_of_three:.1%})"
    projected = estimate.projected()
    if projected is not None:
        mid, low, high = projected
        # The interval is widened outward to whole records, never rounded inward.
        text += (
            f"  → ~{mid:,.0f} of {estimate.population:,} in the corpus "
            f"[{math.floor(low + 1e-9):,}, {math.ceil(high - 1e-9):,}]"
        )
    return text


def _as_dict(score: AuditScore) -> dict[str, object]:
    def estimate(value: RateEstimate | None) -> dict[str, object] | None:
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
            "projected": None if projected is None else {"expected": projected[0], "interval": list(projected[1:])},
        }

    return {
        "confidence": score.confidence,
        "labels": {klass: dict(counts) for klass, counts in score.labels.items()},
        "unlabelled": score.unlabelled,
        "false_positive_rate": {
            "lenient": estimate(score.false_positive_lenient),
            "conservative": estimate(score.false_positive_conservative),
        },
        "false_negative_rate": {
            "lenient": estimate(score.false_negative_lenient),
            "conservative": estimate(score.false_negative_conservative),
        },
    }
