"""The arandu record: a JSON object with `transcription_text`, optional duration and segments."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from returns.result import Failure, Result, Success

from arandu.domain.transcript import InvalidTranscript, Transcript, describe
from arandu.domain.verdict import JudgePipelineResult


@dataclass(frozen=True, slots=True)
class ParsedRecord:
    """A record as read: the whole document (kept for write-back) and what is judged."""

    document: dict[str, Any]
    transcript: Transcript
    judged: bool
    trailing_newline: bool
    awaiting_llm: bool = False


class ExactFloat(float):
    """A JSON number with a fraction or an exponent that orjson would write otherwise, with its text."""

    __slots__ = ("text",)
    text: str


# Only an escape of a surrogate can put a lone one into decoded text (the bytes were valid UTF-8).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")


class DuplicateKey(ValueError):
    """An object names one key twice; rewriting the record would drop one of the values."""


def _exact_float(text: str, _dumps: Callable[[Any], bytes] = orjson.dumps) -> float:
    """A JSON number with a fraction or an exponent, as a float that writes back as `text`.

    A plain float when orjson writes it back as `text` ("0.5", "-1.25"): most numbers are, and
    a plain float is not tracked by the garbage collector. Else ("1.10", "1e-05") an ExactFloat
    that carries its text.
    """
    number = float(text)
    if _dumps(number) == text.encode():
        return number
    if not math.isfinite(number):
        raise ValueError(f"number {text[:40]} is too large for a double")
    exact = ExactFloat(text)
    exact.text = text
    return exact


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document = dict(pairs)
    if len(document) != len(pairs):
        seen: set[str] = set()
        twice = next(key for key, _ in pairs if key in seen or seen.add(key))  # type: ignore[func-returns-value]
        raise DuplicateKey(f"the key {twice[:60]!r} appears twice in one object")
    return document


def decode_json(data: bytes) -> Result[Any, str]:
    """Bytes to a JSON value, exactly: numbers keep their text, a duplicate key is refused."""
    try:
        text = data.decode("utf-8")
        document = json.loads(
            text, object_pairs_hook=_unique_keys, parse_float=_exact_float, parse_constant=_refuse_constant
        )
        if _SURROGATE_ESCAPE.search(text):
            # An escaped lone surrogate ("\ud800") decodes, but no UTF-8 file can hold it.
            json.dumps(document, ensure_ascii=False).encode("utf-8")
        return Success(document)
    except UnicodeDecodeError as exc:
        return Failure(f"not valid UTF-8 ({exc.reason} at byte {exc.start})")
    except UnicodeEncodeError:
        return Failure("not valid JSON (a string holds an unpaired surrogate escape)")
    except DuplicateKey as exc:
        return Failure(f"{exc}: left as it is, since writing it back would drop one of the values")
    except RecursionError:
        return Failure("nested too deeply to be read (thousands of levels of arrays or objects)")
    except ValueError as exc:  # json.JSONDecodeError, or a constant or float refused above
        return Failure(f"not valid JSON ({exc})")


def parse_record(data: bytes) -> Result[ParsedRecord, str]:
    """Parse record bytes; a Failure carries a reason a person can act on."""
    return decode_json(data).bind(lambda document: parse_document(document, data.endswith(b"\n")))


def parse_document(document: Any, trailing_newline: bool) -> Result[ParsedRecord, str]:
    """An arandu record from its decoded JSON."""
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
    return Success(ParsedRecord(document, transcript, judged, trailing_newline, awaiting_llm))


def audio_hint(document: dict[str, Any]) -> str | None:
    """Where the record says its audio is: `audio_path`, else `name` (as batch-transcribe records carry it)."""
    for field in ("audio_path", "name"):
        if isinstance(value := document.get(field), str) and value:
            return value
    return None


def verdict_state(document: dict[str, Any]) -> tuple[bool, bool]:
    """Whether the record holds a verdict, and whether that verdict passed without the LLM stage."""
    validation = document.get("validation")
    if not isinstance(validation, dict):
        return False, False
    stages = validation.get("stage_results")
    awaiting_llm = validation.get("passed") is True and isinstance(stages, dict) and "llm_filter" not in stages
    return True, awaiting_llm


def render_record(record: ParsedRecord, verdict: JudgePipelineResult) -> bytes:
    """The record with `validation` and `is_valid` set; every other field keeps its place and its exact value."""
    document = dict(record.document)
    # The verdict was built from typed values, so pydantic's per-field type checks would only re-confirm them.
    document["validation"] = verdict.model_dump(mode="json", warnings=False)
    document["is_valid"] = verdict.passed
    options = orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_SUBCLASS
    if record.trailing_newline:
        options |= orjson.OPT_APPEND_NEWLINE
    try:
        return orjson.dumps(document, option=options, default=_as_written)
    except TypeError:  # an integer beyond 64 bits, which orjson only writes as a fragment
        return orjson.dumps(_big_integers_as_fragments(document), option=options, default=_as_written)


def _as_written(value: object) -> orjson.Fragment:
    if isinstance(value, ExactFloat):
        return orjson.Fragment(value.text)
    raise TypeError(f"{type(value).__name__} is not a JSON value")


def _big_integers_as_fragments(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _big_integers_as_fragments(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_big_integers_as_fragments(item) for item in value]
    if isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**64:
        return orjson.Fragment(str(value))
    return value
