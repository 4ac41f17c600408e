"""JudgeRecord and JudgeCorpus against the in-memory store."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from arandu.application.errors import UnreadableRecord, WriteFailed
from arandu.application.judge_corpus import JudgeCorpus
from arandu.application.judge_record import JudgeRecord
from arandu.application.ports import LoadedRecord
from arandu.application.stopping import StopRequest
from arandu.application.summary import CorpusSummary, Outcome, RecordOutcome
from arandu.domain.criteria import default_heuristic_criteria
from arandu.domain.transcript import Transcript
from arandu.domain.verdict import HEURISTIC_STAGE, JudgedBy
from tests.builders import clean_portuguese, record, segments_at, starts_every
from tests.fakes import InMemoryRecordStore

JUDGED_BY = JudgedBy(arandu_version="test", language="pt")
Store = InMemoryRecordStore


def judge_record() -> JudgeRecord:
    return JudgeRecord(default_heuristic_criteria("pt"), judged_by=JUDGED_BY)


def corpus() -> dict[str, dict[str, Any]]:
    """Two clean records and one of each heuristic failure, with known failing criteria."""
    return {
        "clean-1": record(),
        "clean-2": record(duration_ms=None),
        "short-1": record(text="Obrigado.", duration_ms=60_000),
        "short-2": record(text="Tchau tchau.", duration_ms=60_000),
        "loop": record(text="Obrigada. " * 30, duration_ms=15_000),
        "uniform": record(segments=segments_at(starts_every(1.0, 10))),
    }


EXPECTED_FAILING = {
    "short-1": ["content_length_floor"],
    "short-2": ["content_length_floor"],
    "loop": ["repetition", "loop"],
    "uniform": ["segment_quality"],
}


def run(store: InMemoryRecordStore, **kwargs: Any) -> CorpusSummary:
    return JudgeCorpus(store, judge_record(), batch_size=kwargs.pop("batch_size", 32))(**kwargs)


def test_judge_record_turns_a_transcript_into_a_stamped_verdict() -> None:
    verdict = asyncio.run(judge_record()(LoadedRecord("k", Transcript(clean_portuguese(), 30_000), False))).unwrap()
    assert verdict.passed is True
    assert verdict.judged_by == JUDGED_BY


def test_a_fresh_corpus_is_judged_and_every_verdict_saved() -> None:
    store = Store(corpus())
    summary = run(store)
    assert sorted(store.saves) == sorted(corpus())
    assert (summary.judged, summary.passed, summary.failed, summary.skipped, summary.errors) == (6, 2, 4, 0, [])
    for key, document in store.documents.items():
        assert document["is_valid"] is (key not in EXPECTED_FAILING)
        scores = document["validation"]["stage_results"][HEURISTIC_STAGE]["criterion_scores"]
        assert [n for n, s in scores.items() if not s["passed"]] == EXPECTED_FAILING.get(key, [])
        # Only the verdict fields were added; the record's own fields are as they were.
        assert {k: v for k, v in document.items() if k not in ("validation", "is_valid")} == corpus()[key]


def test_summary_counts_rejections_per_stage_and_per_criterion() -> None:
    summary = run(Store(corpus()))
    assert dict(summary.rejections_by_stage) == {HEURISTIC_STAGE: 4}
    assert dict(summary.rejections_by_criterion) == {
        "content_length_floor": 2,
        "repetition": 1,
        "loop": 1,
        "segment_quality": 1,
    }
    assert summary.total == 6


def test_resume_skips_judged_records_without_saving_them() -> None:
    store = Store(corpus())
    run(store)
    store.add("new", record())
    before = {k: v for k, v in store.documents.items() if k != "new"}
    store.saves.clear()
    summary = run(store)
    assert store.saves == ["new"]
    assert (summary.skipped, summary.judged, summary.passed) == (6, 1, 1)
    assert not summary.rejections_by_stage  # skipped records are not counted again
    assert {k: v for k, v in store.documents.items() if k != "new"} == before


def test_a_verdict_written_by_someone_else_counts_as_judged() -> None:
    store = Store({"a": record(validation={"passed": False}, is_valid=False)})
    assert run(store).skipped == 1 and store.saves == []
    assert store.documents["a"]["validation"] == {"passed": False}


def test_a_null_validation_is_not_a_verdict() -> None:
    store = Store({"a": record(validation=None, is_valid=None)})
    assert run(store).judged == 1 and store.saves == ["a"]


def test_rejudge_saves_every_record_again() -> None:
    store = Store(corpus())
    run(store)
    store.saves.clear()
    summary = run(store, rejudge=True)
    assert sorted(store.saves) == sorted(corpus())
    assert (summary.judged, summary.skipped) == (6, 0)


def test_rejudge_replaces_the_verdict() -> None:
    store = Store({"a": record(validation={"passed": False, "stale": True}, is_valid=False)})
    run(store, rejudge=True)
    assert store.documents["a"]["is_valid"] is True
    assert "stale" not in store.documents["a"]["validation"]


def test_per_record_failures_are_counted_with_reasons_while_the_rest_are_judged() -> None:
    documents = corpus()
    documents["bad-type"] = record(text=42)  # type: ignore[arg-type]
    documents["no-text"] = {k: v for k, v in record().items() if k != "transcription_text"}
    documents["bad-start"] = record(segments=[{"text": "a", "start": "zero", "end": 1.0}])
    store = Store(documents)
    store.make_unreadable("clean-1", "cannot be read (permission denied)")
    store.fail_saving("loop", "verdict not written (disk full); record unchanged")
    summary = run(store, batch_size=2)

    reasons = {e.key: (type(e), e.reason) for e in summary.errors}
    assert set(reasons) == {"bad-type", "no-text", "bad-start", "clean-1", "loop"}
    assert reasons["clean-1"] == (UnreadableRecord, "cannot be read (permission denied)")
    assert reasons["loop"] == (WriteFailed, "verdict not written (disk full); record unchanged")
    assert (
        reasons["bad-type"][0] is UnreadableRecord and "'transcription_text' must be a string" in reasons["bad-type"][1]
    )
    assert "transcription_text" in reasons["no-text"][1]
    assert "'segments[0].start' must be a number" in reasons["bad-start"][1]
    # Every other record was judged; the failed ones are untouched.
    assert (summary.judged, summary.passed, summary.failed) == (4, 1, 3)
    assert summary.total == len(documents)
    for key in reasons:
        assert "validation" not in store.documents[key]
    assert store.documents["clean-2"]["is_valid"] is True


def test_the_listener_sees_every_outcome_once() -> None:
    seen: list[RecordOutcome] = []
    store = Store(corpus())
    store.make_unreadable("clean-2")
    JudgeCorpus(store, judge_record(), batch_size=4)(listener=seen.append)
    assert sorted(o.key for o in seen) == sorted(corpus())
    by_key = {o.key: o for o in seen}
    assert by_key["clean-1"].outcome is Outcome.PASSED
    assert by_key["clean-2"].outcome is Outcome.ERROR and by_key["clean-2"].error is not None
    assert by_key["loop"] == RecordOutcome("loop", Outcome.FAILED, HEURISTIC_STAGE, ("repetition", "loop"))


@pytest.mark.parametrize("batch_size", [1, 2, 5, 6, 100])
def test_every_record_is_judged_once_whatever_the_batch_size(batch_size: int) -> None:
    store = Store(corpus())
    summary = run(store, batch_size=batch_size)
    assert sorted(store.loads) == sorted(corpus())
    assert summary.judged == 6


def test_an_empty_store_gives_an_empty_summary() -> None:
    summary = run(Store())
    assert (summary.total, summary.judged, summary.errors) == (0, 0, [])


class Exploding(InMemoryRecordStore):
    """A store whose parsing of some keys blows up as a bug or an exhausted interpreter would."""

    def __init__(self, documents: dict[str, dict[str, Any]], errors: dict[str, BaseException]) -> None:
        super().__init__(documents)
        self.errors = errors

    def load(self, key: str):  # type: ignore[no-untyped-def]
        if key in self.errors:
            raise self.errors[key]
        return super().load(key)


@pytest.mark.parametrize("error", [RecursionError("maximum recursion depth exceeded"), MemoryError(), KeyError("x")])
def test_an_unexpected_exception_is_its_records_own_error_and_the_run_goes_on(error: BaseException) -> None:
    documents = corpus()
    store = Exploding(documents, {"clean-2": error})
    summary = run(store, batch_size=2)
    assert [(e.key, type(e).__name__) for e in summary.errors] == [("clean-2", "JudgeFailed")]
    assert type(error).__name__ in summary.errors[0].reason
    assert summary.judged == len(documents) - 1
    assert "validation" not in store.documents["clean-2"]


def test_a_stop_request_ends_the_run_after_the_records_in_progress() -> None:
    stop = StopRequest()
    store = Store({f"r{i:02}": record() for i in range(40)})

    def listener(outcome: RecordOutcome) -> None:
        if outcome.key == "r05":
            stop.set("SIGTERM")

    summary = JudgeCorpus(store, judge_record(), batch_size=4)(listener=listener, stop=stop)
    # The batch holding r05 was already judged when its outcomes were seen; no later batch starts.
    assert summary.stopped_by == "SIGTERM"
    assert summary.judged == 8
    assert sorted(store.saves) == [f"r{i:02}" for i in range(8)]


def test_a_stop_request_seen_inside_a_batch_takes_no_further_record_of_it() -> None:
    stop = StopRequest()
    store = Store({f"r{i:02}": record() for i in range(10)})
    original = store.save

    def save_then_stop(loaded: LoadedRecord, verdict: Any) -> Any:
        result = original(loaded, verdict)
        if loaded.key == "r02":
            stop.set("SIGINT")
        return result

    store.save = save_then_stop  # type: ignore[method-assign]
    summary = JudgeCorpus(store, judge_record(), batch_size=100)(stop=stop)
    assert summary.judged == 3 and summary.stopped_by == "SIGINT"


def test_a_stop_request_pickles_as_a_fresh_one_for_other_processes() -> None:
    import pickle

    stop = StopRequest()
    stop.set("SIGTERM")
    assert stop.is_set() and not pickle.loads(pickle.dumps(stop)).is_set()
