"""Use case: one transcript in, one verdict out."""

from __future__ import annotations

from collections.abc import Sequence

from arandu.domain.criteria.base import Criterion
from arandu.domain.pipeline import judge_heuristics
from arandu.domain.transcript import Transcript
from arandu.domain.verdict import JudgedBy, JudgePipelineResult


class JudgeRecord:
    """Runs the filter pipeline on one transcript.

    The heuristic stage always runs; it is pure and cheap, so it is a plain call.
    """

    def __init__(self, criteria: Sequence[Criterion], judged_by: JudgedBy | None = None) -> None:
        self._criteria = tuple(criteria)
        self._judged_by = judged_by

    def __call__(self, transcript: Transcript) -> JudgePipelineResult:
        """The verdict of every stage that applies to `transcript`."""
        return judge_heuristics(self._criteria, transcript, self._judged_by)
