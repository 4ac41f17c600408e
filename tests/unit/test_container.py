"""The composition root: overriding the record store provider runs judge_corpus on the fake."""

from __future__ import annotations

import json
from pathlib import Path

from arandu.adapters.storage.fsspec_store import FsspecRecordStore
from arandu.application.judge_corpus import InlineExecutor
from arandu.entrypoints.container import Container
from tests.builders import record
from tests.fakes import InMemoryRecordStore


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
    assert dict(summary.rejections_by_criterion) == {"repetition": 1, "loop": 1}
    # The configured language reached the criteria and the verdict's provenance.
    assert fake.documents["a"]["validation"]["judged_by"]["language"] == "en"


def test_without_the_override_the_real_store_is_wired() -> None:
    container = configured()
    assert isinstance(container.record_store(), FsspecRecordStore)
    assert container.record_store() is container.record_store()  # one store per run


def test_one_worker_judges_inline() -> None:
    assert isinstance(configured(workers=1).executor(), InlineExecutor)


def test_with_a_validator_one_local_process_keeps_the_calls_in_flight_unless_workers_are_given() -> None:
    container = configured(workers=4)
    container.config.validator_model.from_value("m")
    assert isinstance(container.executor(), InlineExecutor)
    container.config.workers_given.from_value(True)
    assert not isinstance(container.executor(), InlineExecutor)


def test_the_record_size_limit_reaches_the_store(tmp_path: Path) -> None:
    (tmp_path / "a_transcription.json").write_text(json.dumps(record()))
    container = Container()
    container.config.from_dict(
        {"language": "pt", "location": str(tmp_path), "storage_options": {}, "workers": 1, "max_record_bytes": 100}
    )
    summary = container.judge_corpus()(rejudge=False)
    assert [e.reason.split(" (")[0] for e in summary.errors] == ["is larger than the record size limit"]
