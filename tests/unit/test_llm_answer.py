"""Reading a model's reply: key variants, wrappers, and what makes an answer invalid."""

from __future__ import annotations

import pytest

from arandu.domain.llm import Answer, InvalidAnswer, parse_answer


@pytest.mark.parametrize(
    ("raw", "score", "rationale"),
    [
        ('{"rationale": "all Portuguese", "score": 0.9}', 0.9, "all Portuguese"),
        ('{"reasoning": "two English sentences", "rating": 0.4}', 0.4, "two English sentences"),
        ('{"explanation": "fine", "score": 1}', 1.0, "fine"),
        ('{"Justification": "ok", "Score": 0}', 0.0, "ok"),
        ('{"analysis": "ok", "final_score": "0.75"}', 0.75, "ok"),
        ('<think>The score should be 0.1? {"score": 0.1}</think>\n{"rationale": "clean", "score": 0.8}', 0.8, "clean"),
        ('Here is my verdict:\n```json\n{"rationale": "loop", "score": 0.2}\n```\nHope it helps.', 0.2, "loop"),
        ('<think>hmm</think>```\n{"reason": "outro", "score": 0.3}\n```', 0.3, "outro"),
        ('thinking without an opening tag</think>{"rationale": "r", "score": 0.6}', 0.6, "r"),
        ('Sure! {"rationale": "prose around it", "score": 0.5} Anything else?', 0.5, "prose around it"),
    ],
)
def test_valid_answers_in_their_common_shapes(raw: str, score: float, rationale: str) -> None:
    answer = parse_answer(raw)
    assert isinstance(answer, Answer)
    assert answer.score == score
    assert answer.rationale == rationale


def test_issue_tags_are_kept_and_a_missing_rationale_is_said_so() -> None:
    answer = parse_answer('{"score": 0.3, "issues": ["video_outro", "sentence_loop"]}')
    assert isinstance(answer, Answer)
    assert answer.issues == ("video_outro", "sentence_loop")
    assert "no rationale" in answer.rationale


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ('{"rationale": "x", "score": 1.5}', "outside"),
        ('{"rationale": "x", "score": -0.1}', "outside"),
        ('{"rationale": "x", "score": 85}', "outside"),
        ('{"rationale": "x", "score": "high"}', "not a number"),
        ('{"rationale": "x", "score": true}', "not a number"),
        ('{"rationale": "x", "score": null}', "not a number"),
        ('{"rationale": "x", "score": [0.5]}', "not a number"),
        ('{"rationale": "x", "score": NaN}', "not a number"),
        ('{"rationale": "x"}', "no score"),
        ("The transcript looks fine to me.", "no JSON"),
        ("", "empty"),
        ("<think>only thinking, never answering</think>", "empty"),
        ('{"rationale": "cut off", "score": 0.', "no JSON"),
    ],
)
def test_invalid_answers_say_why(raw: str, why: str) -> None:
    answer = parse_answer(raw)
    assert isinstance(answer, InvalidAnswer)
    assert why in answer.reason
