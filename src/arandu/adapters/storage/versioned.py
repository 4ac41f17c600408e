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
import sys
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, Protocol
from urllib.parse import quote

from fsspec.asyn import sync

TEMP_SUFFIX = ".arandu-tmp"
_TEMP_NAME_PREFIX = 100
_DEFAULT_BLOCK = 4096


class ChangedSinceRead(OSError):
    """Someone else replaced or removed the object after we read it; our write was not made."""


Write = Callable[[str, bytes, Hashable], None]


class VersionedAccess(Protocol):
    def read(self, path: str) -> tuple[bytes, Hashable]: ...

    def write(self, path: str, data: bytes, version: Hashable) -> None: ...

    @contextlib.contextmanager
    def writing(self) -> Iterator[Write]:
        """A `write` for several records in a row; a store may share work between them."""
        yield self.write


# Where a replaced record's inode is reused for the next write: Linux, whose ext4 is where it pays.
_RECYCLES_INODES = sys.platform.startswith("linux")


class LocalAccess(VersionedAccess):
    """Local files: replaced atomically, via a hidden temporary file renamed over the record.

    With `reuse_inodes` (and on Linux), the writes made through one `writing()` reuse the
    inodes of the records they replace (see `_Replacer`).
    """

    def __init__(self, *, reuse_inodes: bool = True) -> None:
        self._recycle = reuse_inodes and _RECYCLES_INODES

    def read(self, path: str) -> tuple[bytes, Hashable]:
        with open(path, "rb") as handle:
            return handle.read(), _local_version(os.fstat(handle.fileno()))

    def write(self, path: str, data: bytes, version: Hashable) -> None:
        _Replacer(recycle=False).replace(path, data, version)

    @contextlib.contextmanager
    def writing(self) -> Iterator[Write]:
        replacer = _Replacer(recycle=self._recycle)
        try:
            yield replacer.replace
        finally:
            replacer.close()


@dataclass(frozen=True, slots=True, eq=False)
class _Spare:
    """A replaced record's inode, kept under a hidden name for a later write in its folder."""

    path: str
    directory: str
    size: int
    block: int
    blocks: int

    @classmethod
    def of(cls, path: str, directory: str, status: os.stat_result) -> _Spare:
        block = status.st_blksize or _DEFAULT_BLOCK
        return cls(path, directory, status.st_size, block, _blocks(status.st_size, block))


