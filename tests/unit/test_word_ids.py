"""Word ids: one integer per normalised word, equal exactly when the words are."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pytest

from arandu.domain.criteria import Repetition
from arandu.domain.transcript import Transcript, WordIds
from tests.builders import distinct_words


def test_ids_are_equal_exactly_when_the_words_are() -> None:
    rng = random.Random(3)
    vocabulary = distinct_words(40)
    words = [rng.choice(vocabulary) for _ in range(500)]
    table = WordIds.of(words)
    ids = table.ids.tolist()
    for i in range(0, 500, 7):
        for j in range(0, 500, 11):
            assert (ids[i] == ids[j]) == (words[i] == words[j])


def test_vocabulary_numbers_words_in_order_of_first_appearance_and_counts_them() -> None:
    words = ["b", "a", "b", "c", "a", "b"]
    table = WordIds.of(words)
    assert list(table.vocabulary.items()) == [("b", 0), ("a", 1), ("c", 2)]
    assert table.counts.tolist() == [3, 2, 1]
    assert [table.word(i) for i in range(3)] == ["b", "a", "c"]


@pytest.mark.parametrize("words", [["só"], ["a", "a"], ["a", "b"]])
def test_one_or_two_words_get_ids_like_any_other_text(words: list[str]) -> None:
    table = WordIds.of(words)
    assert table.ids.dtype == np.int64
    assert table.ids.tolist() == [list(dict.fromkeys(words)).index(w) for w in words]
    assert table.counts.tolist() == [words.count(w) for w in dict.fromkeys(words)]


def test_no_words_give_empty_tables() -> None:
    table = WordIds.of([])
    assert len(table.ids) == len(table.counts) == 0
    assert table.vocabulary == {}


def test_word_counts_agree_with_counting_the_words() -> None:
    transcript = Transcript(text="Tchau, tchau! Obrigada. TCHAU obrigada e tchau")
    assert transcript.word_counts == Counter(transcript.normalized_words)
    assert list(transcript.vocabulary) == ["tchau", "obrigada", "e"]
    # The vocabulary is a plain lookup afterwards: asking for an unknown word does not add it.
    with pytest.raises(KeyError):
        transcript.vocabulary["nunca"]
    assert len(transcript.vocabulary) == 3


def test_the_flooding_word_reported_is_the_first_seen_of_the_most_frequent() -> None:
    # 'zuzur' and 'babar' are both 10 of 40 words (25%); 'zuzur' comes first in the text.
    filler = distinct_words(20, offset=100)
    words = ["zuzur", "babar"] * 10 + filler
    score = Repetition().evaluate(Transcript(text=" ".join(words)))
    assert "high_word_repetition:zuzur:10" in score.issues
