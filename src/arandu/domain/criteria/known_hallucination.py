"""known_hallucination: subtitle credits and channel sign-offs Whisper writes over silence and music."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from arandu.domain.evidence import Evidence
from arandu.domain.locate import Locator
from arandu.domain.phrases import Match, PhraseMatcher, fold_words, readable
from arandu.domain.text import normalized_words
from arandu.domain.transcript import Transcript
from arandu.domain.verdict import CriterionScore, SuspectSpan

_DATA = "data/hallucinations"
_NONE_FOUND = "No known hallucinated phrase was found."
_STOPS = (".", "!", "?", "\n", "\u3002", "\uff01", "\uff1f")  # with the full-width stops


def available_languages() -> tuple[str, ...]:
    """Language codes that have a phrase list shipped with arandu."""
    folder = resources.files("arandu.domain.criteria").joinpath(_DATA)
    return tuple(sorted(entry.name.removesuffix(".txt") for entry in folder.iterdir() if entry.name.endswith(".txt")))


def load_phrases(language: str) -> list[str]:
    """The phrases listed for `language`; lines starting with '#' are the header."""
    text = resources.files("arandu.domain.criteria").joinpath(f"{_DATA}/{language}.txt").read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@lru_cache(maxsize=8)
def matcher_for(languages: tuple[str, ...] | None) -> PhraseMatcher:
    """One automaton over the lists of `languages` (all shipped lists when None), built once."""
    chosen = available_languages() if languages is None else languages
    return PhraseMatcher(phrase for language in chosen for phrase in load_phrases(language))


@dataclass(frozen=True, slots=True)
class KnownHallucination:
    """1 minus the share of the (folded) text covered by known hallucinated phrases.

    Every language's list is searched by default: Whisper writes English sign-offs over
    Portuguese silence too. A phrase said once in a long record covers almost nothing,
    so it is tagged but does not reject; a record made mostly of such phrases does.
    """

    languages: tuple[str, ...] | None = None
    # Rejects when listed phrases cover more than a quarter of the letters: a sign-off said once
    # in a long record passes (tagged), a record that is mostly credits and sign-offs does not.
    threshold: float = 0.75
    max_reported_phrases: int = 5
    name: str = "known_hallucination"

    def evaluate(self, transcript: Transcript) -> CriterionScore:
        words = transcript.normalized_words
        matcher = matcher_for(self.languages)
        if not matcher.may_occur_in(transcript.vocabulary):
            return CriterionScore.of(1.0, self.threshold, _NONE_FOUND)
        folded = fold_words(words)
        matches = matcher.find(folded)
        if not matches:
            return CriterionScore.of(1.0, self.threshold, _NONE_FOUND)
        # Letters only, so the spaces between repeated phrases do not dilute the share.
        total = max(1, len(folded) - len(words) - 1)
        covered = _letters_covered(folded, matches)
        coverage = min(1.0, covered / total)
        counts = Counter(readable(m.phrase) for m in matches)
        shown = counts.most_common(self.max_reported_phrases)
        tags = [f"known_hallucination:{phrase}:{count}" for phrase, count in shown]
        listed = ", ".join(f"'{phrase}' x{count}" for phrase, count in shown)
        rationale = f"Known hallucinated phrases cover {coverage:.0%} of the text: {listed}."
        score = 1.0 - coverage
        locator = Locator(transcript)
        counted: dict[str, int] = {}  # words of each segment or sentence, which many matches may share
        spans = [span for m in matches if (span := self._alone(transcript, locator, m, counted)) is not None]
        evidence = None
        if score < self.threshold:
            evidence = []
            for m in matches[:10]:
                start, end = locator.folded(m.start, m.end)
                evidence.append(Evidence(char_start=start, char_end=end))
        return CriterionScore.of(score, self.threshold, rationale, tags, evidence=evidence, spans=spans)

    def _alone(
        self, transcript: Transcript, locator: Locator, match: Match, counted: dict[str, int]
    ) -> SuspectSpan | None:
        """A span for a phrase that stands alone: at least half the words of its segment (or, without
        segments, of its sentence). The same words said in passing inside real speech are not one."""
        start, end = locator.folded(match.start, match.end)
        reason = f"'{readable(match.phrase)}' is a known Whisper credit or sign-off"
        span = locator.span(start, end, self.name, reason)
        if span.first_segment is not None and span.last_segment is not None:
            around = " ".join(transcript.columns.text[span.first_segment : span.last_segment + 1])
        else:
            around = _sentence(transcript.text, start, end)
        phrase_words = match.phrase.count(" ") + 1
        if around not in counted:
            counted[around] = len(normalized_words(around))
        return span if phrase_words * 2 >= counted[around] else None


def _letters_covered(folded: str, matches: list[Match]) -> int:
    """The letters of `folded` inside at least one match, each counted once: two phrases said as one
    ("deixe seu like" and "like and subscribe") share letters. Matches come by start with their ends
    increasing (none lies inside another), so what a match adds begins where the one before it ended."""
    covered, reach = 0, 0
    for m in matches:
        start = max(m.start, reach)
        covered += m.end - start - folded.count(" ", start, m.end)
        reach = m.end
    return covered


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence holding text[start:end]: from the previous to the next full stop, mark or line break."""
    before = max(text.rfind(mark, 0, start) for mark in _STOPS)
    after = [found for mark in _STOPS if (found := text.find(mark, end)) >= 0]
    return text[before + 1 : min(after) if after else len(text)]
