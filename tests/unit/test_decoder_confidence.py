"""decoder_confidence: Whisper's own fallback limits, weighted by speech time."""

from __future__ import annotations

import pytest

from arandu.domain.criteria.decoder_confidence import DecoderConfidence
from arandu.domain.transcript import Segment, Transcript

CRITERION = DecoderConfidence()


def seg(start: float, end: float, logprob: float = -0.2, no_speech: float = 0.01, ratio: float = 1.5) -> Segment:
    return Segment(
        text=f" words from {start:g} to {end:g}.",
        start=start,
        end=end,
        avg_logprob=logprob,
        no_speech_prob=no_speech,
        compression_ratio=ratio,
    )


def transcript(*segments: Segment) -> Transcript:
    return Transcript.parse("".join(s.text for s in segments), None, segments)


def test_fields_absent_is_neutral() -> None:
    plain = Transcript.parse("hello there", None, (Segment(text="hello there", start=0.0, end=2.0),))
    result = CRITERION.evaluate(plain)
    assert (result.score, result.passed, result.issues) == (1.0, True, [])


def test_no_segments_is_neutral() -> None:
    assert CRITERION.evaluate(Transcript(text="hello")).score == 1.0


def test_clean_segments_pass() -> None:
    result = CRITERION.evaluate(transcript(seg(0, 5), seg(5, 10)))
    assert (result.score, result.issues, result.evidence) == (1.0, [], None)


@pytest.mark.parametrize(
    ("segment", "tag"),
    [
        (seg(0, 5, ratio=2.41), "repetitive_segments:0"),
        (seg(0, 5, logprob=-1.01), "low_confidence_segments:0"),
        (seg(0, 5, logprob=-1.2, no_speech=0.61), "silence_segments:0"),
    ],
)
def test_each_whisper_limit_rejects_a_segment(segment: Segment, tag: str) -> None:
    result = CRITERION.evaluate(transcript(segment))
    assert result.issues == [tag]
    assert result.score == 0.0


@pytest.mark.parametrize("segment", [seg(0, 5, ratio=2.4), seg(0, 5, logprob=-1.0), seg(0, 5, no_speech=0.9)])
def test_values_at_the_limit_or_high_no_speech_alone_pass(segment: Segment) -> None:
    assert CRITERION.evaluate(transcript(segment)).score == 1.0


def test_score_is_weighted_by_speech_time_and_tags_name_ranges() -> None:
    segments = (seg(0, 10), seg(10, 20), seg(20, 25, ratio=3.0), seg(25, 30, ratio=4.0), seg(30, 40, logprob=-1.5))
    result = CRITERION.evaluate(transcript(*segments))
    assert result.score == pytest.approx(1 - 20 / 40)
    assert not result.passed
    assert result.issues == ["repetitive_segments:2-3", "low_confidence_segments:4"]
    assert result.evidence is not None
    first = result.evidence[0]
    assert (first.first_segment, first.last_segment, first.start, first.end) == (2, 4, 20, 40)
    assert first.char_start == transcript(*segments).text.index("words from 20")
    text = transcript(*segments).text
    assert first.char_end == len(text)


def test_a_small_share_passes_but_is_still_tagged() -> None:
    segments = (seg(0, 50), seg(50, 55, ratio=3.0), seg(55, 100))
    result = CRITERION.evaluate(transcript(*segments))
    assert result.passed and result.score == pytest.approx(0.95)
    assert result.issues == ["repetitive_segments:1"] and result.evidence is None


def test_zero_length_segments_are_weighed_by_count() -> None:
    result = CRITERION.evaluate(transcript(seg(1, 1), seg(1, 1, logprob=-2.0)))
    assert result.score == pytest.approx(0.5)
