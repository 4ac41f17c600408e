"""A record with its suspect spans cut out of its text and its segments, and a note of every cut."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from arandu.domain.evidence import segment_char_starts

# Where each supported format keeps its text and its segments (whisper.cpp: segments only).
_TEXT_FIELDS = ("transcription_text", "text")
_SEGMENT_FIELDS = ("segments", "transcription")
NOTE_FIELD = "arandu_export"


@dataclass(frozen=True, slots=True)
class Cut:
    """The record after the cut: its new JSON object, and how much text is left."""

    document: dict[str, Any]
    removed: int
    text_left: int


def suspect_spans(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """`validation.suspect_spans`, keeping only the items that are objects (read defensively)."""
    validation = document.get("validation")
    spans = validation.get("suspect_spans") if isinstance(validation, Mapping) else None
    return [span for span in spans if isinstance(span, Mapping)] if isinstance(spans, list) else []


def cut_suspects(document: Mapping[str, Any], spans: Sequence[Mapping[str, Any]]) -> Cut:
    """The document without the text and the segments the spans name.

    A span's character range and its segment range are both honoured: a segment
    named by a span loses its text too, and a segment whose whole text lies in a
    cut range is dropped. The note (under `arandu_export`) lists each span with the
    text that was cut, so the matching audio can be cut the same way.
    """
    text_field = next((f for f in _TEXT_FIELDS if isinstance(document.get(f), str)), None)
    segment_field = next((f for f in _SEGMENT_FIELDS if isinstance(document.get(f), list)), None)
    text: str = document[text_field] if text_field else ""
    segments: list[Any] = list(document[segment_field]) if segment_field else []
    extents = _segment_extents(text, segments)
    ranges: list[tuple[int, int]] = []
    dropped: set[int] = set()
    notes = []
    for span in spans:
        chars = _char_range(span, len(text))
        first, last = _segment_range(span, len(segments))
        if first is not None and last is not None:
            dropped.update(range(first, last + 1))
            ranges += [extents[i] for i in range(first, last + 1) if extents[i] is not None]  # type: ignore[misc]
        if chars is not None:
            ranges.append(chars)
        note = {key: span[key] for key in ("criterion", "reason", "first_segment", "last_segment", "start", "end",
                                            "char_start", "char_end") if key in span}  # fmt: skip
        if chars is not None:
            note["text"] = text[chars[0] : chars[1]]
        notes.append(note)
    merged = _merge(ranges)
    dropped.update(i for i, extent in enumerate(extents) if extent is not None and _inside(extent, merged))
    result = dict(document)
    if text_field:
        result[text_field] = _without(text, merged)
    if segment_field:
        result[segment_field] = [s for i, s in enumerate(segments) if i not in dropped]
    left = (
        len(result[text_field])
        if text_field
        else sum(len(_segment_text(s)) for s in result.get(segment_field or "", []))
    )
    result[NOTE_FIELD] = {
        "mode": "cut-suspects",
        "removed_spans": notes,
        "removed_characters": sum(b - a for a, b in merged),
        "removed_segments": sorted(dropped),
    }
    return Cut(result, len(notes), left)


def _segment_text(segment: object) -> str:
    text = segment.get("text") if isinstance(segment, Mapping) else None
    return text if isinstance(text, str) else ""


def _segment_extents(text: str, segments: list[Any]) -> list[tuple[int, int] | None]:
    texts = [_segment_text(s) for s in segments]
    starts = segment_char_starts(text, texts) if text else [None] * len(texts)
    return [None if start is None else (start, start + len(t.strip())) for start, t in zip(starts, texts, strict=True)]


def _integer(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _char_range(span: Mapping[str, Any], length: int) -> tuple[int, int] | None:
    start, end = _integer(span.get("char_start")), _integer(span.get("char_end"))
    if start is None or end is None:
        return None
    start, end = max(0, start), min(length, end)
    return (start, end) if start < end else None


def _segment_range(span: Mapping[str, Any], count: int) -> tuple[int | None, int | None]:
    first, last = _integer(span.get("first_segment")), _integer(span.get("last_segment"))
    if first is None or count == 0:
        return None, None
    last = first if last is None else last
    first, last = max(0, first), min(count - 1, last)
    return (first, last) if first <= last else (None, None)


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _inside(extent: tuple[int, int], ranges: list[tuple[int, int]]) -> bool:
    return any(start <= extent[0] and extent[1] <= end for start, end in ranges)


def _without(text: str, ranges: list[tuple[int, int]]) -> str:
    """The text outside the ranges; pieces are joined by one space where a cut left none."""
    pieces, position = [], 0
    for start, end in ranges:
        pieces.append(text[position:start])
        position = end
    pieces.append(text[position:])
    kept = [piece.strip() for piece in pieces]
    return " ".join(piece for piece in kept if piece)
