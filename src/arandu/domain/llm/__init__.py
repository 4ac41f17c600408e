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

__all__ = [
    "ANSWER_SCHEMA",
    "HALLUCINATION_LOOP",
    "LANGUAGE_DRIFT",
    "LLM_CRITERIA",
    "TRANSCRIPT_PLACEHOLDER",
    "Answer",
    "InvalidAnswer",
    "LlmCriterion",
    "parse_answer",
    "render_prompt",
]
