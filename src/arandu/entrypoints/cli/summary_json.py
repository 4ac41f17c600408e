"""The end-of-run summary as one JSON object, for scripts (`judge-transcription --json`)."""

from __future__ import annotations

import json
from typing import Any

from arandu import __version__
from arandu.application.summary import CorpusSummary


def summary_as_dict(summary: CorpusSummary, *, location: str, elapsed: float) -> dict[str, Any]:
    """Counts, rejections per stage and per criterion, and every error with its record and reason."""
    return {
        "location": location,
        "arandu_version": __version__,
        "records": summary.total,
        "judged": summary.judged,
        "passed": summary.passed,
        "failed": summary.failed,
        "skipped": summary.skipped,
        "errors": len(summary.errors),
        "seconds": round(elapsed, 3),
        "rejections_by_stage": dict(summary.rejections_by_stage.most_common()),
        "rejections_by_criterion": dict(summary.rejections_by_criterion.most_common()),
        "error_records": [{"path": error.key, "reason": error.reason} for error in summary.errors],
        "stopped_by": getattr(summary, "stopped_by", None),
    }


def summary_json(summary: CorpusSummary, *, location: str, elapsed: float) -> str:
    return json.dumps(summary_as_dict(summary, location=location, elapsed=elapsed), ensure_ascii=False, indent=2)
