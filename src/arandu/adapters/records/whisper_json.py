"""Raw Whisper JSON (openai-whisper, faster-whisper, WhisperX, whisper.cpp), recognised by content."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from returns.result import Failure, Result, Success

from arandu.adapters.records.arandu_json import ParsedRecord, decode_json, parse_document, verdict_state
from arandu.domain.transcript import Segment, SegmentColumns, Transcript

# Fields only arandu records carry: a document with any of them is read as an arandu record.
ARANDU_FIELDS = ("transcription_text", "duration_milliseconds", "gdrive_id", "mimeType")


class _Unreadable(ValueError):
    """A field of a recognised format has the wrong shape."""


def parse_any_record(data: bytes) -> Result[ParsedRecord, str]:
    """An arandu record, else a raw Whisper output of a known tool; a Failure says why neither fits."""
    return decode_json(data).bind(lambda document: parse_any_document(document, data.endswith(b"\n")))


def parse_any_document(document: Any, trailing_newline: bool) -> Result[ParsedRecord, str]:
    """The decoded JSON of an arandu record or of a raw Whisper output."""
    if not isinstance(document, dict) or any(field in document for field in ARANDU_FIELDS):
        # arandu's own shape: a missing text is that record's fault, never a sign of another format.
        return parse_document(document, trailing_newline)
    tool = detect_format(document)
    if tool is None:
        return Failure(
            "missing required field 'transcription_text' "
            "(nor is it the JSON of openai-whisper, faster-whisper, WhisperX or whisper.cpp)"
        )
    try:
        transcript = _READERS[tool](document)
    except _Unreadable as exc:
        return Failure(f"{tool} output: {exc}")
    judged, awaiting_llm = verdict_state(document)
    return Success(ParsedRecord(document, transcript, judged, trailing_newline, awaiting_llm))


def detect_format(document: Mapping[str, Any]) -> str | None:
    """'whisper.cpp', 'faster-whisper', 'whisperx', 'openai-whisper', or None."""
    if isinstance(document.get("transcription"), list):
        return "whisper.cpp"
    if not isinstance(document.get("segments"), list):
        return None
    info = document.get("info")
    if (isinstance(info, Mapping) and "language_probability" in info) or "language_probability" in document:
        return "faster-whisper"
    if "word_segments" in document:
        return "whisperx"
    if isinstance(document.get("text"), str):
        return "openai-whisper"
    return None


def detected_language(document: Mapping[str, Any]) -> str | None:
    """The language the tool detected or was told, when the output says."""
    for holder in (document, document.get("info"), document.get("result"), document.get("params")):
        if isinstance(holder, Mapping) and isinstance(holder.get("language"), str):
            return str(holder["language"])
    return None


def _number(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _Unreadable(f"'{where}' must be a finite number (got {value!r:.40})")
    return float(value)


def _optional(value: object, where: str) -> float | None:
    return None if value is None else _number(value, where)


def _text(value: object, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _Unreadable(f"'{where}' must be a string (got {type(value).__name__})")
    return value


def _segments(raw: object, where: str, scale: float = 1.0) -> tuple[Segment, ...]:
    if not isinstance(raw, list):
        raise _Unreadable(f"'{where}' must be a list")
    segments = []
    for i, item in enumerate(raw):
        at = f"{where}[{i}]"
        if not isinstance(item, Mapping):
            raise _Unreadable(f"'{at}' must be an object")
        segments.append(
            Segment(
                text=_text(item.get("text"), f"{at}.text"),
                start=_number(item.get("start"), f"{at}.start") * scale,
                end=_number(item.get("end"), f"{at}.end") * scale,
                avg_logprob=_optional(item.get("avg_logprob"), f"{at}.avg_logprob"),
                no_speech_prob=_optional(item.get("no_speech_prob"), f"{at}.no_speech_prob"),
                compression_ratio=_optional(item.get("compression_ratio"), f"{at}.compression_ratio"),
            )
        )
    return tuple(segments)


def _duration_ms(seconds: object, segments: tuple[Segment, ...], where: str) -> float | None:
    """The duration the output states, else the end of its last segment."""
    if seconds is not None:
        return _number(seconds, where) * 1000
    return max(s.end for s in segments) * 1000 if segments else None


def _joined(segments: tuple[Segment, ...]) -> str:
    return "".join(s.text for s in segments).strip()


def _openai_whisper(document: Mapping[str, Any]) -> Transcript:
    """Also WhisperX, whose segments carry no confidence fields and whose text is only in them."""
    segments = _segments(document["segments"], "segments")
    text = _text(document.get("text"), "text") or _joined(segments)
    duration = _duration_ms(document.get("duration"), segments, "duration")
    return Transcript(text, duration, SegmentColumns.of(segments))


def _faster_whisper(document: Mapping[str, Any]) -> Transcript:
    segments = _segments(document["segments"], "segments")
    info = document.get("info")
    where = "info.duration" if isinstance(info, Mapping) else "duration"
    info = info if isinstance(info, Mapping) else document
    text = _text(document.get("text"), "text") or _joined(segments)
    return Transcript(text, _duration_ms(info.get("duration"), segments, where), SegmentColumns.of(segments))


def _whisper_cpp(document: Mapping[str, Any]) -> Transcript:
    items = []
    for i, item in enumerate(document["transcription"]):
        at = f"transcription[{i}]"
        offsets = item.get("offsets") if isinstance(item, Mapping) else None
        if not isinstance(offsets, Mapping):
            raise _Unreadable(f"'{at}.offsets' must be an object with 'from' and 'to' in milliseconds")
        items.append({"text": item.get("text"), "start": offsets.get("from"), "end": offsets.get("to")})
    segments = _segments(items, "transcription", scale=0.001)
    return Transcript(_joined(segments), _duration_ms(None, segments, ""), SegmentColumns.of(segments))


_READERS: dict[str, Callable[[Mapping[str, Any]], Transcript]] = {
    "whisper.cpp": _whisper_cpp,
    "faster-whisper": _faster_whisper,
    "whisperx": _openai_whisper,
    "openai-whisper": _openai_whisper,
}
