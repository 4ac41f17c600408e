"""The audit sheet as CSV: written from drawn records, read back with the reviewer's labels."""

from __future__ import annotations

import csv
import io
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
    "excerpt",
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
                excerpt_around(row.record.text, row.focus, self._excerpt) if row.focus else "",
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


def excerpt_around(text: str, focus: tuple[int, int], chars: int) -> str:
    """The evidence in ⟦ ⟧ with `chars` characters of context each side; long evidence keeps its two ends."""
    start, end = max(0, min(focus[0], len(text))), max(0, min(focus[1], len(text)))
    inner = _flat(text[start:end])
    if len(inner) > 2 * chars:
        inner = f"{inner[:chars]} … {inner[-chars:]}"
    before, after = _flat(text[max(0, start - chars) : start]), _flat(text[end : end + chars])
    lead = "… " if start > chars else ""
    trail = " …" if end + chars < len(text) else ""
    return f"{lead}{before} ⟦{inner}⟧ {after}{trail}".strip()


def _flat(text: str) -> str:
    return " ".join(text.split())


def _score(criterion: StoredCriterion) -> str:
    mark = "" if criterion.passed else "!"
    return f"{criterion.name}={criterion.score:.2f}{mark}"


DELIMITERS = {",": "commas", ";": "semicolons", "\t": "tabs"}


def sheet_dialect(header: str) -> str:
    """The delimiter under which the header line names both `class` and `label`; InvalidSheet otherwise.

    Spreadsheets save CSV with the separator of their locale (a semicolon in pt-BR, de, fr...)
    or with tabs, so the three are tried rather than guessed from the data.
    """
    header = header.lstrip("\ufeff")
    for delimiter in DELIMITERS:
        names = {name.strip().lower() for name in next(csv.reader([header], delimiter=delimiter), [])}
        if {"class", "label"} <= names:
            return delimiter
    shown = header[:80] + ("…" if len(header) > 80 else "")
    raise InvalidSheet(
        "line 1 should name the columns, `class` and `label` among them, separated by commas, "
        f"semicolons or tabs (as `arandu audit sample` writes it); found {shown!r}"
    )


def read_sheet(stream: TextIO) -> Iterator[LabelledRow]:
    """The labelled rows of a sheet written by SheetWriter (and perhaps edited and saved by a spreadsheet)."""
    text = stream.read().lstrip("\ufeff")
    if not text.strip():
        raise InvalidSheet("the sheet is empty (line 1 should name the columns)")
    # A text field may hold line separators other than \n (U+2028...), so lines are left to the csv module.
    header = text.split("\n", 1)[0].rstrip("\r")
    reader = csv.DictReader(io.StringIO(text), delimiter=sheet_dialect(header))
    reader.fieldnames = [name.strip().lower() for name in reader.fieldnames or ()]
    for row in reader:
        total = (row.get("class_total") or "").strip()
        try:
            class_total = int(total) if total else None
        except ValueError:
            raise InvalidSheet(f"line {reader.line_num}: class_total '{total}' is not a whole number") from None
        yield LabelledRow(reader.line_num, row.get("class") or "", row.get("label") or "", class_total)
