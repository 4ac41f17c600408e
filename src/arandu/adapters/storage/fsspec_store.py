"""Records in any fsspec filesystem: a local folder, memory://, and object stores."""

from __future__ import annotations

import contextlib
import fnmatch
import os
import posixpath
import stat
import time
import uuid
from collections.abc import Iterator
from typing import Any

import fsspec
from fsspec.implementations.local import LocalFileSystem
from returns.result import Failure, Result, Success

from arandu.adapters.records.arandu_json import ParsedRecord, decode_json, render_record
from arandu.adapters.records.whisper_json import parse_any_record
from arandu.application.errors import RecordError, UnreadableRecord, WriteFailed
from arandu.application.ports import LoadedRecord
from arandu.domain.verdict import JudgePipelineResult

RECORD_SUFFIX = "_transcription.json"
DEFAULT_PATTERN = f"*{RECORD_SUFFIX}"
# Temporary files start with a dot and end with this, so no listing ever takes them for records.
TEMP_SUFFIX = ".arandu-tmp"
_TEMP_NAME_PREFIX = 100
# A live write holds its temporary file for milliseconds; one this old was left by a killed run.
STALE_TEMP_SECONDS = 600


class FsspecRecordStore:
    """Every file below a location whose name matches a glob (default `*_transcription.json`).

    A file may be an arandu record or the JSON of openai-whisper, faster-whisper,
    WhisperX or whisper.cpp; its format is recognised by its content.

    Local files are replaced atomically (write a hidden temporary file beside
    the record, then rename it over the record); object stores replace a whole
    object in one request, which is atomic by nature.
    """

    def __init__(
        self, location: str, *, storage_options: dict[str, Any] | None = None, pattern: str | None = None
    ) -> None:
        self._fs, self._root = fsspec.core.url_to_fs(location, **(storage_options or {}))
        self._pattern = pattern or DEFAULT_PATTERN
        self._local = isinstance(self._fs, LocalFileSystem)

    @property
    def root(self) -> str:
        return str(self._root)

    def exists(self) -> bool:
        return bool(self._fs.exists(self._root))

    def keys(self) -> Iterator[str]:
        if self._fs.isfile(self._root):
            yield self._root
            return
        # os.walk needs no stat per file, which matters on folders of many thousand records.
        walk = os.walk(self._root) if self._local else self._fs.walk(self._root, detail=False)
        for directory, subdirectories, files in walk:
            subdirectories.sort()
            for name in sorted(files):
                if fnmatch.fnmatchcase(name, self._pattern) and not name.startswith("."):
                    yield posixpath.join(directory, name)
                elif self._local and name.endswith(TEMP_SUFFIX):
                    _remove_if_stale(os.path.join(directory, name))

    def load(self, key: str) -> Result[LoadedRecord, RecordError]:
        try:
            data = _read_local(key) if self._local else self._fs.cat_file(key)
        except OSError as exc:
            return Failure(UnreadableRecord(key, f"cannot be read ({_os_reason(exc)})"))
        match parse_any_record(data):
            case Success(parsed):
                return Success(LoadedRecord(key, parsed.transcript, parsed.judged, parsed, parsed.awaiting_llm))
            case Failure(reason):
                return Failure(UnreadableRecord(key, reason))
        raise AssertionError("unreachable")

    def save(self, record: LoadedRecord, verdict: JudgePipelineResult) -> Result[None, RecordError]:
        parsed = record.handle
        assert isinstance(parsed, ParsedRecord)
        data = render_record(parsed, verdict)
        try:
            if self._local:
                self._replace_local(record.key, data)
            else:
                self._fs.pipe_file(record.key, data)
        except OSError as exc:
            return Failure(WriteFailed(record.key, f"verdict not written ({_os_reason(exc)}); record unchanged"))
        return Success(None)

    def read_document(self, key: str) -> Result[dict[str, Any], RecordError]:
        """The record's whole JSON object, read only (for the report and the audit)."""
        try:
            data = self._fs.cat_file(key)
        except OSError as exc:
            return Failure(UnreadableRecord(key, f"cannot be read ({_os_reason(exc)})"))
        match decode_json(data):
            case Failure(reason):
                return Failure(UnreadableRecord(key, reason))
            case Success(document) if isinstance(document, dict):
                return Success(document)
        return Failure(UnreadableRecord(key, "expected a JSON object"))

    @staticmethod
    def _replace_local(path: str, data: bytes) -> None:
        directory, name = os.path.split(path)
        # Only a prefix of the name: a record whose name is near the 255-byte limit must still be writable.
        temporary = os.path.join(directory, f".{name[:_TEMP_NAME_PREFIX]}.{uuid.uuid4().hex[:12]}{TEMP_SUFFIX}")
        mode = stat.S_IMODE(os.stat(path).st_mode)
        try:
            with open(temporary, "xb") as handle:
                handle.write(data)
            os.chmod(temporary, mode)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


def _remove_if_stale(path: str) -> None:
    """A temporary file left by a killed run holds nothing the record lacks; clear it once surely abandoned."""
    with contextlib.suppress(OSError):
        if time.time() - os.stat(path).st_mtime > STALE_TEMP_SECONDS:
            os.unlink(path)


def _read_local(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _os_reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__
