"""Phrase matching on folded text (case, punctuation, spacing), in time linear in the text."""

from __future__ import annotations

import bisect
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import ahocorasick  # Aho-Corasick: every phrase found in one pass, whatever the number of phrases
import numpy as np

from arandu.domain.text import latin1_word_spans, normalized_words


def fold_words(words: Sequence[str]) -> str:
    """Normalised words joined by single spaces and padded with one, so phrases match on word boundaries.

    The words are the transcript's own `normalized_words` (lower case, punctuation removed, each
    Han or kana character a word), so folding costs one join and agrees with every other criterion.
    """
    return f" {' '.join(words)} "


def fold_phrase(phrase: str) -> str:
    """A phrase folded like a text: "Thanks for watching!" -> " thanks for watching "."""
    words = normalized_words(phrase)
    return fold_words(words) if words else ""


@lru_cache(maxsize=4096)  # called once per match, on the few phrases of the lists
def readable(folded: str) -> str:
    """A folded phrase as written in tags: spaces between Han or kana characters dropped again."""
    words = folded.split()
    out = words[0] if words else ""
    for previous, word in pairwise(words):
        joined = len(previous) == 1 == len(word) and not previous.isascii() and not word.isascii()
        out += word if joined else f" {word}"
    return out


@dataclass(frozen=True, slots=True)
class Match:
    phrase: str  # folded, without padding
    start: int  # in the folded text, without the padding spaces
    end: int


class PhraseMatcher:
    """Finds listed phrases in folded text; a hit inside a longer hit is dropped."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self._automaton = ahocorasick.Automaton()
        # Each phrase's words, filed under its longest word (likely its rarest): a text whose
        # vocabulary lacks a word of every phrase holds none of them, and most texts are
        # settled by looking up those few anchor words instead of scanning the text.
        self._by_anchor: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            key = fold_phrase(phrase)
            if key:
                self._automaton.add_word(key, key)
                words = tuple(dict.fromkeys(key.split()))
                self._by_anchor.setdefault(max(words, key=len), []).append(words)
        self._empty = len(self._automaton) == 0
        if not self._empty:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        return len(self._automaton)

    def may_occur_in(self, vocabulary: Collection[str]) -> bool:
        """False when no phrase can occur in a text with these (normalised) words: each lacks one."""
        anchors = self._by_anchor.keys() & vocabulary if len(vocabulary) > len(self._by_anchor) else vocabulary
        return any(
            all(word in vocabulary for word in words) for anchor in anchors for words in self._by_anchor.get(anchor, ())
        )

    def find(self, folded: str) -> list[Match]:
        """Matches in `folded`, left to right, none contained in another."""
        if self._empty:
            return []
        hits = []
        for end_index, key in self._automaton.iter(folded):
            # The key's padding spaces are the word boundaries, not part of the phrase.
            hits.append(Match(key[1:-1], end_index + 2 - len(key), end_index))
        hits.sort(key=lambda m: (m.start, m.start - m.end))
        kept: list[Match] = []
        reach = -1
        for hit in hits:
            if hit.end <= reach:
                continue
            kept.append(hit)
            reach = hit.end
        return kept


class SourceMap:
    """From positions in folded text (or word indices) back to the source text.

    Text all in Latin-1 is mapped in one vectorised pass (its words are its own characters, lower-cased).
    Other text is walked word by word, left to right, and only up to the furthest position asked
    for: evidence names the first few matches, so a long text is rarely walked to its end.
    """

    def __init__(self, text: str, words: Sequence[str]) -> None:
        self._text = text
        self._lowered: str | None = None  # for the walk, made on its first step
        self._words = words
        self._starts: list[int] = []  # each mapped word's start in the folded text
        self._begins: list[int] = []  # and its span in the source
        self._ends: list[int] = []
        self._folded_position, self._source_position = 1, 0

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The source span of the folded span [start, end)."""
        last_position = max(start, end - 1)
        self._walk_past(last_position)
        first = max(0, bisect.bisect_right(self._starts, start) - 1)
        last = max(0, bisect.bisect_right(self._starts, last_position) - 1)
        return self._begins[first], self._ends[last]

    def word_span(self, start: int, end: int) -> tuple[int, int]:
        """The source span of words [start, end) (of word `start` alone when the range is empty)."""
        last = max(start, end - 1)
        if last >= len(self._begins):
            self._walk(-1, last + 1)
        return self._begins[start], self._ends[last]

    def _walk_past(self, position: int) -> None:
        """Map words until one starts beyond `position` in the folded text (or none are left)."""
        if not self._starts or self._starts[-1] <= position:
            self._walk(position, 0)

    def _walk(self, position: int, count: int) -> None:
        """Map words until at least `count` are mapped and one starts beyond `position` in the folded text."""
        if not self._starts and self._map_latin1():
            return
        if self._lowered is None:
            self._lowered = self._text.lower()
        starts, begins, ends, words, lowered = self._starts, self._begins, self._ends, self._words, self._lowered
        folded_position, source_position = self._folded_position, self._source_position
        index = len(starts)
        while index < len(words) and (index < count or not starts or starts[-1] <= position):
            word = words[index]
            starts.append(folded_position)
            found = lowered.find(word, source_position)
            found = source_position if found < 0 else found  # lower() changed a length: stay close
            begins.append(found)
            source_position = found + len(word)
            ends.append(source_position)
            folded_position += len(word) + 1
            index += 1
        self._folded_position, self._source_position = folded_position, source_position

    def _map_latin1(self) -> bool:
        spans = latin1_word_spans(self._text, self._words)
        if spans is None or not self._words:
            return False
        begins, ends = spans
        # Word i starts at 1 + its predecessors' lengths + one space each in the folded text.
        starts = np.cumsum(ends - begins + 1)
        starts[1:], starts[0] = starts[:-1] + 1, 1
        self._starts, self._begins, self._ends = starts.tolist(), begins.tolist(), ends.tolist()
        return True
