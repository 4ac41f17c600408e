"""The benchmark's subtitle reader: Whisper's VTT cue times with and without hours, SRT alike."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

_PATH = Path(__file__).parents[2] / "benchmarks" / "real_formats.py"


@pytest.fixture(scope="module")
def formats() -> ModuleType:
    spec = importlib.util.spec_from_file_location("real_formats", _PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# As openai-whisper writes VTT: no hours until the first hour, then hh:mm:ss.mmm.
WHISPER_VTT = """WEBVTT

00:00.000 --> 00:02.880
Bom dia a todos.

59:58.500 --> 01:00:01.250
Vamos continuar
depois do intervalo.

01:00:01.250 --> 01:00:04.000 align:start position:0%
Obrigado.
"""

SAME_AS_SRT = """1
00:00:00,000 --> 00:00:02,880
Bom dia a todos.

2
00:59:58,500 --> 01:00:01,250
Vamos continuar
depois do intervalo.

3
01:00:01,250 --> 01:00:04,000
Obrigado.
"""


def test_vtt_cues_without_hours_are_read(formats: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "talk.vtt"
    path.write_text(WHISPER_VTT, encoding="utf-8")
    transcript = formats.read(path)
    columns = transcript.columns
    texts = [s.strip() for s in columns.text]
    assert texts == ["Bom dia a todos.", "Vamos continuar depois do intervalo.", "Obrigado."]
    assert list(columns.start) == [0.0, 3598.5, 3601.25]
    assert list(columns.end) == [2.88, 3601.25, 3604.0]
    assert transcript.duration_ms == pytest.approx(3_604_000)


def test_vtt_and_srt_of_one_result_read_the_same(formats: ModuleType, tmp_path: Path) -> None:
    vtt, srt = tmp_path / "a.vtt", tmp_path / "a.srt"
    vtt.write_text(WHISPER_VTT, encoding="utf-8")
    srt.write_text(SAME_AS_SRT, encoding="utf-8")
    one, other = formats.read(vtt), formats.read(srt)
    assert one.text == other.text
    assert one.columns.start == other.columns.start and one.columns.end == other.columns.end


def test_a_line_that_is_not_a_cue_time_is_text(formats: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "b.vtt"
    path.write_text("WEBVTT\n\n00:01.000 --> 00:02.000\nàs 10:30 em ponto\n", encoding="utf-8")
    transcript = formats.read(path)
    assert [s.strip() for s in transcript.columns.text] == ["às 10:30 em ponto"]
    assert list(transcript.columns.start) == [1.0]
