"""An LLM criterion as the pipeline sees it: a prompt template, a threshold, and how an answer becomes a score."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from arandu.domain.llm.answer import Answer
from arandu.domain.llm.prompt import check_template, render_prompt
from arandu.domain.verdict import CriterionScore

LANGUAGE_DRIFT = "language_drift"
HALLUCINATION_LOOP = "hallucination_loop"
# The order the stage reports them in; both are asked concurrently.
LLM_CRITERIA = (LANGUAGE_DRIFT, HALLUCINATION_LOOP)

# Rationale first: a model that writes its reasons before the number scores more consistently.
ANSWER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "rationale": {"type": "string"},
        "score": {"type": "number", "minimum": 0, "maximum": 1},
        "issues": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["rationale", "score", "issues"],
    "additionalProperties": False,
}


@dataclass(frozen=True, slots=True)
class LlmCriterion:
    """One LLM criterion for one language, as loaded from its prompt file and `config.json`.

    `version` identifies the prompt and config it was built from, so verdicts
    made under another prompt can be found. `temperature`, when set, is the
    criterion's own sampling temperature.
    """

    name: str
    language: str
    template: str
    threshold: float
    version: str
    temperature: float | None = None

    def __post_init__(self) -> None:
        check_template(self.template)
        if not 0.0 <= self.threshold <= 1.0:
            raise ValueError(f"{self.name}: threshold must be within [0, 1], got {self.threshold}")

    def prompt(self, transcript_text: str) -> str:
        return render_prompt(self.template, transcript_text)

    def score(self, answer: Answer) -> CriterionScore:
        return CriterionScore.of(answer.score, self.threshold, answer.rationale, list(answer.issues))
