"""PhraseMatcher: the automaton's hits and the vocabulary check, against the plain rules written here."""

from __future__ import annotations

import random
from collections import Counter

from arandu.domain.phrases import Match, PhraseMatcher, fold_phrase, fold_words
from arandu.domain.text import normalized_words

# Words that are prefixes and suffixes of one another ("a", "ab", "ba"), so a phrase found inside a
# longer word is a mistake the comparison can see; two Han characters, each a word of its own.
_VOCABULARY = ["a", "b", "c", "ab", "ba", "abc", "d", "日", "本"]


def plain_find(phrases: list[str], folded: str) -> list[tuple[str, int, int]]:
    """The matching rule, plainly: every occurrence of every phrase (folded like the text, so with a space
    each side) anywhere in the folded text, found by str.find from each position; an occurrence lying
    inside another (same or longer span holding it) is dropped, overlapping ones are both kept; by start.
    (phrase, start, end) with start and end the phrase's own letters, its padding spaces left out."""
    keys = {key for key in map(fold_phrase, phrases) if key}
    hits = []
    for key in keys:
        at = folded.find(key)
        while at >= 0:
            hits.append((key[1:-1], at + 1, at + len(key) - 1))
            at = folded.find(key, at + 1)
    kept = [hit for hit in hits if not any(o != hit and o[1] <= hit[1] and hit[2] <= o[2] for o in hits)]
    return sorted(kept, key=lambda hit: hit[1])


def plain_may_occur_in(phrases: list[str], vocabulary: set[str]) -> bool:
    """The vocabulary rule, plainly: some phrase has every one of its (folded) words in the vocabulary."""
    return any(key and set(key.split()) <= vocabulary for key in map(fold_phrase, phrases))


def random_phrases(rng: random.Random) -> list[str]:
    """Random phrases, with others made from them: prefixes, suffixes and middles (contained hits), a
    phrase's end followed by more words (overlapping hits), words said twice; some written with capitals
    and punctuation, or with no letters at all."""
    phrases = [" ".join(rng.choice(_VOCABULARY) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(0, 5))]
    for _ in range(rng.randint(0, 4)):
        if not phrases:
            break
        words = rng.choice(phrases).split()
        i = rng.randrange(len(words))
        j = rng.randint(i + 1, len(words))
        derived = {
            0: words[i:j],  # a part of another phrase
            1: words[i:] + [rng.choice(_VOCABULARY) for _ in range(rng.randint(1, 2))],  # overlapping its end
            2: words + words,  # the phrase twice, overlapping itself when said three times
        }[rng.randrange(3)]
        phrases.append(" ".join(derived))
    written = [phrase.upper() + "!" if rng.random() < 0.2 else phrase for phrase in phrases]
    return written + rng.choice([[], [""], ["!?"], ["..., "]])


def random_words(rng: random.Random, phrases: list[str]) -> list[str]:
    """A text's normalised words: vocabulary words with some of the phrases spliced in, now and then twice in a row."""
    words = [rng.choice(_VOCABULARY) for _ in range(rng.randint(0, 30))]
    for _ in range(rng.randint(0, 4)):
        if phrases:
            phrase = normalized_words(rng.choice(phrases)) * rng.randint(1, 3)
            at = rng.randint(0, len(words))
            words[at:at] = phrase
    return words


def found(matcher: PhraseMatcher, folded: str) -> list[tuple[str, int, int]]:
    return [(m.phrase, m.start, m.end) for m in matcher.find(folded)]


def test_the_automaton_finds_what_the_plain_search_finds_on_random_texts() -> None:
    rng = random.Random(18)
    for _ in range(2000):
        phrases = random_phrases(rng)
        folded = fold_words(random_words(rng, phrases))
        assert found(PhraseMatcher(phrases), folded) == plain_find(phrases, folded), (phrases, folded)


def test_the_vocabulary_check_is_the_plain_rule_on_random_vocabularies() -> None:
    """Vocabularies smaller and larger than the number of phrases, as a set and as counts (as a transcript has)."""
    rng = random.Random(19)
    for _ in range(2000):
        phrases = random_phrases(rng)
        vocabulary = set(rng.sample(_VOCABULARY, rng.randint(0, len(_VOCABULARY))))
        matcher = PhraseMatcher(phrases)
        expected = plain_may_occur_in(phrases, vocabulary)
        assert matcher.may_occur_in(vocabulary) == expected, (phrases, vocabulary)
        assert matcher.may_occur_in(Counter({word: rng.randint(1, 3) for word in vocabulary})) == expected


def test_a_text_the_vocabulary_check_rules_out_holds_no_phrase() -> None:
    rng = random.Random(20)
    for _ in range(1000):
        phrases = random_phrases(rng)
        words = random_words(rng, phrases)
        matcher = PhraseMatcher(phrases)
        assert matcher.may_occur_in(set(words)) or not matcher.find(fold_words(words))


def test_crafted_hits_inside_beside_and_across_one_another() -> None:
    matcher = PhraseMatcher(["b c", "a b c", "c d", "x", "x x"])
    # "b c" lies inside "a b c" (dropped); "c d" overlaps it without being inside (kept).
    assert found(matcher, " a b c d ") == [("a b c", 1, 6), ("c d", 5, 8)]
    # A phrase said three times in a row overlaps itself: each occurrence is kept, none inside another.
    assert found(matcher, " x x x ") == [("x x", 1, 4), ("x x", 3, 6)]
    # Words are never split: "ab c" holds no "b c".
    assert found(matcher, " ab c ") == []


def test_phrases_are_folded_and_an_empty_list_finds_nothing() -> None:
    matcher = PhraseMatcher(["Thanks, for WATCHING!", "...", ""])
    assert len(matcher) == 1
    assert matcher.find(fold_words(normalized_words("and thanks for watching."))) == [
        Match("thanks for watching", 5, 24)
    ]
    empty = PhraseMatcher(["!!!"])
    assert empty.find(" a b ") == [] and not empty.may_occur_in({"a"})
