"""find_loops and the loop criterion: every unit, one word to whole segments, repeated back to back; checked
against the plain rules written here."""

from __future__ import annotations

import random

import numpy as np
import pytest

from arandu.domain import loops as loops_module
from arandu.domain.criteria import Loop as LoopCriterion
from arandu.domain.criteria import loop as loop_criterion_module
from arandu.domain.loops import Loop, candidate_periods, find_loops
from arandu.domain.text import normalized_words
from arandu.domain.transcript import Segment, SegmentColumns, Transcript, WordIds
from tests.builders import distinct_words

ANCHOR = 3  # the phrase length the fast finder anchors distances on


def ids_of(words: list[str]) -> np.ndarray:
    return WordIds.of(words).ids


def plain_candidates(ids: list[int], min_repeats: int) -> list[int]:
    """The candidate rule, plainly: period p is looked at when the 3-word phrases whose last earlier
    occurrence is exactly p words back number at least half of what a loop of `min_repeats` units holds."""
    if len(ids) < ANCHOR + 1:
        return [1] if len(ids) >= min_repeats else []
    last_seen: dict[tuple[int, ...], int] = {}
    at_distance: dict[int, int] = {}
    for i in range(len(ids) - ANCHOR + 1):
        phrase = tuple(ids[i : i + ANCHOR])
        if phrase in last_seen:
            distance = i - last_seen[phrase]
            at_distance[distance] = at_distance.get(distance, 0) + 1
        last_seen[phrase] = i
    return sorted(p for p, n in at_distance.items() if 2 * n >= max(1, (min_repeats - 1) * p - (ANCHOR - 1)))


def plain_loops(ids: list[int], min_repeats: int, min_words: int, periods: list[int]) -> list[tuple[int, int, int]]:
    """The loop rule, plainly: for each period (shortest first), every maximal stretch of words each equal
    to the word a period before, at least `min_repeats` units and `min_words` words long, unless a loop of
    a shorter period already found holds it. (start, end, period), by start."""
    found: list[tuple[int, int, int]] = []
    n = len(ids)
    for p in periods:
        if p * min_repeats > n:
            break
        i = p
        while i < n:
            if ids[i] != ids[i - p]:
                i += 1
                continue
            j = i
            while j < n and ids[j] == ids[j - p]:
                j += 1
            start, end = i - p, j  # words [i - p, j) repeat with period p
            long_enough = end - start >= p * min_repeats and end - start >= min_words
            if long_enough and not any(s <= start and end <= e for s, e, _ in found):
                found.append((start, end, p))
            i = j
    return sorted(found, key=lambda f: (f[0], f[2]))


def fast(ids: np.ndarray, min_repeats: int = 3, min_words: int = 6) -> list[tuple[int, int, int]]:
    return [(loop.start, loop.end, loop.period) for loop in find_loops(ids, min_repeats, min_words)]


def random_text(rng: random.Random) -> list[str]:
    """Words from a small vocabulary (so chance repeats abound), with whole units spliced in repeated."""
    vocabulary = [f"w{k}" for k in range(rng.randint(1, 10))]
    words = [rng.choice(vocabulary) for _ in range(rng.randint(0, 60))]
    for _ in range(rng.randint(0, 2)):
        unit = [rng.choice([*vocabulary, "x", "y", "z"]) for _ in range(rng.randint(1, 9))]
        at = rng.randint(0, len(words))
        words[at:at] = unit * rng.randint(1, 7) + unit[: rng.randint(0, len(unit))]
    return words


@pytest.mark.parametrize("min_repeats", [2, 3, 4])
def test_the_fast_candidates_and_loops_are_what_the_plain_rules_give_on_random_texts(min_repeats: int) -> None:
    rng = random.Random(18 + min_repeats)
    for _ in range(400):
        words = random_text(rng)
        ids = ids_of(words)
        plain_periods = plain_candidates(ids.tolist(), min_repeats)
        assert candidate_periods(ids, min_repeats) == plain_periods, words
        assert fast(ids, min_repeats) == plain_loops(ids.tolist(), min_repeats, 6, plain_periods), words


