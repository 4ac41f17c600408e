"""`arandu report LOCATION`: what the verdicts already written say about a corpus."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Literal

from cyclopts import Parameter
from rich.console import Console

from arandu import __version__
from arandu.adapters.report.record_table import MissingExtra, RecordTable
from arandu.adapters.report.report_html import report_html
from arandu.adapters.report.report_json import report_as_dict
from arandu.application.errors import RecordError
from arandu.entrypoints.cli.report_terminal import print_report
from arandu.entrypoints.container import Container
from arandu.entrypoints.settings import JudgeSettings

EXIT_OK, EXIT_RECORD_ERRORS, EXIT_USAGE = 0, 1, 2
ReportFormat = Literal["terminal", "json", "csv", "parquet", "html"]


def report(
    location: str,
    /,
    *,
    format: Annotated[ReportFormat, Parameter(name="--format")] = "terminal",
    output: Annotated[Path | None, Parameter(name=["--output", "-o"])] = None,
    worst: int = 10,
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
        terminal (a summary), json (the summary as JSON), csv or parquet (one row per
        record: path, is_valid, rejected_at, and each criterion's score and passed),
        html (one self-contained page with a chart per criterion).
    output
        Where to write; standard output when omitted (required for parquet).
    worst
        How many of the worst rejected records to show.
    """
    if format == "parquet" and output is None:
        print("error: --format parquet needs --output FILE", file=sys.stderr)
        return EXIT_USAGE
    settings = JudgeSettings()
    container = Container()
    container.config.from_dict({"location": location, "storage_options": settings.storage_options, "worst": worst})
    store = container.record_store()
    if not store.exists():
        print(f"error: {location}: no such folder or record", file=sys.stderr)
        return EXIT_USAGE
    stderr = Console(stderr=True, highlight=False)

    def unreadable(error: RecordError) -> None:
        print(f"unreadable: {error}", file=sys.stderr)

    with RecordTable() as table:
        tabular = format in ("csv", "parquet")
        result = container.build_report()(listener=table.add if tabular else None, on_error=unreadable)
        data = report_as_dict(result, location=location)
        try:
            _write(format, data, table, output)
        except MissingExtra as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        except BrokenPipeError:  # e.g. piped into `head`: the reader has what it wanted
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return EXIT_OK
    if output is not None:
        stderr.print(f"wrote {output} ({result.records:,} records: {result.valid:,} valid, {result.invalid:,} invalid)")
    return EXIT_RECORD_ERRORS if result.unreadable else EXIT_OK


def _write(format: str, data: dict[str, object], table: RecordTable, output: Path | None) -> None:
    if format == "parquet":
        assert output is not None
        table.write_parquet(output)
        return
    if format == "terminal" and output is None:
        print_report(data, Console(highlight=False))
        return
    stream = sys.stdout if output is None else output.open("w", encoding="utf-8", newline="")
    try:
        if format == "terminal":
            print_report(data, Console(file=stream, highlight=False, no_color=True, width=120))
        elif format == "json":
            stream.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        elif format == "csv":
            table.write_csv(stream)
        else:
            stream.write(report_html(data, version=__version__))
    finally:
        if stream is not sys.stdout:
            stream.close()
