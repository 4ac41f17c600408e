"""The installed command judges raw Whisper JSON chosen by --pattern and writes verdicts back in place."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ARANDU = str(Path(sys.executable).parent / "arandu")

pytestmark = pytest.mark.integration

LOOP = " We got them. We got them."


def _openai_whisper_loop() -> dict[str, object]:
    good = [
        {
            "id": i,
            "start": i * 5.0,
            "end": i * 5.0 + 5.0,
            "text": " Houston, the crew reports all systems nominal and the descent engine is ready for the burn.",
            "avg_logprob": -0.25,
            "compression_ratio": 1.3,
            "no_speech_prob": 0.02,
            "temperature": 0.0,
        }
        for i in range(3)
    ]
    loop = [
        {
            "id": 3 + i,
            "start": 15.0 + i * 10,
            "end": 25.0 + i * 10,
            "text": LOOP * 12,
            "avg_logprob": -0.1,
            "compression_ratio": 12.5,
            "no_speech_prob": 0.05,
            "temperature": 1.0,
        }
        for i in range(4)
    ]
    segments = good + loop
    return {"text": "".join(s["text"] for s in segments), "segments": segments, "language": "en"}


def _whisper_cpp_clean() -> dict[str, object]:
    sentence = " Die Sitzung beginnt heute pünktlich, und wir sprechen über den Haushalt der Stadt."
    items = [
        {
            "timestamps": {"from": "", "to": ""},
            "offsets": {"from": i * 4000, "to": i * 4000 + 3900},
            "text": sentence.replace("heute", f"heute zum {i}. Mal"),
        }
        for i in range(8)
    ]
    return {"result": {"language": "de"}, "transcription": items}


def test_pattern_chooses_raw_outputs_and_verdicts_are_written_back(tmp_path: Path) -> None:
    (tmp_path / "apollo.json").write_text(json.dumps(_openai_whisper_loop(), indent=2))
    (tmp_path / "sitzung.json").write_text(json.dumps(_whisper_cpp_clean(), indent=2))
    (tmp_path / "notes.txt").write_text("not a transcript")
    result = subprocess.run(
        [ARANDU, "judge-transcription", str(tmp_path), "--pattern", "*.json", "--language", "en", "--workers", "1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    apollo = json.loads((tmp_path / "apollo.json").read_text())
    assert list(apollo)[:3] == ["text", "segments", "language"]
    assert apollo["is_valid"] is False
    scores = apollo["validation"]["stage_results"]["heuristic_filter"]["criterion_scores"]
    assert scores["decoder_confidence"]["issues"] == ["repetitive_segments:3-6"]
    assert scores["decoder_confidence"]["evidence"][0]["start"] == 15.0
    # The loop criterion finds the loop where it starts, no later than decoder confidence does.
    assert apollo["validation"]["clean_prefix"]["seconds"] <= 15.0
    sitzung = json.loads((tmp_path / "sitzung.json").read_text())
    assert "transcription" in sitzung and "validation" in sitzung
    assert (tmp_path / "notes.txt").read_text() == "not a transcript"


def test_default_pattern_ignores_raw_outputs(tmp_path: Path) -> None:
    path = tmp_path / "apollo.json"
    path.write_text(json.dumps(_openai_whisper_loop()))
    before = path.read_bytes()
    result = subprocess.run([ARANDU, "judge-transcription", str(tmp_path)], capture_output=True, text=True, check=False)
    # Nothing matches the default pattern: a usage error that names the pattern which would find the file.
    assert result.returncode == 2, result.stdout + result.stderr
    assert "--pattern '*.json' finds them" in result.stderr
    assert path.read_bytes() == before
