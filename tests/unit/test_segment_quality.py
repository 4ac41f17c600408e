"""segment_quality: empty share above 20% costs 0.3; 5+ start intervals of 1.0 ± 0.1 s cost 0.5 (SPEC.md)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from types import SimpleNamespace

import pytest

from arandu.domain.criteria import SegmentQuality
from arandu.domain.criteria import segment_quality as segment_quality_module
from arandu.domain.text import normalized_words
from arandu.domain.transcript import Transcript
from tests.builders import IRREGULAR_STARTS, clean_portuguese, segments_at, starts_every

quality = SegmentQuality()


def evaluate(segments: Sequence[object] | None) -> tuple[float, bool, list[str]]:
    result = quality.evaluate(Transcript.parse(clean_portuguese(), 60_000, segments))
    return result.score, result.passed, result.issues


@pytest.mark.parametrize("segments", [None, []])
def test_no_segments_is_not_penalised(segments: Sequence[object] | None) -> None:
    assert evaluate(segments) == (1.0, True, [])


def test_irregular_segments_with_text_score_one() -> None:
    assert evaluate(segments_at(IRREGULAR_STARTS)) == (1.0, True, [])


def test_empty_share_of_exactly_twenty_percent_is_not_flagged() -> None:
    texts = ["um", "", "dois", "tres", "quatro"]
    assert evaluate(segments_at(IRREGULAR_STARTS[:5], texts)) == (1.0, True, [])


def test_empty_share_above_twenty_percent_costs_point_three_and_still_passes() -> None:
    texts = ["um", "", "dois", "   ", "tres", "quatro", "cinco", "seis", "sete"]  # 2 of 9
    score, passed, issues = evaluate(segments_at(IRREGULAR_STARTS[:9], texts))
    assert score == pytest.approx(0.7)
    assert passed
    assert issues == ["high_empty_segments:2/9"]


def test_missing_or_null_text_counts_as_empty() -> None:
    segments: list[dict[str, object]] = [{"start": s, "end": s + 1} for s in IRREGULAR_STARTS[:3]]
    segments[0]["text"] = None
    assert evaluate(segments) == (pytest.approx(0.7), True, ["high_empty_segments:3/3"])


def test_five_uniform_one_second_intervals_fail() -> None:
    score, passed, issues = evaluate(segments_at(starts_every(1.0, 6)))  # 6 starts, 5 intervals
    assert score == pytest.approx(0.5)
    assert passed is False  # uniform 1-second segments alone fail (SPEC.md sets the threshold to 0.6)
    assert issues == ["suspicious_uniform_intervals:5"]


def test_four_uniform_intervals_are_not_flagged() -> None:
    assert evaluate(segments_at(starts_every(1.0, 5))) == (1.0, True, [])


def test_the_issue_reports_the_longest_run() -> None:
    starts = [*starts_every(1.0, 9, first=0.0), *starts_every(1.0, 4, first=20.0)]  # runs of 8 and 3
    assert evaluate(segments_at(starts))[2] == ["suspicious_uniform_intervals:8"]


def test_a_run_broken_in_the_middle_is_not_flagged() -> None:
    starts = [*starts_every(1.0, 5, first=0.0), *starts_every(1.0, 5, first=7.0)]  # 4 intervals, a gap, 4
    assert evaluate(segments_at(starts)) == (1.0, True, [])


@pytest.mark.parametrize("interval", [0.9, 0.95, 1.05, 1.1])
def test_intervals_within_the_tolerance_including_its_edges_are_uniform(interval: float) -> None:
    assert evaluate(segments_at(starts_every(interval, 6)))[2] == ["suspicious_uniform_intervals:5"]


@pytest.mark.parametrize("interval", [0.89, 1.11, 2.0, 0.5])
def test_intervals_outside_the_tolerance_are_not_uniform(interval: float) -> None:
    assert evaluate(segments_at(starts_every(interval, 6))) == (1.0, True, [])


def test_uniformity_is_measured_on_starts_from_an_offset() -> None:
    assert evaluate(segments_at(starts_every(1.1, 6, first=1234.56)))[2] == ["suspicious_uniform_intervals:5"]


def test_both_penalties_together_leave_point_two() -> None:
    texts = ["um", "", "", "dois", "tres", "quatro"]  # 2 of 6 empty
    score, passed, issues = evaluate(segments_at(starts_every(1.0, 6), texts))
    assert score == pytest.approx(0.2)
    assert passed is False
    assert issues == ["high_empty_segments:2/6", "suspicious_uniform_intervals:5"]


def test_segments_given_as_objects_are_judged_like_dicts() -> None:
    dicts = segments_at(starts_every(1.0, 6))
    objects = [SimpleNamespace(**d) for d in dicts]
    assert evaluate(objects) == evaluate(dicts)


def test_threshold_is_point_six() -> None:
    assert quality.threshold == 0.6


def _reference_longest_run(starts: list[float]) -> tuple[int, int]:
    """Every run of uniform intervals checked one by one: (length, first segment) of the first longest."""
    best = (0, 0)
    for first in range(len(starts) - 1):
        length = 0
        while (
            first + length + 1 < len(starts)
            and abs(starts[first + length + 1] - starts[first + length] - 1.0) <= 0.1 + 1e-9
        ):
            length += 1
        if length > best[0]:
            best = (length, first)
    return best


def test_the_longest_uniform_run_and_its_place_match_a_brute_force_count() -> None:
    rng = random.Random(11)
    for _ in range(300):
        starts, t = [], 0.0
        for _ in range(rng.randint(0, 40)):
            starts.append(round(t, 2))
            t += rng.choice((1.0, 1.05, 0.9, 1.1, 1.11, 2.5, 0.3))
        assert segment_quality_module._longest_uniform_run(tuple(starts), 1.0, 0.1) == _reference_longest_run(starts)


def _reference_runs(starts: list[float]) -> list[tuple[int, int]]:
    """Every maximal run of uniform intervals, walked one interval at a time: (length, first segment)."""
    runs, first = [], None
    for k in range(1, len(starts) + 1):
        uniform = k < len(starts) and abs(starts[k] - starts[k - 1] - 1.0) <= 0.1 + 1e-9
        if uniform and first is None:
            first = k - 1
        elif not uniform and first is not None:
            runs.append((k - 1 - first, first))
            first = None
    return runs


def _plain_issues(texts: list[str], starts: list[float]) -> list[str]:
    """The documented rules, plainly: more than a fifth of the segments empty; the longest run of 1.0 ± 0.1 s
    start intervals, from 5, penalised when it holds at least half the record's intervals; else any run of at
    least 8 intervals in which half of the steps repeat the segment before (same words, not empty), or with
    7 such steps in a row, holds a loop: the longest such run is penalised when its segments are more than a
    fifth of the record's, else only tagged as a loop; else the longest run is only tagged as an exchange."""
    q = SegmentQuality()
    issues = []
    empty = sum(1 for text in texts if not text.strip())
    if empty / len(texts) > q.max_empty_segment_ratio:
        issues.append(f"high_empty_segments:{empty}/{len(texts)}")
    longest, _ = _reference_longest_run(starts)
    words = [normalized_words(text) for text in texts]

    def looping(run: int, first: int) -> bool:
        steps = [bool(words[k]) and words[k] == words[k - 1] for k in range(first + 1, first + run + 1)]
        in_a_row = any(all(steps[k : k + q.min_repeated_streak]) for k in range(len(steps) - q.min_repeated_streak + 1))
        return (run >= q.min_repeated_run and sum(steps) >= q.min_repeated_share * run) or in_a_row

    loops = [run for run, first in _reference_runs(starts) if looping(run, first)]
    if longest >= q.min_uniform_run and longest >= q.min_uniform_share * (len(texts) - 1):
        issues.append(f"suspicious_uniform_intervals:{longest}")
    elif loops:
        run = max(loops)
        big = run + 1 > q.min_loop_share * len(texts)
        issues.append(f"suspicious_uniform_intervals:{run}" if big else f"uniform_interval_loop:{run}")
    elif longest >= q.min_uniform_run:
        issues.append(f"uniform_interval_exchange:{longest}")
    return issues


