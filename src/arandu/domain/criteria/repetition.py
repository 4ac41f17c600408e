"""repetition: one word flooding the text, or a phrase looping, is Whisper stuck in its decoder."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from itertools import compress

import numpy as np

from arandu.domain.evidence import Evidence
from arandu.domain.transcript import Transcript
from arandu.domain.verdict import CriterionScore


@dataclass(frozen=True, slots=True)
class _Finding:
    ratio: float
    tag: str
    description: str
    words: tuple[str, ...] = ()  # a looping phrase, located as evidence; a flooding word is everywhere


def _where(text: str, findings: list[_Finding]) -> list[Evidence]:
    """The span from the first to the last occurrence of each finding's words in the text."""
    evidence = []
    for finding in findings:
        if not finding.words:
            continue
        pattern = re.compile(r"(?<!\w)" + r"\W+".join(map(re.escape, finding.words)) + r"(?!\w)", re.IGNORECASE)
        hits = [m.span() for m in pattern.finditer(text)]
        if hits:
            evidence.append(Evidence(char_start=hits[0][0], char_end=hits[-1][1]))
    return evidence


# An odd 64-bit multiplier (the golden ratio's fraction): each word's hash is spread over the phrase code.
_MIX = np.uint64(0x9E3779B97F4A7C15)


def _looping_phrases(words: list[str], size: int, limit: int) -> dict[tuple[str, ...], list[int]]:
    """Phrases of `size` words seen more than `limit` times, with their starts (ascending).

    Each phrase gets a 64-bit code from its words' hashes, and numpy sorts the codes: a text
    where no code is seen more than `limit` times (most texts) is settled without building
    a single phrase. Otherwise the phrases at the starts whose code is that frequent are
    counted exactly, so a collision of codes can cost time but never a wrong count.
    """
    starts = len(words) - size + 1
    if starts <= limit:
        return {}
    hashes = np.array(list(map(hash, words)), dtype=np.int64).view(np.uint64)
    codes = hashes[:starts].copy()
    for k in range(1, size):
        codes *= _MIX
        codes += hashes[k : k + starts]
    ordered = np.sort(codes)
    if limit and not np.any(ordered[limit:] == ordered[: starts - limit]):
        return {}
    _, inverse, counts = np.unique(codes, return_inverse=True, return_counts=True)
    candidates: list[int] = np.flatnonzero(counts[inverse] > limit).tolist()
    grams = [tuple(words[i : i + size]) for i in candidates]
    exact = Counter(grams)
    looping: dict[tuple[str, ...], list[int]] = {g: [] for g in compress(exact, map(limit.__lt__, exact.values()))}
    for i, gram in compress(zip(candidates, grams, strict=True), map(looping.__contains__, grams)):
        looping[gram].append(i)
    return looping


def _longer_loops(
    words: list[str], looping: dict[tuple[str, ...], list[int]], size: int, limit: int
) -> dict[tuple[str, ...], list[int]]:
    """The phrases of `size` words seen more than `limit` times, found from the shorter loops in `looping`.

    A longer phrase repeated that often repeats its prefix as often, and starts where the
    prefix does: so each loop's starts are split by the words that follow them, and no
    phrase is ever built for a start that is not already in a loop.
    """
    longer: dict[tuple[str, ...], list[int]] = {}
    for prefix, starts in looping.items():
        have = len(prefix)
        starts = starts[: bisect_right(starts, len(words) - size)]
        if len(starts) <= limit:
            continue
        follows: list[tuple[str, ...]]
        if size == have + 1:
            follows = list(zip(map(words.__getitem__, map(have.__add__, starts))))
        else:
            follows = [tuple(words[i + have : i + size]) for i in starts]
        for rest, count in Counter(follows).items():
            if count > limit:
                longer[prefix + rest] = list(compress(starts, map(rest.__eq__, follows)))
    return longer


def _coverage(starts: list[int], size: int, total: int) -> float:
    """Share of the words that lie inside at least one occurrence (overlaps counted once)."""
    covered, reach = 0, 0
    for start in starts:
        end = start + size
        covered += end - (start if start > reach else reach)
        reach = end
    return covered / total


@dataclass(frozen=True, slots=True)
class Repetition:
    """Score is 1 minus the worst repetition ratio found (word share or phrase coverage)."""

    max_word_repetition_ratio: float = 0.15
    max_phrase_repetition_count: int = 4
    phrase_sizes: tuple[int, ...] = (3, 4, 5)
    min_words: int = 5
    short_text_score: float = 0.7
    max_reported_phrases: int = 3
    threshold: float = 0.5
    name: str = "repetition"

    def evaluate(self, transcript: Transcript) -> CriterionScore:
        words = transcript.normalized_words
        total = len(words)
        if total < self.min_words:
            return CriterionScore.of(
                self.short_text_score,
                self.threshold,
                f"Only {total} words: too few to judge repetition.",
                ["very_short_transcription"],
            )
        findings = self._word_flood(transcript.word_counts, len(words)) + self._phrase_loops(words)
        if not findings:
            return CriterionScore.of(1.0, self.threshold, "No word or phrase repeats abnormally.")
        worst = max(f.ratio for f in findings)
        score = 1.0 - worst
        return CriterionScore.of(
            score,
            self.threshold,
            "; ".join(f.description for f in findings) + ".",
            [f.tag for f in findings],
            evidence=_where(transcript.text, findings) if score < self.threshold else None,
        )

    def _word_flood(self, counts: Counter[str], total: int) -> list[_Finding]:
        count = max(counts.values())
        ratio = count / total
        # In a short text one word is already a large share; a word seen once is not repeated.
        if count < 2 or ratio <= self.max_word_repetition_ratio:
            return []
        word = next(w for w, c in counts.items() if c == count)  # the first seen, as most_common(1) gives
        return [
            _Finding(
                ratio,
                f"high_word_repetition:{word}:{count}",
                f"'{word}' is {count} of {total} words ({ratio:.0%})",
            )
        ]

    def _phrase_loops(self, words: list[str]) -> list[_Finding]:
        limit = self.max_phrase_repetition_count
        flagged: list[tuple[float, int, int, str, list[int]]] = []
        looping: dict[tuple[str, ...], list[int]] = {}
        for size in sorted(self.phrase_sizes):
            looping = _longer_loops(words, looping, size, limit) if looping else _looping_phrases(words, size, limit)
            if not looping:
                break
            for phrase, positions in looping.items():
                coverage = _coverage(positions, size, len(words))
                flagged.append((coverage, size, len(positions), " ".join(phrase), positions))
        flagged.sort(key=lambda f: (-f[0], f[1], -f[2], f[3]))
        reported: list[_Finding] = []
        covered = bytearray(len(words))  # 1 where a reported phrase's occurrence lies
        for coverage, size, count, text, positions in flagged:
            if sum(map(covered.__getitem__, positions)) * 2 >= len(positions):
                continue  # mostly starts inside a loop already reported: the same loop through another window
            for start in positions:
                covered[start : start + size] = b"\x01" * size
            reported.append(
                _Finding(
                    coverage,
                    f"repeated_phrase:{text}:{count}",
                    f"'{text}' appears {count} times, covering {coverage:.0%} of the words",
                    tuple(text.split()),
                )
            )
            if len(reported) == self.max_reported_phrases:
                break
        return reported
