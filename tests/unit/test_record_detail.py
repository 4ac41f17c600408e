"""One record's drill-down: the text around its spans, its segments, its audio; bounded however large it is."""

from __future__ import annotations

from typing import Any

from arandu.application.record_detail import REPORT_LIMITS, Limits, audio_hint, record_detail
from arandu.application.stored_verdict import interpret
from tests.unit.verdict_corpus import judged


def _long_record(text: str, places: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    document = judged({"repetition": 0.1}, text=text, evidence={"repetition": places})
    document.update(fields)
    return document


def test_a_short_text_is_kept_whole() -> None:
    detail = record_detail(interpret("k", judged({"repetition": 0.9}, text="tudo certo")))
    assert detail.pieces == ((0, "tudo certo"),) and detail.text_complete


def test_a_long_text_keeps_its_head_and_the_text_around_each_span_at_their_offsets() -> None:
    text = "".join(f"w{i:05d} " for i in range(20_000))  # 140,000 characters
    places = [{"char_start": 70_000, "char_end": 70_040}, {"char_start": 130_000, "char_end": 139_000}]
    detail = record_detail(interpret("k", _long_record(text, places)))
    assert detail.text_length == len(text) and not detail.text_complete
    assert sum(len(piece) for _, piece in detail.pieces) <= REPORT_LIMITS.text_chars
    for offset, piece in detail.pieces:
        assert text[offset : offset + len(piece)] == piece
    covered = [(offset, offset + len(piece)) for offset, piece in detail.pieces]

    def shown(position: int) -> bool:
        return any(start <= position < end for start, end in covered)

    assert shown(0) and shown(70_000) and shown(70_039)
    assert shown(130_000) and shown(138_999) and not shown(135_000)  # a long span is shown by its two ends


def test_segments_are_capped_around_the_spans_and_whisper_cpp_offsets_are_read() -> None:
    segments = [{"start": i, "end": i + 1, "text": f"s{i}"} for i in range(5000)]
    document = _long_record("s0 s1", [{"first_segment": 4000, "last_segment": 4003}], segments=segments)
    detail = record_detail(interpret("k", document), Limits(segments=40))
    indices = [s.index for s in detail.segments]
    assert len(indices) <= 40 and detail.segment_count == 5000
    assert {0, 9, 3998, 4000, 4003, 4005} <= set(indices)
    assert detail.segments[indices.index(4000)].start == 4000.0
    cpp = judged({"repetition": 0.9}, text="")
    cpp["transcription"] = [{"offsets": {"from": 1500, "to": 2500}, "text": " olá"}]
    detail = record_detail(interpret("k", cpp))
    assert [(s.start, s.end, s.text) for s in detail.segments] == [(1.5, 2.5, " olá")]
    assert detail.pieces == ((0, "olá"),) and detail.duration == 2.5


def test_the_audio_is_found_by_audio_path_then_by_name() -> None:
    assert audio_hint({"audio_path": "a/x.wav", "name": "y"}) == "a/x.wav"
    assert audio_hint({"audio_path": 3, "name": "y.mp3"}) == "y.mp3"
    assert audio_hint({"name": None}) is None