def test_every_uniform_run_is_found_as_a_plain_walk_finds_it() -> None:
    rng = random.Random(12)
    for _ in range(300):
        starts, t = [], 0.0
        for _ in range(rng.randint(0, 40)):
            starts.append(round(t, 2))
            t += rng.choice((1.0, 1.05, 0.9, 1.1, 1.11, 2.5, 0.3))
        assert segment_quality_module.uniform_runs(tuple(starts), 1.0, 0.1) == _reference_runs(starts)


def test_uniform_runs_are_penalised_as_the_plain_rule_says_on_generated_timings() -> None:
    rng = random.Random(23)
    seen = set()
    for _ in range(400):
        texts, starts, t = [], [], 0.0
        for _ in range(rng.randint(1, 10)):  # stretches of quick exchanges, loops and ordinary speech
            kind = rng.choice(("speech", "exchange", "loop"))
            for _ in range(rng.randint(1, 25)):
                starts.append(round(t, 2))
                if kind == "speech":
                    texts.append(rng.choice(("Bom dia a todos.", "E o rio subiu.", "", "Era tudo de barco.")))
                    t += rng.uniform(1.5, 6.0)
                else:
                    texts.append("Obrigado." if kind == "loop" else rng.choice(("Yep.", "Awesome.", "Sim.", "Não.")))
                    t += rng.choice((1.0, 1.05, 0.95, 1.1))
        result = quality.evaluate(Transcript.parse(" ".join(texts), None, segments_at(starts, texts)))
        expected = _plain_issues(texts, starts)
        assert result.issues == expected
        penalty = quality.empty_penalty * any(
            i.startswith("high_empty") for i in expected
        ) + quality.uniform_penalty * any(i.startswith("suspicious_uniform") for i in expected)
        assert result.score == pytest.approx(1.0 - penalty)
        seen.update(issue.split(":")[0] for issue in expected)
    assert seen == {
        "high_empty_segments",
        "suspicious_uniform_intervals",
        "uniform_interval_exchange",
        "uniform_interval_loop",
    }


