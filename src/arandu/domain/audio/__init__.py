"""Criteria that judge a transcript against the speech heard in its recording."""

from __future__ import annotations

from arandu.domain.audio.base import AudioCriterion
from arandu.domain.audio.speech_rate import SpeechRate
from arandu.domain.audio.speech_without_text import SpeechWithoutText
from arandu.domain.audio.text_over_silence import TextOverSilence
from arandu.domain.audio.timeline import SpeechTimeline, clock

__all__ = [
    "AudioCriterion",
    "SpeechRate",
    "SpeechTimeline",
    "SpeechWithoutText",
    "TextOverSilence",
    "clock",
    "default_audio_criteria",
]


def default_audio_criteria() -> tuple[AudioCriterion, ...]:
    """The audio stage's criteria with their default knobs, in the order they are written."""
    return (TextOverSilence(), SpeechWithoutText(), SpeechRate())
