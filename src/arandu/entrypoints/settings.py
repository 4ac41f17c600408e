"""Runtime settings, read once at the edge from the environment and `.env`."""

from __future__ import annotations

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class JudgeSettings(BaseSettings):
    """`ARANDU_JUDGE_*` settings; command-line flags override them."""

    model_config = SettingsConfigDict(env_prefix="ARANDU_JUDGE_", env_file=".env", extra="ignore")

    language: str = "pt"
    temperature: float = 0.3
    max_tokens: int = 2048
    validator_model: str | None = None
    validator_provider: str | None = None
    validator_base_url: str | None = None
    prompts_dir: str | None = None
    storage_options: dict[str, str] = Field(default_factory=dict)
    llm_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("ARANDU_LLM_BASE_URL", "arandu_llm_base_url")
    )
    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "openai_api_key")
    )
