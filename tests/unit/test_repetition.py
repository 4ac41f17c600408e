"""repetition: word share above 15%, phrases (3-5 words) seen more than 4 times; score = 1 - worst ratio (seed)."""

from __future__ import annotations

import random

import pytest

from arandu.domain.criteria import Repetition
from arandu.domain.criteria import repetition as repetition_module
from arandu.domain.transcript import Transcript, WordIds
from tests.builders import clean_portuguese, distinct_words, prose

repetition = Repetition()


def evaluate(text: str, criterion: Repetition = repetition) -> tuple[float, bool, list[str]]:
    result = criterion.evaluate(Transcript(text))
    return result.score, result.passed, result.issues


def with_phrase(phrase: str, times: int, fillers: int = 60) -> str:
    """`phrase` `times` times, each occurrence followed by its own run of different filler words."""
    words = distinct_words(fillers)
    chunk = fillers // times
    parts = []
    for i in range(times):
        parts += [phrase, *words[i * chunk : (i + 1) * chunk]]
    parts += words[times * chunk :]
    return " ".join(parts)


def test_obrigada_thirty_times_scores_zero() -> None:
    score, passed, issues = evaluate("Obrigada. " * 30)
    assert score == 0.0
    assert passed is False
    assert "high_word_repetition:obrigada:30" in issues


def test_ordinary_speech_has_no_repetition() -> None:
    assert evaluate(clean_portuguese()) == (1.0, True, [])


def test_case_and_punctuation_do_not_hide_a_repeated_word() -> None:
    text = "Obrigada! obrigada, OBRIGADA. «obrigada» " + prose(12)
    score, _, issues = evaluate(text)
    assert issues[0] == "high_word_repetition:obrigada:4"
    assert score == pytest.approx(1 - 4 / 16, abs=1e-4)


def test_most_common_word_at_exactly_fifteen_percent_is_not_flagged() -> None:
    text = " ".join(["casa"] * 3 + distinct_words(17))  # 3 of 20 = 0.15
    assert evaluate(text) == (1.0, True, [])


def test_most_common_word_just_above_fifteen_percent_is_flagged() -> None:
    text = " ".join(["casa"] * 3 + distinct_words(16))  # 3 of 19 = 0.158
    score, passed, issues = evaluate(text)
    assert issues == ["high_word_repetition:casa:3"]
    assert score == pytest.approx(1 - 3 / 19, abs=1e-4)
    assert passed


def test_a_three_word_phrase_seen_five_times_is_flagged_with_its_coverage() -> None:
    text = with_phrase("eu fui la", 5)  # 15 of 75 words
    score, passed, issues = evaluate(text)
    assert issues == ["repeated_phrase:eu fui la:5"]
    assert score == pytest.approx(1 - 15 / 75, abs=1e-4)
    assert passed


def test_a_three_word_phrase_seen_four_times_is_not_flagged() -> None:
    assert evaluate(with_phrase("eu fui la", 4)) == (1.0, True, [])


@pytest.mark.parametrize("phrase", ["nos fomos ate ali", "e entao ele disse assim"])
def test_four_and_five_word_phrases_seen_five_times_are_flagged_once(phrase: str) -> None:
    size = len(phrase.split())
    score, _, issues = evaluate(with_phrase(phrase, 5))
    # The loop is reported once, at its full length, not again through its 3- or 4-word windows.
    assert issues == [f"repeated_phrase:{phrase}:5"]
    assert score == pytest.approx(1 - 5 * size / (5 * size + 60), abs=1e-4)


@pytest.mark.parametrize("phrase", ["nos fomos ate ali", "e entao ele disse assim"])
def test_four_and_five_word_phrases_seen_four_times_are_not_flagged(phrase: str) -> None:
    assert evaluate(with_phrase(phrase, 4)) == (1.0, True, [])


def test_score_is_one_minus_the_worst_ratio_not_a_count_of_issues() -> None:
    # Two different loops; the score follows the worse one (coverage 24/78), not the number of findings.
    text = with_phrase("ola tudo bem", 8, fillers=30) + " " + with_phrase("ate logo mais", 5, fillers=24)
    score, _, issues = evaluate(text)
    total = len(text.split())
    assert sorted(issues) == ["repeated_phrase:ate logo mais:5", "repeated_phrase:ola tudo bem:8"]
    assert score == pytest.approx(1 - 24 / total, abs=1e-4)


