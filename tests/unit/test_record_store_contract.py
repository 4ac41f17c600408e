"""One contract for every RecordStore: the in-memory fake and the fsspec store (memory:// and a folder)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fsspec
import pytest
from returns.result import Failure, Success

from arandu.adapters.storage.fsspec_store import FsspecRecordStore
from arandu.application.errors import UnreadableRecord
from arandu.application.ports import LoadedRecord, RecordStore
from arandu.domain.criteria import default_heuristic_criteria
from arandu.domain.pipeline import judge_heuristics
from arandu.domain.verdict import JudgePipelineResult
from tests.builders import record
from tests.fakes import InMemoryRecordStore

Documents = dict[str, dict[str, Any]]


@dataclass
class Harness:
    """A store holding the given records, plus a way to see what it holds now, independent of the store."""

    store: RecordStore
    read: Callable[[str], dict[str, Any]]

    def key(self, name: str) -> str:
        matches = [k for k in self.store.keys() if k == name or k.endswith("/" + name)]  # noqa: SIM118
        assert len(matches) == 1, (name, matches)
        return matches[0]


def encode(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode() + b"\n"


def fake_harness(documents: Documents, _: Path) -> Harness:
    store = InMemoryRecordStore(documents)
    return Harness(store, lambda name: store.documents[name])


def fsspec_harness(root_url: str, fs: Any, root_path: str) -> Callable[[Documents], Harness]:
    def make(documents: Documents) -> Harness:
        for name, document in documents.items():
            fs.pipe_file(f"{root_path}/{name}", encode(document))
        return Harness(FsspecRecordStore(root_url), lambda name: json.loads(fs.cat_file(f"{root_path}/{name}")))

    return make


@pytest.fixture(params=["fake", "fsspec-memory", "fsspec-folder"])
def make_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[Documents], Harness]]:
    if request.param == "fake":
        yield lambda documents: fake_harness(documents, tmp_path)
    elif request.param == "fsspec-memory":
        fs = fsspec.filesystem("memory")
        root = f"/contract-{uuid.uuid4().hex}"
        yield fsspec_harness(f"memory://{root}", fs, root)
        if fs.exists(root):
            fs.rm(root, recursive=True)
    else:
        yield fsspec_harness(str(tmp_path), fsspec.filesystem("file"), str(tmp_path))


NAMES = ["a_transcription.json", "b_transcription.json", "c_transcription.json"]


def three() -> Documents:
    return {
        NAMES[0]: record(),
        NAMES[1]: record(text="Obrigada. " * 30, duration_ms=15_000, extra={"ç": [1, 2]}),
        NAMES[2]: record(validation={"passed": True, "stage_results": {}}, is_valid=True),
    }


def loaded(harness: Harness, name: str) -> LoadedRecord:
    result = harness.store.load(harness.key(name))
    assert isinstance(result, Success), result
    return result.unwrap()


def verdict_of(record_: LoadedRecord) -> JudgePipelineResult:
    return judge_heuristics(default_heuristic_criteria("pt"), record_.transcript)


def test_keys_lists_every_record_once_in_a_stable_order(make_store: Callable[[Documents], Harness]) -> None:
    harness = make_store(three())
    keys = list(harness.store.keys())
    assert len(keys) == len(set(keys)) == 3
    assert keys == list(harness.store.keys())
    assert [harness.key(n) for n in NAMES] == keys  # names sort the same way as keys


def test_load_gives_the_transcript_and_whether_it_was_judged(make_store: Callable[[Documents], Harness]) -> None:
    documents = three()
    harness = make_store(documents)
    first = loaded(harness, NAMES[0])
    assert first.key == harness.key(NAMES[0])
    assert first.transcript.text == documents[NAMES[0]]["transcription_text"]
    assert first.transcript.duration_ms == documents[NAMES[0]]["duration_milliseconds"]
    assert first.transcript.columns.start == tuple(s["start"] for s in documents[NAMES[0]]["segments"])
    assert first.judged is False
    assert loaded(harness, NAMES[2]).judged is True


def test_load_changes_nothing(make_store: Callable[[Documents], Harness]) -> None:
    documents = three()
    harness = make_store(documents)
    for name in NAMES:
        loaded(harness, name)
        assert harness.read(name) == documents[name]


def test_save_writes_the_verdict_and_keeps_every_other_field_in_order(
    make_store: Callable[[Documents], Harness],
) -> None:
    documents = three()
    harness = make_store(documents)
    record_ = loaded(harness, NAMES[1])
    verdict = verdict_of(record_)
    assert isinstance(harness.store.save(record_, verdict), Success)
    stored = harness.read(NAMES[1])
    assert list(stored) == [*documents[NAMES[1]], "validation", "is_valid"]
    assert stored["validation"] == verdict.model_dump(mode="json")
    assert stored["is_valid"] is verdict.passed is False
    assert {k: v for k, v in stored.items() if k not in ("validation", "is_valid")} == documents[NAMES[1]]
    assert loaded(harness, NAMES[1]).judged is True
    # The neighbours were not touched.
    assert harness.read(NAMES[0]) == documents[NAMES[0]]
    assert harness.read(NAMES[2]) == documents[NAMES[2]]


def test_saving_again_replaces_the_verdict_in_place(make_store: Callable[[Documents], Harness]) -> None:
    documents = three()
    harness = make_store(documents)
    record_ = loaded(harness, NAMES[2])
    verdict = verdict_of(record_)
    assert isinstance(harness.store.save(record_, verdict), Success)
    assert isinstance(harness.store.save(loaded(harness, NAMES[2]), verdict), Success)
    stored = harness.read(NAMES[2])
    assert list(stored) == list(documents[NAMES[2]])  # validation and is_valid kept their places
    assert stored["validation"] == verdict.model_dump(mode="json")


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"transcription_text": 7}, "transcription_text"),
        ({"segments": [{"start": "x", "end": 1}]}, "segments[0].start"),
    ],
)
def test_a_record_of_the_wrong_shape_is_a_failure_naming_the_field(
    make_store: Callable[[Documents], Harness], patch: dict[str, Any], field: str
) -> None:
    harness = make_store({NAMES[0]: record(**patch)})
    result = harness.store.load(harness.key(NAMES[0]))
    assert isinstance(result, Failure)
    error = result.failure()
    assert isinstance(error, UnreadableRecord)
    assert error.key == harness.key(NAMES[0]) and field in error.reason


def test_a_record_without_text_is_a_failure(make_store: Callable[[Documents], Harness]) -> None:
    document = record()
    del document["transcription_text"]
    harness = make_store({NAMES[0]: document})
    result = harness.store.load(harness.key(NAMES[0]))
    assert isinstance(result, Failure) and "transcription_text" in result.failure().reason


def test_a_key_that_does_not_exist_is_a_failure(make_store: Callable[[Documents], Harness]) -> None:
    harness = make_store(three())
    missing = harness.key(NAMES[0]).replace("a_transcription", "zz_transcription")
    result = harness.store.load(missing)
    assert isinstance(result, Failure)
    assert isinstance(result.failure(), UnreadableRecord) and result.failure().key == missing


def test_an_empty_location_has_no_keys(make_store: Callable[[Documents], Harness]) -> None:
    assert list(make_store({}).store.keys()) == []
