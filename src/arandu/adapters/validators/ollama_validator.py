"""A validator served by Ollama, through its native async client and structured outputs."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Mapping
from typing import Any

import httpx
import ollama
import pydantic
from returns.result import Failure, Result, Success

from arandu.adapters.validators.secrets import Scrubber, display_url
from arandu.application.errors import CallFailed
from arandu.application.per_loop import PerLoop
from arandu.application.ports import Completion, ValidatorRequest

SYSTEM_PROMPT = "You are a careful transcription quality judge. Answer only with the JSON object you are asked for."


class OllamaValidator:
    """Asks an Ollama model, with `format` set to the answer's JSON schema and `num_ctx` set on every call.

    Ollama's default context is small and it silently drops the start of a longer prompt,
    so every call names the context the stage planned for. A model that can think is asked
    to (`think`), which puts its reasoning in a field of its own, apart from the answer.
    Holds no live client when pickled: each event loop makes its own.
    """

    provider = "ollama"

    def __init__(self, model: str, host: str, *, timeout: float | None = None) -> None:
        self._model = model
        self._host = host
        self._timeout = timeout
        self._scrub = Scrubber(base_url=host)
        self._shown: dict[str, Any] | None = None
        self._clients = PerLoop(self._new_client)

    def _new_client(self) -> ollama.AsyncClient:
        return ollama.AsyncClient(host=self._host, timeout=self._timeout)

    @property
    def model(self) -> str:
        return self._model

    @property
    def host(self) -> str:
        return display_url(self._host)

    async def complete(self, request: ValidatorRequest) -> Result[Completion, CallFailed]:
        options: dict[str, Any] = {"temperature": request.temperature, "num_predict": request.max_tokens}
        if request.context_tokens is not None:
            options["num_ctx"] = request.context_tokens
        thinks = "thinking" in (self._shown or {}).get("capabilities", ())
        try:
            response = await self._clients.get().chat(
                model=self._model,
                messages=[
                    {"role": "system", "content": SYSTEM_PROMPT},
                    {"role": "user", "content": request.prompt},
                ],
                format=dict(request.schema),
                options=options,
                think=True if thinks else None,
                stream=False,
            )
        except ollama.ResponseError as exc:
            return Failure(self._status_failure(exc))
        except ollama.RequestError as exc:
            reason = f"the Ollama client refused the request: {self._scrub(short(exc.error))}"
            return Failure(CallFailed(reason, retryable=False))
        except ConnectionError:
            return Failure(CallFailed(f"cannot connect to Ollama at {self.host}", retryable=True))
        except httpx.TimeoutException:
            return Failure(CallFailed("Ollama timed out", retryable=True))
        except httpx.HTTPError as exc:
            return Failure(CallFailed(f"Ollama connection failed ({type(exc).__name__})", retryable=True))
        except ValueError as exc:  # a reply body that is not the JSON the client expects
            reason = f"unreadable reply from Ollama ({self._scrub(short(str(exc)))})"
            return Failure(CallFailed(reason, retryable=True))
        # Ollama reports only the prompt tokens it evaluated, so reuse of a cached prefix shows as fewer of them.
        return Success(
            Completion(
                text=response.message.content or "",
                cut_off=response.done_reason == "length",
                prompt_tokens=response.prompt_eval_count,
            )
        )

    async def check(self) -> Result[None, str]:
        try:
            client = self._clients.get()
        except ValueError as exc:
            return Failure(f"{self.host!r} is not a usable Ollama host ({exc}); fix the base URL or OLLAMA_HOST")
        try:
            shown = await client.show(self._model)
        except ollama.ResponseError as exc:
            if exc.status_code == 404:
                return Failure(
                    f"Ollama at {self.host} does not have the model {self._model!r}; "
                    f"pull it with `ollama pull {self._model}` or choose another with --validator-model"
                )
            return Failure(f"Ollama at {self.host} answered {exc.status_code}: {self._scrub(short(exc.error))}")
        except (ConnectionError, httpx.HTTPError) as exc:
            return Failure(
                f"cannot reach Ollama at {self.host} ({type(exc).__name__}); start it with `ollama serve`, "
                "or point --validator-base-url (or OLLAMA_HOST) at a running server"
            )
        except pydantic.ValidationError:
            # The server found the model but described it in a shape this client version does not expect.
            self._shown = {}
            return Success(None)
        self._shown = shown.model_dump()
        return Success(None)

    async def context_size(self) -> int | None:
        """The model's trained context (`<architecture>.context_length` in `show`), or its Modelfile `num_ctx`."""
        if self._shown is None:
            await self.check()
        return _shown_context(self._shown or {})

    def _status_failure(self, exc: ollama.ResponseError) -> CallFailed:
        status = exc.status_code
        retryable = status == 429 or status >= 500 or status < 0
        message = self._scrub(short(exc.error))
        too_long = "context" in message.lower() and ("exceed" in message.lower() or "too long" in message.lower())
        return CallFailed(
            f"Ollama answered {status}: {message}", retryable=retryable and not too_long, too_long=too_long
        )


def _shown_context(shown: Mapping[str, Any]) -> int | None:
    for line in str(shown.get("parameters") or "").splitlines():
        name, _, value = line.strip().partition(" ")
        if name == "num_ctx" and value.strip().isdigit():
            return int(value.strip())
    info = shown.get("modelinfo") or shown.get("model_info") or {}
    for key, value in info.items() if isinstance(info, Mapping) else ():
        if str(key).endswith(".context_length") and isinstance(value, int) and value > 0:
            return value
    return None


def retry_after(headers: Mapping[str, str] | None) -> float | None:
    """Seconds a `Retry-After` header asks for (a number of seconds or an HTTP date), or None."""
    value = (headers or {}).get("retry-after") or (headers or {}).get("Retry-After")
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def short(text: str, limit: int = 160) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