def test_a_phrase_loop_covering_more_than_half_fails() -> None:
    # 60 of 100 words in the loop, while no single word passes 15% (12 of 100).
    text = with_phrase("vamos la pessoal bom dia", 12, fillers=40)
    score, passed, issues = evaluate(text)
    assert issues == ["repeated_phrase:vamos la pessoal bom dia:12"]
    assert score == pytest.approx(0.4, abs=1e-4)
    assert passed is False


def test_overlapping_occurrences_are_covered_once() -> None:
    # "a b a b a b ..." : every 3-gram "x y x" overlaps the next one; the words are not counted twice.
    text = " ".join(["sim", "nao"] * 10) + " " + prose(40)
    score, _, issues = evaluate(text)
    assert 0.0 <= score <= 1.0
    assert score == pytest.approx(1 - 20 / 60, abs=1e-4)
    assert any(issue.startswith("repeated_phrase:") for issue in issues)


@pytest.mark.parametrize("text", ["", "sim", "sim sim sim sim", "Obrigada. Obrigada. Obrigada. Obrigada."])
def test_fewer_than_five_words_is_neutral(text: str) -> None:
    assert evaluate(text) == (0.7, True, ["very_short_transcription"])


def test_five_words_are_judged() -> None:
    assert "very_short_transcription" not in evaluate("uma duas tres quatro cinco")[2]
    score, _, issues = evaluate("sim sim sim sim sim")
    assert score == 0.0 and "high_word_repetition:sim:5" in issues


def test_a_word_seen_once_is_never_a_repetition() -> None:
    # In a short text every word is a large share; a word that occurs once is not repeated.
    assert evaluate("uma duas tres quatro cinco") == (1.0, True, [])
    assert evaluate("sim sim dois tres quatro cinco")[2] == ["high_word_repetition:sim:2"]


def test_threshold_is_half() -> None:
    assert repetition.threshold == 0.5


def test_knobs_are_fields() -> None:
    assert evaluate(with_phrase("eu fui la", 4), Repetition(max_phrase_repetition_count=3))[2] == [
        "repeated_phrase:eu fui la:4"
    ]
    text = " ".join(["casa"] * 3 + distinct_words(16))
    assert evaluate(text, Repetition(max_word_repetition_ratio=0.2)) == (1.0, True, [])


def reference_loops(words: list[str], sizes: tuple[int, ...], limit: int) -> dict[tuple[str, ...], list[int]]:
    """Every phrase of every size counted by brute force: what the fast search must find."""
    starts: dict[tuple[str, ...], list[int]] = {}
    for size in sizes:
        for i in range(len(words) - size + 1):
            starts.setdefault(tuple(words[i : i + size]), []).append(i)
    return {phrase: where for phrase, where in starts.items() if len(where) > limit}


def found_loops(words: list[str], sizes: tuple[int, ...], limit: int) -> dict[tuple[str, ...], list[int]]:
    loops = repetition_module._loops(words, WordIds.of(words), sizes, limit)
    return {loop.phrase: loop.starts.tolist() for loop in loops}


def looping_texts() -> list[list[str]]:
    rng = random.Random(11)
    texts = []
    for vocabulary in (3, 6, 20, 300):
        words = distinct_words(vocabulary)
        texts.append([rng.choice(words) for _ in range(rng.randrange(5, 400))])
    texts.append(("a b c d e " * 9).split() + distinct_words(30))  # one loop with every window of it
    texts.append(["obrigada"] * 30)
    return texts


@pytest.mark.parametrize("sizes", [(3, 4, 5), (3, 5), (2, 3)])
@pytest.mark.parametrize("limit", [0, 1, 4])
def test_the_fast_phrase_search_finds_exactly_what_brute_force_counts(sizes: tuple[int, ...], limit: int) -> None:
    for words in looping_texts():
        assert found_loops(words, sizes, limit) == reference_loops(words, sizes, limit)


def test_each_loop_covers_the_words_its_occurrences_span_once() -> None:
    for words in looping_texts():
        for loop in repetition_module._loops(words, WordIds.of(words), (3, 4, 5), 1):
            spanned = {i for start in loop.starts.tolist() for i in range(start, start + loop.size)}
            assert loop.covered == len(spanned)


def test_phrase_codes_too_large_for_64_bits_are_renumbered_without_changing_a_count(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A tiny limit forces the renumbering a huge vocabulary would need before every multiplication.
    monkeypatch.setattr(repetition_module, "_CODE_LIMIT", 8)
    for words in looping_texts():
        assert found_loops(words, (3, 4, 5), 4) == reference_loops(words, (3, 4, 5), 4)
