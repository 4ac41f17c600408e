"""Phrase matching on folded text (case, punctuation, spacing), in time linear in the text."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick  # Aho-Corasick: every phrase found in one pass, whatever the number of phrases

_TOKEN = re.compile(r"[^\W_]+")
_UNSPACED_CLASS = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]"
_UNSPACED_CHAR = re.compile(_UNSPACED_CLASS)
_UNSPACED_GAP = re.compile(f"(?<={_UNSPACED_CLASS}) (?={_UNSPACED_CLASS})")


@dataclass(frozen=True, slots=True)
class Folded:
    """Text folded for matching: lower case, words separated by one space, padded with spaces.

    Separators between two characters of scripts written without spaces are dropped, so
    "谢谢 观看" and "谢谢观看" fold alike. The way back to the source is only worked out
    when a match must be located, which is rare.
    """

    text: str
    source: str

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the source text that the folded span [start, end) came from."""
        folded_starts, origins = _token_map(self.source)
        first = max(0, bisect.bisect_right(folded_starts, start) - 1)
        last = max(0, bisect.bisect_right(folded_starts, max(start, end - 1)) - 1)
        return origins[first][0], origins[last][1]


def fold(text: str) -> Folded:
    """Fold `text` for matching, in C-level passes linear in its length."""
    folded = " ".join(_TOKEN.findall(text.lower()))
    if not folded.isascii() and _UNSPACED_CHAR.search(folded):
        folded = _UNSPACED_GAP.sub("", folded)
    return Folded(f" {folded} ", text)


def _token_map(source: str) -> tuple[list[int], list[tuple[int, int]]]:
    """Folded start and source span of every token, following the same rules as `fold`."""
    folded_starts: list[int] = []
    origins: list[tuple[int, int]] = []
    length = 1
    previous = ""
    for match in _TOKEN.finditer(source.lower()):
        token = match.group(0)
        if previous and not (_UNSPACED_CHAR.match(previous[-1]) and _UNSPACED_CHAR.match(token[0])):
            length += 1
        folded_starts.append(length)
        origins.append((match.start(), match.end()))
        length += len(token)
        previous = token
    return folded_starts, origins


def fold_phrase(phrase: str) -> str:
    """A phrase as it must appear in folded text, padded with a space where it ends in a spaced script."""
    core = fold(phrase).text.strip()
    if not core:
        return ""
    left = "" if _UNSPACED_CHAR.match(core[0]) else " "
    right = "" if _UNSPACED_CHAR.match(core[-1]) else " "
    return f"{left}{core}{right}"


@dataclass(frozen=True, slots=True)
class Match:
    phrase: str  # folded, without padding
    start: int  # in the folded text, without padding
    end: int


class PhraseMatcher:
    """Finds listed phrases in folded text; overlapping hits of a longer phrase absorb shorter ones."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self._automaton = ahocorasick.Automaton()
        for phrase in phrases:
            key = fold_phrase(phrase)
            if key.strip():
                self._automaton.add_word(key, key)
        self._empty = len(self._automaton) == 0
        if not self._empty:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        return len(self._automaton)

    def find(self, folded: str) -> list[Match]:
        """Matches in `folded`, left to right, none contained in another."""
        if self._empty:
            return []
        hits: list[Match] = []
        for end_index, key in self._automaton.iter(folded):
            end = end_index + 1
            start = end - len(key)
            # Padding spaces belong to the boundary, not to the phrase.
            core_start = start + (len(key) - len(key.lstrip(" ")))
            core_end = end - (len(key) - len(key.rstrip(" ")))
            hits.append(Match(key.strip(), core_start, core_end))
        hits.sort(key=lambda m: (m.start, -(m.end - m.start)))
        kept: list[Match] = []
        reach = -1
        for hit in hits:
            if hit.end <= reach:
                continue  # inside a longer phrase already kept
            kept.append(hit)
            reach = max(reach, hit.end)
        return kept
