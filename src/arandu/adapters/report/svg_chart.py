"""A score histogram as inline SVG, drawn by hand so the page needs no script and no network."""

from __future__ import annotations

from html import escape

WIDTH, HEIGHT = 460, 210
LEFT, RIGHT, TOP, BOTTOM = 44, 14, 26, 34
FAIL, PASS, MIXED = "#c2410c", "#0f766e", "#7c8799"


def histogram_svg(name: str, counts: list[int], threshold: float | None) -> str:
    """Bars over [0, 1] (below the threshold in orange, at or above in teal), the threshold dashed."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    bins = len(counts)
    top = max(max(counts, default=0), 1)
    bar_w = plot_w / bins
    parts = [
        f'<svg class="criterion-chart" data-criterion="{escape(name)}" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(name)}: distribution of scores"
        + (f", threshold {threshold:.2f}" if threshold is not None else "")
        + "</title>",
    ]
    for fraction in (0.5, 1.0):
        y = TOP + plot_h * (1 - fraction)
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}"/>')
        label = _count(top * fraction)
        parts.append(f'<text class="axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{label}</text>')
    for index, count in enumerate(counts):
        if count == 0:
            continue
        height = max(1.5, plot_h * count / top)
        x = LEFT + index * bar_w
        y = TOP + plot_h - height
        low, high = index / bins, (index + 1) / bins
        colour = PASS if threshold is None or low >= threshold else FAIL if high <= threshold else MIXED
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{height:.1f}" fill="{colour}">'
            f"<title>{low:.2f} to {high:.2f}: {count:,} records</title></rect>"
        )
        centre, label = x + bar_w / 2, _count(count)
        parts.append(f'<text class="count" x="{centre:.1f}" y="{y - 3:.1f}" text-anchor="middle">{label}</text>')
    base = TOP + plot_h
    parts.append(f'<line class="baseline" x1="{LEFT}" x2="{LEFT + plot_w}" y1="{base}" y2="{base}"/>')
    for tick in range(0, 11, 2):
        x = LEFT + plot_w * tick / 10
        parts.append(f'<line class="tick" x1="{x:.1f}" x2="{x:.1f}" y1="{base}" y2="{base + 4}"/>')
        parts.append(f'<text class="axis" x="{x:.1f}" y="{base + 16}" text-anchor="middle">{tick / 10:.1f}</text>')
    parts.append(f'<text class="axis" x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 2}" text-anchor="middle">score</text>')
    if threshold is not None:
        x = LEFT + plot_w * min(1.0, max(0.0, threshold))
        anchor = "end" if threshold > 0.75 else "start"
        shift = -4 if anchor == "end" else 4
        parts.append(f'<line class="threshold" x1="{x:.1f}" x2="{x:.1f}" y1="{TOP - 12}" y2="{base}"/>')
        parts.append(
            f'<text class="threshold-label" x="{x + shift:.1f}" y="{TOP - 4}" text-anchor="{anchor}">'
            f"threshold {threshold:.2f}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _count(value: float) -> str:
    """Short enough to sit above a bar 20 px wide: 987, 1.2k, 15k, 2.3M."""
    if value >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if value >= 10_000:
        return f"{value / 1000:.0f}k"
    if value >= 1000:
        return f"{value / 1000:.1f}k"
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"
