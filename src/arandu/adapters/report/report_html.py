"""The corpus report as one self-contained HTML page: inline CSS and SVG, no script, no network."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from arandu.adapters.report.svg_chart import FAIL, MIXED, PASS, histogram_svg

_ROOT = f":root {{ --ink:#1f2933; --muted:#616e7c; --line:#e4e7eb; --fail:{FAIL}; --pass:{PASS}; --mixed:{MIXED}; }}"
_STYLE = """
* { box-sizing: border-box; }
body { margin:0; font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; color:var(--ink);
       background:#f5f7fa; }
main { max-width:1180px; margin:0 auto; padding:32px 28px 48px; }
h1 { font-size:26px; margin:0 0 4px; } h2 { font-size:19px; margin:36px 0 12px; }
.location { color:var(--muted); font-family:ui-monospace,Menlo,Consolas,monospace; margin:0; word-break:break-all; }
.cards { display:grid; grid-template-columns:repeat(5,1fr); gap:12px; margin-top:22px; }
.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:12px 16px; }
.card .value { font-size:26px; font-weight:650; } .card .label { color:var(--muted); font-size:13px; }
.card.valid .value { color:var(--pass); } .card.invalid .value { color:var(--fail); }
.split { display:grid; grid-template-columns:1fr 1fr; gap:20px; }
table { width:100%; border-collapse:collapse; background:#fff; border:1px solid var(--line); border-radius:8px; }
th, td { text-align:left; padding:7px 10px; border-bottom:1px solid var(--line); vertical-align:top; }
th { white-space:nowrap; font-size:12px; text-transform:uppercase; letter-spacing:.04em; color:var(--muted);
     background:#fafbfc; }
td.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
.bar { height:8px; background:var(--fail); border-radius:4px; min-width:2px; }
.charts { display:grid; grid-template-columns:repeat(auto-fill,minmax(480px,1fr)); gap:16px; }
figure { margin:0; background:#fff; border:1px solid var(--line); border-radius:8px; padding:12px 8px 6px; }
figcaption { padding:0 8px 6px; } figcaption .name { font-weight:650; }
figcaption .meta { color:var(--muted); font-size:13px; display:block; }
svg text { font:11px system-ui,sans-serif; fill:var(--muted); } svg text.count { font-size:10px; fill:var(--ink); }
svg .grid { stroke:var(--line); } svg .baseline, svg .tick { stroke:#9aa5b1; }
svg .threshold { stroke:var(--ink); stroke-width:1.5; stroke-dasharray:5 3; }
svg text.threshold-label { fill:var(--ink); font-weight:600; }
.legend span { display:inline-block; width:10px; height:10px; border-radius:2px; margin:0 4px 0 14px; }
code, .path { font-family:ui-monospace,Menlo,Consolas,monospace; font-size:12.5px; }
.path { word-break:break-all; } td code { white-space:nowrap; }
table.worst td { font-size:13.5px; } table.worst td.failing { white-space:nowrap; }
table.worst td.evidence { min-width:170px; } table.worst td.path { min-width:200px; }
svg.criterion-chart { width:100%; height:auto; display:block; }
.tag { display:inline-block; background:#fff4e5; color:#8a4b08; border-radius:4px; padding:0 6px; margin:1px 2px;
       font:12px ui-monospace,Menlo,monospace; }
.muted { color:var(--muted); } footer { margin-top:40px; color:var(--muted); font-size:13px; }
@media (max-width:900px) { .cards { grid-template-columns:repeat(2,1fr); } .split { grid-template-columns:1fr; } }
"""


def report_html(data: Mapping[str, Any], *, version: str) -> str:
    """The page for a report given as `report_as_dict` returns it."""
    title = f"arandu report: {data['location']}"
    body = [
        f'<header><h1>Transcription verdicts</h1><p class="location">{escape(data["location"])}</p></header>',
        _cards(data),
        _rejections(data),
        _charts(data),
        _worst(data),
        _provenance(data),
        _unreadable(data),
        f"<footer>Written by arandu {escape(version)} from the verdicts stored in the records; "
        "nothing was judged.</footer>",
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_ROOT}{_STYLE}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(part for part in body if part)
        + "\n</main>\n</body>\n</html>\n"
    )


def _cards(data: Mapping[str, Any]) -> str:
    total = data["records"]

    def card(kind: str, label: str, value: int) -> str:
        share = f' <span class="muted">({value / total:.1%})</span>' if total and kind != "records" else ""
        return (
            f'<div class="card {kind}"><div class="value">{value:,}</div><div class="label">{label}{share}</div></div>'
        )

    return (
        '<section class="cards">'
        + card("records", "records", total)
        + card("valid", "valid", data["valid"])
        + card("invalid", "invalid", data["invalid"])
        + card("unjudged", "unjudged", data["unjudged"])
        + card("unreadable", "unreadable", data["unreadable"])
        + "</section>"
    )


def _count_table(heading: str, counts: Mapping[str, int], of: int) -> str:
    if not counts:
        return f'<div><table><tr><th>{heading}</th></tr><tr><td class="muted">no rejections</td></tr></table></div>'
    top = max(counts.values())
    rows = "".join(
        f'<tr><td><code>{escape(name)}</code></td><td class="num">{n:,}</td>'
        f'<td class="num">{n / of:.1%}</td>'
        f'<td style="width:40%"><div class="bar" style="width:{100 * n / top:.1f}%"></div></td></tr>'
        for name, n in counts.items()
    )
    return f"<div><table><tr><th>{heading}</th><th>records</th><th>of invalid</th><th></th></tr>{rows}</table></div>"


def _rejections(data: Mapping[str, Any]) -> str:
    of = max(1, data["invalid"])
    return (
        "<section><h2>Rejections</h2>"
        '<p class="muted">A record fails at the first stage that rejects it; '
        "it can fail several criteria of that stage.</p>"
        f'<div class="split">{_count_table("stage", data["rejections_by_stage"], of)}'
        f"{_count_table('criterion', data['rejections_by_criterion'], of)}</div></section>"
    )


def _charts(data: Mapping[str, Any]) -> str:
    criteria: Mapping[str, Any] = data["criteria"]
    if not criteria:
        return '<section><h2>Scores per criterion</h2><p class="muted">No judged record.</p></section>'
    figures = []
    for name, stats in criteria.items():
        threshold = stats["threshold"]
        others = [t for t in stats["thresholds_seen"] if threshold is None or float(t) != threshold]
        meta = (
            f"{escape(stats['stage'])} · failed {stats['failed']:,} of {stats['evaluated']:,} evaluated"
            + (f" · mean {stats['mean_score']:.2f}" if stats["mean_score"] is not None else "")
            + (f" · other thresholds seen: {escape(', '.join(others))}" if others else "")
        )
        figures.append(
            f'<figure id="criterion-{escape(name)}"><figcaption><span class="name">{escape(name)}</span>'
            f'<span class="meta">{meta}</span></figcaption>'
            f"{histogram_svg(name, stats['histogram']['counts'], threshold)}</figure>"
        )
    legend = (
        '<p class="legend muted">Each bar counts the records whose score falls in a 0.05-wide bin.'
        '<span style="background:var(--fail)"></span>below the threshold (fails)'
        '<span style="background:var(--pass)"></span>at or above (passes)'
        '<span style="background:var(--mixed)"></span>bin straddles the threshold</p>'
    )
    return f'<section><h2>Scores per criterion</h2>{legend}<div class="charts">{"".join(figures)}</div></section>'


def _worst(data: Mapping[str, Any]) -> str:
    worst = data["worst_records"]
    if not worst:
        return ""
    location = data["location"]
    rows = []
    for record in worst:
        failing = "<br>".join(
            f"<code>{escape(f['criterion'])}</code> {f['score']:.2f} &lt; {f['threshold']:.2f}"
            for f in record["failing"]
        )
        tags = "".join(f'<span class="tag">{escape(tag)}</span>' for tag in record["tags"])
        evidence = "<br>".join(f"<code>{escape(n)}</code>: {escape(w)}" for n, w in record["evidence"].items())
        evidence = evidence or '<span class="muted">none given</span>'
        stage = escape(record["rejected_at"] or "")
        rows.append(
            f'<tr><td class="path" title="{escape(record["path"])}">{escape(_relative(record["path"], location))}</td>'
            f'<td><code>{stage}</code></td><td class="failing">{failing}</td><td>{tags}</td>'
            f'<td class="evidence">{evidence}</td></tr>'
        )
    return (
        f'<section><h2>Worst records</h2><p class="muted">The {len(worst)} rejected records that fell furthest '
        "below a threshold (paths relative to the location).</p>"
        '<table class="worst"><tr><th>record</th><th>stage</th><th>failing</th><th>tags</th>'
        f"<th>evidence</th></tr>{''.join(rows)}</table></section>"
    )


def _provenance(data: Mapping[str, Any]) -> str:
    def block(heading: str, counts: Mapping[str, int]) -> str:
        if not counts:
            return f'<tr><td>{heading}</td><td class="muted">none recorded</td><td></td></tr>'
        return "".join(
            f'<tr><td>{heading if i == 0 else ""}</td><td><code>{escape(k)}</code></td><td class="num">{n:,}</td></tr>'
            for i, (k, n) in enumerate(counts.items())
        )

    return (
        "<section><h2>Judged by</h2><table><tr><th></th><th>value</th><th>verdicts</th></tr>"
        + block("validator model", data["validators"])
        + block("prompt versions", data["prompt_versions"])
        + block("arandu version", data["arandu_versions"])
        + block("language", data["languages"])
        + "</table></section>"
    )


def _unreadable(data: Mapping[str, Any]) -> str:
    examples = data["unreadable_examples"]
    if not examples:
        return ""
    rows = "".join(
        f'<tr><td class="path">{escape(e["path"])}</td><td>{escape(e["reason"])}</td></tr>' for e in examples
    )
    more = data["unreadable"] - len(examples)
    note = f'<p class="muted">and {more:,} more.</p>' if more > 0 else ""
    return (
        "<section><h2>Unreadable records</h2><table><tr><th>record</th><th>reason</th></tr>"
        f"{rows}</table>{note}</section>"
    )


def _relative(path: str, location: str) -> str:
    prefix = location.rstrip("/") + "/"
    for candidate in (prefix, prefix.split("://", 1)[-1]):
        if path.startswith(candidate) and len(path) > len(candidate):
            return path[len(candidate) :]
    return path
