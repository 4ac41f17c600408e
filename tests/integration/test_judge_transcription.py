"""The installed `arandu judge-transcription` command on a temporary corpus written by the test."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tests.builders import HEURISTIC_ORDER, clean_portuguese, record, segments_at, starts_every
from tests.integration.conftest import arandu, snapshot, write_json

pytestmark = pytest.mark.integration

BIG = 2**70 + 3


def japanese() -> str:
    # Forty distinct Japanese-script words: only the script is wrong (no loop once Han is split per character).
    return " ".join("".join(chr(0x4E00 + 3 * i + k) for k in range(3)) + str(i) for i in range(40))


# name -> (document, failing criteria)
CORPUS: dict[str, tuple[dict[str, Any], list[str]]] = {
    "clean_transcription.json": (record(), []),
    "loop_transcription.json": (record(text="Obrigada. " * 30, duration_ms=15_000), ["repetition", "loop"]),
    "japanese_transcription.json": (record(text=japanese(), duration_ms=20_000), ["script_match"]),
    "uniform_transcription.json": (record(segments=segments_at(starts_every(1.0, 10))), ["segment_quality"]),
    "sub/short_transcription.json": (
        record(text="Obrigado por assistir.", duration_ms=60_000),
        ["content_length_floor"],
    ),
}


def write_corpus(folder: Path) -> None:
    for name, (document, _) in CORPUS.items():
        write_json(folder / name, document)
    write_json(folder / "notes.json", {"not": "a record"})


def read(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_bytes())
    return document


def test_verdicts_are_written_with_the_schema(corpus_dir: Path, scratch: Path) -> None:
    write_corpus(corpus_dir)
    run = arandu("judge-transcription", str(corpus_dir), "--workers", "1", cwd=scratch)
    assert run.status == 0, run.stderr
    assert (run.count("judged"), run.count("passed"), run.count("failed"), run.count("errors")) == (5, 1, 4, 0)
    assert run.count("heuristic_filter") == 4
    for criterion in ("repetition", "script_match", "segment_quality", "content_length_floor"):
        assert run.count(criterion) == 1
    for name, (_, failing) in CORPUS.items():
        document = read(corpus_dir / name)
        validation = document["validation"]
        # `clean_prefix` is added to a rejection whose evidence could be located, `suspect_spans` where any was.
        assert set(validation) - {"clean_prefix", "suspect_spans"} == {
            "passed",
            "rejected_at",
            "stage_results",
            "judged_by",
        }
        assert document["is_valid"] is validation["passed"] is (not failing)
        assert validation["rejected_at"] == ("heuristic_filter" if failing else None)
        assert list(validation["stage_results"]) == ["heuristic_filter"]  # no validator: no llm_filter
        stage = validation["stage_results"]["heuristic_filter"]
        assert set(stage) == {"passed", "criterion_scores"}
        expected_names = HEURISTIC_ORDER[:1] if failing == ["content_length_floor"] else HEURISTIC_ORDER
        assert list(stage["criterion_scores"]) == expected_names
        for score in stage["criterion_scores"].values():
            # `evidence` is added to a failing criterion that can say where its evidence lies.
            assert set(score) - {"evidence"} == {"score", "threshold", "passed", "rationale", "issues"}
            assert score["passed"] is (score["score"] >= score["threshold"])
        assert [n for n, s in stage["criterion_scores"].items() if not s["passed"]] == failing
        assert validation["judged_by"]["language"] == "pt"
    assert (
        read(corpus_dir / "loop_transcription.json")["validation"]["stage_results"]["heuristic_filter"][
            "criterion_scores"
        ]["repetition"]["issues"][0]
        == "high_word_repetition:obrigada:30"
    )
    assert read(corpus_dir / "notes.json") == {"not": "a record"}


def test_unknown_fields_their_order_and_non_ascii_text_are_preserved(corpus_dir: Path, scratch: Path) -> None:
    document = {
        "zz_first": "fica em primeiro",
        "transcription_text": clean_portuguese() + " Ação, coração — “aspas” e 日本.",
        "metadados": {"entrevistada": "Dona Conceição", "região": "Rio Grande do Sul", "ordem": [3, 1, 2]},
        "serial": BIG,
        "is_valid": None,
        "duration_milliseconds": 30_000,
        "segments": segments_at([0.0, 2.5, 6.1, 8.0], ["Ação", "coração", "", "pão"]),
        "aa_last": [None, True, 0.1, -5e-7, "ü"],
    }
    data = write_json(corpus_dir / "a_transcription.json", document)
    assert b"\\u" not in data
    run = arandu("judge-transcription", str(corpus_dir), cwd=scratch)
    assert run.status == 0, run.stderr
    out = (corpus_dir / "a_transcription.json").read_bytes()
    back = json.loads(out)
    assert list(back) == [*document, "validation"]  # is_valid kept its place, validation appended
    assert {k: v for k, v in back.items() if k not in ("validation", "is_valid")} == {
        k: v for k, v in document.items() if k != "is_valid"
    }
    assert list(back["metadados"]) == ["entrevistada", "região", "ordem"]
    assert back["serial"] == BIG and str(BIG).encode() in out
    assert "Dona Conceição".encode() in out and "“aspas” e 日本".encode() in out
    assert b"\\u" not in out
    assert out.endswith(b"}\n")
    assert isinstance(back["is_valid"], bool)


def test_a_second_run_rewrites_nothing(corpus_dir: Path, scratch: Path) -> None:
    write_corpus(corpus_dir)
    assert arandu("judge-transcription", str(corpus_dir), cwd=scratch).status == 0
    before = snapshot(corpus_dir)
    time.sleep(0.05)  # so that a rewrite would show in the modification times
    run = arandu("judge-transcription", str(corpus_dir), cwd=scratch)
    assert run.status == 0, run.stderr
    assert (run.count("skipped"), run.count("judged")) == (5, 0)
    assert snapshot(corpus_dir) == before  # bytes, mtime_ns and inode of every file


def test_rejudge_replaces_verdicts_and_resume_does_not(corpus_dir: Path, scratch: Path) -> None:
    write_corpus(corpus_dir)
    assert arandu("judge-transcription", str(corpus_dir), "--language", "en", cwd=scratch).status == 0
    names = list(CORPUS)
    assert {read(corpus_dir / n)["validation"]["judged_by"]["language"] for n in names} == {"en"}

    resumed = arandu("judge-transcription", str(corpus_dir), "--resume", "--language", "pt", cwd=scratch)
    assert resumed.status == 0 and resumed.count("skipped") == 5
    assert {read(corpus_dir / n)["validation"]["judged_by"]["language"] for n in names} == {"en"}

    rejudged = arandu("judge-transcription", str(corpus_dir), "--rejudge", "--language", "pt", cwd=scratch)
    assert rejudged.status == 0, rejudged.stderr
    assert (rejudged.count("judged"), rejudged.count("skipped")) == (5, 0)
    for name, (original, _) in CORPUS.items():
        document = read(corpus_dir / name)
        assert document["validation"]["judged_by"]["language"] == "pt"
        assert list(document) == [*original, "validation", "is_valid"]


def test_language_comes_from_the_environment_and_dot_env(corpus_dir: Path, scratch: Path) -> None:
    write_json(corpus_dir / "a_transcription.json", record())
    arandu("judge-transcription", str(corpus_dir), cwd=scratch, env={"ARANDU_JUDGE_LANGUAGE": "es"})
    assert read(corpus_dir / "a_transcription.json")["validation"]["judged_by"]["language"] == "es"
    (scratch / ".env").write_text("ARANDU_JUDGE_LANGUAGE=fr\n")
    arandu("judge-transcription", str(corpus_dir), "--rejudge", cwd=scratch)
    assert read(corpus_dir / "a_transcription.json")["validation"]["judged_by"]["language"] == "fr"
    arandu("judge-transcription", str(corpus_dir), "--rejudge", "--language", "it", cwd=scratch)
    assert read(corpus_dir / "a_transcription.json")["validation"]["judged_by"]["language"] == "it"


def test_programs_holding_records_open_during_a_run_see_only_their_own_record(corpus_dir: Path, scratch: Path) -> None:
    paths = [corpus_dir / f"{i}_transcription.json" for i in range(6)]
    originals = [write_json(path, record(index=i)) for i, path in enumerate(paths)]
    reader = open(paths[0], "rb")  # noqa: SIM115 (a backup reader, held across the run)
    writer = open(paths[1], "r+b")  # noqa: SIM115 (an editor saving in place, held across the run)
    try:
        assert arandu("judge-transcription", str(corpus_dir), "--workers", "2", cwd=scratch).status == 0
        writer.write(b"edited in place")
        writer.flush()
        assert reader.read() == originals[0]
    finally:
        reader.close()
        writer.close()
    for path in paths:  # what the handles did reached no record the run wrote
        assert json.loads(path.read_bytes())["validation"]["passed"] is not None


BAD_RECORDS: dict[str, tuple[bytes, str]] = {
    "malformed_transcription.json": (b'{"transcription_text": "ola", ', "not valid JSON"),
    "latin1_transcription.json": ('{"transcription_text": "coração"}'.encode("latin-1"), "not valid UTF-8"),
    "number_text_transcription.json": (b'{"transcription_text": 12345}', "'transcription_text' must be a string"),
    "no_text_transcription.json": (b'{"file_id": "x", "segments": []}', "missing required field 'transcription_text'"),
    "bad_start_transcription.json": (
        json.dumps(record(segments=[{"text": "a", "start": "0:01", "end": 2.0}])).encode(),
        "'segments[0].start' must be a number",
    ),
}


@pytest.mark.parametrize("workers", ["1", "2"])
def test_bad_records_are_named_left_untouched_and_the_rest_judged(
    corpus_dir: Path, scratch: Path, workers: str
) -> None:
    write_corpus(corpus_dir)
    for name, (data, _) in BAD_RECORDS.items():
        (corpus_dir / name).write_bytes(data)
    before = snapshot(corpus_dir)
    run = arandu("judge-transcription", str(corpus_dir), "--workers", workers, cwd=scratch)

    assert run.status == 1
    assert (run.count("judged"), run.count("errors")) == (len(CORPUS), len(BAD_RECORDS))
    errors = run.error_lines()
    assert len(errors) == len(BAD_RECORDS), run.stderr
    for name, (_, reason) in BAD_RECORDS.items():
        lines = [line for line in errors if str(corpus_dir / name) in line]
        assert len(lines) == 1, (name, errors)
        assert reason in lines[0]
    after = snapshot(corpus_dir)
    for name in BAD_RECORDS:
        assert after[name] == before[name]  # bytes, mtime and inode
    for name in CORPUS:
        assert isinstance(read(corpus_dir / name)["validation"], dict)


def test_a_single_record_file_can_be_judged(corpus_dir: Path, scratch: Path) -> None:
    write_corpus(corpus_dir)
    run = arandu("judge-transcription", str(corpus_dir / "clean_transcription.json"), cwd=scratch)
    assert run.status == 0 and run.count("judged") == 1
    assert read(corpus_dir / "clean_transcription.json")["is_valid"] is True
    assert "validation" not in read(corpus_dir / "loop_transcription.json")


def test_one_worker_and_two_write_the_same_bytes(tmp_path: Path, scratch: Path) -> None:
    results = []
    for workers in ("1", "2"):
        folder = tmp_path / f"w{workers}"
        write_corpus(folder)
        assert arandu("judge-transcription", str(folder), "--workers", workers, cwd=scratch).status == 0
        # No temporary file or inode kept for reuse is left behind once the run is over.
        assert [p.name for p in folder.rglob(".*")] == []
        results.append({k: v[0] for k, v in snapshot(folder).items()})
    assert results[0] == results[1]


def test_a_missing_location_exits_two_and_creates_nothing(tmp_path: Path, scratch: Path) -> None:
    missing = tmp_path / "no-such-folder"
    run = arandu("judge-transcription", str(missing), cwd=scratch)
    assert run.status == 2
    assert str(missing) in run.stderr
    assert not missing.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["judge-transcription"],
        ["judge-transcription", "{corpus}", "--no-such-flag"],
        ["judge-transcription", "{corpus}", "--workers", "0"],
        ["judge-transcription", "{corpus}", "--workers", "many"],
        ["no-such-command"],
    ],
    ids=["no-location", "unknown-flag", "zero-workers", "non-numeric-workers", "unknown-command"],
)
def test_bad_usage_exits_two_and_touches_nothing(corpus_dir: Path, scratch: Path, args: list[str]) -> None:
    write_corpus(corpus_dir)
    before = snapshot(corpus_dir)
    run = arandu(*(a.replace("{corpus}", str(corpus_dir)) for a in args), cwd=scratch)
    assert run.status == 2, (run.stdout, run.stderr)
    assert snapshot(corpus_dir) == before


@pytest.mark.parametrize(
    "env",
    [{"ARANDU_JUDGE_MAX_TOKENS": "lots"}, {"ARANDU_JUDGE_STORAGE_OPTIONS": "{not json"}],
    ids=["bad-number", "bad-json"],
)
def test_bad_configuration_exits_two_with_a_message_and_touches_nothing(
    corpus_dir: Path, scratch: Path, env: dict[str, str]
) -> None:
    write_corpus(corpus_dir)
    before = snapshot(corpus_dir)
    run = arandu("judge-transcription", str(corpus_dir), cwd=scratch, env=env)
    assert run.status == 2, run.stderr
    field = next(iter(env)).removeprefix("ARANDU_JUDGE_").lower()
    assert field in run.stderr.lower()  # the message names the setting
    assert next(iter(env.values())) not in run.stderr  # but not its value, which may be a credential
    assert "Traceback" not in run.stderr
    assert snapshot(corpus_dir) == before


def test_help_exits_zero_and_mentions_the_command_and_flags(scratch: Path) -> None:
    top = arandu("--help", cwd=scratch)
    assert top.status == 0 and "judge-transcription" in top.stdout
    command = arandu("judge-transcription", "--help", cwd=scratch)
    assert command.status == 0
    for word in ("LOCATION", "--language", "--rejudge", "--resume", "--workers", "Exit status"):
        assert word in command.stdout, word


def test_odd_files_and_a_poison_record_are_reported_and_the_rest_is_judged(corpus_dir: Path, scratch: Path) -> None:
    good = {
        f"good{i}_transcription.json": write_json(corpus_dir / f"good{i}_transcription.json", record())
        for i in range(3)
    }
    os.mkfifo(corpus_dir / "fifo_transcription.json")  # opening it would hang the run
    (corpus_dir / "zero_transcription.json").symlink_to("/dev/zero")  # reading it would never end
    # Deep nesting and a 19-digit integer: a RecursionError in a JSON parser, on every rerun.
    poison = b'{"transcription_text": "x", "n": 1234567890123456789, "deep": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    (corpus_dir / "poison_transcription.json").write_bytes(poison)
    for _ in range(2):  # a rerun stops at nothing either
        run = arandu("judge-transcription", str(corpus_dir), cwd=scratch, timeout=60)
        assert run.status == 1, run.stderr
        errors = "\n".join(run.error_lines())
        assert "fifo_transcription.json: is not a regular file (it is a FIFO)" in errors
        assert "zero_transcription.json: is not a regular file (it is a character device)" in errors
        assert "poison_transcription.json: nested too deeply" in errors
        assert "Traceback" not in run.stderr
    assert (corpus_dir / "poison_transcription.json").read_bytes() == poison
    for name, data in good.items():
        assert json.loads((corpus_dir / name).read_bytes())["is_valid"] is not None and data


def test_an_acl_and_extended_attributes_survive_a_run(corpus_dir: Path, scratch: Path) -> None:
    path = corpus_dir / "a_transcription.json"
    write_json(path, record())
    os.chmod(path, 0o600)
    try:
        os.setxattr(path, "user.collection", b"acervo-2019")
    except OSError:
        pytest.skip("this filesystem has no user extended attributes")
    if shutil.which("setfacl"):
        subprocess.run(["setfacl", "-m", "u:nobody:r", str(path)], check=False)
    before = {name: os.getxattr(path, name) for name in os.listxattr(path)}
    mode = path.stat().st_mode
    assert arandu("judge-transcription", str(corpus_dir), cwd=scratch).status == 0
    assert {name: os.getxattr(path, name) for name in os.listxattr(path)} == before
    assert path.stat().st_mode == mode  # an ACL's mask stays what it was: no group write access gained
    assert json.loads(path.read_bytes())["is_valid"] is True
