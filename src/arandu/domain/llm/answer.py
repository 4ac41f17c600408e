"""Turning a model's raw reply into a score and a rationale, or saying why it is not a valid answer."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

_THINK_BLOCK = re.compile(r"<think(?:ing)?>.*?</think(?:ing)?>", re.DOTALL | re.IGNORECASE)
_THINK_CLOSE = re.compile(r"</think(?:ing)?>", re.IGNORECASE)
_THINK_OPEN = re.compile(r"<think(?:ing)?>", re.IGNORECASE)

_SCORE_KEYS = ("score", "rating", "final_score", "value", "grade")
_RATIONALE_KEYS = ("rationale", "reasoning", "reason", "explanation", "justification", "analysis", "comment")
_ISSUE_KEYS = ("issues", "issue_tags", "flags", "problems")
# What a verdict keeps of an answer, whatever a server sends: the schema asks for less.
MAX_ISSUES = 8
MAX_ISSUE_LENGTH = 60
MAX_RATIONALE = 600


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
    variants such as `reasoning`, `explanation` or `rating`. When the reply holds
    several objects (an example quoted in prose, then the answer), the last one
    with a score is the answer. A reply that stops inside an unclosed `<think>`
    block holds only unfinished reasoning and is no answer. A score that is
    missing, not a number, or outside [0, 1] makes the answer invalid; it is
    never clamped into range, because a model that answers 85 did not mean 1.0.
    The rationale and the issues are capped, so a runaway reply cannot fill a record.
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
    elif opened := _THINK_OPEN.search(text):
        if _last_scored_object(text[: opened.start()]) is None:
            return InvalidAnswer("the reply stops inside an unclosed <think> block (unfinished reasoning)")
        text = text[: opened.start()]
    obj = _last_scored_object(text)
    if obj is not None:
        return obj
    objects = _json_objects(text)
    if objects:
        return objects[-1]
    if not text.strip():
        return InvalidAnswer("empty reply")
    return InvalidAnswer(f"no JSON object in the reply: {_excerpt(text)}")


def _last_scored_object(text: str) -> dict[str, Any] | None:
    scored = [obj for obj in _json_objects(text) if any(str(key).strip().lower() in _SCORE_KEYS for key in obj)]
    return scored[-1] if scored else None


def _json_objects(text: str) -> list[dict[str, Any]]:
    """Every top-level JSON object in the text, in order (those inside fences included)."""
    decoder = json.JSONDecoder()
    found: list[dict[str, Any]] = []
    start = text.find("{")
    while start != -1:
        try:
            value, end = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            start = text.find("{", start + 1)
            continue
        if isinstance(value, dict):
            found.append(value)
            start = text.find("{", end)
        else:
            start = text.find("{", start + 1)
    return found


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
            return _cap(value.strip(), MAX_RATIONALE)
    return "(the model gave no rationale)"


def _issues(fields: dict[str, Any]) -> tuple[str, ...]:
    for key in _ISSUE_KEYS:
        value = fields.get(key)
        if isinstance(value, list):
            tags = (str(item).strip()[:MAX_ISSUE_LENGTH] for item in value if isinstance(item, str | int | float))
            return tuple(tag for tag in tags if tag)[:MAX_ISSUES]
    return ()


def _cap(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _excerpt(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
