"""Places in a transcript as a stored verdict names them (evidence, suspect spans), read defensively."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

EVIDENCE, SUSPECT = "evidence", "suspect"
_ITEMS_DESCRIBED = 4
_OTHER_CHARS = 120


@dataclass(frozen=True, slots=True)
class Span:
    """A character range and/or a range of segments (0-based, inclusive), with its times when known."""

    criterion: str
    kind: str = EVIDENCE
    char_start: int | None = None
    char_end: int | None = None
    first_segment: int | None = None
    last_segment: int | None = None
    start: float | None = None
    end: float | None = None
    reason: str = ""

    @property
    def has_chars(self) -> bool:
        return self.char_start is not None and self.char_end is not None and self.char_end > self.char_start

    def as_dict(self) -> dict[str, Any]:
        """The span as plain JSON values, leaving out what is unknown."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return {name: value for name, value in values.items() if value is not None and value != ""}


def spans_of(evidence: object, *, criterion: str, kind: str = EVIDENCE) -> tuple[Span, ...]:
    """The places a criterion's `evidence` (a list of places, one place, or an older shape) names."""
    items = evidence if isinstance(evidence, list) else [evidence]
    spans = (_span(item, criterion, kind) for item in items if isinstance(item, Mapping))
    return tuple(span for span in spans if span is not None)


def suspect_spans_of(validation: object) -> tuple[Span, ...]:
    """`validation.suspect_spans`: every place the judge located, each labelled by its criterion."""
    items = validation.get("suspect_spans") if isinstance(validation, Mapping) else None
    if not isinstance(items, list):
        return ()
    spans = (
        _span(item, str(item.get("criterion") or "suspect"), SUSPECT) for item in items if isinstance(item, Mapping)
    )
    return tuple(span for span in spans if span is not None)


def _span(item: Mapping[str, Any], criterion: str, kind: str) -> Span | None:
    char_start, char_end = _int(item.get("char_start")), _int(item.get("char_end"))
    first, last = _int(item.get("first_segment")), _int(item.get("last_segment"))
    chars, segments = _pair(item.get("chars")), _pair(item.get("segments"))  # an older shape: [from, to]
    if char_start is None and chars is not None:
        char_start, char_end = chars
    if first is None and segments is not None:
        first, last = segments
    if first is not None and last is None:
        last = first
    span = Span(
        criterion=criterion,
        kind=kind,
        char_start=char_start,
        char_end=char_end,
        first_segment=first,
        last_segment=last,
        start=_float(item.get("start")),
        end=_float(item.get("end")),
        reason=str(item.get("reason") or ""),
    )
    return span if span.has_chars or span.first_segment is not None or span.start is not None else None


def describe_span(span: Span) -> str:
    """'chars 0-1155', 'segments 3-9 (12-19.5 s)', or both, for people (with en dashes)."""
    parts = []
    if span.has_chars:
        parts.append(f"chars {span.char_start}\u2013{span.char_end}")
    if span.first_segment is not None:
        one = span.first_segment == span.last_segment
        first, last = span.first_segment, span.last_segment
        parts.append(f"segment {first}" if one else f"segments {first}\u2013{last}")
    if span.start is not None:
        times = f"{span.start:g}\u2013{span.end:g} s" if span.end is not None else f"from {span.start:g} s"
        parts.append(f"({times})" if parts else times)
    return " ".join(parts)


def describe_evidence(evidence: object) -> str | None:
    """A readable line for a criterion's `evidence`, whole places only (never cut inside one)."""
    if evidence is None or evidence in ({}, [], ""):
        return None
    items = evidence if isinstance(evidence, list) else [evidence]
    described = [_describe_item(item) for item in items]
    text = "; ".join(described[:_ITEMS_DESCRIBED])
    if len(described) > _ITEMS_DESCRIBED:
        text += f"; and {len(described) - _ITEMS_DESCRIBED} more"
    return text


def _describe_item(item: object) -> str:
    if isinstance(item, Mapping):
        span = _span(item, "", EVIDENCE)
        known = {"char_start", "char_end", "first_segment", "last_segment", "start", "end", "chars", "segments"}
        others = ", ".join(f"{k}={v}" for k, v in item.items() if k not in known and v is not None)
        text = " ".join(part for part in (describe_span(span) if span else "", others) if part)
    else:
        text = str(item)
    return text if len(text) <= _OTHER_CHARS else text[: _OTHER_CHARS - 1] + "\u2026"


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _float(value: object) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value == value:
        return float(value)
    return None


def _pair(value: object) -> tuple[int, int] | None:
    if isinstance(value, list) and len(value) == 2:
        first, second = _int(value[0]), _int(value[1])
        if first is not None and second is not None:
            return first, second
    return None
