"""Executors: judging in worker processes gives the same verdicts and summary as judging inline."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from returns.result import Result

from arandu.adapters.executors.process_pool import ProcessPoolBatchExecutor
from arandu.adapters.storage.fsspec_store import FsspecRecordStore
from arandu.adapters.storage.versioned import Write
from arandu.application.errors import RecordError
from arandu.application.judge_corpus import InlineExecutor, JudgeCorpus
from arandu.application.judge_record import JudgeRecord
from arandu.application.ports import BatchExecutor, StagedSave
from arandu.application.summary import CorpusSummary
from arandu.domain.criteria import default_heuristic_criteria
from tests.builders import record


def make_corpus(folder: Path) -> None:
    for i in range(23):
        document = record(text="Obrigada. " * 30, duration_ms=15_000) if i % 3 == 0 else record(index=i)
        (folder / f"{i:03d}_transcription.json").write_text(json.dumps(document, ensure_ascii=False))
    (folder / "broken_transcription.json").write_bytes(b"{")


def judge(folder: Path, executor: BatchExecutor) -> CorpusSummary:
    use_case = JudgeCorpus(FsspecRecordStore(str(folder)), JudgeRecord(default_heuristic_criteria()), executor, 4)
    return use_case()


def test_process_pool_and_inline_agree(tmp_path: Path) -> None:
    inline_dir, pool_dir = tmp_path / "inline", tmp_path / "pool"
    for folder in (inline_dir, pool_dir):
        folder.mkdir()
        make_corpus(folder)
    inline = judge(inline_dir, InlineExecutor())
    pooled = judge(pool_dir, ProcessPoolBatchExecutor(2))
    assert (pooled.judged, pooled.passed, pooled.failed) == (inline.judged, inline.passed, inline.failed) == (23, 15, 8)
    assert [Path(e.key).name for e in pooled.errors] == ["broken_transcription.json"]
    assert pooled.rejections_by_criterion == inline.rejections_by_criterion
    for path in sorted(inline_dir.iterdir()):
        assert (pool_dir / path.name).read_bytes() == path.read_bytes()


def test_with_worker_processes_every_local_write_is_made_by_the_process_running_the_corpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_corpus(tmp_path)
    writers: list[int] = []  # appended to in this process only: a worker's appends stay in its own copy
    commit = FsspecRecordStore._commit

    def recording_commit(self: FsspecRecordStore, write: Write, staged: StagedSave) -> Result[None, RecordError]:
        writers.append(os.getpid())
        return commit(self, write, staged)

    monkeypatch.setattr(FsspecRecordStore, "_commit", recording_commit)
    summary = judge(tmp_path, ProcessPoolBatchExecutor(2))
    assert summary.judged == 23
    assert writers == [os.getpid()] * 23
    assert all(json.loads(p.read_bytes())["is_valid"] is not None for p in tmp_path.glob("0*_transcription.json"))


def test_only_a_local_folder_stages_its_writes(tmp_path: Path) -> None:
    assert FsspecRecordStore(str(tmp_path)).stages_writes is True
    assert FsspecRecordStore("memory://stage-check").stages_writes is False
