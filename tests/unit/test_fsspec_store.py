"""What only the fsspec store does: listing rules, atomic local replace, reasons for bad bytes."""

from __future__ import annotations

import fcntl
import json
import os
import pickle
import shutil
import socket
import stat
import subprocess
from pathlib import Path

import pytest
from returns.result import Failure, Success

from arandu.adapters.storage.fsspec_store import TEMP_SUFFIX, FsspecRecordStore
from arandu.adapters.storage.locking import LocationBusy
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
    assert isinstance(result, Failure) and "is not a regular file (it is a folder)" in result.failure().reason


def test_a_record_whose_name_is_near_the_file_name_limit_can_be_saved(tmp_path: Path) -> None:
    path = tmp_path / ("x" * (250 - len("_transcription.json")) + "_transcription.json")
    write(path, record())
    judge_and_save(FsspecRecordStore(str(tmp_path)), str(path))
    assert json.loads(path.read_bytes())["is_valid"] is True
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def save_verdict(store: FsspecRecordStore, key: str) -> object:
    loaded = store.load(key).unwrap()
    return store.save(loaded, judge_heuristics(default_heuristic_criteria(), loaded.transcript))


def test_a_write_is_fsynced_before_the_rename_and_the_folder_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a_transcription.json"
    write(path, record())
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(descriptor: int) -> None:
        events.append("fsync folder" if stat.S_ISDIR(os.fstat(descriptor).st_mode) else "fsync file")
        real_fsync(descriptor)

    def replace(source: str, target: str) -> None:
        events.append("rename")
        real_replace(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    judge_and_save(FsspecRecordStore(str(tmp_path)), str(path))
    assert events == ["fsync file", "rename", "fsync folder"]


def test_extended_attributes_are_kept_and_none_is_added(tmp_path: Path) -> None:
    path = tmp_path / "a_transcription.json"
    write(path, record())
    try:
        os.setxattr(path, "user.project", b"oral-history")
    except OSError:
        pytest.skip("this filesystem has no user extended attributes")
    judge_and_save(FsspecRecordStore(str(tmp_path)), str(path))
    assert {name: os.getxattr(path, name) for name in os.listxattr(path)} == {"user.project": b"oral-history"}


@pytest.mark.skipif(shutil.which("setfacl") is None, reason="setfacl (Debian's acl package) is not installed")
def test_a_posix_acl_is_kept_exactly(tmp_path: Path) -> None:
    path = tmp_path / "a_transcription.json"
    write(path, record())
    os.chmod(path, 0o600)
    if subprocess.run(["setfacl", "-m", "u:nobody:r", str(path)], capture_output=True, check=False).returncode:
        pytest.skip("this filesystem has no POSIX ACLs")
    before = subprocess.run(["getfacl", "-c", str(path)], capture_output=True, text=True, check=True).stdout
    mode = stat.S_IMODE(path.stat().st_mode)
    judge_and_save(FsspecRecordStore(str(tmp_path)), str(path))
    assert subprocess.run(["getfacl", "-c", str(path)], capture_output=True, text=True, check=True).stdout == before
    assert stat.S_IMODE(path.stat().st_mode) == mode  # the group class did not gain write access


def test_a_symlinked_record_is_judged_once_written_through_and_stays_a_link(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    target = elsewhere / "real_transcription.json"
    write(target, record())
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a_transcription.json").symlink_to(target)
    (corpus / "b_transcription.json").symlink_to(target)  # the same file by a second path
    store = FsspecRecordStore(str(corpus))
    keys = list(store.keys())
    assert [Path(k).name for k in keys] == ["a_transcription.json"]
    judge_and_save(store, keys[0])
    assert (corpus / "a_transcription.json").is_symlink()
    assert json.loads(target.read_bytes())["is_valid"] is True
    assert sorted(p.name for p in elsewhere.iterdir()) == ["real_transcription.json"]
    # The next resume sees a judged record through the link, and a rejudge writes it again without complaint.
    assert store.load(keys[0]).unwrap().judged
    assert isinstance(save_verdict(store, keys[0]), Success)


def test_a_hard_linked_record_is_listed_once_and_not_split(tmp_path: Path) -> None:
    first = tmp_path / "a_transcription.json"
    data = write(first, record())
    os.link(first, tmp_path / "b_transcription.json")
    store = FsspecRecordStore(str(tmp_path))
    keys = list(store.keys())
    assert [Path(k).name for k in keys] == ["a_transcription.json"]
    result = save_verdict(store, keys[0])
    assert isinstance(result, Failure) and "hard links" in result.failure().reason
    assert first.read_bytes() == data and first.stat().st_nlink == 2


def test_hidden_folders_are_not_walked(tmp_path: Path) -> None:
    write(tmp_path / ".git" / "objects" / "x_transcription.json", record())
    write(tmp_path / "sub" / ".snapshot" / "y_transcription.json", record())
    write(tmp_path / "sub" / "z_transcription.json", record())
    assert [Path(k).name for k in FsspecRecordStore(str(tmp_path)).keys()]  # noqa: SIM118 (a store, not a dict) == ["z_transcription.json"]


@pytest.mark.parametrize("kind", ["fifo", "device link", "socket"])
def test_a_file_that_is_not_regular_is_reported_without_being_opened(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "x_transcription.json"
    if kind == "fifo":
        os.mkfifo(path)  # opening it for reading would block forever
    elif kind == "device link":
        path.symlink_to("/dev/zero")  # reading it would never end
    else:
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
    store = FsspecRecordStore(str(tmp_path))
    assert [Path(k).name for k in store.keys()] == ["x_transcription.json"]  # noqa: SIM118
    result = store.load(str(path))
    assert isinstance(result, Failure) and "is not a regular file" in result.failure().reason


def test_a_record_above_the_size_limit_is_reported_not_read(tmp_path: Path) -> None:
    path = tmp_path / "a_transcription.json"
    data = write(path, record(text="palavra " * 5000))
    result = FsspecRecordStore(str(tmp_path), max_record_bytes=len(data) - 1).load(str(path))
    assert isinstance(result, Failure) and "larger than the record size limit" in result.failure().reason
    assert isinstance(FsspecRecordStore(str(tmp_path), max_record_bytes=len(data)).load(str(path)), Success)


def test_decimals_big_integers_and_key_order_are_written_back_exactly(tmp_path: Path) -> None:
    path = tmp_path / "a_transcription.json"
    text = json.dumps(record()["transcription_text"], ensure_ascii=False)
    path.write_bytes(
        f'{{"z": 0.12345678901234567890123, "transcription_text": {text}, "a": 1.50, "e": 1E+2, '
        f'"big": 123456789012345678901234567890, "neg": -0.0}}'.encode()
    )
    judge_and_save(FsspecRecordStore(str(tmp_path)), str(path))
    written = path.read_text()
    for kept in ("0.12345678901234567890123", "1.50", "1E+2", "123456789012345678901234567890", "-0.0"):
        assert f": {kept}," in written
    assert list(json.loads(written)) == ["z", "transcription_text", "a", "e", "big", "neg", "validation", "is_valid"]


def test_a_record_with_a_duplicate_key_is_reported_and_left_byte_identical(tmp_path: Path) -> None:
    path = tmp_path / "a_transcription.json"
    text = json.dumps(record()["transcription_text"])
    data = f'{{"transcription_text": {text}, "speaker": "Ana", "speaker": "Rui"}}'.encode()
    path.write_bytes(data)
    result = FsspecRecordStore(str(tmp_path)).load(str(path))
    assert isinstance(result, Failure) and "'speaker' appears twice" in result.failure().reason
    assert path.read_bytes() == data


def test_cleanup_removes_only_temporary_files_a_crashed_run_left(tmp_path: Path) -> None:
    store = FsspecRecordStore(str(tmp_path))
    ours = store.__getstate__()[-1]
    crashed = tmp_path / f".a_transcription.json.{'0' * 12}-0123456789ab{TEMP_SUFFIX}"
    live = tmp_path / f".b_transcription.json.{'1' * 12}-0123456789ab{TEMP_SUFFIX}"
    this_runs = tmp_path / f".c_transcription.json.{ours}-0123456789ab{TEMP_SUFFIX}"
    users_own = tmp_path / f"notes{TEMP_SUFFIX}"
    for path in (crashed, live, this_runs, users_own):
        path.write_bytes(b"{}")
    write(tmp_path / "a_transcription.json", record())
    list(store.keys())
    assert crashed.exists(), "only a run holding the location's lock may clean it"
    with open(live, "rb") as writer:
        fcntl.flock(writer, fcntl.LOCK_EX)  # what a live writer of another run holds
        with store.exclusive():
            list(store.keys())
        assert not crashed.exists()
        assert live.exists() and this_runs.exists() and users_own.exists()


def test_a_store_sent_to_a_worker_marks_its_temporary_files_as_the_same_run(tmp_path: Path) -> None:
    store = FsspecRecordStore(str(tmp_path))
    assert pickle.loads(pickle.dumps(store)).__getstate__()[-1] == store.__getstate__()[-1]
    assert FsspecRecordStore(str(tmp_path)).__getstate__()[-1] != store.__getstate__()[-1]


def test_a_second_run_on_the_same_folder_or_one_around_it_is_refused(tmp_path: Path) -> None:
    inner = tmp_path / "inner"
    write(inner / "a_transcription.json", record())
    with FsspecRecordStore(str(inner)).exclusive():
        for location in (inner, tmp_path, inner / "a_transcription.json"):
            with pytest.raises(LocationBusy, match="another arandu run"), FsspecRecordStore(str(location)).exclusive():
                pass
        sibling = tmp_path / "sibling"
        write(sibling / "b_transcription.json", record())
        with FsspecRecordStore(str(sibling)).exclusive():
            pass  # a separate folder is free
    with FsspecRecordStore(str(tmp_path)).exclusive():
        pass  # released when the first run ended


def test_a_program_holding_a_record_open_sees_only_that_record(tmp_path: Path) -> None:
    paths = [tmp_path / f"{name}_transcription.json" for name in "abc"]
    originals = [write(path, record(index=i)) for i, path in enumerate(paths)]
    reader = open(paths[0], "rb")  # noqa: SIM115 (held open across the writes on purpose)
    writer = open(paths[1], "r+b")  # noqa: SIM115
    try:
        store = FsspecRecordStore(str(tmp_path))
        for key in list(store.keys()):
            judge_and_save(store, key)
        writer.write(b"XXXX")
        writer.flush()
        assert reader.read() == originals[0]  # the old inode, untouched by the other writes
    finally:
        reader.close()
        writer.close()
    for path in paths:
        assert json.loads(path.read_bytes())["is_valid"] is not None  # no record was written into by the handle
