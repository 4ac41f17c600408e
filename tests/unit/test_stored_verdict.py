"""Reading a verdict back from a record: what the judge writes, plus fields a later version may add."""

from __future__ import annotations

import pytest

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


def test_an_optional_evidence_field_is_kept_in_a_short_readable_form() -> None:
    document = judged({"repetition": 0.1}, evidence={"repetition": {"segments": [3, 9], "start": 12.5}})
    record = interpret("a", document)
    assert record.verdict is not None
    assert record.verdict.criteria[0].evidence == "segments=3\u20139, start=12.5"
    assert describe_evidence(None) is None
    assert describe_evidence("chars 10-40") == "chars 10-40"


@pytest.mark.parametrize("validation", ["yes", {"passed": True}, {"passed": True, "stage_results": {"s": {}}}])
def test_a_validation_that_is_not_a_verdict_is_malformed(validation: object) -> None:
    with pytest.raises(MalformedVerdict):
        interpret("a", {"transcription_text": "x", "validation": validation})
