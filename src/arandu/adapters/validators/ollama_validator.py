"""A validator served by Ollama, through its native async client and structured outputs."""

from __future__ import annotations

import httpx
import ollama
import pydantic
from returns.result import Failure, Result, Success

from arandu.application.errors import CallFailed
from arandu.application.per_loop import PerLoop
from arandu.application.ports import ValidatorRequest

SYSTEM_PROMPT = "You are a careful transcription quality judge. Answer only with the JSON object you are asked for."


class OllamaValidator:
    """Asks an Ollama model, with `format` set to the answer's JSON schema."""

    provider = "ollama"

    def __init__(self, model: str, host: str, *, timeout: float | None = None) -> None:
        self._model = model
        self._host = host
        self._clients = PerLoop(lambda: ollama.AsyncClient(host=host, timeout=timeout))

    @property
    def model(self) -> str:
        return self._model

    @property
    def host(self) -> str:
        return self._host

    async def complete(self, request: ValidatorRequest) -> Result[str, CallFailed]:
        try:
            response = await self._clients.get().chat(
                model=self._model,
                messages=[
                    {"role": "system", "content": SYSTEM_PROMPT},
                    {"role": "user", "content": request.prompt},
                ],
                format=dict(request.schema),
                options={"temperature": request.temperature, "num_predict": request.max_tokens},
                stream=False,
            )
        except ollama.ResponseError as exc:
            return Failure(_status_failure(exc))
        except ollama.RequestError as exc:
            return Failure(CallFailed(f"the Ollama client refused the request: {exc.error}", retryable=False))
        except ConnectionError:
            return Failure(CallFailed(f"cannot connect to Ollama at {self._host}", retryable=True))
        except httpx.TimeoutException:
            return Failure(CallFailed("Ollama timed out", retryable=True))
        except httpx.HTTPError as exc:
            return Failure(CallFailed(f"Ollama connection failed ({type(exc).__name__})", retryable=True))
        except ValueError as exc:  # a reply body that is not the JSON the client expects
            return Failure(CallFailed(f"unreadable reply from Ollama ({exc})", retryable=True))
        return Success(response.message.content or "")

    async def check(self) -> Result[None, str]:
        try:
            client = self._clients.get()
        except ValueError as exc:
            return Failure(f"{self._host!r} is not a usable Ollama host ({exc}); fix the base URL or OLLAMA_HOST")
        try:
            await client.show(self._model)
        except ollama.ResponseError as exc:
            if exc.status_code == 404:
                return Failure(
                    f"Ollama at {self._host} does not have the model {self._model!r}; "
                    f"pull it with `ollama pull {self._model}` or choose another with --validator-model"
                )
            return Failure(f"Ollama at {self._host} answered {exc.status_code}: {exc.error}")
        except (ConnectionError, httpx.HTTPError) as exc:
            return Failure(
                f"cannot reach Ollama at {self._host} ({type(exc).__name__}); start it with `ollama serve`, "
                "or point --validator-base-url (or OLLAMA_HOST) at a running server"
            )
        except pydantic.ValidationError:
            # The server found the model but described it in a shape this client version does not expect.
            pass
        return Success(None)


def _status_failure(exc: ollama.ResponseError) -> CallFailed:
    status = exc.status_code
    retryable = status == 429 or status >= 500 or status < 0
    return CallFailed(f"Ollama answered {status}: {_short(exc.error)}", retryable=retryable)


def _short(text: str, limit: int = 160) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
