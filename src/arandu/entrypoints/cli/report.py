"""`arandu report LOCATION`: what the verdicts already written say about a corpus."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Literal

from cyclopts import Parameter

from arandu import __version__
from arandu.adapters.report.record_table import MissingExtra, RecordTable
from arandu.adapters.report.report_html import report_html
from arandu.adapters.report.report_json import report_as_dict
from arandu.adapters.storage.locations import StorageError
from arandu.application.errors import RecordError
from arandu.entrypoints.cli.common import (
    DEFAULT_PATTERN,
    EXIT_OK,
    EXIT_RECORD_ERRORS,
    EXIT_USAGE,
    UsageError,
    console_for,
    fail,
    pattern_hint,
    reader_may_leave,
    settings_and_options,
)
from arandu.entrypoints.cli.report_terminal import print_report
from arandu.entrypoints.container import Container

# `text` is the word every command uses for output meant for people; `terminal` is its old name here.
ReportFormat = Literal["text", "json", "csv", "parquet", "html", "terminal"]


def report(
    location: str,
    /,
    *,
    format: Annotated[ReportFormat, Parameter(name="--format")] = "text",
    output: Annotated[Path | None, Parameter(name=["--output", "-o"])] = None,
    worst: int = 10,
    pattern: str = DEFAULT_PATTERN,
    storage_option: Annotated[list[str] | None, Parameter(name="--storage-option", negative="")] = None,
    quiet: Annotated[bool, Parameter(name=["--quiet", "-q"], negative="")] = False,
) -> int:
    """Summarise the verdicts stored under LOCATION; nothing is judged and no record is changed.

    Shows valid / invalid / unjudged counts, rejections per stage and per
    criterion, each criterion's score distribution with its threshold, the worst
    records with their tags and evidence, and the validator models and prompt
    versions that produced the verdicts. Reads one record at a time, so it works
    on buckets and on corpora of any size.

    Exit status: 0 when every record could be read, 1 when some could not
    (they are counted and named), 2 for bad usage.

    Parameters
    ----------
    location
        A folder, a bucket prefix (s3://, gs://, memory://) or a single record file.
    format
        text (a summary for people; `terminal` is accepted too), json (the summary as JSON),
        csv or parquet (one row per record: path, is_valid, rejected_at, and each criterion's
        score and passed), html (one self-contained page with a chart per criterion).
    output
        Where to write; standard output when omitted (required for parquet).
    worst
        How many of the worst rejected records to show.
    pattern
        Glob that record file names must match (e.g. '*.json' for Whisper's own output files).
    storage_option
        KEY=VALUE passed to the filesystem; repeatable; adds to and overrides
        ARANDU_JUDGE_STORAGE_OPTIONS (see judge-transcription).
    quiet
        Print nothing on standard error but errors.
    """
    if format == "parquet" and output is None:
        return fail("--format parquet needs --output FILE")
    try:
        _, options = settings_and_options(storage_option)
        container = Container()
        container.config.from_dict(
            {"location": location, "storage_options": options, "worst": worst, "pattern": pattern}
        )
        store = container.record_store()
        store.check()
        if next(iter(store.keys()), None) is None:
            raise UsageError(pattern_hint(location, options, pattern))
    except (UsageError, StorageError) as exc:
        return fail(str(exc))

    def unreadable(error: RecordError) -> None:
        print(f"unreadable: {error}", file=sys.stderr)

    with RecordTable() as table:
        tabular = format in ("csv", "parquet")
        result = container.build_report()(listener=table.add if tabular else None, on_error=unreadable)
        data = report_as_dict(result, location=location)
        try:
            with reader_may_leave():  # e.g. piped into `head`: the reader has what it wanted
                _write(format, data, table, output)
        except MissingExtra as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE
    if output is not None and not quiet:
        print(
            f"wrote {output} ({result.records:,} records: {result.valid:,} valid, {result.invalid:,} invalid)",
            file=sys.stderr,
        )
    return EXIT_RECORD_ERRORS if result.unreadable else EXIT_OK


def _write(format: str, data: dict[str, object], table: RecordTable, output: Path | None) -> None:
    if format == "parquet":
        assert output is not None
        table.write_parquet(output)
        return
    if format in ("text", "terminal") and output is None:
        print_report(data, console_for(sys.stdout))
        return
    stream = sys.stdout if output is None else output.open("w", encoding="utf-8", newline="")
    try:
        if format in ("text", "terminal"):
            print_report(data, console_for(stream))
        elif format == "json":
            stream.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        elif format == "csv":
            table.write_csv(stream)
        else:
            stream.write(report_html(data, version=__version__))
    finally:
        if stream is not sys.stdout:
            stream.close()
