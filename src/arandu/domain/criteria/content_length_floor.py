"""content_length_floor: too little text to judge means nothing worth keeping."""

from __future__ import annotations

from dataclasses import dataclass

from arandu.domain.transcript import Transcript
from arandu.domain.verdict import CriterionScore


@dataclass(frozen=True, slots=True)
class ContentLengthFloor:
    """Binary gate: 0.0 below the character or word floor, else 1.0."""

    min_chars: int = 200
    min_words: int = 30
    threshold: float = 0.5
    name: str = "content_length_floor"

    def evaluate(self, transcript: Transcript) -> CriterionScore:
        chars = len(transcript.stripped)
        words = transcript.word_count
        issues = []
        if chars < self.min_chars:
            issues.append(f"below_min_chars:{chars}<{self.min_chars}")
        if words < self.min_words:
            issues.append(f"below_min_words:{words}<{self.min_words}")
        if issues:
            rationale = (
                f"{chars} characters and {words} words; at least {self.min_chars} characters "
                f"and {self.min_words} words are needed to judge a transcript."
            )
            return CriterionScore.of(0.0, self.threshold, rationale, issues)
        return CriterionScore.of(1.0, self.threshold, f"{chars} characters and {words} words: long enough to judge.")
