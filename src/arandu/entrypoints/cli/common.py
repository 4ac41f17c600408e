"""What several commands share: settings and storage options read at the edge, and a location that holds records."""

from __future__ import annotations

import contextlib
import fnmatch
import itertools
import os
import posixpath
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TextIO

from arandu.adapters.storage.locations import StorageError, open_location, parse_storage_options
from arandu.application.errors import ConfigurationError
from arandu.entrypoints import languages
from arandu.entrypoints.settings import JudgeSettings, load_settings

if TYPE_CHECKING:
    from rich.console import Console

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
    files = "file is" if count == 1 and not more else "files are"
    return f"{message}; {count}{more} other JSON {files} there: --pattern '{suggestion}' finds them"


def _files(fs: Any, root: str) -> Any:
    for directory, folders, files in fs.walk(root, detail=False):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        for name in sorted(files):
            yield posixpath.join(directory, name)


@contextlib.contextmanager
def reader_may_leave() -> Iterator[None]:
    """A closed standard output (`arandu report | head -2`) ends the output quietly, not with a traceback.

    What is left to write goes to /dev/null, so the final flush at exit succeeds and the status stays.
    """
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def console_for(stream: TextIO | None = None, *, width: int | None = None) -> Console:
    """A rich console that never hard-wraps lines for a pipe or a file (a terminal keeps rich's layout).

    Rich ends the program with status 1 when its reader goes away; this one goes quiet instead.
    """
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            _silence_stdout()

    target = stream or sys.stdout
    if target.isatty():
        return _Console(file=target, highlight=False)
    return _Console(file=target, highlight=False, no_color=True, soft_wrap=True, width=width or 120)


def check_language(language: str) -> str:
    """The language when the judge knows it; else a UsageError naming the nearest known codes."""
    try:
        return languages.check_language(language, flag="--language")
    except languages.UnknownLanguage as exc:
        raise UsageError(str(exc)) from None
