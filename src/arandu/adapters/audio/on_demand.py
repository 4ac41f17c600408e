"""The audio stage without an audio folder: nothing of it is imported until a record names its recording."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from returns.result import Result, Success

from arandu.adapters.audio.locate import is_explicit
from arandu.application.ports import LoadedRecord
from arandu.domain.verdict import StageResult

if TYPE_CHECKING:
    from arandu.application.audio_stage import AudioStage


class OnDemandAudioStage:
    """Hears only records whose `audio_path` is an absolute path or a URL; for every other record it is
    one string test, so a heuristic-only run imports, loads and decodes nothing of the audio stage.
    Picklable: the real stage is built again, on first use, where records are judged."""

    def __init__(self, storage_options: dict[str, Any] | None = None) -> None:
        self._options = dict(storage_options or {})
        self._stage: AudioStage | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"options": self._options}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["options"])  # type: ignore[misc]

    async def check(self) -> Result[None, str]:
        # The extra's presence was checked when this stage was chosen; the model loads on first use.
        return Success(None)

    async def __call__(self, record: LoadedRecord) -> Result[StageResult | None, str]:
        if not (record.audio_hint and is_explicit(record.audio_hint)):
            return Success(None)
        if self._stage is None:
            from arandu.adapters.audio.pyav_source import PyAvAudioFiles
            from arandu.adapters.audio.silero_vad import SileroVoiceActivity
            from arandu.application.audio_stage import AudioStage

            self._stage = AudioStage(PyAvAudioFiles(None, self._options), SileroVoiceActivity(eager_check=False))
        return await self._stage(record)
