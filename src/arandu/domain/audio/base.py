"""What an audio criterion is: a frozen object with knobs that judges a transcript against where speech was heard."""

from __future__ import annotations

from typing import Protocol

from arandu.domain.audio.timeline import SpeechTimeline
from arandu.domain.transcript import Transcript
from arandu.domain.verdict import CriterionScore


class AudioCriterion(Protocol):
    """Turns a transcript and its recording's speech timeline into a score against the criterion's threshold."""

    @property
    def name(self) -> str: ...

    @property
    def threshold(self) -> float: ...

    def evaluate(self, transcript: Transcript, speech: SpeechTimeline) -> CriterionScore: ...
