"""The `llm_filter` stage: ask the validator about each LLM criterion, retrying until it gives a valid answer."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Sequence

from returns.result import Failure, Result, Success

from arandu.application.errors import CallFailed
from arandu.application.per_loop import PerLoop
from arandu.application.ports import Validator, ValidatorRequest
from arandu.application.retry import RetryPolicy
from arandu.domain.llm import ANSWER_SCHEMA, Answer, LlmCriterion, parse_answer
from arandu.domain.transcript import Transcript
from arandu.domain.verdict import CriterionScore, StageResult

Sleep = Callable[[float], Awaitable[None]]


class LlmStage:
    """Judges one transcript on every LLM criterion, the criteria concurrently.

    At most `concurrency` calls are in flight at once across every transcript
    this stage is judging, so the whole corpus shares one budget of model
    slots. Timeouts, connection errors, rate limits, server errors and
    invalid answers are retried with backoff; a slot is held only during a
    call, never while waiting to retry. When a criterion still has no valid
    answer, the stage has no result: a score is never made up.
    """

    def __init__(
        self,
        validator: Validator,
        criteria: Sequence[LlmCriterion],
        *,
        temperature: float = 0.3,
        max_tokens: int = 2048,
        concurrency: int = 4,
        timeout: float | None = None,
        retry: RetryPolicy | None = None,
        sleep: Sleep = asyncio.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self._validator = validator
        self._criteria = tuple(criteria)
        self._temperature = temperature
        self._max_tokens = max_tokens
        self._concurrency = concurrency
        self._timeout = timeout
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        self._jitter = jitter
        self._slots = PerLoop(lambda: asyncio.Semaphore(concurrency))

    @property
    def validator(self) -> Validator:
        return self._validator

    @property
    def criteria(self) -> tuple[LlmCriterion, ...]:
        return self._criteria

    @property
    def concurrency(self) -> int:
        return self._concurrency

    async def __call__(self, transcript: Transcript) -> Result[StageResult, str]:
        """The stage's result, or why some criterion got no valid answer."""
        outcomes = await asyncio.gather(*(self._judge(criterion, transcript.text) for criterion in self._criteria))
        scores: dict[str, CriterionScore] = {}
        problems: list[str] = []
        for criterion, outcome in zip(self._criteria, outcomes, strict=True):
            match outcome:
                case Success(score):
                    scores[criterion.name] = score
                case Failure(reason):
                    problems.append(f"{criterion.name}: {reason}")
        if problems:
            return Failure("; ".join(problems))
        return Success(StageResult.of(scores))

    async def _judge(self, criterion: LlmCriterion, text: str) -> Result[CriterionScore, str]:
        temperature = self._temperature if criterion.temperature is None else criterion.temperature
        request = ValidatorRequest(criterion.prompt(text), ANSWER_SCHEMA, temperature, self._max_tokens)
        last = CallFailed("no attempt made", retryable=False)
        for attempt in range(self._retry.attempts):
            if attempt:
                await self._sleep(self._retry.delay(attempt - 1, self._jitter()))
            async with self._slots.get():
                reply = await self._call(request)
            match reply:
                case Success(raw):
                    answer = parse_answer(raw)
                    if isinstance(answer, Answer):
                        return Success(criterion.score(answer))
                    last = CallFailed(f"invalid answer ({answer.reason})", retryable=True)
                case Failure(failed):
                    last = failed
            if not last.retryable:
                break
        tries = f"{attempt + 1} attempt{'s' if attempt else ''}"
        return Failure(f"no valid answer after {tries}: {last.reason}")

    async def _call(self, request: ValidatorRequest) -> Result[str, CallFailed]:
        if self._timeout is None:
            return await self._validator.complete(request)
        try:
            return await asyncio.wait_for(self._validator.complete(request), self._timeout)
        except TimeoutError:
            return Failure(CallFailed(f"timed out after {self._timeout:g} s", retryable=True))
