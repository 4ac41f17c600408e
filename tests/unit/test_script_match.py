"""script_match: Latin-script languages; CJK above 50% is 0.0, other non-Latin above 10% is 0.2 (seed)."""

from __future__ import annotations

import unicodedata

import pytest

from arandu.domain.criteria import ScriptMatch
from arandu.domain.transcript import Transcript
from tests.builders import clean_portuguese

pt = ScriptMatch(language="pt")


def letters(latin: int, other: int, other_char: str) -> str:
    """A text of `latin` Latin letters and `other` letters of another script, with spaces and digits."""
    return " ".join(["a" * latin, other_char * other, "123 456 !?"])


def evaluate(text: str, criterion: ScriptMatch = pt) -> tuple[float, bool, list[str]]:
    result = criterion.evaluate(Transcript(text))
    return result.score, result.passed, result.issues


def test_all_latin_scores_one() -> None:
    assert evaluate(clean_portuguese()) == (1.0, True, [])
    assert evaluate("The quick brown fox jumps over the lazy dog") == (1.0, True, [])


@pytest.mark.parametrize(
    "text",
    [
        "ação coração pão você avó irmã órgão põe à às é ü Ç",
        unicodedata.normalize("NFD", "ação coração pão você avó irmã órgão põe"),  # combining marks
        "ǎ ǒ ǐ ǔ ȁ ȅ ɐ",  # Latin Extended-B and IPA extensions
        "\uff26\uff55\uff4c\uff4c\uff57\uff49\uff44\uff54\uff48",  # fullwidth Latin
    ],
)
def test_diacritics_combining_marks_and_extended_latin_count_as_latin(text: str) -> None:
    assert evaluate(text) == (1.0, True, [])


def test_portuguese_ordinal_indicators_are_latin() -> None:
    # ª and º are Script=Latin in Unicode although their names do not say LATIN.
    assert evaluate("Ele chegou em 1º lugar pela 2ª vez, no 3º ano.") == (1.0, True, [])


def test_cjk_just_over_half_is_definitively_wrong() -> None:
    score, passed, issues = evaluate(letters(49, 51, "語"))
    assert (score, passed, issues) == (0.0, False, ["wrong_script:cjk_detected"])


@pytest.mark.parametrize("char", ["語", "ひ", "カ", "한"])  # Han, Hiragana, Katakana, Hangul
def test_every_cjk_script_counts(char: str) -> None:
    assert evaluate(letters(10, 90, char))[2] == ["wrong_script:cjk_detected"]


def test_cjk_exactly_half_is_not_the_cjk_verdict_but_is_still_too_much_non_latin() -> None:
    score, passed, issues = evaluate(letters(50, 50, "語"))
    assert "wrong_script:cjk_detected" not in issues
    assert (score, passed, issues) == (0.2, False, ["high_non_latin_ratio"])


def test_japanese_whisper_outro_for_portuguese_audio() -> None:
    assert evaluate("ご視聴ありがとうございました 次回もお楽しみに")[:2] == (0.0, False)


@pytest.mark.parametrize("char", ["Д", "\u03b1", "ش", "א"])  # Cyrillic, Greek, Arabic, Hebrew
def test_non_latin_just_over_ten_percent_scores_point_two(char: str) -> None:
    assert evaluate(letters(89, 11, char)) == (0.2, False, ["high_non_latin_ratio"])


def test_non_latin_exactly_ten_percent_is_tolerated() -> None:
    score, passed, issues = evaluate(letters(90, 10, "Д"))
    assert issues == []
    assert passed
    assert score == pytest.approx(0.9)  # partial non-Latin lowers the score without failing


def test_a_little_cjk_within_tolerance_is_not_flagged() -> None:
    score, passed, issues = evaluate(letters(95, 5, "語"))
    assert issues == [] and passed and score == pytest.approx(0.95)


@pytest.mark.parametrize("text", ["", "   ", "123 456 7.89 !!! ... -- ?", "♪ ♫ 🎵 ♪"])
def test_no_letters_is_neutral(text: str) -> None:
    score, passed, issues = evaluate(text)
    assert score == 0.5
    assert issues == ["no_alphabetic_content"]
    assert passed is False  # 0.5 is below the 0.6 threshold of SPEC.md


def test_digits_and_punctuation_are_not_letters() -> None:
    assert evaluate("日 " + "1234567890 " * 50 + "a") == (0.2, False, ["high_non_latin_ratio"])


@pytest.mark.parametrize("language", ["pt", "pt-BR", "pt_BR", "PT-br", "en", "es", "fr", "de", "it", "en-US"])
def test_latin_languages_and_their_regional_variants_get_latin_rules(language: str) -> None:
    criterion = ScriptMatch(language=language)
    assert evaluate(letters(10, 90, "語"), criterion)[0] == 0.0
    assert evaluate(clean_portuguese(), criterion)[0] == 1.0


def test_threshold_is_point_six() -> None:
    assert pt.threshold == 0.6
    assert pt.evaluate(Transcript("abc")).threshold == 0.6


def test_knobs_are_fields() -> None:
    lenient = ScriptMatch(language="pt", max_non_latin_ratio=0.3)
    score, passed, issues = evaluate(letters(80, 20, "Д"), lenient)
    assert issues == [] and passed and score == pytest.approx(0.8)
