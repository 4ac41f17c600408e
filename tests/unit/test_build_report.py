"""The corpus report: counts, rejections, distributions, worst records and provenance from stored verdicts."""

from __future__ import annotations

from typing import Any

from arandu.application.build_report import BuildReport
from arandu.application.corpus_report import BIN_EXAMPLES, BINS, CRITERION_RECORDS, CorpusReport
from arandu.application.record_detail import REPORT_LIMITS
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
    assert worst[0].shortfall == 0.6 and (worst[0].group.criterion, worst[0].group.family) == ("script_match", "")
    report = BuildReport(InMemoryDocuments(_corpus()), worst=10)()
    c = report.detail("c_transcription.json")
    failing = [criterion for criterion in c.criteria if not criterion.passed]
    assert [(f.name, f.issues) for f in failing] == [("repetition", ("high_word_repetition:obrigada:30",))]
    assert failing[0].spans[0].first_segment == 2 and failing[0].spans[0].last_segment == 9


def _case(i: int, criterion: str, score: float, tag: str) -> dict[str, Any]:
    scores = {"content_length_floor": 1.0, "script_match": 1.0, "repetition": 1.0, criterion: score}
    return judged(scores, tags={criterion: [tag]})


def test_one_case_repeated_a_thousand_times_does_not_fill_the_worst_list() -> None:
    documents: dict[str, dict[str, Any] | str] = {
        f"loop{i:04d}": _case(i, "repetition", 0.0, "high_word_repetition:x:9") for i in range(1000)
    }
    documents["script"] = _case(0, "script_match", 0.3, "wrong_script:Cyrillic_detected")
    documents["phrase"] = _case(0, "repetition", 0.2, "repeated_phrase:a b c:7")
    report = BuildReport(InMemoryDocuments(documents), worst=4)()
    assert [w.key for w in report.worst] == ["loop0000", "phrase", "script", "loop0001"]
    groups = [(g.criterion, g.family, g.records) for g in report.failure_groups]
    assert groups == [
        ("repetition", "high_word_repetition", 1000),
        ("repetition", "repeated_phrase", 1),
        ("script_match", "wrong_script", 1),
    ]


def test_each_criterion_lists_its_failing_records_deepest_first_and_each_bin_its_records() -> None:
    documents = {f"{i:03d}": judged({"repetition": i / 100}) for i in range(100)}
    report = BuildReport(InMemoryDocuments(dict(documents)))()
    stats = report.criteria["repetition"]
    assert [key for _, key in stats.failing_records.ranked()][:3] == ["000", "001", "002"]
    assert len(stats.failing_records) == CRITERION_RECORDS
    assert [key for _, key in stats.bin_records[3].ranked()] == ["015", "016", "017", "018"][:BIN_EXAMPLES]
    assert all(0.15 <= report.detail(key).criteria[0].score < 0.2 for _, key in stats.bin_records[3].ranked())


def test_the_worst_list_stays_bounded_and_does_not_depend_on_order() -> None:
    documents = {f"{i:04d}": judged({"repetition": (i % 50) / 100}) for i in range(500)}
    forward = CorpusReport(worst_limit=5)
    backward = CorpusReport(worst_limit=5)
    for key in sorted(documents):
        forward.add(interpret(key, documents[key]))
    for key in sorted(documents, reverse=True):
        backward.add(interpret(key, documents[key]))
    assert [w.key for w in forward.worst] == [w.key for w in backward.worst] == ["0000", "0050", "0100", "0150", "0200"]
    assert forward.details_kept == backward.details_kept


def test_details_are_kept_only_for_listed_records_and_each_is_capped() -> None:
    long_text = "palavra " * 20_000  # 160,000 characters
    documents = {f"{i:05d}": judged({"repetition": (i % 97) / 100}, text=long_text) for i in range(3000)}
    report = CorpusReport(worst_limit=10)
    for key in sorted(documents):
        report.add(interpret(key, documents[key]))
    listed = {
        key
        for stats in report.criteria.values()
        for top in [stats.failing_records, *stats.bin_records]
        for _, key in top.ranked()
    } | {key for g in report.groups.values() for _, key in g.examples.ranked()}
    assert report.details_kept == len(listed) <= CRITERION_RECORDS + BINS * BIN_EXAMPLES + 10
    for key in listed:
        detail = report.detail(key)
        assert detail.text_length == len(long_text)
        assert sum(len(text) for _, text in detail.pieces) <= REPORT_LIMITS.text_chars


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
