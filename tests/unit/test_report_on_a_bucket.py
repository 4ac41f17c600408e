"""The report and the draw read through the fsspec store, so an object store (here memory://) works like a folder."""

from __future__ import annotations

import json
import uuid

import fsspec

from arandu.adapters.storage.fsspec_store import FsspecRecordStore
from arandu.application.build_report import BuildReport
from arandu.application.draw_audit import AuditDraw, DrawAuditSample, SheetRow
from tests.unit.verdict_corpus import judged, unjudged


def test_report_and_draw_over_a_memory_bucket() -> None:
    root = f"memory://bucket-{uuid.uuid4().hex}/corpus"
    fs = fsspec.filesystem("memory")
    documents = {
        "a/1_transcription.json": judged({"repetition": 0.9}),
        "a/2_transcription.json": judged({"repetition": 0.1}),
        "b/3_transcription.json": unjudged(),
        "b/notes.json": {"not": "a record"},
    }
    for name, document in documents.items():
        fs.pipe_file(f"{root}/{name}", json.dumps(document).encode())
    fs.pipe_file(f"{root}/b/4_transcription.json", b"\xff not json")
    store = FsspecRecordStore(root)
    report = BuildReport(store)()
    assert (report.records, report.valid, report.invalid, report.unjudged, report.unreadable) == (4, 1, 1, 1, 1)
    rows: list[SheetRow] = []
    DrawAuditSample(store)(AuditDraw(1.0, 1.0, seed=1), rows.append)
    assert [(row.klass, row.record.key.rsplit("/", 1)[-1]) for row in rows] == [
        ("rejected", "2_transcription.json"),
        ("admitted", "1_transcription.json"),
    ]
