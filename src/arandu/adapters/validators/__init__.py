"""Validators: the LLM servers that answer the LLM criteria (Ollama, OpenAI and OpenAI-compatible)."""

from __future__ import annotations

from arandu.adapters.validators.factory import PROVIDERS, create_validator, ollama_host, resolve_provider

__all__ = ["PROVIDERS", "create_validator", "ollama_host", "resolve_provider"]
