"""A validator behind the OpenAI API: OpenAI itself, or a compatible server (vLLM, llama.cpp, LM Studio...)."""

from __future__ import annotations

from typing import Any

import httpx
import openai
from openai.types.chat import ChatCompletion
from returns.result import Failure, Result, Success

from arandu.adapters.validators.ollama_validator import SYSTEM_PROMPT, retry_after, short
from arandu.adapters.validators.secrets import Scrubber, display_url
from arandu.application.errors import CallFailed
from arandu.application.per_loop import PerLoop
from arandu.application.ports import Completion, ValidatorRequest

# Words of a 400 that refuses a prompt for its size (llama.cpp, vLLM, OpenAI), not for its format.
_SIZE_WORDS = ("context size", "context length", "context_length", "exceed_context", "maximum context", "too long")


class OpenAIValidator:
    """Asks for a `json_schema` response format, falling back to `json_object` when a server rejects it.

    The fallback sticks only once a `json_object` call has worked after the refusal, and a
    refusal for size never causes it. The SDK's own retries are turned off: the LLM stage
    retries with its own backoff, and a run must know about every failed attempt. Holds no live
    client when pickled: each event loop makes its own.
    """

    def __init__(
        self, model: str, *, provider: str, base_url: str | None, api_key: str | None, timeout: float | None = None
    ) -> None:
        self._model = model
        self._provider = provider
        self._base_url = base_url
        # Local servers need no key, but the SDK refuses to start without one.
        self._api_key = api_key or "not-needed"
        self._timeout = timeout
        self._json_schema_supported = True
        self._context: int | None = None
        self._scrub = Scrubber(api_key=api_key, base_url=base_url)
        self._clients = PerLoop(self._new_client)

    def _new_client(self) -> openai.AsyncOpenAI:
        return openai.AsyncOpenAI(base_url=self._base_url, api_key=self._api_key, timeout=self._timeout, max_retries=0)

    @property
    def model(self) -> str:
        return self._model

    @property
    def provider(self) -> str:
        return self._provider

    @property
    def where(self) -> str:
        return display_url(self._base_url) if self._base_url else "the OpenAI API"

    async def complete(self, request: ValidatorRequest) -> Result[Completion, CallFailed]:
        if self._json_schema_supported:
            schema_format = {
                "type": "json_schema",
                "json_schema": {"name": "criterion_answer", "schema": dict(request.schema), "strict": True},
            }
            reply = await self._ask(request, schema_format)
            if not isinstance(reply, _Rejected):
                return reply
            if reply.too_long:
                return Failure(CallFailed(reply.reason, retryable=False, too_long=True))
        reply = await self._ask(request, {"type": "json_object"})
        if isinstance(reply, _Rejected):
            return Failure(CallFailed(reply.reason, retryable=False, too_long=reply.too_long))
        if isinstance(reply, Success):
            self._json_schema_supported = False
        return reply

    async def _ask(
        self, request: ValidatorRequest, response_format: dict[str, Any]
    ) -> Result[Completion, CallFailed] | _Rejected:
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
            # the whole body (schema included) against its typed parameters on every call.
            completion = await self._clients.get().post("/chat/completions", body=body, cast_to=ChatCompletion)
        except openai.BadRequestError as exc:
            message = self._scrub(short(exc.message, 240))
            too_long = any(word in message.lower() for word in _SIZE_WORDS)
            what = "refused the prompt as too long for the model's context" if too_long else "rejected the request"
            return _Rejected(f"{self.where} {what}: {message}", too_long)
        except openai.APITimeoutError:
            return Failure(CallFailed(f"{self.where} timed out", retryable=True))
        except openai.APIConnectionError:
            return Failure(CallFailed(f"cannot connect to {self.where}", retryable=True))
        except openai.APIStatusError as exc:
            retryable = exc.status_code in (408, 409, 429) or exc.status_code >= 500
            reason = f"{self.where} answered {exc.status_code}: {self._scrub(short(exc.message))}"
            return Failure(CallFailed(reason, retryable, retry_after=retry_after(exc.response.headers)))
        except openai.OpenAIError as exc:
            reason = f"unreadable reply from {self.where} ({self._scrub(short(str(exc)))})"
            return Failure(CallFailed(reason, retryable=True))
        if not completion.choices:
            return Failure(CallFailed("the reply had no choices", retryable=True))
        choice = completion.choices[0]
        usage = completion.usage
        details = usage.prompt_tokens_details if usage else None
        return Success(
            Completion(
                # Only `content`: a reasoning model's `reasoning_content` is never read as the answer.
                text=choice.message.content or "",
                cut_off=choice.finish_reason == "length",
                prompt_tokens=usage.prompt_tokens if usage else None,
                cached_tokens=details.cached_tokens if details else None,
            )
        )

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
            message = self._scrub(short(exc.message))
            return Failure(f"{self.where} answered {exc.status_code} when listing models: {message}")
        served = [model.id for model in page.data]
        if self._model not in served:
            available = ", ".join(served[:10]) or "none"
            return Failure(
                f"{self.where} does not serve the model {self._model!r} (it serves: {available}); "
                "choose one with --validator-model"
            )
        entry = next(model for model in page.data if model.id == self._model)
        self._context = _listed_context(entry.model_dump())
        return Success(None)

    async def context_size(self) -> int | None:
        """From `/v1/models` (vLLM `max_model_len`, llama.cpp `meta.n_ctx`, others' `context_length`),
        else llama.cpp's `/props`; None when the server says neither (the OpenAI API)."""
        if self._context is None and self._base_url:
            await self.check()
            if self._context is None:
                self._context = await self._props_context()
        return self._context

    async def _props_context(self) -> int | None:
        assert self._base_url is not None
        root = self._base_url.rstrip("/").removesuffix("/v1")
        try:
            async with httpx.AsyncClient(timeout=10) as client:
                reply = await client.get(f"{root}/props", headers={"Authorization": f"Bearer {self._api_key}"})
            settings = reply.json().get("default_generation_settings", {}) if reply.status_code == 200 else {}
        except (httpx.HTTPError, ValueError, AttributeError):
            return None
        return _positive(settings.get("n_ctx")) if isinstance(settings, dict) else None


def _listed_context(entry: dict[str, Any]) -> int | None:
    meta = entry.get("meta")
    for value in (
        entry.get("max_model_len"),
        meta.get("n_ctx") if isinstance(meta, dict) else None,
        entry.get("context_length"),
        entry.get("max_context_length"),
    ):
        if (size := _positive(value)) is not None:
            return size
    return None


def _positive(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


class _Rejected:
    """A 400 from the server: the request itself was refused (for its size, or for its format)."""

    __slots__ = ("reason", "too_long")

    def __init__(self, reason: str, too_long: bool) -> None:
        self.reason = reason
        self.too_long = too_long
