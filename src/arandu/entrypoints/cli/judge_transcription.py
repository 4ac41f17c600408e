"""`arandu judge-transcription LOCATION`: judge every record and write the verdicts back."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from cyclopts import Parameter

from arandu.adapters.executors.dask_executor import ExecutorUnavailable
from arandu.adapters.storage.locations import StorageError, parse_storage_options, protocol_of
from arandu.application.errors import ConfigurationError
from arandu.application.stopping import StopRequest
from arandu.entrypoints.cli.common import UsageError, check_language, fail, pattern_hint, reader_may_leave
from arandu.entrypoints.cli.output import ProgressReporter, print_summary
from arandu.entrypoints.cli.summary_json import summary_json
from arandu.entrypoints.container import Container
from arandu.entrypoints.settings import load_settings

EXIT_OK, EXIT_RECORD_ERRORS, EXIT_USAGE = 0, 1, 2


def judge_transcription(
    location: str,
    /,
    *,
    language: str | None = None,
    rejudge: Annotated[bool, Parameter(negative="--resume")] = False,
    workers: int | None = None,
    pattern: str = "*_transcription.json",
    validator_model: str | None = None,
    validator_provider: Literal["ollama", "openai", "custom"] | None = None,
    validator_base_url: str | None = None,
    validator_temperature: float | None = None,
    validator_max_tokens: int | None = None,
    validator_context_tokens: int | None = None,
    concurrency: int | None = None,
    timeout: float | None = None,
    retries: int | None = None,
    prompts_dir: str | None = None,
    storage_option: Annotated[list[str] | None, Parameter(name="--storage-option", negative="")] = None,
    executor: Literal["local", "dask"] = "local",
    scheduler: str | None = None,
    dask_workers: int = 2,
    max_record_mb: float | None = None,
    audio_dir: str | None = None,
    json: bool = False,
    format: Annotated[Literal["text", "json"], Parameter(name="--format")] = "text",
    quiet: Annotated[bool, Parameter(name=["--quiet", "-q"], negative="")] = False,
    verbose: Annotated[bool, Parameter(name=["--verbose", "-v"], negative="")] = False,
) -> int:
    """Judge every *_transcription.json record under LOCATION and write each verdict back.

    A record is an arandu record or the JSON written by openai-whisper, faster-whisper,
    WhisperX or whisper.cpp, recognised by its content; --pattern chooses other file names.

    Each record gets `validation` (the full verdict, with a score, a rationale and
    issue tags per criterion) and `is_valid`. Every other field is kept as it was,
    and a file is replaced atomically, so an interrupted run never leaves half a record.

    With a validator model, records that pass the heuristic stage also go through
    the LLM stage (language_drift, hallucination_loop). The validator is checked
    before any record is touched. A record whose LLM calls never got a valid answer
    is left as it was and counted as an error, so the next run retries it.

    Exit status: 0 when every record was judged or skipped, 1 when some record
    could not be read, parsed, judged or written (all others are still judged),
    2 for bad usage or configuration (including an unreachable validator, or a folder
    another arandu run is judging), 128+N when stopped by signal N (Ctrl-C, SIGTERM,
    SIGHUP) after writing what was judged.

    Parameters
    ----------
    location
        A folder, a bucket prefix or a single record: a path, file://, s3://bucket/prefix,
        gs://bucket/prefix or memory://. Only keys below the prefix whose names match
        --pattern are records.
    language
        Expected language of the transcripts, e.g. pt or en (default: ARANDU_JUDGE_LANGUAGE, else pt).
    rejudge
        Judge every record again, replacing verdicts already written. The default,
        --resume, skips records that already hold a verdict and leaves their files untouched.
    workers
        Worker processes (default: one per CPU; with a validator, one, which keeps --concurrency calls in flight).
    pattern
        Glob that file names must match (for example '*.json' for Whisper's own output files).
    validator_model
        Model for the LLM stage, e.g. qwen3:14b (default: ARANDU_JUDGE_VALIDATOR_MODEL; none = heuristics only).
    validator_provider
        Default: custom when a base URL is set, else ollama (or ARANDU_JUDGE_VALIDATOR_PROVIDER).
    validator_base_url
        Server URL, e.g. http://localhost:8000/v1 (default: ARANDU_JUDGE_VALIDATOR_BASE_URL, else ARANDU_LLM_BASE_URL).
    validator_temperature
        Sampling temperature for every LLM criterion (default: ARANDU_JUDGE_TEMPERATURE, else the
        criterion's config, else 0.3).
    validator_max_tokens
        Longest answer the model may write; a reply cut off there is never read
        (default: ARANDU_JUDGE_MAX_TOKENS, else 512).
    validator_context_tokens
        The model's context in tokens, when the server does not report it (or to plan for less);
        longer transcripts are judged in overlapping windows (default: ARANDU_JUDGE_CONTEXT_TOKENS, else 4096).
    concurrency
        LLM calls in flight at once in each worker process or Dask worker (default: ARANDU_JUDGE_CONCURRENCY, else 4).
    timeout
        Seconds to wait for one LLM call before retrying it (default: ARANDU_JUDGE_TIMEOUT, else 300).
    retries
        Attempts after the first for a failed or invalid LLM call (default: ARANDU_JUDGE_RETRIES, else 3).
    prompts_dir
        Folder with judge/criteria/NAME/LANGUAGE/prompt.md and NAME/config.json; replaces the bundled prompts
        (default: ARANDU_JUDGE_PROMPTS_DIR).
    storage_option
        KEY=VALUE passed to the filesystem (e.g. endpoint_url=..., anon=true); repeatable.
        VALUE is read as JSON when it parses, else as a string. Adds to and overrides
        ARANDU_JUDGE_STORAGE_OPTIONS (a JSON object). Credentials normally come from the
        store's own configuration (AWS_* variables and profiles, gcloud credentials).
    executor
        Where records are judged: local processes (the default) or a Dask cluster (needs arandu[dask]).
    scheduler
        Address of an existing Dask scheduler, e.g. tcp://10.0.0.5:8786 (with --executor dask;
        default: DASK_SCHEDULER_ADDRESS, else a local cluster started for the run).
    dask_workers
        Worker processes of the local Dask cluster started when no scheduler is given.
    max_record_mb
        Record files larger than this many MiB are reported, not read (default: ARANDU_JUDGE_MAX_RECORD_MB, else 64).
    audio_dir
        Folder or bucket prefix holding the recordings: records that pass the heuristics are also
        judged against the speech heard in theirs (needs arandu[audio]; docs/audio.md says how a
        record's recording is found; default: ARANDU_JUDGE_AUDIO_DIR).
    json
        Print the summary on standard output as one JSON object (counts, rejections, each error's record
        and reason) instead of the table; the same as --format json.
    format
        text (the summary table) or json (as --json), the words report and audit score take too.
    quiet
        Print nothing but errors (no note, no progress, no summary).
    verbose
        Also print a line per record as it is judged: passed, failed, skipped or error, and its path.
    """
    try:
        settings = load_settings()
    except ConfigurationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    model = validator_model or settings.validator_model
    try:
        storage_options = {**settings.storage_options, **parse_storage_options(storage_option or ())}
    except StorageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    config: dict[str, Any] = {
        "language": language or settings.language,
        "location": location,
        "storage_options": storage_options,
        "max_record_bytes": int((max_record_mb or settings.max_record_mb) * 2**20),
        "executor": executor,
        "scheduler": scheduler,
        "dask_workers": dask_workers,
        "workers": workers if workers is not None else (os.cpu_count() or 1),
        "workers_given": workers is not None,
        "pattern": pattern,
        "validator_model": model,
        "validator_provider": validator_provider or settings.validator_provider,
        "validator_base_url": validator_base_url or settings.base_url,
        "api_key": settings.api_key,
        "temperature": validator_temperature if validator_temperature is not None else settings.temperature,
        "temperature_given": validator_temperature is not None or "temperature" in settings.model_fields_set,
        "max_tokens": validator_max_tokens or settings.max_tokens,
        "context_tokens": validator_context_tokens or settings.context_tokens,
        "chars_per_token": settings.chars_per_token,
        "concurrency": concurrency if concurrency is not None else settings.concurrency,
        "timeout": timeout if timeout is not None else settings.timeout,
        "retries": retries if retries is not None else settings.retries,
        "retry_backoff": settings.retry_backoff,
        "prompts_dir": prompts_dir or settings.prompts_dir,
        "audio_dir": audio_dir or settings.audio_dir,
    }
    if problem := _bad_flag(config, workers, max_record_mb) or _bad_executor_flag(config):
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    try:
        check_language(config["language"])
    except UsageError as exc:
        return fail(str(exc))
    container = Container()
    container.config.from_dict(config)
    stop = StopRequest()
    try:
        store = container.record_store()
        # Before anything is written: a missing extra, a missing bucket or a refused prefix stops the run here.
        store.check()
        if next(iter(store.keys()), None) is None:
            return fail(pattern_hint(location, storage_options, pattern))
        if model is None and not quiet:
            print("note: no validator model configured; running the heuristic stage only.", file=sys.stderr)
        with store.exclusive(), stopping_on_signals(stop):
            corpus = container.judge_corpus()
            verbosity = -1 if quiet else 1 if verbose else 0
            with ProgressReporter(total=_cheap_total(store, location, verbosity), verbosity=verbosity) as progress:
                summary = corpus(rejudge=rejudge, listener=progress, stop=stop)
    except (StorageError, ExecutorUnavailable, ConfigurationError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    with reader_may_leave():  # `judge-transcription ... | head` ends quietly, its records all written
        if json or format == "json":
            print(summary_json(summary, location=location, elapsed=progress.elapsed))
        elif not quiet:
            print_summary(summary, elapsed=progress.elapsed)
    if summary.stopped_by is not None:
        print(
            f"stopped by {summary.stopped_by}: {summary.judged} records judged and written, nothing half-written; "
            "run the same command again to resume",
            file=sys.stderr,
        )
        return 128 + signal.Signals[summary.stopped_by].value
    return EXIT_RECORD_ERRORS if summary.errors else EXIT_OK


def _cheap_total(store: Any, location: str, verbosity: int) -> int | None:
    """The number of records, when a bar will show it and counting costs one listing of a local folder."""
    if verbosity < 0 or not sys.stderr.isatty() or protocol_of(location) != "file":
        return None
    keys = store.keys()
    return sum(1 for _ in keys)


@contextlib.contextmanager
def stopping_on_signals(stop: StopRequest) -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP ask the run to stop after the records in progress; a second one stops at once."""

    def handle(number: int, _frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        name = signal.Signals(number).name
        stop.set(name)
        print(f"\n{name}: finishing the records in progress, then stopping (again to stop at once)", file=sys.stderr)

    numbers = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {number: signal.signal(number, handle) for number in numbers}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _bad_executor_flag(config: dict[str, Any]) -> str | None:
    if config["dask_workers"] < 1:
        return "--dask-workers must be at least 1"
    if config["scheduler"] and config["executor"] != "dask":
        return "--scheduler needs --executor dask"
    return None


def _bad_flag(config: dict[str, Any], workers: int | None, max_record_mb: float | None) -> str | None:
    if workers is not None and workers < 1:
        return "--workers must be at least 1"
    if max_record_mb is not None and max_record_mb <= 0:
        return "--max-record-mb must be positive"
    if config["concurrency"] < 1:
        return "--concurrency must be at least 1"
    if config["timeout"] <= 0:
        return "--timeout must be positive"
    if config["retries"] < 0:
        return "--retries must not be negative"
    if config["max_tokens"] < 1:
        return "--validator-max-tokens must be at least 1"
    return None
