"""The audit sheet as CSV: written from drawn records, read back with the reviewer's labels."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import TextIO

from arandu.application.draw_audit import SheetRow
from arandu.application.score_audit import InvalidSheet, LabelledRow
from arandu.application.stored_verdict import StoredCriterion

COLUMNS = (
    "class",
    "path",
    "stage",
    "failing_criteria",
    "rationales",
    "tags",
    "evidence",
    "scores",
    "text_head",
    "text_tail",
    "label",
    "note",
    "class_total",
    "class_sampled",
    "seed",
)


class SheetWriter:
    """Writes one row per drawn record; `class_total` carries the corpus size needed for projection."""

    def __init__(self, stream: TextIO, *, seed: int, excerpt: int = 300) -> None:
        self._writer = csv.writer(stream, lineterminator="\n")
        self._writer.writerow(COLUMNS)
        self._seed = seed
        self._excerpt = excerpt

    def __call__(self, row: SheetRow) -> None:
        verdict = row.record.verdict
        assert verdict is not None
        failing = verdict.failing
        head, tail = excerpts(row.record.text, self._excerpt)
        self._writer.writerow(
            (
                row.klass,
                row.record.key,
                verdict.rejected_at or "",
                "; ".join(f"{c.name} {c.score:.2f} < {c.threshold:.2f}" for c in failing),
                " | ".join(f"{c.name}: {c.rationale}" for c in failing),
                " ".join(tag for c in failing for tag in c.issues),
                " | ".join(f"{c.name}: {c.evidence}" for c in failing if c.evidence),
                " ".join(_score(c) for c in verdict.criteria),
                head,
                tail,
                "",
                "",
                row.class_total,
                row.class_sampled,
                self._seed,
            )
        )


def excerpts(text: str, chars: int) -> tuple[str, str]:
    """The text's first and last `chars` characters; the tail stays empty when the head already holds it all."""
    text = " ".join(text.split())
    if len(text) <= 2 * chars:
        return text, ""
    return text[:chars] + " …", "… " + text[-chars:]


def _score(criterion: StoredCriterion) -> str:
    mark = "" if criterion.passed else "!"
    return f"{criterion.name}={criterion.score:.2f}{mark}"


def read_sheet(stream: TextIO) -> Iterator[LabelledRow]:
    """The labelled rows of a sheet written by SheetWriter (and perhaps edited in a spreadsheet)."""
    reader = csv.DictReader(stream)
    missing = {"class", "label"} - set(reader.fieldnames or ())
    if missing:
        raise InvalidSheet(f"the sheet has no {' and no '.join(sorted(missing))} column")
    for row in reader:
        total = (row.get("class_total") or "").strip()
        try:
            class_total = int(total) if total else None
        except ValueError:
            raise InvalidSheet(f"line {reader.line_num}: class_total '{total}' is not a whole number") from None
        yield LabelledRow(reader.line_num, row.get("class") or "", row.get("label") or "", class_total)
