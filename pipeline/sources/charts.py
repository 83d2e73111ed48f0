"""The report's charts as inline SVG: acceptance with intervals, bars, the funnel, the trend, capacity."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from leadsift.pipeline.sources.capacity import CapacityView
from leadsift.pipeline.sources.format import esc, finite
from leadsift.pipeline.sources.rates import ratio

BLUE, RED, GREY, GREEN, INK = "#2b6cb0", "#c53030", "#8a94a6", "#2f855a", "#1a202c"
PALETTE = (
    "#2b6cb0",
    "#dd6b20",
    "#2f855a",
    "#c53030",
    "#6b46c1",
    "#b7791f",
    "#d53f8c",
    "#319795",
    "#4a5568",
    "#718096",
    "#9c4221",
    "#276749",
    "#553c9a",
)


def _svg_open(width: int, height: int, label: str) -> str:
    return f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{esc(label)}">'


def _text(
    x: float, y: float, text: str, anchor: str = "start", size: int = 12, fill: str = INK, weight: str = "normal"
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}" '
        f'font-weight="{weight}">{esc(text)}</text>'
    )


def _short(name: str, limit: int = 44) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _nice_max(value: float) -> float:
    if not finite(value) or value <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * exp >= value:
            return step * exp
    return 10 * exp


def _x_axis(left: float, right: float, top: float, bottom: float, vmax: float, fmt) -> str:  # noqa: ANN001
    parts = []
    for i in range(6):
        v = vmax * i / 5
        x = left + (right - left) * i / 5
        parts.append(f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{bottom:.1f}" stroke="#e2e8f0"/>')
        parts.append(_text(x, bottom + 14, fmt(v), "middle", 11, "#5a6478"))
    return "".join(parts)


def chart_acceptance(table: pd.DataFrame) -> str:
    """Acceptance rate by source: dot, 95% interval, the average and the flag line."""
    rows = table[table["level"] == "source"]
    average = float(table["average_accept_rate"].iloc[0]) if len(table) else float("nan")
    threshold = float(table["flag_threshold"].iloc[0]) if len(table) else float("nan")
    width, left, right_pad, row_h, top = 940, 310, 30, 24, 30
    height = top + row_h * max(len(rows), 1) + 40
    right = width - right_pad
    vmax = _nice_max(
        max([float(v) for v in rows["accept_high"] if finite(v)] + [average if finite(average) else 0, 0.05])
    )

    def sx(v: float) -> float:
        return left + (right - left) * min(max(v, 0.0), vmax) / vmax

    out = [_svg_open(width, height, "Acceptance rate by source with 95% intervals")]
    bottom = top + row_h * len(rows)
    out.append(_x_axis(left, right, top - 6, bottom, vmax, lambda v: f"{100 * v:.0f}%"))
    for i, (_, r) in enumerate(rows.iterrows()):
        y = top + row_h * i + row_h / 2
        color = RED if r["below_average"] else (GREY if r["too_few_outcomes"] else BLUE)
        out.append(_text(left - 8, y + 4, _short(str(r["name"])), "end", 12, RED if r["below_average"] else INK))
        if finite(r["accept_rate"]):
            if finite(r["accept_low"]) and finite(r["accept_high"]):
                out.append(
                    f'<line x1="{sx(r["accept_low"]):.1f}" y1="{y:.1f}" x2="{sx(r["accept_high"]):.1f}" '
                    f'y2="{y:.1f}" stroke="{color}" stroke-width="2"/>'
                )
            out.append(f'<circle cx="{sx(r["accept_rate"]):.1f}" cy="{y:.1f}" r="4.5" fill="{color}"/>')
            out.append(
                _text(
                    sx(r["accept_high"] if finite(r["accept_high"]) else r["accept_rate"]) + 6,
                    y + 4,
                    f"{100 * r['accept_rate']:.1f}% of {int(r['worked']):,}",
                    "start",
                    10.5,
                    "#5a6478",
                )
            )
        else:
            out.append(_text(left + 4, y + 4, "no worked leads", "start", 11, GREY))
    if finite(average):
        out.append(
            f'<line x1="{sx(average):.1f}" y1="{top - 8}" x2="{sx(average):.1f}" y2="{bottom:.1f}" '
            f'stroke="{INK}" stroke-width="1.5"/>'
        )
        out.append(_text(sx(average) + 3, top - 12, f"average {100 * average:.1f}%", "start", 11))
    if finite(threshold):
        out.append(
            f'<line x1="{sx(threshold):.1f}" y1="{top - 8}" x2="{sx(threshold):.1f}" y2="{bottom:.1f}" '
            f'stroke="{RED}" stroke-width="1.5" stroke-dasharray="5,3"/>'
        )
        out.append(_text(sx(threshold) - 3, top - 12, f"flag line {100 * threshold:.1f}%", "end", 11, RED))
    out.append("</svg>")
    return "".join(out)


def chart_bars(items: list[tuple[str, float, str, str]], label: str, fmt) -> str:  # noqa: ANN001
    """Horizontal bars: (name, value or NaN, colour, text when there is no value)."""
    width, left, right_pad, row_h, top = 940, 310, 90, 24, 12
    height = top + row_h * max(len(items), 1) + 30
    right = width - right_pad
    vmax = _nice_max(max([v for _, v, _, _ in items if finite(v)] + [0.0]))
    out = [_svg_open(width, height, label)]
    bottom = top + row_h * len(items)
    out.append(_x_axis(left, right, top, bottom, vmax, fmt))
    for i, (name, value, color, missing) in enumerate(items):
        y = top + row_h * i
        out.append(_text(left - 8, y + row_h / 2 + 4, _short(name), "end", 12))
        if finite(value):
            w = (right - left) * max(value, 0.0) / vmax
            out.append(f'<rect x="{left}" y="{y + 4:.1f}" width="{w:.1f}" height="{row_h - 8}" fill="{color}"/>')
            out.append(_text(left + w + 5, y + row_h / 2 + 4, fmt(value), "start", 11))
        else:
            out.append(_text(left + 4, y + row_h / 2 + 4, missing, "start", 11, GREY))
    out.append("</svg>")
    return "".join(out)


def chart_funnel(total: dict[str, float]) -> str:
    """Leads -> worked -> accepted -> won, with the share kept at each step."""
    stages = [
        ("Leads", total["leads"]),
        ("Worked by sales", total["worked"]),
        ("Accepted", total["accepted"]),
        ("Won deals", total["won"]),
    ]
    width, row_h, top, label_w = 940, 46, 10, 170
    height = top + row_h * len(stages) + 10
    span = width - label_w - 200
    first = stages[0][1] or 1.0
    out = [_svg_open(width, height, "Funnel from lead to won deal")]
    colors = ("#90cdf4", "#4299e1", "#2b6cb0", GREEN)
    for i, (name, value) in enumerate(stages):
        y = top + row_h * i
        w = max(span * value / first, 2.0)
        x = label_w + (span - w) / 2
        out.append(_text(label_w - 10, y + row_h / 2 + 4, name, "end", 13, INK, "600"))
        out.append(f'<rect x="{x:.1f}" y="{y + 5}" width="{w:.1f}" height="{row_h - 10}" fill="{colors[i]}" rx="3"/>')
        step = ""
        if i:
            prev = stages[i - 1][1]
            step = f" · {100 * value / prev:.1f}% of {stages[i - 1][0].lower()}" if prev else ""
        out.append(_text(label_w + span + 10, y + row_h / 2 + 4, f"{int(value):,}{step}", "start", 12))
    out.append("</svg>")
    return "".join(out)


TREND_TYPES = 5  # source types drawn one by one in the trend; the others are one line, "other types"


def trend_series(trend: pd.DataFrame, top: int = TREND_TYPES) -> pd.DataFrame:
    """The trend lines to draw: all sources, the `top` source types with most leads, and the rest summed as one.

    A dozen lines in one chart cannot be told apart; the rest's rate is its accepted ÷ worked, summed per quarter.
    """
    types = trend[trend["level"] == "source_type"]
    order = types.groupby("name")["leads"].sum().sort_values(ascending=False, kind="stable").index
    keep = list(order[:top])
    rest = types[~types["name"].isin(keep)]
    parts = [trend[trend["level"] == "all"], types[types["name"].isin(keep)]]
    if len(rest):
        summed = rest.groupby("quarter", sort=True)[["leads", "worked", "accepted"]].sum().reset_index()
        parts.append(summed.assign(level="source_type", name=f"other types ({rest['name'].nunique()})",
                                   accept_rate=ratio(summed["accepted"], summed["worked"])))
    cols = ["level", "name", "quarter", "leads", "worked", "accepted", "accept_rate"]
    return pd.concat([p.loc[:, cols] for p in parts], ignore_index=True)


def chart_trend(trend: pd.DataFrame) -> str:
    """Acceptance rate by quarter: all sources (thick), the largest source types, and the other types as one line."""
    if trend.empty:
        return '<p class="muted">No dates in the history: no trend.</p>'
    trend = trend_series(trend)
    quarters = sorted(trend["quarter"].unique())
    width, left, top, legend_w = 940, 56, 16, 210
    plot_w, plot_h = width - left - legend_w - 20, 260
    height = top + plot_h + 40
    vmax = _nice_max(
        float(np.nanmax(trend["accept_rate"].to_numpy(dtype="float64"))) if trend["accept_rate"].notna().any() else 0.1
    )

    def sx(i: int) -> float:
        return left + (plot_w * i / (len(quarters) - 1) if len(quarters) > 1 else plot_w / 2)

    def sy(v: float) -> float:
        return top + plot_h - plot_h * min(v, vmax) / vmax

    out = [_svg_open(width, height, "Acceptance rate by quarter")]
    for j in range(6):
        v = vmax * j / 5
        out.append(f'<line x1="{left}" y1="{sy(v):.1f}" x2="{left + plot_w}" y2="{sy(v):.1f}" stroke="#e2e8f0"/>')
        out.append(_text(left - 6, sy(v) + 4, f"{100 * v:.0f}%", "end", 11, "#5a6478"))
    for i, q in enumerate(quarters):
        out.append(_text(sx(i), top + plot_h + 18, q, "middle", 11, "#5a6478"))
    series = [("all", "All sources", INK, 3.0)]
    types = trend[trend["level"] == "source_type"]
    for k, name in enumerate(dict.fromkeys(types["name"])):
        series.append(("source_type", str(name), PALETTE[k % len(PALETTE)], 1.6))
    for k, (level, name, color, stroke) in enumerate(series):
        rows = trend[(trend["level"] == level) & (trend["name"] == name)].set_index("quarter")
        points = [
            (sx(i), sy(float(rows.loc[q, "accept_rate"])))
            for i, q in enumerate(quarters)
            if q in rows.index and finite(rows.loc[q, "accept_rate"]) and rows.loc[q, "worked"] >= 10
        ]
        dash = ' stroke-dasharray="6,3"' if name.startswith("other types") else ""
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            out.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="{stroke}"{dash}/>')
        for x, y in points:
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{2.5 if stroke < 2 else 3.5}" fill="{color}"/>')
        ly = top + 6 + 17 * k
        lx = left + plot_w + 24
        out.append(
            f'<line x1="{lx}" y1="{ly}" x2="{lx + 18}" y2="{ly}" stroke="{color}" stroke-width="{stroke}"{dash}/>'
        )
        out.append(_text(lx + 24, ly + 4, _short(name, 28), "start", 11.5))
    out.append("</svg>")
    return "".join(out)


def chart_capacity(view: CapacityView, target_word: str) -> str:
    """Expected accepted leads a week by leads handed over: best first against arrival order."""
    curve = view.curve
    width, left, top, bottom_pad = 940, 64, 14, 44
    plot_w, plot_h = width - left - 230, 230
    height = top + plot_h + bottom_pad
    xmax = _nice_max(float(curve["handed_per_week"].max()) if len(curve) else 1.0)
    ymax = _nice_max(float(curve["by_score"].max()) if len(curve) else 1.0)

    def sx(v: float) -> float:
        return left + plot_w * v / xmax

    def sy(v: float) -> float:
        return top + plot_h - plot_h * v / ymax

    out = [_svg_open(width, height, "Expected accepted leads a week by number handed over")]
    for j in range(6):
        v, h = ymax * j / 5, xmax * j / 5
        out.append(f'<line x1="{left}" y1="{sy(v):.1f}" x2="{left + plot_w}" y2="{sy(v):.1f}" stroke="#e2e8f0"/>')
        out.append(_text(left - 6, sy(v) + 4, f"{v:,.0f}", "end", 11, "#5a6478"))
        out.append(_text(sx(h), top + plot_h + 16, f"{h:,.0f}", "middle", 11, "#5a6478"))
    out.append(_text(left + plot_w / 2, top + plot_h + 34, "leads handed to sales per week", "middle", 11.5))
    for column, color in (("by_score", BLUE), ("arrival_order", GREY)):
        pts = " ".join(f"{sx(a):.1f},{sy(b):.1f}" for a, b in zip(curve["handed_per_week"], curve[column], strict=True))
        out.append(f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="2.5"/>')
    x = sx(view.handed_per_week)
    out.append(
        f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_h}" stroke="{RED}" stroke-dasharray="5,3"/>'
    )
    out.append(_text(x + 4, top + 12, f"capacity {view.capacity_per_week:,.0f}/week", "start", 11, RED))
    lx = left + plot_w + 24
    for k, (color, name) in enumerate(((BLUE, "best first"), (GREY, "arrival order"))):
        out.append(
            f'<line x1="{lx}" y1="{top + 10 + 18 * k}" x2="{lx + 20}" y2="{top + 10 + 18 * k}" '
            f'stroke="{color}" stroke-width="2.5"/>'
        )
        out.append(_text(lx + 26, top + 14 + 18 * k, name, "start", 12))
    out.append(_text(lx, top + 60, f"expected {target_word} / week", "start", 11, "#5a6478"))
    out.append("</svg>")
    return "".join(out)
