"""Use case: copy what a judged location holds to somewhere new (valid records, cut records, or a manifest)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from returns.result import Failure, Result, Success

from arandu.application.cut_suspects import cut_suspects, suspect_spans
from arandu.application.errors import RecordError, UnreadableRecord
from arandu.application.stored_verdict import MalformedVerdict, StoredVerdict, interpret


class ExportMode(StrEnum):
    """What is exported: the valid records as they are, every record cut of its suspect spans, or a manifest."""

    VALID = "valid"
    CUT_SUSPECTS = "cut-suspects"
    MANIFEST = "manifest"


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One record as stored: its exact bytes and its JSON object."""

    data: bytes
    document: dict[str, Any]


@dataclass(frozen=True, slots=True)
class RecordFacts:
    """What the record readers make of a record: its text, its duration and where its audio is."""

    text: str
    duration_seconds: float | None
    audio_path: str | None = None


class RawRecords(Protocol):
    """Read-only access to a location's records, byte for byte."""

    def keys(self) -> Iterator[str]:
        """Every record key under the location, lazily, in a stable order."""
        ...

    def read_raw(self, key: str) -> Result[RawRecord, RecordError]:
        """The record's bytes and its JSON object; a record that cannot be read or decoded is a Failure."""
        ...

    def facts(self, key: str, record: RawRecord) -> Result[RecordFacts, RecordError]:
        """The record read as the judge reads it (only the manifest needs this: it costs a full parse)."""
        ...

    def relative(self, key: str) -> str:
        """The key's path relative to the location (a single-record location: the file's name)."""
        ...


class ExportSink(Protocol):
    """Where an export goes; nothing is visible there until `commit` (a folder) or each write (an object)."""

    def copy(self, relative: str, data: bytes) -> Result[None, RecordError]:
        """Write a record's exact bytes at `relative`."""
        ...

    def write(self, relative: str, document: Mapping[str, Any]) -> Result[None, RecordError]:
        """Write a changed record as JSON at `relative`."""
        ...

    def line(self, entry: Mapping[str, Any]) -> None:
        """Append one manifest line."""
        ...


@dataclass(slots=True)
class ExportSummary:
    """What happened to each record read."""

    exported: int = 0
    cut: int = 0
    invalid: int = 0
    unjudged: int = 0
    nothing_left: int = 0
    not_located: int = 0
    errors: list[RecordError] = field(default_factory=list)

    @property
    def read(self) -> int:
        return self.exported + self.invalid + self.unjudged + self.nothing_left + self.not_located


class ExportCorpus:
    """Exports a judged location record by record, never writing to the source.

    `valid`: each record whose verdict passed, byte for byte, at its relative path.
    `cut-suspects`: each judged record with its `validation.suspect_spans` cut out
    (a rejected record with nothing located, or nothing left, is not exported).
    `manifest`: one line per readable record for a training pipeline
    (`audio_filepath`, `text`, `duration` as NeMo reads them, plus `path`,
    `is_valid` and `rejected_by`).
    """

    def __init__(self, source: RawRecords, mode: ExportMode) -> None:
        self._source = source
        self._mode = mode

    def __call__(
        self,
        sink: ExportSink,
        *,
        on_error: Callable[[RecordError], None] | None = None,
        on_exported: Callable[[str], None] | None = None,
    ) -> ExportSummary:
        """Export every record; `on_error` hears of each one that failed, `on_exported` of each written."""
        summary = ExportSummary()
        keys = self._source.keys()
        for key in keys:
            before = summary.exported
            outcome = self._one(key, sink, summary)
            if on_exported is not None and summary.exported > before:
                on_exported(key)
            if isinstance(outcome, Failure):
                summary.errors.append(outcome.failure())
                if on_error is not None:
                    on_error(outcome.failure())
        return summary

    def _one(self, key: str, sink: ExportSink, summary: ExportSummary) -> Result[None, RecordError]:
        match self._source.read_raw(key):
            case Failure(error):
                return Failure(error)
            case Success(record):
                pass
        try:
            verdict = interpret(key, record.document).verdict
        except MalformedVerdict as exc:
            return Failure(UnreadableRecord(key, str(exc)))
        relative = self._source.relative(key)
        if self._mode is ExportMode.MANIFEST:
            match self._source.facts(key, record):
                case Failure(error):
                    return Failure(error)
                case Success(facts):
                    sink.line(manifest_entry(relative, facts, verdict))
            summary.exported += 1
            return Success(None)
        if verdict is None:
            summary.unjudged += 1
            return Success(None)
        if self._mode is ExportMode.VALID:
            if not verdict.passed:
                summary.invalid += 1
                return Success(None)
            return _counted(sink.copy(relative, record.data), summary)
        spans = suspect_spans(record.document)
        if not spans:
            if not verdict.passed:
                summary.not_located += 1
                return Success(None)
            return _counted(sink.copy(relative, record.data), summary)
        cut = cut_suspects(record.document, spans)
        if cut.text_left == 0:
            summary.nothing_left += 1
            return Success(None)
        summary.cut += 1
        return _counted(sink.write(relative, cut.document), summary)


def _counted(written: Result[None, RecordError], summary: ExportSummary) -> Result[None, RecordError]:
    if isinstance(written, Success):
        summary.exported += 1
    return written


def manifest_entry(relative: str, record: RecordFacts, verdict: StoredVerdict | None) -> dict[str, Any]:
    """One manifest line: NeMo's three fields first, then what arandu knows of the record."""
    return {
        "audio_filepath": record.audio_path,
        "text": record.text.strip(),
        "duration": record.duration_seconds,
        "path": relative,
        "is_valid": None if verdict is None else verdict.passed,
        "rejected_by": [] if verdict is None else sorted({c.name for c in verdict.failing}),
    }
