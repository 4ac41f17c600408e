"""Export destinations: a folder or bucket prefix of records, or one JSON-lines manifest; every write atomic."""

from __future__ import annotations

import contextlib
import json
import os
import posixpath
import tempfile
from collections.abc import Mapping
from types import TracebackType
from typing import Any

import orjson
from fsspec.implementations.local import LocalFileSystem
from returns.result import Failure, Result, Success

from arandu.adapters.storage.locations import open_location
from arandu.application.errors import RecordError, WriteFailed

TEMP_SUFFIX = ".arandu-tmp"


def render_json(document: Mapping[str, Any]) -> bytes:
    """A record as the judge writes one: UTF-8, indented 2, non-ASCII kept, one trailing newline."""
    try:
        return orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    except TypeError:  # an integer beyond 64 bits, which orjson cannot write
        return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def atomic_local_write(path: str, data: bytes, *, sync_folder: bool = True) -> None:
    """A hidden temporary file beside `path`, fsynced, renamed over it; the folder fsynced. All or nothing.

    Without `sync_folder` the caller fsyncs the folder later (once for many files written there).
    """
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=TEMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    if sync_folder:
        fsync_folder(folder)


def fsync_folder(folder: str) -> None:
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class FolderDestination:
    """Records written under a folder or a bucket prefix at their relative paths.

    A local file is replaced atomically (temporary file, fsync, rename); an object is one PUT,
    which a reader sees whole or not at all.
    """

    def __init__(self, location: str, *, storage_options: dict[str, Any] | None = None) -> None:
        self._fs, root = open_location(location, dict(storage_options or {}))
        self._root = root.rstrip("/")
        self._local = isinstance(self._fs, LocalFileSystem)
        self._written_folders: set[str] = set()

    def __enter__(self) -> FolderDestination:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        # Each file was fsynced before its rename; the renames are made durable once per folder.
        for folder in sorted(self._written_folders):
            with contextlib.suppress(OSError):
                fsync_folder(folder)

    def copy(self, relative: str, data: bytes) -> Result[None, RecordError]:
        target = posixpath.join(self._root, relative)
        try:
            if self._local:
                atomic_local_write(target, data, sync_folder=False)
                self._written_folders.add(os.path.dirname(target))
            else:
                self._fs.pipe_file(target, data)
        except Exception as exc:  # OSError, or an object-store client's own error
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
            return Failure(WriteFailed(target, f"not exported ({reason})"))
        return Success(None)

    def write(self, relative: str, document: Mapping[str, Any]) -> Result[None, RecordError]:
        return self.copy(relative, render_json(document))

    def line(self, entry: Mapping[str, Any]) -> None:
        raise TypeError("a folder destination takes records, not manifest lines")


class ManifestFile:
    """One JSON-lines file, local or an object, that appears whole when the export ends and never before.

    Lines go to a hidden temporary file first (beside the manifest when it is local); `commit`
    renames it into place, or uploads it in one request. Leaving without `commit` leaves nothing.
    """

    def __init__(self, location: str, *, storage_options: dict[str, Any] | None = None) -> None:
        self._fs, self._path = open_location(location, dict(storage_options or {}))
        self._local = isinstance(self._fs, LocalFileSystem)
        folder = os.path.dirname(self._path) if self._local else None
        if folder:
            os.makedirs(folder, exist_ok=True)
        prefix = f".{posixpath.basename(self._path)}."
        self._stream = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed in commit or __exit__)
            "wb", prefix=prefix, suffix=TEMP_SUFFIX, dir=folder, delete=False
        )
        self.lines = 0

    def copy(self, relative: str, data: bytes) -> Result[None, RecordError]:
        raise TypeError("a manifest takes lines, not records")

    def write(self, relative: str, document: Mapping[str, Any]) -> Result[None, RecordError]:
        raise TypeError("a manifest takes lines, not records")

    def line(self, entry: Mapping[str, Any]) -> None:
        self._stream.write(orjson.dumps(entry, option=orjson.OPT_APPEND_NEWLINE))
        self.lines += 1

    def commit(self) -> None:
        self._stream.flush()
        os.fsync(self._stream.fileno())
        self._stream.close()
        os.chmod(self._stream.name, 0o666 & ~_umask())
        if self._local:
            os.replace(self._stream.name, self._path)
        else:
            self._fs.put_file(self._stream.name, self._path)
            os.unlink(self._stream.name)

    def __enter__(self) -> ManifestFile:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stream.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._stream.name)
