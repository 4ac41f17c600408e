"""Ports: what the use cases need from the outside world, as small Protocols."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from returns.result import Result

from arandu.application.errors import CallFailed, RecordError
from arandu.domain.transcript import Transcript
from arandu.domain.verdict import JudgePipelineResult

if TYPE_CHECKING:
    from arandu.domain.llm import LlmCriterion


@dataclass(frozen=True, slots=True)
class LoadedRecord:
    """A record read from a store: its transcript, whether it holds a verdict, and what the store needs to save it."""

    key: str
    transcript: Transcript
    judged: bool
    handle: Any = None
    # Its stored verdict passed the heuristic stage with no LLM stage run: a run with a validator judges it again.
    awaiting_llm: bool = False
    # Where its audio may be: the record's `audio_path` field, else its `name` field, when either is a string.
    audio_hint: str | None = None


class RecordStore(Protocol):
    """Where records live: lists them, reads one, writes a verdict back into one."""

    def keys(self) -> Iterator[str]:
        """Every record key under the store's location, lazily, in a stable order."""
        ...

    def load(self, key: str) -> Result[LoadedRecord, RecordError]:
        """Read and parse one record; a bad record is a Failure naming the reason."""
        ...

    def save(self, record: LoadedRecord, verdict: JudgePipelineResult) -> Result[None, RecordError]:
        """Write `validation` and `is_valid` into the record, keeping every other field; all or nothing."""
        ...


R = TypeVar("R")


class BatchExecutor(Protocol):
    """Runs the per-batch work somewhere: inline, in local processes, on a cluster."""

    def map_unordered(self, fn: Callable[[list[str]], R], batches: Iterable[list[str]]) -> Iterator[R]:
        """Apply `fn` to every batch, yielding results as they finish, with few batches in flight."""
        ...


class RecordDocuments(Protocol):
    """Read-only access to records as plain JSON objects, for whatever reads verdicts back (report, audit)."""

    def keys(self) -> Iterator[str]:
        """Every record key under the store's location, lazily, in a stable order."""
        ...

    def read_document(self, key: str) -> Result[dict[str, Any], RecordError]:
        """The record's whole JSON object, as written; a record that cannot be read or decoded is a Failure."""
        ...


class PromptRepository(Protocol):
    """Where the LLM criteria's prompts and configs live."""

    def criterion(self, name: str, language: str) -> LlmCriterion:
        """The criterion `name` for `language`: its template, threshold and version.

        Raises `ConfigurationError` when there is no such prompt or its config is
        broken; that is a fault of the setup, found before any record is touched.
        """
        ...


@dataclass(frozen=True, slots=True)
class ValidatorRequest:
    """One question to the model: the rendered prompt and the JSON schema its answer must follow.

    `context_tokens`, when set, is the context the stage planned the prompt for; servers that take
    it per call (Ollama's `num_ctx`) are given it so that nothing is cut from the prompt.
    """

    prompt: str
    schema: Mapping[str, Any]
    temperature: float
    max_tokens: int
    context_tokens: int | None = None


@dataclass(frozen=True, slots=True)
class Completion:
    """The model's reply: its text (reasoning kept out), whether it was cut off, and token counts when known.

    `cut_off` is set when the reply stopped at the token limit or the context rather than by itself:
    such a text is never read as an answer. `cached_tokens` is the part of the prompt the server
    reused from an earlier call (prefix caching).
    """

    text: str
    cut_off: bool = False
    prompt_tokens: int | None = None
    cached_tokens: int | None = None


class Validator(Protocol):
    """A language model that answers a prompt with JSON text."""

    @property
    def model(self) -> str:
        """The model's name as the provider knows it."""
        ...

    @property
    def provider(self) -> str:
        """`ollama`, `openai` or `custom`."""
        ...

    async def complete(self, request: ValidatorRequest) -> Result[Completion, CallFailed]:
        """The model's reply; timeouts, refused connections and HTTP errors come back as `CallFailed`."""
        ...

    async def check(self) -> Result[None, str]:
        """Whether the server answers and serves the model; a Failure says what to do about it."""
        ...

    async def context_size(self) -> int | None:
        """The model's context in tokens as the server reports it, or None when it does not say."""
        ...
