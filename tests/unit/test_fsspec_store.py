"""What only the fsspec store does: listing rules, atomic local replace, reasons for bad bytes."""

from __future__ import annotations

import json
import os
import pickle
import stat
import sys
from pathlib import Path

import pytest
from returns.result import Failure, Success

from arandu.adapters.storage.fsspec_store import TEMP_SUFFIX, FsspecRecordStore
from arandu.adapters.storage.versioned import LocalAccess, _Replacer
from arandu.application.errors import UnreadableRecord, WriteFailed
from arandu.application.ports import StagedSave
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


# Writes committed together (a batch from the workers) reuse each replaced record's inode for the
# next temporary file, on Linux; these pin down when that is safe and that nothing is left behind.
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inodes are reused on Linux only")


def staged_batch(store: FsspecRecordStore, paths: list[Path]) -> list[StagedSave]:
    staged = []
    for path in paths:
        loaded = store.load(str(path)).unwrap()
        staged.append(store.stage(loaded, judge_heuristics(default_heuristic_criteria(), loaded.transcript)).unwrap())
    return staged


def folder_of(tmp_path: Path, count: int) -> list[Path]:
    paths = [tmp_path / f"{i}_transcription.json" for i in range(count)]
    for i, path in enumerate(paths):
        write(path, record(text=f"gravação número {i} com palavras suficientes para o juiz"))
    return paths


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@linux_only
def test_a_batch_of_writes_reuses_each_replaced_inode_and_leaves_nothing_behind(tmp_path: Path) -> None:
    paths = folder_of(tmp_path, 5)
    before = names(tmp_path)
    # Open, each old inode stays allocated (a new file cannot get its number), whatever the writes do.
    old = [os.open(p, os.O_RDONLY) for p in paths]
    store = FsspecRecordStore(str(tmp_path))
    staged = staged_batch(store, paths)
    try:
        assert all(isinstance(r, Success) for r in store.commit_all(staged))
        kept = [os.fstat(descriptor) for descriptor in old]
    finally:
        for descriptor in old:
            os.close(descriptor)
    assert [p.read_bytes() for p in paths] == [s.data for s in staged]
    # Record i+1 was written into the inode record i had: no new file was created for it.
    assert [p.stat().st_ino for p in paths[1:]] == [k.st_ino for k in kept[:-1]]
    assert [k.st_nlink for k in kept] == [1, 1, 1, 1, 0]  # the last one was removed with the batch
    assert all(p.stat().st_nlink == 1 for p in paths)
    assert names(tmp_path) == before


def test_an_inode_linked_elsewhere_keeps_its_content_and_is_not_reused(tmp_path: Path) -> None:
    first, second = folder_of(tmp_path, 2)
    original = first.read_bytes()
    other_name = tmp_path / "backup.json"
    os.link(first, other_name)  # the user's own second name for the record
    store = FsspecRecordStore(str(tmp_path))
    assert all(isinstance(r, Success) for r in store.commit_all(staged_batch(store, [first, second])))
    assert other_name.read_bytes() == original
    assert second.stat().st_ino != other_name.stat().st_ino
    assert names(tmp_path) == ["0_transcription.json", "1_transcription.json", "backup.json"]


def test_each_record_keeps_its_own_mode_when_inodes_are_reused(tmp_path: Path) -> None:
    paths = folder_of(tmp_path, 3)
    for path, mode in zip(paths, (0o600, 0o644, 0o640), strict=True):
        os.chmod(path, mode)
    store = FsspecRecordStore(str(tmp_path))
    assert all(isinstance(r, Success) for r in store.commit_all(staged_batch(store, paths)))
    assert [stat.S_IMODE(p.stat().st_mode) for p in paths] == [0o600, 0o644, 0o640]


@linux_only
def test_an_inode_with_extended_attributes_is_not_reused(tmp_path: Path) -> None:
    first, second = folder_of(tmp_path, 2)
    try:
        os.setxattr(first, "user.arandu-test", b"label")
    except OSError:
        pytest.skip("this filesystem has no user extended attributes")
    store = FsspecRecordStore(str(tmp_path))
    assert all(isinstance(r, Success) for r in store.commit_all(staged_batch(store, [first, second])))
    assert os.listxattr(second) == []  # the attribute stayed with the inode, which was not reused
    assert names(tmp_path) == ["0_transcription.json", "1_transcription.json"]


