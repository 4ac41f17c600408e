"""One record as HTML: its text with every evidence and suspect span marked, its segments and criteria.

Drawn from the mapping `detail_as_dict` returns, for the report's drill-down and for the review page.
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

# Each criterion keeps one colour everywhere (report, review); unknown ones get one by hash.
KNOWN = (
    "repetition",
    "script_match",
    "content_length_floor",
    "content_density",
    "segment_quality",
    "decoder_confidence",
    "known_hallucination",
    "language_drift",
    "hallucination_loop",
)
PALETTE = ("#fde68a", "#bfdbfe", "#fecaca", "#c7f9cc", "#e9d5ff", "#fed7aa", "#fbcfe8", "#a5f3fc", "#d9f99d")
RECORD_CSS = """
.rec h3 { margin:18px 0 8px; font-size:16px; }
.rec .text { white-space:pre-wrap; word-break:break-word; background:#fff; border:1px solid var(--line);
  border-radius:8px; padding:12px 14px; line-height:1.9; max-height:60vh; overflow:auto; }
.rec mark { border-radius:3px; padding:1px 0; color:inherit; }
.rec mark.suspect { text-decoration:underline dashed #7c2d12; text-underline-offset:3px; }
.rec .lbl { font:600 10.5px ui-monospace,Menlo,monospace; border-radius:3px; padding:0 4px; margin:0 2px;
  border:1px solid rgba(0,0,0,.25); vertical-align:1px; user-select:none; }
.rec .gap { display:block; color:var(--muted); font-style:italic; margin:6px 0; }
.rec table td.seg-text { white-space:pre-wrap; } .rec tr.hit td { background:#fffbeb; }
.rec .verdict-bad { color:var(--fail); font-weight:650; } .rec .verdict-good { color:var(--pass); font-weight:650; }
.rec .legend-spans .lbl { margin-right:6px; } .rec .crit-fail td:first-child { border-left:3px solid var(--fail); }
"""


def colour(criterion: str) -> str:
    index = KNOWN.index(criterion) if criterion in KNOWN else zlib.crc32(criterion.encode()) % len(PALETTE)
    return PALETTE[index % len(PALETTE)]


def record_html(detail: Mapping[str, Any], *, heading_level: int = 3) -> str:
    """The record's verdict, criteria, marked text and segments, as one HTML fragment (no script)."""
    spans = [*(s for c in detail["criteria"] for s in c["evidence"]), *detail["suspect_spans"]]
    h = f"h{heading_level}"
    return "".join(
        (
            _verdict_line(detail),
            f"<{h}>Criteria</{h}>",
            _criteria(detail["criteria"]),
            f"<{h}>Text</{h}>",
            _legend(spans),
            _text(detail, spans),
            f"<{h}>Segments</{h}>",
            _segments(detail, spans),
        )
    )


def _verdict_line(detail: Mapping[str, Any]) -> str:
    valid = detail["is_valid"]
    state = (
        '<span class="muted">unjudged</span>'
        if valid is None
        else '<span class="verdict-good">valid</span>'
        if valid
        else f'<span class="verdict-bad">rejected at {escape(detail["rejected_at"] or "?")}</span>'
    )
    duration = detail.get("duration")
    parts = [state, f"{detail['text_length']:,} characters", f"{detail['segment_count']:,} segments"]
    if duration is not None:
        parts.append(f"{duration:,.1f} s")
    if detail.get("audio"):
        parts.append(f"audio: <code>{escape(detail['audio'])}</code>")
    return f'<p class="verdict">{" · ".join(parts)}</p>'


def _criteria(criteria: Iterable[Mapping[str, Any]]) -> str:
    rows = []
    for c in criteria:
        threshold = "" if c["threshold"] is None else f"{c['threshold']:.2f}"
        mark = "passed" if c["passed"] else "<strong>failed</strong>"
        tags = "".join(f'<span class="tag">{escape(t)}</span>' for t in c["issues"])
        where = "<br>".join(f"{_label(s)} {escape(s['where'])}" for s in c["evidence"])
        rows.append(
            f'<tr class="{"crit-pass" if c["passed"] else "crit-fail"}" data-criterion="{escape(c["criterion"])}">'
            f'<td><code>{escape(c["criterion"])}</code><br><span class="muted">{escape(c["stage"])}</span></td>'
            f'<td class="num">{c["score"]:.2f}</td><td class="num">{threshold}</td><td>{mark}</td>'
            f"<td>{escape(c['rationale'])}{('<br>' + tags) if tags else ''}</td><td>{where}</td></tr>"
        )
    return (
        '<table class="criteria"><tr><th>criterion</th><th>score</th><th>threshold</th><th></th>'
        f"<th>rationale and tags</th><th>evidence</th></tr>{''.join(rows)}</table>"
    )


def _label(span: Mapping[str, Any]) -> str:
    criterion = str(span.get("criterion") or "")
    name = f"suspect: {criterion}" if span.get("kind") == "suspect" else criterion
    return f'<span class="lbl" style="background:{colour(criterion)}">{escape(name)}</span>'


def _legend(spans: list[Mapping[str, Any]]) -> str:
    if not spans:
        return '<p class="muted">No criterion located its evidence in this record.</p>'
    seen = {(_label(s)) for s in spans}
    located = sum(1 for s in spans if "char_start" in s)
    note = "" if located == len(spans) else f" ({len(spans) - located} of them name segments only: see below)"
    count = f"{len(spans)} span{'' if len(spans) == 1 else 's'}"
    return f'<p class="legend-spans">{"".join(sorted(seen))}<span class="muted">{count}{note}</span></p>'


def _text(detail: Mapping[str, Any], spans: list[Mapping[str, Any]]) -> str:
    located = [s for s in spans if "char_start" in s and "char_end" in s]
    out: list[str] = []
    position = 0
    for piece in detail["text"]:
        offset, text = piece["offset"], piece["text"]
        if offset > position:
            out.append(f'<span class="gap">… {offset - position:,} characters not kept in this report …</span>')
        out.append(_marked(text, offset, located))
        position = offset + len(text)
    if position < detail["text_length"]:
        out.append(f'<span class="gap">… {detail["text_length"] - position:,} characters not kept …</span>')
    return f'<div class="text">{"".join(out) or "<span class=muted>(no text)</span>"}</div>'


def _marked(text: str, offset: int, spans: list[Mapping[str, Any]]) -> str:
    end = offset + len(text)
    inside = [s for s in spans if s["char_start"] < end and s["char_end"] > offset]
    cuts = sorted({offset, end, *(max(offset, min(end, s[k])) for s in inside for k in ("char_start", "char_end"))})
    out: list[str] = []
    for a, b in itertools.pairwise(cuts):
        chunk = escape(text[a - offset : b - offset])
        starting = [s for s in inside if s["char_start"] == a]
        out.extend(_label(s) for s in starting)
        covering = [s for s in inside if s["char_start"] <= a and s["char_end"] >= b]
        if not covering:
            out.append(chunk)
            continue
        names = " ".join(dict.fromkeys(str(s.get("criterion")) for s in covering))
        suspect = " suspect" if any(s.get("kind") == "suspect" for s in covering) else ""
        title = "; ".join(f"{s.get('criterion')}: {s['where']}" for s in covering)
        out.append(
            f'<mark class="hl{suspect}" data-criteria="{escape(names)}" title="{escape(title)}" '
            f'style="background:{colour(str(covering[0].get("criterion")))}{_second(covering)}">{chunk}</mark>'
        )
    return "".join(out)


def _second(covering: list[Mapping[str, Any]]) -> str:
    """Where two criteria overlap, the second one's colour underlines the first's."""
    other = next((s for s in covering if s.get("criterion") != covering[0].get("criterion")), None)
    return "" if other is None else f";box-shadow:inset 0 -4px 0 {colour(str(other.get('criterion')))}"


def _segments(detail: Mapping[str, Any], spans: list[Mapping[str, Any]]) -> str:
    segments = detail["segments"]
    if not segments:
        return '<p class="muted">The record has no segments.</p>'
    ranged = [s for s in spans if "first_segment" in s]
    rows = []
    for segment in segments:
        index = segment["index"]
        hits = [s for s in ranged if s["first_segment"] <= index <= s.get("last_segment", s["first_segment"])]
        labels = "".join(dict.fromkeys(_label(s) for s in hits))
        start, end = segment["start"], segment["end"]
        times = f"{_time(start)} → {_time(end)}" if start is not None else ""
        rows.append(
            f'<tr class="{"hit" if hits else ""}" data-segment="{index}"{_start_attribute(start)}>'
            f'<td class="num">{index}</td>'
            f'<td class="num">{times}</td><td class="seg-text">{escape(segment["text"])}</td><td>{labels}</td></tr>'
        )
    shown = len(segments)
    note = (
        ""
        if shown == detail["segment_count"]
        else (
            f'<p class="muted">{shown:,} of {detail["segment_count"]:,} segments shown: the first ones and those '
            "around each span.</p>"
        )
    )
    return (
        f'{note}<table class="segments"><tr><th>#</th><th>time</th><th>text</th><th>spans</th></tr>'
        f"{''.join(rows)}</table>"
    )


def _start_attribute(start: float | None) -> str:
    return "" if start is None else f' data-start="{start:g}"'


def _time(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)}:{rest:05.2f}"
