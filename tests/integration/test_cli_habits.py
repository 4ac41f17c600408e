"""The command as scripts and shells use it: python -m, completion, --json, -q, languages, help, a terminal's bar."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from tests.integration.conftest import ARANDU, arandu, clean_environment, write_json

pytestmark = pytest.mark.integration

CLEAN = (
    "a gente morava na beira do rio e quando vinha a cheia tinha que subir tudo pro alto "
    "a casa ficava com água até a janela meu pai pescava de noite e de manhã cedo a minha mãe "
    "vendia o peixe na feira da cidade naquele tempo não tinha estrada era tudo de barco "
)


@pytest.fixture
def corpus(corpus_dir: Path) -> Path:
    for i in range(12):
        text = CLEAN * 2 if i % 3 else "obrigada " * 60
        write_json(corpus_dir / f"r{i:02d}_transcription.json", {"transcription_text": text,
                   "duration_milliseconds": 45_000})  # fmt: skip
    return corpus_dir


def test_python_dash_m_is_the_same_command(scratch: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "arandu", "--version"], capture_output=True, text=True,
                          cwd=scratch, check=False)  # fmt: skip
    assert done.returncode == 0 and done.stdout.strip() == arandu("--version", cwd=scratch).stdout.strip()


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts_name_the_commands_and_their_flags(shell: str, scratch: Path) -> None:
    done = arandu("completion", shell, cwd=scratch)
    assert done.status == 0, done.stderr
    for word in ("judge-transcription", "export", "rejudge", "pattern", "cut-suspects"):
        assert word in done.stdout


def test_json_summary_for_scripts(corpus: Path, scratch: Path) -> None:
    done = arandu("judge-transcription", str(corpus), "--json", cwd=scratch)
    assert done.status == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["records"], summary["judged"], summary["passed"], summary["failed"]) == (12, 12, 8, 4)
    assert summary["rejections_by_criterion"]["repetition"] == 4
    again = json.loads(arandu("judge-transcription", str(corpus), "--json", cwd=scratch).stdout)
    assert (again["skipped"], again["judged"]) == (12, 0)


def test_one_format_vocabulary_across_commands(corpus: Path, scratch: Path, tmp_path: Path) -> None:
    judged = arandu("judge-transcription", str(corpus), "--format", "json", cwd=scratch)
    assert judged.status == 0, judged.stderr
    assert json.loads(judged.stdout)["judged"] == 12  # --format json is --json
    sheet = tmp_path / "sheet.csv"
    assert arandu("audit", "sample", str(corpus), "-o", str(sheet), cwd=scratch).status == 0
    for command in (["judge-transcription", str(corpus)], ["report", str(corpus)], ["audit", "score", str(sheet)]):
        text = arandu(*command, "--format", "text", cwd=scratch)
        as_json = arandu(*command, "--format", "json", cwd=scratch)
        assert text.status == 0 and as_json.status == 0, (command, text.stderr, as_json.stderr)
        assert isinstance(json.loads(as_json.stdout), dict) and not text.stdout.lstrip().startswith("{")


def test_quiet_prints_nothing_but_errors(corpus: Path, scratch: Path) -> None:
    (corpus / "broken_transcription.json").write_text("{", encoding="utf-8")
    done = arandu("judge-transcription", str(corpus), "-q", cwd=scratch)
    assert done.status == 1 and done.stdout == ""
    assert [line for line in done.stderr.splitlines() if line] == [
        line for line in done.stderr.splitlines() if line.startswith("error:")
    ]
    assert "broken_transcription.json" in done.stderr


def test_report_audit_and_export_take_quiet_and_export_verbose(corpus: Path, scratch: Path, tmp_path: Path) -> None:
    assert arandu("judge-transcription", str(corpus), "-q", cwd=scratch).status == 0
    commands = [["report", str(corpus), "--format", "html", "-o", str(tmp_path / "r.html")],
                ["audit", "sample", str(corpus), "-o", str(tmp_path / "s.csv")],
                ["export", str(corpus), "--to", str(tmp_path / "valid")]]  # fmt: skip
    for command in commands:
        done = arandu(*command, "-q", cwd=scratch)
        assert done.status == 0 and done.stdout == "" and done.stderr == "", (command, done.stderr)
    assert (tmp_path / "r.html").is_file() and (tmp_path / "s.csv").is_file()
    assert sorted(p.name for p in (tmp_path / "valid").iterdir()) == sorted(
        p.name for p in corpus.iterdir() if "validation" in p.read_text() and json.loads(p.read_text())["is_valid"]
    )
    verbose = arandu("export", str(corpus), "--to", str(tmp_path / "again"), "-v", cwd=scratch)
    named = [line.removeprefix("exported: ") for line in verbose.stderr.splitlines() if line.startswith("exported: ")]
    assert verbose.status == 0 and sorted(named) == sorted(p.name for p in (tmp_path / "valid").iterdir())


def test_verbose_names_each_record(corpus: Path, scratch: Path) -> None:
    done = arandu("judge-transcription", str(corpus), "-v", cwd=scratch)
    assert done.status == 0
    assert sum("_transcription.json" in line for line in done.stderr.splitlines()) == 12


@pytest.mark.parametrize(("language", "nearest"), [("ptt", "pt"), ("klingon", "ISO 639-1")])
def test_an_unknown_language_exits_2_with_the_nearest_codes(corpus: Path, scratch: Path, language: str,
                                                            nearest: str) -> None:  # fmt: skip
    before = {p.name: p.read_bytes() for p in corpus.iterdir()}
    done = arandu("judge-transcription", str(corpus), "--language", language, cwd=scratch)
    assert done.status == 2 and nearest in done.stderr
    assert {p.name: p.read_bytes() for p in corpus.iterdir()} == before
    from_env = arandu("judge-transcription", str(corpus), cwd=scratch, env={"ARANDU_JUDGE_LANGUAGE": language})
    assert from_env.status == 2 and nearest in from_env.stderr


def test_raw_whisper_files_without_a_pattern_exit_2_naming_it(tmp_path: Path, scratch: Path) -> None:
    for name in ("a", "b"):
        write_json(tmp_path / "w" / f"{name}.json", {"text": CLEAN, "segments": [], "language": "pt"})
    done = arandu("judge-transcription", str(tmp_path / "w"), cwd=scratch)
    assert done.status == 2 and "--pattern '*.json'" in done.stderr


def test_help_names_the_environment_variable_of_every_flag_that_has_one(scratch: Path) -> None:
    help_text = " ".join(arandu("judge-transcription", "--help", cwd=scratch).stdout.split())
    for variable in ("ARANDU_JUDGE_LANGUAGE", "ARANDU_JUDGE_VALIDATOR_MODEL", "ARANDU_JUDGE_VALIDATOR_PROVIDER",
                     "ARANDU_JUDGE_VALIDATOR_BASE_URL", "ARANDU_JUDGE_TEMPERATURE", "ARANDU_JUDGE_MAX_TOKENS",
                     "ARANDU_JUDGE_CONCURRENCY", "ARANDU_JUDGE_TIMEOUT", "ARANDU_JUDGE_RETRIES",
                     "ARANDU_JUDGE_PROMPTS_DIR", "ARANDU_JUDGE_STORAGE_OPTIONS", "ARANDU_JUDGE_CONTEXT_TOKENS",
                     "ARANDU_JUDGE_MAX_RECORD_MB", "ARANDU_JUDGE_AUDIO_DIR", "DASK_SCHEDULER_ADDRESS"):  # fmt: skip
        assert variable in help_text.replace("ARANDU_JUDGE_ ", "ARANDU_JUDGE_"), variable
    for command, variables in ((["report"], ["ARANDU_JUDGE_STORAGE_OPTIONS"]),
                               (["audit", "sample"], ["ARANDU_JUDGE_STORAGE_OPTIONS"]),
                               (["export"], ["ARANDU_JUDGE_STORAGE_OPTIONS"]),
                               (["review"], ["ARANDU_JUDGE_STORAGE_OPTIONS", "ARANDU_JUDGE_AUDIO_DIR"])):  # fmt: skip
        text = " ".join(arandu(*command, "--help", cwd=scratch).stdout.split())
        text = text.replace("ARANDU_JUDGE_ ", "ARANDU_JUDGE_")
        assert all(variable in text for variable in variables), command


def test_a_terminal_sees_a_bar_with_the_total(corpus: Path, scratch: Path) -> None:
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))  # an ordinary terminal
    process = subprocess.Popen([str(ARANDU), "judge-transcription", str(corpus), "--workers", "1"], cwd=scratch,
                               stdout=subprocess.DEVNULL, stderr=follower, env=clean_environment())  # fmt: skip
    os.close(follower)
    seen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        seen += chunk
    assert process.wait(timeout=60) == 0
    os.close(leader)
    assert b" 0/12" in seen  # the total is known before the first record
    frames = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", seen.decode()).replace("\r", "\n").splitlines()
    last = [frame for frame in frames if "judging" in frame][-1]  # drawn once more as the bar stops
    assert "12/12" in last and "8 passed, 4 failed" in last and re.search(r"\d+/s ETA 0:00:00", last), last


def test_a_closed_pipe_after_judging_ends_quietly(corpus: Path, scratch: Path) -> None:
    process = subprocess.Popen([str(ARANDU), "judge-transcription", str(corpus)], cwd=scratch, env=clean_environment(),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait(timeout=120) in (0, 141) and b"Traceback" not in stderr
    assert all("validation" in json.loads(p.read_text()) for p in corpus.iterdir())


@pytest.mark.parametrize("command", [["--help"], ["judge-transcription", "--help"], ["completion", "bash"],
                                     ["--version"]])  # fmt: skip
def test_help_and_scripts_into_a_closed_pipe_end_quietly(command: list[str], scratch: Path) -> None:
    reader, writer = os.pipe()
    os.close(reader)  # the reader is gone before the first byte: every write meets a closed pipe
    try:
        done = subprocess.run([str(ARANDU), *command], stdout=writer, stderr=subprocess.PIPE, cwd=scratch,
                              env=clean_environment(), timeout=60, check=False)  # fmt: skip
    finally:
        os.close(writer)
    assert done.returncode in (0, 141) and b"Traceback" not in done.stderr, done.stderr
