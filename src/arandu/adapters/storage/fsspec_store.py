"""Records in any fsspec filesystem: a local folder, memory://, s3://, gs:// and other object stores."""

from __future__ import annotations

import contextlib
import importlib
import os
import stat
from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from fsspec.implementations.local import LocalFileSystem
from returns.result import Failure, Result, Success

from arandu.adapters.records.arandu_json import ParsedRecord, audio_hint, decode_json, render_record
from arandu.adapters.records.whisper_json import parse_any_record
from arandu.adapters.storage.listing import (
    DEFAULT_PATTERN,
    RECORD_SUFFIX,
    is_record_name,
    listed_paths,
    pages_for,
    walk_pages,
)
from arandu.adapters.storage.locations import LocationUnavailable, open_location, protocol_of
from arandu.adapters.storage.locking import hold_folder, remove_if_abandoned
from arandu.adapters.storage.redaction import Redactor
from arandu.adapters.storage.versioned import (
    DEFAULT_MAX_BYTES,
    TEMP_NAME,
    TEMP_SUFFIX,
    ChangedSinceRead,
    Unsuitable,
    access_for,
    new_run_id,
)
from arandu.application.errors import RecordError, UnreadableRecord, WriteFailed
from arandu.application.ports import LoadedRecord
from arandu.domain.verdict import JudgePipelineResult

__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_PATTERN", "RECORD_SUFFIX", "TEMP_SUFFIX", "FsspecRecordStore"]


@dataclass(frozen=True, slots=True)
class _Handle:
    parsed: ParsedRecord
    version: Hashable


