"""Use case: judge a corpus with the LLM stage, many records at once so the model is never idle."""

from __future__ import annotations

import asyncio

from returns.result import Failure, Success

from arandu.application.errors import ConfigurationError, JudgeFailed
from arandu.application.judge_corpus import OutcomeListener
from arandu.application.judge_record_llm import JudgeRecordWithLlm
from arandu.application.ports import RecordStore
from arandu.application.summary import CorpusSummary, Outcome, RecordOutcome


class JudgeCorpusWithLlm:
    """Judges every record of a store through both stages, concurrently.

    Before any record is read, the validator must answer and serve its model;
    otherwise `ConfigurationError` is raised and nothing is touched. Then
    enough records are kept open that the LLM stage always has calls waiting
    for its in-flight budget. Store reads and writes run in worker threads so
    a slow store does not stall the calls. Resume, skip and error semantics
    are those of the heuristic run, except that a record whose stored verdict
    passed without the LLM stage (judged heuristic-only earlier) is judged again
    so that it gets one; a record whose LLM stage got no valid
    answer is a `JudgeFailed` error and its file is not written.
    """

    def __init__(
        self,
        store: RecordStore,
        judge: JudgeRecordWithLlm,
        *,
        records_in_flight: int | None = None,
        check_timeout: float = 15.0,
    ) -> None:
        self._store = store
        self._judge = judge
        # Listing models is cheap even on a busy server; a silent host should not hold the run for minutes.
        self._check_timeout = check_timeout
        # Two calls per record, plus room for records being read, scored by heuristics or written.
        self._records_in_flight = records_in_flight or max(4, 2 * judge.llm_stage.concurrency)

    def __call__(self, *, rejudge: bool = False, listener: OutcomeListener | None = None) -> CorpusSummary:
        """Judge the corpus; `listener` sees each record's outcome as it happens (in completion order)."""
        return asyncio.run(self.run(rejudge=rejudge, listener=listener))

    async def run(self, *, rejudge: bool = False, listener: OutcomeListener | None = None) -> CorpusSummary:
        """The same as calling the use case, from inside a running event loop."""
        validator = self._judge.llm_stage.validator
        try:
            reachable = await asyncio.wait_for(validator.check(), self._check_timeout)
        except TimeoutError:
            raise ConfigurationError(
                f"the validator ({validator.provider}) did not answer within {self._check_timeout:g} s; "
                "is the server up and the base URL right?"
            ) from None
        if isinstance(reachable, Failure):
            raise ConfigurationError(str(reachable.failure()))
        summary = CorpusSummary()
        keys = iter(self._store.keys())

        async def worker() -> None:
            # Workers share one iterator; the event loop runs one at a time, so no key is taken twice.
            for key in keys:
                outcome = await self._one(key, rejudge=rejudge)
                summary.add(outcome)
                if listener is not None:
                    listener(outcome)

        await asyncio.gather(*(worker() for _ in range(self._records_in_flight)))
        return summary

    async def _one(self, key: str, *, rejudge: bool) -> RecordOutcome:
        match await asyncio.to_thread(self._store.load, key):
            case Failure(error):
                return RecordOutcome.failed_with(error)
            case Success(record):
                pass
        if record.judged and not record.awaiting_llm and not rejudge:
            return RecordOutcome(key, Outcome.SKIPPED)
        match await self._judge(record.transcript):
            case Failure(reason):
                return RecordOutcome.failed_with(JudgeFailed(key, f"not judged, file left as it was: {reason}"))
            case Success(verdict):
                pass
        match await asyncio.to_thread(self._store.save, record, verdict):
            case Failure(error):
                return RecordOutcome.failed_with(error)
        return RecordOutcome.judged(key, verdict)
