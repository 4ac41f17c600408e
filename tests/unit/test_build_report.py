"""The corpus report: counts, rejections, distributions, worst records and provenance from stored verdicts."""

from __future__ import annotations

from typing import Any

from arandu.application.build_report import BuildReport
from arandu.application.corpus_report import BINS, CorpusReport
from arandu.application.stored_verdict import interpret
from tests.unit.verdict_corpus import InMemoryDocuments, judged, unjudged


def _corpus() -> dict[str, dict[str, Any] | str]:
    return {
        "a_transcription.json": judged({"content_length_floor": 1.0, "script_match": 1.0, "repetition": 0.9}),
        "b_transcription.json": judged({"content_length_floor": 1.0, "script_match": 0.9, "repetition": 0.55}),
        "c_transcription.json": judged(
            {"content_length_floor": 1.0, "script_match": 1.0, "repetition": 0.1},
            tags={"repetition": ["high_word_repetition:obrigada:30"]},
            evidence={"repetition": {"segments": [2, 9]}},
        ),
        "d_transcription.json": judged({"content_length_floor": 0.0}, tags={"content_length_floor": ["short"]}),
        "e_transcription.json": judged(
            {"content_length_floor": 1.0, "script_match": 0.0, "repetition": 0.3}, model="qwen3:14b"
        ),
        "f_transcription.json": unjudged(),
        "g_transcription.json": "not valid JSON",
        "h_transcription.json": {"transcription_text": "x", "validation": {"passed": "yes"}},
    }


def test_counts_match_the_corpus() -> None:
    report = BuildReport(InMemoryDocuments(_corpus()))()
    assert (report.records, report.valid, report.invalid, report.unjudged, report.unreadable) == (8, 2, 3, 1, 2)
    assert dict(report.rejections_by_stage) == {"heuristic_filter": 3}
    assert dict(report.rejections_by_criterion) == {"repetition": 2, "content_length_floor": 1, "script_match": 1}
    assert [e.key for e in report.error_examples] == ["g_transcription.json", "h_transcription.json"]


def test_each_criterion_has_a_histogram_with_its_threshold() -> None:
    report = BuildReport(InMemoryDocuments(_corpus()))()
    assert list(report.criteria) == ["content_length_floor", "script_match", "repetition"]
    repetition = report.criteria["repetition"]
    assert (repetition.evaluated, repetition.failed, repetition.threshold) == (4, 2, 0.5)
    assert sum(repetition.histogram) == 4 and len(repetition.histogram) == BINS
    assert repetition.histogram[2] == 1  # 0.1 falls in [0.10, 0.15)
    assert report.criteria["content_length_floor"].histogram[BINS - 1] == 4  # a score of 1.0 is in the last bin


def test_worst_records_are_the_deepest_below_a_threshold_with_tags_and_evidence() -> None:
    report = BuildReport(InMemoryDocuments(_corpus()), worst=2)()
    worst = report.worst
    assert [w.key for w in worst] == ["e_transcription.json", "d_transcription.json"]
    assert worst[0].failing == (("script_match", 0.0, 0.6), ("repetition", 0.3, 0.5))
    report = BuildReport(InMemoryDocuments(_corpus()), worst=10)()
    c = next(w for w in report.worst if w.key == "c_transcription.json")
    assert c.tags == ("high_word_repetition:obrigada:30",)
    assert c.evidence == (("repetition", "segments=2\u20139"),)


def test_the_worst_list_stays_bounded_and_does_not_depend_on_order() -> None:
    documents = {f"{i:04d}": judged({"repetition": (i % 50) / 100}) for i in range(500)}
    forward = CorpusReport(worst_limit=5)
    backward = CorpusReport(worst_limit=5)
    for key in sorted(documents):
        forward.add(interpret(key, documents[key]))
    for key in sorted(documents, reverse=True):
        backward.add(interpret(key, documents[key]))
    assert len(forward._worst) == 5
    assert [w.key for w in forward.worst] == [w.key for w in backward.worst] == ["0000", "0050", "0100", "0150", "0200"]


def test_validator_models_and_prompt_versions_are_counted() -> None:
    report = BuildReport(InMemoryDocuments(_corpus()))()
    assert dict(report.validators) == {"none: heuristic stage only": 4, "qwen3:14b (ollama)": 1}
    assert dict(report.prompt_versions) == {"hallucination_loop v1": 1}


def test_listener_sees_every_readable_record_and_errors_are_reported() -> None:
    seen: list[str] = []
    errors: list[str] = []
    BuildReport(InMemoryDocuments(_corpus()))(
        listener=lambda r: seen.append(r.key), on_error=lambda e: errors.append(e.key)
    )
    assert len(seen) == 6 and len(errors) == 2
