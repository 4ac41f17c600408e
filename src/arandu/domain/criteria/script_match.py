"""script_match: letters in a script the language is not written in mean a wrong-language transcript."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from arandu.domain.evidence import Evidence, char_span_of
from arandu.domain.scripts import (
    CJK_SCRIPTS,
    base_language,
    count_letters_by_script,
    expected_scripts,
    script_of,
)
from arandu.domain.transcript import Transcript
from arandu.domain.verdict import CriterionScore

__all__ = ["LATIN_LANGUAGES", "ScriptMatch", "base_language", "count_letters_by_script"]

LATIN_LANGUAGES = frozenset({"pt", "en", "es", "fr", "de", "it"})


def _foreign_groups(counts: Counter[str], expected: frozenset[str]) -> Counter[str]:
    """Foreign letters per tag name; CJK scripts pool as 'cjk' when the language uses none of them."""
    pool_cjk = not (expected & CJK_SCRIPTS)
    groups: Counter[str] = Counter()
    for script, n in counts.items():
        if script in expected or n == 0:
            continue
        groups["cjk" if pool_cjk and script in CJK_SCRIPTS else script] += n
    return groups


def _in_group(char: str, group: str) -> bool:
    script = script_of(char)
    return script in CJK_SCRIPTS if group == "cjk" else script == group


@dataclass(frozen=True, slots=True)
class ScriptMatch:
    """Share of letters outside the language's scripts; a dominant foreign script scores 0.0.

    For the Latin-script languages the seed's rules hold: no letters 0.5, more than
    half CJK 0.0, more than 10% non-Latin 0.2, else 1 minus the non-Latin share.
    The same rules apply to every language with a known script; other languages pass.
    """

    language: str = "pt"
    max_non_latin_ratio: float = 0.10
    max_cjk_ratio: float = 0.50
    threshold: float = 0.6
    name: str = "script_match"

    def evaluate(self, transcript: Transcript) -> CriterionScore:
        language = base_language(self.language)
        expected = expected_scripts(language)
        if expected is None:
            return CriterionScore.of(
                1.0, self.threshold, f"No script expectation is known for language '{self.language}'."
            )
        counts = count_letters_by_script(transcript.text, transcript.utf8)
        letters = sum(counts.values())
        if letters == 0:
            return CriterionScore.of(0.5, self.threshold, "The text has no letters at all.", ["no_alphabetic_content"])
        foreign = _foreign_groups(counts, expected)
        foreign_ratio = sum(foreign.values()) / letters
        written_in = " or ".join(sorted(script.title() for script in expected))
        if foreign:
            group, n = foreign.most_common(1)[0]
            if n / letters > self.max_cjk_ratio:
                label = "Chinese, Japanese or Korean" if group == "cjk" else group.title()
                return CriterionScore.of(
                    0.0,
                    self.threshold,
                    f"{n / letters:.0%} of the letters are {label}; '{language}' is written in {written_in} script.",
                    [f"wrong_script:{group}_detected"],
                    evidence=self._where(transcript.text, group),
                )
        if foreign_ratio > self.max_non_latin_ratio:
            scripts = ", ".join(f"{g} {n / letters:.0%}" for g, n in foreign.most_common())
            # Latin-script languages keep the seed's single tag; the rationale names the scripts.
            tags = (
                ["high_non_latin_ratio"]
                if expected == {"latin"}
                else ["high_foreign_script_ratio", *(f"wrong_script:{g}_detected" for g in foreign)]
            )
            return CriterionScore.of(
                0.2,
                self.threshold,
                f"{foreign_ratio:.0%} of the letters are not {written_in} ({scripts}; "
                f"at most {self.max_non_latin_ratio:.0%} expected).",
                tags,
                evidence=self._where(transcript.text, foreign.most_common(1)[0][0]),
            )
        rationale = (
            f"Every letter is {written_in}, as expected."
            if foreign_ratio == 0
            else f"{foreign_ratio:.1%} of the letters are not {written_in}, within tolerance."
        )
        return CriterionScore.of(1.0 - foreign_ratio, self.threshold, rationale)

    @staticmethod
    def _where(text: str, group: str) -> list[Evidence]:
        span = char_span_of(text, lambda char: _in_group(char, group))
        return [] if span is None else [Evidence(char_start=span[0], char_end=span[1])]
