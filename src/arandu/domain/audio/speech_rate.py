"""speech_rate: words per second of detected speech, not per minute of the whole file."""

from __future__ import annotations

from dataclasses import dataclass

from arandu.domain.audio.timeline import SpeechTimeline
from arandu.domain.transcript import Transcript
from arandu.domain.verdict import CriterionScore


@dataclass(frozen=True, slots=True)
class SpeechRate:
    """The transcript's words against the seconds of speech the detector heard.

    People say about 2 to 3.5 words a second while they speak (pauses removed). Far more
    words than the speech could carry means text invented over silence or noise; far fewer
    means speech that was dropped. Inside [min_rate, max_rate] the score is 1; outside it
    falls as the ratio to the nearer bound. A long silent recording with little talk is
    judged on its talk, so it is not mistaken for a sparse transcript.
    """

    min_rate: float = 0.8
    max_rate: float = 5.0
    # Below 0.6 the rate is off by more than 1.67 times: 8.3 words a second, or under 0.48.
    threshold: float = 0.6
    # Under this much speech the rate says little (a greeting on a voicemail).
    min_speech_seconds: float = 5.0
    name: str = "speech_rate"

    def evaluate(self, transcript: Transcript, speech: SpeechTimeline) -> CriterionScore:
        words = transcript.word_count
        seconds = speech.speech_seconds
        if seconds < self.min_speech_seconds:
            if words and seconds <= 0:
                return CriterionScore.of(
                    0.0, self.threshold, f"{words} words, and no speech detected in the recording.", ["no_speech"]
                )
            return CriterionScore.of(
                1.0, self.threshold, f"Only {seconds:.1f} s of speech detected: too little to judge a rate."
            )
        rate = words / seconds
        if rate > self.max_rate:
            score, tags = self.max_rate / rate, [f"words_per_speech_second_high:{rate:.1f}"]
        elif rate < self.min_rate:
            score, tags = rate / self.min_rate, [f"words_per_speech_second_low:{rate:.1f}"]
        else:
            score, tags = 1.0, []
        rationale = f"{words} words over {seconds:.0f} s of detected speech: {rate:.2f} words a second."
        return CriterionScore.of(score, self.threshold, rationale, tags)
