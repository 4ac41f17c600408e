"""Evidence locations on failing criteria and the verdict's clean prefix."""

from __future__ import annotations

import random

from arandu.domain.criteria import default_heuristic_criteria
from arandu.domain.criteria.repetition import Repetition
from arandu.domain.criteria.segment_quality import SegmentQuality
from arandu.domain.evidence import Evidence, char_span_of, format_ranges, index_ranges
from arandu.domain.pipeline import judge_heuristics
from arandu.domain.transcript import Segment, Transcript

SPEECH = "Nós conversamos sobre a pesca no rio, sobre a roça e sobre a escola das crianças da vila. "
# Speech that never repeats itself (a sentence said again and again is a loop).
TALK = [
    SPEECH,
    "Depois veio a cheia grande, a água subiu até a janela e perdemos o milho e o feijão. ",
    "Meu avô contava que antigamente o rio era mais fundo e tinha muito mais peixe. ",
    "Na festa de São João a vila inteira dançava quadrilha até de madrugada na praça. ",
    "Hoje os jovens vão embora para a cidade grande procurar trabalho nas fábricas. ",
]


def test_ranges_fold_and_format() -> None:
    assert index_ranges([7, 1, 2, 3]) == [(1, 3), (7, 7)]
    assert format_ranges([(1, 3), (7, 7)]) == "1-3,7"


def test_evidence_dumps_only_known_fields() -> None:
    assert Evidence(first_segment=2, last_segment=4, start=1.5).model_dump() == {
        "first_segment": 2,
        "last_segment": 4,
        "start": 1.5,
    }


def test_repetition_locates_the_loop() -> None:
    text = SPEECH + "e aí e aí e aí " * 40
    result = Repetition().evaluate(Transcript(text=text))
    assert not result.passed and result.evidence
    assert min(e.char_start or 0 for e in result.evidence) >= len(SPEECH) - 1


def test_segment_quality_locates_the_uniform_run() -> None:
    segments = tuple(Segment(text=f"parte {i}", start=float(i), end=i + 0.9) for i in range(10))
    result = SegmentQuality().evaluate(Transcript.parse("x", None, segments))
    assert not result.passed
    assert result.evidence == [Evidence(first_segment=0, last_segment=9, start=0.0)]


def test_verdict_reports_the_clean_prefix_before_the_first_artefact() -> None:
    good = [
        Segment(
            text=TALK[i], start=i * 6.0, end=i * 6.0 + 6.0, avg_logprob=-0.3, compression_ratio=1.4, no_speech_prob=0.01
        )
        for i in range(4)
    ]
    loop = [
        Segment(
            text=" Obrigado por assistir." * 6,
            start=24.0 + i * 6,
            end=30.0 + i * 6,
            avg_logprob=-0.2,
            compression_ratio=6.0,
            no_speech_prob=0.1,
        )
        for i in range(8)
    ]
    segments = tuple(good + loop)
    transcript = Transcript.parse("".join(s.text for s in segments), 72_000, segments)
    verdict = judge_heuristics(default_heuristic_criteria("pt"), transcript)
    assert not verdict.passed
    assert "decoder_confidence" in verdict.failing_criteria
    assert verdict.clean_prefix is not None
    assert verdict.clean_prefix.seconds == 24.0
    assert verdict.clean_prefix.chars == transcript.text.index("Obrigado")
    assert verdict.model_dump()["clean_prefix"] == {"seconds": 24.0, "chars": transcript.text.index("Obrigado")}


def test_passing_verdict_has_no_clean_prefix_key() -> None:
    transcript = Transcript(text="".join(TALK), duration_ms=60_000)
    verdict = judge_heuristics(default_heuristic_criteria("pt"), transcript)
    assert verdict.passed
    dumped = verdict.model_dump(mode="json")
    assert "clean_prefix" not in dumped
    assert all("evidence" not in c for c in dumped["stage_results"]["heuristic_filter"]["criterion_scores"].values())


def plain_ranges(indices: set[int]) -> list[tuple[int, int]]:
    """Runs, plainly: an index starts a run when the one before it is not there, and its run ends at the
    first index after it whose successor is not there."""
    ranges = []
    for index in sorted(indices):
        if index - 1 not in indices:
            last = index
            while last + 1 in indices:
                last += 1
            ranges.append((index, last))
    return ranges


def test_index_ranges_are_the_plain_runs_whatever_the_order() -> None:
    rng = random.Random(51)
    for _ in range(1000):
        indices = set(rng.sample(range(40), rng.randint(0, 40)))
        shuffled = rng.sample(sorted(indices), len(indices))
        assert index_ranges(shuffled) == plain_ranges(indices), shuffled


def test_a_character_span_runs_from_the_first_to_the_last_character_that_qualifies() -> None:
    rng = random.Random(52)
    for _ in range(1000):
        text = "".join(rng.choice("ab  Ж日.") for _ in range(rng.randint(0, 30)))
        wanted = rng.choice(["Ж", "日", "a", "Ж日"])
        where = [i for i, char in enumerate(text) if char in wanted]
        expected = (where[0], where[-1] + 1) if where else None
        assert char_span_of(text, wanted.__contains__) == expected, (text, wanted)
