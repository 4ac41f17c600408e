"""The corpus report as a JSON-ready mapping (the HTML page is drawn from the same mapping)."""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable
from typing import Any

from arandu.application.corpus_report import BINS, CorpusReport
from arandu.application.record_detail import RecordDetail
from arandu.application.spans import Span, describe_span

Relative = Callable[[str], str]


def report_as_dict(report: CorpusReport, *, location: str, root: str | None = None) -> dict[str, Any]:
    """Everything the report shows, as plain JSON values; paths are relative to `root` (the location's path)."""
    rel = relative_to(root if root is not None else location)
    listed: dict[str, None] = {}

    def path(key: str) -> str:
        listed.setdefault(key)
        return rel(key)

    data: dict[str, Any] = {
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
                "histogram": {
                    "bin_width": 1 / BINS,
                    "counts": list(stats.histogram),
                    "examples": [[path(key) for _, key in top.ranked()] for top in stats.bin_records],
                },
                "failing_records": [
                    {"path": path(key), "fall": round(rank[0], 4)} for rank, key in stats.failing_records.ranked()
                ],
            }
            for name, stats in report.criteria.items()
        },
        "failure_groups": [
            {
                "criterion": group.criterion,
                "tag_family": group.family,
                "records": group.records,
                "examples": [path(key) for _, key in group.examples.ranked()],
            }
            for group in report.failure_groups
        ],
        "worst_records": [
            {
                **_summary(report.detail(entry.key), path(entry.key)),
                "shortfall": round(entry.shortfall, 4),
                "group": {"criterion": entry.group.criterion, "tag_family": entry.group.family},
            }
            for entry in report.worst
        ],
        "validators": dict(report.validators.most_common()),
        "prompt_versions": dict(report.prompt_versions.most_common()),
        "arandu_versions": dict(report.arandu_versions.most_common()),
        "languages": dict(report.languages.most_common()),
        "unreadable_examples": [{"path": rel(e.key), "reason": e.reason} for e in report.error_examples],
    }
    data["record_details"] = {rel(key): detail_as_dict(report.detail(key), rel(key)) for key in listed}
    return data


def relative_to(root: str) -> Relative:
    """A key's path under `root` (the key's file name when it is the root itself, e.g. a single record).

    A local location may be given relative to the working directory while keys are absolute,
    so its absolute form is tried too.
    """
    bare = root.split("://", 1)[-1] if "://" in root else root
    roots = [root, bare]
    if "://" not in root or root.startswith("file://"):
        roots.append(os.path.abspath(os.path.expanduser(bare)))
    prefixes = [r.rstrip("/") + "/" for r in roots if r]

    def rel(key: str) -> str:
        # A local key may keep the location's `..` as given (cwd/../corpus/x.json): its normal form is tried too.
        for spelling in (key, os.path.normpath(key)) if key.startswith("/") else (key,):
            for prefix in prefixes:
                if spelling.startswith(prefix) and len(spelling) > len(prefix):
                    return spelling[len(prefix) :]
            if any(spelling.rstrip("/") == prefix.rstrip("/") for prefix in prefixes):
                return posixpath.basename(spelling.rstrip("/")) or key
        return key

    return rel


def _summary(detail: RecordDetail, path: str) -> dict[str, Any]:
    failing = [c for c in detail.criteria if not c.passed]
    return {
        "path": path,
        "rejected_at": detail.rejected_at,
        "failing": [{"criterion": c.name, "score": c.score, "threshold": c.threshold} for c in failing],
        "tags": [tag for c in failing for tag in c.issues],
        "evidence": {c.name: [_span(s) for s in c.spans] for c in failing if c.spans},
    }


def detail_as_dict(detail: RecordDetail, path: str) -> dict[str, Any]:
    """One record's drill-down: text excerpts, segments, every criterion with its evidence, suspect spans."""
    return {
        "path": path,
        "is_valid": detail.passed,
        "rejected_at": detail.rejected_at,
        "duration": detail.duration,
        "audio": detail.audio_hint,
        "text_length": detail.text_length,
        "text_complete": detail.text_complete,
        "text": [{"offset": offset, "text": text} for offset, text in detail.pieces],
        "segment_count": detail.segment_count,
        "segments": [{"index": s.index, "start": s.start, "end": s.end, "text": s.text} for s in detail.segments],
        "criteria": [
            {
                "stage": c.stage,
                "criterion": c.name,
                "score": c.score,
                "threshold": None if c.threshold != c.threshold else c.threshold,
                "passed": c.passed,
                "rationale": c.rationale,
                "issues": list(c.issues),
                "evidence": [_span(s) for s in c.spans],
            }
            for c in detail.criteria
        ],
        "suspect_spans": [_span(s) for s in detail.suspect_spans],
    }


def _span(span: Span) -> dict[str, Any]:
    described = span.as_dict()
    described["where"] = describe_span(span)
    return described


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
