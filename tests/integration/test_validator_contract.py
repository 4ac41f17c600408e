"""One contract for the Validator port, run against the fake and both real adapters (on the loopback server)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator

import pytest
from returns.result import Failure, Success

from arandu.adapters.validators import create_validator
from arandu.application.errors import CallFailed
from arandu.application.ports import Validator, ValidatorRequest
from arandu.domain.llm import ANSWER_SCHEMA, Answer, parse_answer
from tests.fakes import FakeValidator
from tests.integration.llm_server import MODEL, FakeModelServer

pytestmark = pytest.mark.integration

PROMPT = "Task: judge the drift.\n<<<TRANSCRIPT\nEu nasci numa cidade pequena.\nTRANSCRIPT>>>\nAnswer in JSON."
REQUEST = ValidatorRequest(PROMPT, ANSWER_SCHEMA, temperature=0.3, max_tokens=256)

Make = Callable[[str], Validator]


@pytest.fixture(scope="module")
def server() -> Iterator[FakeModelServer]:
    with FakeModelServer(models=(MODEL,)) as running:
        yield running


@pytest.fixture(params=["fake", "ollama", "openai-compatible"])
def make(request: pytest.FixtureRequest, server: FakeModelServer) -> tuple[str, Make]:
    """A factory for a validator of a given model, and whether faults can be injected into it."""
    if request.param == "fake":

        def fake(model: str) -> Validator:
            # Mirrors the loopback server: it serves MODEL, and fails every call while status_every is 1.
            def respond(request: ValidatorRequest) -> str | CallFailed:
                if server.status_every == 1:
                    return CallFailed("the fake answered 503", retryable=True)
                return '{"rationale": "fine", "score": 0.95}'

            if model != MODEL:
                return FakeValidator(model=model, reachable=Failure(f"{model} is not served"))
            return FakeValidator(model=MODEL, respond=respond)

        return request.param, fake
    if request.param == "ollama":
        return request.param, lambda model: create_validator(model, provider="ollama", base_url=server.ollama_url)
    return request.param, lambda model: create_validator(model, base_url=server.openai_url)


def test_a_served_model_passes_the_check_and_answers_json(make: tuple[str, Make]) -> None:
    _, build = make
    validator = build(MODEL)
    assert asyncio.run(validator.check()) == Success(None)
    reply = asyncio.run(validator.complete(REQUEST))
    assert isinstance(reply, Success)
    assert isinstance(parse_answer(reply.unwrap().text), Answer)
    assert validator.model == MODEL


def test_a_missing_model_fails_the_check_naming_it(make: tuple[str, Make]) -> None:
    _, build = make
    result = asyncio.run(build("absent-model").check())
    assert isinstance(result, Failure)
    assert "absent-model" in result.failure()


def test_a_server_error_is_a_retryable_failure(make: tuple[str, Make], server: FakeModelServer) -> None:
    _, build = make
    validator = build(MODEL)
    server.status_every = 1
    try:
        reply = asyncio.run(validator.complete(REQUEST))
    finally:
        server.status_every = 0
    assert isinstance(reply, Failure)
    assert reply.failure().retryable


def test_a_refused_connection_is_a_retryable_failure() -> None:
    for validator in (
        create_validator(MODEL, provider="ollama", base_url="http://127.0.0.1:9"),
        create_validator(MODEL, base_url="http://127.0.0.1:9/v1"),
    ):
        reply = asyncio.run(validator.complete(REQUEST))
        assert isinstance(reply, Failure)
        assert reply.failure().retryable
        assert isinstance(asyncio.run(validator.check()), Failure)


def test_a_rate_limit_carries_the_servers_retry_after(server: FakeModelServer) -> None:
    validator = create_validator(MODEL, base_url=server.openai_url)
    server.retry_after = "7"
    try:
        limited = asyncio.run(validator.complete(REQUEST))
        answered = asyncio.run(validator.complete(REQUEST))  # the fake limits each prompt once
    finally:
        server.retry_after = None
    assert isinstance(limited, Failure)
    assert limited.failure().retryable and limited.failure().retry_after == 7.0
    assert isinstance(answered, Success) and not answered.unwrap().cut_off
