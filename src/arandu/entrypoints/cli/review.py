"""`arandu review SHEET`: label an audit sheet in the browser, one record at a time."""

from __future__ import annotations

import sys
import webbrowser
from pathlib import Path
from typing import Annotated

from cyclopts import Parameter

from arandu.adapters.review.records import RecordFinder
from arandu.adapters.review.server import ReviewServer
from arandu.adapters.review.sheet_file import ReviewSheet
from arandu.application.score_audit import InvalidSheet
from arandu.entrypoints.cli.common import UsageError, settings_and_options

EXIT_OK, EXIT_USAGE = 0, 2


def review(
    sheet: Path,
    /,
    *,
    port: int = 0,
    browser: bool = True,
    location: str | None = None,
    audio_dir: Annotated[Path | None, Parameter(name="--audio-dir")] = None,
    storage_option: Annotated[list[str] | None, Parameter(name="--storage-option", negative="")] = None,
) -> int:
    """Label an audit sheet written by `arandu audit sample` on a local web page.

    The page shows one record at a time: its text with every evidence and suspect
    span marked, its segments with their times, its criteria with scores and
    rationales, and, when its audio file is found, a player that jumps to the
    evidence. Keys: t (the verdict is right: tp or tn), f (it is wrong: fp or fn),
    b (borderline), x (clear), j / k (next / previous), u (first unlabelled), space
    (play the evidence). Each label is written into the sheet at once (atomically),
    so closing the tab loses nothing; the page shows progress and `audit score`'s
    figures. The server listens on 127.0.0.1 only and stops with Ctrl-C.

    Exit status: 0 when stopped, 2 when the sheet cannot be read or the port is taken.

    Parameters
    ----------
    sheet
        The CSV sheet to label.
    port
        Port on 127.0.0.1 to serve on; 0 picks a free one.
    browser
        Open the page in the default browser (--no-browser only prints its address).
    location
        Where the sheet's record paths are read from when they are relative or bucket keys
        (the LOCATION given to `audit sample`); by default, beside the sheet.
    audio_dir
        A folder of audio files, matched to a record by its `audio_path` or `name` field,
        else by its file name without `_transcription.json` (see docs/review.md; default:
        ARANDU_JUDGE_AUDIO_DIR when it is a local folder).
    storage_option
        KEY=VALUE passed to the filesystem of records in a bucket; repeatable; adds to and
        overrides ARANDU_JUDGE_STORAGE_OPTIONS (see judge-transcription).
    """
    try:
        settings, storage_options = settings_and_options(storage_option)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if audio_dir is None and settings.audio_dir and "://" not in settings.audio_dir:
        audio_dir = Path(settings.audio_dir)
    try:
        held = ReviewSheet(sheet)
    except OSError as exc:
        print(f"error: {sheet}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    except (InvalidSheet, UnicodeDecodeError) as exc:
        print(f"error: {sheet}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if audio_dir is not None and not audio_dir.is_dir():
        print(f"error: --audio-dir {audio_dir}: no such folder", file=sys.stderr)
        return EXIT_USAGE
    try:
        finder = RecordFinder(sheet, location=location, audio_dir=audio_dir, storage_options=storage_options)
        server = ReviewServer(held, finder, port)
    except OSError as exc:
        print(f"error: cannot listen on 127.0.0.1:{port} ({exc.strerror or exc})", file=sys.stderr)
        return EXIT_USAGE
    rows = held.rows
    print(f"reviewing {sheet} ({sum(1 for r in rows if r.label)} of {len(rows)} rows labelled) at {server.url}")
    print("each label is saved into the sheet as it is given; Ctrl-C stops the server", file=sys.stderr)
    sys.stdout.flush()
    if browser:
        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    labelled = sum(1 for r in held.rows if r.label)
    print(f"stopped: {labelled} of {len(held.rows)} rows labelled in {sheet}", file=sys.stderr)
    return EXIT_OK
