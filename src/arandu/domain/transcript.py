"""The transcript being judged: text, duration and Whisper's segments."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from itertools import count
from operator import itemgetter
from typing import Any

import numpy as np
import numpy.typing as npt

from arandu.domain.text import normalized_words, word_count_of

_OPTIONAL_NUMBERS = ("avg_logprob", "no_speech_prob", "compression_ratio")
_COLUMNS = ("text", "start", "end", *_OPTIONAL_NUMBERS)


class InvalidTranscript(ValueError):
    """Input that cannot be read as a transcript; the message says which field and why."""


@dataclass(frozen=True, slots=True)
class Segment:
    """One Whisper segment; times are in seconds."""

    text: str
    start: float
    end: float
    avg_logprob: float | None = None
    no_speech_prob: float | None = None
    compression_ratio: float | None = None

    @classmethod
    def parse(cls, raw: object, where: str = "segment") -> Segment:
        """A segment from a mapping or an object with `text`, `start` and `end`; raises InvalidTranscript."""
        if isinstance(raw, Segment):
            return raw
        get = raw.get if isinstance(raw, Mapping) else (lambda name, default=None: getattr(raw, name, default))
        if not isinstance(raw, Mapping) and not hasattr(raw, "start"):
            raise InvalidTranscript(f"'{where}' must be an object with text, start and end (got {describe(raw)})")
        text = get("text", "")
        if text is None:
            text = ""
        elif not isinstance(text, str):
            raise InvalidTranscript(f"'{where}.text' must be a string (got {describe(text)})")
        start = number(get("start", None), f"{where}.start")
        end = number(get("end", None), f"{where}.end")
        extras = [optional_number(get(name, None), f"{where}.{name}") for name in _OPTIONAL_NUMBERS]
        return cls(text, start, end, *extras)


@dataclass(frozen=True, slots=True)
class SegmentColumns:
    """Segments stored column by column: what the criteria scan, without one object per segment."""

    text: tuple[str, ...] = ()
    start: tuple[float, ...] = ()
    end: tuple[float, ...] = ()
    avg_logprob: tuple[float | None, ...] = ()
    no_speech_prob: tuple[float | None, ...] = ()
    compression_ratio: tuple[float | None, ...] = ()

    def __len__(self) -> int:
        return len(self.start)

    @classmethod
    def of(cls, segments: Iterable[Segment]) -> SegmentColumns:
        rows = tuple(segments)
        return cls(*(tuple(getattr(s, name) for s in rows) for name in _COLUMNS)) if rows else cls()

    @classmethod
    def from_json(cls, raw: object) -> SegmentColumns:
        """Columns from a JSON list of segment objects; raises InvalidTranscript naming the first bad field.

        The common case (a list of well-typed dicts) is checked with C-level passes over
        whole columns; only a bad list is walked segment by segment, to name the culprit.
        """
        if not isinstance(raw, list):
            raise InvalidTranscript(f"'segments' must be a list (got {describe(raw)})")
        if not raw:
            return cls()
        if _types(raw) == {dict}:
            try:
                text = [s.get("text", "") for s in raw]
                start = [s["start"] for s in raw]
                end = [s["end"] for s in raw]
            except KeyError:
                pass
            else:
                optional = [[s.get(name) for s in raw] for name in _OPTIONAL_NUMBERS]
                if (
                    _types(text) <= {str}
                    and _all_finite(start, nullable=False)
                    and _all_finite(end, nullable=False)
                    and all(_all_finite(column, nullable=True) for column in optional)
                ):
                    return cls(tuple(text), tuple(map(float, start)), tuple(map(float, end)), *map(tuple, optional))
        return cls.of(Segment.parse(item, f"segments[{i}]") for i, item in enumerate(raw))


@dataclass(frozen=True, slots=True, eq=False)
class WordIds:
    """The normalised words as integers: `ids[i]` is the id of the i-th word, equal exactly when the
    words are; `vocabulary` maps each distinct word to its id, in order of first appearance, and
    `counts[id]` is how often it occurs."""

    vocabulary: dict[str, int]
    ids: npt.NDArray[np.int64]
    counts: npt.NDArray[np.int64]

    @classmethod
    def of(cls, words: list[str]) -> WordIds:
        # A dict that hands each unseen word the next number: ids, vocabulary and first-seen
        # order in one C-level pass over the words (a Counter plus a lookup would take two).
        vocabulary: defaultdict[str, int] = defaultdict(count().__next__)
        if len(words) > 1:
            # One C call looks every word up, cheaper than mapping the lookup over them.
            ids = np.array(itemgetter(*words)(vocabulary), dtype=np.int64)
        else:  # itemgetter of one key gives that value, not a tuple
            ids = np.fromiter(map(vocabulary.__getitem__, words), dtype=np.int64, count=len(words))
        vocabulary.default_factory = None
        return cls(vocabulary, ids, np.bincount(ids, minlength=len(vocabulary)).astype(np.int64, copy=False))

    def word(self, word_id: int) -> str:
        """The word with id `word_id`."""
        return next(word for word, i in self.vocabulary.items() if i == word_id)


@dataclass(frozen=True)
class Transcript:
    """What a criterion sees of a record. Word lists are computed once and shared by the criteria."""

    text: str
    duration_ms: float | None = None
    columns: SegmentColumns = field(default_factory=SegmentColumns)

    @classmethod
    def parse(cls, text: object, duration_ms: object = None, segments: Iterable[object] | None = None) -> Transcript:
        """Validate loose input (as read from JSON or given by a caller); raises InvalidTranscript."""
        if not isinstance(text, str):
            raise InvalidTranscript(f"'transcription_text' must be a string (got {describe(text)})")
        duration = optional_number(duration_ms, "duration_milliseconds")
        if segments is None:
            return cls(text, duration)
        if isinstance(segments, list):
            return cls(text, duration, SegmentColumns.from_json(segments))
        if isinstance(segments, (str, bytes, Mapping)) or not isinstance(segments, Iterable):
            raise InvalidTranscript(f"'segments' must be a list (got {describe(segments)})")
        parsed = [Segment.parse(raw, f"segments[{i}]") for i, raw in enumerate(segments)]
        return cls(text, duration, SegmentColumns.of(parsed))

    @cached_property
    def segments(self) -> tuple[Segment, ...]:
        """The segments as objects (built on first use; criteria scan `columns`)."""
        return tuple(Segment(*row) for row in zip(*(getattr(self.columns, n) for n in _COLUMNS), strict=True))

    @cached_property
    def stripped(self) -> str:
        return self.text.strip()

    @cached_property
    def utf8(self) -> bytes:
        return self.text.encode("utf-8")

    @cached_property
    def normalized_words(self) -> list[str]:
        """Lower-cased words without punctuation; what every criterion that counts words counts."""
        return normalized_words(self.text, self.utf8)

    @cached_property
    def word_ids(self) -> WordIds:
        """The normalised words as integer ids, with the vocabulary and each word's count."""
        return WordIds.of(self.normalized_words)

    @property
    def vocabulary(self) -> Mapping[str, int]:
        """Each distinct normalised word and its id, in order of first appearance."""
        return self.word_ids.vocabulary

    @cached_property
    def word_counts(self) -> Counter[str]:
        """How often each normalised word occurs."""
        words = self.word_ids
        return Counter(dict(zip(words.vocabulary, words.counts.tolist(), strict=True)))

    @cached_property
    def word_count(self) -> int:
        # Scripts written without spaces count the words their runs hold, not one per character.
        return word_count_of(self.text, self.normalized_words, self.utf8)


