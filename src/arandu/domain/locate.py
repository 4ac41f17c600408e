"""From what a criterion found (words, characters, segments) to a suspect span with all its coordinates."""

from __future__ import annotations

import bisect
from functools import cached_property

from arandu.domain.evidence import Evidence, segment_char_starts
from arandu.domain.phrases import SourceMap
from arandu.domain.transcript import Transcript
from arandu.domain.verdict import SuspectSpan


class Locator:
    """Places in one transcript, worked out only when a criterion has something to locate."""

    def __init__(self, transcript: Transcript) -> None:
        self._transcript = transcript

    @cached_property
    def _source(self) -> SourceMap:
        return SourceMap(self._transcript.text, self._transcript.normalized_words)

    @cached_property
    def _segment_starts(self) -> list[tuple[int, int]]:
        """(character start, segment index) of each segment found in the text, by position."""
        found = segment_char_starts(self._transcript.text, self._transcript.columns.text)
        return [(start, index) for index, start in enumerate(found) if start is not None]

    def words(self, start: int, end: int) -> tuple[int, int]:
        """The character span of words [start, end) in the transcript text."""
        return self._source.word_span(start, end)

    def folded(self, start: int, end: int) -> tuple[int, int]:
        """The character span of the folded-text span [start, end)."""
        return self._source.span(start, end)

    def segment_at(self, char: int) -> int | None:
        """The index of the segment holding character `char`, or None without segments."""
        starts = self._segment_starts
        place = bisect.bisect_right(starts, (char, len(self._transcript.columns))) - 1
        return starts[place][1] if place >= 0 else (starts[0][1] if starts else None)

    def span(self, char_start: int, char_end: int, criterion: str, reason: str) -> SuspectSpan:
        """A span over characters [char_start, char_end), with its segments and times when there are segments."""
        first = self.segment_at(char_start)
        last = self.segment_at(max(char_start, char_end - 1))
        if first is None or last is None:
            return SuspectSpan(char_start=char_start, char_end=char_end, criterion=criterion, reason=reason)
        columns = self._transcript.columns
        return SuspectSpan(
            first_segment=first,
            last_segment=last,
            start=columns.start[first],
            end=columns.end[last],
            char_start=char_start,
            char_end=char_end,
            criterion=criterion,
            reason=reason,
        )

    def segments(self, first: int, last: int, criterion: str, reason: str) -> SuspectSpan:
        """A span over segments first..last (inclusive), with their characters when found in the text."""
        columns = self._transcript.columns
        starts = dict((index, start) for start, index in self._segment_starts)
        char_start = starts.get(first)
        char_end = starts.get(last)
        return SuspectSpan(
            first_segment=first,
            last_segment=last,
            start=columns.start[first],
            end=columns.end[last],
            char_start=char_start,
            char_end=None if char_end is None else char_end + len(columns.text[last].strip()),
            criterion=criterion,
            reason=reason,
        )


def as_evidence(span: SuspectSpan) -> Evidence:
    """The place of a span alone, as a failing criterion's evidence."""
    return Evidence(
        first_segment=span.first_segment,
        last_segment=span.last_segment,
        start=span.start,
        end=span.end,
        char_start=span.char_start,
        char_end=span.char_end,
    )
