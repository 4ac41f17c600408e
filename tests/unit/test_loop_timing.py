"""loop: when a short unit counts depends on its pace (the thresholds tuned on real data, docs/criteria.md).

Plainly: a unit under 4 words counts from 10 repeats at speech pace, and from 3 when it is said
slower than 2.5 s a word (text over silence) or faster than 0.1 s a word (cues of no length);
identical consecutive segments that slow count from 3 whatever their length in words.
"""

from __future__ import annotations

from arandu.domain.criteria import Loop
from arandu.domain.transcript import Transcript
from tests.builders import clean_portuguese

LOOP = Loop()


def _record(middle: list[tuple[str, float, float]]) -> Transcript:
    """Ordinary speech, then `middle` (text, start, end), then speech again, as segments."""
    words = clean_portuguese().split()
    before = [(" ".join(words[i : i + 10]), float(i), float(i) + 3.0) for i in range(0, 60, 10)]
    offset = (middle[-1][2] if middle else 0.0) + 100.0
    after = [(" ".join(words[i : i + 10]), offset + i, offset + i + 3.0) for i in range(0, 60, 10)]
    shifted = [(text, start + 100.0, end + 100.0) for text, start, end in middle]
    segments = [{"text": " " + t, "start": s, "end": e} for t, s, e in [*before, *shifted, *after]]
    text = "".join(s["text"] for s in segments).strip()
    return Transcript.parse(text, segments[-1]["end"] * 1000, segments)


def _located(transcript: Transcript) -> list[tuple[int | None, int | None]]:
    return [(s.first_segment, s.last_segment) for s in LOOP.evaluate(transcript).spans or []]


def test_a_one_word_filler_every_30_seconds_counts_from_three_segments() -> None:
    three = _record([("you", 30.0 * i, 30.0 * i + 2.0) for i in range(3)])
    assert _located(three) == [(6, 8)]
    two = _record([("you", 30.0 * i, 30.0 * i + 2.0) for i in range(2)])
    assert _located(two) == []


def test_identical_segments_at_speech_pace_are_not_a_slow_run() -> None:
    quick = _record([("you", 1.0 * i, 1.0 * i + 0.5) for i in range(3)])
    assert _located(quick) == []


def test_a_short_unit_in_cues_of_no_length_counts_from_three_repeats() -> None:
    degenerate = _record([("att det är", 0.1 * i, 0.1 * i) for i in range(4)])
    assert len(_located(degenerate)) == 1
    spoken = _record([("att det är", 1.2 * i, 1.2 * i + 1.2) for i in range(4)])
    assert _located(spoken) == []


def test_a_short_unit_at_speech_pace_counts_from_ten_repeats() -> None:
    for repeats, found in ((9, 0), (10, 1)):
        phrase = " ".join(["nej"] * repeats)
        transcript = _record([(phrase, 0.0, 0.3 * repeats)])
        assert len(_located(transcript)) == found, repeats
