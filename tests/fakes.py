"""Fakes for the application's ports: small working implementations kept in memory, not mocks."""

from __future__ import annotations

import asyncio
import copy
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

from returns.result import Failure, Result, Success

from arandu.application.errors import CallFailed, ConfigurationError, RecordError, UnreadableRecord, WriteFailed
from arandu.application.ports import Completion, LoadedRecord, ValidatorRequest
from arandu.domain.llm import LLM_CRITERIA, LlmCriterion
from arandu.domain.transcript import InvalidTranscript, Transcript
from arandu.domain.verdict import JudgePipelineResult

R = TypeVar("R")


class InMemoryRecordStore:
    """A RecordStore over a dict of key -> record document.

    It reads documents with the same rules as the record format (required string
    `transcription_text`, optional duration and segments), writes `validation` and
    `is_valid` back in place, and remembers every save it was asked to make. Tests
    can make a key unreadable or make saving a key fail.
    """

    def __init__(self, documents: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        self.documents: dict[str, dict[str, Any]] = {k: copy.deepcopy(dict(v)) for k, v in (documents or {}).items()}
        self.saves: list[str] = []
        self.loads: list[str] = []
        self._unreadable: dict[str, str] = {}
        self._unwritable: dict[str, str] = {}

    def add(self, key: str, document: Mapping[str, Any]) -> None:
        self.documents[key] = copy.deepcopy(dict(document))

    def make_unreadable(self, key: str, reason: str = "cannot be read (simulated)") -> None:
        self._unreadable[key] = reason

    def fail_saving(self, key: str, reason: str = "verdict not written (simulated disk full)") -> None:
        self._unwritable[key] = reason

    def keys(self) -> Iterator[str]:
        return iter(sorted(self.documents))

    def load(self, key: str) -> Result[LoadedRecord, RecordError]:
        self.loads.append(key)
        if key in self._unreadable:
            return Failure(UnreadableRecord(key, self._unreadable[key]))
        document = self.documents.get(key)
        if document is None:
            return Failure(UnreadableRecord(key, "no such record"))
        if "transcription_text" not in document:
            return Failure(UnreadableRecord(key, "missing required field 'transcription_text'"))
        try:
            transcript = Transcript.parse(
                document["transcription_text"], document.get("duration_milliseconds"), document.get("segments")
            )
        except InvalidTranscript as exc:
            return Failure(UnreadableRecord(key, str(exc)))
        validation = document.get("validation")
        judged = isinstance(validation, dict)
        stages = validation.get("stage_results") if isinstance(validation, dict) else None
        awaiting_llm = (
            judged and validation.get("passed") is True and isinstance(stages, dict) and "llm_filter" not in stages
        )
        return Success(LoadedRecord(key, transcript, judged, handle=key, awaiting_llm=awaiting_llm))

    def save(self, record: LoadedRecord, verdict: JudgePipelineResult) -> Result[None, RecordError]:
        self.saves.append(record.key)
        if record.key in self._unwritable:
            return Failure(WriteFailed(record.key, self._unwritable[record.key]))
        document = dict(self.documents[record.key])
        document["validation"] = verdict.model_dump(mode="json")
        document["is_valid"] = verdict.passed
        self.documents[record.key] = document
        return Success(None)


Reply = str | Completion | CallFailed


class FakeValidator:
    """A scripted model: `enqueue` replies (answer text or a `CallFailed`), then read `history`.

    When the queue is empty, `respond` (if given) makes the reply from the
    request; otherwise the fake answers a passing score. `latency` makes each
    call wait, so tests can watch `max_in_flight`; `yields` holds each call for
    that many turns of the event loop instead, which needs no clock.
    """

    def __init__(
        self,
        *,
        model: str = "fake-model",
        provider: str = "fake",
        respond: Callable[[ValidatorRequest], Reply] | None = None,
        latency: float = 0.0,
        reachable: Result[None, str] | None = None,
        context: int | None = None,
        yields: int = 0,
    ) -> None:
        self.model = model
        self.context = context
        self.provider = provider
        self.history: list[ValidatorRequest] = []
        self.checks = 0
        self.max_in_flight = 0
        self._in_flight = 0
        self._queue: deque[Reply] = deque()
        self._respond = respond
        self._latency = latency
        self._yields = yields
        self._reachable = reachable if reachable is not None else Success(None)

    def enqueue(self, *replies: Reply) -> FakeValidator:
        self._queue.extend(replies)
        return self

    async def complete(self, request: ValidatorRequest) -> Result[Completion, CallFailed]:
        self.history.append(request)
        self._in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self._in_flight)
        try:
            if self._latency:
                await asyncio.sleep(self._latency)
            for _ in range(self._yields):
                await asyncio.sleep(0)
            if self._queue:
                reply = self._queue.popleft()
            elif self._respond is not None:
                reply = self._respond(request)
            else:
                reply = '{"rationale": "fine", "score": 0.95, "issues": []}'
        finally:
            self._in_flight -= 1
        if isinstance(reply, CallFailed):
            return Failure(reply)
        return Success(reply if isinstance(reply, Completion) else Completion(reply))

    async def check(self) -> Result[None, str]:
        self.checks += 1
        return self._reachable

    async def context_size(self) -> int | None:
        return self.context

    def prompts_for(self, criterion_marker: str) -> list[str]:
        return [request.prompt for request in self.history if criterion_marker in request.prompt]


class StaticPrompts:
    """Prompt templates held in memory; each names its criterion so tests can tell the calls apart."""

    def __init__(self, thresholds: dict[str, float] | None = None, temperature: float | None = None) -> None:
        self._thresholds = {"language_drift": 0.8, "hallucination_loop": 0.7, **(thresholds or {})}
        self._temperature = temperature

    def criterion(self, name: str, language: str) -> LlmCriterion:
        if name not in LLM_CRITERIA:
            raise ConfigurationError(f"no prompt for {name}")
        template = f"{{{{transcript}}}}\ncriterion={name} language={language}\nAnswer in JSON."
        return LlmCriterion(name, language, template, self._thresholds[name], f"v-{name}", self._temperature)
