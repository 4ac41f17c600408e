"""`TranscriptionJudge.evaluate_transcription` takes what the Whisper tools return, as the command reads their JSON."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

from arandu import TranscriptionJudge
from arandu.adapters.records.whisper_json import parse_any_record
from arandu.domain.criteria import default_heuristic_criteria
from arandu.domain.pipeline import run_heuristic_stage
from arandu.domain.transcript import InvalidTranscript

TALK = (
    "a gente morava na beira do rio e quando vinha a cheia tinha que subir tudo pro alto a casa ficava "
    "com água até a janela meu pai pescava de noite e de manhã cedo a minha mãe vendia o peixe na feira "
    "da cidade naquele tempo não tinha estrada era tudo de barco e a escola ficava do outro lado do rio"
)
ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "python_api.py"


class Segment(NamedTuple):
    start: float
    end: float
    text: str
    avg_logprob: float
    no_speech_prob: float
    compression_ratio: float


class Info(NamedTuple):
    language: str
    language_probability: float
    duration: float


def whisper_result(text: str, end: float) -> dict[str, object]:
    return {"text": text, "language": "pt", "segments": [
        {"id": 0, "start": 0.0, "end": end, "text": text, "tokens": [1, 2], "avg_logprob": -0.2,
         "no_speech_prob": 0.01, "compression_ratio": 1.3}]}  # fmt: skip


def command_scores(document: dict[str, object]) -> dict[str, float]:
    """The heuristic scores the command gives the same document read from a file."""
    transcript = parse_any_record(json.dumps(document).encode()).unwrap().transcript
    stage = run_heuristic_stage(default_heuristic_criteria("pt"), transcript)
    return {name: c.score for name, c in stage.criterion_scores.items()}


def test_an_openai_whisper_result_is_judged_as_its_json_file_is() -> None:
    result = whisper_result(TALK, 3.0)  # 50 words in 3 s: far too dense
    verdict = TranscriptionJudge().evaluate_transcription(result)
    assert not verdict.passed and "content_density" in verdict.failing_criteria
    scores = verdict.stage_results["heuristic_filter"].criterion_scores
    assert {name: c.score for name, c in scores.items()} == command_scores(result)


def test_duration_is_inferred_from_the_last_segment() -> None:
    judge = TranscriptionJudge()
    assert judge.evaluate_transcription(whisper_result(TALK, 40.0)).passed
    assert not judge.evaluate_transcription(whisper_result(TALK, 2.0)).passed


def test_a_faster_whisper_pair_with_a_lazy_generator() -> None:
    parts = TALK.split(" e ")
    segments = (Segment(8.0 * i, 8.0 * i + 7.5, " " + p, -2.5, 0.9, 1.2) for i, p in enumerate(parts))
    verdict = TranscriptionJudge().evaluate_transcription((segments, Info("pt", 0.99, 40.0)))
    # Its confidence fields are read: every segment at -2.5 log-probability with no speech likely.
    assert "decoder_confidence" in verdict.failing_criteria


def test_a_whisperx_result_without_text_and_an_arandu_record() -> None:
    judge = TranscriptionJudge()
    assert judge.evaluate_transcription({"segments": [{"text": TALK, "start": 0.0, "end": 40.0}]}).passed
    record = {"transcription_text": TALK, "duration_milliseconds": 40_000, "segments": None, "id": 7}
    assert judge.evaluate_transcription(record).passed


def test_language_per_call_without_changing_the_judge() -> None:
    judge = TranscriptionJudge(language="pt")
    as_japanese = judge.evaluate_transcription(whisper_result(TALK, 40.0), language="ja")
    assert as_japanese.failing_criteria == ["script_match"]
    assert as_japanese.judged_by is not None and as_japanese.judged_by.language == "ja"
    assert judge.evaluate_transcription(whisper_result(TALK, 40.0)).passed


def test_an_unknown_language_names_the_nearest_codes() -> None:
    with pytest.raises(ValueError, match="did you mean pt"):
        TranscriptionJudge(language="ptt")
    with pytest.raises(ValueError, match="klingon"):
        TranscriptionJudge().evaluate_transcription(text=TALK, language="klingon")


def test_the_keyword_and_positional_forms_still_work() -> None:
    judge = TranscriptionJudge()
    keyword = judge.evaluate_transcription(text=TALK, duration_ms=40_000, segments=[])
    positional = judge.evaluate_transcription(TALK, 40_000, [])
    assert keyword.passed and positional.model_dump() == keyword.model_dump()


def test_a_result_of_the_wrong_shape_names_the_field() -> None:
    with pytest.raises(InvalidTranscript, match=r"segments\[0\]\.start"):
        TranscriptionJudge().evaluate_transcription({"text": "a", "segments": [{"text": "a", "start": "0", "end": 1}]})
    with pytest.raises(InvalidTranscript, match="got list"):
        TranscriptionJudge().evaluate_transcription([TALK])


def test_the_documented_example_runs() -> None:
    done = subprocess.run([sys.executable, str(EXAMPLE)], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "openai-whisper, an interview: valid",
        "openai-whisper, a loop: rejected by repetition, loop",
        "faster-whisper: valid",
        "whisperx: valid",
        "judged as Japanese: rejected at heuristic_filter",
        "keyword form: valid",
    ]


def test_the_readmes_python_example_gives_the_values_it_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## From Python\s+```python\n(.*?)```", readme, re.S)
    assert block is not None, "the README's 'From Python' section has no python block"
    monkeypatch.chdir(ROOT)  # its path is relative to the repository
    namespace: dict[str, object] = {}
    exec(compile(block.group(1), "README.md", "exec"), namespace)
    shown = re.findall(r"^(verdict\.\w+)\s+#\s+(\S.*)$", block.group(1), re.M)
    assert len(shown) >= 3
    for expression, value in shown:
        assert eval(expression, namespace) == ast.literal_eval(value), expression
