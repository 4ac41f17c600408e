"""Fakes for the application's ports: small working implementations kept in memory, not mocks."""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import Any

from returns.result import Failure, Result, Success

from arandu.application.errors import RecordError, UnreadableRecord, WriteFailed
from arandu.application.ports import LoadedRecord
from arandu.domain.transcript import InvalidTranscript, Transcript
from arandu.domain.verdict import JudgePipelineResult


class InMemoryRecordStore:
    """A RecordStore over a dict of key -> record document.

    It reads documents with the same rules as the record format (required string
    `transcription_text`, optional duration and segments), writes `validation` and
    `is_valid` back in place, and remembers every save it was asked to make. Tests
    can make a key unreadable or make saving a key fail.
    """

    def __init__(self, documents: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        self.documents: dict[str, dict[str, Any]] = {k: copy.deepcopy(dict(v)) for k, v in (documents or {}).items()}
        self.saves: list[str] = []
        self.loads: list[str] = []
        self._unreadable: dict[str, str] = {}
        self._unwritable: dict[str, str] = {}

    def add(self, key: str, document: Mapping[str, Any]) -> None:
        self.documents[key] = copy.deepcopy(dict(document))

    def make_unreadable(self, key: str, reason: str = "cannot be read (simulated)") -> None:
        self._unreadable[key] = reason

    def fail_saving(self, key: str, reason: str = "verdict not written (simulated disk full)") -> None:
        self._unwritable[key] = reason

    def keys(self) -> Iterator[str]:
        return iter(sorted(self.documents))

    def load(self, key: str) -> Result[LoadedRecord, RecordError]:
        self.loads.append(key)
        if key in self._unreadable:
            return Failure(UnreadableRecord(key, self._unreadable[key]))
        document = self.documents.get(key)
        if document is None:
            return Failure(UnreadableRecord(key, "no such record"))
        if "transcription_text" not in document:
            return Failure(UnreadableRecord(key, "missing required field 'transcription_text'"))
        try:
            transcript = Transcript.parse(
                document["transcription_text"], document.get("duration_milliseconds"), document.get("segments")
            )
        except InvalidTranscript as exc:
            return Failure(UnreadableRecord(key, str(exc)))
        return Success(LoadedRecord(key, transcript, isinstance(document.get("validation"), dict), handle=key))

    def save(self, record: LoadedRecord, verdict: JudgePipelineResult) -> Result[None, RecordError]:
        self.saves.append(record.key)
        if record.key in self._unwritable:
            return Failure(WriteFailed(record.key, self._unwritable[record.key]))
        document = dict(self.documents[record.key])
        document["validation"] = verdict.model_dump(mode="json")
        document["is_valid"] = verdict.passed
        self.documents[record.key] = document
        return Success(None)
