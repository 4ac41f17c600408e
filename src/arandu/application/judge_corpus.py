"""Use case: judge every record at a location and write each verdict back."""

from __future__ import annotations

from collections.abc import Callable

from returns.result import Failure, Success

from arandu.application.errors import RecordError
from arandu.application.judge_record import JudgeRecord
from arandu.application.ports import RecordStore
from arandu.application.summary import CorpusSummary, Outcome, RecordOutcome

OutcomeListener = Callable[[RecordOutcome], None]


def judge_one(store: RecordStore, judge: JudgeRecord, key: str, *, rejudge: bool) -> RecordOutcome:
    """Load, judge and save one record; any failure of that record comes back as a value."""
    match store.load(key):
        case Failure(error):
            return _error(key, error)
        case Success(record):
            pass
    if record.judged and not rejudge:
        return RecordOutcome(key, Outcome.SKIPPED)
    verdict = judge(record.transcript)
    match store.save(record, verdict):
        case Failure(error):
            return _error(key, error)
    return RecordOutcome(key, Outcome.PASSED if verdict.passed else Outcome.FAILED, verdict=verdict)


def _error(key: str, error: object) -> RecordOutcome:
    assert isinstance(error, RecordError)
    return RecordOutcome(key, Outcome.ERROR, error=error)


class JudgeCorpus:
    """Judges every record of a store.

    Resumes by default: a record that already holds a verdict is skipped and its
    file is not rewritten. A record that cannot be read, judged or saved is
    counted as an error and left as it was; the run goes on.
    """

    def __init__(self, store: RecordStore, judge: JudgeRecord) -> None:
        self._store = store
        self._judge = judge

    def __call__(self, *, rejudge: bool = False, listener: OutcomeListener | None = None) -> CorpusSummary:
        """Judge the corpus; `listener` sees each record's outcome as it happens."""
        summary = CorpusSummary()
        for key in self._store.keys():
            outcome = judge_one(self._store, self._judge, key, rejudge=rejudge)
            summary.add(outcome)
            if listener is not None:
                listener(outcome)
        return summary
