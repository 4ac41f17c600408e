"""Ports of the audio stage: where a record's recording is and how it sounds, and where its speech is."""

from __future__ import annotations

from typing import Protocol

import numpy as np
import numpy.typing as npt
from returns.result import Result

from arandu.domain.audio import SpeechTimeline

# What the audio stage hears: mono samples in [-1, 1] at this rate, whatever the file held.
SAMPLE_RATE = 16_000
Samples = npt.NDArray[np.float32]


class AudioSource(Protocol):
    """Finds a record's recording and decodes it."""

    def find(self, key: str, hint: str | None) -> str | None:
        """Where the recording of the record stored at `key` is (its `audio_path` or `name` as `hint`), or None."""
        ...

    def decode(self, location: str) -> Result[Samples, str]:
        """The recording as mono float samples at `SAMPLE_RATE`; an unreadable file is a Failure saying why."""
        ...

    def check(self) -> Result[None, str]:
        """Whether recordings can be found and decoded at all (the folder exists, the decoder loads)."""
        ...


class VoiceActivity(Protocol):
    """A voice-activity detector: where in a recording someone speaks."""

    def timeline(self, samples: Samples) -> SpeechTimeline:
        """The speech intervals of mono samples at `SAMPLE_RATE`."""
        ...

    def check(self) -> Result[None, str]:
        """Whether the detector's model loads and runs."""
        ...
