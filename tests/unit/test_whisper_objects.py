"""In-memory results of the Whisper tools become the documents the record readers recognise."""

from __future__ import annotations

import json
from typing import NamedTuple

import pytest

from arandu.adapters.records.whisper_json import detect_format, parse_any_record
from arandu.adapters.records.whisper_objects import UnknownResult, result_document


class Segment(NamedTuple):
    id: int
    start: float
    end: float
    text: str
    avg_logprob: float
    no_speech_prob: float
    compression_ratio: float
    words: object = None


class Info(NamedTuple):
    language: str
    language_probability: float
    duration: float


class Float32:
    """Stands in for numpy.float32: a number Python's isinstance does not call a float."""

    def __init__(self, value: float) -> None:
        self.value = value

    def __float__(self) -> float:
        return self.value


def _read(result: object) -> object:
    document = result_document(result)
    return parse_any_record(json.dumps(document).encode()).unwrap().transcript


def test_faster_whisper_pair_with_a_generator_of_segments() -> None:
    segments = (Segment(i, 2.0 * i, 2.0 * i + 1.5, f" parte {i}", -0.3, 0.1, 1.2) for i in range(3))
    document = result_document((segments, Info("pt", 0.97, 60.0)))
    assert detect_format(document) == "faster-whisper"
    transcript = parse_any_record(json.dumps(document).encode()).unwrap().transcript
    assert transcript.duration_ms == 60_000
    assert transcript.columns.avg_logprob == (-0.3, -0.3, -0.3)
    assert transcript.text == "parte 0 parte 1 parte 2"


def test_whisperx_segments_only_are_read_with_the_text_joined() -> None:
    result = {"segments": [{"text": " bom dia", "start": Float32(0.5), "end": Float32(2.0)}], "language": "pt"}
    document = result_document(result)
    assert detect_format(document) == "whisperx"
    transcript = _read(result)
    assert transcript.text == "bom dia" and transcript.duration_ms == 2000  # type: ignore[attr-defined]


def test_openai_whisper_dict_keeps_its_text_and_infers_the_duration() -> None:
    result = {"text": " olá", "segments": [{"id": 0, "text": " olá", "start": 0.0, "end": 3.5, "tokens": [1]}],
              "language": "pt"}  # fmt: skip
    assert result_document(result)["segments"] == [{"text": " olá", "start": 0.0, "end": 3.5}]
    assert _read(result).duration_ms == 3500  # type: ignore[attr-defined]


def test_anything_else_is_refused_by_name() -> None:
    with pytest.raises(UnknownResult, match="got list"):
        result_document([1, 2])
