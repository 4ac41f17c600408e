"""content_length_floor: binary gate at 200 stripped characters and 30 words (SPEC.md)."""

from __future__ import annotations

import pytest

from arandu.domain.criteria import ContentLengthFloor, default_heuristic_criteria
from arandu.domain.pipeline import run_heuristic_stage
from arandu.domain.transcript import Transcript
from tests.builders import HEURISTIC_ORDER, prose, sized_text

floor = ContentLengthFloor()


def score_of(text: str) -> tuple[float, bool, list[str]]:
    result = floor.evaluate(Transcript(text))
    return result.score, result.passed, result.issues


def test_the_builder_makes_what_it_says() -> None:
    text = sized_text(200, 30)
    assert len(text) == 200 and len(text.split()) == 30


@pytest.mark.parametrize(
    ("chars", "words", "expected"),
    [
        (200, 30, 1.0),  # both floors met exactly
        (199, 30, 0.0),  # one character short
        (200, 29, 0.0),  # one word short
        (199, 29, 0.0),
        (201, 31, 1.0),
        (5000, 800, 1.0),
    ],
)
def test_floor_at_its_boundaries(chars: int, words: int, expected: float) -> None:
    score, passed, _ = score_of(sized_text(chars, words))
    assert score == expected
    assert passed is (expected == 1.0)


def test_issues_name_which_floor_was_missed() -> None:
    _, _, issues = score_of(sized_text(199, 30))
    assert issues == ["below_min_chars:199<200"]
    _, _, issues = score_of(sized_text(250, 29))
    assert issues == ["below_min_words:29<30"]
    _, _, issues = score_of("")
    assert issues == ["below_min_chars:0<200", "below_min_words:0<30"]


def test_surrounding_white_space_does_not_count_as_characters() -> None:
    padded = "   \n\t" + sized_text(199, 30) + "  \n  "
    assert len(padded) > 200
    assert score_of(padded)[0] == 0.0
    assert score_of("\n" + sized_text(200, 30) + "\n")[0] == 1.0


def test_threshold_is_half_and_passing_is_score_at_least_threshold() -> None:
    assert floor.threshold == 0.5
    result = floor.evaluate(Transcript(sized_text(200, 30)))
    assert result.threshold == 0.5 and result.passed
    assert result.rationale  # a reader gets an explanation


def test_knobs_are_fields() -> None:
    strict = ContentLengthFloor(min_chars=10, min_words=3)
    assert strict.evaluate(Transcript("uma duas tres")).score == 1.0
    assert strict.evaluate(Transcript("uma duas")).score == 0.0


@pytest.mark.parametrize("text", [sized_text(199, 30), sized_text(400, 29), "Obrigado.", ""])
def test_failing_gate_short_circuits_the_rest_of_the_stage(text: str) -> None:
    stage = run_heuristic_stage(default_heuristic_criteria("pt"), Transcript(text, duration_ms=60_000))
    assert list(stage.criterion_scores) == ["content_length_floor"]
    assert stage.passed is False


def test_passing_gate_lets_every_criterion_run() -> None:
    stage = run_heuristic_stage(default_heuristic_criteria("pt"), Transcript(prose(40), duration_ms=20_000))
    assert list(stage.criterion_scores) == HEURISTIC_ORDER