def test_a_unit_of_distinct_words_is_found_whatever_its_length() -> None:
    """The guarantee that matters: a unit without a phrase of its own twice, from 1 to 40 words, is
    found from 3 repeats, with its period and its exact place, as an exhaustive search finds it."""
    rng = random.Random(5)
    for period in range(1, 41):
        vocabulary = [f"v{k}" for k in range(200)]
        unit = rng.sample(vocabulary, period)
        before = [f"a{k}" for k in range(rng.randint(0, 15))]
        after = [f"b{k}" for k in range(rng.randint(0, 15))]
        for repeats in (2, 3, 5):
            words = before + unit * repeats + after
            ids = ids_of(words)
            everything = plain_loops(ids.tolist(), 3, 6, list(range(1, len(words) + 1)))
            assert fast(ids) == everything
            expected = [(len(before), len(before) + period * repeats, period)]
            assert everything == (expected if repeats >= 3 and period * repeats >= 6 else [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("não " * 80 + "então fomos embora cedo", [(0, 80, 1)]),  # one word, then the speech goes on
        ("thank you " * 5, [(0, 10, 2)]),
        # A 13-word sentence said 6 times, inside speech: the unit is the sentence, not its phrases.
        (
            "bom dia a todos " + "eu vou falar hoje sobre a história da nossa cidade e do rio " * 6 + "fim",
            [(4, 4 + 13 * 6, 13)],
        ),
        # A unit repeated twice is not a loop; nor is ordinary speech.
        ("o rio subiu e a casa ficou com água até a janela o rio subiu e a casa ficou", []),
    ],
)
def test_crafted_loops_are_found_with_their_unit_and_place(text: str, expected: list[tuple[int, int, int]]) -> None:
    assert fast(ids_of(text.split())) == expected


def test_a_loop_of_a_shorter_unit_is_not_reported_again_as_its_multiples() -> None:
    words = ("ya " * 30 + "ha ya " * 12).split()  # periodic with 2, 4, 6, ... too: reported once per unit
    assert fast(ids_of(words)) == [(0, 30, 1), (29, 54, 2)]


def test_a_partial_last_unit_belongs_to_the_loop_and_repeats_count_whole_units() -> None:
    words = ("um dois tres quatro " * 4 + "um dois").split()
    (loop,) = find_loops(ids_of(words), 3, 6)
    assert (loop.start, loop.end, loop.period) == (0, 18, 4)
    assert loop.repeats == 4  # 18 // 4: the last half unit does not count as a repeat
    assert loop.words == 18


def test_loop_properties_follow_its_bounds() -> None:
    loop = Loop(start=10, end=27, period=5)
    assert (loop.repeats, loop.words) == (3, 17)


def test_codes_too_large_for_direct_digits_are_renumbered_with_the_same_loops() -> None:
    """Ids far apart (as from a huge vocabulary) take the renumbering path; it must agree with the plain rules."""
    rng = random.Random(9)
    for _ in range(100):
        ids = ids_of(random_text(rng))
        if not len(ids):
            continue
        spread = (ids + 1) * 2**40  # equal exactly when the words are, but vocabulary ** 3 overflows int64
        assert int(spread.max() + 1) ** ANCHOR * len(ids) >= loops_module._KEY_LIMIT
        periods = plain_candidates(ids.tolist(), 3)
        assert candidate_periods(spread, 3) == periods
        assert fast(spread) == plain_loops(ids.tolist(), 3, 6, periods)


def test_the_candidates_cannot_outnumber_what_the_text_can_hold() -> None:
    """Each candidate p needs about p phrases whose last occurrence is p back, and each phrase has one such
    distance: the periods checked, weighted by their length, never exceed the phrases (so checks stay near linear)."""
    rng = random.Random(3)
    for _ in range(300):
        ids = ids_of(random_text(rng))
        if len(ids) <= ANCHOR:
            continue
        needed = [max(1, (3 - 1) * p - (ANCHOR - 1)) for p in candidate_periods(ids, 3)]
        assert sum(needed) <= 2 * (len(ids) - ANCHOR)


def test_a_200k_word_text_is_searched_with_a_handful_of_periods() -> None:
    """Linear in practice, counted not timed: 200,000 words of speech-like text (Zipf-distributed vocabulary)
    with three loops inside need only a few candidate periods, each checked in one pass over the words."""
    rng = np.random.default_rng(1)
    vocabulary = [f"p{k}" for k in range(5_000)]
    weights = 1 / np.arange(1, len(vocabulary) + 1)
    words = [str(word) for word in rng.choice(vocabulary, size=200_000, p=weights / weights.sum())]
    story = "and that was the end of the story for today"
    units = [["thank", "you"], story.split(" "), ["y"]]
    places = [20_000, 110_000, 190_000]
    for unit, place in zip(reversed(units), reversed(places), strict=True):
        words[place:place] = unit * 40
    ids = ids_of(words)
    periods = candidate_periods(ids, 3)
    assert {1, 2, 10} <= set(periods)
    assert len(periods) <= 12
    found = {(loop.period, loop.repeats) for loop in find_loops(ids, 3, 6) if loop.repeats >= 40}
    assert found == {(2, 40), (10, 40), (1, 40)}