def test_a_record_changed_in_the_middle_of_a_batch_fails_alone(tmp_path: Path) -> None:
    paths = folder_of(tmp_path, 3)
    store = FsspecRecordStore(str(tmp_path))
    staged = staged_batch(store, paths)
    changed = write(paths[1], record(text="someone else rewrote this record meanwhile"))
    first, middle, last = store.commit_all(staged)
    assert isinstance(first, Success) and isinstance(last, Success)
    assert isinstance(middle, Failure) and "left for the next run" in middle.failure().reason
    assert paths[1].read_bytes() == changed
    assert [paths[0].read_bytes(), paths[2].read_bytes()] == [staged[0].data, staged[2].data]
    assert names(tmp_path) == ["0_transcription.json", "1_transcription.json", "2_transcription.json"]


def padded(path: Path, size: int) -> int:
    """Write a record whose file is about `size` bytes (a field of padding the judge leaves alone)."""
    base = len(write(path, record(notes="")))
    return len(write(path, record(notes="x" * max(0, size - base))))


def require_4_kib_blocks(folder: Path) -> None:
    """The sizes in these tests are chosen for 4 KiB blocks (ext4's, tmpfs's)."""
    if os.stat(folder).st_blksize != 4096:
        pytest.skip("this filesystem's block size is not 4 KiB")


@linux_only
def test_a_kept_inode_is_reused_only_by_a_write_that_fills_as_many_blocks(tmp_path: Path) -> None:
    require_4_kib_blocks(tmp_path)
    big, small, other_big = (tmp_path / f"{name}_transcription.json" for name in ("a", "b", "c"))
    padded(big, 20_000)
    padded(small, 1_000)
    padded(other_big, 19_500)
    old = [os.open(p, os.O_RDONLY) for p in (big, small, other_big)]  # no inode number can come back
    store = FsspecRecordStore(str(tmp_path))
    staged = staged_batch(store, [big, small, other_big])
    try:
        assert all(isinstance(r, Success) for r in store.commit_all(staged))
        kept = [os.fstat(descriptor).st_ino for descriptor in old]
    finally:
        for descriptor in old:
            os.close(descriptor)
    # The small record would have freed most of the big one's blocks: it got a file of its own.
    assert small.stat().st_ino not in kept
    # The other big one fits both kept inodes and takes the larger.
    assert other_big.stat().st_ino == kept[0]
    assert [p.read_bytes() for p in (big, small, other_big)] == [s.data for s in staged]
    assert names(tmp_path) == ["a_transcription.json", "b_transcription.json", "c_transcription.json"]


@linux_only
def test_a_reused_inode_that_held_more_is_cut_to_exactly_the_new_record(tmp_path: Path) -> None:
    require_4_kib_blocks(tmp_path)
    larger, smaller = tmp_path / "a_transcription.json", tmp_path / "b_transcription.json"
    old_size = padded(larger, 4_000)
    padded(smaller, 500)
    store = FsspecRecordStore(str(tmp_path))
    staged = staged_batch(store, [larger, smaller])
    assert len(staged[1].data) < old_size <= 4096  # within one block: the old inode is reused
    descriptor = os.open(larger, os.O_RDONLY)
    try:
        assert all(isinstance(r, Success) for r in store.commit_all(staged))
        assert smaller.stat().st_ino == os.fstat(descriptor).st_ino
    finally:
        os.close(descriptor)
    assert smaller.read_bytes() == staged[1].data
    assert json.loads(smaller.read_bytes())["is_valid"] is not None


@linux_only
def test_one_committing_context_reuses_inodes_across_batches_and_keeps_a_bounded_number(tmp_path: Path) -> None:
    require_4_kib_blocks(tmp_path)
    # Each record smaller than the last by more than two blocks: no kept inode fits a later one.
    paths = [tmp_path / f"{i:02d}_transcription.json" for i in range(40)]
    for i, path in enumerate(paths):
        padded(path, 10_000 * (40 - i))
    old = [os.open(p, os.O_RDONLY) for p in paths]  # what is replaced stays allocated: no number comes back
    store = FsspecRecordStore(str(tmp_path))
    staged = staged_batch(store, paths)
    hidden_counts = []
    try:
        with store.committing() as commit:
            for start in range(0, 40, 8):
                assert all(isinstance(r, Success) for r in commit(staged[start : start + 8]))
                hidden_counts.append(sum(name.endswith(TEMP_SUFFIX) for name in os.listdir(tmp_path)))
            # A later batch: the largest records were dropped to stay within 32, so record 8's is the largest kept.
            assert all(isinstance(r, Success) for r in commit(staged_batch(store, paths[:1])))
            assert paths[0].stat().st_ino == os.fstat(old[8]).st_ino
    finally:
        for descriptor in old:
            os.close(descriptor)
    assert hidden_counts == [8, 16, 24, 32, 32]
    assert names(tmp_path) == sorted(p.name for p in paths)  # the context's end removed what it kept
    assert [p.read_bytes() for p in paths[1:]] == [s.data for s in staged[1:]]


