"""The corpus report as one self-contained HTML page: inline CSS and SVG, no script, no network.

Every listed record opens in place (a `:target` overlay): its text with the spans marked, its
segments and its criteria. A histogram bar opens the list of the records of its bin.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Any

from arandu.adapters.report.record_view import RECORD_CSS, record_html
from arandu.adapters.report.report_style import STYLE
from arandu.adapters.report.svg_chart import histogram_svg


class _Ids:
    """Fragment ids for records and criteria (names may hold any character; ids must not)."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.records = {path: f"r{i}" for i, path in enumerate(data["record_details"])}
        self.criteria = {name: f"c{i}" for i, name in enumerate(data["criteria"])}

    def link(self, path: str) -> str:
        target = self.records.get(path)
        text = escape(path)
        return f'<a class="path" href="#{target}">{text}</a>' if target else f'<span class="path">{text}</span>'


def report_html(data: Mapping[str, Any], *, version: str) -> str:
    """The page for a report given as `report_as_dict` returns it."""
    ids = _Ids(data)
    title = f"arandu report: {data['location']}"
    body = [
        f'<header><h1>Transcription verdicts</h1><p class="location">{escape(data["location"])}</p></header>',
        _cards(data),
        _rejections(data, ids),
        _groups(data, ids),
        _worst(data, ids),
        _charts(data, ids),
        _provenance(data),
        _unreadable(data),
        f"<footer>Written by arandu {escape(version)} from the verdicts stored in the records; "
        "nothing was judged.</footer>",
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}{RECORD_CSS}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(part for part in body if part)
        + "\n</main>\n"
        + _records(data, ids)
        + "\n</body>\n</html>\n"
    )


def _cards(data: Mapping[str, Any]) -> str:
    total = data["records"]

    def card(kind: str, value: int) -> str:
        share = f' <span class="muted">({value / total:.1%})</span>' if total and kind != "records" else ""
        label = f'<div class="label">{kind}{share}</div>'
        return f'<div class="card {kind}"><div class="value">{value:,}</div>{label}</div>'

    kinds = ("records", "valid", "invalid", "unjudged", "unreadable")
    return '<section class="cards">' + "".join(card(kind, data[kind]) for kind in kinds) + "</section>"


def _count_table(heading: str, counts: Mapping[str, int], of: int, ids: _Ids | None = None) -> str:
    if not counts:
        return f'<div><table><tr><th>{heading}</th></tr><tr><td class="muted">no rejections</td></tr></table></div>'
    top = max(counts.values())
    rows = []
    for name, n in counts.items():
        target = ids.criteria.get(name) if ids else None
        label = f'<a href="#{target}"><code>{escape(name)}</code></a>' if target else f"<code>{escape(name)}</code>"
        rows.append(
            f'<tr><td>{label}</td><td class="num">{n:,}</td><td class="num">{n / of:.1%}</td>'
            f'<td style="width:40%"><div class="bar" style="width:{100 * n / top:.1f}%"></div></td></tr>'
        )
    return (
        f"<div><table><tr><th>{heading}</th><th>records</th><th>of invalid</th><th></th></tr>{''.join(rows)}"
        "</table></div>"
    )


def _rejections(data: Mapping[str, Any], ids: _Ids) -> str:
    of = max(1, data["invalid"])
    return (
        "<section><h2>Rejections</h2>"
        '<p class="muted">A record fails at the first stage that rejects it; '
        "it can fail several criteria of that stage.</p>"
        f'<div class="split">{_count_table("stage", data["rejections_by_stage"], of)}'
        f"{_count_table('criterion', data['rejections_by_criterion'], of, ids)}</div></section>"
    )


def _groups(data: Mapping[str, Any], ids: _Ids) -> str:
    groups = data["failure_groups"]
    if not groups:
        return ""
    of = max(1, data["invalid"])
    rows = "".join(
        f'<tr class="group"><td><code>{escape(g["criterion"])}</code></td>'
        f'<td>{_family(g["tag_family"])}</td><td class="num">{g["records"]:,}</td>'
        f'<td class="num">{g["records"] / of:.1%}</td>'
        f"<td>{' '.join(ids.link(p) for p in g['examples'][:3])}</td></tr>"
        for g in groups
    )
    return (
        '<section id="groups"><h2>Failures by kind</h2><p class="muted">Each rejected record counts once, under the '
        "criterion it fell furthest below and the family of that criterion's first tag; the examples are the "
        "group's worst records.</p><table><tr><th>criterion</th><th>tag family</th><th>records</th>"
        f"<th>of invalid</th><th>worst examples</th></tr>{rows}</table></section>"
    )


def _family(family: str) -> str:
    return '<span class="muted">no tag</span>' if not family else f'<span class="tag">{escape(family)}</span>'


