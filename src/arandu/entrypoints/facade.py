"""The public Python API: `TranscriptionJudge` and `build_validator_client`, as the seed shows them."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from pathlib import Path

from dependency_injector import providers
from returns.result import Failure, Success

from arandu.adapters.records.whisper_json import parse_any_document
from arandu.adapters.records.whisper_objects import UnknownResult, result_document
from arandu.adapters.validators import create_validator
from arandu.application.judge_record import JudgeRecord
from arandu.application.ports import LoadedRecord, Validator
from arandu.domain.transcript import InvalidTranscript, Transcript
from arandu.domain.verdict import JudgePipelineResult
from arandu.entrypoints.container import Container
from arandu.entrypoints.languages import check_language
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
    """Judge transcripts from Python code, straight from what Whisper returns.

    >>> judge = TranscriptionJudge(language="pt")
    >>> verdict = judge.evaluate_transcription(whisper_model.transcribe("talk.wav"))
    >>> verdict = judge.evaluate_transcription(text="...", duration_ms=60_000, segments=[])
    >>> verdict.passed, verdict.model_dump()["stage_results"].keys()

    With `validator_client` (see `build_validator_client`), transcripts that pass
    the heuristic stage also go through the LLM stage; when its calls never give
    a valid answer, `JudgeFailedError` is raised rather than a made-up verdict.
    An unknown `language` raises `ValueError` naming the nearest known codes.
    """

    def __init__(
        self,
        language: str = "pt",
        validator_client: Validator | None = None,
        *,
        prompts_dir: str | Path | None = None,
        temperature: float = 0.3,
        max_tokens: int = 512,
        concurrency: int = 4,
        timeout: float | None = 300.0,
        retries: int = 3,
    ) -> None:
        self.language = check_language(language)
        self._validator = validator_client
        self._config = {
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
        self._judges: dict[str, JudgeRecord] = {}
        self._judge_for(self.language)

    def _judge_for(self, language: str) -> JudgeRecord:
        """One judge per language, built on first use (criteria and prompts differ by language)."""
        judge = self._judges.get(language)
        if judge is None:
            container = Container()
            container.config.from_dict({**self._config, "language": check_language(language)})
            if self._validator is not None:
                container.validator.override(providers.Object(self._validator))
            judge = self._judges[language] = container.judge_record()
        return judge

    def evaluate_transcription(
        self,
        result: object = None,
        duration_ms: float | None = None,
        segments: Iterable[object] | None = None,
        *,
        text: str | None = None,
        language: str | None = None,
    ) -> JudgePipelineResult:
        """The verdict for one transcript.

        `result` is what a Whisper tool returned: `whisper.transcribe()`'s dict, faster-whisper's
        `(segments, info)` pair, a WhisperX result, whisper.cpp's JSON object, or an arandu record
        dict; it is read as `arandu judge-transcription` reads that tool's JSON (the duration, when
        not stated, is the end of the last segment). Or give `text=`, `duration_ms=` and `segments=`
        (dicts or objects with `text`, `start`, `end`). `language` overrides the judge's for this call.

        Raises `arandu.domain.transcript.InvalidTranscript` (a ValueError) for input of the wrong shape,
        `ValueError` for an unknown language, and `JudgeFailedError` when the LLM stage could not reach
        a verdict. Inside a running event loop, await `evaluate_transcription_async` instead.
        """
        return asyncio.run(
            self.evaluate_transcription_async(result, duration_ms, segments, text=text, language=language)
        )

    async def evaluate_transcription_async(
        self,
        result: object = None,
        duration_ms: float | None = None,
        segments: Iterable[object] | None = None,
        *,
        text: str | None = None,
        language: str | None = None,
    ) -> JudgePipelineResult:
        """The same verdict, awaited; many of these may run at once and share the in-flight call budget."""
        transcript = _transcript(result, duration_ms, segments, text)
        judge = self._judge_for(language or self.language)
        verdict = await judge(LoadedRecord("<python>", transcript, judged=False))
        if isinstance(verdict, Failure):
            raise JudgeFailedError(verdict.failure())
        return verdict.unwrap()


def _transcript(result: object, duration_ms: object, segments: Iterable[object] | None, text: object) -> Transcript:
    if text is not None or isinstance(result, str):
        # The keyword form, or the older positional one: evaluate_transcription("text", 60_000, [...]).
        return Transcript.parse(text if text is not None else result, duration_ms, segments)
    if result is None:
        raise InvalidTranscript(
            "'transcription_text' must be a string (got null): give a Whisper result, or text= "
            "(with duration_ms= and segments= when known)"
        )
    try:
        document = result_document(result)
    except UnknownResult as exc:
        raise InvalidTranscript(str(exc)) from None
    match parse_any_document(document, True):
        case Success(parsed):
            transcript: Transcript = parsed.transcript
            return transcript
        case Failure(reason):
            raise InvalidTranscript(reason)
    raise AssertionError("unreachable")
