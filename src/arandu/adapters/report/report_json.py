"""The corpus report as a JSON-ready mapping (the HTML page is drawn from the same mapping)."""

from __future__ import annotations

from typing import Any

from arandu.application.corpus_report import BINS, CorpusReport


def report_as_dict(report: CorpusReport, *, location: str) -> dict[str, Any]:
    """Everything the report shows, as plain JSON values."""
    return {
        "location": location,
        "records": report.records,
        "valid": report.valid,
        "invalid": report.invalid,
        "unjudged": report.unjudged,
        "unreadable": report.unreadable,
        "rejections_by_stage": dict(report.rejections_by_stage.most_common()),
        "rejections_by_criterion": dict(report.rejections_by_criterion.most_common()),
        "criteria": {
            name: {
                "stage": stats.stage,
                "evaluated": stats.evaluated,
                "failed": stats.failed,
                "mean_score": _round(stats.mean),
                "threshold": stats.threshold,
                "thresholds_seen": {str(t): n for t, n in sorted(stats.thresholds.items())},
                "histogram": {"bin_width": 1 / BINS, "counts": list(stats.histogram)},
            }
            for name, stats in report.criteria.items()
        },
        "worst_records": [
            {
                "path": worst.key,
                "rejected_at": worst.rejected_at,
                "shortfall": round(worst.shortfall, 4),
                "failing": [{"criterion": n, "score": s, "threshold": t} for n, s, t in worst.failing],
                "tags": list(worst.tags),
                "evidence": {name: where for name, where in worst.evidence},
            }
            for worst in report.worst
        ],
        "validators": dict(report.validators.most_common()),
        "prompt_versions": dict(report.prompt_versions.most_common()),
        "arandu_versions": dict(report.arandu_versions.most_common()),
        "languages": dict(report.languages.most_common()),
        "unreadable_examples": [{"path": e.key, "reason": e.reason} for e in report.error_examples],
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
