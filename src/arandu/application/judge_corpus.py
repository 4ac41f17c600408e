"""Use case: judge every record at a location and write each verdict back."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from itertools import islice
from typing import TypeVar

from returns.result import Failure, Success

from arandu.application.errors import ConfigurationError, JudgeFailed
from arandu.application.judge_record import JudgeRecord
from arandu.application.ports import BatchExecutor, RecordStore
from arandu.application.stopping import StopRequest
from arandu.application.summary import CorpusSummary, Outcome, RecordOutcome

OutcomeListener = Callable[[RecordOutcome], None]
R = TypeVar("R")


async def judge_one(store: RecordStore, judge: JudgeRecord, key: str, *, rejudge: bool) -> RecordOutcome:
    """Load, judge and save one record; whatever goes wrong with it comes back as its own outcome."""
    try:
        match await asyncio.to_thread(store.load, key):
            case Failure(error):
                return RecordOutcome.failed_with(error)
            case Success(record):
                pass
        if record.judged and not rejudge and not judge.rejudges(record):
            return RecordOutcome(key, Outcome.SKIPPED)
        match await judge(record):
            case Failure(reason):
                return RecordOutcome.failed_with(JudgeFailed(key, f"not judged, file left as it was: {reason}"))
            case Success(verdict):
                pass
        match await asyncio.to_thread(store.save, record, verdict):
            case Failure(error):
                return RecordOutcome.failed_with(error)
        return RecordOutcome.judged(key, verdict)
    except Exception as exc:  # a record must never stop the run: RecursionError, MemoryError, a bug
        reason = f"not judged, file left as it was ({type(exc).__name__}: {exc})".replace("\n", " ")[:500]
        return RecordOutcome.failed_with(JudgeFailed(key, reason))


async def _judge_keys(
    store: RecordStore, judge: JudgeRecord, keys: list[str], rejudge: bool, stop: StopRequest | None
) -> list[RecordOutcome]:
    pending = iter(keys)
    outcomes: list[RecordOutcome] = []

    async def worker() -> None:
        # Workers share one iterator; the event loop runs one at a time, so no key is taken twice.
        for key in pending:
            if stop is not None and stop.is_set():
                return
            outcomes.append(await judge_one(store, judge, key, rejudge=rejudge))

    await asyncio.gather(*(worker() for _ in range(min(judge.records_in_flight, len(keys)))))
    return outcomes


def judge_batch(
    store: RecordStore, judge: JudgeRecord, keys: list[str], *, rejudge: bool, stop: StopRequest | None = None
) -> list[RecordOutcome]:
    """Judge and save a batch of records: the unit of work an executor runs, here, in another process or on a cluster.

    The batch's records are judged in one event loop, as many at once as the judge's calling
    stages can keep busy. A stop request ends the batch after the records in progress.
    """
    return asyncio.run(_judge_keys(store, judge, keys, rejudge, stop))


class InlineExecutor:
    """Runs every batch in the calling thread, in order."""

    def map_unordered(self, fn: Callable[[list[str]], R], batches: Iterable[list[str]]) -> Iterator[R]:
        return map(fn, batches)


def batched(keys: Iterable[str], size: int) -> Iterator[list[str]]:
    iterator = iter(keys)
    while batch := list(islice(iterator, size)):
        yield batch


class JudgeCorpus:
    """Judges every record of a store, under any executor, through every configured stage.

    Before any record is read, every calling stage (the validator, the audio stage) must
    answer; otherwise `ConfigurationError` is raised and nothing is touched. Resumes by
    default: a record that already holds a verdict is skipped and its file is not
    rewritten, except one whose stored verdict passed without the LLM stage when a
    validator is configured now. A record that cannot be read, judged or saved is an
    error of its own and is left as it was; the run goes on. Keys are listed lazily and
    handed to the executor in batches, so memory does not grow with the corpus. A stop
    request (a signal) ends the run after the records in progress are written.
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

    def __call__(
        self, *, rejudge: bool = False, listener: OutcomeListener | None = None, stop: StopRequest | None = None
    ) -> CorpusSummary:
        """Judge the corpus; `listener` sees each record's outcome as it happens."""
        ready = asyncio.run(self._judge.check())
        if isinstance(ready, Failure):
            raise ConfigurationError(str(ready.failure()))
        summary = CorpusSummary()
        keys: Iterable[str] = self._store.keys()
        if stop is not None:
            keys = _until(stop, keys)
        work = partial(judge_batch, self._store, self._judge, rejudge=rejudge, stop=stop)
        for outcomes in self._executor.map_unordered(work, batched(keys, self._batch_size)):
            for outcome in outcomes:
                summary.add(outcome)
                if listener is not None:
                    listener(outcome)
        summary.stopped_by = stop.reason if stop is not None and stop.is_set() else None
        return summary


def _until(stop: StopRequest, keys: Iterable[str]) -> Iterator[str]:
    for key in keys:
        if stop.is_set():
            return
        yield key
