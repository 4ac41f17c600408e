"""Runtime settings, read once at the edge from the environment and `.env`."""

from __future__ import annotations

from typing import Any

from pydantic import AliasChoices, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict, SettingsError

# One error for every configuration the run cannot start with, wherever it is found (settings, prompts, validator).
from arandu.application.errors import ConfigurationError

__all__ = ["ConfigurationError", "JudgeSettings", "load_settings"]


class JudgeSettings(BaseSettings):
    """`ARANDU_JUDGE_*` settings; command-line flags override them."""

    model_config = SettingsConfigDict(env_prefix="ARANDU_JUDGE_", env_file=".env", extra="ignore")

    language: str = "pt"
    temperature: float = 0.3
    # The answer schema keeps a full answer under about 200 tokens; the limit only stops a runaway reply.
    max_tokens: int = 512
    validator_model: str | None = None
    validator_provider: str | None = None
    validator_base_url: str | None = None
    prompts_dir: str | None = None
    # How the LLM stage uses the validator: calls in flight, seconds per call, retries after the first try.
    concurrency: int = Field(default=4, ge=1)
    # A CPU server takes tens of seconds to read a long window; a GPU one never comes near this.
    timeout: float = Field(default=300.0, gt=0)
    # The model's context in tokens when the server does not say (or to plan for less than it says).
    context_tokens: int | None = Field(default=None, ge=256)
    # Planning estimate of characters per token; lower makes smaller windows.
    chars_per_token: float = Field(default=2.5, gt=0)
    retries: int = Field(default=3, ge=0)
    retry_backoff: float = Field(default=0.5, ge=0)
    storage_options: dict[str, Any] = Field(default_factory=dict)
    # Where the records' recordings are, for the audio stage (docs/audio.md); none = no folder searched.
    audio_dir: str | None = None
    # A record file larger than this is reported, not read (it bounds each worker's memory).
    max_record_mb: float = Field(default=64.0, gt=0)
    llm_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("ARANDU_LLM_BASE_URL", "arandu_llm_base_url")
    )
    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "openai_api_key")
    )

    @property
    def base_url(self) -> str | None:
        """The validator's base URL: `ARANDU_JUDGE_VALIDATOR_BASE_URL`, else `ARANDU_LLM_BASE_URL`."""
        return self.validator_base_url or self.llm_base_url

    @property
    def api_key(self) -> str | None:
        return self.openai_api_key.get_secret_value() if self.openai_api_key else None


def load_settings() -> JudgeSettings:
    """Read the settings once, at the edge; raises ConfigurationError instead of a traceback."""
    try:
        return JudgeSettings()
    except ValidationError as exc:
        problems = "; ".join(f"{_variable(str(error['loc'][0]))}: {error['msg']}" for error in exc.errors())
        raise ConfigurationError(f"invalid configuration ({problems})") from exc
    except SettingsError as exc:  # a value that should be JSON (e.g. storage options) is not
        names = [_variable(name) for name in JudgeSettings.model_fields if f'"{name}"' in str(exc)]
        cause = f": {exc.__cause__}" if exc.__cause__ else ""
        raise ConfigurationError(f"invalid configuration ({', '.join(names) or exc}{cause})") from exc


def _variable(field: str) -> str:
    """The environment variable a settings field is read from."""
    info = JudgeSettings.model_fields.get(field)
    if info is None:
        return field.upper()
    alias = info.validation_alias
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return f"ARANDU_JUDGE_{field.upper()}"
