"""A Whisper tool's in-memory result, as the JSON document its own command would have written."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

_SEGMENT_FIELDS = ("text", "start", "end", "avg_logprob", "no_speech_prob", "compression_ratio")


class UnknownResult(TypeError):
    """Not a result of a Whisper tool this program reads (nor an arandu record)."""


def result_document(result: object) -> dict[str, Any]:
    """openai-whisper's and WhisperX's result dicts, an arandu record dict, or faster-whisper's
    `(segments, info)` pair, as a JSON object the record readers recognise.

    Segments may be dicts or objects (faster-whisper's are named tuples); numbers of numpy
    types become floats. faster-whisper's segments may be a generator: it is consumed here.
    """
    if isinstance(result, tuple) and len(result) == 2 and not isinstance(result[0], (str, Mapping)):
        segments, info = result
        return {
            "segments": _segments(segments),
            "info": {
                "duration": _number(getattr(info, "duration", None)),
                "language": getattr(info, "language", None),
                # The field by which a faster-whisper output is recognised.
                "language_probability": _number(getattr(info, "language_probability", None)),
            },
        }
    if not isinstance(result, Mapping):
        kind = type(result).__name__
        raise UnknownResult(f"expected a Whisper result (a dict, or faster-whisper's (segments, info)), got {kind}")
    document = dict(result)
    raw = document.get("segments")
    if isinstance(raw, Iterable) and not isinstance(raw, (str, bytes, Mapping, list)):
        raw = list(raw)
    if isinstance(raw, list):
        document["segments"] = _segments(raw)
        if "transcription_text" not in document and not isinstance(document.get("text"), str):
            # WhisperX's transcribe() result holds its text only in segments (word_segments come with align()).
            document.setdefault("word_segments", [])
    return document


def _segments(segments: Iterable[object]) -> list[object]:
    return [_segment(segment) for segment in segments]


def _segment(segment: object) -> object:
    if isinstance(segment, Mapping):
        found = {name: segment[name] for name in _SEGMENT_FIELDS if name in segment}
    elif hasattr(segment, "start"):
        found = {name: getattr(segment, name) for name in _SEGMENT_FIELDS if hasattr(segment, name)}
    else:
        return segment  # left for the reader to name as malformed
    return {name: value if name == "text" else _number(value) for name, value in found.items()}


def _number(value: object) -> object:
    """numpy's float32 and int64 are not Python numbers; their value is."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return float(value) if hasattr(value, "__float__") else value
