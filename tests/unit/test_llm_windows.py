"""Transcripts longer than the model's context: windows that fit, overlap, and combine into one score."""

from __future__ import annotations

import asyncio
import itertools

import pytest
from returns.result import Failure, Success

from arandu.application.llm_stage import LlmStage
from arandu.application.ports import ValidatorRequest
from arandu.domain.llm import LLM_CRITERIA, PromptTooLong, plan_windows, transcript_budget
from arandu.domain.llm.prompt import CLOSE_DELIMITER, OPEN_DELIMITER
from arandu.domain.transcript import Transcript
from tests.fakes import FakeValidator, StaticPrompts
from tests.samples import portuguese_text


def test_a_text_that_fits_is_one_window() -> None:
    (only,) = plan_windows("curto e inteiro", 100)
    assert (only.start, only.end, only.count) == (0, 15, 1)


def test_windows_cover_the_text_overlap_and_cut_between_words() -> None:
    text = " ".join(f"palavra{i}" for i in range(400))
    windows = plan_windows(text, 500)
    assert len(windows) > 3
    assert windows[0].start == 0 and windows[-1].end == len(text)
    for before, after in itertools.pairwise(windows):
        assert after.start < before.end  # each window repeats the end of the one before
        assert before.end - after.start >= 40
        assert text[after.start - 1] == " "
    assert all(w.end - w.start <= 500 for w in windows)
    assert all(w.end == len(text) or text[w.end] == " " for w in windows)


def test_the_budget_leaves_room_for_the_prompt_and_the_answer_and_refuses_when_there_is_none() -> None:
    assert transcript_budget(2048, 1000, 256, 2.5) < (2048 - 256 - 400) * 2.5
    with pytest.raises(PromptTooLong, match="cannot hold the prompt"):
        transcript_budget(512, 1200, 256, 2.5)


def windowed_stage(validator: FakeValidator, **kwargs: object) -> LlmStage:
    criteria = [StaticPrompts().criterion(name, "pt") for name in LLM_CRITERIA]
    return LlmStage(validator, criteria, **kwargs)  # type: ignore[arg-type]


def window_of(request: ValidatorRequest) -> str:
    start = request.prompt.index(OPEN_DELIMITER) + len(OPEN_DELIMITER) + 1
    return request.prompt[start : request.prompt.index(CLOSE_DELIMITER) - 1]


def test_a_long_transcript_is_judged_in_windows_and_the_worst_window_decides_with_its_place() -> None:
    clean = portuguese_text(3)
    text = f"{clean} {clean} {clean} ENGLISH STRETCH HERE {clean} {clean}"
    segments = [{"text": part, "start": float(i), "end": float(i + 1)} for i, part in enumerate(text.split(". "))]
    transcript = Transcript.parse(text, 60_000, segments)

    def respond(request: ValidatorRequest) -> str:
        if "ENGLISH STRETCH" in window_of(request) and "language_drift" in request.prompt:
            return '{"rationale": "English here", "score": 0.2, "issues": ["english"]}'
        return '{"rationale": "fine", "score": 0.9, "issues": []}'

    validator = FakeValidator(respond=respond, context=400)
    stage = windowed_stage(validator, max_tokens=100)
    result = asyncio.run(stage(transcript)).unwrap()
    windows = stage.usage.windows
    assert windows > 2
    assert len(validator.history) == 2 * windows
    assert {request.context_tokens for request in validator.history} == {400}
    # Every prompt fits: no window is longer than the budget the context allows.
    assert all(len(window_of(r)) <= transcript_budget(400, 80, 100, 2.5) for r in validator.history)
    drift = result.criterion_scores["language_drift"]
    assert (drift.score, drift.passed) == (0.2, False)
    assert drift.rationale.startswith("window ") and "English here" in drift.rationale
    assert drift.evidence is not None and len(drift.evidence) >= 1
    for place in drift.evidence:
        assert place.char_start is not None and place.char_end is not None
        assert "ENGLISH STRETCH" in text[place.char_start : place.char_end]
        assert place.first_segment is not None and place.last_segment is not None
    loop = result.criterion_scores["hallucination_loop"]
    assert loop.passed and loop.evidence is None


def test_a_context_setting_below_the_servers_wins_and_none_known_falls_back_to_a_default() -> None:
    assert asyncio.run(windowed_stage(FakeValidator(context=32768), context_tokens=2048).context_tokens()) == 2048
    assert asyncio.run(windowed_stage(FakeValidator(context=1024), context_tokens=4096).context_tokens()) == 1024
    assert asyncio.run(windowed_stage(FakeValidator()).context_tokens()) == 4096


def test_a_context_too_small_for_the_prompt_is_a_clear_failure_without_calls() -> None:
    validator = FakeValidator(context=200)
    stage = windowed_stage(validator, max_tokens=150)
    result = asyncio.run(stage(Transcript(portuguese_text(1), 60_000)))
    assert isinstance(result, Failure) and "cannot hold the prompt" in result.failure()
    assert validator.history == []
    assert isinstance(asyncio.run(stage.check()), Failure)
    assert isinstance(asyncio.run(windowed_stage(FakeValidator(context=4096)).check()), Success)
