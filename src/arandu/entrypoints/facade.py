"""The public Python API: `TranscriptionJudge` and `build_validator_client`, as the seed shows them."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from pathlib import Path

from dependency_injector import providers
from returns.result import Failure

from arandu.adapters.validators import create_validator
from arandu.application.judge_record import JudgeRecord
from arandu.application.ports import LoadedRecord, Validator
from arandu.domain.transcript import Transcript
from arandu.domain.verdict import JudgePipelineResult
from arandu.entrypoints.container import Container
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
        container = Container()
        container.config.from_dict(
            {
                "language": language,
                "validator_model": validator_client.model if validator_client is not None else None,
                "prompts_dir": str(prompts_dir) if prompts_dir is not None else None,
                "temperature": temperature,
                "temperature_given": False,
                "max_tokens": max_tokens,
                "concurrency": concurrency,
                "timeout": timeout,
                "retries": retries,
                "retry_backoff": 0.5,
            }
        )
        if validator_client is not None:
            container.validator.override(providers.Object(validator_client))
        self._judge: JudgeRecord = container.judge_record()

    def evaluate_transcription(
        self, text: str, duration_ms: float | None = None, segments: Iterable[object] | None = None
    ) -> JudgePipelineResult:
        """The verdict for one transcript; segments may be dicts or objects with `text`, `start`, `end`.

        Raises `arandu.domain.transcript.InvalidTranscript` (a ValueError) for input of the wrong shape,
        and `JudgeFailedError` when the LLM stage could not reach a verdict. Inside a running event
        loop, await `evaluate_transcription_async` instead.
        """
        return asyncio.run(self.evaluate_transcription_async(text, duration_ms, segments))

    async def evaluate_transcription_async(
        self, text: str, duration_ms: float | None = None, segments: Iterable[object] | None = None
    ) -> JudgePipelineResult:
        """The same verdict, awaited; many of these may run at once and share the in-flight call budget."""
        transcript = Transcript.parse(text, duration_ms, segments)
        result = await self._judge(LoadedRecord("<python>", transcript, judged=False))
        if isinstance(result, Failure):
            raise JudgeFailedError(result.failure())
        return result.unwrap()
