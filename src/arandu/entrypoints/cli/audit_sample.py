"""`arandu audit sample LOCATION`: draw the dual-class calibration sample into a sheet to label."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

from cyclopts import Parameter

from arandu.adapters.report.audit_sheet import SheetWriter
from arandu.application.draw_audit import AuditDraw
from arandu.application.errors import RecordError
from arandu.entrypoints.container import Container
from arandu.entrypoints.settings import JudgeSettings

EXIT_OK, EXIT_RECORD_ERRORS, EXIT_USAGE = 0, 1, 2


def audit_sample(
    location: str,
    /,
    *,
    output: Annotated[Path, Parameter(name=["--output", "-o"])],
    rejected: float = 0.30,
    admitted: float = 0.15,
    seed: int = 42,
    excerpt: int = 300,
    force: bool = False,
) -> int:
    """Draw a share of the rejected and of the admitted records into a CSV sheet for a reviewer.

    Records are sorted by path; one generator seeded with --seed draws
    floor(rejected x R) of the R rejected records, then floor(admitted x A) of
    the A admitted ones. The same corpus, shares and seed always give the same
    sheet. The reviewer fills the `label` column: tp, fp or borderline on a
    rejected row; tn or fn on an admitted row. Then run `arandu audit score`.

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
        Share of the rejected records to draw (0 to 1).
    admitted
        Share of the admitted records to draw (0 to 1).
    seed
        Seed of the generator; keep it to reproduce the sheet.
    excerpt
        Characters of the text's head and of its tail shown on each row.
    force
        Overwrite an existing sheet (it may hold a reviewer's labels).
    """
    try:
        draw = AuditDraw(rejected_share=rejected, admitted_share=admitted, seed=seed)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if output.exists() and not force:
        print(f"error: {output} exists and may hold labels; pass --force to overwrite it", file=sys.stderr)
        return EXIT_USAGE
    settings = JudgeSettings()
    container = Container()
    container.config.from_dict({"location": location, "storage_options": settings.storage_options})
    if not container.record_store().exists():
        print(f"error: {location}: no such folder or record", file=sys.stderr)
        return EXIT_USAGE
    errors = 0

    def unreadable(error: RecordError) -> None:
        nonlocal errors
        errors += 1
        print(f"unreadable: {error}", file=sys.stderr)

    temporary = output.with_name(f".{output.name}.partial")
    with temporary.open("w", encoding="utf-8", newline="") as stream:
        writer = SheetWriter(stream, seed=seed, excerpt=excerpt)
        sample = container.draw_audit_sample()(draw, writer, on_error=unreadable)
    temporary.replace(output)
    print(
        f"wrote {output}: {sample.rejected_sampled} of {sample.rejected_total} rejected and "
        f"{sample.admitted_sampled} of {sample.admitted_total} admitted records "
        f"(seed {seed}; {sample.unjudged} unjudged left out)",
        file=sys.stderr,
    )
    return EXIT_RECORD_ERRORS if errors else EXIT_OK
