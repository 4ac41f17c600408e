"""LLM criteria from prompt files: `judge/criteria/<name>/<language>/prompt.md` and `<name>/config.json`."""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from arandu.application.errors import ConfigurationError
from arandu.domain.llm import LlmCriterion

CRITERIA_FOLDER = ("judge", "criteria")


def bundled_prompts_root() -> Traversable:
    """The prompts shipped in the wheel, or those of the source tree when running from a checkout."""
    packaged = resources.files("arandu") / "prompts"
    if packaged.is_dir():
        return packaged
    # Editable installs and plain checkouts: src/arandu/adapters/prompts/files.py -> repository root.
    return Path(__file__).resolve().parents[4] / "prompts"


class FilePromptRepository:
    """Reads a criterion's prompt and config from a prompts folder (the bundled one by default).

    A prompt version is a short hash of the prompt text and the config bytes,
    so editing either marks verdicts made afterwards as made by another prompt.
    """

    def __init__(self, root: str | Path | Traversable | None = None) -> None:
        self._root: Traversable = bundled_prompts_root() if root is None else _as_traversable(root)

    def criterion(self, name: str, language: str) -> LlmCriterion:
        folder = self._root.joinpath(*CRITERIA_FOLDER, name)
        prompt_file = folder / language / "prompt.md"
        config_file = folder / "config.json"
        if not prompt_file.is_file():
            raise ConfigurationError(
                f"no {name} prompt for language {language!r} under {self._root} "
                f"(expected {'/'.join((*CRITERIA_FOLDER, name, language, 'prompt.md'))}); "
                "give a folder that has one with --prompts-dir"
            )
        if not config_file.is_file():
            raise ConfigurationError(f"no config.json for {name} under {self._root}")
        prompt = prompt_file.read_bytes()
        config_bytes = config_file.read_bytes()
        config = _read_config(name, config_bytes)
        version = hashlib.sha256(prompt + b"\0" + config_bytes).hexdigest()[:12]
        try:
            return LlmCriterion(
                name=name,
                language=language,
                template=prompt.decode("utf-8"),
                threshold=float(config["threshold"]),
                version=version,
                temperature=None if config.get("temperature") is None else float(config["temperature"]),
            )
        except (KeyError, TypeError, ValueError, UnicodeDecodeError) as exc:
            raise ConfigurationError(f"{name} ({language}): broken prompt or config.json: {exc}") from exc


def _read_config(name: str, data: bytes) -> dict[str, Any]:
    try:
        config = json.loads(data)
    except ValueError as exc:
        raise ConfigurationError(f"{name}/config.json is not valid JSON: {exc}") from exc
    if not isinstance(config, dict) or "threshold" not in config:
        raise ConfigurationError(f"{name}/config.json must be an object with a threshold")
    return config


def _as_traversable(root: str | Path | Traversable) -> Traversable:
    if isinstance(root, str | Path):
        path = Path(root).expanduser()
        if not path.is_dir():
            raise ConfigurationError(f"prompts folder {root} does not exist")
        return path
    return root