def second_takes_first_inode(store: FsspecRecordStore, paths: list[Path]) -> bool:
    """Whether, committing two records together, the second was written into the first one's old inode."""
    descriptor = os.open(paths[0], os.O_RDONLY)
    try:
        assert all(isinstance(r, Success) for r in store.commit_all(staged_batch(store, paths)))
        return paths[1].stat().st_ino == os.fstat(descriptor).st_ino
    finally:
        os.close(descriptor)


@linux_only
def test_inode_reuse_can_be_turned_off_and_stays_off_in_a_worker(tmp_path: Path) -> None:
    paths = folder_of(tmp_path, 2)
    assert second_takes_first_inode(FsspecRecordStore(str(tmp_path)), paths)
    off = FsspecRecordStore(str(tmp_path), reuse_inodes=False)
    assert not second_takes_first_inode(off, paths)
    assert not second_takes_first_inode(pickle.loads(pickle.dumps(off)), paths)  # as a worker gets it
    assert names(tmp_path) == ["0_transcription.json", "1_transcription.json"]


def kept_for(folder: Path) -> list[str]:
    """The records whose replaced inodes are kept in `folder` (a kept inode is named after its record)."""
    return sorted(name[1:].split(".")[0] for name in os.listdir(folder) if name.endswith(TEMP_SUFFIX))


def replace_with(replacer: _Replacer, path: Path, size: int) -> None:
    _, version = LocalAccess().read(str(path))
    replacer.replace(str(path), b"y" * size, version)


@linux_only
def test_when_too_many_inodes_are_kept_the_largest_goes_first_and_those_of_a_folder_left_before_it(
    tmp_path: Path,
) -> None:
    require_4_kib_blocks(tmp_path)
    a, b = tmp_path / "a", tmp_path / "b"
    sizes = {a / "r1": 10_000, a / "r2": 5_000, a / "r3": 50_000, a / "r4": 60_000, a / "r5": 3_000}
    sizes |= {b / "r6": 5_000, b / "r7": 1_000}
    for path, size in sizes.items():
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"x" * size)
    replacer = _Replacer(recycle=True, keep=2)
    replace_with(replacer, a / "r1", 11_000)  # a new file; r1's old inode is kept
    replace_with(replacer, a / "r2", 6_000)  # r1's would lose a whole block: a new file
    replace_with(replacer, a / "r3", 51_000)  # both fit; r1's, the larger, is reused
    replace_with(replacer, a / "r4", 61_000)  # both fit again; r3's, the larger, is reused
    assert kept_for(a) == ["r2", "r4"]
    replace_with(replacer, a / "r5", 4_000)  # a new file, and one kept too many: r4's, the largest, goes
    assert kept_for(a) == ["r2", "r5"]
    replace_with(replacer, b / "r6", 6_000)  # in a new folder, a kept inode of the folder left goes
    replace_with(replacer, b / "r7", 2_000)  # the other one of that folder goes, though r6's is larger
    assert (kept_for(a), kept_for(b)) == ([], ["r6", "r7"])
    replacer.close()
    assert kept_for(a) == kept_for(b) == []
    assert {path: path.read_bytes() for path in sizes} == {path: b"y" * (size + 1000) for path, size in sizes.items()}


def test_an_interrupted_batch_leaves_no_hidden_file(tmp_path: Path) -> None:
    paths = folder_of(tmp_path, 2)
    store = FsspecRecordStore(str(tmp_path))
    staged = staged_batch(store, paths)
    with pytest.raises(KeyboardInterrupt), LocalAccess().writing() as write_one:
        write_one(staged[0].key, staged[0].data, staged[0].version)
        raise KeyboardInterrupt
    assert paths[0].read_bytes() == staged[0].data
    assert names(tmp_path) == ["0_transcription.json", "1_transcription.json"]


def test_records_in_several_folders_and_no_hard_links_are_written_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = folder_of(tmp_path / "a", 2) + folder_of(tmp_path / "b", 2)
    store = FsspecRecordStore(str(tmp_path))
    staged = staged_batch(store, paths)
    assert all(isinstance(r, Success) for r in store.commit_all(staged[:2] + staged[2:3]))

    def no_links(*args: object, **kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted")  # a filesystem without hard links

    monkeypatch.setattr(os, "link", no_links)
    assert all(isinstance(r, Success) for r in store.commit_all(staged[3:]))
    assert [p.read_bytes() for p in paths] == [s.data for s in staged]
    assert names(tmp_path / "a") == names(tmp_path / "b") == ["0_transcription.json", "1_transcription.json"]
