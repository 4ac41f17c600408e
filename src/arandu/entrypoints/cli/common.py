"""What several commands share: settings and storage options read at the edge, and a location that holds records."""

from __future__ import annotations

import fnmatch
import itertools
import posixpath
import sys
from typing import Any

from arandu.adapters.storage.locations import StorageError, open_location, parse_storage_options
from arandu.application.errors import ConfigurationError
from arandu.entrypoints.settings import JudgeSettings, load_settings

EXIT_OK, EXIT_RECORD_ERRORS, EXIT_USAGE = 0, 1, 2
DEFAULT_PATTERN = "*_transcription.json"
# A look for other JSON files when nothing matched stops here: enough to name a pattern, cheap on a bucket.
_LOOK_AT_MOST = 5000


class UsageError(Exception):
    """Bad usage or configuration: the command prints `error: ...` and exits 2 before touching anything."""


def settings_and_options(storage_option: list[str] | None) -> tuple[JudgeSettings, dict[str, Any]]:
    """The settings (a bad ARANDU_JUDGE_* value is a UsageError) and the storage options, flags over settings."""
    try:
        settings = load_settings()
        return settings, {**settings.storage_options, **parse_storage_options(storage_option or ())}
    except (ConfigurationError, StorageError) as exc:
        raise UsageError(str(exc)) from None


def fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_USAGE


def pattern_hint(location: str, storage_options: dict[str, Any], pattern: str) -> str:
    """Why nothing matched, and the `--pattern` that would find the JSON files that are there, if any."""
    message = f"{location}: no file matches --pattern '{pattern}'"
    try:
        fs, root = open_location(location, storage_options)
        found = [p for p in itertools.islice(_files(fs, root), _LOOK_AT_MOST) if p.endswith(".json")]
    except Exception:  # the hint is a courtesy: a listing that fails here only loses the hint
        return message
    names = [posixpath.basename(p) for p in found if not posixpath.basename(p).startswith(".")]
    if not names:
        return message
    suggestion = "*.json"
    suffixes = {name.rsplit("_", 1)[-1] for name in names if "_" in name}
    if len(suffixes) == 1 and all("_" in name for name in names):
        suggestion = f"*_{suffixes.pop()}"
    count = sum(fnmatch.fnmatchcase(name, suggestion) for name in names)
    more = "+" if len(found) == _LOOK_AT_MOST else ""
    return f"{message}; {count}{more} other JSON files are there: --pattern '{suggestion}' finds them"


def _files(fs: Any, root: str) -> Any:
    for directory, folders, files in fs.walk(root, detail=False):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        for name in sorted(files):
            yield posixpath.join(directory, name)
