"""Use case: judge every record at a location and write each verdict back."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial
from itertools import islice
from typing import TypeVar

from returns.result import Failure, Success

from arandu.application.judge_record import JudgeRecord
from arandu.application.ports import (
    BatchExecutor,
    CommitAll,
    LoadedRecord,
    RecordStore,
    StagedSave,
    StagingRecordStore,
)
from arandu.application.summary import CorpusSummary, Outcome, RecordOutcome
from arandu.domain.verdict import JudgePipelineResult

OutcomeListener = Callable[[RecordOutcome], None]
R = TypeVar("R")


def _judged(
    store: RecordStore, judge: JudgeRecord, key: str, rejudge: bool
) -> RecordOutcome | tuple[LoadedRecord, JudgePipelineResult]:
    """The record and its verdict, or the outcome that settles it first (unreadable, or skipped on resume)."""
    match store.load(key):
        case Failure(error):
            return RecordOutcome.failed_with(error)
        case Success(record):
            pass
    if record.judged and not rejudge:
        return RecordOutcome(key, Outcome.SKIPPED)
    return record, judge(record.transcript)


def judge_one(store: RecordStore, judge: JudgeRecord, key: str, *, rejudge: bool) -> RecordOutcome:
    """Load, judge and save one record; any failure of that record comes back as a value."""
    judged = _judged(store, judge, key, rejudge)
    if isinstance(judged, RecordOutcome):
        return judged
    record, verdict = judged
    match store.save(record, verdict):
        case Failure(error):
            return RecordOutcome.failed_with(error)
    return RecordOutcome.judged(key, verdict)


def judge_batch(store: RecordStore, judge: JudgeRecord, keys: list[str], *, rejudge: bool) -> list[RecordOutcome]:
    """Judge and save a batch of records; the unit of work an executor runs, here or in another process."""
    if isinstance(store, StagingRecordStore):
        return commit_staged(store.commit_all, stage_batch(store, judge, keys, rejudge=rejudge))
    return [judge_one(store, judge, key, rejudge=rejudge) for key in keys]


Staged = tuple[RecordOutcome, StagedSave | None]


def stage_one(store: StagingRecordStore, judge: JudgeRecord, key: str, *, rejudge: bool) -> Staged:
    """Load and judge one record and render its verdict; the write is left to whoever commits it."""
    judged = _judged(store, judge, key, rejudge)
    if isinstance(judged, RecordOutcome):
        return judged, None
    record, verdict = judged
    match store.stage(record, verdict):
        case Failure(error):
            return RecordOutcome.failed_with(error), None
        case Success(staged):
            return RecordOutcome.judged(key, verdict), staged
    raise AssertionError("unreachable")


def stage_batch(store: StagingRecordStore, judge: JudgeRecord, keys: list[str], *, rejudge: bool) -> list[Staged]:
    """Judge a batch and render its verdicts, for whoever commits them (this process or the corpus's)."""
    return [stage_one(store, judge, key, rejudge=rejudge) for key in keys]


def commit_staged(commit: CommitAll, batch: list[Staged]) -> list[RecordOutcome]:
    """Write a staged batch in one call (the store may share work between its writes); its outcomes."""
    written = iter(commit([staged for _, staged in batch if staged is not None]))
    outcomes = []
    for outcome, staged in batch:
        if staged is not None:
            match next(written):
                case Failure(error):
                    outcome = RecordOutcome.failed_with(error)
        outcomes.append(outcome)
    return outcomes


class InlineExecutor:
    """Runs every batch in the calling thread, in order."""

    def map_unordered(self, fn: Callable[[list[str]], R], batches: Iterable[list[str]]) -> Iterator[R]:
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
    the corpus. A store that stages its writes (a local folder) has them made
    here, one at a time, while the executor's workers judge the next records.
    """

    def __init__(
        self,
        store: RecordStore,
        judge: JudgeRecord,
        executor: BatchExecutor | None = None,
        batch_size: int = 32,
        commit_here: bool = True,
    ) -> None:
        """`commit_here=False` has even a staging store write from the workers (a cluster's
        workers are on other machines: sending every record back here would make this
        process the bottleneck)."""
        self._store = store
        self._judge = judge
        self._executor = executor or InlineExecutor()
        self._batch_size = batch_size
        self._commit_here = commit_here

    def __call__(self, *, rejudge: bool = False, listener: OutcomeListener | None = None) -> CorpusSummary:
        """Judge the corpus; `listener` sees each record's outcome as it happens."""
        summary = CorpusSummary()
        batches = batched(self._store.keys(), self._batch_size)
        for outcome in self._outcomes(batches, rejudge):
            summary.add(outcome)
            if listener is not None:
                listener(outcome)
        return summary

    def _outcomes(self, batches: Iterator[list[str]], rejudge: bool) -> Iterator[RecordOutcome]:
        store = self._store
        if not (self._commit_here and isinstance(store, StagingRecordStore) and store.stages_writes):
            work = partial(judge_batch, store, self._judge, rejudge=rejudge)
            for outcomes in self._executor.map_unordered(work, batches):
                yield from outcomes
            return
        # Workers judge and render; this process makes every write, one at a time, all through
        # one committing context, so that the store can share work between them for the whole run.
        staging = partial(stage_batch, store, self._judge, rejudge=rejudge)
        with store.committing() as commit:
            for batch in self._executor.map_unordered(staging, batches):
                yield from commit_staged(commit, batch)
