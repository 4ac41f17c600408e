"""The report on a terminal: counts, rejections, one-line histograms, worst records, provenance."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

_BLOCKS = " ▁▂▃▄▅▆▇█"


def print_report(data: Mapping[str, Any], console: Console) -> None:
    """Print a report given as `report_as_dict` returns it."""
    total = data["records"]
    console.print(Text(f"arandu report: {data['location']}", style="bold"))
    counts = Table(show_header=False, box=None, pad_edge=False)
    for label, key, style in (
        ("records", "records", "bold"),
        ("valid", "valid", "green"),
        ("invalid", "invalid", "red"),
        ("unjudged", "unjudged", "yellow"),
        ("unreadable", "unreadable", "magenta"),
    ):
        value = data[key]
        share = f"{value / total:6.1%}" if total and key != "records" else ""
        counts.add_row(f"  {label}", Text(f"{value:>8,}", style=style), share)
    console.print(counts)
    _counts(console, "rejections by stage", data["rejections_by_stage"])
    _counts(console, "rejections by criterion", data["rejections_by_criterion"])
    if data["criteria"]:
        console.print(Text("\nscores per criterion (0 → 1, bins of 0.05; ┃ marks the threshold)", style="bold"))
        table = Table(box=None, pad_edge=False)
        for column in ("criterion", "failed", "threshold", "distribution"):
            table.add_column(column, justify="right" if column in ("failed", "threshold") else "left")
        for name, stats in data["criteria"].items():
            threshold = stats["threshold"]
            table.add_row(
                f"  {name}",
                f"{stats['failed']:,}/{stats['evaluated']:,}",
                "-" if threshold is None else f"{threshold:.2f}",
                _sparkline(stats["histogram"]["counts"], threshold),
            )
        console.print(table)
    if data.get("failure_groups"):
        console.print(Text("\nfailures by kind (criterion fallen furthest below, tag family)", style="bold"))
        for group in data["failure_groups"]:
            family = group["tag_family"] or "no tag"
            console.print(
                f"  {group['criterion']:<22} {family:<28} {group['records']:>8,}", markup=False, highlight=False
            )
    if data["worst_records"]:
        console.print(Text("\nworst records (in turn from each kind of failure)", style="bold"))
        for record in data["worst_records"]:
            failing = ", ".join(f"{f['criterion']} {f['score']:.2f}<{f['threshold']:.2f}" for f in record["failing"])
            console.print(Text(f"  {record['path']}", style="cyan"), highlight=False)
            console.print(f"    {failing}", markup=False, highlight=False)
            if record["tags"]:
                console.print(f"    tags: {' '.join(record['tags'][:6])}", markup=False, highlight=False)
            for name, spans in record["evidence"].items():
                where = "; ".join(span["where"] for span in spans[:4])
                more = f" and {len(spans) - 4} more" if len(spans) > 4 else ""
                console.print(f"    evidence ({name}): {where}{more}", markup=False, highlight=False)
    _counts(console, "validator models", data["validators"], newline=True)
    _counts(console, "prompt versions", data["prompt_versions"])
    for example in data["unreadable_examples"]:
        line = f"unreadable: {example['path']}: {example['reason']}"
        console.print(line, markup=False, highlight=False, style="magenta")


def _counts(console: Console, heading: str, counts: Mapping[str, int], *, newline: bool = False) -> None:
    if not counts:
        return
    console.print(Text(("\n" if newline else "") + heading, style="bold"))
    for name, n in counts.items():
        console.print(f"  {name:<34} {n:>8,}", markup=False, highlight=False)


def _sparkline(counts: list[int], threshold: float | None) -> Text:
    top = max(counts) or 1
    text = Text()
    marker = None if threshold is None else round(threshold * len(counts))
    for index, count in enumerate(counts):
        if index == marker:
            text.append("┃", style="bold")
        level = 0 if count == 0 else max(1, round(count / top * (len(_BLOCKS) - 1)))
        failing = threshold is not None and (index + 1) / len(counts) <= threshold
        text.append(_BLOCKS[level], style="red" if failing else "green")
    if marker == len(counts):
        text.append("┃", style="bold")
    return text
