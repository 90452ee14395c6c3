"""A small grouped bar chart as inline SVG: no JavaScript, no CDN, readable without the network.

Each category (a day) gets one bar per series side by side, a value label on every non-zero bar, and a
legend; negative values (an amount drift) hang below a zero line. Text is escaped; the markup is built
here so the template only drops it in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

Number = int | float | Decimal


@dataclass(frozen=True)
class Series:
    """One kind of bar: its legend label, its colour and one value per category."""

    label: str
    color: str
    values: Sequence[Number]


WIDTH, HEIGHT = 760, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 28, 40


def _fmt(value: Number) -> str:
    number = float(value)
    return (
        f"{number:,.0f}".replace(",", " ") if abs(number) >= 100 or number == int(number) else f"{number:.2f}"
    )


def _scale(series: Sequence[Series]) -> tuple[float, float]:
    values = [float(v) for s in series for v in s.values] or [0.0]
    return min(0.0, *values), max(1.0, *values)


def bar_chart(title: str, categories: Sequence[str], series: Sequence[Series], *, chart_id: str) -> Markup:
    """The chart's ``<svg>`` element (``role=img`` with ``title`` as its accessible name)."""
    low, high = _scale(series)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y(value: float) -> float:
        return TOP + (high - value) / (high - low) * plot_h

    slot = plot_w / max(1, len(categories))
    bar_w = max(2.0, min(18.0, (slot - 6) / max(1, len(series))))
    parts = [
        f'<svg id="{escape(chart_id)}" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f'<text x="{LEFT}" y="16" class="chart-title">{escape(title)}</text>',
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(0):.1f}" y2="{y(0):.1f}" class="axis"/>',
        f'<text x="{LEFT - 6}" y="{y(high) + 4:.1f}" class="tick" text-anchor="end">{_fmt(high)}</text>',
        f'<text x="{LEFT - 6}" y="{y(0) + 4:.1f}" class="tick" text-anchor="end">0</text>',
    ]
    if low < 0 and y(low) - y(0) >= 12:  # a label only where it does not sit on the zero label
        parts.append(
            f'<text x="{LEFT - 6}" y="{y(low) + 4:.1f}" class="tick" text-anchor="end">{_fmt(low)}</text>'
        )
    for index, category in enumerate(categories):
        group_x = LEFT + index * slot + (slot - bar_w * len(series)) / 2
        for number, serie in enumerate(series):
            value = float(serie.values[index])
            top, bottom = sorted((y(value), y(0)))
            x = group_x + number * bar_w
            parts.append(
                f'<rect x="{x:.1f}" y="{top:.1f}" width="{bar_w - 1:.1f}" '
                f'height="{max(bottom - top, 0.5):.1f}" '
                f'fill="{escape(serie.color)}" class="bar" data-series="{escape(serie.label)}" '
                f'data-value="{value:g}"><title>{escape(serie.label)} {escape(category)}: '
                f"{_fmt(value)}</title></rect>"
            )
        parts.append(
            f'<text x="{LEFT + index * slot + slot / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" class="tick" '
            f'text-anchor="middle">{escape(category)}</text>'
        )
    legend_x = LEFT
    for serie in series:
        parts.append(
            f'<rect x="{legend_x}" y="{HEIGHT - 14}" width="10" height="10" fill="{escape(serie.color)}"/>'
            f'<text x="{legend_x + 14}" y="{HEIGHT - 5}" class="legend">{escape(serie.label)}</text>'
        )
        legend_x += 20 + 7 * len(serie.label)
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text and attribute value above is escaped
