"""speech_without_text: long stretches of detected speech that no segment covers (dropped speech)."""

from __future__ import annotations

from dataclasses import dataclass

from arandu.domain.audio.timeline import SpeechTimeline, clock
from arandu.domain.evidence import Evidence
from arandu.domain.transcript import Transcript
from arandu.domain.verdict import CriterionScore, SuspectSpan


@dataclass(frozen=True, slots=True)
class SpeechWithoutText:
    """1 minus the share of detected speech lying in uncovered stretches of at least `min_gap_seconds`.

    A segment covers its time widened by `slack` seconds each side (timestamps drift, and a
    pause inside a segment is not dropped speech). Each stretch is a suspect span located by
    its times only: no segment, no character holds it.
    """

    slack: float = 0.5
    # Shorter holes are a breath, a back-channel "mm", a word Whisper folded into its neighbour.
    min_gap_seconds: float = 3.0
    threshold: float = 0.8
    max_reported_spans: int = 10
    name: str = "speech_without_text"

    def evaluate(self, transcript: Transcript, speech: SpeechTimeline) -> CriterionScore:
        columns = transcript.columns
        total = speech.speech_seconds
        if total <= 0:
            return CriterionScore.of(1.0, self.threshold, "No speech was detected in the recording.")
        if not len(columns):
            return CriterionScore.of(1.0, self.threshold, "The record has no segments to place against the audio.")
        covered = [
            (start - self.slack, end + self.slack)
            for start, end, text in zip(columns.start, columns.end, columns.text, strict=True)
            if text.strip()
        ]
        holes = _joined(speech.uncovered(covered), self.slack)
        dropped = [(a, b) for a, b in holes if speech.speech_between(a, b) >= self.min_gap_seconds]
        if not dropped:
            return CriterionScore.of(
                1.0, self.threshold, f"The segments cover all {total:.0f} s of detected speech but short pauses."
            )
        lost = sum(speech.speech_between(a, b) for a, b in dropped)
        share = min(1.0, lost / total)
        spans = [
            SuspectSpan(start=round(a, 2), end=round(b, 2), criterion=self.name, reason=_reason(a, b))
            for a, b in dropped
        ]
        rationale = (
            f"{share:.0%} of the detected speech ({lost:.0f} of {total:.0f} s) is in {len(dropped)} "
            f"stretch{'es' if len(dropped) > 1 else ''} that no segment covers."
        )
        tags = [f"speech_without_text:{span.start:.1f}-{span.end:.1f}" for span in spans[: self.max_reported_spans]]
        score = 1.0 - share
        evidence = (
            [Evidence(start=span.start, end=span.end) for span in spans[: self.max_reported_spans]]
            if score < self.threshold
            else None
        )
        return CriterionScore.of(score, self.threshold, rationale, tags, evidence=evidence, spans=spans)


def _joined(holes: list[tuple[float, float]], gap: float) -> list[tuple[float, float]]:
    """Uncovered parts of speech closer than `gap` seconds apart are one stretch (speech with its pauses)."""
    joined: list[tuple[float, float]] = []
    for start, end in holes:
        if joined and start - joined[-1][1] <= gap:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _reason(start: float, end: float) -> str:
    return f"speech without text at {clock(start)}-{clock(end)}"
