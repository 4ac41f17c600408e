"""Reading a verdict back from a record: what the judge writes, plus fields a later version may add."""

from __future__ import annotations

import pytest

from arandu.application.spans import suspect_spans_of
from arandu.application.stored_verdict import MalformedVerdict, describe_evidence, interpret
from tests.unit.verdict_corpus import judged, unjudged


def test_a_written_verdict_reads_back_with_every_criterion() -> None:
    record = interpret("a", judged({"content_length_floor": 1.0, "script_match": 0.2}, tags={"script_match": ["x"]}))
    assert record.verdict is not None
    assert not record.verdict.passed
    assert record.verdict.rejected_at == "heuristic_filter"
    assert [(c.name, c.passed) for c in record.verdict.criteria] == [
        ("content_length_floor", True),
        ("script_match", False),
    ]
    assert record.verdict.failing[0].issues == ("x",)
    assert record.verdict.failing[0].margin == pytest.approx(-0.4)
    assert record.text == "uma frase qualquer"


def test_an_unjudged_record_has_no_verdict() -> None:
    assert interpret("a", unjudged()).verdict is None


def test_evidence_reads_as_whole_places_for_people_and_as_structured_spans() -> None:
    places = [{"char_start": 0, "char_end": 1155}, {"first_segment": 3, "last_segment": 9, "start": 12.5, "end": 19}]
    record = interpret("a", judged({"repetition": 0.1}, evidence={"repetition": places}))
    assert record.verdict is not None
    criterion = record.verdict.criteria[0]
    assert criterion.evidence == "chars 0\u20131155; segments 3\u20139 (12.5\u201319 s)"
    assert [(s.char_start, s.char_end, s.first_segment, s.last_segment) for s in criterion.spans] == [
        (0, 1155, None, None),
        (None, None, 3, 9),
    ]
    assert describe_evidence(None) is None
    assert describe_evidence("chars 10-40") == "chars 10-40"
    many = describe_evidence([{"char_start": i, "char_end": i + 1} for i in range(7)])
    assert many == "chars 0\u20131; chars 1\u20132; chars 2\u20133; chars 3\u20134; and 3 more"
    assert describe_evidence({"segments": [3, 9], "window": 2}) == "segments 3\u20139 window=2"  # an older shape


def test_suspect_spans_are_read_defensively() -> None:
    validation = {
        "suspect_spans": [
            {"char_start": 5, "char_end": 9, "criterion": "repetition", "reason": "loop"},
            "junk",
            {"criterion": "x"},
            {"first_segment": -1},
            {"start": 2.0, "end": "?"},
        ]
    }
    spans = suspect_spans_of(validation)
    assert [(s.criterion, s.kind, s.char_start, s.start, s.end) for s in spans] == [
        ("repetition", "suspect", 5, None, None),
        ("suspect", "suspect", None, 2.0, None),
    ]
    assert spans[0].reason == "loop"
    assert suspect_spans_of({"suspect_spans": "no"}) == () and suspect_spans_of(None) == ()


@pytest.mark.parametrize("validation", ["yes", {"passed": True}, {"passed": True, "stage_results": {"s": {}}}])
def test_a_validation_that_is_not_a_verdict_is_malformed(validation: object) -> None:
    with pytest.raises(MalformedVerdict):
        interpret("a", {"transcription_text": "x", "validation": validation})
