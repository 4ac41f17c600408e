"""`arandu judge-transcription LOCATION`: judge every record and write the verdicts back."""

from __future__ import annotations

import os
import sys
from typing import Annotated

from cyclopts import Parameter

from arandu.entrypoints.cli.output import ProgressReporter, print_summary
from arandu.entrypoints.container import Container
from arandu.entrypoints.settings import ConfigurationError, load_settings

EXIT_OK, EXIT_RECORD_ERRORS, EXIT_USAGE = 0, 1, 2


def judge_transcription(
    location: str,
    /,
    *,
    language: str | None = None,
    rejudge: Annotated[bool, Parameter(negative="--resume")] = False,
    workers: int | None = None,
    pattern: str = "*_transcription.json",
) -> int:
    """Judge every *_transcription.json record under LOCATION and write each verdict back.

    A record is an arandu record or the JSON written by openai-whisper, faster-whisper,
    WhisperX or whisper.cpp, recognised by its content; --pattern chooses other file names.

    Each record gets `validation` (the full verdict, with a score, a rationale and
    issue tags per criterion) and `is_valid`. Every other field is kept as it was,
    and a file is replaced atomically, so an interrupted run never leaves half a record.

    Exit status: 0 when every record was judged or skipped, 1 when some record
    could not be read, parsed, judged or written (all others are still judged),
    2 for bad usage or configuration.

    Parameters
    ----------
    location
        A folder or a single record file.
    language
        Expected language of the transcripts, e.g. pt or en (default: ARANDU_JUDGE_LANGUAGE, else pt).
    rejudge
        Judge every record again, replacing verdicts already written. The default,
        --resume, skips records that already hold a verdict and leaves their files untouched.
    workers
        Worker processes for the heuristic stage (default: one per CPU).
    pattern
        Glob that file names must match (for example '*.json' for Whisper's own output files).
    """
    try:
        settings = load_settings()
    except ConfigurationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    container = Container()
    container.config.from_dict(
        {
            "language": language or settings.language,
            "location": location,
            "storage_options": settings.storage_options,
            "workers": workers if workers is not None else (os.cpu_count() or 1),
            "pattern": pattern,
        }
    )
    store = container.record_store()
    if workers is not None and workers < 1:
        print("error: --workers must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    if not store.exists():
        print(f"error: {location}: no such folder or record", file=sys.stderr)
        return EXIT_USAGE
    print("note: no validator model configured; running the heuristic stage only.", file=sys.stderr)
    with ProgressReporter() as progress:
        summary = container.judge_corpus()(rejudge=rejudge, listener=progress)
    print_summary(summary, elapsed=progress.elapsed)
    return EXIT_RECORD_ERRORS if summary.errors else EXIT_OK
