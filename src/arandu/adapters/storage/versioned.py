"""Reads that remember which version of an object they saw, and writes that only replace that version.

Each store keeps its own version token: the ETag for S3 (the write is a
conditional PUT with If-Match, checked by S3 itself), the generation for Google
Cloud Storage (an upload with ifGenerationMatch, checked by GCS itself),
mtime_ns/size/inode for local files (checked right before the rename), and
what `info()` reports (ETag, mtime, size, ...) for the other filesystems
(checked right before the write; a writer landing between that check and our
write is not detected).
"""

from __future__ import annotations

import contextlib
import os
import stat
import uuid
from collections.abc import Hashable
from typing import Any, Protocol
from urllib.parse import quote

from fsspec.asyn import sync

TEMP_SUFFIX = ".arandu-tmp"
_TEMP_NAME_PREFIX = 100


class ChangedSinceRead(OSError):
    """Someone else replaced or removed the object after we read it; our write was not made."""


class VersionedAccess(Protocol):
    def read(self, path: str) -> tuple[bytes, Hashable]: ...

    def write(self, path: str, data: bytes, version: Hashable) -> None: ...


class LocalAccess:
    """Local files: replaced atomically, via a hidden temporary file renamed over the record."""

    def read(self, path: str) -> tuple[bytes, Hashable]:
        with open(path, "rb") as handle:
            return handle.read(), _local_version(os.fstat(handle.fileno()))

    def write(self, path: str, data: bytes, version: Hashable) -> None:
        directory, name = os.path.split(path)
        # Only a prefix of the name: a record whose name is near the 255-byte limit must still be writable.
        temporary = os.path.join(directory, f".{name[:_TEMP_NAME_PREFIX]}.{uuid.uuid4().hex[:12]}{TEMP_SUFFIX}")
        try:
            with open(temporary, "xb") as handle:
                handle.write(data)
                created_mode = stat.S_IMODE(os.fstat(handle.fileno()).st_mode)
            current = os.stat(path)
            if stat.S_IMODE(current.st_mode) != created_mode:  # most records already have the umask's mode
                os.chmod(temporary, stat.S_IMODE(current.st_mode))
            # The last moment before the rename: a change from here on is not seen (microseconds).
            if _local_version(current) != version:
                raise ChangedSinceRead("changed by someone else since it was read")
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


def _local_version(status: os.stat_result) -> Hashable:
    return (status.st_mtime_ns, status.st_size, status.st_ino)


class S3Access:
    """S3: a GET that returns the ETag with the body; a PUT with If-Match on that ETag, atomic on the server."""

    def __init__(self, fs: Any) -> None:
        self._fs = fs

    def read(self, path: str) -> tuple[bytes, Hashable]:
        bucket, key, _ = self._fs.split_path(path)
        data, etag = sync(self._fs.loop, self._get, bucket, key)
        return data, etag

    async def _get(self, bucket: str, key: str) -> tuple[bytes, str]:
        response = await self._fs._call_s3("get_object", Bucket=bucket, Key=key)
        body = response["Body"]
        try:
            data = await body.read()
        finally:
            body.close()
        return data, str(response["ETag"])

    def write(self, path: str, data: bytes, version: Hashable) -> None:
        bucket, key, _ = self._fs.split_path(path)
        try:
            self._fs.call_s3("put_object", Bucket=bucket, Key=key, Body=data, IfMatch=version)
        except OSError as exc:
            if _s3_code(exc) in {"PreconditionFailed", "ConditionalRequestConflict", "NoSuchKey", "412", "404"}:
                raise ChangedSinceRead("changed or removed by someone else since it was read") from None
            raise


def _s3_code(exc: BaseException) -> str:
    response = getattr(exc.__cause__, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


class GcsAccess:
    """Google Cloud Storage: a GET whose headers carry the generation; an upload with ifGenerationMatch."""

    def __init__(self, fs: Any) -> None:
        self._fs = fs

    def read(self, path: str) -> tuple[bytes, Hashable]:
        headers, data = self._fs.call("GET", self._fs.url(path))
        return data, str(headers.get("X-Goog-Generation", ""))

    def write(self, path: str, data: bytes, version: Hashable) -> None:
        bucket, key, _ = self._fs.split_path(path)
        try:
            self._fs.call(
                "POST",
                f"{self._fs._location}/upload/storage/v1/b/{quote(bucket, safe='')}/o",
                uploadType="media",
                name=key,
                ifGenerationMatch=version,
                headers={"Content-Type": "application/json"},
                data=data,
                json_out=True,
            )
        except (FileExistsError, FileNotFoundError):  # gcsfs's names for 412 Precondition Failed and 404
            raise ChangedSinceRead("changed or removed by someone else since it was read") from None


class CheckedAccess:
    """Any other filesystem: the version `info()` reports, compared again right before the write."""

    _VERSION_FIELDS = ("generation", "etag", "ETag", "mtime", "LastModified", "created", "size")

    def __init__(self, fs: Any) -> None:
        self._fs = fs

    def read(self, path: str) -> tuple[bytes, Hashable]:
        # The version is taken before the read: a write in between makes us refuse to save, never overwrite.
        version = self._version(path)
        return self._fs.cat_file(path), version

    def write(self, path: str, data: bytes, version: Hashable) -> None:
        try:
            current = self._version(path)
        except FileNotFoundError:
            raise ChangedSinceRead("removed by someone else since it was read") from None
        if current != version:
            raise ChangedSinceRead("changed by someone else since it was read")
        self._fs.pipe_file(path, data)

    def _version(self, path: str) -> Hashable:
        info = self._fs.info(path)
        return tuple(str(info.get(name)) for name in self._VERSION_FIELDS)


def access_for(fs: Any, protocol: str, local: bool) -> VersionedAccess:
    if local:
        return LocalAccess()
    if protocol in ("s3", "s3a"):
        return S3Access(fs)
    if protocol in ("gs", "gcs"):
        return GcsAccess(fs)
    return CheckedAccess(fs)
