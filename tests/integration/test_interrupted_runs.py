"""Runs killed or stopped at random points of their progress leave every record whole; a second run is refused."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from arandu.adapters.storage.fsspec_store import FsspecRecordStore
from tests.integration.conftest import ARANDU, arandu, clean_environment
from tests.integration.corpus_gen import write_corpus

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds worker processes through /proc"),
]

RECORDS = 300
KILLS = 10
TEMPORARY = re.compile(r"^\..+\.[0-9a-f]{12}-[0-9a-f]{12}\.arandu-tmp$")  # hidden, so never listed as a record


def session_members(session: int) -> list[int]:
    """Live (not zombie) processes of a session: the run and any worker it started."""
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] != "Z":
            members.append(int(entry))
    return members


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def start(args: list[str], scratch: Path, stderr: int | None = subprocess.DEVNULL) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(ARANDU), *args],
        cwd=scratch,
        env=clean_environment(),
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        start_new_session=True,
    )


def wait_for_progress(process: subprocess.Popen[bytes], folder: Path, nth: int) -> bool:
    """Wait until the run has rewritten the `nth` record it lists (it judges them in listing order);
    False when the run ended first. Only that one record is looked at, so watching costs the run nothing."""
    watched = Path(list(FsspecRecordStore(str(folder)).keys())[nth - 1])
    seen = watched.stat()
    while process.poll() is None:
        try:
            now = watched.stat()
        except FileNotFoundError:  # between two renames
            continue
        if (now.st_ino, now.st_mtime_ns) != (seen.st_ino, seen.st_mtime_ns):
            return True
        time.sleep(0.002)
    return False


def kill_mid_run(args: list[str], folder: Path, after_records: int, scratch: Path) -> bool:
    """Start a run, SIGKILL it once it has rewritten `after_records` records; True if it was still running."""
    process = start(args, scratch)
    try:
        caught = wait_for_progress(process, folder, after_records)
        if caught:
            os.kill(process.pid, signal.SIGKILL)
        process.wait()
        # Only the parent was killed; its workers notice within a fraction of a second and leave.
        for _ in range(500):
            if not session_members(process.pid):
                break
            time.sleep(0.01)
        orphans = session_members(process.pid)
        assert orphans == [], f"worker processes outlived the killed run: {orphans}"
        return caught
    finally:
        for pid in session_members(process.pid):
            os.kill(pid, signal.SIGKILL)


def check_every_record_is_whole(folder: Path, original: dict[str, bytes], judged: dict[str, bytes]) -> None:
    """Each record is exactly its original or exactly its judged version; anything else is a hidden temporary."""
    for name, data in files(folder).items():
        if name in original:
            assert data in (original[name], judged[name]), f"{name} is neither the original nor the judged record"
        else:
            assert TEMPORARY.match(Path(name).name), f"unexpected file {name}"
    assert set(original) <= set(files(folder)), "a record disappeared"


def test_sigkill_at_random_moments_never_breaks_a_record(tmp_path: Path, scratch: Path) -> None:
    rng = random.Random(20261122)
    corpus, reference = tmp_path / "corpus", tmp_path / "reference"
    original = write_corpus(corpus, RECORDS)
    shutil.copytree(corpus, reference)

    run = arandu("judge-transcription", str(reference), "--workers", "1", cwd=scratch)
    assert run.status == 0 and run.count("judged") == RECORDS, run.stderr
    judged = {name: (reference / name).read_bytes() for name in original}
    assert all(judged[n] != original[n] for n in original)

    kills = 0
    for attempt in range(10 * KILLS):  # a run that ends before its moment came is simply started again
        if kills == KILLS:
            break
        workers = "2" if attempt % 2 == 0 else "1"
        args = ["judge-transcription", str(corpus), "--workers", workers, "--rejudge"]
        kills += kill_mid_run(args, corpus, rng.randint(1, RECORDS // 2), scratch)
        check_every_record_is_whole(corpus, original, judged)
    assert kills == KILLS

    final = arandu("judge-transcription", str(corpus), cwd=scratch)
    assert final.status == 0, final.stderr
    assert final.count("judged") + final.count("skipped") == RECORDS
    assert final.count("errors") == 0
    now = files(corpus)
    for name in original:
        assert now[name] == judged[name], f"{name} differs from an uninterrupted run"
    # What the killed runs left was removed by the next run, since their processes are gone.
    assert sorted(now) == sorted(original)


@pytest.mark.parametrize("stop_with", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_stops_the_run_cleanly_and_says_how_far_it_got(
    tmp_path: Path, scratch: Path, stop_with: signal.Signals
) -> None:
    corpus = tmp_path / "corpus"
    original = write_corpus(corpus, RECORDS)
    for _ in range(20):  # a run that ended before the signal reached it is simply started again
        process = start(["judge-transcription", str(corpus), "--rejudge"], scratch, stderr=subprocess.PIPE)
        if wait_for_progress(process, corpus, 5):
            os.killpg(process.pid, stop_with)  # as systemd, Slurm or a terminal would: the whole group
        _, stderr = process.communicate()
        if process.returncode != 0:
            break
    message = stderr.decode()
    assert process.returncode == 128 + stop_with, message
    assert f"stopped by {stop_with.name}" in message and "run the same command again to resume" in message
    assert "Traceback" not in message
    # Nothing is left behind, and every record is either untouched or fully judged.
    assert sorted(files(corpus)) == sorted(original)
    for name, data in files(corpus).items():
        assert data == original[name] or json.loads(data)["validation"]["passed"] in (True, False)
    resumed = arandu("judge-transcription", str(corpus), cwd=scratch)
    assert resumed.status == 0 and resumed.count("judged") + resumed.count("skipped") == RECORDS


def test_a_second_run_on_a_folder_being_judged_is_refused_at_once(tmp_path: Path, scratch: Path) -> None:
    corpus = tmp_path / "corpus"
    original = write_corpus(corpus, 5)
    # The test holds the folder exactly as a running judge does (the kernel's flock).
    with FsspecRecordStore(str(corpus)).exclusive():
        refused = arandu("judge-transcription", str(corpus), cwd=scratch)
        nested = arandu("judge-transcription", str(corpus / "sub"), cwd=scratch)
    assert refused.status == 2 and "another arandu run is judging this folder" in refused.stderr
    assert nested.status == 2
    assert files(corpus) == {name: data for name, data in original.items()}
    assert arandu("judge-transcription", str(corpus), cwd=scratch).status == 0  # free once the other run ended
