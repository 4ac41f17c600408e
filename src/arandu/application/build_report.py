"""Use case: read every verdict already written at a location and gather the corpus report."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from returns.result import Failure, Success

from arandu.application.corpus_report import CorpusReport
from arandu.application.errors import RecordError, UnreadableRecord
from arandu.application.ports import RecordDocuments
from arandu.application.stored_verdict import MalformedVerdict, StoredRecord, interpret

RecordListener = Callable[[StoredRecord], None]
ErrorListener = Callable[[RecordError], None]


def read_records(source: RecordDocuments, on_error: ErrorListener) -> Iterator[StoredRecord]:
    """Every record of `source` with its verdict, in the store's order; unreadable ones go to `on_error`."""
    keys = source.keys()
    for key in keys:
        match source.read_document(key):
            case Failure(error):
                on_error(error)
            case Success(document):
                try:
                    yield interpret(key, document)
                except MalformedVerdict as exc:
                    on_error(UnreadableRecord(key, str(exc)))


class BuildReport:
    """Gathers counts, score distributions, the worst records and provenance over a corpus.

    It judges nothing and writes nothing: it reads the `validation` each record
    already holds, one record at a time, so memory stays bounded however large
    the corpus (the per-record table, when wanted, goes to `listener`).
    """

    def __init__(self, source: RecordDocuments, *, worst: int = 10) -> None:
        self._source = source
        self._worst = worst

    def __call__(
        self, *, listener: RecordListener | None = None, on_error: ErrorListener | None = None
    ) -> CorpusReport:
        """Read the corpus; `listener` sees each readable record, `on_error` each unreadable one."""
        report = CorpusReport(worst_limit=self._worst)

        def failed(error: RecordError) -> None:
            report.add_error(error)
            if on_error is not None:
                on_error(error)

        for record in read_records(self._source, failed):
            report.add(record)
            if listener is not None:
                listener(record)
        return report