def _blocks(size: int, block: int) -> int:
    return -(-size // block)


class _Replacer:
    """Replaces local records one after another, each through a hidden temporary file renamed over it.

    Creating a file, and freeing a file's blocks, can cost far more than writing one. On
    this project's ext4 (mounted with `discard`), while many files of a folder are being
    replaced, each new file cost 0.6 to 1 ms of kernel time, against about 20 us in a quiet
    folder, and freeing the blocks of a replaced record (when the rename drops its inode,
    or a truncation shortens a file) cost 0.2 to 0.5 ms (the README's Performance section
    has the measurements). So, with `recycle`, each replacement keeps the record's old
    inode under a hidden name (a hard link made just before the rename), and a later
    replacement in the same folder writes into one of the kept inodes instead of creating
    a file: the largest that needs no whole block freed, so that only the tail of its
    last block is cut. An inode is reused only when it is what a new file there would
    be: linked nowhere else, with the owner and group a new file gets and no extended
    attributes. At most `keep` inodes are kept at a time (the largest one, or one of a
    folder already left, makes room); `close` removes them, and any left by a killed run
    are stale temporary files.
    """

    def __init__(self, *, recycle: bool, keep: int = 32) -> None:
        self._recycle = recycle
        self._keep_at_most = keep
        # Spares per folder, folders in the order the run reached them, each list oldest first.
        self._spares: dict[str, list[_Spare]] = {}
        # Per folder that holds spares: owner and group of the last file created there, or
        # None when that file had extended attributes (a reused inode could not match it).
        self._fresh: dict[str, tuple[int, int] | None] = {}

    def replace(self, path: str, data: bytes, version: Hashable) -> None:
        directory, name = os.path.split(path)
        temporary, handle, reused = self._temporary(directory, name, len(data))
        kept = None
        try:
            with handle:
                handle.write(data)
                if reused:  # it may have held more than `data`: cut it to exactly what was written
                    handle.truncate()
                written_mode = stat.S_IMODE(os.fstat(handle.fileno()).st_mode)
            kept = self._keep(path, directory, name)
            # The inode that the rename will displace (through the link, exactly that one).
            current = os.stat(kept or path)
            if stat.S_IMODE(current.st_mode) != written_mode:  # most records already have the umask's mode
                os.chmod(temporary, stat.S_IMODE(current.st_mode))
            # The last moment before the rename: a change from here on is not seen (microseconds).
            if _local_version(current) != version:
                raise ChangedSinceRead("changed by someone else since it was read")
            os.replace(temporary, path)
        except BaseException:
            _remove(temporary)
            if kept is not None:
                _remove(kept)
            raise
        if kept is not None:
            self._add_spare(_Spare.of(kept, directory, current))

    def close(self) -> None:
        for spares in self._spares.values():
            for spare in spares:
                _remove(spare.path)
        self._spares.clear()
        self._fresh.clear()

    def _temporary(self, directory: str, name: str, size: int) -> tuple[str, BinaryIO, bool]:
        """Where to write `size` bytes: a hidden file, its handle, and whether it is a reused inode."""
        spare = self._take_spare(directory, size)
        if spare is not None:
            handle = self._reusable(spare)
            if handle is not None:
                return spare.path, handle, True
            _remove(spare.path)
        temporary = _temporary_name(directory, name)
        handle = open(temporary, "xb")  # noqa: SIM115 (closed by `replace`)
        if self._recycle:
            status = os.fstat(handle.fileno())
            plain = not _has_attributes(handle.fileno())
            self._fresh[directory] = (status.st_uid, status.st_gid) if plain else None
        return temporary, handle, False

    def _take_spare(self, directory: str, size: int) -> _Spare | None:
        """The largest spare of `directory` that `size` bytes fill without freeing a whole block."""
        spares = self._spares.get(directory)
        if not spares:
            return None
        limit = _blocks(size, spares[0].block)  # one folder, one filesystem: one block size
        best, best_size = -1, -1
        for i, spare in enumerate(spares):
            if spare.blocks <= limit and spare.size > best_size:
                best, best_size = i, spare.size
        return spares.pop(best) if best >= 0 else None

    def _add_spare(self, spare: _Spare) -> None:
        self._spares.setdefault(spare.directory, []).append(spare)
        if sum(map(len, self._spares.values())) <= self._keep_at_most:  # a few dozen folders at most
            return
        # One of a folder already left is of no further use; else the largest fits the fewest writes.
        folder = next((d for d, kept in self._spares.items() if d != spare.directory and kept), spare.directory)
        spares = self._spares[folder]
        if folder == spare.directory:
            evicted = spares.pop(max(range(len(spares)), key=lambda i: spares[i].size))
        else:
            evicted = spares.pop(0)
        _remove(evicted.path)
        if not spares:
            del self._spares[folder]
            self._fresh.pop(folder, None)

    def _reusable(self, spare: _Spare) -> BinaryIO | None:
        """The kept inode opened for writing (from its start), or None when a new file would differ from it."""
        fresh = self._fresh.get(spare.directory)
        if fresh is None:
            return None
        try:
            descriptor = os.open(spare.path, os.O_WRONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            return None
        try:
            status = os.fstat(descriptor)
            if (
                stat.S_ISREG(status.st_mode)
                and status.st_nlink == 1
                and (status.st_uid, status.st_gid) == fresh
                and not _has_attributes(descriptor)
            ):
                return open(descriptor, "wb")  # does not truncate: `replace` cuts it after writing
        except OSError:
            pass
        os.close(descriptor)
        return None

    def _keep(self, path: str, directory: str, name: str) -> str | None:
        """A second name for the record's current inode, or None (recycling off, or no hard links here)."""
        if not self._recycle:
            return None
        kept = _temporary_name(directory, name)
        try:
            os.link(path, kept, follow_symlinks=False)
        except OSError:
            return None
        return kept


def _temporary_name(directory: str, name: str) -> str:
    # Only a prefix of the name: a record whose name is near the 255-byte limit must still be writable.
    return os.path.join(directory, f".{name[:_TEMP_NAME_PREFIX]}.{os.urandom(6).hex()}{TEMP_SUFFIX}")


def _has_attributes(descriptor: int) -> bool:
    try:
        return bool(os.listxattr(descriptor))
    except OSError:  # a filesystem without extended attributes
        return False


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _local_version(status: os.stat_result) -> Hashable:
    return (status.st_mtime_ns, status.st_size, status.st_ino)


class S3Access(VersionedAccess):
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


class GcsAccess(VersionedAccess):
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


class CheckedAccess(VersionedAccess):
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


def access_for(fs: Any, protocol: str, local: bool, *, reuse_inodes: bool = True) -> VersionedAccess:
    if local:
        return LocalAccess(reuse_inodes=reuse_inodes)
    if protocol in ("s3", "s3a"):
        return S3Access(fs)
    if protocol in ("gs", "gcs"):
        return GcsAccess(fs)
    return CheckedAccess(fs)
