"""text_over_silence: words in segments during which the recording holds no detected voice."""

from __future__ import annotations

from dataclasses import dataclass

from arandu.domain.audio.timeline import SpeechTimeline, clock
from arandu.domain.evidence import index_ranges
from arandu.domain.locate import Locator, as_evidence
from arandu.domain.transcript import Transcript
from arandu.domain.verdict import CriterionScore


@dataclass(frozen=True, slots=True)
class TextOverSilence:
    """1 minus the share of the transcript's words in segments with (almost) no detected speech.

    A segment is unvoiced when the speech heard within it, widened by `slack` seconds on each
    side (Whisper's timestamps drift by about that much), is under `min_voiced_seconds` or
    under `min_voiced_share` of its length (a 30 s sentence over one cough is still invented).
    Each run of unvoiced segments is a suspect span: the invented outro over the closing
    silence, the sentence made up from background noise.
    """

    slack: float = 0.5
    min_voiced_seconds: float = 0.2
    min_voiced_share: float = 0.1
    # A tenth of the words over silence is more than any clean recording made here shows (none).
    threshold: float = 0.9
    max_reported_spans: int = 10
    name: str = "text_over_silence"

    def evaluate(self, transcript: Transcript, speech: SpeechTimeline) -> CriterionScore:
        columns = transcript.columns
        if not len(columns):
            return CriterionScore.of(1.0, self.threshold, "The record has no segments to place against the audio.")
        words = [len(text.split()) for text in columns.text]
        total = sum(words)
        if total == 0:
            return CriterionScore.of(1.0, self.threshold, "No segment holds text.")
        unvoiced = [
            index
            for index, (start, end) in enumerate(zip(columns.start, columns.end, strict=True))
            if words[index] and self._unvoiced(speech, start, end)
        ]
        if not unvoiced:
            rationale = f"Every segment with text has speech under it ({total} words)."
            return CriterionScore.of(1.0, self.threshold, rationale)
        share = sum(words[i] for i in unvoiced) / total
        locator = Locator(transcript)
        spans = []
        for first, last in index_ranges(unvoiced):
            reason = f"text over silence at {clock(columns.start[first])}-{clock(columns.end[last])}"
            spans.append(locator.segments(first, last, self.name, reason))
        rationale = (
            f"{share:.0%} of the words ({sum(words[i] for i in unvoiced)} of {total}) are in "
            f"{_count(len(unvoiced), 'segment')} with no detected speech, in {_count(len(spans), 'stretch')}."
        )
        tags = [f"text_over_silence:{span.start:.1f}-{span.end:.1f}" for span in spans[: self.max_reported_spans]]
        score = 1.0 - share
        evidence = [as_evidence(span) for span in spans[: self.max_reported_spans]] if score < self.threshold else None
        return CriterionScore.of(score, self.threshold, rationale, tags, evidence=evidence, spans=spans)

    def _unvoiced(self, speech: SpeechTimeline, start: float, end: float) -> bool:
        voiced = speech.speech_between(start - self.slack, end + self.slack)
        return voiced < max(self.min_voiced_seconds, self.min_voiced_share * max(0.0, end - start))


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}{'es' if noun.endswith('ch') else 's'}"
