"""What only the fsspec store does: listing rules, atomic local replace, reasons for bad bytes."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from returns.result import Failure, Success

from arandu.adapters.storage.fsspec_store import TEMP_SUFFIX, FsspecRecordStore
from arandu.application.errors import UnreadableRecord, WriteFailed
from arandu.domain.criteria import default_heuristic_criteria
from arandu.domain.pipeline import judge_heuristics
from tests.builders import record


def write(path: Path, document: object) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(document, ensure_ascii=False, indent=2).encode() + b"\n"
    path.write_bytes(data)
    return data


def judge_and_save(store: FsspecRecordStore, key: str) -> None:
    loaded = store.load(key).unwrap()
    assert isinstance(store.save(loaded, judge_heuristics(default_heuristic_criteria(), loaded.transcript)), Success)


def test_only_visible_record_files_are_listed_in_every_folder(tmp_path: Path) -> None:
    for name in [
        "b_transcription.json",
        "a_transcription.json",
        "nested/deeper/c_transcription.json",
        "notes.json",
        "a_transcription.json.bak",
        "x_transcription.jsonl",
        ".hidden_transcription.json",
        f".a_transcription.json.0123456789ab{TEMP_SUFFIX}",
    ]:
        write(tmp_path / name, record())
    (tmp_path / "folder_transcription.json").mkdir()  # a folder is not a record
    keys = list(FsspecRecordStore(str(tmp_path)).keys())
    assert [Path(k).relative_to(tmp_path).as_posix() for k in keys] == [
        "a_transcription.json",
        "b_transcription.json",
        "nested/deeper/c_transcription.json",
    ]


def test_a_single_file_location_is_its_one_record(tmp_path: Path) -> None:
    write(tmp_path / "a_transcription.json", record())
    write(tmp_path / "b_transcription.json", record())
    store = FsspecRecordStore(str(tmp_path / "a_transcription.json"))
    assert store.exists()
    assert [Path(k).name for k in store.keys()] == ["a_transcription.json"]  # noqa: SIM118 (a store, not a dict)


def test_a_missing_location_does_not_exist(tmp_path: Path) -> None:
    store = FsspecRecordStore(str(tmp_path / "nowhere"))
    assert store.exists() is False


def test_a_local_save_replaces_the_file_keeps_its_mode_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "a_transcription.json"
    write(path, record())
    os.chmod(path, 0o640)
    inode = path.stat().st_ino
    judge_and_save(FsspecRecordStore(str(tmp_path)), str(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert path.stat().st_ino != inode  # replaced by rename, not rewritten in place
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_transcription.json"]
    assert json.loads(path.read_bytes())["is_valid"] is True


def test_a_record_that_vanished_before_saving_is_a_write_failure_and_no_debris(tmp_path: Path) -> None:
    path = tmp_path / "a_transcription.json"
    write(path, record())
    store = FsspecRecordStore(str(tmp_path))
    loaded = store.load(str(path)).unwrap()
    path.unlink()
    result = store.save(loaded, judge_heuristics(default_heuristic_criteria(), loaded.transcript))
    assert isinstance(result, Failure) and isinstance(result.failure(), WriteFailed)
    assert "record unchanged" in result.failure().reason
    assert list(tmp_path.iterdir()) == []


def test_a_write_that_fails_midway_leaves_the_old_record_and_no_debris(tmp_path: Path) -> None:
    path = tmp_path / "a_transcription.json"
    write(path, record())
    store = FsspecRecordStore(str(tmp_path))
    loaded = store.load(str(path)).unwrap()
    path.unlink()
    path.mkdir()  # the rename target is now a folder: os.replace fails after the temporary was written
    result = store.save(loaded, judge_heuristics(default_heuristic_criteria(), loaded.transcript))
    assert isinstance(result, Failure) and isinstance(result.failure(), WriteFailed)
    assert [p.name for p in tmp_path.iterdir()] == ["a_transcription.json"]  # the temporary file was removed
    assert path.is_dir()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'{"transcription_text": "a"', "not valid JSON"),
        (b'{"transcription_text": "cora\xe7\xe3o"}', "not valid UTF-8"),
        (b"[]", "expected a JSON object"),
    ],
)
def test_bad_bytes_are_a_failure_with_a_reason_and_the_file_is_untouched(
    tmp_path: Path, data: bytes, reason: str
) -> None:
    path = tmp_path / "a_transcription.json"
    path.write_bytes(data)
    result = FsspecRecordStore(str(tmp_path)).load(str(path))
    assert isinstance(result, Failure) and isinstance(result.failure(), UnreadableRecord)
    assert result.failure().reason.startswith(reason)
    assert str(result.failure()).startswith(str(path))  # the error line names the file
    assert path.read_bytes() == data


def test_a_folder_where_a_record_should_be_readable_is_a_failure(tmp_path: Path) -> None:
    store = FsspecRecordStore(str(tmp_path))
    (tmp_path / "a_transcription.json").mkdir()
    result = store.load(str(tmp_path / "a_transcription.json"))
    assert isinstance(result, Failure) and "cannot be read" in result.failure().reason


def test_a_record_whose_name_is_near_the_file_name_limit_can_be_saved(tmp_path: Path) -> None:
    path = tmp_path / ("x" * (250 - len("_transcription.json")) + "_transcription.json")
    write(path, record())
    judge_and_save(FsspecRecordStore(str(tmp_path)), str(path))
    assert json.loads(path.read_bytes())["is_valid"] is True
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
