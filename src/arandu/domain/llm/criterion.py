"""An LLM criterion as the pipeline sees it: a prompt template, a threshold, and how an answer becomes a score."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from arandu.domain.evidence import Evidence
from arandu.domain.llm.answer import MAX_ISSUES, Answer
from arandu.domain.llm.prompt import (
    CLOSE_DELIMITER,
    OPEN_DELIMITER,
    TRANSCRIPT_PLACEHOLDER,
    check_template,
    render_prompt,
)
from arandu.domain.llm.windows import Window
from arandu.domain.verdict import CriterionScore

LANGUAGE_DRIFT = "language_drift"
HALLUCINATION_LOOP = "hallucination_loop"
# The order the stage reports them in; both are asked concurrently.
LLM_CRITERIA = (LANGUAGE_DRIFT, HALLUCINATION_LOOP)

# The scores a model may give: a grammar-constrained server (llama.cpp, vLLM, Ollama) cannot
# write anything else, so a `75` for a [0, 1] score cannot happen there.
SCORE_VALUES = tuple(round(step / 10, 1) for step in range(11))
RATIONALE_MAX_CHARS = 300
ISSUES_MAX = 4
ISSUE_MAX_CHARS = 32

# Rationale first: a model that writes its reasons before the number scores more consistently.
# The bounds keep a looping model's answer short where the server enforces the schema.
ANSWER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "rationale": {"type": "string", "maxLength": RATIONALE_MAX_CHARS},
        "score": {"type": "number", "enum": list(SCORE_VALUES)},
        "issues": {
            "type": "array",
            "items": {"type": "string", "maxLength": ISSUE_MAX_CHARS},
            "maxItems": ISSUES_MAX,
        },
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

    @property
    def prompt_chars(self) -> int:
        """The length of the prompt around the transcript (instructions and delimiters)."""
        return len(self.template) - len(TRANSCRIPT_PLACEHOLDER) + len(OPEN_DELIMITER) + len(CLOSE_DELIMITER) + 2

    def score(self, answer: Answer) -> CriterionScore:
        return CriterionScore.of(answer.score, self.threshold, answer.rationale, list(answer.issues))

    def score_windows(self, answers: Sequence[tuple[Window, Answer]], places: Sequence[Evidence]) -> CriterionScore:
        """One score from the answers for each window of a transcript, in window order.

        The score is the lowest window's: both LLM criteria look for something local (a stretch
        in another language, a stock formula, a loop) that spoils the record wherever it is, and
        an average would let one bad stretch hide inside a long, clean record. The rationale is
        that window's, naming it; the issues are every window's; the evidence is where each
        window that failed lies (char span, and segments and times when the record has them).
        """
        if len(answers) == 1:
            return self.score(answers[0][1])
        worst_window, worst = min(answers, key=lambda pair: (pair[1].score, pair[0].index))
        issues = list(dict.fromkeys(tag for _, answer in answers for tag in answer.issues))[:MAX_ISSUES]
        failed = [place for (_, answer), place in zip(answers, places, strict=True) if answer.score < self.threshold]
        rationale = f"{worst_window.label()}: {worst.rationale}"
        return CriterionScore.of(worst.score, self.threshold, rationale, issues, evidence=failed)
