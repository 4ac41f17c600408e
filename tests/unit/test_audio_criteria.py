"""The audio criteria on hand-made speech timelines: text over silence, speech without text, words per speech second."""

from __future__ import annotations

from typing import Any

import pytest

from arandu.domain.audio import SpeechRate, SpeechTimeline, SpeechWithoutText, TextOverSilence, clock
from arandu.domain.transcript import Transcript
from tests.builders import distinct_words


def transcript(segments: list[tuple[float, float, int]]) -> Transcript:
    """A transcript whose segments span (start, end) seconds with `n` distinct words each."""
    offset, raw = 0, []
    for start, end, n in segments:
        raw.append({"text": " " + " ".join(distinct_words(n, offset)), "start": start, "end": end})
        offset += n
    text = "".join(s["text"] for s in raw)
    return Transcript.parse(text, None, raw)


def speech(*intervals: tuple[float, float], duration: float = 120.0) -> SpeechTimeline:
    return SpeechTimeline(tuple(intervals), duration)


# Speech from 0 to 30 s and from 40 to 60 s; silence after 60 s.
HEARD = speech((0.0, 30.0), (40.0, 60.0))


def test_segments_over_speech_pass_text_over_silence() -> None:
    score = TextOverSilence().evaluate(transcript([(0, 10, 25), (10, 30, 50), (40, 60, 50)]), HEARD)
    assert score.passed and score.score == 1.0
    assert score.spans is None


def test_an_outro_over_the_closing_silence_is_a_located_span() -> None:
    record = transcript([(0, 30, 60), (40, 60, 40), (70, 75, 5), (75, 80, 5), (100, 104, 4)])
    score = TextOverSilence().evaluate(record, HEARD)
    assert score.spans is not None
    # One run of consecutive segments, however far apart in time.
    [span] = score.spans
    assert (span.first_segment, span.last_segment, span.start, span.end) == (2, 4, 70, 104)
    assert span.reason == "text over silence at 1:10-1:44"
    assert record.text[span.char_start : span.char_end] == " ".join(distinct_words(14, 100))
    # 14 of 114 words over silence: about 12%, above the tenth the threshold allows.
    assert score.score == pytest.approx(1 - 14 / 114, abs=1e-4)
    assert not score.passed
    assert score.evidence is not None and len(score.evidence) == 1


def test_a_segment_touching_speech_within_the_slack_is_not_over_silence() -> None:
    # A short segment starting 0.2 s after the speech ended: timestamp drift, not invention.
    score = TextOverSilence().evaluate(transcript([(0, 30, 60), (30.2, 31.0, 2)]), HEARD)
    assert score.score == 1.0


def test_a_long_segment_with_a_blip_of_speech_is_still_over_silence() -> None:
    blip = speech((0.0, 30.0), (90.0, 90.5))
    score = TextOverSilence().evaluate(transcript([(0, 30, 60), (80, 110, 60)]), blip)
    assert score.spans is not None and score.spans[0].first_segment == 1


def test_dropped_speech_is_reported_by_its_times() -> None:
    # Segments cover 0-30 s; the speech from 40 to 60 s has no text.
    score = SpeechWithoutText().evaluate(transcript([(0, 30, 70)]), HEARD)
    assert score.spans is not None
    [span] = score.spans
    assert (span.start, span.end) == (40.0, 60.0)
    assert span.first_segment is None and span.reason == "speech without text at 0:40-1:00"
    assert score.score == pytest.approx(1 - 20 / 50)
    assert not score.passed
    assert score.issues == ["speech_without_text:40.0-60.0"]


def test_short_pauses_between_segments_are_not_dropped_speech() -> None:
    # Segments leave 1.5 s holes in continuous speech: each is below the 3 s a stretch needs.
    segments = [(0, 8.5, 20), (10, 18.5, 20), (20, 30, 20), (40, 60, 50)]
    score = SpeechWithoutText().evaluate(transcript(segments), HEARD)
    assert score.score == 1.0 and score.spans is None


def test_uncovered_speech_broken_by_short_pauses_is_one_stretch() -> None:
    choppy = speech((0.0, 10.0), (20.0, 22.0), (22.3, 24.0), (24.2, 26.0))
    score = SpeechWithoutText().evaluate(transcript([(0, 10, 25)]), choppy)
    assert score.spans is not None
    assert [(s.start, s.end) for s in score.spans] == [(20.0, 26.0)]


def test_speech_without_text_passes_on_a_silent_recording() -> None:
    score = SpeechWithoutText().evaluate(transcript([(0, 10, 20)]), speech())
    assert score.passed


@pytest.mark.parametrize(
    ("words", "speech_seconds", "passed", "tag"),
    [
        (120, 50.0, True, None),  # 2.4 words a second: ordinary talk
        (500, 50.0, False, "words_per_speech_second_high:10.0"),  # invented text, far more than was said
        (10, 50.0, False, "words_per_speech_second_low:0.2"),  # most of the speech dropped
    ],
)
def test_speech_rate_counts_words_per_second_of_speech(
    words: int, speech_seconds: float, passed: bool, tag: str | None
) -> None:
    record = transcript([(0, 50, words)])
    score = SpeechRate().evaluate(record, speech((0.0, speech_seconds), duration=3600.0))
    assert score.passed is passed
    assert score.issues == ([tag] if tag else [])


def test_a_long_silent_recording_with_a_little_talk_is_not_sparse() -> None:
    # 60 words in an hour is 1 word a minute of the file, but 2.5 a second of the 24 s of speech.
    score = SpeechRate().evaluate(transcript([(100, 124, 60)]), speech((100.0, 124.0), duration=3600.0))
    assert score.passed and score.score == 1.0


def test_words_with_no_speech_at_all_fail_the_rate() -> None:
    score = SpeechRate().evaluate(transcript([(0, 30, 40)]), speech())
    assert score.score == 0.0 and score.issues == ["no_speech"]


def test_timeline_from_scores_keeps_a_word_whole_and_drops_clicks() -> None:
    frame = 0.032
    # 1 s of speech with a dip to 0.4 in the middle (above the offset), then a 2-frame click, then silence.
    scores: list[Any] = [0.9] * 15 + [0.4] * 3 + [0.9] * 13 + [0.0] * 40 + [0.95] * 2 + [0.0] * 40
    timeline = SpeechTimeline.from_scores(scores, frame)
    assert timeline.intervals == (pytest.approx((0.0, 31 * frame)),)
    assert timeline.duration == pytest.approx(len(scores) * frame)


def test_timeline_closes_short_gaps() -> None:
    frame = 0.032
    scores = [0.9] * 20 + [0.1] * 5 + [0.9] * 20 + [0.1] * 20 + [0.9] * 20
    timeline = SpeechTimeline.from_scores(scores, frame)
    # The 0.16 s gap is closed; the 0.64 s one is kept.
    assert len(timeline.intervals) == 2
    assert timeline.intervals[0][1] == pytest.approx(45 * frame)
    assert timeline.speech_between(0.0, 10.0) == pytest.approx(65 * frame)


def test_uncovered_speech_between_overlapping_covers() -> None:
    timeline = speech((0.0, 10.0), (20.0, 30.0))
    assert timeline.uncovered([(2.0, 4.0), (3.0, 5.0), (25.0, 40.0)]) == [(0.0, 2.0), (5.0, 10.0), (20.0, 25.0)]


def test_clock() -> None:
    assert [clock(70), clock(3730.4), clock(5)] == ["1:10", "1:02:10", "0:05"]
