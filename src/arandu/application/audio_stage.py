"""The `audio_filter` stage: the transcript judged against the speech heard in its recording."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from returns.result import Failure, Result, Success

from arandu.application.audio_ports import AudioSource, VoiceActivity
from arandu.application.ports import LoadedRecord
from arandu.domain.audio import AudioCriterion, SpeechTimeline, default_audio_criteria
from arandu.domain.verdict import StageResult


class AudioStage:
    """Finds a record's recording, hears where its speech is, and scores every audio criterion.

    A record whose recording is not found has no audio stage (`Success(None)`): nothing is
    decoded and nothing is written about audio. A recording that is found but cannot be
    decoded is a Failure, so the record is left unjudged and named in the run's errors.
    Decoding and detection run in a worker thread: both are C code that releases the GIL,
    so records waiting on an LLM call keep going meanwhile.
    """

    def __init__(
        self, source: AudioSource, detector: VoiceActivity, criteria: Sequence[AudioCriterion] | None = None
    ) -> None:
        self._source = source
        self._detector = detector
        self._criteria = tuple(default_audio_criteria() if criteria is None else criteria)

    @property
    def criteria(self) -> tuple[AudioCriterion, ...]:
        return self._criteria

    async def check(self) -> Result[None, str]:
        """Whether recordings can be read and the detector runs; checked before any record is touched."""
        match await asyncio.to_thread(self._source.check):
            case Failure(reason):
                return Failure(reason)
        return await asyncio.to_thread(self._detector.check)

    async def __call__(self, record: LoadedRecord) -> Result[StageResult | None, str]:
        """The stage's result, None when the record has no recording to hear, or why it could not be heard."""
        location = self._source.find(record.key, record.audio_hint)
        if location is None:
            return Success(None)
        match await asyncio.to_thread(self._hear, location):
            case Failure(reason):
                return Failure(f"{location}: {reason}")
            case Success(speech):
                pass
        scores = {criterion.name: criterion.evaluate(record.transcript, speech) for criterion in self._criteria}
        return Success(StageResult.of(scores))

    def _hear(self, location: str) -> Result[SpeechTimeline, str]:
        return self._source.decode(location).map(self._detector.timeline)
