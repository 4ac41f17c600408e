"""content_density: 30-300 words per minute; linear below and above; unknown 0.5, invalid 0.3 (seed)."""

from __future__ import annotations

import pytest

from arandu.domain.criteria import ContentDensity
from arandu.domain.transcript import Transcript
from tests.builders import prose

density = ContentDensity()


def evaluate(words: int, duration_ms: float | None) -> tuple[float, bool, list[str]]:
    result = density.evaluate(Transcript(prose(words), duration_ms=duration_ms))
    return result.score, result.passed, result.issues


def test_unknown_duration_is_neutral_and_passes() -> None:
    assert evaluate(100, None) == (0.5, True, ["duration_unknown:neutral_score"])


@pytest.mark.parametrize("duration_ms", [0, 0.0, -1, -60_000])
def test_zero_or_negative_duration_is_invalid(duration_ms: float) -> None:
    assert evaluate(100, duration_ms) == (0.3, False, ["invalid_duration"])


def test_twenty_words_per_minute_scores_two_thirds() -> None:
    score, passed, issues = evaluate(20, 60_000)
    assert score == pytest.approx(2 / 3, abs=1e-3)
    assert passed
    assert len(issues) == 1 and issues[0].startswith("low_content_density:20") and issues[0].endswith("_wpm")


@pytest.mark.parametrize(("words", "duration_ms"), [(30, 60_000), (300, 60_000), (150, 60_000), (15, 30_000)])
def test_inside_the_range_including_its_ends_scores_one(words: int, duration_ms: int) -> None:
    assert evaluate(words, duration_ms) == (1.0, True, [])


def test_just_outside_the_range_is_flagged() -> None:
    score, _, issues = evaluate(29, 60_000)
    assert score == pytest.approx(29 / 30, abs=1e-4) and issues[0].startswith("low_content_density:")
    score, _, issues = evaluate(301, 60_000)
    assert score == pytest.approx(1 - 1 / 300, abs=1e-4) and issues[0].startswith("high_content_density:")


def test_four_hundred_fifty_words_per_minute_scores_half() -> None:
    score, passed, issues = evaluate(450, 60_000)
    assert score == pytest.approx(0.5)
    assert passed
    assert len(issues) == 1 and issues[0].startswith("high_content_density:450") and issues[0].endswith("_wpm")


@pytest.mark.parametrize(("words", "duration_ms"), [(600, 60_000), (900, 60_000), (2000, 1_000)])
def test_twice_the_maximum_or_more_scores_zero(words: int, duration_ms: int) -> None:
    score, passed, issues = evaluate(words, duration_ms)
    assert (score, passed) == (0.0, False)
    assert issues[0].startswith("high_content_density:")


def test_passing_at_exactly_the_threshold() -> None:
    # 12 wpm -> 12/30 = 0.4, the threshold itself: passed is score >= threshold.
    score, passed, _ = evaluate(12, 60_000)
    assert score == pytest.approx(0.4) and passed
    score, passed, _ = evaluate(11, 60_000)
    assert score < 0.4 and not passed


def test_five_words_in_a_minute_fails() -> None:
    assert evaluate(5, 60_000)[:2] == (pytest.approx(5 / 30, abs=1e-4), False)


def test_uses_words_not_characters_and_the_duration_in_milliseconds() -> None:
    # 60 words in 90 seconds is 40 wpm, comfortably inside.
    assert evaluate(60, 90_000) == (1.0, True, [])


def test_threshold_is_point_four() -> None:
    assert density.threshold == 0.4
