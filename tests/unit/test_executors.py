"""Executors: judging in worker processes gives the same verdicts and summary as judging inline."""

from __future__ import annotations

import json
import signal
from pathlib import Path

from arandu.adapters.executors.process_pool import ProcessPoolBatchExecutor
from arandu.adapters.storage.fsspec_store import FsspecRecordStore
from arandu.application.judge_corpus import InlineExecutor, JudgeCorpus
from arandu.application.judge_record import JudgeRecord
from arandu.application.ports import BatchExecutor
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


def test_worker_processes_leave_stopping_to_the_parent(tmp_path: Path) -> None:
    # A signal to the whole process group (Ctrl-C) must not kill a worker in the middle of a batch.
    executor = ProcessPoolBatchExecutor(1)
    [handlers] = list(executor.map_unordered(_signal_handlers, [[]]))
    assert handlers == [signal.SIG_IGN] * 3


def _signal_handlers(_batch: list[str]) -> list[object]:
    return [signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)]
