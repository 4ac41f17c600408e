"""The composition root: overriding the record store provider runs judge_corpus on the fake."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from arandu.adapters.storage.fsspec_store import FsspecRecordStore
from arandu.application.judge_corpus import InlineExecutor
from arandu.entrypoints.container import Container
from tests.builders import record
from tests.fakes import InMemoryRecordStore, StagingInMemoryRecordStore, WorkerMarkingExecutor


def configured(language: str = "en", workers: int = 1) -> Container:
    container = Container()
    container.config.from_dict(
        {"language": language, "location": "memory://never-used", "storage_options": {}, "workers": workers}
    )
    return container


def test_judge_corpus_runs_against_an_overriding_store() -> None:
    fake = InMemoryRecordStore({"a": record(), "b": record(text="Obrigada. " * 30, duration_ms=15_000)})
    container = configured(language="en")
    with container.record_store.override(fake):
        summary = container.judge_corpus()(rejudge=False)
    assert sorted(fake.saves) == ["a", "b"]
    assert (summary.judged, summary.passed, summary.failed) == (2, 1, 1)
    assert dict(summary.rejections_by_criterion) == {"repetition": 1}
    # The configured language reached the criteria and the verdict's provenance.
    assert fake.documents["a"]["validation"]["judged_by"]["language"] == "en"


def test_without_the_override_the_real_store_is_wired() -> None:
    container = configured()
    assert isinstance(container.record_store(), FsspecRecordStore)
    assert container.record_store() is container.record_store()  # one store per run


def test_one_worker_judges_inline() -> None:
    assert isinstance(configured(workers=1).executor(), InlineExecutor)


def test_local_workers_hand_writes_back_and_a_cluster_writes_its_own() -> None:
    # With local executors the corpus loop commits what the workers staged; a cluster's workers commit.
    for executor, events in (
        ("local", ["writes open", "stage a", "worker done", "commit a", "writes close"]),
        ("dask", ["stage a", "writes open", "commit a", "writes close", "worker done"]),
    ):
        fake = StagingInMemoryRecordStore({"a": record()})
        container = configured()
        container.config.executor.from_value(executor)
        with container.record_store.override(fake), container.executor.override(WorkerMarkingExecutor(fake)):
            container.judge_corpus()(rejudge=False)
        assert fake.events == events
        assert fake.documents["a"]["is_valid"] is True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inodes are reused on Linux only")
@pytest.mark.parametrize("reuse", [True, False])
def test_the_inode_reuse_setting_reaches_the_store(tmp_path: Path, reuse: bool) -> None:
    paths = [tmp_path / f"{i}_transcription.json" for i in range(2)]
    for path in paths:
        path.write_text(json.dumps(record()))
    container = Container()
    container.config.from_dict({"language": "pt", "location": str(tmp_path), "storage_options": {}, "workers": 1})
    container.config.reuse_inodes.from_value(reuse)
    first = os.open(paths[0], os.O_RDONLY)  # its inode stays allocated: a new file cannot get its number
    try:
        container.judge_corpus()(rejudge=False)
        assert (paths[1].stat().st_ino == os.fstat(first).st_ino) is reuse
    finally:
        os.close(first)
