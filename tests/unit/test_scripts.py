"""script_match for every script, and script-aware word counting."""

from __future__ import annotations

import math
import random
import string
from collections import Counter
from fractions import Fraction

import pytest

from arandu.domain.criteria import default_heuristic_criteria
from arandu.domain.criteria.content_length_floor import ContentLengthFloor
from arandu.domain.criteria.script_match import ScriptMatch
from arandu.domain.pipeline import judge_heuristics
from arandu.domain.scripts import count_letters_by_script, expected_scripts, script_of
from arandu.domain.text import _CJK_PUNCTUATION as CJK_PUNCTUATION
from arandu.domain.text import _UNICODE_PUNCTUATION as UNICODE_PUNCTUATION
from arandu.domain.text import count_words, normalized_words
from arandu.domain.transcript import Transcript

RUSSIAN = "Привет, как дела? Сегодня мы поговорим о погоде и о новостях. " * 4
GREEK = "Καλημέρα σας, σήμερα θα μιλήσουμε για τον καιρό. " * 4
ARABIC = "مرحبا بكم في هذا البرنامج اليوم نتحدث عن الطقس " * 4
HEBREW = "שלום לכולם היום נדבר על מזג האוויר " * 4
HINDI = "नमस्ते आज हम मौसम के बारे में बात करेंगे " * 4
THAI = "สวัสดีครับวันนี้เราจะคุยกันเรื่องอากาศ " * 4
KOREAN = "안녕하세요 오늘은 날씨에 대해 이야기하겠습니다 " * 4
CHINESE = "大家好，今天我们来谈谈天气和最近的新闻。" * 4
JAPANESE = "皆さんこんにちは、今日は天気について話しましょう。" * 4


def check(language: str, text: str) -> tuple[float, list[str]]:
    result = ScriptMatch(language=language).evaluate(Transcript(text=text))
    return result.score, result.issues


@pytest.mark.parametrize(
    ("char", "script"),
    [
        ("a", "latin"),
        ("é", "latin"),
        ("Ж", "cyrillic"),
        ("Ω", "greek"),
        ("ع", "arabic"),
        ("ש", "hebrew"),
        ("क", "devanagari"),
        ("ก", "thai"),
        ("中", "han"),
        ("あ", "kana"),
        ("ア", "kana"),
        ("한", "hangul"),
        ("1", None),
        (" ", None),
    ],
)
def test_script_of(char: str, script: str | None) -> None:
    assert script_of(char) == script


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ru", RUSSIAN),
        ("el", GREEK),
        ("ar", ARABIC),
        ("he", HEBREW),
        ("hi", HINDI),
        ("th", THAI),
        ("ko", KOREAN),
        ("zh", CHINESE),
        ("ja", JAPANESE),
        ("pt-BR", "Olá, tudo bem?"),
        ("sr", "Здраво, zdravo"),
    ],
)
def test_text_in_its_own_script_passes(language: str, text: str) -> None:
    assert check(language, text) == (1.0, [])


@pytest.mark.parametrize(
    ("language", "text", "tag"),
    [
        ("fr", RUSSIAN, "wrong_script:cyrillic_detected"),
        ("pt", CHINESE, "wrong_script:cjk_detected"),
        ("en", KOREAN, "wrong_script:cjk_detected"),
        ("de", GREEK, "wrong_script:greek_detected"),
        ("es", ARABIC, "wrong_script:arabic_detected"),
        ("ru", "Hello, how are you doing today, my friend?", "wrong_script:latin_detected"),
        ("ko", JAPANESE, "wrong_script:kana_detected"),
        ("ja", KOREAN, "wrong_script:hangul_detected"),
        ("zh", THAI, "wrong_script:thai_detected"),
        ("hi", HEBREW, "wrong_script:hebrew_detected"),
    ],
)
def test_a_dominant_foreign_script_scores_zero_with_its_own_tag(language: str, text: str, tag: str) -> None:
    assert check(language, text) == (0.0, [tag])


def test_a_minority_foreign_script_above_ten_percent_scores_point_two() -> None:
    text = "a" * 80 + "Ж" * 20
    assert check("pt", text) == (0.2, ["high_non_latin_ratio"])
    assert check("ru", "Ж" * 80 + "a" * 20) == (0.2, ["high_foreign_script_ratio", "wrong_script:latin_detected"])


