"""Real recordings made on the spot: speech spoken by espeak-ng, silence and noise made by sox, encoded to
wav, flac, mp3, ogg (sox) and m4a/AAC, raw AAC and opus (PyAV's own encoders), with the time of each part
known."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


# A talk in three sentences with silence and noise between, and a sentence never said.
SAID = [
    "Bom dia a todos. Hoje vamos falar sobre a história da cidade e das pessoas que moram aqui.",
    "Depois do almoço a gente volta para a praça e conversa com os vizinhos sobre a feira.",
    "Naquele tempo não tinha estrada, era tudo de barco, e a escola ficava do outro lado da lagoa.",
]
INVENTED = "A professora chegou de canoa pela manhã e trouxe os livros novos da biblioteca municipal."
PLAN: list[tuple[str, str | float]] = [
    ("silence", 2.0),
    ("say", SAID[0]),
    ("pinknoise", 5.0),
    ("say", SAID[1]),
    ("brownnoise", 4.0),
    ("say", SAID[2]),
    ("silence", 9.0),
]


def segment(text: str, start: float, end: float) -> dict[str, Any]:
    return {"text": " " + text, "start": round(start, 2), "end": round(end, 2)}


def record(segments: list[dict[str, Any]], parts: list[Part], **fields: Any) -> dict[str, Any]:
    """An arandu record of `segments` over the recording made of `parts`, with any other `fields`."""
    return {
        **fields,
        "transcription_text": "".join(s["text"] for s in segments),
        "duration_milliseconds": round(parts[-1].end * 1000),
        "segments": segments,
    }


def honest(parts: list[Part]) -> list[dict[str, Any]]:
    """One segment per sentence said, at its time."""
    return [segment(p.text, p.start, p.end) for p in parts if p.kind == "speech"]


def with_outro(parts: list[Part]) -> list[dict[str, Any]]:
    """The honest segments and an invented sentence over the closing silence, from 1 s into it to 7 s."""
    return [*honest(parts), segment(INVENTED, parts[-1].start + 1.0, parts[-1].start + 7.0)]


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


# What PyAV encodes that sox cannot write: (container format, codec, sample rate, samples a frame).
_PYAV = {
    ".m4a": ("mp4", "aac", RATE, 1024),
    ".aac": ("adts", "aac", RATE, 1024),
    ".opus": ("ogg", "libopus", 48_000, 960),
}


def encode(wav: Path, extension: str) -> Path:
    """The recording re-encoded beside it: mp3, flac and ogg (Vorbis) by sox; m4a and aac (AAC) and opus by PyAV."""
    out = wav.with_suffix(extension)
    if extension in _PYAV:
        _pyav(wav, out, *_PYAV[extension])
    else:
        subprocess.run(["sox", str(wav), str(out)], check=True)
    return out


def _pyav(wav: Path, out: Path, container_format: str, codec: str, rate: int, step: int) -> None:
    import av

    raw = subprocess.run(
        ["sox", str(wav), "-t", "raw", "-e", "float", "-b", "32", "-r", str(rate), "-"], capture_output=True, check=True
    )
    samples = np.frombuffer(raw.stdout, dtype=np.float32)
    with av.open(str(out), mode="w", format=container_format) as container:
        stream = container.add_stream(codec, rate=rate, layout="mono")
        for start in range(0, len(samples), step):
            chunk = np.zeros(step, dtype=np.float32)
            piece = samples[start : start + step]
            chunk[: len(piece)] = piece
            frame = av.AudioFrame.from_ndarray(chunk[None, :], format="flt", layout="mono")
            frame.rate = rate
            frame.pts = start
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