def test_a_penalised_run_is_a_suspect_span_over_its_segments_and_times() -> None:
    texts = ["Obrigado."] * 8
    starts = starts_every(1.0, 8)
    result = quality.evaluate(Transcript.parse(" ".join(texts), None, segments_at(starts, texts)))
    assert not result.passed
    (span,) = result.spans or []
    assert (span.first_segment, span.last_segment, span.start, span.end) == (0, 7, 0.0, 9.0)
    assert (span.char_start, span.char_end) == (0, len(" ".join(texts)))


def test_a_short_repeated_run_inside_a_long_record_is_located_not_penalised() -> None:
    """An outro said five times at 1-s stamps near the end of a long record is speech; ten times is a loop,
    located but not penalised while its segments are no more than a fifth of the record's; more costs."""
    speech = [f"Frase {i} da conversa." for i in range(40)]
    starts = [3.0 * i for i in range(40)]
    for repeats, issue, passed in (
        (5, "uniform_interval_exchange:5", True),
        (9, "uniform_interval_loop:9", True),
        (10, "suspicious_uniform_intervals:10", False),
    ):
        texts = [*speech, *["Assinem o canal."] * (repeats + 1)]
        times = [*starts, *starts_every(1.0, repeats + 1, first=starts[-1] + 3.0)]
        result = quality.evaluate(Transcript.parse(" ".join(texts), None, segments_at(times, texts)))
        assert (result.issues, result.passed) == ([issue], passed)
        located = [(span.first_segment, span.last_segment) for span in result.spans or []]
        assert located == ([] if repeats == 5 else [(40, 40 + repeats)])


