"""A validator behind the OpenAI API: OpenAI itself, or a compatible server (vLLM, llama.cpp, LM Studio...)."""

from __future__ import annotations

from typing import Any

import openai
from openai.types.chat import ChatCompletion
from returns.result import Failure, Result, Success

from arandu.adapters.validators.ollama_validator import SYSTEM_PROMPT
from arandu.application.errors import CallFailed
from arandu.application.per_loop import PerLoop
from arandu.application.ports import ValidatorRequest


class OpenAIValidator:
    """Asks for a `json_schema` response format, falling back to `json_object` once a server rejects it.

    The SDK's own retries are turned off: the LLM stage retries with its own
    backoff, and a run must know about every failed attempt.
    """

    def __init__(
        self, model: str, *, provider: str, base_url: str | None, api_key: str | None, timeout: float | None = None
    ) -> None:
        self._model = model
        self._provider = provider
        self._base_url = base_url
        # Local servers need no key, but the SDK refuses to start without one.
        self._api_key = api_key or "not-needed"
        self._json_schema_supported = True
        self._clients = PerLoop(
            lambda: openai.AsyncOpenAI(base_url=base_url, api_key=self._api_key, timeout=timeout, max_retries=0)
        )

    @property
    def model(self) -> str:
        return self._model

    @property
    def provider(self) -> str:
        return self._provider

    @property
    def where(self) -> str:
        return self._base_url or "the OpenAI API"

    async def complete(self, request: ValidatorRequest) -> Result[str, CallFailed]:
        if self._json_schema_supported:
            schema_format = {
                "type": "json_schema",
                "json_schema": {"name": "criterion_answer", "schema": dict(request.schema), "strict": True},
            }
            reply = await self._ask(request, schema_format)
            if not isinstance(reply, _Rejected):
                return reply
            self._json_schema_supported = False
        reply = await self._ask(request, {"type": "json_object"})
        if isinstance(reply, _Rejected):
            return Failure(CallFailed(reply.reason, retryable=False))
        return reply

    async def _ask(
        self, request: ValidatorRequest, response_format: dict[str, Any]
    ) -> Result[str, CallFailed] | _Rejected:
        # OpenAI's newer models only take max_completion_tokens; compatible servers know max_tokens.
        limit = "max_completion_tokens" if self._provider == "openai" else "max_tokens"
        body = {
            "model": self._model,
            "messages": [
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": request.prompt},
            ],
            "temperature": request.temperature,
            "response_format": response_format,
            limit: request.max_tokens,
        }
        try:
            # The SDK's documented raw `post` sends this plain JSON as is; `chat.completions.create` would walk
            # the whole body (schema included) against its typed parameters on every call, which under a
            # full in-flight budget costs more CPU than the rest of the record's work put together.
            completion = await self._clients.get().post("/chat/completions", body=body, cast_to=ChatCompletion)
        except openai.BadRequestError as exc:
            # Servers without structured outputs reject the format with a 400; anything else is our fault.
            return _Rejected(f"{self.where} rejected the request: {_short(exc.message)}")
        except openai.APITimeoutError:
            return Failure(CallFailed(f"{self.where} timed out", retryable=True))
        except openai.APIConnectionError:
            return Failure(CallFailed(f"cannot connect to {self.where}", retryable=True))
        except openai.APIStatusError as exc:
            retryable = exc.status_code in (408, 409, 429) or exc.status_code >= 500
            return Failure(CallFailed(f"{self.where} answered {exc.status_code}: {_short(exc.message)}", retryable))
        except openai.OpenAIError as exc:
            return Failure(CallFailed(f"unreadable reply from {self.where} ({_short(str(exc))})", retryable=True))
        if not completion.choices:
            return Failure(CallFailed("the reply had no choices", retryable=True))
        return Success(completion.choices[0].message.content or "")

    async def check(self) -> Result[None, str]:
        try:
            page = await self._clients.get().models.list()
        except openai.AuthenticationError:
            return Failure(f"{self.where} refused the API key; set OPENAI_API_KEY")
        except openai.APIConnectionError as exc:
            return Failure(
                f"cannot reach {self.where} ({type(exc).__name__}); start the server or fix --validator-base-url"
            )
        except openai.APIStatusError as exc:
            return Failure(f"{self.where} answered {exc.status_code} when listing models: {_short(exc.message)}")
        served = [model.id for model in page.data]
        if self._model not in served:
            available = ", ".join(served[:10]) or "none"
            return Failure(
                f"{self.where} does not serve the model {self._model!r} (it serves: {available}); "
                "choose one with --validator-model"
            )
        return Success(None)


class _Rejected:
    """A 400 from the server: the request itself was refused."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _short(text: str, limit: int = 160) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