def _types(values: list[Any]) -> set[type]:
    return set(map(type, values))


def _all_finite(values: list[Any], *, nullable: bool) -> bool:
    kinds = _types(values)
    if kinds == {float}:  # the usual column: no filtering
        # A NaN or an infinity makes the sum one too, so a finite sum settles it in one C-level
        # pass; only a sum that overflowed is checked value by value.
        return math.isfinite(sum(values)) or all(map(math.isfinite, values))
    if nullable and type(None) in kinds:
        values = [v for v in values if v is not None]
        kinds.discard(type(None))
    if not kinds <= {int, float}:
        return False
    try:
        return all(map(math.isfinite, values))
    except OverflowError:  # an integer too large for a float; the slow path names it
        return False


def number(value: object, where: str) -> float:
    """A finite JSON number (not a boolean); raises InvalidTranscript naming `where`."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        if value is None:
            raise InvalidTranscript(f"'{where}' is required and must be a number")
        raise InvalidTranscript(f"'{where}' must be a number (got {describe(value)})")
    try:
        finite = math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        finite = False
    if not finite:
        shown = repr(value) if isinstance(value, float) else f"an integer of {len(str(abs(value)))} digits"
        raise InvalidTranscript(f"'{where}' must be a finite number (got {shown})")
    return float(value)


def optional_number(value: object, where: str) -> float | None:
    return None if value is None else number(value, where)


def describe(value: object) -> str:
    """How a JSON value looks to the person who wrote it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the string {value if len(value) <= 20 else value[:17] + '...'!r}"
    if isinstance(value, (list, tuple)):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__