def _worst(data: Mapping[str, Any], ids: _Ids) -> str:
    worst = data["worst_records"]
    if not worst:
        return ""
    rows = []
    for record in worst:
        failing = "<br>".join(
            f"<code>{escape(f['criterion'])}</code> {f['score']:.2f} &lt; {f['threshold']:.2f}"
            for f in record["failing"]
        )
        tags = "".join(f'<span class="tag">{escape(tag)}</span>' for tag in record["tags"][:6])
        evidence = "<br>".join(
            f"<code>{escape(name)}</code>: {escape('; '.join(s['where'] for s in spans[:3]))}"
            + (f" and {len(spans) - 3} more" if len(spans) > 3 else "")
            for name, spans in record["evidence"].items()
        )
        rows.append(
            f"<tr><td>{ids.link(record['path'])}</td><td><code>{escape(record['rejected_at'] or '')}</code></td>"
            f'<td class="failing">{failing}</td><td>{tags}</td>'
            f'<td class="evidence">{evidence or "<span class=muted>none located</span>"}</td></tr>'
        )
    return (
        f'<section id="worst"><h2>Worst records</h2><p class="muted">{len(worst)} rejected records, taken in turn '
        "from each kind of failure, worst first. Paths are relative to the location; open one to see its text, "
        "spans, segments and criteria.</p>"
        '<table class="worst"><tr><th>record</th><th>stage</th><th>failing</th><th>tags</th>'
        f"<th>evidence</th></tr>{''.join(rows)}</table></section>"
    )


def _charts(data: Mapping[str, Any], ids: _Ids) -> str:
    criteria: Mapping[str, Any] = data["criteria"]
    if not criteria:
        return '<section><h2>Scores per criterion</h2><p class="muted">No judged record.</p></section>'
    figures = [_criterion_figure(name, stats, ids) for name, stats in criteria.items()]
    legend = (
        '<p class="legend muted">Each bar counts the records whose score falls in a 0.05-wide bin; '
        "click a bar to list its records."
        '<span style="background:var(--fail)"></span>below the threshold (fails)'
        '<span style="background:var(--pass)"></span>at or above (passes)'
        '<span style="background:var(--mixed)"></span>bin straddles the threshold</p>'
    )
    return f'<section><h2>Scores per criterion</h2>{legend}<div class="charts">{"".join(figures)}</div></section>'


def _criterion_figure(name: str, stats: Mapping[str, Any], ids: _Ids) -> str:
    cid = ids.criteria[name]
    threshold = stats["threshold"]
    histogram = stats["histogram"]
    others = [t for t in stats["thresholds_seen"] if threshold is None or float(t) != threshold]
    meta = (
        f"{escape(stats['stage'])} · failed {stats['failed']:,} of {stats['evaluated']:,} evaluated"
        + (f" · mean {stats['mean_score']:.2f}" if stats["mean_score"] is not None else "")
        + (f" · other thresholds seen: {escape(', '.join(others))}" if others else "")
    )
    links = [f"{cid}-b{i}" if paths else None for i, paths in enumerate(histogram["examples"])]
    width = histogram["bin_width"]
    bins = "".join(
        f'<div class="bin" id="{cid}-b{i}"><p><strong>{escape(name)}</strong> scores {i * width:.2f} to '
        f"{(i + 1) * width:.2f}: {histogram['counts'][i]:,} records"
        f"{'' if len(paths) == histogram['counts'][i] else f', the first {len(paths)} by path'}</p>"
        f"<ul>{''.join(f'<li>{ids.link(p)}</li>' for p in paths)}</ul></div>"
        for i, paths in enumerate(histogram["examples"])
        if paths
    )
    failing = stats["failing_records"]
    listing = (
        f'<details class="failing-list"><summary>{len(failing)} of {stats["failed"]:,} failing records, deepest '
        f"falls first</summary><ol>"
        + "".join(f'<li>{ids.link(r["path"])} <span class="muted">{r["fall"]:.2f} below</span></li>' for r in failing)
        + "</ol></details>"
        if failing
        else ""
    )
    return (
        f'<figure id="{cid}"><figcaption><span class="name">{escape(name)}</span>'
        f'<span class="meta">{meta}</span></figcaption>'
        f"{histogram_svg(name, histogram['counts'], threshold, links=links)}{bins}{listing}</figure>"
    )


def _records(data: Mapping[str, Any], ids: _Ids) -> str:
    sections = []
    for path, detail in data["record_details"].items():
        uri = _file_uri(data["location"], path)
        opener = f' · <a class="file" href="{escape(uri)}">open the file</a>' if uri else ""
        sections.append(
            f'<section class="record rec" id="{ids.records[path]}" data-path="{escape(path)}">'
            '<div class="sheet"><a class="close" href="#_" title="close">close ✕</a>'
            f'<h2 class="path">{escape(path)}</h2>'
            f'<p class="muted">relative to {escape(data["location"])}{opener}</p>'
            f"{record_html(detail)}</div></section>"
        )
    return "\n".join(sections)


def _file_uri(location: str, path: str) -> str | None:
    """The record file's file:// address when the location is a local folder or file (a bucket has none)."""
    if "://" in location and not location.startswith("file://"):
        return None
    base = Path(location.removeprefix("file://")).resolve()
    target = base / path if base.is_dir() else base
    return target.as_uri() if target.is_file() else None


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
