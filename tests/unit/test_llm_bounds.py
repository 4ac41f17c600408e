"""Answers that cannot run away, polite retries, and stage objects that travel between processes and loops."""

from __future__ import annotations

import asyncio
import pickle

from returns.result import Failure, Success

from arandu.adapters.validators import create_validator
from arandu.application.errors import CallFailed
from arandu.application.llm_stage import LlmStage
from arandu.application.ports import Completion
from arandu.application.retry import RetryPolicy
from arandu.domain.llm import ANSWER_SCHEMA, Answer, InvalidAnswer, parse_answer
from arandu.domain.llm.answer import MAX_RATIONALE
from arandu.domain.transcript import Transcript
from tests.fakes import FakeValidator, StaticPrompts
from tests.samples import portuguese_text


class Sleeps:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def one_criterion(validator: FakeValidator, **kwargs: object) -> LlmStage:
    return LlmStage(validator, [StaticPrompts().criterion("language_drift", "pt")], **kwargs)  # type: ignore[arg-type]


def test_the_schema_bounds_the_score_to_fixed_values_and_the_text_fields() -> None:
    properties = ANSWER_SCHEMA["properties"]
    assert set(properties["score"]["enum"]) == {round(i / 10, 1) for i in range(11)}
    assert properties["rationale"]["maxLength"] <= 600
    assert properties["issues"]["maxItems"] <= 8 and properties["issues"]["items"]["maxLength"] <= 60


def test_a_cut_off_answer_is_reported_as_cut_off_never_read_and_not_retried() -> None:
    validator = FakeValidator().enqueue(Completion('{"rationale": "loop loop", "score": 0.9}', cut_off=True))
    sleeps = Sleeps()
    result = asyncio.run(one_criterion(validator, retry=RetryPolicy(retries=3), sleep=sleeps)(Transcript("x " * 50)))
    assert isinstance(result, Failure)
    assert "cut off at the token limit" in result.failure()
    assert len(validator.history) == 1 and sleeps.delays == []


def test_an_unclosed_think_block_is_never_the_answer() -> None:
    reply = '<think>The score should be {"score": 0.1} maybe, let me think more about'
    assert isinstance(parse_answer(reply), InvalidAnswer)
    assert "unclosed <think>" in parse_answer(reply).reason  # type: ignore[union-attr]
    answered = parse_answer('<think>draft {"score": 0.1}</think>{"rationale": "ok", "score": 0.9}')
    assert isinstance(answered, Answer) and answered.score == 0.9


def test_the_last_object_with_a_score_wins_over_examples_quoted_before_it() -> None:
    reply = 'Example: {"rationale": "x", "score": 0}. My answer: {"rationale": "real", "score": 0.8} {"note": 1}'
    answer = parse_answer(reply)
    assert isinstance(answer, Answer) and (answer.score, answer.rationale) == (0.8, "real")
    fenced = 'Like ```json\n{"score": 0.0}\n``` but mine is ```json\n{"rationale": "r", "score": 0.6}\n```'
    assert parse_answer(fenced) == Answer(0.6, "r")


def test_a_runaway_rationale_and_issue_list_are_capped() -> None:
    reply = (
        '{"rationale": "'
        + "again " * 5_000_000
        + '", "score": 1, "issues": '
        + str(["t" * 500] * 100).replace("'", '"')
        + "}"
    )
    answer = parse_answer(reply)
    assert isinstance(answer, Answer)
    assert len(answer.rationale) == MAX_RATIONALE and answer.rationale.endswith("…")
    assert len(answer.issues) <= 8 and all(len(tag) <= 60 for tag in answer.issues)


def test_an_out_of_range_score_is_invalid_not_clamped() -> None:
    assert isinstance(parse_answer('{"rationale": "r", "score": 75}'), InvalidAnswer)


def test_retry_after_is_honoured_within_a_bound() -> None:
    validator = FakeValidator().enqueue(
        CallFailed("429", retryable=True, retry_after=7.0), CallFailed("503", retryable=True, retry_after=9999.0)
    )
    sleeps = Sleeps()
    stage = one_criterion(validator, retry=RetryPolicy(retries=3, base_delay=0.1), sleep=sleeps, jitter=lambda: 0.0)
    assert isinstance(asyncio.run(stage(Transcript(portuguese_text(0)))), Success)
    assert sleeps.delays == [7.0, RetryPolicy().max_retry_after]


def test_a_size_refusal_is_not_retried() -> None:
    validator = FakeValidator().enqueue(CallFailed("prompt too long for the context", retryable=False, too_long=True))
    result = asyncio.run(one_criterion(validator, retry=RetryPolicy(retries=3))(Transcript("x " * 50)))
    assert isinstance(result, Failure) and "too long" in result.failure()
    assert len(validator.history) == 1


def test_stages_and_validators_pickle_after_use_and_work_across_event_loops() -> None:
    for validator in (
        create_validator("m", provider="ollama", base_url="http://127.0.0.1:9"),
        create_validator("m", base_url="http://user:pw@127.0.0.1:9/v1", api_key="sk-secretsecret"),
    ):
        stage = LlmStage(validator, [StaticPrompts().criterion("language_drift", "pt")], retry=RetryPolicy(retries=0))
        for _ in range(2):  # each asyncio.run is a new loop; the clients and semaphore made in the last must not leak
            failed = asyncio.run(stage(Transcript(portuguese_text(0))))
            assert isinstance(failed, Failure) and "connect" in failed.failure()
        copy = pickle.loads(pickle.dumps(stage))
        again = asyncio.run(copy(Transcript(portuguese_text(0))))
        assert isinstance(again, Failure) and "connect" in again.failure()
        assert "pw" not in again.failure() and "secretsecret" not in again.failure()
