"""Runs killed with SIGKILL at random moments leave every record whole, and the next run finishes the job."""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.integration.conftest import ARANDU, arandu, clean_environment
from tests.integration.corpus_gen import write_corpus

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds worker processes through /proc"),
]

RECORDS = 300
KILLS = 10
TEMPORARY = re.compile(r"^\..+\.[0-9a-f]{12}\.arandu-tmp$")  # hidden, so never listed as a record


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


def signatures(folder: Path) -> dict[str, tuple[int, int]]:
    """Inode and modification time of every record: either changes when a record is written."""
    stats = {p.relative_to(folder).as_posix(): p.stat() for p in folder.rglob("*_transcription.json")}
    return {name: (st.st_ino, st.st_mtime_ns) for name, st in stats.items()}


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def kill_mid_run(args: list[str], folder: Path, extra_delay: float, scratch: Path) -> bool:
    """Start a run, wait until it has replaced a record, wait `extra_delay`, SIGKILL it; True if it was running."""
    before = signatures(folder)
    process = subprocess.Popen(
        [str(ARANDU), *args],
        cwd=scratch,
        env=clean_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline and signatures(folder) == before:
            time.sleep(0.005)
        time.sleep(extra_delay)
        running = process.poll() is None
        if running:
            os.kill(process.pid, signal.SIGKILL)
        process.wait()
        # Only the parent was killed; its workers must not outlive it.
        deadline = time.monotonic() + 5
        while session_members(process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        orphans = session_members(process.pid)
        assert orphans == [], f"worker processes outlived the killed run: {orphans}"
        return running
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

    started = time.monotonic()
    run = arandu("judge-transcription", str(reference), "--workers", "1", cwd=scratch)
    uninterrupted = time.monotonic() - started
    assert run.status == 0 and run.count("judged") == RECORDS, run.stderr
    judged = {name: (reference / name).read_bytes() for name in original}
    assert all(judged[n] != original[n] for n in original)

    interrupted = 0
    cut_short = 0  # runs killed after writing some, but not all, of the records they had to write
    for attempt in range(KILLS):
        workers = "2" if attempt % 2 == 0 else "1"
        # First resume (progress accumulates across kills), then rejudge (every record rewritten again).
        rejudge = attempt >= KILLS // 2
        before = signatures(corpus)
        to_write = RECORDS if rejudge else sum((corpus / n).read_bytes() == original[n] for n in original)
        args = ["judge-transcription", str(corpus), "--workers", workers, "--rejudge" if rejudge else "--resume"]
        interrupted += kill_mid_run(args, corpus, rng.uniform(0.0, uninterrupted / 6), scratch)
        check_every_record_is_whole(corpus, original, judged)
        after = signatures(corpus)
        written = sum(after[n] != before[n] for n in original)
        cut_short += 0 < written < to_write
    print(f"\n{interrupted} of {KILLS} runs killed while running, {cut_short} cut short mid-write")
    assert interrupted >= KILLS // 2, f"only {interrupted} of {KILLS} runs were still running when killed"
    assert cut_short >= 3, f"only {cut_short} of {KILLS} kills landed while records were being written"

    final = arandu("judge-transcription", str(corpus), cwd=scratch)
    assert final.status == 0, final.stderr
    assert final.count("judged") + final.count("skipped") == RECORDS
    assert final.count("errors") == 0
    now = files(corpus)
    for name in original:
        assert now[name] == judged[name], f"{name} differs from an uninterrupted run"
