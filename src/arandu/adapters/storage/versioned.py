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
import fcntl
import os
import re
import stat
from collections.abc import Hashable
from typing import Any, Protocol
from urllib.parse import quote

from fsspec.asyn import sync

TEMP_SUFFIX = ".arandu-tmp"
_TEMP_NAME_PREFIX = 100
# `.NAME.RUN-RANDOM.arandu-tmp`: only arandu makes such names; RUN says which run made it, and
# its writer holds an flock on it until it is renamed, so a live write can be told from a crashed one.
TEMP_NAME = re.compile(r"^\..*\.([0-9a-f]{12})-[0-9a-f]{12}" + re.escape(TEMP_SUFFIX) + "$")
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


class ChangedSinceRead(OSError):
    """Someone else replaced or removed the object after we read it; our write was not made."""


class Unsuitable(ValueError):
    """The object is not something arandu reads or writes as a record (a FIFO, a device, too large...)."""


class VersionedAccess(Protocol):
    def read(self, path: str) -> tuple[bytes, Hashable]: ...

    def write(self, path: str, data: bytes, version: Hashable) -> None: ...


class LocalAccess(VersionedAccess):
    """Local files: read only when regular and small enough; replaced durably and atomically.

    A write goes to a new hidden file beside the record (beside its target, for a symlink),
    which gets the record's mode, owner and extended attributes (ACLs included) and is
    fsynced; the record's version is checked; the file is renamed over the record, and the
    folder is fsynced. A crash, a kill or a power loss leaves the old record or the new one.
    """

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES, run: str | None = None) -> None:
        self._max_bytes = max_bytes
        self._run = run or new_run_id()

    def read(self, path: str) -> tuple[bytes, Hashable]:
        # Looked at before it is opened: opening a FIFO blocks, and opening a device may act on it.
        _check_regular(os.stat(path), self._max_bytes)
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with open(descriptor, "rb") as handle:
            status = os.fstat(descriptor)  # what was opened, had it been swapped since
            _check_regular(status, self._max_bytes)
            data = handle.read(self._max_bytes + 1)
        _check_size(len(data), self._max_bytes)
        return data, _local_version(status)

    def write(self, path: str, data: bytes, version: Hashable) -> None:
        target = os.path.realpath(path)  # a symlinked record stays a link; its target is written
        directory, name = os.path.split(target)
        current = os.stat(target)
        if current.st_nlink > 1:
            raise Unsuitable(f"has {current.st_nlink} hard links, and replacing it would separate them")
        temporary = os.path.join(
            directory, f".{name[:_TEMP_NAME_PREFIX]}.{self._run}-{os.urandom(6).hex()}{TEMP_SUFFIX}"
        )
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)  # released by the kernel however this process ends
            with open(descriptor, "wb") as handle:
                handle.write(data)
                handle.flush()
                _copy_metadata(target, descriptor, current)
                os.fsync(descriptor)
            # The last moment before the rename: a change from here on is not seen (microseconds).
            if _local_version(os.stat(target)) != version:
                raise ChangedSinceRead("changed by someone else since it was read")
            os.replace(temporary, target)
        except BaseException:
            _remove(temporary)
            raise
        _fsync_directory(directory)


def new_run_id() -> str:
    """The mark a run's temporary files carry (12 hex digits)."""
    return os.urandom(6).hex()


def _check_regular(status: os.stat_result, max_bytes: int) -> None:
    if not stat.S_ISREG(status.st_mode):
        raise Unsuitable(f"is not a regular file (it is {_kind(status.st_mode)}); not opened")
    _check_size(status.st_size, max_bytes)


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise Unsuitable(
            f"is larger than the record size limit ({_mib(size)} > {_mib(max_bytes)}; "
            "raise it with ARANDU_JUDGE_MAX_RECORD_MB or --max-record-mb); not read"
        )


def _mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


def _kind(mode: int) -> str:
    kinds = (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a folder"),
    )
    return next((name for test, name in kinds if test(mode)), "not a file")


