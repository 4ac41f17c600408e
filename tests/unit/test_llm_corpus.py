"""JudgeCorpus with the LLM stage, against the in-memory store and the scripted validator."""

from __future__ import annotations

import asyncio
import copy
import pickle
from typing import Any

import pytest
from returns.result import Failure, Result

from arandu.application.errors import CallFailed, ConfigurationError, JudgeFailed
from arandu.application.judge_corpus import JudgeCorpus
from arandu.application.judge_record import JudgeRecord
from arandu.application.llm_stage import LlmStage
from arandu.application.ports import ValidatorRequest
from arandu.application.retry import RetryPolicy
from arandu.application.summary import CorpusSummary
from arandu.domain.criteria import default_heuristic_criteria
from arandu.domain.llm import LLM_CRITERIA
from arandu.domain.transcript import Transcript
from arandu.domain.verdict import HEURISTIC_STAGE, LLM_STAGE, JudgedBy
from tests.builders import record
from tests.fakes import FakeValidator, InMemoryRecordStore, StaticPrompts
from tests.samples import portuguese_text

JUDGED_BY = JudgedBy(arandu_version="test", language="pt")
GOOD = '{"rationale": "fine", "score": 0.95, "issues": []}'


class NoSleep:
    """Returns at once and remembers each wait it was asked for."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def judge(validator: FakeValidator | None, **stage: Any) -> JudgeRecord:
    check_timeout = stage.pop("check_timeout", 15.0)
    llm = None
    if validator is not None:
        criteria = [StaticPrompts().criterion(name, "pt") for name in LLM_CRITERIA]
        stage.setdefault("retry", RetryPolicy(retries=1))
        stage.setdefault("sleep", NoSleep())
        llm = LlmStage(validator, criteria, **stage)
    return JudgeRecord(
        default_heuristic_criteria("pt"), llm_stage=llm, judged_by=JUDGED_BY, check_timeout=check_timeout
    )


def run(store: InMemoryRecordStore, validator: FakeValidator | None, **stage: Any) -> CorpusSummary:
    return JudgeCorpus(store, judge(validator, **stage))()


def texts(count: int, first: int = 0) -> dict[str, str]:
    return {f"r{i:02d}": portuguese_text(first + i) for i in range(count)}


def store_of(records: dict[str, str]) -> InMemoryRecordStore:
    return InMemoryRecordStore({key: record(text, duration_ms=30_000) for key, text in records.items()})


def asked_about(validator: FakeValidator, text: str) -> int:
    return sum(text in request.prompt for request in validator.history)


def test_a_record_whose_llm_stage_fails_is_reported_and_left_as_it_was() -> None:
    records = texts(3)
    broken = records["r01"]

    def respond(request: ValidatorRequest) -> str:
        return "I would rather not say." if broken in request.prompt else GOOD

    store = store_of(records)
    before = copy.deepcopy(store.documents["r01"])
    validator = FakeValidator(respond=respond)
    summary = run(store, validator, retry=RetryPolicy(retries=2))
    assert (summary.judged, summary.passed, summary.skipped) == (2, 2, 0)
    [error] = summary.errors
    assert isinstance(error, JudgeFailed) and error.key == "r01"
    assert "language_drift: no valid answer after 3 attempts" in error.reason
    assert "hallucination_loop: no valid answer after 3 attempts" in error.reason
    assert store.documents["r01"] == before and "r01" not in store.saves
    assert asked_about(validator, broken) == 6  # both criteria, three attempts each
    for key in ("r00", "r02"):
        assert list(store.documents[key]["validation"]["stage_results"]) == [HEURISTIC_STAGE, LLM_STAGE]


def test_resume_adds_the_llm_stage_only_to_records_that_await_it() -> None:
    records = {**texts(2), "short": "Obrigado."}
    store = store_of({"r00": records["r00"]})
    run(store, FakeValidator())  # r00 fully judged by both stages
    full = copy.deepcopy(store.documents["r00"])
    store.add("r01", record(records["r01"], duration_ms=30_000))
    store.add("short", record(records["short"], duration_ms=60_000))
    heuristics = run(store, None)  # r01 passes the heuristics and awaits the LLM stage; short is rejected
    assert (heuristics.judged, heuristics.skipped) == (2, 1)
    awaiting = copy.deepcopy(store.documents["r01"])
    rejected = copy.deepcopy(store.documents["short"])
    store.saves.clear()

    validator = FakeValidator()
    resumed = run(store, validator)
    assert (resumed.judged, resumed.skipped, resumed.errors) == (1, 2, [])
    assert store.saves == ["r01"]
    assert len(validator.history) == len(LLM_CRITERIA)
    assert asked_about(validator, records["r01"]) == len(LLM_CRITERIA)
    validation = store.documents["r01"]["validation"]
    assert list(validation["stage_results"]) == [HEURISTIC_STAGE, LLM_STAGE]
    assert validation["stage_results"][HEURISTIC_STAGE] == awaiting["validation"]["stage_results"][HEURISTIC_STAGE]
    assert (store.documents["r00"], store.documents["short"]) == (full, rejected)

    again = FakeValidator()
    assert run(store, again).skipped == 3
    assert again.history == [] and store.saves == ["r01"]


def test_an_unreachable_validator_stops_the_run_before_any_record_is_touched() -> None:
    store = store_of(texts(3))
    validator = FakeValidator(reachable=Failure("cannot reach http://127.0.0.1:9/v1; start the server"))
    with pytest.raises(ConfigurationError, match=r"cannot reach http://127\.0\.0\.1:9/v1"):
        run(store, validator)
    assert (validator.checks, validator.history, store.loads, store.saves) == (1, [], [], [])


class SilentValidator(FakeValidator):
    """A server that accepts the connection and never answers the model listing."""

    async def check(self) -> Result[None, str]:
        self.checks += 1
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


def test_a_check_that_never_answers_is_a_clear_error_and_nothing_is_touched() -> None:
    store = store_of(texts(2))
    validator = SilentValidator(provider="custom")
    with pytest.raises(ConfigurationError) as raised:
        run(store, validator, check_timeout=0.05)
    assert str(raised.value) == (
        "the validator (custom) did not answer within 0.05 s; is the server up and the base URL right?"
    )
    assert (validator.history, store.loads, store.saves) == ([], [], [])


@pytest.mark.parametrize("concurrency", [1, 3, 5])
def test_calls_in_flight_across_the_records_of_a_batch_never_exceed_the_concurrency(concurrency: int) -> None:
    store = store_of(texts(12))
    # Each call holds the loop for a few turns, so the records' calls overlap as far as the stage lets them.
    validator = FakeValidator(yields=5)
    summary = run(store, validator, concurrency=concurrency)
    assert summary.judged == 12
    assert len(validator.history) == 12 * len(LLM_CRITERIA)
    assert validator.max_in_flight == concurrency


WAITS: list[float] = []


async def record_wait(seconds: float) -> None:
    # Module-level, so a pickled stage refers to it by name and every copy records here.
    WAITS.append(seconds)


def test_copies_of_a_stage_sent_to_workers_do_not_retry_in_step() -> None:
    # Each copy, as a worker unpickles it, draws its own jitter: matching waits would hit a recovering server at once.
    validator = FakeValidator().enqueue(*[CallFailed("503", retryable=True)] * 8)
    criteria = [StaticPrompts().criterion("language_drift", "pt")]
    sent = pickle.dumps(LlmStage(validator, criteria, retry=RetryPolicy(retries=3), sleep=record_wait))
    waits = []
    for _ in range(2):
        WAITS.clear()
        asyncio.run(pickle.loads(sent)(Transcript(portuguese_text(0), 30_000)))
        waits.append(list(WAITS))
    assert len(waits[0]) == len(waits[1]) == 3
    assert waits[0] != waits[1]
