"""Where a criterion's evidence lies, so a reviewer can jump to it."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pydantic import BaseModel, ConfigDict, Field


def absent(value: object) -> bool:
    """What a verdict leaves out of its JSON: a part with nothing to say (exclude_if of a field)."""
    return value is None


class Evidence(BaseModel):
    """A place in a transcript: a range of segments (with its start time) and/or a character span.

    Only the fields that are known are written, so a verdict stays short.
    """

    model_config = ConfigDict(frozen=True)

    first_segment: int | None = Field(default=None, exclude_if=absent)
    last_segment: int | None = Field(default=None, exclude_if=absent)
    start: float | None = Field(default=None, exclude_if=absent)
    end: float | None = Field(default=None, exclude_if=absent)
    char_start: int | None = Field(default=None, exclude_if=absent)
    char_end: int | None = Field(default=None, exclude_if=absent)


def char_span_of(text: str, predicate: Callable[[str], bool]) -> tuple[int, int] | None:
    """The span from the first to the last character satisfying `predicate`, or None."""
    first = next((i for i, char in enumerate(text) if predicate(char)), None)
    if first is None:
        return None
    last = next(i for i in range(len(text) - 1, first - 1, -1) if predicate(text[i]))
    return first, last + 1


def index_ranges(indices: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted indices folded into inclusive (first, last) runs: [1, 2, 3, 7] -> [(1, 3), (7, 7)]."""
    ranges: list[tuple[int, int]] = []
    for index in sorted(indices):
        if ranges and index == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], index)
        else:
            ranges.append((index, index))
    return ranges


def format_ranges(ranges: list[tuple[int, int]]) -> str:
    """'1-3,7' for [(1, 3), (7, 7)]."""
    return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in ranges)


def segment_char_starts(text: str, segment_texts: Iterable[str]) -> list[int | None]:
    """Where each segment's text starts in the transcript text, found left to right; None if not found."""
    starts: list[int | None] = []
    position = 0
    for segment_text in segment_texts:
        needle = segment_text.strip()
        found = text.find(needle, position) if needle else -1
        if found < 0:
            starts.append(None)
            continue
        starts.append(found)
        position = found + len(needle)
    return starts