def test_seed_boundaries_for_latin_languages_hold() -> None:
    assert check("pt", "12345 !!!") == (0.5, ["no_alphabetic_content"])
    assert check("pt", "a" * 90 + "Ж" * 10) == (0.9, [])
    assert check("pt", "a" * 50 + "中" * 50) == (0.2, ["high_non_latin_ratio"])
    assert check("pt", "a" * 49 + "中" * 51) == (0.0, ["wrong_script:cjk_detected"])
    assert check("xx", RUSSIAN) == (1.0, [])


def test_failing_script_match_locates_the_foreign_letters() -> None:
    text = "Bonjour à tous. Привет"
    result = ScriptMatch(language="fr").evaluate(Transcript(text="Bonjour. " + RUSSIAN))
    assert result.evidence is not None and result.evidence[0].char_start == len("Bonjour. ")
    assert ScriptMatch(language="fr").evaluate(Transcript(text=text)).evidence is not None


def test_expected_scripts_table() -> None:
    assert expected_scripts("pt_BR") == {"latin"}
    assert expected_scripts("ja") == {"han", "kana"}
    assert expected_scripts("klingon") is None
    assert expected_scripts("Japanese") == {"han", "kana"}


def test_word_count_is_unchanged_for_spaced_text() -> None:
    text = "Olá - tudo bem? Sim, tudo   ótimo."
    assert count_words(text) == len(normalized_words(text)) == 6


@pytest.mark.parametrize(("text", "low", "high"), [(CHINESE, 40, 70), (JAPANESE, 60, 100), (THAI, 30, 50)])
def test_unspaced_scripts_count_the_words_they_hold(text: str, low: int, high: int) -> None:
    assert len(text.split()) <= 4
    assert low <= count_words(text) <= high
    assert Transcript(text=text).word_count == count_words(text)


def test_chinese_transcript_is_not_too_few_words() -> None:
    text = CHINESE * 3  # 240 characters, no spaces
    assert ContentLengthFloor().evaluate(Transcript(text=text)).passed
    verdict = judge_heuristics(default_heuristic_criteria("zh"), Transcript(text=text, duration_ms=60_000))
    assert "content_length_floor" not in verdict.failing_criteria


def test_han_characters_are_separate_words_for_repetition() -> None:
    assert normalized_words("谢谢谢谢 ok") == ["谢", "谢", "谢", "谢", "ok"]


def reference_words(text: str) -> list[str]:
    """The rule stated plainly: every listed punctuation mark a space, lower case, split on whitespace."""
    for mark in string.punctuation + UNICODE_PUNCTUATION:
        text = text.replace(mark, " ")
    return text.lower().split()


@pytest.mark.parametrize("seed", range(20))
def test_words_follow_the_plain_rule_whether_the_text_is_all_latin_1_or_not(seed: int) -> None:
    rng = random.Random(seed)
    # Every Latin-1 character, the Unicode marks, and a few letters beyond Latin-1 (Cyrillic, Greek, Turkish).
    alphabet = [chr(c) for c in range(256)] + list(UNICODE_PUNCTUATION) + list("ЖжΣσİĞş") + [" "] * 40
    latin = "".join(rng.choice(alphabet[:256] + [" "] * 40) for _ in range(400))
    mixed = "".join(rng.choice(alphabet) for _ in range(400))
    assert normalized_words(latin) == reference_words(latin)
    assert normalized_words(mixed) == reference_words(mixed)


# The blocks of the scripts written without spaces: Han and kana, each character a word...
_HAN_KANA_BLOCKS = ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
# ...and Thai, Lao, Myanmar and Khmer, each run a word.
_RUN_BLOCKS = ((0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF))


def _in(blocks: tuple[tuple[int, int], ...], char: str) -> bool:
    return any(low <= ord(char) <= high for low, high in blocks)


def reference_words_unspaced(text: str) -> list[str]:
    """The rule for any script, plainly, walked character by character: white space and each listed mark
    end a word (the Chinese and Japanese full stops, commas, brackets and full-width marks only in a text
    that holds letters written without spaces); each Han or kana character is a word of its own, and each
    run of Thai, Lao, Myanmar or Khmer characters is a word apart from the letters beside it; lower case."""
    unspaced = any(_in(_HAN_KANA_BLOCKS, c) or _in(_RUN_BLOCKS, c) for c in text)
    marks = set(string.punctuation + UNICODE_PUNCTUATION + (CJK_PUNCTUATION if unspaced else ""))
    words: list[str] = []
    current, in_run = "", False
    for char in text:
        if char in marks or char.isspace() or _in(_HAN_KANA_BLOCKS, char) or in_run != _in(_RUN_BLOCKS, char):
            words.append(current)
            current = ""
        if _in(_HAN_KANA_BLOCKS, char) and char not in marks:
            words.append(char)
        elif not (char in marks or char.isspace()):
            current += char
            in_run = _in(_RUN_BLOCKS, char)
    words.append(current)
    return " ".join(words).lower().split()


