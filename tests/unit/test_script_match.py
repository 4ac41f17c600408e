"""script_match: Latin-script languages; CJK above 50% is 0.0, other non-Latin above 10% is 0.2 (seed)."""

from __future__ import annotations

import random
import unicodedata

import pytest

from arandu.domain.criteria import ScriptMatch
from arandu.domain.scripts import expected_scripts, script_of
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


_CJK = {"han", "kana", "hangul"}


def plain_script_match(
    text: str, expected: set[str] | None
) -> tuple[float, list[str], set[str], list[tuple[int, int]]]:
    """The rule, plainly: each letter's script (`script_of`, what a letter is); the foreign ones grouped by
    script, Chinese, Japanese and Korean pooled as 'cjk' when the language uses none of them. No letters:
    0.5; a group above half the letters: 0.0, tagged with it; foreign letters above a tenth: 0.2, tagged
    high_non_latin_ratio for a Latin-script language, else high_foreign_script_ratio and each group; else
    1 minus the foreign share. Returns the score, its first tag, the set of the others, and, when it scores
    0.0 or 0.2, the spans from the first to the last letter of each group the evidence may name (the
    largest group; all of them when several tie)."""
    if expected is None:
        return 1.0, [], set(), []
    scripts = [script_of(char) for char in text]
    letters = [s for s in scripts if s is not None]
    if not letters:
        return 0.5, ["no_alphabetic_content"], set(), []
    pool = not (expected & _CJK)
    groups = [None if s is None or s in expected else "cjk" if pool and s in _CJK else s for s in scripts]
    sizes = {g: groups.count(g) for g in set(groups) - {None}}
    foreign = sum(sizes.values())
    largest = [g for g, n in sizes.items() if n == max(sizes.values())] if sizes else []
    spans = [(groups.index(g), len(groups) - groups[::-1].index(g)) for g in largest]
    if sizes and max(sizes.values()) / len(letters) > 0.5:
        return 0.0, [f"wrong_script:{largest[0]}_detected"], set(), spans
    if foreign / len(letters) > 0.1:
        if expected == {"latin"}:
            return 0.2, ["high_non_latin_ratio"], set(), spans
        return 0.2, ["high_foreign_script_ratio"], {f"wrong_script:{g}_detected" for g in sizes}, spans
    return round(1 - foreign / len(letters), 4), [], set(), []


# Latin (with a diacritic, the ordinal sign, a full-width letter), Cyrillic, Greek, Han, kana, Hangul, Thai,
# the micro sign (a letter of no named script), digits, punctuation and spaces.
_POOLS = ["aé\u00aa\uff21", "жЖ", "\u03c3\u03a3", "日本", "あア", "한", "ก", "\u00b5", "0123.,!?", "  \n"]


def random_mix(rng: random.Random) -> str:
    """Text drawn from a few pools at random weights, or from one pool with a few letters of others strewn in,
    so each script is absent, a trace, a part or most of it."""
    pools = rng.sample(_POOLS, rng.randint(1, 4))
    if rng.random() < 0.5:
        weights = [rng.choice([1, 1, 3, 10, 40]) for _ in pools]
        return "".join(rng.choice(rng.choices(pools, weights)[0]) for _ in range(rng.randint(0, 80)))
    chars = [rng.choice(pools[0]) for _ in range(rng.randint(1, 80))]
    for _ in range(rng.randint(0, len(chars) // 6)):
        chars.insert(rng.randint(0, len(chars)), rng.choice(rng.choice(pools)))
    return "".join(chars)


@pytest.mark.parametrize("language", ["pt", "ru", "sr", "el", "zh", "ja", "ko", "th", "xx"])
def test_scores_tags_and_spans_follow_the_plain_rule_on_random_mixed_text(language: str) -> None:
    rng = random.Random(language)
    criterion = ScriptMatch(language=language)
    expected = expected_scripts(language)
    for _ in range(400):
        text = random_mix(rng)
        result = criterion.evaluate(Transcript(text))
        score, first_tag, other_tags, spans = plain_script_match(text, None if expected is None else set(expected))
        assert result.score == score, text
        assert result.issues[:1] == first_tag, text
        assert set(result.issues[1:]) == other_tags, text
        found = [(e.char_start, e.char_end) for e in result.evidence or []]
        if spans:  # from the first to the last letter of the group named
            assert len(found) == 1 and found[0] in spans, text
        else:
            assert found == [], text
