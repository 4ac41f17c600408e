"""An audit sheet held for review: its rows in memory, each label written back to disk atomically."""

from __future__ import annotations

import csv
import io
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from arandu.adapters.report.audit_sheet import sheet_dialect
from arandu.application.score_audit import LABELS, AuditScore, InvalidSheet, LabelledRow, score_audit

BOM = "\ufeff"


@dataclass(frozen=True, slots=True)
class Row:
    index: int
    klass: str
    path: str
    label: str
    note: str
    cells: dict[str, str]


class ReviewSheet:
    """The sheet as `arandu audit sample` wrote it (or a spreadsheet saved it): same delimiter, BOM,
    line ends and columns when written back; only `label` (and `note`) of one row change per save.

    Each save goes to a hidden temporary file in the sheet's folder, is fsynced, takes the sheet's
    mode and replaces it with one rename, so a crash or a closed tab leaves the old sheet or the new one.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._load()

    def _load(self) -> None:
        raw = self.path.read_bytes()
        self._stamp = self._stat()
        text = raw.decode("utf-8-sig")
        if not text.strip():
            raise InvalidSheet("the sheet is empty (line 1 should name the columns)")
        self._bom = raw.startswith(BOM.encode())
        header = text.split("\n", 1)[0]
        self._newline = "\r\n" if header.endswith("\r") else "\n"
        self._delimiter = sheet_dialect(header.rstrip("\r"))
        table = list(csv.reader(io.StringIO(text), delimiter=self._delimiter))
        self._header = [name.strip() for name in table[0]]
        self._columns = [name.lower() for name in self._header]
        if "note" not in self._columns:
            self._header.append("note")
            self._columns.append("note")
        self._table = [row + [""] * (len(self._header) - len(row)) for row in table[1:] if any(row)]

    def _stat(self) -> tuple[int, int]:
        stat = self.path.stat()
        return stat.st_mtime_ns, stat.st_size

    @property
    def rows(self) -> list[Row]:
        out = []
        for index, cells in enumerate(self._table):
            named = dict(zip(self._columns, cells, strict=False))
            out.append(Row(index, named.get("class", "").strip().lower(), named.get("path", ""),
                           named.get("label", "").strip().lower(), named.get("note", ""), named))  # fmt: skip
        return out

    def score(self) -> AuditScore:
        """`arandu audit score`'s figures over the labels given so far."""
        rows = []
        for row in self.rows:
            total = row.cells.get("class_total", "").strip()
            rows.append(LabelledRow(row.index + 2, row.klass, row.label, int(total) if total.isdigit() else None))
        return score_audit(rows)

    def set_label(self, index: int, label: str, note: str | None = None) -> Row:
        """Label row `index` (an empty label clears it) and write the sheet; raises InvalidSheet or IndexError."""
        with self._lock:
            if self._stat() != self._stamp:  # edited elsewhere since it was read: keep those edits
                self._load()
            row = self.rows[index]
            label = label.strip().lower()
            if label and label not in LABELS.get(row.klass, ()):
                allowed = ", ".join(LABELS.get(row.klass, ()))
                raise InvalidSheet(f"label '{label}' on a {row.klass or 'classless'} row (use {allowed})")
            self._table[index][self._columns.index("label")] = label
            if note is not None:
                self._table[index][self._columns.index("note")] = note
            self._write()
            return self.rows[index]

    def _write(self) -> None:
        stream = io.StringIO()
        writer = csv.writer(stream, delimiter=self._delimiter, lineterminator=self._newline)
        writer.writerow(self._header)
        writer.writerows(self._table)
        data = ((BOM if self._bom else "") + stream.getvalue()).encode("utf-8")
        folder = self.path.parent
        temporary = folder / f".{self.path.name}.{secrets.token_hex(6)}.arandu-tmp"
        mode = self.path.stat().st_mode & 0o7777
        try:
            with temporary.open("xb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.chmod(temporary, mode)
            os.replace(temporary, self.path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        self._stamp = self._stat()