def _copy_metadata(source: str, descriptor: int, status: os.stat_result) -> None:
    """Give the new file the record's extended attributes (POSIX ACLs are some), then its owner and mode."""
    wanted = _attributes(source)
    for name in set(_attributes(descriptor)) - set(wanted):  # e.g. an ACL inherited from the folder's default
        os.removexattr(descriptor, name)
    for name, value in wanted.items():
        try:
            os.setxattr(descriptor, name, value)
        except OSError as exc:
            raise Unsuitable(f"its extended attribute {name} cannot be copied ({exc.strerror})") from None
    created = os.fstat(descriptor)
    if (created.st_uid, created.st_gid) != (status.st_uid, status.st_gid):
        try:
            os.fchown(descriptor, status.st_uid, status.st_gid)
        except PermissionError:
            raise Unsuitable("belongs to another user or group, which a new file written by this user cannot") from None
    os.fchmod(descriptor, stat.S_IMODE(status.st_mode))


def _attributes(where: str | int) -> dict[str, bytes]:
    try:
        names = os.listxattr(where)
    except OSError:  # a filesystem without extended attributes
        return {}
    return {name: os.getxattr(where, name) for name in names}


def _fsync_directory(directory: str) -> None:
    descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _local_version(status: os.stat_result) -> Hashable:
    return (status.st_mtime_ns, status.st_size, status.st_ino)


class S3Access(VersionedAccess):
    """S3: a GET that returns the ETag with the body; a PUT with If-Match on that ETag, atomic on the server."""

    def __init__(self, fs: Any, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self._fs = fs
        self._max_bytes = max_bytes

    def read(self, path: str) -> tuple[bytes, Hashable]:
        bucket, key, _ = self._fs.split_path(path)
        data, etag = sync(self._fs.loop, self._get, bucket, key)
        return data, etag

    async def _get(self, bucket: str, key: str) -> tuple[bytes, str]:
        response = await self._fs._call_s3("get_object", Bucket=bucket, Key=key)
        body = response["Body"]
        try:
            _check_size(int(response.get("ContentLength") or 0), self._max_bytes)
            data = await body.read(self._max_bytes + 1)
        finally:
            body.close()
        _check_size(len(data), self._max_bytes)
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


class GcsAccess(VersionedAccess):
    """Google Cloud Storage: a GET whose headers carry the generation; an upload with ifGenerationMatch."""

    def __init__(self, fs: Any, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self._fs = fs
        self._max_bytes = max_bytes

    def read(self, path: str) -> tuple[bytes, Hashable]:
        _check_size(int(self._fs.info(path).get("size") or 0), self._max_bytes)
        headers, data = self._fs.call("GET", self._fs.url(path))
        _check_size(len(data), self._max_bytes)
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


class CheckedAccess(VersionedAccess):
    """Any other filesystem: the version `info()` reports, compared again right before the write."""

    _VERSION_FIELDS = ("generation", "etag", "ETag", "mtime", "LastModified", "created", "size")

    def __init__(self, fs: Any, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self._fs = fs
        self._max_bytes = max_bytes

    def read(self, path: str) -> tuple[bytes, Hashable]:
        # The version is taken before the read: a write in between makes us refuse to save, never overwrite.
        info = self._fs.info(path)
        _check_size(int(info.get("size") or 0), self._max_bytes)
        data = self._fs.cat_file(path)
        _check_size(len(data), self._max_bytes)
        return data, self._version_of(info)

    def write(self, path: str, data: bytes, version: Hashable) -> None:
        try:
            current = self._version(path)
        except FileNotFoundError:
            raise ChangedSinceRead("removed by someone else since it was read") from None
        if current != version:
            raise ChangedSinceRead("changed by someone else since it was read")
        self._fs.pipe_file(path, data)

    def _version(self, path: str) -> Hashable:
        return self._version_of(self._fs.info(path))

    def _version_of(self, info: dict[str, Any]) -> Hashable:
        return tuple(str(info.get(name)) for name in self._VERSION_FIELDS)


def access_for(
    fs: Any, protocol: str, local: bool, *, max_bytes: int = DEFAULT_MAX_BYTES, run: str | None = None
) -> VersionedAccess:
    if local:
        return LocalAccess(max_bytes, run)
    if protocol in ("s3", "s3a"):
        return S3Access(fs, max_bytes)
    if protocol in ("gs", "gcs"):
        return GcsAccess(fs, max_bytes)
    return CheckedAccess(fs, max_bytes)
