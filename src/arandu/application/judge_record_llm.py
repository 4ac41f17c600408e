"""Use case: one transcript through both stages, the LLM stage only when the heuristics let it through."""

from __future__ import annotations

from collections.abc import Sequence

from returns.result import Failure, Result, Success

from arandu.application.llm_stage import LlmStage
from arandu.domain.criteria.base import Criterion
from arandu.domain.pipeline import assemble, run_heuristic_stage
from arandu.domain.transcript import Transcript
from arandu.domain.verdict import HEURISTIC_STAGE, LLM_STAGE, JudgedBy, JudgePipelineResult


class JudgeRecordWithLlm:
    """Runs the heuristic stage, then, only when it passed, the LLM stage.

    A transcript the heuristics rejected costs no LLM call. When the LLM stage
    cannot reach a verdict (no valid answer after retries), there is no
    verdict at all: the Failure names the criterion and the last problem.
    """

    def __init__(self, criteria: Sequence[Criterion], llm_stage: LlmStage, judged_by: JudgedBy | None = None) -> None:
        self._criteria = tuple(criteria)
        self._llm_stage = llm_stage
        self._judged_by = judged_by

    @property
    def llm_stage(self) -> LlmStage:
        return self._llm_stage

    async def __call__(self, transcript: Transcript) -> Result[JudgePipelineResult, str]:
        """The verdict of every stage that applies, or why the LLM stage could not give one."""
        heuristic = run_heuristic_stage(self._criteria, transcript)
        if not heuristic.passed:
            return Success(assemble([(HEURISTIC_STAGE, heuristic)], self._judged_by))
        match await self._llm_stage(transcript):
            case Success(llm):
                return Success(assemble([(HEURISTIC_STAGE, heuristic), (LLM_STAGE, llm)], self._judged_by))
            case Failure(reason):
                return Failure(reason)
        raise AssertionError("unreachable")
