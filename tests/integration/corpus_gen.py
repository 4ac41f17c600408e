"""A deterministic corpus of a few hundred Whisper-like records, for runs that are interrupted."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from tests.builders import clean_portuguese, distinct_words
from tests.integration.conftest import write_json

VOCABULARY = clean_portuguese().lower().replace(",", "").replace(".", "").replace(";", "").split() + distinct_words(300)


def make_record(rng: random.Random, index: int) -> dict[str, Any]:
    words = [rng.choice(VOCABULARY) for _ in range(rng.randint(300, 900))]
    if index % 9 == 0:
        words = words[:100] + ["obrigada"] * 300  # a repetition loop, rejected
    starts, t = [], 0.0
    for _ in range(rng.randint(30, 80)):
        starts.append(round(t, 2))
        t += rng.uniform(1.5, 7.0)
    per = max(1, len(words) // len(starts))
    segments = [
        {
            "id": i,
            "text": " ".join(words[i * per : (i + 1) * per]),
            "start": s,
            "end": round(s + 1.4, 2),
            "avg_logprob": round(rng.uniform(-1.0, 0.0), 4),
            "no_speech_prob": round(rng.random(), 4),
            "compression_ratio": round(rng.uniform(1.0, 3.0), 3),
        }
        for i, s in enumerate(starts)
    ]
    document: dict[str, Any] = {
        "file_id": f"gdrive-{index:05d}",
        "nome": f"Entrevista nº {index} — São João",
        "transcription_text": " ".join(words),
        "duration_milliseconds": int(t * 1000),
        "language_probability": 0.0,
        "segments": segments,
    }
    if index % 4 == 0:
        document["is_valid"] = None
    if index % 7 == 0:
        document["checksum"] = 2**72 + index  # beyond 64 bits: the other decoding path
    document["extra"] = {"tags": ["rio", "pesca", "memória"], "ordem": index}
    return document


def write_corpus(folder: Path, records: int, seed: int = 11) -> dict[str, bytes]:
    """Write `records` records (some in a subfolder); returns name -> the bytes written."""
    rng = random.Random(seed)
    written = {}
    for index in range(records):
        name = f"{'sub/' if index % 5 == 0 else ''}{index:04d}_transcription.json"
        written[name] = write_json(folder / name, make_record(rng, index))
    return written
