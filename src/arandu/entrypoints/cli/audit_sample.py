"""`arandu audit sample LOCATION`: draw the dual-class calibration sample into a sheet to label."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

from cyclopts import Parameter

from arandu.adapters.report.audit_sheet import SheetWriter
from arandu.adapters.storage.locations import StorageError
from arandu.application.draw_audit import AuditDraw
from arandu.application.errors import RecordError
from arandu.entrypoints.cli.common import (
    DEFAULT_PATTERN,
    EXIT_OK,
    EXIT_RECORD_ERRORS,
    UsageError,
    fail,
    pattern_hint,
    settings_and_options,
)
from arandu.entrypoints.container import Container


def parse_amount(text: str, flag: str) -> float | int:
    """A whole number is a count of records; a decimal is a share of the class, from 0 to 1."""
    value = text.strip()
    try:
        count = int(value)
    except ValueError:
        pass
    else:
        if count < 0:
            raise UsageError(f"{flag} {text}: a count of records cannot be negative")
        return count
    try:
        share = float(value)
    except ValueError:
        raise UsageError(f"{flag} takes a share (e.g. 0.3) or a count of records (e.g. 50), not {text!r}") from None
    if not 0.0 <= share <= 1.0:
        raise UsageError(f"{flag} {text}: a share lies between 0 and 1; for a count of records write a whole number")
    return share


def audit_sample(
    location: str,
    /,
    *,
    output: Annotated[Path, Parameter(name=["--output", "-o"])],
    rejected: str = "0.30",
    admitted: str = "0.15",
    seed: int = 42,
    excerpt: int = 300,
    pattern: str = DEFAULT_PATTERN,
    storage_option: Annotated[list[str] | None, Parameter(name="--storage-option", negative="")] = None,
    bom: bool = True,
    force: bool = False,
    quiet: Annotated[bool, Parameter(name=["--quiet", "-q"], negative="")] = False,
) -> int:
    """Draw a share or a number of the rejected and of the admitted records into a CSV sheet for a reviewer.

    Records are sorted by path; one generator seeded with --seed draws the
    rejected rows first, then the admitted ones. A share draws floor(share x n)
    of a class of n records; a count draws that many (all, if the class is
    smaller). The same corpus, amounts and seed always give the same sheet.
    The reviewer fills the `label` column: tp, fp or borderline on a rejected
    row; tn or fn on an admitted row. Then run `arandu audit score`. The
    `excerpt` column shows the text around the evidence, marked with ⟦ ⟧.

    Exit status: 0 when the sheet was written and every record could be read,
    1 when some records could not be read (they are left out of the draw), 2 for
    bad usage.

    Parameters
    ----------
    location
        A folder, a bucket prefix or a single record file, already judged.
    output
        The CSV sheet to write.
    rejected
        Rejected records to draw: a share (0.3 = 30%) or a count (50).
    admitted
        Admitted records to draw: a share (0.15 = 15%) or a count (50).
    seed
        Seed of the generator; keep it to reproduce the sheet.
    excerpt
        Characters of context shown around the evidence, and of the text's head and tail.
    pattern
        Glob that record file names must match (e.g. '*.json' for Whisper's own output files).
    storage_option
        KEY=VALUE passed to the filesystem; repeatable; adds to and overrides
        ARANDU_JUDGE_STORAGE_OPTIONS (see judge-transcription).
    bom
        Start the sheet with a UTF-8 byte-order mark, so spreadsheets read its accents and scripts right.
    force
        Overwrite an existing sheet (it may hold a reviewer's labels).
    quiet
        Print nothing but errors.
    """
    try:
        draw = AuditDraw(parse_amount(rejected, "--rejected"), parse_amount(admitted, "--admitted"), seed=seed)
        _, options = settings_and_options(storage_option)
        if output.exists() and not force:
            raise UsageError(f"{output} exists and may hold labels; pass --force to overwrite it")
        container = Container()
        container.config.from_dict({"location": location, "storage_options": options, "pattern": pattern})
        store = container.record_store()
        store.check()
        if next(iter(store.keys()), None) is None:
            raise UsageError(pattern_hint(location, options, pattern))
    except (UsageError, StorageError, ValueError) as exc:
        return fail(str(exc))
    errors = 0

    def unreadable(error: RecordError) -> None:
        nonlocal errors
        errors += 1
        print(f"unreadable: {error}", file=sys.stderr)

    temporary = output.with_name(f".{output.name}.partial")
    try:
        with temporary.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as stream:
            writer = SheetWriter(stream, seed=seed, excerpt=excerpt)
            sample = container.draw_audit_sample()(draw, writer, on_error=unreadable)
        temporary.replace(output)
    finally:
        temporary.unlink(missing_ok=True)
    if not quiet:
        print(
            f"wrote {output}: {sample.rejected_sampled} of {sample.rejected_total} rejected and "
            f"{sample.admitted_sampled} of {sample.admitted_total} admitted records "
            f"(seed {seed}; {sample.unjudged} unjudged left out)",
            file=sys.stderr,
        )
    return EXIT_RECORD_ERRORS if errors else EXIT_OK
