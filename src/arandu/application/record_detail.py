"""What a reader sees of one record when opening it: text around its spans, segments, criteria; bounded."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from arandu.application.spans import Span, suspect_spans_of
from arandu.application.stored_verdict import StoredCriterion, StoredRecord

_CONTEXT = 160  # characters shown either side of a span
_LONG = 700  # a span longer than twice this is shown by its two ends
_HEAD = 400  # the text's beginning is always shown


@dataclass(frozen=True, slots=True)
class Limits:
    """How much of one record is kept: a report keeps little of many records, the review all of one."""

    text_chars: int = 5_000
    segments: int = 120
    segment_chars: int = 240
    rationale_chars: int = 1_200
    spans: int = 60


REPORT_LIMITS = Limits()
REVIEW_LIMITS = Limits(text_chars=400_000, segments=20_000, segment_chars=2_000, rationale_chars=8_000, spans=2_000)


@dataclass(frozen=True, slots=True)
class DetailSegment:
    index: int
    start: float | None
    end: float | None
    text: str


@dataclass(frozen=True, slots=True)
class RecordDetail:
    """One record's drill-down: `pieces` are (offset, text) excerpts of the transcript, in order."""

    key: str
    passed: bool | None
    rejected_at: str | None
    criteria: tuple[StoredCriterion, ...]
    text_length: int
    pieces: tuple[tuple[int, str], ...]
    segments: tuple[DetailSegment, ...]
    segment_count: int
    suspect_spans: tuple[Span, ...]
    audio_hint: str | None
    duration: float | None

    @property
    def spans(self) -> tuple[Span, ...]:
        """Every place to highlight: each criterion's evidence, then the suspect spans."""
        return tuple(span for c in self.criteria for span in c.spans) + self.suspect_spans

    @property
    def text_complete(self) -> bool:
        return sum(len(text) for _, text in self.pieces) == self.text_length


def record_detail(record: StoredRecord, limits: Limits = REPORT_LIMITS) -> RecordDetail:
    """The drill-down of `record`, holding at most what `limits` allow whatever the record's size."""
    document = record.document
    raw_segments = _raw_segments(document)
    text = record.text or "".join(text for _, _, text in raw_segments).strip()
    verdict = record.verdict
    criteria = tuple(_clipped(c, limits) for c in verdict.criteria) if verdict else ()
    suspects = suspect_spans_of(document.get("validation"))[: limits.spans]
    failing = [span for c in criteria if not c.passed for span in c.spans]
    others = [span for c in criteria if c.passed for span in c.spans]
    ordered = [*failing, *suspects, *others][: limits.spans]
    return RecordDetail(
        key=record.key,
        passed=verdict.passed if verdict else None,
        rejected_at=verdict.rejected_at if verdict else None,
        criteria=criteria,
        text_length=len(text),
        pieces=excerpt(text, ordered, limits.text_chars),
        segments=_kept_segments(raw_segments, ordered, limits),
        segment_count=len(raw_segments),
        suspect_spans=suspects,
        audio_hint=audio_hint(document),
        duration=_duration(document, raw_segments),
    )


def audio_hint(document: Mapping[str, Any]) -> str | None:
    """The record's `audio_path` when it is a string, else its `name` when it is a string."""
    for name in ("audio_path", "name"):
        value = document.get(name)
        if isinstance(value, str) and value.strip():
            return value
    return None


def excerpt(text: str, spans: Sequence[Span], cap: int) -> tuple[tuple[int, str], ...]:
    """The whole text if it fits in `cap`, else its head and the text around each span, in priority order."""
    if len(text) <= cap:
        return ((0, text),) if text else ()
    wanted = [(0, _HEAD)]
    for span in spans:
        if not span.has_chars:
            continue
        start, end = span.char_start or 0, span.char_end or 0
        if end - start > 2 * _LONG:
            wanted += [(start - _CONTEXT, start + _LONG), (end - _LONG // 2, end + _CONTEXT)]
        else:
            wanted.append((start - _CONTEXT, end + _CONTEXT))
    kept: list[tuple[int, int]] = []
    for start, end in wanted:
        start, end = max(0, start), min(len(text), end)
        room = cap - _covered(kept)
        if room <= 0:
            break
        if _covered([*kept, (start, end)]) - _covered(kept) > room:
            end = start + room  # the last window taken is cut to what is left of the budget
        kept.append((start, end))
    return tuple((start, text[start:end]) for start, end in _merged(kept))


def _merged(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        elif end > start:
            merged.append((start, end))
    return merged


def _covered(ranges: Iterable[tuple[int, int]]) -> int:
    return sum(end - start for start, end in _merged(ranges))


def _clipped(criterion: StoredCriterion, limits: Limits) -> StoredCriterion:
    rationale = criterion.rationale
    if len(rationale) > limits.rationale_chars:
        rationale = rationale[: limits.rationale_chars - 1] + "\u2026"
    return dataclasses.replace(criterion, rationale=rationale, spans=criterion.spans[: limits.spans])


def _raw_segments(document: Mapping[str, Any]) -> list[tuple[float | None, float | None, str]]:
    """(start, end, text) of each segment, in seconds: `segments`, or whisper.cpp's `transcription`."""
    segments = document.get("segments")
    if isinstance(segments, list):
        return [(_seconds(s.get("start")), _seconds(s.get("end")), _str(s.get("text"))) for s in _objects(segments)]
    cpp = document.get("transcription")
    if isinstance(cpp, list):
        out = []
        for item in _objects(cpp):
            offsets = item.get("offsets")
            offsets = offsets if isinstance(offsets, Mapping) else {}
            start, end = _seconds(offsets.get("from"), 0.001), _seconds(offsets.get("to"), 0.001)
            out.append((start, end, _str(item.get("text"))))
        return out
    return []


def _kept_segments(
    raw: list[tuple[float | None, float | None, str]], spans: Sequence[Span], limits: Limits
) -> tuple[DetailSegment, ...]:
    if len(raw) <= limits.segments:
        indices: Iterable[int] = range(len(raw))
    else:
        wanted = set(range(10))
        for span in spans:
            if span.first_segment is not None and span.last_segment is not None:
                first, last = span.first_segment, span.last_segment
                wanted.update(range(max(0, first - 2), min(last, first + 15) + 1))
                wanted.update(range(max(first, last - 4), last + 3))
        indices = sorted(i for i in wanted if i < len(raw))[: limits.segments]
    cap = limits.segment_chars
    return tuple(
        DetailSegment(i, raw[i][0], raw[i][1], raw[i][2] if len(raw[i][2]) <= cap else raw[i][2][: cap - 1] + "\u2026")
        for i in indices
    )


def _duration(document: Mapping[str, Any], raw: list[tuple[float | None, float | None, str]]) -> float | None:
    milliseconds = _seconds(document.get("duration_milliseconds"), 0.001)
    if milliseconds is not None:
        return milliseconds
    info = document.get("info")
    for holder in (document, info if isinstance(info, Mapping) else {}):
        seconds = _seconds(holder.get("duration"))
        if seconds is not None:
            return seconds
    ends = [end for _, end, _ in raw if end is not None]
    return max(ends) if ends else None


def _objects(items: list[Any]) -> Iterable[Mapping[str, Any]]:
    return (item if isinstance(item, Mapping) else {} for item in items)


def _seconds(value: object, scale: float = 1.0) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value == value:
        return float(value) * scale
    return None


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""
