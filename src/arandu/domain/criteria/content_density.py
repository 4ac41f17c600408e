"""content_density: words per minute outside what people speak means silence or invention."""

from __future__ import annotations

from dataclasses import dataclass

from arandu.domain.transcript import Transcript
from arandu.domain.verdict import CriterionScore


@dataclass(frozen=True, slots=True)
class ContentDensity:
    """1.0 inside [min, max] wpm, falling linearly to 0.0 at 0 wpm and at twice the maximum."""

    min_words_per_minute: float = 30.0
    max_words_per_minute: float = 300.0
    unknown_duration_score: float = 0.5
    invalid_duration_score: float = 0.3
    threshold: float = 0.4
    name: str = "content_density"

    def evaluate(self, transcript: Transcript) -> CriterionScore:
        duration_ms = transcript.duration_ms
        if duration_ms is None:
            return CriterionScore.of(
                self.unknown_duration_score,
                self.threshold,
                "The duration is unknown, so words per minute cannot be measured.",
                ["duration_unknown:neutral_score"],
            )
        if duration_ms <= 0:
            return CriterionScore.of(
                self.invalid_duration_score,
                self.threshold,
                f"The duration ({duration_ms} ms) is not positive.",
                ["invalid_duration"],
            )
        wpm = transcript.word_count / (duration_ms / 60_000)
        low, high = self.min_words_per_minute, self.max_words_per_minute
        if wpm < low:
            return CriterionScore.of(
                wpm / low,
                self.threshold,
                f"{wpm:.1f} words per minute, below the {low:g} expected of speech.",
                [f"low_content_density:{wpm:.1f}_wpm"],
            )
        if wpm > high:
            return CriterionScore.of(
                1.0 - (wpm - high) / high,
                self.threshold,
                f"{wpm:.1f} words per minute, above the {high:g} anyone speaks.",
                [f"high_content_density:{wpm:.1f}_wpm"],
            )
        return CriterionScore.of(1.0, self.threshold, f"{wpm:.1f} words per minute, within {low:g}-{high:g}.")