class FsspecRecordStore:
    """Every file below a location whose name matches a glob (default `*_transcription.json`), listed lazily.

    A file may be an arandu record or the JSON of openai-whisper, faster-whisper,
    WhisperX or whisper.cpp; its format is recognised by its content. Listings
    are read a page at a time; hidden folders are not entered, and a file reached
    by two paths (a symlink, a hard link) is listed once.

    A verdict is written by replacing the whole record in one step: a durable
    hidden temporary file renamed over a local record (see `LocalAccess`), one
    PUT for an object. A record that someone else changed after we read it is not
    overwritten; saving it fails and the next run judges it again. Error texts
    never carry credentials. The store pickles as its location and options, so a
    worker process or a Dask worker opens its own connection.
    """

    def __init__(
        self,
        location: str,
        *,
        storage_options: dict[str, Any] | None = None,
        pattern: str | None = None,
        max_record_bytes: int | None = None,
        run: str | None = None,
    ) -> None:
        self._location = location
        self._options = dict(storage_options or {})
        self._pattern = pattern or DEFAULT_PATTERN
        self._max_bytes = max_record_bytes or DEFAULT_MAX_BYTES
        self._redact = Redactor.for_options(self._options)
        self._protocol = protocol_of(location)
        self._fs, self._root = open_location(location, self._options)
        self._local = isinstance(self._fs, LocalFileSystem)
        # One mark for this run's temporary files, in every process the store is pickled to.
        self._run = run or new_run_id()
        self._holding = False
        self._access = access_for(self._fs, self._protocol, self._local, max_bytes=self._max_bytes, run=self._run)

    def __getstate__(self) -> tuple[str, dict[str, Any], str, int, str]:
        return self._location, self._options, self._pattern, self._max_bytes, self._run

    def __setstate__(self, state: tuple[str, dict[str, Any], str, int, str]) -> None:
        location, options, pattern, max_bytes, run = state
        self.__init__(  # type: ignore[misc]
            location, storage_options=options, pattern=pattern, max_record_bytes=max_bytes, run=run
        )

    @property
    def root(self) -> str:
        return str(self._root)

    def exists(self) -> bool:
        try:
            self.check()
        except LocationUnavailable:
            return False
        return True

    def check(self) -> None:
        """Raise `LocationUnavailable` unless the location can be listed and holds something."""
        where = self._redact(self._location)
        try:
            if self._names_one_record():
                return
            first_page = self._first_page()
        except FileNotFoundError:
            raise LocationUnavailable(f"{where}: no such bucket, folder or record") from None
        except PermissionError:
            raise LocationUnavailable(f"{where}: access denied (check the credentials and the policy)") from None
        except _transport_errors() as exc:
            raise LocationUnavailable(f"{where}: cannot be listed ({self._describe(exc)})") from None
        if not first_page and not (self._local and self._fs.isdir(self._root)):
            raise LocationUnavailable(f"{where}: no such folder, prefix or record")

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the location against other arandu runs while the context lasts (local folders).

        Raises `LocationBusy` at once when another run holds it. The lock is the kernel's
        (flock), so a killed run leaves nothing stuck. Object stores take no lock. While it is
        held, listing removes the temporary files that crashed runs left (and only then).
        """
        if not self._local:
            yield
            return
        folder = self._root if os.path.isdir(self._root) else os.path.dirname(self._root) or "."
        with hold_folder(folder, self._redact(self._location)):
            self._holding = True
            try:
                yield
            finally:
                self._holding = False

    def keys(self) -> Iterator[str]:
        if self._names_one_record():
            yield self._root
            return
        seen: set[tuple[int, int]] = set()
        for path in listed_paths(self._fs, self._root, self._protocol):
            if is_record_name(path, self._pattern, self._root):
                if not self._local or _first_sight(path, seen):
                    yield path
            elif self._holding and TEMP_NAME.match(os.path.basename(path)):
                remove_if_abandoned(path, self._run)

    def _read(self, key: str) -> Result[tuple[bytes, Hashable], RecordError]:
        try:
            return Success(self._access.read(key))
        except Unsuitable as exc:
            return Failure(UnreadableRecord(key, str(exc)))
        except _transport_errors() as exc:
            return Failure(UnreadableRecord(key, f"cannot be read ({self._describe(exc)})"))

    def load(self, key: str) -> Result[LoadedRecord, RecordError]:
        match self._read(key):
            case Failure(error):
                return Failure(error)
            case Success((data, version)):
                pass
        match parse_any_record(data):
            case Success(parsed):
                handle = _Handle(parsed, version)
                hint = audio_hint(parsed.document)
                return Success(LoadedRecord(key, parsed.transcript, parsed.judged, handle, parsed.awaiting_llm, hint))
            case Failure(reason):
                return Failure(UnreadableRecord(key, reason))
        raise AssertionError("unreachable")

    def read_document(self, key: str) -> Result[dict[str, Any], RecordError]:
        """The record's whole JSON object, read only (for the report and the audit)."""
        match self._read(key):
            case Failure(error):
                return Failure(error)
            case Success((data, _)):
                pass
        match decode_json(data):
            case Failure(reason):
                return Failure(UnreadableRecord(key, reason))
            case Success(document) if isinstance(document, dict):
                return Success(document)
        return Failure(UnreadableRecord(key, "expected a JSON object"))

    def save(self, record: LoadedRecord, verdict: JudgePipelineResult) -> Result[None, RecordError]:
        handle = record.handle
        assert isinstance(handle, _Handle)
        key = record.key
        try:
            self._access.write(key, render_record(handle.parsed, verdict), handle.version)
        except ChangedSinceRead as exc:
            return Failure(WriteFailed(key, f"verdict not written: {exc}; left for the next run"))
        except Unsuitable as exc:
            return Failure(WriteFailed(key, f"verdict not written: the record {exc}; left as it was"))
        except _transport_errors() as exc:
            return Failure(WriteFailed(key, f"verdict not written ({self._describe(exc)}); record unchanged"))
        return Success(None)

    def _first_page(self) -> list[str]:
        pages = pages_for(self._protocol)
        if pages is walk_pages:
            # `walk` passes over what it cannot list; `ls` says why it could not.
            return list(self._fs.ls(self._root, detail=False))
        return list(next(iter(pages(self._fs, self._root)), []))

    def _names_one_record(self) -> bool:
        # A location that is itself a file is that one record, whatever its name (the user named it).
        return bool(self._fs.isfile(self._root))

    def _describe(self, exc: BaseException) -> str:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return self._redact(reason or type(exc).__name__)


def _first_sight(path: str, seen: set[tuple[int, int]]) -> bool:
    """False for a file already listed under another path; only links need remembering."""
    try:
        status = os.lstat(path)
        if stat.S_ISLNK(status.st_mode):
            status = os.stat(path)
        elif status.st_nlink < 2:
            return True
    except OSError:
        return True  # a broken link: loading it says why
    identity = (status.st_dev, status.st_ino)
    if identity in seen:
        return False
    seen.add(identity)
    return True


@cache
def _transport_errors() -> tuple[type[BaseException], ...]:
    """OSError, plus the exceptions of the object-store clients that are installed (not all are OSErrors)."""
    errors: list[type[BaseException]] = [OSError]
    clients = (
        ("botocore.exceptions", ("BotoCoreError", "ClientError")),
        ("aiohttp", ("ClientError",)),
        ("gcsfs.retry", ("HttpError",)),
    )
    for module, names in clients:
        try:
            imported = importlib.import_module(module)
        except ImportError:
            continue
        errors += [getattr(imported, name) for name in names]
    return tuple(errors)
