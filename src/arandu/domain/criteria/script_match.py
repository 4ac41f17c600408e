"""script_match: letters in a script the language is not written in mean a wrong-language transcript."""

from __future__ import annotations

import re
import string
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from arandu.domain.transcript import Transcript
from arandu.domain.verdict import CriterionScore

LATIN_LANGUAGES = frozenset({"pt", "en", "es", "fr", "de", "it"})

_ASCII_LETTERS = string.ascii_letters.encode()
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_CJK_NAMES = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL")
# Script=Latin in Unicode though their names do not say so; Portuguese writes them daily (1º, 2ª).
_LATIN_WITHOUT_THE_NAME = frozenset("\u00aa\u00ba")


@lru_cache(maxsize=4096)
def _script_of(char: str) -> str | None:
    """'latin', 'cjk', 'other', or None for a character that is not a letter."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    if "LATIN" in name or char in _LATIN_WITHOUT_THE_NAME:
        return "latin"
    if any(marker in name for marker in _CJK_NAMES):
        return "cjk"
    return "other"


def count_letters_by_script(text: str, encoded: bytes | None = None) -> Counter[str]:
    """Letters of `text` counted as latin, cjk or other; `encoded` may pass its UTF-8 bytes."""
    encoded = encoded or text.encode("utf-8")
    # Bytes of multi-byte characters are all >= 0x80, so deleting ASCII letters counts exactly them.
    counts: Counter[str] = Counter(latin=len(encoded) - len(encoded.translate(None, _ASCII_LETTERS)))
    if not text.isascii():
        for char, n in Counter(_NON_ASCII.findall(text)).items():
            script = _script_of(char)
            if script is not None:
                counts[script] += n
    return counts


def base_language(language: str) -> str:
    """'pt-BR' and 'pt_PT' are judged as 'pt'."""
    return language.replace("_", "-").split("-")[0].lower()


@dataclass(frozen=True, slots=True)
class ScriptMatch:
    """Share of letters outside the expected script, with CJK as the definitive signal."""

    language: str = "pt"
    max_non_latin_ratio: float = 0.10
    max_cjk_ratio: float = 0.50
    threshold: float = 0.6
    name: str = "script_match"

    def evaluate(self, transcript: Transcript) -> CriterionScore:
        language = base_language(self.language)
        if language not in LATIN_LANGUAGES:
            return CriterionScore.of(
                1.0, self.threshold, f"No script expectation is known for language '{self.language}'."
            )
        counts = count_letters_by_script(transcript.text, transcript.utf8)
        letters = sum(counts.values())
        if letters == 0:
            return CriterionScore.of(0.5, self.threshold, "The text has no letters at all.", ["no_alphabetic_content"])
        cjk_ratio = counts["cjk"] / letters
        non_latin_ratio = (letters - counts["latin"]) / letters
        if cjk_ratio > self.max_cjk_ratio:
            return CriterionScore.of(
                0.0,
                self.threshold,
                f"{cjk_ratio:.0%} of the letters are Chinese, Japanese or Korean; "
                f"'{language}' is written in Latin script.",
                ["wrong_script:cjk_detected"],
            )
        if non_latin_ratio > self.max_non_latin_ratio:
            return CriterionScore.of(
                0.2,
                self.threshold,
                f"{non_latin_ratio:.0%} of the letters are not Latin "
                f"(at most {self.max_non_latin_ratio:.0%} expected).",
                ["high_non_latin_ratio"],
            )
        rationale = (
            "Every letter is Latin, as expected."
            if non_latin_ratio == 0
            else f"{non_latin_ratio:.1%} of the letters are not Latin, within tolerance."
        )
        return CriterionScore.of(1.0 - non_latin_ratio, self.threshold, rationale)
