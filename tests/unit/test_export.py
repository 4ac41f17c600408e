"""Export: which records go where, and what cutting the suspect spans leaves of a record."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping
from typing import Any

from returns.result import Failure, Result, Success

from arandu.application.cut_suspects import NOTE_FIELD, cut_suspects
from arandu.application.errors import RecordError, UnreadableRecord
from arandu.application.export_corpus import ExportCorpus, ExportMode, RawRecord, RecordFacts


def verdict(passed: bool, spans: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    score = {"score": 1.0 if passed else 0.1, "threshold": 0.5, "passed": passed, "rationale": "r", "issues": []}
    validation: dict[str, Any] = {
        "passed": passed,
        "rejected_at": None if passed else "heuristic_filter",
        "stage_results": {"heuristic_filter": {"passed": passed, "criterion_scores": {"repetition": score}}},
    }
    if spans is not None:
        validation["suspect_spans"] = spans
    return validation


class FakeRawRecords:
    """RawRecords over a dict of relative path -> JSON object; bytes are the object's JSON."""

    def __init__(self, documents: Mapping[str, dict[str, Any]], unreadable: tuple[str, ...] = ()) -> None:
        self.documents = documents
        self.unreadable = unreadable

    def keys(self) -> Iterator[str]:
        return iter(sorted(self.documents))

    def relative(self, key: str) -> str:
        return key

    def read_raw(self, key: str) -> Result[RawRecord, RecordError]:
        if key in self.unreadable:
            return Failure(UnreadableRecord(key, "not valid JSON"))
        document = self.documents[key]
        return Success(RawRecord(json.dumps(document).encode(), copy.deepcopy(document)))

    def facts(self, key: str, record: RawRecord) -> Result[RecordFacts, RecordError]:
        duration = record.document.get("duration_milliseconds")
        return Success(RecordFacts(record.document["transcription_text"], duration and duration / 1000, None))


class FakeSink:
    def __init__(self) -> None:
        self.copies: dict[str, bytes] = {}
        self.written: dict[str, Mapping[str, Any]] = {}
        self.lines: list[Mapping[str, Any]] = []

    def copy(self, relative: str, data: bytes) -> Result[None, RecordError]:
        self.copies[relative] = data
        return Success(None)

    def write(self, relative: str, document: Mapping[str, Any]) -> Result[None, RecordError]:
        self.written[relative] = document
        return Success(None)

    def line(self, entry: Mapping[str, Any]) -> None:
        self.lines.append(entry)


LOOP_SPAN = {"first_segment": 1, "last_segment": 2, "start": 5.0, "end": 9.0, "char_start": 14, "char_end": 49,
             "criterion": "repetition", "reason": "phrase repeated"}  # fmt: skip
SEGMENTS = [
    {"text": "bom dia gente", "start": 0.0, "end": 5.0},
    {"text": "obrigada obrigada", "start": 5.0, "end": 7.0},
    {"text": "obrigada obrigada", "start": 7.0, "end": 9.0},
    {"text": "e depois fomos embora", "start": 9.0, "end": 12.0},
]
TEXT = "bom dia gente obrigada obrigada obrigada obrigada e depois fomos embora"
CORPUS = {
    "a/good.json": {"transcription_text": "fine words", "duration_milliseconds": 4000, "validation": verdict(True)},
    "a/loop.json": {"transcription_text": TEXT, "segments": SEGMENTS, "validation": verdict(False, [LOOP_SPAN])},
    "b/short.json": {"transcription_text": "sim", "validation": verdict(False)},
    "b/new.json": {"transcription_text": "not judged yet"},
}


def test_valid_mode_copies_only_the_valid_records_byte_for_byte() -> None:
    sink, heard = FakeSink(), []
    summary = ExportCorpus(FakeRawRecords(CORPUS), ExportMode.VALID)(sink, on_exported=heard.append)
    assert heard == ["a/good.json"]
    assert sink.copies == {"a/good.json": json.dumps(CORPUS["a/good.json"]).encode()}
    assert (summary.exported, summary.invalid, summary.unjudged) == (1, 2, 1)


def test_cut_mode_cuts_located_rejections_and_leaves_out_the_unlocated() -> None:
    sink = FakeSink()
    summary = ExportCorpus(FakeRawRecords(CORPUS), ExportMode.CUT_SUSPECTS)(sink)
    assert set(sink.copies) == {"a/good.json"}
    cut = sink.written["a/loop.json"]
    assert cut["transcription_text"] == "bom dia gente e depois fomos embora"
    assert [s["text"] for s in cut["segments"]] == ["bom dia gente", "e depois fomos embora"]
    note = cut[NOTE_FIELD]
    assert note["removed_segments"] == [1, 2]
    assert note["removed_spans"][0]["text"] == "obrigada obrigada obrigada obrigada"
    assert note["removed_spans"][0]["criterion"] == "repetition"
    assert (summary.exported, summary.cut, summary.not_located, summary.unjudged) == (2, 1, 1, 1)


def test_a_span_naming_only_segments_also_cuts_their_text() -> None:
    document = {"transcription_text": TEXT, "segments": SEGMENTS}
    cut = cut_suspects(document, [{"first_segment": 3, "last_segment": 3, "criterion": "x", "reason": "y"}])
    assert cut.document["transcription_text"] == "bom dia gente obrigada obrigada obrigada obrigada"
    assert len(cut.document["segments"]) == 3
    assert document["segments"] == SEGMENTS  # the source object is not changed


def test_spans_out_of_range_or_of_the_wrong_type_cut_nothing_wrongly() -> None:
    document = {"transcription_text": "abc def", "segments": []}
    spans = [{"char_start": "0", "char_end": 3}, {"char_start": 5, "char_end": 500}, {"first_segment": 9}]
    cut = cut_suspects(document, spans)
    assert cut.document["transcription_text"] == "abc d"
    assert cut.document[NOTE_FIELD]["removed_characters"] == 2


def test_a_record_cut_to_nothing_is_left_out() -> None:
    whole = {"char_start": 0, "char_end": 3, "criterion": "script_match", "reason": "wrong script"}
    corpus = {"x.json": {"transcription_text": "sim", "validation": verdict(False, [whole])}}
    sink = FakeSink()
    summary = ExportCorpus(FakeRawRecords(corpus), ExportMode.CUT_SUSPECTS)(sink)
    assert (summary.exported, summary.nothing_left, sink.written) == (0, 1, {})


def test_manifest_has_a_line_per_readable_record_and_errors_are_reported() -> None:
    sink, errors = FakeSink(), []
    source = FakeRawRecords(CORPUS, unreadable=("b/short.json",))
    summary = ExportCorpus(source, ExportMode.MANIFEST)(sink, on_error=errors.append)
    by_path = {line["path"]: line for line in sink.lines}
    assert set(by_path) == {"a/good.json", "a/loop.json", "b/new.json"}
    assert by_path["a/good.json"] == {"audio_filepath": None, "text": "fine words", "duration": 4.0,
                                      "path": "a/good.json", "is_valid": True, "rejected_by": []}  # fmt: skip
    assert by_path["a/loop.json"]["rejected_by"] == ["repetition"]
    assert by_path["b/new.json"]["is_valid"] is None
    assert [e.key for e in errors] == ["b/short.json"] == [e.key for e in summary.errors]
