"""Lazy listings of record keys: one page of the store's listing in memory at a time."""

from __future__ import annotations

import fnmatch
import os
import posixpath
from collections.abc import Iterator
from typing import Any

from fsspec.implementations.local import LocalFileSystem

RECORD_SUFFIX = "_transcription.json"
DEFAULT_PATTERN = f"*{RECORD_SUFFIX}"
PAGE_SIZE = 1000


def is_record_name(path: str, pattern: str = DEFAULT_PATTERN, root: str = "") -> bool:
    """A record's name matches the glob (default `*_transcription.json`); hidden files and folders
    below `root` (`.git/`, arandu's own temporary files) hold no record."""
    name = posixpath.basename(path)
    if name.startswith(".") or not fnmatch.fnmatchcase(name, pattern):
        return False
    relative = path[len(root) :] if root and path.startswith(root) else path
    return not any(part.startswith(".") for part in relative.split("/")[:-1])


def object_prefix(root: str) -> tuple[str, str]:
    """`bucket/some/prefix` to (bucket, "some/prefix/"): keys below the prefix, not beside it."""
    bucket, _, key = root.strip("/").partition("/")
    return bucket, (key.rstrip("/") + "/") if key else ""


def s3_pages(fs: Any, root: str, page_size: int = PAGE_SIZE) -> Iterator[list[str]]:
    """Pages of object paths below `root` in S3, in key order, one ListObjectsV2 request per page.

    s3fs's own `find`/`walk` gather the whole listing before returning; this keeps one page.
    """
    bucket, prefix = object_prefix(root)
    request: dict[str, Any] = {"Bucket": bucket, "Prefix": prefix, "MaxKeys": page_size}
    while True:
        page = fs.call_s3("list_objects_v2", **request)
        yield [f"{bucket}/{item['Key']}" for item in page.get("Contents", ())]
        token = page.get("NextContinuationToken")
        if not page.get("IsTruncated") or not token:
            return
        request["ContinuationToken"] = token


def gcs_pages(fs: Any, root: str, page_size: int = PAGE_SIZE) -> Iterator[list[str]]:
    """Pages of object paths below `root` in Google Cloud Storage, one objects.list request per page."""
    bucket, prefix = object_prefix(root)
    token: str | None = None
    while True:
        page = fs.call("GET", "b/{}/o", bucket, json_out=True, prefix=prefix, maxResults=page_size, pageToken=token)
        yield [f"{bucket}/{item['name']}" for item in page.get("items", ())]
        token = page.get("nextPageToken")
        if not token:
            return


def walk_pages(fs: Any, root: str) -> Iterator[list[str]]:
    """Any other filesystem, one directory at a time, in a stable (sorted) order; hidden folders are not entered."""
    walk = os.walk(root) if isinstance(fs, LocalFileSystem) else fs.walk(root, detail=False)
    for directory, subdirectories, files in walk:
        subdirectories[:] = sorted(name for name in subdirectories if not name.startswith("."))
        yield [posixpath.join(directory, name) for name in sorted(files)]


def pages_for(protocol: str) -> Any:
    if protocol in ("s3", "s3a"):
        return s3_pages
    if protocol in ("gs", "gcs"):
        return gcs_pages
    return walk_pages


def listed_paths(fs: Any, root: str, protocol: str) -> Iterator[str]:
    """Every path below `root`, lazily, a page at a time."""
    for page in pages_for(protocol)(fs, root):
        yield from page


def record_keys(fs: Any, root: str, protocol: str) -> Iterator[str]:
    """Every record key below `root`, lazily."""
    return (path for path in listed_paths(fs, root, protocol) if is_record_name(path))
