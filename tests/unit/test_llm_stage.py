"""The llm_filter stage driven by a scripted validator: semantics, retries, concurrency, no made-up verdicts."""

from __future__ import annotations

import asyncio

import pytest
from returns.result import Failure, Success

from arandu.application.errors import CallFailed
from arandu.application.judge_record import JudgeRecord
from arandu.application.llm_stage import LlmStage
from arandu.application.ports import LoadedRecord, ValidatorRequest
from arandu.application.retry import RetryPolicy
from arandu.domain.criteria import default_heuristic_criteria
from arandu.domain.llm import ANSWER_SCHEMA, LLM_CRITERIA
from arandu.domain.transcript import Transcript
from arandu.domain.verdict import HEURISTIC_STAGE, LLM_STAGE
from tests.fakes import FakeValidator, StaticPrompts
from tests.samples import portuguese_text

GOOD = '{"rationale": "fine", "score": 0.95}'
BAD = '{"rationale": "English sentences", "score": 0.3, "issues": ["english_sentences"]}'


def transcript(seed: int = 0) -> Transcript:
    text = portuguese_text(seed)
    return Transcript(text, duration_ms=len(text.split()) / 120 * 60_000)


class Sleeps:
    """A sleep that returns at once and remembers how long it was asked to wait."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def stage(validator: FakeValidator, **kwargs: object) -> LlmStage:
    prompts = StaticPrompts(temperature=kwargs.pop("criterion_temperature", None))  # type: ignore[arg-type]
    criteria = [prompts.criterion(name, "pt") for name in LLM_CRITERIA]
    kwargs.setdefault("sleep", Sleeps())
    return LlmStage(validator, criteria, **kwargs)  # type: ignore[arg-type]


class judge:
    """The whole record pipeline with the LLM stage, called on a bare transcript."""

    def __init__(self, validator: FakeValidator, **kwargs: object) -> None:
        self._judge = JudgeRecord(default_heuristic_criteria("pt"), llm_stage=stage(validator, **kwargs))

    async def __call__(self, transcript: Transcript):  # type: ignore[no-untyped-def]
        return await self._judge(LoadedRecord("key", transcript, judged=False))


def by_criterion(scores: dict[str, str]) -> object:
    def respond(request: ValidatorRequest) -> str:
        name = next(n for n in LLM_CRITERIA if f"criterion={n}" in request.prompt)
        return scores[name]

    return respond


def test_both_criteria_are_asked_and_scored_against_their_thresholds() -> None:
    validator = FakeValidator(respond=by_criterion({"language_drift": BAD, "hallucination_loop": GOOD}))  # type: ignore[arg-type]
    result = asyncio.run(judge(validator)(transcript()))
    verdict = result.unwrap()
    assert len(validator.history) == 2
    assert all(request.schema == ANSWER_SCHEMA for request in validator.history)
    assert list(verdict.stage_results) == [HEURISTIC_STAGE, LLM_STAGE]
    scores = verdict.stage_results[LLM_STAGE].criterion_scores
    assert (scores["language_drift"].score, scores["language_drift"].threshold) == (0.3, 0.8)
    assert scores["language_drift"].issues == ["english_sentences"]
    assert scores["hallucination_loop"].passed
    assert (verdict.passed, verdict.rejected_at, verdict.failing_criteria) == (False, LLM_STAGE, ["language_drift"])


def test_a_score_at_the_threshold_passes() -> None:
    validator = FakeValidator(respond=lambda request: '{"rationale": "borderline", "score": 0.8}')
    verdict = asyncio.run(judge(validator)(transcript())).unwrap()
    assert verdict.passed


def test_a_heuristic_rejection_costs_no_call_and_has_no_llm_block() -> None:
    validator = FakeValidator()
    verdict = asyncio.run(judge(validator)(Transcript("curto demais", duration_ms=5000))).unwrap()
    assert validator.history == []
    assert list(verdict.stage_results) == [HEURISTIC_STAGE]
    assert verdict.rejected_at == HEURISTIC_STAGE


def test_invalid_answers_and_server_errors_are_retried_with_growing_jittered_waits() -> None:
    validator = FakeValidator(respond=lambda request: GOOD)
    validator.enqueue("not json", CallFailed("503", retryable=True), '{"rationale": "x", "score": 7}')
    sleeps = Sleeps()
    one = LlmStage(
        validator,
        [StaticPrompts().criterion("language_drift", "pt")],
        retry=RetryPolicy(retries=3, base_delay=1.0),
        sleep=sleeps,
        jitter=lambda: 0.5,
    )
    result = asyncio.run(one(transcript()))
    assert isinstance(result, Success)
    assert len(validator.history) == 4
    assert sleeps.delays == [0.75, 1.5, 3.0]


def test_no_valid_answer_after_the_retries_means_no_result() -> None:
    validator = FakeValidator(respond=lambda request: "I cannot judge this.")
    result = asyncio.run(judge(validator, retry=RetryPolicy(retries=2))(transcript()))
    assert isinstance(result, Failure)
    assert "no valid answer after 3 attempts" in result.failure()
    assert len(validator.history) == 6  # both criteria, three attempts each


def test_a_request_the_server_refuses_is_not_retried() -> None:
    validator = FakeValidator(respond=lambda request: CallFailed("400 bad request", retryable=False))
    result = asyncio.run(judge(validator, retry=RetryPolicy(retries=5))(transcript()))
    assert isinstance(result, Failure)
    assert len(validator.history) == 2


def test_a_call_that_takes_too_long_times_out_and_is_retried() -> None:
    validator = FakeValidator(latency=5.0)
    result = asyncio.run(judge(validator, timeout=0.01, retry=RetryPolicy(retries=1))(transcript()))
    assert isinstance(result, Failure)
    assert "timed out" in result.failure()
    assert len(validator.history) == 4


def test_the_two_criteria_of_one_record_are_asked_one_after_the_other_for_the_prefix_cache() -> None:
    validator = FakeValidator(latency=0.02)
    asyncio.run(judge(validator, concurrency=4)(transcript()))
    assert validator.max_in_flight == 1
    first, second = (request.prompt for request in validator.history)
    # Both prompts open with the same text up to the end of the transcript.
    text = transcript().text
    assert first[: first.index(text) + len(text)] == second[: second.index(text) + len(text)]


def test_records_run_concurrently_and_calls_in_flight_never_exceed_the_concurrency() -> None:
    validator = FakeValidator(latency=0.01)
    shared = judge(validator, concurrency=3)

    async def many() -> None:
        await asyncio.gather(*(shared(transcript(i)) for i in range(10)))

    asyncio.run(many())
    assert validator.max_in_flight == 3
    assert len(validator.history) == 20


def test_the_run_temperature_applies_unless_the_criterion_has_its_own() -> None:
    validator = FakeValidator()
    asyncio.run(judge(validator, temperature=0.3, max_tokens=99)(transcript()))
    assert {(r.temperature, r.max_tokens) for r in validator.history} == {(0.3, 99)}
    validator = FakeValidator()
    asyncio.run(judge(validator, temperature=0.3, criterion_temperature=0.0)(transcript()))
    assert {r.temperature for r in validator.history} == {0.0}


def test_retry_policy_delays() -> None:
    policy = RetryPolicy(retries=5, base_delay=0.5, max_delay=2.0)
    assert [policy.delay(n, 0.999) for n in range(4)] == pytest.approx([0.5, 1.0, 2.0, 2.0], rel=1e-3)
    assert [policy.delay(n, 0.0) for n in range(3)] == [0.25, 0.5, 1.0]
    assert policy.attempts == 6
