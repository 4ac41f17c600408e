"""One row per record (CSV or Parquet), spooled to a temporary file so memory stays flat."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import orjson

from arandu.application.stored_verdict import StoredRecord

_BATCH = 10_000


class MissingExtra(RuntimeError):
    """An optional dependency is needed for this format."""


class RecordTable:
    """Collects per-record rows while the corpus streams by, then writes them as CSV or Parquet.

    The set of criteria (hence the columns) is only known at the end, so rows
    wait in a temporary file on disk rather than in memory.
    """

    def __init__(self) -> None:
        # Closed in __exit__: the spool outlives any single method, so no `with` block can own it.
        self._spool = tempfile.TemporaryFile()  # noqa: SIM115
        self._criteria: dict[str, None] = {}

    def __enter__(self) -> RecordTable:
        return self

    def __exit__(self, *exc: object) -> None:
        self._spool.close()

    def add(self, record: StoredRecord) -> None:
        verdict = record.verdict
        scores = {} if verdict is None else {c.name: (c.score, c.passed) for c in verdict.criteria}
        for name in scores:
            self._criteria.setdefault(name)
        row = {
            "path": record.key,
            "is_valid": None if verdict is None else verdict.passed,
            "rejected_at": None if verdict is None else verdict.rejected_at,
            "scores": scores,
        }
        self._spool.write(orjson.dumps(row) + b"\n")

    @property
    def columns(self) -> list[str]:
        criteria = [f"{name}_{part}" for name in self._criteria for part in ("score", "passed")]
        return ["path", "is_valid", "rejected_at", *criteria]

    def rows(self) -> Iterator[dict[str, Any]]:
        """Rows with one score and one passed column per criterion (None where it was not evaluated)."""
        self._spool.seek(0)
        for line in self._spool:
            row = orjson.loads(line)
            flat: dict[str, Any] = {"path": row["path"], "is_valid": row["is_valid"], "rejected_at": row["rejected_at"]}
            for name in self._criteria:
                score, passed = row["scores"].get(name, (None, None))
                flat[f"{name}_score"] = score
                flat[f"{name}_passed"] = passed
            yield flat

    def write_csv(self, stream: TextIO) -> None:
        writer = csv.DictWriter(stream, fieldnames=self.columns, lineterminator="\n")
        writer.writeheader()
        for row in self.rows():
            writer.writerow({key: _csv_value(value) for key, value in row.items()})

    def write_parquet(self, path: Path) -> None:
        try:
            import pyarrow as pa  # type: ignore[import-untyped, import-not-found, unused-ignore]
            import pyarrow.parquet as pq  # type: ignore[import-untyped, import-not-found, unused-ignore]
        except ImportError as exc:
            raise MissingExtra("--format parquet needs pyarrow: pip install 'arandu[parquet]'") from exc
        fields = [pa.field("path", pa.string()), pa.field("is_valid", pa.bool_()), pa.field("rejected_at", pa.string())]
        for name in self._criteria:
            fields += [pa.field(f"{name}_score", pa.float64()), pa.field(f"{name}_passed", pa.bool_())]
        schema = pa.schema(fields)
        with pq.ParquetWriter(str(path), schema) as writer:
            batch: list[dict[str, Any]] = []
            for row in self.rows():
                batch.append(row)
                if len(batch) >= _BATCH:
                    writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                    batch = []
            if batch:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))


def _csv_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
