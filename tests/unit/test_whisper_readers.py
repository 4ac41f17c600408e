"""Raw Whisper outputs: recognised by content, read into transcripts, written back whole."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest
from returns.result import Failure, Success

from arandu.adapters.records.arandu_json import render_record
from arandu.adapters.records.whisper_json import detect_format, detected_language, parse_any_record
from arandu.adapters.storage.fsspec_store import FsspecRecordStore
from arandu.domain.criteria import default_heuristic_criteria
from arandu.domain.pipeline import judge_heuristics

# Shaped like `whisper audio.mp3 --output_format json` (openai-whisper 20231117).
OPENAI_WHISPER = {
    "text": " Bonjour à tous. Aujourd'hui on parle de la radio.",
    "segments": [
        {
            "id": 0,
            "seek": 0,
            "start": 0.0,
            "end": 2.4,
            "text": " Bonjour à tous.",
            "tokens": [50364, 22683],
            "temperature": 0.0,
            "avg_logprob": -0.31,
            "compression_ratio": 1.12,
            "no_speech_prob": 0.02,
        },
        {
            "id": 1,
            "seek": 0,
            "start": 2.4,
            "end": 6.0,
            "text": " Aujourd'hui on parle de la radio.",
            "tokens": [50484, 3251],
            "temperature": 0.0,
            "avg_logprob": -0.31,
            "compression_ratio": 1.12,
            "no_speech_prob": 0.02,
        },
    ],
    "language": "fr",
}

# faster-whisper has no writer of its own; this is the usual dump of its two results.
FASTER_WHISPER = {
    "segments": [
        {
            "id": 1,
            "seek": 0,
            "start": 0.0,
            "end": 3.2,
            "text": " Olá a todos.",
            "tokens": [1, 2],
            "avg_logprob": -0.25,
            "compression_ratio": 0.9,
            "no_speech_prob": 0.01,
            "words": None,
            "temperature": 0.0,
        },
        {
            "id": 2,
            "seek": 320,
            "start": 3.2,
            "end": 7.5,
            "text": " Hoje falamos de rádio.",
            "tokens": [3],
            "avg_logprob": -1.4,
            "compression_ratio": 1.0,
            "no_speech_prob": 0.7,
            "words": None,
            "temperature": 1.0,
        },
    ],
    "info": {"language": "pt", "language_probability": 0.98, "duration": 9.25, "duration_after_vad": 9.25},
}

# Shaped like WhisperX's `--output_format json` (aligned words, no confidence fields).
WHISPERX = {
    "segments": [
        {
            "start": 0.031,
            "end": 2.5,
            "text": " Hello everyone.",
            "words": [
                {"word": "Hello", "start": 0.031, "end": 0.4, "score": 0.9},
                {"word": "everyone.", "start": 0.45, "end": 1.1, "score": 0.8},
            ],
        },
        {"start": 2.6, "end": 4.0, "text": " Welcome back.", "words": []},
    ],
    "word_segments": [{"word": "Hello", "start": 0.031, "end": 0.4, "score": 0.9}],
    "language": "en",
}

# Shaped like `whisper-cli -oj` (whisper.cpp): offsets in milliseconds.
WHISPER_CPP = {
    "systeminfo": "AVX = 1 | NEON = 0",
    "model": {"type": "base", "multilingual": True, "vocab": 51865},
    "params": {"model": "models/ggml-base.bin", "language": "de", "translate": False},
    "result": {"language": "de"},
    "transcription": [
        {
            "timestamps": {"from": "00:00:00,000", "to": "00:00:02,500"},
            "offsets": {"from": 0, "to": 2500},
            "text": " Guten Tag.",
        },
        {
            "timestamps": {"from": "00:00:02,500", "to": "00:00:05,120"},
            "offsets": {"from": 2500, "to": 5120},
            "text": " Wie geht es Ihnen?",
        },
    ],
}


def encode(document: dict[str, object]) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=4).encode("utf-8")


@pytest.mark.parametrize(
    ("document", "tool", "language"),
    [
        (OPENAI_WHISPER, "openai-whisper", "fr"),
        (FASTER_WHISPER, "faster-whisper", "pt"),
        (WHISPERX, "whisperx", "en"),
        (WHISPER_CPP, "whisper.cpp", "de"),
    ],
)
def test_formats_are_recognised_by_content(document: dict[str, object], tool: str, language: str) -> None:
    assert detect_format(document) == tool
    assert detected_language(document) == language


def test_openai_whisper_text_segments_and_duration_from_last_end() -> None:
    parsed = parse_any_record(encode(OPENAI_WHISPER)).unwrap()
    transcript = parsed.transcript
    assert transcript.text == OPENAI_WHISPER["text"]
    assert transcript.duration_ms == 6000
    assert [s.start for s in transcript.segments] == [0.0, 2.4]
    assert transcript.segments[0].avg_logprob == -0.31
    assert not parsed.judged


def test_faster_whisper_takes_duration_from_info_and_joins_text() -> None:
    transcript = parse_any_record(encode(FASTER_WHISPER)).unwrap().transcript
    assert transcript.text == "Olá a todos. Hoje falamos de rádio."
    assert transcript.duration_ms == 9250
    assert transcript.segments[1].no_speech_prob == 0.7


def test_whisperx_segments_without_confidence() -> None:
    transcript = parse_any_record(encode(WHISPERX)).unwrap().transcript
    assert transcript.text == "Hello everyone. Welcome back."
    assert transcript.duration_ms == 4000
    assert transcript.segments[0].avg_logprob is None


def test_whisper_cpp_offsets_are_milliseconds() -> None:
    transcript = parse_any_record(encode(WHISPER_CPP)).unwrap().transcript
    assert transcript.text == "Guten Tag. Wie geht es Ihnen?"
    assert [(s.start, s.end) for s in transcript.segments] == [(0.0, 2.5), (2.5, 5.12)]
    assert transcript.duration_ms == 5120


def test_arandu_records_still_read_first() -> None:
    record = {"transcription_text": "olá", "duration_milliseconds": 1000, "text": "ignored"}
    assert parse_any_record(encode(record)).unwrap().transcript.text == "olá"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"[1, 2]", "expected a JSON object"),
        (b"{not json", "not valid JSON"),
        (b'{"foo": 1}', "missing required field 'transcription_text' (nor is it the JSON of openai-whisper"),
        (encode({"text": "x", "segments": [{"text": "x", "start": "0", "end": 1}]}), "segments[0].start"),
        (encode({"transcription": [{"text": "x"}]}), "transcription[0].offsets"),
    ],
)
def test_unreadable_outputs_say_why(data: bytes, reason: str) -> None:
    result = parse_any_record(data)
    assert isinstance(result, Failure)
    assert reason in result.failure()


def test_verdict_is_written_back_keeping_every_field_in_order() -> None:
    parsed = parse_any_record(encode(WHISPER_CPP) + b"\n").unwrap()
    verdict = judge_heuristics(default_heuristic_criteria("de"), parsed.transcript)
    written = orjson.loads(render_record(parsed, verdict))
    assert list(written) == [*WHISPER_CPP, "validation", "is_valid"]
    assert {k: written[k] for k in WHISPER_CPP} == WHISPER_CPP
    assert written["is_valid"] is False  # far too short to judge
    again = parse_any_record(render_record(parsed, verdict)).unwrap()
    assert again.judged


def test_store_pattern_chooses_files(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_bytes(encode(OPENAI_WHISPER))
    (tmp_path / "b_transcription.json").write_bytes(encode({"transcription_text": "x"}))
    (tmp_path / "notes.txt").write_text("x")
    default = FsspecRecordStore(str(tmp_path))
    assert [Path(k).name for k in list(default.keys())] == ["b_transcription.json"]
    every_json = FsspecRecordStore(str(tmp_path), pattern="*.json")
    assert [Path(k).name for k in list(every_json.keys())] == ["a.json", "b_transcription.json"]
    loaded = every_json.load(str(tmp_path / "a.json"))
    assert isinstance(loaded, Success)
    record = loaded.unwrap()
    verdict = judge_heuristics(default_heuristic_criteria("fr"), record.transcript)
    assert isinstance(every_json.save(record, verdict), Success)
    saved = json.loads((tmp_path / "a.json").read_text())
    assert saved["segments"] == OPENAI_WHISPER["segments"] and "validation" in saved
