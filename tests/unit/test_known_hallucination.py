"""known_hallucination: listed phrases, folded matching, coverage scoring."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from arandu.domain.criteria.known_hallucination import (
    KnownHallucination,
    available_languages,
    load_phrases,
    matcher_for,
)
from arandu.domain.phrases import PhraseMatcher, SourceMap, fold_words
from arandu.domain.text import normalized_words
from arandu.domain.transcript import Segment, SegmentColumns, Transcript
from tests.builders import clean_portuguese, distinct_words

CRITERION = KnownHallucination()

# A clean Portuguese interview, long enough to pass the length gate, where "obrigado"
# and even the sign-off occur once inside normal talk.
INTERVIEW = (
    "Então, eu nasci em Belém e vim para São Paulo com doze anos. Obrigado por perguntar, "
    "é uma história comprida. Meu pai trabalhava no porto e minha mãe costurava para fora. "
    "A gente morava numa casa pequena perto da feira, e todo sábado eu ajudava a vender farinha. "
) * 6 + "Bom, acho que é isso. Obrigado por assistir, e obrigada a todos."


def judge(text: str) -> tuple[float, list[str], bool]:
    score = CRITERION.evaluate(Transcript(text=text))
    return score.score, score.issues, score.passed


def test_every_required_language_has_a_list_with_a_sources_header() -> None:
    from importlib import resources

    shipped = set(available_languages())
    assert {"pt", "en", "es", "fr", "de", "it", "ru", "ja", "zh", "ko"} <= shipped
    for language in shipped:
        text = resources.files("arandu.domain.criteria").joinpath(f"data/hallucinations/{language}.txt").read_text()
        assert "Sources:" in text.split("\n\n")[0] or "# Sources:" in text
        assert load_phrases(language)


@pytest.mark.parametrize("generic", ["so", "you", "thank you", "obrigado", "thanks", "the end", "i don t know"])
def test_generic_words_are_not_listed(generic: str) -> None:
    for language in available_languages():
        assert generic not in {p.lower() for p in load_phrases(language)}


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("Thanks for watching!", "known_hallucination:thanks for watching:1"),
        ("Legendas pela comunidade Amara.org", "known_hallucination:legendas pela comunidade amara org:1"),
        ("Sous-titrage Société Radio-Canada", "known_hallucination:sous titrage société radio canada:1"),
        ("Untertitel im Auftrag des ZDF, 2017", "known_hallucination:untertitel im auftrag des zdf 2017:1"),
        ("Продолжение следует...", "known_hallucination:продолжение следует:1"),
        ("ご視聴ありがとうございました", "known_hallucination:ご視聴ありがとうございました:1"),
        (
            "请不吝点赞 订阅 转发 打赏支持明镜与点点栏目",
            "known_hallucination:请不吝点赞订阅转发打赏支持明镜与点点栏目:1",
        ),
        ("시청해주셔서 감사합니다.", "known_hallucination:시청해주셔서 감사합니다:1"),
        ("  OBRIGADO   por assistir!!! ", "known_hallucination:obrigado por assistir:1"),
    ],
)
def test_a_record_that_is_only_a_known_phrase_scores_zero(text: str, tag: str) -> None:
    score, issues, passed = judge(text)
    assert (score, issues, passed) == (0.0, [tag], False)


def test_chinese_phrase_matches_with_or_without_separators() -> None:
    assert judge("请不吝点赞订阅转发打赏支持明镜与点点栏目")[0] == 0.0
    assert judge("请不吝点赞、订阅、转发、打赏支持明镜与点点栏目。")[0] == 0.0


def test_repeats_are_counted_and_the_longest_phrase_wins() -> None:
    score, issues, passed = judge("Thank you for watching. " * 4 + "Thanks for watching!")
    assert score == 0.0 and not passed
    assert issues == ["known_hallucination:thank you for watching:4", "known_hallucination:thanks for watching:1"]


def test_a_phrase_only_matches_on_word_boundaries() -> None:
    assert judge("xthanks for watchingx is not the phrase")[1] == []


def test_a_clean_long_portuguese_interview_passes() -> None:
    score, issues, passed = judge(INTERVIEW)
    assert passed
    assert score > 0.95
    assert issues == ["known_hallucination:obrigado por assistir:1"]


def test_score_is_one_minus_covered_share_of_letters() -> None:
    text = "thanks for watching " + "word " * 17  # 17 letters of phrase, 68 of other words
    score, _, _ = judge(text)
    assert score == pytest.approx(1 - 17 / (17 + 68), abs=1e-4)


def test_failing_score_locates_each_match_in_the_source_text() -> None:
    text = "Some talk. Thanks for watching! Thanks for watching!"
    result = CRITERION.evaluate(Transcript(text=text))
    assert not result.passed
    assert result.evidence is not None
    spans = [(e.char_start, e.char_end) for e in result.evidence]
    assert [text[a:b] for a, b in spans] == ["Thanks for watching", "Thanks for watching"]


def test_no_match_is_a_clean_pass_without_evidence() -> None:
    result = CRITERION.evaluate(Transcript(text=INTERVIEW.replace("Obrigado por assistir", "Até mais")))
    assert (result.score, result.issues, result.evidence) == (1.0, [], None)
    assert "evidence" not in result.model_dump()


def test_languages_can_be_restricted() -> None:
    only_pt = KnownHallucination(languages=("pt",))
    assert only_pt.evaluate(Transcript(text="Thanks for watching!")).score == 1.0
    assert only_pt.evaluate(Transcript(text="Obrigado por assistir!")).score == 0.0


def test_the_vocabulary_check_never_skips_a_text_that_holds_a_phrase() -> None:
    matcher = matcher_for(None)
    rng = random.Random(5)
    phrases = [p for language in available_languages() for p in load_phrases(language)]
    filler = clean_portuguese().split()
    for _ in range(300):
        words = rng.sample(filler, 40)
        for phrase in rng.sample(phrases, rng.randrange(0, 3)):
            words.insert(rng.randrange(len(words)), phrase)
        transcript = Transcript(" ".join(words))
        found = matcher.find(fold_words(transcript.normalized_words))
        assert matcher.may_occur_in(transcript.word_counts) or not found


def test_the_vocabulary_check_needs_every_word_of_some_phrase() -> None:
    matcher = PhraseMatcher(["legendas pela comunidade amara org"])
    assert not matcher.may_occur_in(Counter(["a", "comunidade", "se", "reuniu"]))  # the longest word alone
    assert not matcher.may_occur_in(Counter(["legendas", "pela", "comunidade"]))
    # Every word present, even out of order: only the scan of the text can tell.
    assert matcher.may_occur_in(Counter(["org", "amara", "comunidade", "pela", "legendas"]))


def test_source_spans_are_the_same_whatever_order_they_are_asked_in() -> None:
    text = "Olá, GENTE! Obrigado por assistir... e até a próxima; obrigado por assistir."
    words = Transcript(text=text).normalized_words
    folded = fold_words(words)
    spans = [(m.start, m.end) for m in PhraseMatcher(["obrigado por assistir", "até a próxima"]).find(folded)]
    assert len(spans) == 3
    forward = SourceMap(text, words)
    in_order = [forward.span(*span) for span in spans]
    backward = SourceMap(text, words)
    reversed_order = [backward.span(*span) for span in reversed(spans)][::-1]
    assert in_order == reversed_order
    assert [text[a:b] for a, b in in_order] == ["Obrigado por assistir", "até a próxima", "obrigado por assistir"]


def _phrase_record(rng: random.Random) -> tuple[Transcript, list[int]]:
    """Speech segments with sign-offs said alone in a segment or amid speech; the segments where a
    sign-off holds at least half the words (the plain rule for a span)."""
    texts, expected = [], []
    filler = distinct_words(400)
    for index in range(rng.randint(20, 60)):
        speech = rng.sample(filler, rng.randint(0, 9))
        if rng.random() < 0.2:
            phrase = rng.choice(["Obrigado por assistir.", "Thanks for watching!", "Untertitel im Auftrag des ZDF"])
            at = rng.randint(0, len(speech))
            words = [*speech[:at], phrase, *speech[at:]]
            if 2 * len(normalized_words(phrase)) >= len(normalized_words(" ".join(words))):
                expected.append(index)
        else:
            words = speech or rng.sample(filler, 5)
        texts.append(" " + " ".join(words))
    segments = [Segment(text, 3.0 * k, 3.0 * k + 2.5) for k, text in enumerate(texts)]
    return Transcript("".join(texts).strip(), None, SegmentColumns.of(segments)), expected


def test_a_sign_off_is_a_suspect_span_with_its_segment_only_when_it_stands_alone() -> None:
    rng = random.Random(12)
    for _ in range(150):
        transcript, expected = _phrase_record(rng)
        spans = CRITERION.evaluate(transcript).spans or []
        assert [span.first_segment for span in spans] == expected
        for span in spans:
            assert span.last_segment == span.first_segment
            index = span.first_segment or 0
            assert (span.start, span.end) == (3.0 * index, 3.0 * index + 2.5)
            assert span.char_start is not None and span.char_end is not None
            said = transcript.text[span.char_start : span.char_end]
            assert said in transcript.columns.text[index]
            assert fold_words(normalized_words(said)).strip() in {
                "obrigado por assistir",
                "thanks for watching",
                "untertitel im auftrag des zdf",
            }
            assert span.criterion == "known_hallucination"


def test_without_segments_a_sign_off_alone_in_its_sentence_is_a_span() -> None:
    talk = " ".join(distinct_words(60))
    alone = CRITERION.evaluate(Transcript(f"{talk}. Obrigado por assistir! {talk}."))
    in_passing = CRITERION.evaluate(Transcript(f"{talk}. Bom, obrigado por assistir e até a próxima semana. {talk}."))
    assert [(s.char_start, s.first_segment) for s in alone.spans or []] == [(len(talk) + 2, None)]
    assert in_passing.spans is None
    assert alone.passed and in_passing.passed  # a small share of a long record: located, not rejected


def test_a_clean_interview_with_a_sign_off_in_passing_has_no_span_and_passes() -> None:
    result = CRITERION.evaluate(Transcript(INTERVIEW))
    assert result.passed
    assert result.spans is None


def _folded_phrases() -> list[list[str]]:
    """Every shipped phrase, as its normalised words."""
    listed = [phrase for language in available_languages() for phrase in load_phrases(language)]
    return [words for phrase in listed if (words := normalized_words(phrase))]


def plain_coverage(words: list[str], phrases: list[list[str]]) -> float:
    """The coverage rule, plainly: the letters of the words lying in at least one occurrence of a listed
    phrase (each word counted once, however many occurrences hold it), over the letters of all the words."""
    covered = [False] * len(words)
    for phrase in phrases:
        for i in range(len(words) - len(phrase) + 1):
            if words[i : i + len(phrase)] == phrase:
                covered[i : i + len(phrase)] = [True] * len(phrase)
    letters = sum(map(len, words))
    return sum(len(word) for word, inside in zip(words, covered, strict=True) if inside) / max(1, letters)


def _overlapping_pairs(phrases: list[list[str]]) -> list[list[str]]:
    """Two listed phrases said as one, the end of the first the start of the second ("deixe seu like" and
    "like and subscribe"): two hits neither of which lies inside the other."""
    return [
        a + b[k:]
        for a in phrases
        for b in phrases
        for k in range(1, min(len(a), len(b)))
        if a is not b and a[-k:] == b[:k]
    ]


def test_the_score_is_one_minus_the_plain_share_of_letters_covered() -> None:
    rng = random.Random(23)
    phrases = _folded_phrases()
    overlapping = _overlapping_pairs(phrases)
    assert overlapping  # the shipped lists hold such pairs
    filler = distinct_words(300)
    for _ in range(300):
        words = rng.sample(filler, rng.randint(0, 30))
        for _ in range(rng.randint(0, 4)):
            said = rng.choice(overlapping) if rng.random() < 0.5 else rng.choice(phrases)
            at = rng.randint(0, len(words))
            words[at:at] = said * rng.randint(1, 2)
        text = " ".join(words)
        expected = round(1 - min(1.0, plain_coverage(normalized_words(text), phrases)), 4)
        assert judge(text)[0] == expected, text


def test_letters_two_overlapping_hits_share_are_covered_once() -> None:
    words = distinct_words(40)
    text = " ".join(words) + " deixe seu like and subscribe"  # "like" is in both phrases' hits
    letters = sum(map(len, words)) + len("deixeseulikeandsubscribe")
    assert judge(text)[0] == round(1 - len("deixeseulikeandsubscribe") / letters, 4)
