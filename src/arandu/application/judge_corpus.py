"""Use case: judge every record at a location and write each verdict back."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial
from itertools import islice

from returns.result import Failure, Success

from arandu.application.judge_record import JudgeRecord
from arandu.application.ports import BatchExecutor, RecordStore
from arandu.application.summary import CorpusSummary, Outcome, RecordOutcome

OutcomeListener = Callable[[RecordOutcome], None]


def judge_one(store: RecordStore, judge: JudgeRecord, key: str, *, rejudge: bool) -> RecordOutcome:
    """Load, judge and save one record; any failure of that record comes back as a value."""
    match store.load(key):
        case Failure(error):
            return RecordOutcome.failed_with(error)
        case Success(record):
            pass
    if record.judged and not rejudge:
        return RecordOutcome(key, Outcome.SKIPPED)
    verdict = judge(record.transcript)
    match store.save(record, verdict):
        case Failure(error):
            return RecordOutcome.failed_with(error)
    return RecordOutcome.judged(key, verdict)


def judge_batch(store: RecordStore, judge: JudgeRecord, keys: list[str], *, rejudge: bool) -> list[RecordOutcome]:
    """Judge a batch of records; the unit of work an executor runs, here or in another process."""
    return [judge_one(store, judge, key, rejudge=rejudge) for key in keys]


class InlineExecutor:
    """Runs every batch in the calling thread, in order."""

    def map_unordered(
        self, fn: Callable[[list[str]], list[RecordOutcome]], batches: Iterable[list[str]]
    ) -> Iterator[list[RecordOutcome]]:
        return map(fn, batches)


def batched(keys: Iterable[str], size: int) -> Iterator[list[str]]:
    iterator = iter(keys)
    while batch := list(islice(iterator, size)):
        yield batch


class JudgeCorpus:
    """Judges every record of a store.

    Resumes by default: a record that already holds a verdict is skipped and its
    file is not rewritten. A record that cannot be read, judged or saved is
    counted as an error and left as it was; the run goes on. Keys are listed
    lazily and handed to the executor in batches, so memory does not grow with
    the corpus.
    """

    def __init__(
        self,
        store: RecordStore,
        judge: JudgeRecord,
        executor: BatchExecutor | None = None,
        batch_size: int = 32,
    ) -> None:
        self._store = store
        self._judge = judge
        self._executor = executor or InlineExecutor()
        self._batch_size = batch_size

    def __call__(self, *, rejudge: bool = False, listener: OutcomeListener | None = None) -> CorpusSummary:
        """Judge the corpus; `listener` sees each record's outcome as it happens."""
        summary = CorpusSummary()
        work = partial(judge_batch, self._store, self._judge, rejudge=rejudge)
        for outcomes in self._executor.map_unordered(work, batched(self._store.keys(), self._batch_size)):
            for outcome in outcomes:
                summary.add(outcome)
                if listener is not None:
                    listener(outcome)
        return summary
