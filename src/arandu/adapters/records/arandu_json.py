"""The arandu record: a JSON object with `transcription_text`, optional duration and segments."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, ValidationError
from returns.result import Failure, Result, Success

from arandu.domain.transcript import Segment, Transcript
from arandu.domain.verdict import JudgePipelineResult

# orjson reads integers beyond 64 bits as floats, which would change them on
# write-back; such records are parsed by the standard library instead.
_BIG_INTEGER = re.compile(rb"(?<![\d.eE])-?\d{19,}(?![\d.eE])")


class _Fields(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")

    transcription_text: str
    duration_milliseconds: float | None = None
    segments: list[Segment] | None = None


@dataclass(frozen=True, slots=True)
class ParsedRecord:
    """A record as read: the whole document (kept for write-back) and what is judged."""

    document: dict[str, Any]
    transcript: Transcript
    judged: bool
    trailing_newline: bool


def parse_record(data: bytes) -> Result[ParsedRecord, str]:
    """Parse record bytes; a Failure carries a reason a person can act on."""
    try:
        document = json.loads(data) if _BIG_INTEGER.search(data) else orjson.loads(data)
    except UnicodeDecodeError as exc:
        return Failure(f"not valid UTF-8 ({exc.reason} at byte {exc.start})")
    except (orjson.JSONDecodeError, json.JSONDecodeError) as exc:
        if "UTF-8" in str(exc):
            return Failure(f"not valid UTF-8 ({exc})")
        return Failure(f"not valid JSON ({exc})")
    if not isinstance(document, dict):
        return Failure(f"expected a JSON object, found {_json_type(document)}")
    try:
        fields = _Fields.model_validate(document)
    except ValidationError as exc:
        return Failure(_describe(exc))
    transcript = Transcript(
        text=fields.transcription_text,
        duration_ms=fields.duration_milliseconds,
        segments=tuple(fields.segments or ()),
    )
    judged = isinstance(document.get("validation"), dict)
    return Success(ParsedRecord(document, transcript, judged, data.endswith(b"\n")))


def render_record(record: ParsedRecord, verdict: JudgePipelineResult) -> bytes:
    """The record with `validation` and `is_valid` set; every other field keeps its place and value."""
    document = dict(record.document)
    document["validation"] = verdict.model_dump(mode="json", exclude_none=False)
    document["is_valid"] = verdict.passed
    try:
        data = orjson.dumps(document, option=orjson.OPT_INDENT_2)
    except TypeError:  # an integer beyond 64 bits, which orjson cannot write
        data = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    return data + b"\n" if record.trailing_newline else data


def _describe(exc: ValidationError) -> str:
    problems = []
    for error in exc.errors(include_url=False)[:3]:
        where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error["loc"]).lstrip(".")
        if error["type"] == "missing":
            problems.append(f"missing required field '{where}'")
        else:
            got = _json_type(error.get("input"))
            problems.append(f"'{where}' {error['msg'].lower()} (got {got})")
    more = len(exc.errors()) - len(problems)
    return "; ".join(problems) + (f"; and {more} more" if more > 0 else "")


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        shown = value if len(value) <= 20 else value[:17] + "..."
        return f"the string {shown!r}"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
