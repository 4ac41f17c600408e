"""The LLM criteria's pure side: prompt rendering, the answer schema and answer parsing."""

from __future__ import annotations

from arandu.domain.llm.answer import Answer, InvalidAnswer, parse_answer
from arandu.domain.llm.criterion import (
    ANSWER_SCHEMA,
    HALLUCINATION_LOOP,
    LANGUAGE_DRIFT,
    LLM_CRITERIA,
    LlmCriterion,
)
from arandu.domain.llm.prompt import TRANSCRIPT_PLACEHOLDER, render_prompt
from arandu.domain.llm.windows import PromptTooLong, Window, plan_windows, transcript_budget, window_evidence

__all__ = [
    "ANSWER_SCHEMA",
    "HALLUCINATION_LOOP",
    "LANGUAGE_DRIFT",
    "LLM_CRITERIA",
    "TRANSCRIPT_PLACEHOLDER",
    "Answer",
    "InvalidAnswer",
    "LlmCriterion",
    "PromptTooLong",
    "Window",
    "parse_answer",
    "plan_windows",
    "render_prompt",
    "transcript_budget",
    "window_evidence",
]
