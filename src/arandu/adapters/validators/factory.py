"""Which validator a configuration means: provider resolution and construction."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from arandu.adapters.validators.secrets import display_url
from arandu.application.errors import ConfigurationError

if TYPE_CHECKING:
    from arandu.adapters.validators.ollama_validator import OllamaValidator
    from arandu.adapters.validators.openai_validator import OpenAIValidator

PROVIDERS = ("ollama", "openai", "custom")
DEFAULT_OLLAMA_HOST = "http://localhost:11434"


def resolve_provider(provider: str | None, base_url: str | None) -> str:
    """The provider named, else `custom` when a base URL is configured, else `ollama`."""
    if provider:
        name = provider.strip().lower()
        if name not in PROVIDERS:
            raise ConfigurationError(f"unknown validator provider {provider!r}; choose one of {', '.join(PROVIDERS)}")
        return name
    return "custom" if base_url else "ollama"


def ollama_host(base_url: str | None, environ: Mapping[str, str] | None = None) -> str:
    """Ollama's host: the base URL without a trailing `/v1`, else `OLLAMA_HOST`, else the local default.

    People often configure Ollama's OpenAI-compatible URL (`.../v1`); the
    native client wants the server root.
    """
    if base_url:
        host = base_url.strip().rstrip("/")
        if host.endswith("/v1"):
            host = host[: -len("/v1")]
        return host
    env = os.environ if environ is None else environ
    return env.get("OLLAMA_HOST") or DEFAULT_OLLAMA_HOST


def create_validator(
    model: str,
    *,
    provider: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    timeout: float | None = None,
    environ: Mapping[str, str] | None = None,
) -> OllamaValidator | OpenAIValidator:
    """A validator for `model`, from already-resolved settings (nothing is read here but `OLLAMA_HOST`).

    Raises `ConfigurationError` for an unknown provider, `custom` without a
    base URL, and `openai` without an API key.
    """
    if not model or not model.strip():
        raise ConfigurationError("a validator model name is required")
    name = resolve_provider(provider, base_url)
    # The client libraries are imported only here: `openai` alone costs most of a second at start-up,
    # which a heuristic-only run should not pay.
    if name == "ollama":
        from arandu.adapters.validators.ollama_validator import OllamaValidator

        return OllamaValidator(model, ollama_host(base_url, environ), timeout=timeout)
    if name == "custom" and not base_url:
        raise ConfigurationError(
            "the custom provider needs the server's base URL (e.g. http://localhost:8000/v1); "
            "give --validator-base-url or set ARANDU_JUDGE_VALIDATOR_BASE_URL or ARANDU_LLM_BASE_URL"
        )
    if name == "openai" and not api_key:
        raise ConfigurationError("the openai provider needs an API key; set OPENAI_API_KEY")
    if base_url:
        _check_url(base_url)
    from arandu.adapters.validators.openai_validator import OpenAIValidator

    return OpenAIValidator(model, provider=name, base_url=base_url, api_key=api_key, timeout=timeout)


def _check_url(url: str) -> None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - parsing the port is what raises for a malformed one
    except ValueError as exc:
        raise ConfigurationError(f"base URL {display_url(url)!r} is malformed ({exc})") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(f"base URL {display_url(url)!r} must look like http://host:port/v1")
