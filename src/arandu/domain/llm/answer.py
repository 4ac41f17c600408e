"""Turning a model's raw reply into a score and a rationale, or saying why it is not a valid answer."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

_THINK_BLOCK = re.compile(r"<think(?:ing)?>.*?</think(?:ing)?>", re.DOTALL | re.IGNORECASE)
_THINK_CLOSE = re.compile(r"</think(?:ing)?>", re.IGNORECASE)
_FENCE = re.compile(r"```[a-zA-Z0-9_-]*\s*\n?(.*?)```", re.DOTALL)

_SCORE_KEYS = ("score", "rating", "final_score", "value", "grade")
_RATIONALE_KEYS = ("rationale", "reasoning", "reason", "explanation", "justification", "analysis", "comment")
_ISSUE_KEYS = ("issues", "issue_tags", "flags", "problems")
_MAX_ISSUES = 10
_MAX_ISSUE_LENGTH = 80


@dataclass(frozen=True, slots=True)
class Answer:
    """A valid answer: a score within [0, 1], the model's reasons, and optional short issue tags."""

    score: float
    rationale: str
    issues: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class InvalidAnswer:
    """The reply could not be read as an answer; `reason` says why, for the error line."""

    reason: str


def parse_answer(raw: str) -> Answer | InvalidAnswer:
    """Read a reply that should hold a JSON object with a rationale and a score.

    Tolerates what models commonly wrap around it: a `<think>...</think>`
    preamble, a fenced code block, prose before or after the object, and key
    variants such as `reasoning`, `explanation` or `rating`. A score that is
    missing, not a number, or outside [0, 1] makes the answer invalid; it is
    never clamped into range, because a model that answers 85 did not mean 1.0.
    """
    obj = _extract_object(raw)
    if isinstance(obj, InvalidAnswer):
        return obj
    fields = {str(key).strip().lower(): value for key, value in obj.items()}
    score = _score(fields)
    if isinstance(score, InvalidAnswer):
        return score
    return Answer(score=score, rationale=_rationale(fields), issues=_issues(fields))


def _extract_object(raw: str) -> dict[str, Any] | InvalidAnswer:
    text = _THINK_BLOCK.sub("", raw)
    closes = list(_THINK_CLOSE.finditer(text))
    if closes:  # some chat templates drop the opening tag; keep only what follows the reasoning
        text = text[closes[-1].end() :]
    candidates = [match.group(1) for match in _FENCE.finditer(text)] + [text]
    for candidate in candidates:
        obj = _first_json_object(candidate)
        if obj is not None:
            return obj
    if not text.strip():
        return InvalidAnswer("empty reply")
    return InvalidAnswer(f"no JSON object in the reply: {_excerpt(text)}")


def _first_json_object(text: str) -> dict[str, Any] | None:
    decoder = json.JSONDecoder()
    start = text.find("{")
    while start != -1:
        try:
            value, _ = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            value = None
        if isinstance(value, dict):
            return value
        start = text.find("{", start + 1)
    return None


def _score(fields: dict[str, Any]) -> float | InvalidAnswer:
    key = next((k for k in _SCORE_KEYS if k in fields), None)
    if key is None:
        return InvalidAnswer(f"no score in the answer (keys: {', '.join(sorted(fields)) or 'none'})")
    value = fields[key]
    if isinstance(value, bool):
        return InvalidAnswer(f"score is not a number: {value!r}")
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return InvalidAnswer(f"score is not a number: {_excerpt(value)!r}")
    if not isinstance(value, int | float) or not math.isfinite(value):
        return InvalidAnswer(f"score is not a number: {_excerpt(repr(value))}")
    if not 0.0 <= value <= 1.0:
        return InvalidAnswer(f"score {value} is outside [0, 1]")
    return float(value)


def _rationale(fields: dict[str, Any]) -> str:
    for key in _RATIONALE_KEYS:
        value = fields.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return "(the model gave no rationale)"


def _issues(fields: dict[str, Any]) -> tuple[str, ...]:
    for key in _ISSUE_KEYS:
        value = fields.get(key)
        if isinstance(value, list):
            tags = (str(item).strip()[:_MAX_ISSUE_LENGTH] for item in value if isinstance(item, str | int | float))
            return tuple(tag for tag in tags if tag)[:_MAX_ISSUES]
    return ()


def _excerpt(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
