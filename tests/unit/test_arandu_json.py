"""The record format: parsing with per-record reasons, and write-back that changes only the verdict fields."""

from __future__ import annotations

import json
import math
import random
from typing import Any

import pytest
from returns.result import Failure, Success

from arandu.adapters.records.arandu_json import ParsedRecord, parse_record, render_record
from arandu.domain.criteria import default_heuristic_criteria
from arandu.domain.pipeline import judge_heuristics
from arandu.domain.transcript import InvalidTranscript, Segment, SegmentColumns
from arandu.domain.verdict import JudgePipelineResult
from tests.builders import clean_portuguese, record

BIG = 2**70 + 12345  # beyond 64 bits: orjson cannot hold it
NEGATIVE_BIG = -(2**80) - 7


def encode(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def parsed(data: bytes) -> ParsedRecord:
    result = parse_record(data)
    assert isinstance(result, Success), result
    return result.unwrap()


def reason(data: bytes) -> str:
    result = parse_record(data)
    assert isinstance(result, Failure), f"expected a failure, got {result}"
    return str(result.failure())


def verdict_for(record_: ParsedRecord) -> JudgePipelineResult:
    return judge_heuristics(default_heuristic_criteria("pt"), record_.transcript)


def test_a_good_record_parses_into_a_transcript() -> None:
    document = record(duration_ms=61_000)
    result = parsed(encode(document))
    assert result.transcript.text == document["transcription_text"]
    assert result.transcript.duration_ms == 61_000
    assert len(result.transcript.columns) == len(document["segments"])
    assert result.transcript.columns.start == tuple(float(s["start"]) for s in document["segments"])
    assert result.document == document
    assert result.judged is False


@pytest.mark.parametrize(
    ("validation", "judged"), [({"passed": True, "stage_results": {}}, True), (None, False), ("pending", False)]
)
def test_a_record_is_judged_when_it_holds_a_verdict_object(validation: object, judged: bool) -> None:
    assert parsed(encode(record(validation=validation))).judged is judged


def test_optional_fields_may_be_absent_or_null() -> None:
    result = parsed(b'{"transcription_text": "ola", "duration_milliseconds": null, "segments": null}')
    assert result.transcript.duration_ms is None and len(result.transcript.columns) == 0
    assert parsed(b'{"transcription_text": "ola"}').transcript.text == "ola"


@pytest.mark.parametrize(
    ("patch", "expected"),
    [
        ({"transcription_text": 42}, "'transcription_text' must be a string"),
        ({"transcription_text": None}, "'transcription_text' must be a string"),
        ({"transcription_text": ["a", "b"]}, "'transcription_text' must be a string"),
        ({"duration_milliseconds": "60000"}, "'duration_milliseconds' must be a number"),
        ({"duration_milliseconds": True}, "'duration_milliseconds' must be a number (got a boolean)"),
        ({"segments": {"text": "a"}}, "'segments' must be a list"),
        ({"segments": "a b c"}, "'segments' must be a list"),
        ({"segments": ["texto"]}, "'segments[0]'"),
        ({"segments": [{"text": "a", "start": 0, "end": 1}, 7]}, "'segments[1]'"),
        ({"segments": [{"text": "a", "start": "0.0", "end": 1}]}, "'segments[0].start' must be a number"),
        (
            {"segments": [{"text": "a", "start": False, "end": 1}]},
            "'segments[0].start' must be a number (got a boolean)",
        ),
        ({"segments": [{"text": "a", "start": None, "end": 1}]}, "'segments[0].start' is required"),
        ({"segments": [{"text": "a", "end": 1}]}, "'segments[0].start' is required"),
        ({"segments": [{"text": "a", "start": 0}]}, "'segments[0].end' is required"),
        ({"segments": [{"text": 3, "start": 0, "end": 1}]}, "'segments[0].text' must be a string"),
        (
            {
                "segments": [
                    {"text": "a", "start": 0, "end": 1},
                    {"text": "b", "start": 1, "end": 2, "avg_logprob": "x"},
                ]
            },
            "'segments[1].avg_logprob' must be a number",
        ),
        ({"segments": [{"text": "a", "start": 0, "end": 1, "no_speech_prob": True}]}, "'segments[0].no_speech_prob'"),
    ],
)
def test_wrong_types_are_refused_with_a_reason_naming_the_field(patch: dict[str, Any], expected: str) -> None:
    assert expected in reason(encode(record(**patch)))


def test_missing_text_is_refused() -> None:
    document = record()
    del document["transcription_text"]
    assert reason(encode(document)) == "missing required field 'transcription_text'"


@pytest.mark.parametrize(("data", "kind"), [(b"[1, 2]", "an array"), (b'"text"', "the string"), (b"null", "null")])
def test_a_record_must_be_an_object(data: bytes, kind: str) -> None:
    assert reason(data).startswith("expected a JSON object") and kind in reason(data)


@pytest.mark.parametrize("data", [b"", b"{", b'{"transcription_text": "a",}', b"{'a': 1}", b'{"a": 1} x'])
def test_malformed_json_is_refused(data: bytes) -> None:
    assert reason(data).startswith("not valid JSON")


@pytest.mark.parametrize("extra", [b"", b', "id": ' + str(BIG).encode()])  # both decoding paths
def test_non_utf8_bytes_are_refused_as_such(extra: bytes) -> None:
    data = b'{"transcription_text": "cora\xe7\xe3o"' + extra + b"}"  # Latin-1, not UTF-8
    assert "UTF-8" in reason(data)


@pytest.mark.parametrize("constant", [b"NaN", b"Infinity", b"-Infinity", b"1e400", b"-1e999"])
@pytest.mark.parametrize("extra", [b"", b', "id": ' + str(BIG).encode()])  # both decoding paths
def test_nan_and_infinity_are_not_json(constant: bytes, extra: bytes) -> None:
    # Anywhere in the record: written back, they would make a file no JSON reader accepts.
    assert reason(b'{"transcription_text": "a", "score": ' + constant + extra + b"}").startswith("not valid JSON")
    assert reason(b'{"transcription_text": "a", "duration_milliseconds": ' + constant + extra + b"}")


@pytest.mark.parametrize(
    "patch",
    [
        {"duration_milliseconds": 10**400},
        {"segments": [{"text": "a", "start": 10**400, "end": 1}]},
        {"segments": [{"text": "a", "start": 0, "end": 1, "avg_logprob": -(10**400)}]},
    ],
)
def test_numbers_too_large_for_a_float_are_a_reason_not_a_crash(patch: dict[str, Any]) -> None:
    assert "must be a finite number" in reason(encode(record(**patch)))


@pytest.mark.parametrize("field", ["file_id", "nested"])
def test_big_integers_survive_write_back_exactly(field: str) -> None:
    value: Any = BIG if field == "file_id" else {"ids": [BIG, NEGATIVE_BIG, 2**63, -(2**63)], "x": 1.5}
    document = record(**{field: value})
    original = parsed(encode(document))
    out = render_record(original, verdict_for(original))
    back = json.loads(out)
    assert back[field] == value
    assert str(BIG).encode() in out


def written(document: dict[str, Any], *, trailing_newline: bool = True) -> tuple[bytes, dict[str, Any]]:
    data = encode(document) + (b"\n" if trailing_newline else b"")
    original = parsed(data)
    out = render_record(original, verdict_for(original))
    return out, json.loads(out)


@pytest.mark.parametrize("big", [False, True], ids=["orjson", "stdlib-fallback"])
def test_only_validation_and_is_valid_change_and_order_is_kept(big: bool) -> None:
    document: dict[str, Any] = {"zeta": 1, "transcription_text": clean_portuguese(), "alpha": {"b": 1, "a": [3, 2, 1]}}
    document.update(duration_milliseconds=30_000, meta={"língua": "português", "note": "日本語 ✓"}, ratio=0.1)
    if big:
        document["serial"] = BIG
    out, back = written(document)
    assert list(back) == [*document, "validation", "is_valid"]
    assert {k: v for k, v in back.items() if k not in ("validation", "is_valid")} == document
    assert list(back["alpha"]) == ["b", "a"]
    assert back["is_valid"] is back["validation"]["passed"] is True
    # Non-ASCII is written as itself, not as \u escapes, and the output is indented by 2.
    assert "português".encode() in out and "日本語 ✓".encode() in out and b"\\u" not in out
    assert out.startswith(b'{\n  "zeta": 1,\n')


@pytest.mark.parametrize("big", [False, True], ids=["orjson", "stdlib-fallback"])
def test_existing_validation_and_is_valid_keep_their_place(big: bool) -> None:
    document: dict[str, Any] = {"is_valid": None, "transcription_text": clean_portuguese(), "validation": None, "z": 0}
    if big:
        document["serial"] = BIG
    _, back = written(document)
    assert list(back) == list(document)
    assert isinstance(back["validation"], dict) and isinstance(back["is_valid"], bool)


@pytest.mark.parametrize("newline", [True, False])
def test_the_trailing_newline_is_kept_as_it_was(newline: bool) -> None:
    out, _ = written(record(), trailing_newline=newline)
    assert out.endswith(b"}\n") is newline
    assert out.endswith(b"}") is not newline


def test_floats_and_unicode_keep_their_values() -> None:
    document = record(values=[0.1, 1e-7, 123.456, -0.0, 1e300, 3], emoji="🎙️ ação", escaped='aspas " e \\ barra')
    _, back = written(document)
    for key in ("values", "emoji", "escaped"):
        assert back[key] == document[key]


def test_is_valid_follows_the_verdict() -> None:
    _, back = written(record(text="Obrigada. " * 30, duration_ms=15_000))
    assert back["validation"]["passed"] is False
    assert back["is_valid"] is False
    assert back["validation"]["rejected_at"] == "heuristic_filter"


@pytest.mark.parametrize("extra", [b"", b', "id": ' + str(BIG).encode()], ids=["orjson", "stdlib-fallback"])
@pytest.mark.parametrize("field", [b"transcription_text", b"note"])
def test_an_unpaired_surrogate_escape_is_refused_not_a_crash(extra: bytes, field: bytes) -> None:
    head = b"{" if field == b"transcription_text" else b'{"transcription_text": "ok", '
    data = head + b'"' + field + b'": "a \\ud800 b"' + extra + b"}"
    assert reason(data).startswith("not valid JSON")


@pytest.mark.parametrize("extra", [b"", b', "id": ' + str(BIG).encode()], ids=["orjson", "stdlib-fallback"])
def test_an_escaped_surrogate_pair_is_the_character_it_encodes(extra: bytes) -> None:
    original = parsed(b'{"transcription_text": "' + b"ok " * 80 + b'\\ud83c\\udf99"' + extra + b"}")
    assert original.transcript.text.endswith("\U0001f399")
    out = render_record(original, verdict_for(original))
    assert json.loads(out)["transcription_text"] == original.transcript.text


@pytest.mark.parametrize(
    ("validation", "expected"),
    [
        (None, (False, False)),
        ({"passed": True, "stage_results": {"heuristic_filter": {}}}, (True, True)),
        ({"passed": True, "stage_results": {"heuristic_filter": {}, "llm_filter": {}}}, (True, False)),
        (
            {"passed": False, "rejected_at": "heuristic_filter", "stage_results": {"heuristic_filter": {}}},
            (True, False),
        ),
        ({"passed": True}, (True, False)),
    ],
)
def test_a_stored_verdict_that_passed_without_the_llm_stage_awaits_it(
    validation: object, expected: tuple[bool, bool]
) -> None:
    data = json.dumps({"transcription_text": "texto", "validation": validation}).encode()
    parsed = parse_record(data).unwrap()
    assert (parsed.judged, parsed.awaiting_llm) == expected


@pytest.mark.parametrize(
    "optional",
    [
        {"avg_logprob": -0.25, "no_speech_prob": 0.5, "compression_ratio": 1.5},  # floats only
        {"avg_logprob": None, "no_speech_prob": 0, "compression_ratio": 2},  # null and integers
        {},  # absent
    ],
)
def test_segment_columns_are_what_segment_by_segment_parsing_gives(optional: dict[str, Any]) -> None:
    raw = [
        {"text": "um", "start": 0, "end": 1.5, **optional},
        {"text": "dois", "start": 1.5, "end": 3, "avg_logprob": -1.0},
        {"start": 3.0, "end": 4.0, **optional},
    ]
    columns = SegmentColumns.from_json(raw)
    assert columns == SegmentColumns.of(Segment.parse(s) for s in raw)
    assert all(type(v) is float for v in columns.start + columns.end)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), None, True, "1"])