def test_a_loop_stamped_once_a_second_is_located_even_when_a_longer_run_of_speech_is_not() -> None:
    """'Thank you.' x9 at 1-s stamps in a record whose longest 1-s run is 22 steps of quick, varied exchanges."""
    speech = [f"Frase {i} da conversa." for i in range(60)]
    texts = [*speech[:20], *[f"Resposta {i}." for i in range(23)], *speech[20:40], *["Thank you."] * 9, *speech[40:]]
    times = [3.0 * i for i in range(20)]
    times += starts_every(1.0, 23, first=times[-1] + 3.0)
    times += [times[-1] + 3.0 * (i + 1) for i in range(20)]
    times += starts_every(1.0, 9, first=times[-1] + 3.0)
    times += [times[-1] + 3.0 * (i + 1) for i in range(20)]
    result = quality.evaluate(Transcript.parse(" ".join(texts), None, segments_at(times, texts)))
    assert result.issues == ["uniform_interval_loop:8"]
    assert result.passed
    (span,) = result.spans or []
    assert (span.first_segment, span.last_segment) == (63, 71)


def _plain_sparse_tail(texts: list[str], starts: list[float], ends: list[float]) -> tuple[int, int] | None:
    """Plainly: drop the segments without words; of the rest, take the longest run at the end in which
    every segment lasts at least 5 s a word; it is located when it holds at least 2 segments."""
    worded = [i for i, text in enumerate(texts) if normalized_words(text)]
    run: list[int] = []
    for i in reversed(worded):
        if ends[i] - starts[i] < 5.0 * len(normalized_words(texts[i])):
            break
        run.append(i)
    return (run[-1], run[0]) if len(run) >= 2 else None


def test_the_last_lines_said_over_silence_are_located_as_the_plain_rule_says() -> None:
    rng = random.Random(31)
    seen: set[bool] = set()
    for _ in range(400):
        texts, starts, ends, t = [], [], [], 0.0
        for _ in range(rng.randint(1, 12)):
            texts.append(rng.choice(("Bom dia a todos.", "Tchau.", "", "Obrigado por ouvir.", "Até a próxima semana")))
            length = rng.choice((0.5, 2.0, 4.0, 9.9, 10.0, 15.0, 30.0))
            starts.append(t)
            ends.append(t + length)
            t += length + rng.choice((0.0, 0.5))
        segments = [{"text": x, "start": a, "end": b} for x, a, b in zip(texts, starts, ends, strict=True)]
        result = quality.evaluate(Transcript.parse(" ".join(texts), None, segments))
        expected = _plain_sparse_tail(texts, starts, ends)
        tails = [i for i in result.issues if i.startswith("sparse_tail:")]
        assert tails == ([] if expected is None else [f"sparse_tail:{expected[0]}-{expected[1]}"]), texts
        located = [(s.first_segment, s.last_segment) for s in result.spans or [] if "silence" in s.reason]
        assert located == ([] if expected is None else [expected])
        seen.add(expected is None)
    assert seen == {True, False}


def test_lines_over_silence_cost_nothing_and_one_slow_last_line_is_not_located() -> None:
    speech = [(f"Frase {i} da conversa de hoje.", 3.0 * i, 3.0 * i + 2.5) for i in range(30)]
    for tail, located in (
        ([("Até a próxima.", 90.0, 120.0)], False),
        ([("Até a próxima.", 90.0, 120.0), ("Tchau.", 120.0, 150.0)], True),
    ):
        parts = [*speech, *tail]
        segments = [{"text": x, "start": a, "end": b} for x, a, b in parts]
        result = quality.evaluate(Transcript.parse(" ".join(x for x, _, _ in parts), None, segments))
        assert result.score == 1.0
        assert bool(result.spans) is located
