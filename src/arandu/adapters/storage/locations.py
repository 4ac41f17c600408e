"""Where a corpus lives: a location string to an fsspec filesystem, with clear errors for what is missing."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import fsspec

# Protocols served by an optional extra of arandu, and the extra that brings them.
EXTRAS = {"s3": "s3", "s3a": "s3", "gs": "gcs", "gcs": "gcs"}


class StorageError(Exception):
    """The location cannot be used at all (configuration, not one record): the run stops before writing."""


class MissingExtra(StorageError):
    """The filesystem library for a protocol is not installed."""


class LocationUnavailable(StorageError):
    """The location does not exist, cannot be listed, or refuses our credentials."""


def protocol_of(location: str) -> str:
    """The fsspec protocol a location names; plain paths are `file`."""
    protocol = fsspec.core.split_protocol(location)[0]
    return protocol or "file"


def open_location(location: str, storage_options: dict[str, Any]) -> tuple[Any, str]:
    """The filesystem and the root path inside it, e.g. (S3FileSystem, "bucket/prefix")."""
    try:
        fs, root = fsspec.core.url_to_fs(location, **storage_options)
    except ImportError as exc:
        raise MissingExtra(_install_hint(protocol_of(location), exc)) from None
    except ValueError as exc:
        if "Protocol not known" in str(exc):
            raise StorageError(f"unknown storage protocol {protocol_of(location)!r}") from None
        raise
    return fs, str(root)


def _install_hint(protocol: str, exc: ImportError) -> str:
    extra = EXTRAS.get(protocol)
    if extra is not None:
        return f"{protocol}:// locations need an optional dependency: pip install 'arandu[{extra}]'"
    return f"{protocol}:// locations need a library that is not installed ({exc})"


def parse_storage_options(pairs: Iterable[str]) -> dict[str, Any]:
    """`KEY=VALUE` pairs to options; a value that parses as JSON is taken as JSON, else as a string."""
    options: dict[str, Any] = {}
    for pair in pairs:
        name, separator, raw = pair.partition("=")
        if not separator or not name.strip():
            # The pair itself is not echoed: it may well be a credential.
            raise StorageError("--storage-option expects KEY=VALUE; one of them has no KEY=")
        try:
            value: Any = json.loads(raw)
        except ValueError:
            value = raw
        options[name.strip()] = value
    return options
