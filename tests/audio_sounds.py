"""Real recordings made on the spot: speech spoken by espeak-ng, silence and noise made by sox, encoded to
wav, mp3 (sox) and m4a/AAC (PyAV's own encoder), with the time of each part known."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np

RATE = 22_050  # espeak-ng's own rate: every part is made at it, so sox can join them as they are

needs_sound_tools = shutil.which("espeak-ng") is not None and shutil.which("sox") is not None
MISSING = "needs espeak-ng and sox (apt-get install espeak-ng sox libsox-fmt-all)"


@dataclass(frozen=True)
class Part:
    """One stretch of a recording: speech (with its text) or a background, from `start` to `end` seconds."""

    kind: str
    start: float
    end: float
    text: str = ""


def _seconds(path: Path) -> float:
    return float(subprocess.run(["soxi", "-D", str(path)], capture_output=True, text=True, check=True).stdout)


def _spoken(text: str, voice: str, path: Path) -> None:
    raw = path.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-v", voice, "-s", "165", "-w", str(raw), text], check=True)
    # Trim espeak's own lead-in and tail so the part's times are the speech's.
    subprocess.run(
        ["sox", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(path),
         "silence", "1", "0.02", "0.5%", "reverse", "silence", "1", "0.02", "0.5%", "reverse"],
        check=True,
    )  # fmt: skip
    raw.unlink()


def _background(kind: str, seconds: float, path: Path) -> None:
    command = ["sox", "-n", "-r", str(RATE), "-c", "1", "-b", "16", str(path)]
    if kind == "silence":
        command += ["trim", "0", str(seconds)]
    else:  # whitenoise, pinknoise, brownnoise: a room's hiss or hum, well below the speech
        command += ["synth", str(seconds), kind, "vol", "0.03"]
    subprocess.run(command, check=True)


def make_recording(folder: Path, stem: str, plan: list[tuple[str, str | float]], voice: str = "pt-br") -> list[Part]:
    """`folder/stem.wav` from `plan`: ("say", text) or (background kind, seconds); the parts with their times."""
    pieces, parts, clock = [], [], 0.0
    work = folder / f".{stem}-parts"
    work.mkdir(parents=True, exist_ok=True)
    for index, (kind, what) in enumerate(plan):
        piece = work / f"{index}.wav"
        if kind == "say":
            _spoken(str(what), voice, piece)
        else:
            _background(kind, float(what), piece)
        length = _seconds(piece)
        parts.append(
            Part("speech" if kind == "say" else kind, clock, clock + length, str(what) if kind == "say" else "")
        )
        clock += length
        pieces.append(str(piece))
    subprocess.run(["sox", *pieces, str(folder / f"{stem}.wav")], check=True)
    shutil.rmtree(work)
    return parts


def encode(wav: Path, extension: str) -> Path:
    """The recording re-encoded beside it: mp3 and flac by sox, m4a (AAC) by PyAV."""
    out = wav.with_suffix(extension)
    if extension == ".m4a":
        _aac(wav, out)
    else:
        subprocess.run(["sox", str(wav), str(out)], check=True)
    return out


def _aac(wav: Path, out: Path) -> None:
    import av

    raw = subprocess.run(
        ["sox", str(wav), "-t", "raw", "-e", "float", "-b", "32", "-"], capture_output=True, check=True
    )
    samples = np.frombuffer(raw.stdout, dtype=np.float32)
    with av.open(str(out), mode="w", format="mp4") as container:
        stream = container.add_stream("aac", rate=RATE, layout="mono")
        step = 1024
        for start in range(0, len(samples), step):
            frame = av.AudioFrame.from_ndarray(samples[None, start : start + step].copy(), format="flt", layout="mono")
            frame.rate = RATE
            frame.pts = start
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
