"""repetition: one word flooding the text, or a phrase looping, is Whisper stuck in its decoder."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from arandu.domain.evidence import Evidence
from arandu.domain.transcript import Transcript, WordIds
from arandu.domain.verdict import CriterionScore

Ints = npt.NDArray[np.int64]


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


# Codes stay below this before a multiplication by the vocabulary size, so int64 never overflows.
_CODE_LIMIT = 2**62


def _phrase_codes(ids: Ints, starts: Ints | None, size: int, vocabulary: int) -> Ints:
    """One integer per start, equal exactly when the `size` words from there are the same words.

    `starts` None means every start, 0 to len(ids) - size, read as slices of `ids`.
    """
    count = len(ids) - size + 1
    codes = ids[:count] if starts is None else ids[starts]
    # A code stays below vocabulary ** size: only past the limit can it need renumbering.
    may_overflow = vocabulary**size >= _CODE_LIMIT
    for k in range(1, size):
        if may_overflow and int(codes.max()) >= _CODE_LIMIT // vocabulary:
            codes = np.unique(codes, return_inverse=True)[1]  # the same equalities, in small numbers
        following = ids[k : k + count] if starts is None else ids[starts + k]
        codes = codes * vocabulary + following
    return codes


@dataclass(frozen=True, slots=True)
class _Loop:
    size: int
    phrase: tuple[str, ...]
    starts: Ints  # ascending
    covered: int  # words inside at least one occurrence (overlapping occurrences count once)


def _loops(words: list[str], word_ids: WordIds, sizes: Iterable[int], limit: int) -> list[_Loop]:
    """Every phrase of one of `sizes` words seen more than `limit` times.

    Each phrase becomes an integer code made of its words' ids, equal exactly when the
    phrases are, so numpy does the counting in C. Sorting the codes settles most texts
    (no code seen that often) without looking further. A longer phrase repeated that
    often repeats its prefix as often, and starts where the prefix does, so each longer
    size only looks at the starts of the shorter loops.
    """
    ids, vocabulary = word_ids.ids, len(word_ids.vocabulary)
    starts: Ints | None = None  # the first size looks at every start, as slices of the ids
    loops: list[_Loop] = []
    for size in sorted(sizes):
        if starts is not None:
            starts = starts[starts <= len(words) - size]
        if (len(words) - size + 1 if starts is None else len(starts)) <= limit:
            break
        codes = _phrase_codes(ids, starts, size, vocabulary)
        if limit:
            ordered = np.sort(codes)
            if not np.any(ordered[limit:] == ordered[:-limit]):
                break  # no code is seen more than `limit` times (the `limit`-th next one always differs)
        if starts is None:
            starts = np.arange(len(codes), dtype=np.int64)
        # Equal phrases side by side, each run's starts ascending (a stable sort keeps the text's order).
        order = np.argsort(codes, kind="stable")
        ordered, grouped = codes[order], starts[order]
        heads = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
        ends = np.concatenate((heads[1:], [len(ordered)]))
        looping = ends - heads > limit
        # An occurrence adds the words up to the next one's start, at most `size`; the last adds `size`.
        adds = np.concatenate((np.minimum(np.diff(grouped), size), [size]))
        adds[ends - 1] = size
        covered = np.add.reduceat(adds, heads)[looping]
        for head, end, words_covered in zip(
            heads[looping].tolist(), ends[looping].tolist(), covered.tolist(), strict=True
        ):
            first = int(grouped[head])
            loops.append(_Loop(size, tuple(words[first : first + size]), grouped[head:end], words_covered))
        starts = np.sort(grouped[np.repeat(looping, ends - heads)])
    return loops


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
        word_ids = transcript.word_ids
        findings = self._word_flood(word_ids, total) + self._phrase_loops(words, word_ids)
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

    def _word_flood(self, word_ids: WordIds, total: int) -> list[_Finding]:
        top = int(np.argmax(word_ids.counts))  # ids follow first appearance: the first seen of the most frequent
        count = int(word_ids.counts[top])
        ratio = count / total
        # In a short text one word is already a large share; a word seen once is not repeated.
        if count < 2 or ratio <= self.max_word_repetition_ratio:
            return []
        word = word_ids.word(top)
        return [
            _Finding(
                ratio,
                f"high_word_repetition:{word}:{count}",
                f"'{word}' is {count} of {total} words ({ratio:.0%})",
            )
        ]

    def _phrase_loops(self, words: list[str], word_ids: WordIds) -> list[_Finding]:
        total = len(words)
        flagged: list[tuple[float, int, int, str, Ints]] = []
        for loop in _loops(words, word_ids, self.phrase_sizes, self.max_phrase_repetition_count):
            flagged.append((loop.covered / total, loop.size, len(loop.starts), " ".join(loop.phrase), loop.starts))
        flagged.sort(key=lambda f: (-f[0], f[1], -f[2], f[3]))
        reported: list[_Finding] = []
        covered = np.zeros(total, dtype=bool)  # where a reported phrase's occurrences lie
        for coverage, size, count, text, starts in flagged:
            if np.count_nonzero(covered[starts]) * 2 >= count:
                continue  # mostly starts inside a loop already reported: the same loop through another window
            for k in range(size):
                covered[starts + k] = True
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
