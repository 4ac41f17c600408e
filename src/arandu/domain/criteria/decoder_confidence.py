"""decoder_confidence: segments Whisper's own fallback rules would have rejected."""

from __future__ import annotations

from dataclasses import dataclass

from arandu.domain.evidence import Evidence, format_ranges, index_ranges, segment_char_starts
from arandu.domain.transcript import Transcript
from arandu.domain.verdict import CriterionScore

_REASONS = ("repetitive", "silence", "low_confidence")


@dataclass(frozen=True, slots=True)
class DecoderConfidence:
    """1 minus the share of speech time in segments Whisper itself would reject.

    Whisper re-decodes a segment when its compression ratio is above 2.4 (the text
    repeats itself) or its average log-probability is below -1.0 (the decoder was
    unsure), and treats it as silence when, on top of that low confidence, the
    no-speech probability is above 0.6. When the output still holds such segments,
    every fallback failed. Without those fields there is nothing to judge: 1.0.
    """

    max_compression_ratio: float = 2.4
    min_avg_logprob: float = -1.0
    max_no_speech_prob: float = 0.6
    # On real openai-whisper outputs (benchmarks/real_data.py) good transcripts score >= 0.92
    # and decoder loops <= 0.74: more than a quarter of the speech time rejected is a failure.
    threshold: float = 0.75
    max_reported_ranges: int = 5
    name: str = "decoder_confidence"

    def reason(
        self, compression_ratio: float | None, avg_logprob: float | None, no_speech_prob: float | None
    ) -> str | None:
        """Why Whisper would reject a segment with these values, or None."""
        if compression_ratio is not None and compression_ratio > self.max_compression_ratio:
            return "repetitive"
        if avg_logprob is not None and avg_logprob < self.min_avg_logprob:
            if no_speech_prob is not None and no_speech_prob > self.max_no_speech_prob:
                return "silence"
            return "low_confidence"
        return None

    def evaluate(self, transcript: Transcript) -> CriterionScore:
        columns = transcript.columns
        total_segments = len(columns)
        ratios, logprobs = columns.compression_ratio, columns.avg_logprob
        if not any(v is not None for v in ratios) and not any(v is not None for v in logprobs):
            return CriterionScore.of(
                1.0, self.threshold, "No segment carries Whisper's confidence fields, so none are judged."
            )
        known_ratios = [v for v in ratios if v is not None]
        known_logprobs = [v for v in logprobs if v is not None]
        if (not known_ratios or max(known_ratios) <= self.max_compression_ratio) and (
            not known_logprobs or min(known_logprobs) >= self.min_avg_logprob
        ):
            # No segment breaks either limit (the common case), so none is looked at one by one.
            return CriterionScore.of(1.0, self.threshold, f"All {total_segments} segments pass Whisper's own limits.")
        rejected: dict[str, list[int]] = {reason: [] for reason in _REASONS}
        for index, values in enumerate(zip(ratios, logprobs, columns.no_speech_prob, strict=True)):
            why = self.reason(*values)
            if why is not None:
                rejected[why].append(index)
        flagged = sorted(i for indices in rejected.values() for i in indices)
        if not flagged:
            return CriterionScore.of(1.0, self.threshold, f"All {total_segments} segments pass Whisper's own limits.")
        durations = [max(0.0, end - start) for start, end in zip(columns.start, columns.end, strict=True)]
        total = sum(durations)
        # Without usable timestamps every segment weighs the same.
        share = sum(durations[i] for i in flagged) / total if total > 0 else len(flagged) / total_segments
        issues, findings = [], []
        for why, indices in rejected.items():
            if indices:
                ranges = index_ranges(indices)
                issues.append(f"{why}_segments:{format_ranges(ranges[: self.max_reported_ranges])}")
                findings.append(f"{len(indices)} {why.replace('_', ' ')}")
        rationale = (
            f"{share:.0%} of the speech time is in segments Whisper would reject ("
            + ", ".join(findings)
            + f" of {total_segments} segments)."
        )
        score = 1.0 - share
        evidence = self._where(transcript, flagged) if score < self.threshold else None
        return CriterionScore.of(score, self.threshold, rationale, issues, evidence=evidence)

    def _where(self, transcript: Transcript, flagged: list[int]) -> list[Evidence]:
        columns = transcript.columns
        char_starts = segment_char_starts(transcript.text, columns.text)
        evidence = []
        for first, last in index_ranges(flagged)[: self.max_reported_ranges]:
            evidence.append(
                Evidence(
                    first_segment=first,
                    last_segment=last,
                    start=columns.start[first],
                    end=columns.end[last],
                    char_start=char_starts[first],
                    char_end=_char_end(char_starts[last], columns.text[last]),
                )
            )
        return evidence


def _char_end(start: int | None, text: str) -> int | None:
    return None if start is None else start + len(text.strip())