def plain_merged(stretches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Near-identical repeats, plainly: by start, a loop of the same unit length as the last one kept that
    begins within one unit of its end (a changed word, a cough) extends it; a loop that ends inside the last
    one kept is part of it; any other loop is kept as it is."""
    kept: list[tuple[int, int, int]] = []
    for start, end, period in stretches:
        if kept and kept[-1][2] == period and start - kept[-1][1] <= period:
            kept[-1] = (kept[-1][0], max(kept[-1][1], end), period)
        elif kept and end <= kept[-1][1]:
            continue
        else:
            kept.append((start, end, period))
    return kept


def test_loops_broken_by_a_changed_word_are_merged_as_the_plain_rule_says() -> None:
    rng = random.Random(21)
    for trial in range(400):
        words = random_text(rng)
        if trial % 2:  # a unit said again and again with a word or two changed here and there
            unit = [f"u{k}" for k in range(rng.randint(1, 8))]
            words = unit * rng.randint(3, 12)
            for _ in range(rng.randint(1, 3)):
                words[rng.randrange(len(words))] = rng.choice(["x", "u0", "y"])
        stretches = find_loops(ids_of(words), 3, 6)
        merged = [(s.start, s.end, s.period) for s in loop_criterion_module._merged(stretches)]
        assert merged == plain_merged([(s.start, s.end, s.period) for s in stretches])


def _long_record(inserted: list[str], at: int = 150) -> Transcript:
    """200 segments of eight distinct words each, with `inserted` segments placed at segment `at`, 2 s apart."""
    words = distinct_words(1600)
    speech = [" " + " ".join(words[8 * k : 8 * k + 8]) + "." for k in range(200)]
    texts = [*speech[:at], *inserted, *speech[at:]]
    segments = [Segment(text, 2.0 * k, 2.0 * k + 1.8) for k, text in enumerate(texts)]
    return Transcript("".join(texts).strip(), None, SegmentColumns.of(segments))


def test_near_identical_consecutive_segments_are_one_loop_over_all_of_them() -> None:
    sentence = " Vielen Dank für Ihre Aufmerksamkeit und bis zum nächsten Mal."
    repeated = [sentence] * 8
    repeated[3] = " Vielen Dank für Ihre Geduld und bis zum nächsten Mal."  # one word changed
    result = LoopCriterion().evaluate(_long_record(repeated))
    (span,) = result.spans or []
    assert (span.first_segment, span.last_segment, span.start, span.end) == (150, 157, 300.0, 315.8)
    assert result.issues == ["loop:vielen dank für ihre aufmerksamkeit und bis zum ...:8"]
    assert result.passed  # a small part of a long record: located, the rest kept


def test_a_record_that_is_mostly_one_loop_is_rejected_and_located() -> None:
    transcript = Transcript("Então fomos embora. " + "não " * 80, None)
    result = LoopCriterion().evaluate(transcript)
    assert not result.passed
    assert result.issues == ["loop:não:80"]
    (span,) = result.spans or []
    assert transcript.text[span.char_start : span.char_end] == " ".join(["não"] * 80)


def plain_counted(words: list[str]) -> list[tuple[int, int, int]]:
    """Which loops count in a text without times, plainly: the loops the plain rules find (3 repeats, 6 words)
    merged as the plain rule merges them; a unit of 4 words or more counts from 3 repeats, a shorter one from
    10 (with no times there is no pace to lower it). (start, end, period), by start."""
    ids = ids_of(words).tolist()
    found = plain_loops(ids, 3, 6, plain_candidates(ids, 3))
    return [(s, e, p) for s, e, p in plain_merged(found) if (e - s) // p >= (3 if p >= 4 else 10)]


def test_the_loops_that_count_in_a_text_without_times_are_the_plain_rules_ones() -> None:
    """The criterion end to end: its spans, score and tags from the loops the plain rules keep."""
    rng = random.Random(41)
    criterion = LoopCriterion()
    for _ in range(400):
        words = random_text(rng)
        for _ in range(rng.randint(0, 2)):  # short units said often enough to count, or nearly
            unit = [rng.choice(["x", "y", "w0", "w1"]) for _ in range(rng.randint(1, 3))]
            at = rng.randint(0, len(words))
            words[at:at] = unit * rng.randint(8, 14)
        text = " ".join(words)
        kept = plain_counted(words)
        result = criterion.evaluate(Transcript(text))
        starts = [sum(len(w) + 1 for w in words[:k]) for k in range(len(words) + 1)]
        assert [(s.char_start, s.char_end) for s in result.spans or []] == [
            (starts[s], starts[e] - 1) for s, e, _ in kept
        ], words
        inside = {k for s, e, _ in kept for k in range(s, e)}  # loops that meet may share words
        assert result.score == round(1 - len(inside) / max(1, len(words)), 4), words
        biggest = sorted(kept, key=lambda loop: loop[0] - loop[1])  # every loop tagged, the biggest first
        units = [" ".join(words[s : s + p][:8]) + (" ..." if p > 8 else "") for s, _, p in biggest]
        assert result.issues == [f"loop:{u}:{(e - s) // p}" for u, (s, e, p) in zip(units, biggest, strict=True)]
        named = [f"'{u}' x{(e - s) // p}" for u, (s, e, p) in zip(units[:5], biggest[:5], strict=True)]
        assert not kept or result.rationale.endswith(": " + "; ".join(named) + "."), result.rationale


def plain_slow_runs(texts: list[str], starts: list[float], ends: list[float]) -> list[tuple[int, int, int, int, int]]:
    """Slow runs of segments, plainly: 3 or more consecutive segments with the same text but for case and the
    spaces around it, not empty, lasting from the first's start to the last's end at least 2.5 s for each word
    of each segment. (first, last, first word, end word, words of one segment), words counted per segment."""
    runs = []
    first = 0
    for index in range(1, len(texts) + 1):
        if index < len(texts) and texts[index].strip().casefold() == texts[first].strip().casefold():
            continue
        count, period = index - first, len(normalized_words(texts[first]))
        word = sum(len(normalized_words(text)) for text in texts[:first])
        slow = ends[index - 1] - starts[first] >= 2.5 * period * count
        if count >= 3 and texts[first].strip() and period and slow:
            runs.append((first, index - 1, word, word + period * count, period))
        first = index
    return runs


def test_slow_runs_of_identical_segments_are_the_plain_rules_ones() -> None:
    rng = random.Random(43)
    for _ in range(600):
        texts, starts, ends, t = [], [], [], 0.0
        for _ in range(rng.randint(0, 14)):
            texts.append(rng.choice([" you", " You ", " you.", " thank you", "Thank  you", " ", "", " so, um"]))
            gap = rng.choice([0.5, 2.0, 2.5, 4.0, 10.0, 30.0])
            starts.append(t)
            ends.append(t + rng.choice([gap, rng.uniform(0.1, gap)]))  # exactly 2.5 s a word now and then
            t += gap
        segments = [Segment(text, s, e) for text, s, e in zip(texts, starts, ends, strict=True)]
        transcript = Transcript("".join(texts).strip(), None, SegmentColumns.of(segments))
        found = [(a, b, s.start, s.end, s.period) for a, b, s in LoopCriterion()._slow_segment_runs(transcript)]
        assert found == plain_slow_runs(texts, starts, ends), texts


def test_a_word_two_loops_share_is_counted_once_in_the_share() -> None:
    """The last "ya" of the first loop is the first of the second: 54 words inside loops, not 55."""
    words = [*distinct_words(200), *("ya " * 30 + "ha ya " * 12).split()]
    result = LoopCriterion().evaluate(Transcript(" ".join(words)))
    assert len(result.spans or []) == 2
    assert result.score == round(1 - 54 / 254, 4)


def test_the_time_two_loops_share_is_counted_once_in_the_share() -> None:
    """One segment a word, a second each in speech and two in the loops: the loops hold 108 of the 308 seconds
    (the shared "ya" once), a larger share than their words'."""
    words = [*distinct_words(200), *("ya " * 30 + "ha ya " * 12).split()]
    times = [float(k) if k <= 200 else 200.0 + 2 * (k - 200) for k in range(len(words) + 1)]
    segments = [Segment(f" {word}", times[k], times[k + 1]) for k, word in enumerate(words)]
    transcript = Transcript(" ".join(words), None, SegmentColumns.of(segments))
    result = LoopCriterion().evaluate(transcript)
    assert [(s.first_segment, s.last_segment) for s in result.spans or []] == [(200, 229), (229, 253)]
    assert result.score == round(1 - 108 / 308, 4)


def plain_paced(words: list[str], starts: list[float], ends: list[float]) -> tuple[list[tuple[int, int]], float]:
    """Which loops count at their pace, plainly, in a record of one word a segment (a loop then lasts from
    its first word's start to its last word's end): a unit of 4 words or more from 3 repeats; a shorter one
    from 3 when it lasts at least 2.5 s a word, or at most 0.1 s a word in a record with times, else from 10;
    then the slow runs of identical segments that share no segment with a loop kept. The (first, last)
    segments of each, by start, and 1 minus the larger of the shares of words and of time inside them."""
    ids = ids_of(words).tolist()
    timed = max(ends) > 0
    kept = []
    for s, e, p in plain_merged(plain_loops(ids, 3, 6, plain_candidates(ids, 3))):
        seconds, n = max(0.0, ends[e - 1] - starts[s]), e - s
        slow_or_fast = seconds >= 2.5 * n or (timed and seconds <= 0.1 * n)
        if n // p >= (3 if p >= 4 or slow_or_fast else 10):
            kept.append((s, e - 1))
    for first, last, *_ in plain_slow_runs([f" {word}" for word in words], starts, ends):
        if not any(a <= last and first <= b for a, b in kept):
            kept.append((first, last))
    kept.sort()
    inside = {k for a, b in kept for k in range(a, b + 1)}
    moments = sorted((starts[a], ends[b]) for a, b in kept)
    seconds, reach = 0.0, -1.0
    for begin, end in moments:  # the time inside at least one of them
        seconds += max(0.0, end - max(begin, reach))
        reach = max(reach, end)
    total = max(ends) - min(starts)
    share = max(len(inside) / len(words), min(1.0, seconds / total) if total > 0 else 0.0)
    return kept, round(1 - share, 4)


def test_the_loops_that_count_at_their_pace_are_the_plain_rules_ones() -> None:
    rng = random.Random(47)
    criterion = LoopCriterion()
    for _ in range(400):
        words = random_text(rng)
        for _ in range(rng.randint(0, 3)):
            unit = [rng.choice(["x", "y", "w0"]) for _ in range(rng.randint(1, 5))]
            at = rng.randint(0, len(words))
            words[at:at] = unit * rng.randint(2, 12)
        if not words:
            continue
        # Stretches said at one pace each: cues of no length, quick, speech, exactly 2.5 s a word, slower.
        paces = [rng.choice([0.0, 0.04, 0.1, 0.3, 1.0, 2.5, 4.0]) for _ in range(3)]
        if rng.random() < 0.15:  # or no times at all, so there is no pace to judge
            paces = [0.0] * 3
        cuts = sorted(rng.sample(range(len(words) + 1), 2))
        starts, ends, t = [], [], 0.0
        for k in range(len(words)):
            pace = paces[sum(k >= cut for cut in cuts)]
            starts.append(t)
            ends.append(t + pace)
            t += pace
        segments = [Segment(f" {word}", s, e) for word, s, e in zip(words, starts, ends, strict=True)]
        result = criterion.evaluate(Transcript(" ".join(words), None, SegmentColumns.of(segments)))
        kept, score = plain_paced(words, starts, ends)
        assert [(s.first_segment, s.last_segment) for s in result.spans or []] == kept, (words, paces, cuts)
        assert result.score == score, (words, paces, cuts)


def test_every_loop_is_tagged_with_its_unit_and_repeats_and_the_rationale_names_the_five_biggest() -> None:
    words = distinct_words(400)
    text: list[str] = []
    units = [[f"unidade{k}", f"frase{k}", "aqui", "dita"] for k in range(8)]
    for k, unit in enumerate(units):  # eight loops of a 4-word unit, said 3 to 10 times, far apart
        text += words[50 * k : 50 * k + 50] + unit * (3 + k)
    result = LoopCriterion().evaluate(Transcript(" ".join(text)))
    assert result.issues == [f"loop:{' '.join(units[k])}:{3 + k}" for k in reversed(range(8))]
    assert len(result.spans or []) == 8
    assert result.rationale.endswith("; ".join(f"'{' '.join(units[k])}' x{3 + k}" for k in (7, 6, 5, 4, 3)) + ".")