@pytest.mark.parametrize("seed", range(20))
def test_words_in_scripts_written_without_spaces_follow_the_plain_rule(seed: int) -> None:
    rng = random.Random(seed)
    # Latin, Cyrillic and Greek; Han, kana, the prolonged sound mark and the katakana middle dot (a mark);
    # Thai, Myanmar and Khmer; Hangul (written with spaces); the marks of every list; kinds of white space.
    letters = list("aBçЖжΣσ日本語あアーヴ・กขฯကកខ한") + list(CJK_PUNCTUATION) + list(UNICODE_PUNCTUATION)
    alphabet = letters + list(string.punctuation) + [" "] * 20 + ["\u3000", "\n", "\u00a0"]
    for _ in range(20):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        assert normalized_words(text) == reference_words_unspaced(text), text
        assert normalized_words(text, text.encode("utf-8")) == reference_words_unspaced(text), text
    # Without letters written without spaces, the full-width marks stay in the words they touch.
    assert normalized_words("Привет，мир") == ["привет，мир"]


def reference_word_count(text: str) -> int:
    """Counting plainly, in exact fractions: each word of the plain rule above counts one, but a Han or kana
    character counts 1/1.5 of a word and a Thai, Lao, Myanmar or Khmer run 1/4 a letter; the total rounded up."""
    total = Fraction(0)
    for word in reference_words_unspaced(text):
        if _in(_HAN_KANA_BLOCKS, word[0]):
            total += Fraction(2, 3)
        elif _in(_RUN_BLOCKS, word[0]):
            total += Fraction(len(word), 4)
        else:
            total += 1
    return math.ceil(total)


@pytest.mark.parametrize("seed", range(20))
def test_word_counts_in_scripts_written_without_spaces_follow_the_plain_rule(seed: int) -> None:
    rng = random.Random(seed)
    alphabet = list("ab日本あアー・กขကក。") + [" "] * 8
    for _ in range(200):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        assert count_words(text) == reference_word_count(text), text


def test_a_whole_number_of_words_is_not_rounded_up_past_itself() -> None:
    """Six kana in six runs make four words, and four Thai runs of one letter one word: adding thirds and
    quarters one run at a time must not leave the sum a hair above them."""
    assert count_words("ア ア ア ア ア ア") == 4
    assert count_words("ก ข ก ข") == 1
    assert count_words("アbข က ข あ日กア ア กกกアက") == 7  # b, 6 kana (4), 8 Thai and Myanmar letters (2)


def test_the_katakana_middle_dot_is_a_mark_not_a_letter() -> None:
    assert normalized_words("ドナルド・トランプ") == list("ドナルドトランプ")
    assert count_words("ドナルド・トランプ") == count_words("ドナルドトランプ") == 6  # 8 kana / 1.5, rounded up


def reference_counts(text: str) -> Counter[str]:
    """The count stated plainly: each character's script, letters only, Latin always listed."""
    counts: Counter[str] = Counter(latin=0)
    counts.update(script for script in map(script_of, text) if script is not None)
    return counts


@pytest.mark.parametrize("seed", range(20))
def test_letters_per_script_follow_the_plain_count_whether_the_text_is_all_latin_1_or_not(seed: int) -> None:
    rng = random.Random(seed)
    # Every Latin-1 character (the micro sign among them, a letter but not a Latin one) and some beyond.
    alphabet = [chr(c) for c in range(256)] + list("ЖжΣσİĞş日本語") + [" "] * 40
    latin = "".join(rng.choice(alphabet[:256] + [" "] * 40) for _ in range(400))
    mixed = "".join(rng.choice(alphabet) for _ in range(400))
    for text in (latin, mixed, "5 \u00b5m", ""):
        # As plain dicts, so that the keys must match too (Counter equality ignores zero counts).
        assert dict(count_letters_by_script(text)) == dict(reference_counts(text))