def test_a_bad_value_in_an_all_float_column_is_named(bad: object) -> None:
    raw = [{"text": "a", "start": 0.0, "end": 1.0, "avg_logprob": -0.5}, {"text": "b", "start": 1.0, "end": 2.0}]
    raw[1]["avg_logprob" if bad is None else "start"] = bad
    if bad is None:  # a null optional number is allowed
        assert SegmentColumns.from_json(raw).avg_logprob == (-0.5, None)
        return
    with pytest.raises(InvalidTranscript, match=r"segments\[1\]\.start"):
        SegmentColumns.from_json(raw)


def test_a_float_column_whose_sum_overflows_is_still_finite() -> None:
    raw = [{"text": "a", "start": 1e308, "end": 1.7e308}, {"text": "b", "start": 1.7e308, "end": 1.7e308}]
    assert SegmentColumns.from_json(raw).end == (1.7e308, 1.7e308)


@pytest.mark.parametrize("pair", [(float("inf"), float("-inf")), (1.7e308, float("-inf")), (float("nan"), 1.0)])
def test_non_finite_values_are_found_whatever_they_add_up_to(pair: tuple[float, float]) -> None:
    raw = [{"text": "a", "start": 0.0, "end": pair[0]}, {"text": "b", "start": 1.0, "end": pair[1]}]
    with pytest.raises(InvalidTranscript, match=r"segments\[\d\]\.end' must be a finite number"):
        SegmentColumns.from_json(raw)


