"""The `llm_filter` stage: ask the validator about each LLM criterion, retrying until it gives a valid answer."""

from __future__ import annotations

import asyncio
import functools
import random
from collections.abc import Awaitable, Callable, Sequence

from returns.result import Failure, Result, Success

from arandu.application.errors import CallFailed
from arandu.application.llm_usage import LlmUsage
from arandu.application.per_loop import PerLoop
from arandu.application.ports import Completion, Validator, ValidatorRequest
from arandu.application.retry import RetryPolicy
from arandu.domain.llm import (
    ANSWER_SCHEMA,
    Answer,
    LlmCriterion,
    PromptTooLong,
    Window,
    parse_answer,
    plan_windows,
    transcript_budget,
    window_evidence,
)
from arandu.domain.llm.windows import CHARS_PER_TOKEN
from arandu.domain.transcript import Transcript
from arandu.domain.verdict import CriterionScore, StageResult

Sleep = Callable[[float], Awaitable[None]]
# The context assumed when neither the server nor the settings say, and the most a window is
# planned for even on a larger context (Ollama allocates what `num_ctx` asks; small models
# judge long stretches worse).
DEFAULT_CONTEXT = 4096
MAX_PLANNED_CONTEXT = 8192


def _jitter() -> float:
    # Named here rather than `random.random`, which pickles with the generator's state: every worker
    # unpickling the stage would draw the same "random" waits and retry in step.
    return random.random()


class LlmStage:
    """Judges one transcript on every LLM criterion.

    A transcript that does not fit the model's context beside the prompt and the answer is
    judged in overlapping windows (see `LlmCriterion.score_windows` for how their scores
    combine). Within a window the criteria are asked one after the other, so the second finds
    the transcript, which opens every prompt, in the server's prefix cache; windows and records
    run concurrently. At most `concurrency` calls are in flight at once across every transcript
    this stage is judging. Timeouts, connection errors, rate limits (after any `Retry-After`),
    server errors and invalid answers are retried with backoff; an answer cut off at the token
    limit or a prompt refused for its size is not, since asking again the same way gets the same.
    When a criterion still has no valid answer, the stage has no result: a score is never made up.
    Everything it holds pickles, and nothing stays bound to one event loop.
    """

    def __init__(
        self,
        validator: Validator,
        criteria: Sequence[LlmCriterion],
        *,
        temperature: float = 0.3,
        max_tokens: int = 512,
        concurrency: int = 4,
        timeout: float | None = None,
        retry: RetryPolicy | None = None,
        context_tokens: int | None = None,
        chars_per_token: float | None = None,
        sleep: Sleep = asyncio.sleep,
        jitter: Callable[[], float] | None = None,
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
        self._context_setting = context_tokens
        self._chars_per_token = chars_per_token or CHARS_PER_TOKEN
        self._context: int | None = None
        self._sleep = sleep
        self._jitter = jitter or _jitter
        self._slots = PerLoop(functools.partial(asyncio.Semaphore, concurrency))
        self.usage = LlmUsage()

    @property
    def validator(self) -> Validator:
        return self._validator

    @property
    def criteria(self) -> tuple[LlmCriterion, ...]:
        return self._criteria

    @property
    def concurrency(self) -> int:
        return self._concurrency

    async def check(self) -> Result[None, str]:
        """The validator serves the model, and the prompts fit its context with an answer."""
        reachable = await self._validator.check()
        if isinstance(reachable, Failure):
            return reachable
        try:
            await self._budget()
        except PromptTooLong as exc:
            return Failure(str(exc))
        return Success(None)

    async def context_tokens(self) -> int:
        """The context prompts are planned for: the server's, unless a setting asks for less."""
        if self._context is None:
            served = await self._validator.context_size()
            setting = self._context_setting
            if served is None:
                self._context = setting or DEFAULT_CONTEXT
            else:
                self._context = min(served, setting or MAX_PLANNED_CONTEXT)
        return self._context

    async def _budget(self) -> int:
        context = await self.context_tokens()
        longest = max((criterion.prompt_chars for criterion in self._criteria), default=0)
        return transcript_budget(context, longest, self._max_tokens, self._chars_per_token)

    async def __call__(self, transcript: Transcript) -> Result[StageResult, str]:
        """The stage's result, or why some criterion got no valid answer."""
        try:
            budget = await self._budget()
        except PromptTooLong as exc:
            return Failure(str(exc))
        windows = plan_windows(transcript.text, budget)
        self.usage.add_record(len(windows), len(transcript.text))
        per_window = await asyncio.gather(*(self._judge_window(window, transcript.text) for window in windows))
        places = window_evidence(transcript, windows) if len(windows) > 1 else []
        scores: dict[str, CriterionScore] = {}
        problems: list[str] = []
        for at, criterion in enumerate(self._criteria):
            answers: list[tuple[Window, Answer]] = []
            for window, outcomes in zip(windows, per_window, strict=True):
                match outcomes[at]:
                    case Success(answer):
                        answers.append((window, answer))
                    case Failure(reason):
                        where = f" in {window.label()}" if len(windows) > 1 else ""
                        problems.append(f"{criterion.name}{where}: {reason}")
            if len(answers) == len(windows):
                scores[criterion.name] = criterion.score_windows(answers, places)
        if problems:
            return Failure("; ".join(problems))
        return Success(StageResult.of(scores))

    async def _judge_window(self, window: Window, text: str) -> list[Result[Answer, str]]:
        # One criterion after the other: the second call's prompt opens like the first's.
        piece = text[window.start : window.end]
        return [await self._judge(criterion, piece) for criterion in self._criteria]

    async def _judge(self, criterion: LlmCriterion, text: str) -> Result[Answer, str]:
        temperature = self._temperature if criterion.temperature is None else criterion.temperature
        context = await self.context_tokens()
        request = ValidatorRequest(criterion.prompt(text), ANSWER_SCHEMA, temperature, self._max_tokens, context)
        last = CallFailed("no attempt made", retryable=False)
        for attempt in range(self._retry.attempts):
            if attempt:
                await self._sleep(self._retry.delay(attempt - 1, self._jitter(), last.retry_after))
            async with self._slots.get():
                reply = await self._call(request)
            match reply:
                case Success(completion):
                    self.usage.add_call(completion)
                    outcome = self._read(completion, request)
                    if isinstance(outcome, Answer):
                        return Success(outcome)
                    last = outcome
                case Failure(failed):
                    last = failed
            if not last.retryable:
                break
        tries = f"{attempt + 1} attempt{'s' if attempt else ''}"
        return Failure(f"no valid answer after {tries}: {last.reason}")

    def _read(self, completion: Completion, request: ValidatorRequest) -> Answer | CallFailed:
        if completion.cut_off:
            self.usage.cut_offs += 1
            return CallFailed(
                f"the answer was cut off at the token limit ({request.max_tokens} tokens, or the end of the "
                "context) and is not read; raise --validator-max-tokens or use a model that answers shorter",
                retryable=False,
            )
        answer = parse_answer(completion.text)
        if isinstance(answer, Answer):
            return answer
        return CallFailed(f"invalid answer ({answer.reason})", retryable=True)

    async def _call(self, request: ValidatorRequest) -> Result[Completion, CallFailed]:
        if self._timeout is None:
            return await self._validator.complete(request)
        try:
            return await asyncio.wait_for(self._validator.complete(request), self._timeout)
        except TimeoutError:
            return Failure(CallFailed(f"timed out after {self._timeout:g} s", retryable=True))
