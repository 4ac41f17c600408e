"""A location's records, byte for byte, with what the record readers make of them."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from typing import Any

from returns.result import Failure, Result, Success

from arandu.adapters.records.arandu_json import audio_hint, decode_json
from arandu.adapters.records.whisper_json import parse_any_document
from arandu.adapters.storage.fsspec_store import FsspecRecordStore
from arandu.adapters.storage.locations import open_location
from arandu.application.errors import RecordError, UnreadableRecord
from arandu.application.export_corpus import RawRecord, RecordFacts

# NeMo's own field first; then where the judge's audio stage looks (`audio_path`, else `name`).
_AUDIO_FIELDS = ("audio_filepath", "audio_file", "audio")


class RawRecordSource:
    """Lists records as the judge does (same store, pattern and rules) and reads each one's bytes once."""

    def __init__(self, location: str, *, storage_options: dict[str, Any] | None = None, pattern: str | None = None):
        self._store = FsspecRecordStore(location, storage_options=storage_options, pattern=pattern)
        self._fs, root = open_location(location, dict(storage_options or {}))
        self._root = root.rstrip("/")

    @property
    def store(self) -> FsspecRecordStore:
        return self._store

    def keys(self) -> Iterator[str]:
        return self._store.keys()

    def relative(self, key: str) -> str:
        if key == self._root:
            return posixpath.basename(key)
        return posixpath.relpath(key, self._root)

    def read_raw(self, key: str) -> Result[RawRecord, RecordError]:
        try:
            data = self._fs.cat_file(key)
        except OSError as exc:
            return Failure(UnreadableRecord(key, f"cannot be read ({exc.strerror or exc})"))
        except Exception as exc:  # an object-store client's own error (botocore, aiohttp): one record, not the run
            return Failure(UnreadableRecord(key, f"cannot be read ({type(exc).__name__})"))
        match decode_json(data):
            case Failure(reason):
                return Failure(UnreadableRecord(key, reason))
            case Success(document) if isinstance(document, dict):
                return Success(RawRecord(data, document))
        return Failure(UnreadableRecord(key, "expected a JSON object"))

    def facts(self, key: str, record: RawRecord) -> Result[RecordFacts, RecordError]:
        match parse_any_document(record.document, record.data.endswith(b"\n")):
            case Failure(reason):
                return Failure(UnreadableRecord(key, reason))
            case Success(parsed):
                pass
        transcript = parsed.transcript
        duration = transcript.duration_ms
        if duration is None and len(transcript.columns):
            duration = max(transcript.columns.end) * 1000  # as the Whisper readers do
        audio = next((parsed.document[f] for f in _AUDIO_FIELDS if isinstance(parsed.document.get(f), str)), None)
        return Success(
            RecordFacts(
                text=transcript.text,
                duration_seconds=None if duration is None else round(duration / 1000, 3),
                audio_path=audio or audio_hint(parsed.document),
            )
        )