def _number_text(rng: random.Random) -> str:
    """A JSON number with a fraction or an exponent, in any of the ways people and libraries write them."""
    sign = rng.choice(("", "-"))
    whole = rng.choice(("0", "1", "7", "12", "123456789", str(rng.randint(0, 10**6))))
    fraction = rng.choice(("", "." + "".join(rng.choices("0123456789", k=rng.randint(1, 19)))))
    exponent = rng.choice(("", "", f"e{rng.randint(-320, 320)}", f"E+{rng.randint(0, 20)}", f"e-0{rng.randint(1, 9)}"))
    text = sign + whole + (fraction or (".5" if not exponent else ""))
    return text + exponent


def test_every_number_is_written_back_as_it_was_written() -> None:
    """Whatever its form ("1.10", "1e-05", "1E+5", "-0.0", "0.1"), a number keeps its text through a write-back,
    whether it is read as a plain float (orjson would write the same text) or carries its text."""
    rng = random.Random(5)
    for _ in range(200):
        texts = [_number_text(rng) for _ in range(rng.randint(1, 30))]
        texts = [t for t in texts if math.isfinite(float(t))]
        body = ", ".join(f'"n{i}": {t}' for i, t in enumerate(texts))
        head = f'"transcription_text": "{clean_portuguese()}", "duration_milliseconds": 30000'
        data = ("{" + f"{head}, {body}" + "}").encode()
        original = parsed(data)
        out = render_record(original, verdict_for(original)).decode()
        for i, text in enumerate(texts):
            assert f'"n{i}": {text},' in out or f'"n{i}": {text}\n' in out, (text, out[-400:])
