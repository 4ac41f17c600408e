"""The public Python API: `TranscriptionJudge` and `build_validator_client`, as the seed shows them."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from pathlib import Path

from returns.result import Failure

from arandu import __version__
from arandu.adapters.prompts.files import FilePromptRepository
from arandu.adapters.validators import create_validator
from arandu.application.judge_record import JudgeRecord
from arandu.application.judge_record_llm import JudgeRecordWithLlm
from arandu.application.llm_stage import LlmStage
from arandu.application.ports import Validator
from arandu.application.retry import RetryPolicy
from arandu.domain.criteria import default_heuristic_criteria
from arandu.domain.transcript import Transcript
from arandu.domain.verdict import JudgedBy, JudgePipelineResult
from arandu.entrypoints.container import judged_by_validator, load_llm_criteria
from arandu.entrypoints.settings import load_settings


class JudgeFailedError(RuntimeError):
    """The LLM stage got no valid answer for some criterion, even after retries; there is no verdict."""


def build_validator_client(model_id: str, provider: str | None = None, base_url: str | None = None) -> Validator:
    """A validator for the LLM stage.

    `provider` is `ollama`, `openai` or `custom`; unset, it is
    `ARANDU_JUDGE_VALIDATOR_PROVIDER`, else `custom` when a base URL is
    configured, else `ollama`. `base_url` defaults to
    `ARANDU_JUDGE_VALIDATOR_BASE_URL`, then `ARANDU_LLM_BASE_URL`. Raises
    `arandu.application.errors.ConfigurationError` for `custom` without a base
    URL, or `openai` without `OPENAI_API_KEY`. Nothing is contacted here.
    """
    settings = load_settings()
    return create_validator(
        model_id,
        provider=provider or settings.validator_provider,
        base_url=base_url or settings.base_url,
        api_key=settings.api_key,
        timeout=settings.timeout,
    )


class TranscriptionJudge:
    """Judge transcripts from Python code.

    >>> judge = TranscriptionJudge(language="pt")
    >>> result = judge.evaluate_transcription(text="...", duration_ms=60_000, segments=[])
    >>> result.passed, result.model_dump()["stage_results"].keys()

    With `validator_client` (see `build_validator_client`), transcripts that pass
    the heuristic stage also go through the LLM stage; when its calls never give
    a valid answer, `JudgeFailedError` is raised rather than a made-up verdict.
    """

    def __init__(
        self,
        language: str = "pt",
        validator_client: Validator | None = None,
        *,
        prompts_dir: str | Path | None = None,
        temperature: float = 0.3,
        max_tokens: int = 2048,
        concurrency: int = 4,
        timeout: float | None = 120.0,
        retries: int = 3,
    ) -> None:
        self.language = language
        criteria = default_heuristic_criteria(language)
        self._heuristic = JudgeRecord(criteria, JudgedBy(arandu_version=__version__, language=language))
        self._with_llm: JudgeRecordWithLlm | None = None
        if validator_client is not None:
            llm_criteria = load_llm_criteria(FilePromptRepository(prompts_dir), language)
            stage = LlmStage(
                validator_client,
                llm_criteria,
                temperature=temperature,
                max_tokens=max_tokens,
                concurrency=concurrency,
                timeout=timeout,
                retry=RetryPolicy(retries=retries),
            )
            judged_by = judged_by_validator(language, validator_client, llm_criteria)
            self._with_llm = JudgeRecordWithLlm(criteria, stage, judged_by)

    def evaluate_transcription(
        self, text: str, duration_ms: float | None = None, segments: Iterable[object] | None = None
    ) -> JudgePipelineResult:
        """The verdict for one transcript; segments may be dicts or objects with `text`, `start`, `end`.

        Raises `arandu.domain.transcript.InvalidTranscript` (a ValueError) for input of the wrong shape,
        and `JudgeFailedError` when the LLM stage could not reach a verdict. Inside a running event
        loop, await `evaluate_transcription_async` instead.
        """
        transcript = Transcript.parse(text, duration_ms, segments)
        if self._with_llm is None:
            return self._heuristic(transcript)
        return asyncio.run(self._judge_with_llm(transcript))

    async def evaluate_transcription_async(
        self, text: str, duration_ms: float | None = None, segments: Iterable[object] | None = None
    ) -> JudgePipelineResult:
        """The same verdict, awaited; many of these may run at once and share the in-flight call budget."""
        transcript = Transcript.parse(text, duration_ms, segments)
        if self._with_llm is None:
            return self._heuristic(transcript)
        return await self._judge_with_llm(transcript)

    async def _judge_with_llm(self, transcript: Transcript) -> JudgePipelineResult:
        assert self._with_llm is not None
        result = await self._with_llm(transcript)
        if isinstance(result, Failure):
            raise JudgeFailedError(result.failure())
        return result.unwrap()
