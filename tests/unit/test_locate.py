"""Locating suspect spans: words and folded positions back to the source text, characters to segments and times."""

from __future__ import annotations

import random

from arandu.domain.evidence import segment_char_starts
from arandu.domain.locate import Locator
from arandu.domain.phrases import SourceMap
from arandu.domain.text import latin1_word_spans, normalized_words
from arandu.domain.transcript import Segment, SegmentColumns, Transcript

# Every Latin-1 character, punctuation marks Whisper writes, and letters whose lower case changes length
# or depends on context (Turkish dotted I, Greek final sigma), Han, kana and Cyrillic.
_LATIN1 = "".join(map(chr, range(32, 256))) + "\t\n"
_OTHER = "\u201c\u201d\u2019\u2014\u2026\u00bf\u0130\u03a3\u03c3\u65e5\u672c\u3002\u3001\u3067\u0416\u0436"


def plain_word_spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """The plain rule: each word is looked for in the lower-cased text from where the previous one ended
    (left where it is when lower-casing changed a length and it is not found)."""
    lowered, position, spans = text.lower(), 0, []
    for word in words:
        found = lowered.find(word, position)
        found = position if found < 0 else found
        spans.append((found, found + len(word)))
        position = found + len(word)
    return spans


def random_text(rng: random.Random, alphabet: str) -> str:
    pieces = []
    for _ in range(rng.randint(1, 40)):
        pieces.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6))))
        pieces.append(rng.choice([" ", "  ", ", ", ". ", "\n", "—", "", "..."]))
    return "".join(pieces)


def test_word_spans_are_where_the_plain_search_finds_each_word() -> None:
    rng = random.Random(2)
    for trial in range(600):
        alphabet = _LATIN1 if trial % 2 else _LATIN1 + _OTHER
        text = random_text(rng, alphabet)
        words = normalized_words(text)
        if not words:
            continue
        expected = plain_word_spans(text, words)
        source = SourceMap(text, words)
        # Asked in a random order, each span is the same.
        for index in rng.sample(range(len(words)), len(words)):
            assert source.word_span(index, index + 1) == expected[index], (text, index)
        first, last = sorted(rng.sample(range(len(words)), 2)) if len(words) > 1 else (0, 0)
        assert source.word_span(first, last + 1) == (expected[first][0], expected[last][1])


def test_latin1_words_map_onto_their_own_letters() -> None:
    rng = random.Random(4)
    for _ in range(300):
        text = random_text(rng, _LATIN1)
        words = normalized_words(text)
        source = SourceMap(text, words)
        for index, word in enumerate(words):
            start, end = source.word_span(index, index + 1)
            assert text[start:end].lower() == word


def test_folded_positions_map_to_the_words_they_fall_in() -> None:
    """A folded span [a, b) maps from the start of the word holding a to the end of the word holding b - 1."""
    rng = random.Random(6)
    for trial in range(300):
        text = random_text(rng, _LATIN1 if trial % 2 else _LATIN1 + _OTHER)
        words = normalized_words(text)
        if not words:
            continue
        expected = plain_word_spans(text, words)
        folded = f" {' '.join(words)} "
        owner = []  # the word each folded position belongs to (a space belongs to the word before it)
        for index, word in enumerate(words):
            owner.extend([index] * (len(word) + 1))
        source = SourceMap(text, words)
        for _ in range(10):
            a = rng.randrange(1, len(folded) - 1)
            b = rng.randrange(a + 1, len(folded))
            assert source.span(a, b) == (expected[owner[a - 1]][0], expected[owner[max(a, b - 1) - 1]][1])


def test_latin1_spans_are_the_plain_search_over_every_latin1_character() -> None:
    """All 256 characters, the controls str.split() splits on among them; words other than the text's
    own, or a character beyond Latin-1, leave the vectorised pass (None) to the walk."""
    every = "".join(map(chr, range(256)))
    rng = random.Random(12)
    for _ in range(400):
        text = "".join(rng.choice(every + " " * 40) for _ in range(rng.randint(0, 80)))
        words = normalized_words(text)
        spans = latin1_word_spans(text, words)
        assert spans is not None
        assert list(zip(spans[0].tolist(), spans[1].tolist(), strict=True)) == plain_word_spans(text, words), text
        if words:
            assert latin1_word_spans(text, [*words[:-1], words[-1] + "x"]) is None
            assert latin1_word_spans(text, words[1:]) is None
        assert latin1_word_spans(text + "\u0416", normalized_words(text + "\u0416")) is None


