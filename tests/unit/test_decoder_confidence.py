"""decoder_confidence: Whisper's own fallback limits, weighted by speech time."""

from __future__ import annotations

import random

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


def plain_reason(ratio: float | None, logprob: float | None, no_speech: float | None) -> str | None:
    """Whisper's fallback rules, plainly: compression ratio above 2.4 is repetitive; else an average
    log-probability below -1.0 is silence when the no-speech probability is above 0.6, low confidence if not."""
    if ratio is not None and ratio > 2.4:
        return "repetitive"
    if logprob is None or logprob >= -1.0:
        return None
    return "silence" if no_speech is not None and no_speech > 0.6 else "low_confidence"


def plain_runs(indices: list[int]) -> list[tuple[int, int]]:
    """Runs of consecutive indices, (first, last), as a reader groups them."""
    runs: list[list[int]] = []
    for index in indices:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    return [(run[0], run[-1]) for run in runs]


def plain_judgement(segments: list[Segment]) -> tuple[float, list[str], list[tuple[int, int, float, float]]]:
    """The criterion's rule, plainly: without a compression ratio or log-probability anywhere, 1.0; else 1 minus
    the flagged segments' share of the summed durations (negative lengths as zero; by count when they sum to
    zero); one tag per reason, in the order repetitive, silence, low confidence, naming its first five runs;
    below the threshold, evidence for the first five runs of flagged segments with their times."""
    if all(s.compression_ratio is None and s.avg_logprob is None for s in segments):
        return 1.0, [], []
    reasons = [plain_reason(s.compression_ratio, s.avg_logprob, s.no_speech_prob) for s in segments]
    flagged = [i for i, why in enumerate(reasons) if why is not None]
    if not flagged:
        return 1.0, [], []
    durations = [max(0.0, s.end - s.start) for s in segments]
    total = sum(durations)
    share = sum(durations[i] for i in flagged) / total if total > 0 else len(flagged) / len(segments)
    tags = []
    for why in ("repetitive", "silence", "low_confidence"):
        runs = plain_runs([i for i, reason in enumerate(reasons) if reason == why])[:5]
        if runs:
            tags.append(f"{why}_segments:" + ",".join(f"{a}" if a == b else f"{a}-{b}" for a, b in runs))
    score = round(1.0 - share, 4)
    runs = plain_runs(flagged)[:5] if score < 0.75 else []
    return score, tags, [(a, b, segments[a].start, segments[b].end) for a, b in runs]


def random_segments(rng: random.Random) -> list[Segment]:
    """Segments with values on both sides of each limit and at it, fields missing, and some of no length."""
    segments, t = [], 0.0
    for index in range(rng.randint(1, 25)):
        length = rng.choice([0.0, 0.0, 0.5, 2.0, 7.5, -1.0]) if rng.random() < 0.2 else rng.uniform(0.2, 9)
        segments.append(
            Segment(
                text=f" segment number {index} here.",
                start=t,
                end=t + length,
                avg_logprob=rng.choice([None, -0.2, -0.9, -1.0, -1.01, -1.6]),
                no_speech_prob=rng.choice([None, 0.02, 0.6, 0.61, 0.97]),
                compression_ratio=rng.choice([None, 1.3, 2.0, 2.4, 2.41, 4.8]),
            )
        )
        t += max(0.0, length) + rng.choice([0.0, 0.3])
    if rng.random() < 0.1:  # a reader that kept no confidence fields
        segments = [Segment(s.text, s.start, s.end, None, s.no_speech_prob, None) for s in segments]
    return segments


def test_scores_tags_and_evidence_follow_the_plain_rule_on_random_segments() -> None:
    rng = random.Random(31)
    for _ in range(1500):
        segments = random_segments(rng)
        record = transcript(*segments)
        result = CRITERION.evaluate(record)
        score, tags, places = plain_judgement(segments)
        assert (result.score, result.issues) == (score, tags), segments
        assert result.passed == (score >= 0.75)
        evidence = result.evidence or []
        assert [(e.first_segment, e.last_segment, e.start, e.end) for e in evidence] == places
        for e in evidence:
            assert e.char_start is not None and e.char_end is not None
            held = record.text[e.char_start : e.char_end]
            first, last = segments[e.first_segment or 0].text.strip(), segments[e.last_segment or 0].text.strip()
            assert held.startswith(first) and held.endswith(last)
