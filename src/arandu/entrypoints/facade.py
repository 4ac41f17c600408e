"""The public Python API: `TranscriptionJudge`, as the seed shows it."""

from __future__ import annotations

from collections.abc import Iterable

from arandu import __version__
from arandu.application.judge_record import JudgeRecord
from arandu.domain.criteria import default_heuristic_criteria
from arandu.domain.transcript import Transcript
from arandu.domain.verdict import JudgedBy, JudgePipelineResult


class TranscriptionJudge:
    """Judge transcripts from Python code.

    >>> judge = TranscriptionJudge(language="pt")
    >>> result = judge.evaluate_transcription(text="...", duration_ms=60_000, segments=[])
    >>> result.passed, result.model_dump()["stage_results"].keys()
    """

    def __init__(self, language: str = "pt") -> None:
        self.language = language
        self._judge = JudgeRecord(
            default_heuristic_criteria(language), JudgedBy(arandu_version=__version__, language=language)
        )

    def evaluate_transcription(
        self, text: str, duration_ms: float | None = None, segments: Iterable[object] | None = None
    ) -> JudgePipelineResult:
        """The verdict for one transcript; segments may be dicts or objects with `text`, `start`, `end`.

        Raises `arandu.domain.transcript.InvalidTranscript` (a ValueError) for input of the wrong shape.
        """
        return self._judge(Transcript.parse(text, duration_ms, segments))