def test_segments_are_found_in_the_text_left_to_right() -> None:
    text = "Olá. Tudo bem? Tudo bem. E você?"
    assert segment_char_starts(text, [" Olá.", " Tudo bem?", "Tudo bem.", " sumiu", "", " E você?"]) == [
        0,
        5,
        15,
        None,
        None,
        25,
    ]


def _record(rng: random.Random) -> tuple[Transcript, list[int | None]]:
    """A text made of segment texts with spaces between, some segments not in the text, timed at random."""
    texts, pieces, starts, t = [], [], [], 0.0
    for _ in range(rng.randint(1, 12)):
        words = [rng.choice(["sim", "não", "Olá,", "tudo", "bem.", "e", "você?"]) for _ in range(rng.randint(1, 4))]
        segment = " " + " ".join(words)
        texts.append(segment)
        if rng.random() < 0.85:
            pieces.append(segment + rng.choice(["", " ", "\n"]))
        else:
            texts[-1] = " [música]"  # a segment the text does not hold
        starts.append(t)
        t += rng.uniform(0.2, 4)
    segments = [Segment(text, start, start + rng.uniform(0.1, 3)) for text, start in zip(texts, starts, strict=True)]
    transcript = Transcript("".join(pieces).strip(), None, SegmentColumns.of(segments))
    return transcript, segment_char_starts(transcript.text, texts)


def test_a_character_span_lies_in_the_segments_that_hold_its_ends() -> None:
    """Plain rule: a character belongs to the last segment found starting at or before it (the first
    found segment when it lies before them all); the span's times are its first segment's start and
    its last segment's end."""
    rng = random.Random(8)
    for _ in range(300):
        transcript, char_starts = _record(rng)
        found = [(start, index) for index, start in enumerate(char_starts) if start is not None]
        if not transcript.text or not found:
            continue
        locator = Locator(transcript)

        def holder(char: int, found: list[tuple[int, int]] = found) -> int:
            before = [index for start, index in found if start <= char]
            return before[-1] if before else found[0][1]

        for _ in range(5):
            a = rng.randrange(len(transcript.text))
            b = rng.randrange(a + 1, len(transcript.text) + 1)
            span = locator.span(a, b, "loop", "why")
            assert (span.first_segment, span.last_segment) == (holder(a), holder(b - 1))
            assert span.start == transcript.columns.start[holder(a)]
            assert span.end == transcript.columns.end[holder(b - 1)]
            assert (span.char_start, span.char_end, span.criterion, span.reason) == (a, b, "loop", "why")


def test_a_segment_range_gets_the_characters_from_its_first_to_the_end_of_its_last() -> None:
    rng = random.Random(10)
    for _ in range(300):
        transcript, char_starts = _record(rng)
        columns = transcript.columns
        first = rng.randrange(len(columns))
        last = rng.randrange(first, len(columns))
        span = Locator(transcript).segments(first, last, "segment_quality", "why")
        assert (span.first_segment, span.last_segment) == (first, last)
        assert (span.start, span.end) == (columns.start[first], columns.end[last])
        assert span.char_start == char_starts[first]
        last_start = char_starts[last]
        assert span.char_end == (None if last_start is None else last_start + len(columns.text[last].strip()))
        if span.char_start is not None and span.char_end is not None:
            held = transcript.text[span.char_start : span.char_end]
            assert held.startswith(columns.text[first].strip()) and held.endswith(columns.text[last].strip())


def test_without_segments_a_span_has_characters_only() -> None:
    span = Locator(Transcript("não não não não")).span(4, 11, "loop", "why")
    assert span.model_dump() == {"char_start": 4, "char_end": 11, "criterion": "loop", "reason": "why"}


def test_a_loops_words_are_located_in_a_long_record_with_their_segment_and_times() -> None:
    speech = [f" Frase número {k} do relato." for k in range(200)]
    texts = [*speech[:150], *[" Das war's für heute."] * 25, *speech[150:]]
    segments = [Segment(text, 2.0 * k, 2.0 * k + 1.5) for k, text in enumerate(texts)]
    transcript = Transcript("".join(texts).strip(), None, SegmentColumns.of(segments))
    words = transcript.normalized_words
    first_word = 150 * 5  # five words a speech segment
    start, end = Locator(transcript).words(first_word, first_word + 25 * 5)
    assert transcript.text[start:end] == " ".join(["Das war's für heute."] * 25)[: end - start]
    assert transcript.text[start:end].endswith("für heute")
    assert words[first_word : first_word + 5] == ["das", "war", "s", "für", "heute"]
    span = Locator(transcript).span(start, end, "loop", "why")
    assert (span.first_segment, span.last_segment, span.start, span.end) == (150, 174, 300.0, 349.5)
