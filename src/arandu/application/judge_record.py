"""Use case: one record in, one verdict out, through every configured stage."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from returns.result import Failure, Result, Success

from arandu.application.ports import LoadedRecord
from arandu.domain.criteria.base import Criterion
from arandu.domain.pipeline import assemble, defers_to_audio, run_heuristic_stage, set_aside_for_audio
from arandu.domain.verdict import AUDIO_STAGE, HEURISTIC_STAGE, LLM_STAGE, JudgedBy, JudgePipelineResult, StageResult

if TYPE_CHECKING:
    from arandu.application.llm_stage import LlmStage


class RecordStage(Protocol):
    """A stage that calls out (audio): `Success(None)` when it has nothing to say about this record."""

    async def __call__(self, record: LoadedRecord) -> Result[StageResult | None, str]: ...

    async def check(self) -> Result[None, str]: ...


class JudgeRecord:
    """The heuristic stage, then the audio stage and the LLM stage when they are configured.

    A stage runs only when every stage before it passed, so a transcript the heuristics
    rejected costs no decoding and no LLM call; the one exception is a record failing only
    on words per minute, which its recording, when found, judges instead (speech_rate).
    When a calling stage cannot reach a verdict (no valid answer after retries), there is
    no verdict at all: the Failure says which stage and why, and nothing is written.
    """

    def __init__(
        self,
        criteria: Sequence[Criterion],
        *,
        llm_stage: LlmStage | None = None,
        audio_stage: RecordStage | None = None,
        judged_by: JudgedBy | None = None,
        check_timeout: float = 15.0,
    ) -> None:
        self._criteria = tuple(criteria)
        self._llm_stage = llm_stage
        self._audio_stage = audio_stage
        self._judged_by = judged_by
        # Listing models is cheap even on a busy server; a silent host should not hold the run for minutes.
        self._check_timeout = check_timeout

    @property
    def llm_stage(self) -> LlmStage | None:
        return self._llm_stage

    @property
    def records_in_flight(self) -> int:
        """Records worth judging at once in one process: one, unless a stage waits on calls."""
        if self._llm_stage is not None:
            # Two calls per record, plus room for records being read, scored by heuristics or written.
            return max(4, 2 * self._llm_stage.concurrency)
        return 1

    def rejudges(self, record: LoadedRecord) -> bool:
        """Whether a record that holds a verdict is judged again anyway on resume (the one resume rule's exception)."""
        return record.awaiting_llm and self._llm_stage is not None

    async def check(self) -> Result[None, str]:
        """Whether every calling stage can run; checked before any record is touched."""
        checks = []
        if self._llm_stage is not None:
            validator = self._llm_stage.validator
            checks.append((f"the validator ({validator.provider})", self._llm_stage.check()))
        if self._audio_stage is not None:
            checks.append(("the audio stage", self._audio_stage.check()))
        for what, check in checks:
            try:
                outcome = await asyncio.wait_for(check, self._check_timeout)
            except TimeoutError:
                return Failure(
                    f"{what} did not answer within {self._check_timeout:g} s; is the server up and the base URL right?"
                )
            if isinstance(outcome, Failure):
                return outcome
        return Success(None)

    async def __call__(self, record: LoadedRecord) -> Result[JudgePipelineResult, str]:
        """The verdict of every stage that applies to the record, or why a stage could not give one."""
        heuristics = run_heuristic_stage(self._criteria, record.transcript)
        stages: list[tuple[str, StageResult]] = [(HEURISTIC_STAGE, heuristics)]
        if self._audio_stage is not None and (heuristics.passed or defers_to_audio(heuristics)):
            match await self._audio_stage(record):
                case Failure(reason):
                    return Failure(f"audio stage: {reason}")
                case Success(StageResult() as audio):
                    # A heard recording judges the words per second of speech, not of the whole file.
                    stages = [(HEURISTIC_STAGE, set_aside_for_audio(heuristics)), (AUDIO_STAGE, audio)]
        if stages[-1][1].passed and self._llm_stage is not None:
            match await self._llm_stage(record.transcript):
                case Failure(reason):
                    return Failure(reason)
                case Success(llm):
                    stages.append((LLM_STAGE, llm))
        return Success(assemble(stages, self._judged_by))
