"""A score histogram as inline SVG, drawn by hand so the page needs no script and no network.

Counts go on a log scale when the tallest bin dwarfs the others, so a handful of failing
records beside thousands of passing ones still shows as a bar. The threshold's label has a
band of its own above the plot, so it never lies over a bar's count.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT = 460, 230
LEFT, RIGHT, TOP, BOTTOM = 44, 14, 44, 34
LABEL_BAND = 16  # y of the threshold label's baseline, above every bar label (bars start at TOP)
FAIL, PASS, MIXED = "#c2410c", "#0f766e", "#7c8799"
_LOG_WHEN = 20  # tallest bin over the smallest non-empty one
_MIN_BAR = 3.0
_CHAR_W, _LINE = 6.2, 11.0  # a count label's character width (10 px bold) and line height, in px


def uses_log_scale(counts: Sequence[int]) -> bool:
    filled = [c for c in counts if c > 0]
    return bool(filled) and max(filled) >= _LOG_WHEN * min(filled)


def histogram_svg(
    name: str, counts: Sequence[int], threshold: float | None, *, links: Sequence[str | None] = ()
) -> str:
    """Bars over [0, 1] (below the threshold in orange, at or above in teal), the threshold dashed.

    `links[i]`, when given, is the fragment a click on bin i opens (its list of records).
    """
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    bins = len(counts)
    log = uses_log_scale(counts)
    top = max(max(counts, default=0), 1)

    def height(count: float) -> float:
        share = math.log1p(count) / math.log1p(top) if log else count / top
        return max(_MIN_BAR, plot_h * share) if count > 0 else 0.0

    bar_w = plot_w / bins
    scale = "log scale" if log else "linear scale"
    parts = [
        f'<svg class="criterion-chart" data-criterion="{escape(name)}" data-scale="{"log" if log else "linear"}" '
        f'role="img" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(name)}: distribution of scores ({scale})"
        + (f", threshold {threshold:.2f}" if threshold is not None else "")
        + "</title>",
    ]
    for value in _grid_values(top, log):
        y = TOP + plot_h - height(value)
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_count(value)}</text>')
    threshold_x = None if threshold is None else LEFT + plot_w * min(1.0, max(0.0, threshold))
    if threshold_x is not None:
        parts.append(f'<line class="threshold" x1="{threshold_x:.1f}" x2="{threshold_x:.1f}" '
                     f'y1="{LABEL_BAND + 4}" y2="{TOP + plot_h}"/>')  # fmt: skip
    previous: tuple[float, float, float] | None = None  # the last count label: its left, right and baseline
    for index, count in enumerate(counts):
        if count == 0:
            continue
        bar_h = height(count)
        x = LEFT + index * bar_w
        y = TOP + plot_h - bar_h
        label = _count(count)
        half = len(label) * _CHAR_W / 2
        centre = x + bar_w / 2
        label_y = y - 3
        if previous is not None and centre - half < previous[1] + 1 and abs(label_y - previous[2]) < _LINE:
            label_y = previous[2] - _LINE  # would touch its neighbour's count: lifted one line above it
        previous = (centre - half, centre + half, label_y)
        low, high = index / bins, (index + 1) / bins
        colour = PASS if threshold is None or low >= threshold else FAIL if high <= threshold else MIXED
        kind = "pass" if colour == PASS else "fail" if colour == FAIL else "mixed"
        bar = (
            f'<rect class="hbar {kind}" data-bin="{index}" x="{x + 1:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" '
            f'height="{bar_h:.1f}" fill="{colour}"><title>{low:.2f} to {high:.2f}: {count:,} records'
            f"{' (click to list them)' if index < len(links) and links[index] else ''}</title></rect>"
            f'<text class="count {kind}" x="{centre:.1f}" y="{label_y:.1f}" text-anchor="middle">{label}</text>'
        )
        link = links[index] if index < len(links) else None
        parts.append(f'<a href="#{escape(link)}" class="bin-link">{bar}</a>' if link else bar)
    base = TOP + plot_h
    parts.append(f'<line class="baseline" x1="{LEFT}" x2="{LEFT + plot_w}" y1="{base}" y2="{base}"/>')
    for tick in range(0, 11, 2):
        x = LEFT + plot_w * tick / 10
        parts.append(f'<line class="tick" x1="{x:.1f}" x2="{x:.1f}" y1="{base}" y2="{base + 4}"/>')
        parts.append(f'<text class="axis" x="{x:.1f}" y="{base + 16}" text-anchor="middle">{tick / 10:.1f}</text>')
    parts.append(
        f'<text class="axis" x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 2}" text-anchor="middle">score</text>'
        f'<text class="axis" x="{LEFT - 6}" y="{LABEL_BAND}" text-anchor="end">{"log" if log else ""}</text>'
    )
    if threshold_x is not None and threshold is not None:
        anchor = "end" if threshold > 0.75 else "start"
        shift = -4 if anchor == "end" else 4
        parts.append(
            f'<text class="threshold-label" x="{threshold_x + shift:.1f}" y="{LABEL_BAND}" text-anchor="{anchor}">'
            f"threshold {threshold:.2f}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _grid_values(top: int, log: bool) -> list[float]:
    if not log:
        return [top * 0.5, float(top)]
    values = [float(10**power) for power in range(0, int(math.log10(top)) + 1)]
    return [v for v in values if v <= top][-4:]


def _count(value: float) -> str:
    """Short enough to sit above a bar 20 px wide: 987, 1.2k, 15k, 2.3M."""
    if value >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if value >= 10_000:
        return f"{value / 1000:.0f}k"
    if value >= 1000:
        return f"{value / 1000:.1f}k"
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"
