"""The public Python API the seed shows: `from arandu import TranscriptionJudge`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace

import pytest

from arandu import TranscriptionJudge
from arandu.domain.verdict import JudgePipelineResult
from tests.builders import IRREGULAR_STARTS, clean_portuguese, segments_at, starts_every


@dataclass
class WhisperSegment:
    """What a caller's own segment type may look like: attributes, not a dict."""

    id: int
    text: str
    start: float
    end: float


def as_objects(dicts: list[dict[str, object]]) -> list[WhisperSegment]:
    return [WhisperSegment(i, str(d["text"]), float(d["start"]), float(d["end"])) for i, d in enumerate(dicts)]  # type: ignore[arg-type]


def test_seed_usage_returns_a_pipeline_result_whose_dump_is_the_schema() -> None:
    judge = TranscriptionJudge(language="pt")
    result = judge.evaluate_transcription(text=clean_portuguese(), duration_ms=30_000, segments=[])
    assert isinstance(result, JudgePipelineResult)
    dumped = result.model_dump()
    assert set(dumped) == {"passed", "rejected_at", "stage_results", "judged_by"}
    assert dumped["passed"] is True and dumped["rejected_at"] is None
    assert list(dumped["stage_results"]) == ["heuristic_filter"]
    assert dumped["judged_by"]["language"] == "pt"


@pytest.mark.parametrize("starts", [IRREGULAR_STARTS, starts_every(1.0, 8)], ids=["clean", "uniform"])
def test_dict_segments_and_object_segments_give_the_same_verdict(starts: list[float]) -> None:
    judge = TranscriptionJudge(language="pt")
    dicts = segments_at(starts)
    from_dicts = judge.evaluate_transcription(text=clean_portuguese(), duration_ms=30_000, segments=dicts)
    from_objects = judge.evaluate_transcription(text=clean_portuguese(), duration_ms=30_000, segments=as_objects(dicts))
    namespaces = [SimpleNamespace(**d) for d in dicts]
    from_namespaces = judge.evaluate_transcription(text=clean_portuguese(), duration_ms=30_000, segments=namespaces)
    assert from_dicts == from_objects == from_namespaces


def test_uniform_segments_given_as_objects_are_caught() -> None:
    result = TranscriptionJudge().evaluate_transcription(
        text=clean_portuguese(), duration_ms=30_000, segments=as_objects(segments_at(starts_every(1.0, 8)))
    )
    assert result.passed is False
    quality = result.stage_results["heuristic_filter"].criterion_scores["segment_quality"]
    assert quality.issues == ["suspicious_uniform_intervals:7"]


def test_segments_may_be_any_iterable() -> None:
    def generate() -> Iterator[dict[str, object]]:
        yield from segments_at(starts_every(1.0, 8))

    result = TranscriptionJudge().evaluate_transcription(clean_portuguese(), 30_000, generate())
    assert result.failing_criteria == ["segment_quality"]


def test_defaults_are_portuguese_and_no_duration() -> None:
    judge = TranscriptionJudge()
    result = judge.evaluate_transcription(clean_portuguese())
    assert judge.language == "pt"
    density = result.stage_results["heuristic_filter"].criterion_scores["content_density"]
    assert density.issues == ["duration_unknown:neutral_score"]


def test_language_reaches_the_criteria_and_the_verdict() -> None:
    # Forty distinct three-character Japanese words: no loop, a plausible word rate, only the script is wrong.
    text = " ".join("".join(chr(0x4E00 + 3 * i + k) for k in range(3)) + str(i) for i in range(40))
    for language in ("pt", "pt-BR", "en"):
        result = TranscriptionJudge(language=language).evaluate_transcription(text=text, duration_ms=20_000)
        assert result.failing_criteria == ["script_match"]
        assert result.judged_by is not None and result.judged_by.language == language


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"text": None}, "transcription_text"),
        ({"text": "a", "duration_ms": "1000"}, "duration_milliseconds"),
        ({"text": "a", "segments": [{"text": "a", "start": "0", "end": 1}]}, "segments[0].start"),
        ({"text": "a", "segments": [SimpleNamespace(text="a", end=1.0)]}, "segments[0]"),
        ({"text": "a", "segments": "not a list"}, "segments"),
    ],
)
def test_wrong_input_raises_a_value_error_naming_the_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValueError, match=field.replace("[", r"\[").replace("]", r"\]")):
        TranscriptionJudge().evaluate_transcription(**kwargs)  # type: ignore[arg-type]
