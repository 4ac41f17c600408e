"""Which validator a configuration means (SPEC.md "Providers")."""

from __future__ import annotations

from pathlib import Path

import pytest

from arandu.adapters.validators import create_validator, ollama_host, resolve_provider
from arandu.adapters.validators.ollama_validator import OllamaValidator
from arandu.adapters.validators.openai_validator import OpenAIValidator
from arandu.application.errors import ConfigurationError
from arandu.entrypoints.facade import build_validator_client


@pytest.mark.parametrize(
    ("provider", "base_url", "expected"),
    [
        (None, None, "ollama"),
        (None, "http://localhost:8000/v1", "custom"),
        ("ollama", "http://localhost:11434/v1", "ollama"),
        ("OpenAI", None, "openai"),
        ("custom", "http://h/v1", "custom"),
    ],
)
def test_provider_resolution(provider: str | None, base_url: str | None, expected: str) -> None:
    assert resolve_provider(provider, base_url) == expected


def test_an_unknown_provider_is_named_in_the_error() -> None:
    with pytest.raises(ConfigurationError, match="'azure'"):
        resolve_provider("azure", None)


@pytest.mark.parametrize(
    ("base_url", "environ", "expected"),
    [
        ("http://gpu:11434/v1", {}, "http://gpu:11434"),
        ("http://gpu:11434/v1/", {}, "http://gpu:11434"),
        ("http://gpu:11434", {"OLLAMA_HOST": "other:1"}, "http://gpu:11434"),
        (None, {"OLLAMA_HOST": "http://other:1234"}, "http://other:1234"),
        (None, {}, "http://localhost:11434"),
    ],
)
def test_ollama_host(base_url: str | None, environ: dict[str, str], expected: str) -> None:
    assert ollama_host(base_url, environ) == expected


def test_custom_needs_a_base_url_and_openai_a_key() -> None:
    with pytest.raises(ConfigurationError, match="base URL"):
        create_validator("m", provider="custom")
    with pytest.raises(ConfigurationError, match="OPENAI_API_KEY"):
        create_validator("m", provider="openai")


def test_the_validators_built() -> None:
    ollama = create_validator("qwen3:14b", base_url="http://gpu:11434/v1", provider="ollama", environ={})
    assert isinstance(ollama, OllamaValidator)
    assert (ollama.model, ollama.provider, ollama.host) == ("qwen3:14b", "ollama", "http://gpu:11434")
    custom = create_validator("llama", base_url="http://localhost:8080/v1")
    assert isinstance(custom, OpenAIValidator)
    assert custom.provider == "custom"
    openai = create_validator("gpt-4o-mini", provider="openai", api_key="sk-test")
    assert isinstance(openai, OpenAIValidator)
    assert openai.provider == "openai"


def test_build_validator_client_reads_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in ("ARANDU_JUDGE_VALIDATOR_BASE_URL", "ARANDU_JUDGE_VALIDATOR_PROVIDER", "OLLAMA_HOST"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ARANDU_LLM_BASE_URL", "http://vllm:8000/v1")
    assert build_validator_client("m").provider == "custom"
    monkeypatch.setenv("ARANDU_JUDGE_VALIDATOR_PROVIDER", "ollama")
    client = build_validator_client("m")
    assert isinstance(client, OllamaValidator)
    assert client.host == "http://vllm:8000"
    (tmp_path / ".env").write_text("ARANDU_JUDGE_VALIDATOR_BASE_URL=http://fromdotenv:11434\n")
    client = build_validator_client("m")
    assert isinstance(client, OllamaValidator)
    assert client.host == "http://fromdotenv:11434"


@pytest.mark.parametrize("url", ["localhost:8000/v1", "http://[::1", "notaurl::", "ftp://host/v1"])
def test_a_malformed_base_url_is_a_configuration_error(url: str) -> None:
    with pytest.raises(ConfigurationError, match="base URL"):
        create_validator("m", base_url=url)


def test_an_unusable_ollama_host_fails_the_check() -> None:
    import asyncio

    result = asyncio.run(create_validator("m", provider="ollama", base_url="notaurl::").check())
    assert "not a usable Ollama host" in result.failure()
