"""Records for tests and benchmarks: plain Portuguese that passes the heuristic stage, and variants that do not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.samples import ENGLISH, OUTRO, SENTENCES, portuguese_text

__all__ = ["ENGLISH", "OUTRO", "SENTENCES", "clean_corpus", "portuguese_text", "record", "write_record"]


def record(text: str, *, duration_ms: int | None = None, **extra: Any) -> dict[str, Any]:
    """A record as the transcription step writes it; the duration keeps about 120 words per minute."""
    words = len(text.split())
    return {
        "file_id": extra.pop("file_id", "abc"),
        "transcription_text": text,
        "duration_milliseconds": duration_ms if duration_ms is not None else int(words / 120 * 60_000),
        "segments": None,
        "language": "pt",
        **extra,
        "validation": None,
        "is_valid": None,
    }


def write_record(folder: Path, name: str, data: dict[str, Any]) -> Path:
    path = folder / f"{name}_transcription.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def clean_corpus(folder: Path, count: int, *, start: int = 0) -> list[Path]:
    """`count` records that pass the heuristic stage and the fake model's criteria."""
    folder.mkdir(parents=True, exist_ok=True)
    return [write_record(folder, f"rec{i:05d}", record(portuguese_text(i))) for i in range(start, start + count)]
