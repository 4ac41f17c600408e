"""The arandu record: a JSON object with `transcription_text`, optional duration and segments."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import orjson
from returns.result import Failure, Result, Success

from arandu.domain.transcript import InvalidTranscript, Transcript, describe
from arandu.domain.verdict import JudgePipelineResult

# orjson reads integers beyond 64 bits as floats, which would change them on
# write-back. Such records (19+ digits in a row somewhere) go to the standard
# library instead; finding the run by translating digits is ~20x faster than a regex.
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_LONG_RUN = b"0" * 19


@dataclass(frozen=True, slots=True)
class ParsedRecord:
    """A record as read: the whole document (kept for write-back) and what is judged."""

    document: dict[str, Any]
    transcript: Transcript
    judged: bool
    trailing_newline: bool
    awaiting_llm: bool = False


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number {text} is too large for a double")
    return value


def decode_json(data: bytes) -> Result[Any, str]:
    """Bytes to a JSON value, exactly; a Failure says what is wrong with the bytes."""
    try:
        if _LONG_RUN in data.translate(_DIGITS_AS_ZERO):
            # The standard library accepts NaN, Infinity and 1e999, which orjson (and JSON) refuse;
            # refusing them here too keeps one rule and never writes a file no JSON reader can read.
            text = data.decode("utf-8")
            document = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
            if "\\u" in text:
                # It also accepts an escaped lone surrogate ("\ud800"), which no UTF-8 file can hold.
                json.dumps(document, ensure_ascii=False).encode("utf-8")
            return Success(document)
        return Success(orjson.loads(data))
    except UnicodeDecodeError as exc:
        return Failure(f"not valid UTF-8 ({exc.reason} at byte {exc.start})")
    except UnicodeEncodeError:
        return Failure("not valid JSON (a string holds an unpaired surrogate escape)")
    except orjson.JSONDecodeError as exc:
        if "UTF-8" in str(exc):
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as decode_error:
                return Failure(f"not valid UTF-8 ({decode_error.reason} at byte {decode_error.start})")
            return Failure(f"not valid UTF-8 ({exc})")
        return Failure(f"not valid JSON ({exc})")
    except ValueError as exc:  # json.JSONDecodeError, or a constant or float refused above
        return Failure(f"not valid JSON ({exc})")


def parse_record(data: bytes) -> Result[ParsedRecord, str]:
    """Parse record bytes; a Failure carries a reason a person can act on."""
    match decode_json(data):
        case Failure(reason):
            return Failure(reason)
        case Success(document):
            pass
    if not isinstance(document, dict):
        return Failure(f"expected a JSON object, found {describe(document)}")
    if "transcription_text" not in document:
        return Failure("missing required field 'transcription_text'")
    try:
        transcript = Transcript.parse(
            document["transcription_text"], document.get("duration_milliseconds"), document.get("segments")
        )
    except InvalidTranscript as exc:
        return Failure(str(exc))
    judged, awaiting_llm = verdict_state(document)
    return Success(ParsedRecord(document, transcript, judged, data.endswith(b"\n"), awaiting_llm))


def verdict_state(document: dict[str, Any]) -> tuple[bool, bool]:
    """Whether the record holds a verdict, and whether that verdict passed without the LLM stage."""
    validation = document.get("validation")
    if not isinstance(validation, dict):
        return False, False
    stages = validation.get("stage_results")
    awaiting_llm = validation.get("passed") is True and isinstance(stages, dict) and "llm_filter" not in stages
    return True, awaiting_llm


def render_record(record: ParsedRecord, verdict: JudgePipelineResult) -> bytes:
    """The record with `validation` and `is_valid` set; every other field keeps its place and value."""
    document = dict(record.document)
    # The verdict was built from typed values, so pydantic's per-field type checks (a third
    # of the dump's time) would only re-confirm them.
    document["validation"] = verdict.model_dump(mode="json", warnings=False)
    document["is_valid"] = verdict.passed
    try:
        # orjson appends the newline itself, sparing a copy of the whole record.
        newline = orjson.OPT_APPEND_NEWLINE if record.trailing_newline else 0
        return orjson.dumps(document, option=orjson.OPT_INDENT_2 | newline)
    except TypeError:  # an integer beyond 64 bits, which orjson cannot write
        data = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    return data + b"\n" if record.trailing_newline else data
