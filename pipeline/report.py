"""The source quality report as one self-contained HTML file: inline CSS, inline SVG charts, no scripts.

Nothing in the page loads from anywhere (a Content-Security-Policy says so to the browser too);
the only link is the relative one to the disputed leads' CSV. Every string that comes from the
data is escaped.
"""

from __future__ import annotations

import math
import os
from datetime import datetime
from html import escape
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pandas as pd

from leadsift.pipeline.sources import FLAG_BELOW, FLAG_TOO_FEW, CapacityView, Plan, SourceReport, amount, pct

SECTION_IDS = ("summary", "league", "charts", "plan", "capacity", "disputed", "scored-lists", "notes")

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

CSS = """
:root { --ink:#1a202c; --muted:#5a6478; --line:#d5dae3; --bad:#c53030; --bad-bg:#fff1f1; --soft:#f5f7fa; }
* { box-sizing: border-box; }
body { font: 14px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); margin: 0 auto; max-width: 1240px; padding: 24px 28px 60px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 0 0 10px; border-bottom: 2px solid var(--ink); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
section { margin: 28px 0; }
.meta, .muted { color: var(--muted); }
.meta { margin: 0 0 18px; }
nav { font-size: 13px; margin: 8px 0 0; }
nav a { margin-right: 12px; color: #2b6cb0; }
#summary ul { font-size: 15.5px; padding-left: 20px; }
#summary li { margin: 6px 0; }
.callout { background: var(--soft); border-left: 4px solid #2b6cb0; padding: 10px 14px; margin: 10px 0; }
.callout.bad { border-left-color: var(--bad); background: var(--bad-bg); }
table { border-collapse: collapse; width: 100%; font-size: 12px; margin: 6px 0 4px; }
th, td { padding: 4px 5px; border-bottom: 1px solid var(--line); vertical-align: top; }
.wide { overflow-x: auto; }
th { text-align: left; background: var(--soft); font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th.n { white-space: normal; }
td.name { min-width: 170px; max-width: 280px; }
td.name .badge { margin-top: 2px; }
tr.flagged td { background: var(--bad-bg); }
tr.total td { font-weight: 600; border-top: 2px solid var(--ink); }
.ci, .sub { color: var(--muted); font-size: 11px; display: block; }
.badge { display: inline-block; padding: 1px 6px; border-radius: 8px; font-size: 11px; white-space: nowrap; }
.badge.bad { background: var(--bad); color: #fff; }
.badge.few { background: #e2e8f0; color: #2d3748; }
.badge.ok { background: #c6f6d5; color: #22543d; }
.charts { display: grid; grid-template-columns: 1fr; gap: 18px; }
figure { margin: 0; }
figcaption { font-weight: 600; margin: 0 0 4px; }
svg { max-width: 100%; height: auto; font-family: inherit; }
.heat td.n { min-width: 52px; }
.kpis { display: flex; flex-wrap: wrap; gap: 10px; margin: 8px 0; }
.kpi { background: var(--soft); padding: 8px 12px; border-radius: 6px; min-width: 150px; }
.kpi b { display: block; font-size: 19px; }
a.file { font-weight: 600; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  .wide { overflow: visible; }
  table { font-size: 9.5px; }
  nav { display: none; }
  section { break-inside: auto; }
  figure, tr, .kpi, .callout { break-inside: avoid; }
  h2 { break-after: avoid; }
  #league, #charts, #plan, #disputed { break-before: page; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


# ----------------------------------------------------------------------------- formatting


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _finite(x: object) -> bool:
    try:
        return x is not None and x is not pd.NA and math.isfinite(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def _int(x: object) -> str:
    return f"{int(round(float(x))):,}" if _finite(x) else "–"


def _rate(x: object, digits: int = 1) -> str:
    return f"{100 * float(x):.{digits}f}%" if _finite(x) else "–"


def _money(x: object) -> str:
    if not _finite(x):
        return "–"
    x = float(x)
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.2f}"


def _times(x: object) -> str:
    return f"{float(x):.1f}×" if _finite(x) else "–"


def _p2(x: object) -> str:
    return f"{float(x):.2f}" if _finite(x) else ""


def _ci(low: object, high: object) -> str:
    if not (_finite(low) and _finite(high)):
        return ""
    return f'<span class="ci">{100 * float(low):.1f}–{100 * float(high):.1f}</span>'


def _flag_badge(flag: str) -> str:
    if flag == FLAG_BELOW:
        return '<span class="badge bad">below average</span>'
    if flag == FLAG_TOO_FEW:
        return '<span class="badge few">too few outcomes to judge</span>'
    return ""


# ----------------------------------------------------------------------------- SVG charts


def _svg_open(width: int, height: int, label: str) -> str:
    return f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{_e(label)}">'


def _text(
    x: float, y: float, text: str, anchor: str = "start", size: int = 12, fill: str = INK, weight: str = "normal"
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}" '
        f'font-weight="{weight}">{_e(text)}</text>'
    )


def _short(name: str, limit: int = 44) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _nice_max(value: float) -> float:
    if not _finite(value) or value <= 0:
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
        max([float(v) for v in rows["accept_high"] if _finite(v)] + [average if _finite(average) else 0, 0.05])
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
        if _finite(r["accept_rate"]):
            if _finite(r["accept_low"]) and _finite(r["accept_high"]):
                out.append(
                    f'<line x1="{sx(r["accept_low"]):.1f}" y1="{y:.1f}" x2="{sx(r["accept_high"]):.1f}" '
                    f'y2="{y:.1f}" stroke="{color}" stroke-width="2"/>'
                )
            out.append(f'<circle cx="{sx(r["accept_rate"]):.1f}" cy="{y:.1f}" r="4.5" fill="{color}"/>')
            out.append(
                _text(
                    sx(r["accept_high"] if _finite(r["accept_high"]) else r["accept_rate"]) + 6,
                    y + 4,
                    f"{100 * r['accept_rate']:.1f}% of {int(r['worked']):,}",
                    "start",
                    10.5,
                    "#5a6478",
                )
            )
        else:
            out.append(_text(left + 4, y + 4, "no worked leads", "start", 11, GREY))
    if _finite(average):
        out.append(
            f'<line x1="{sx(average):.1f}" y1="{top - 8}" x2="{sx(average):.1f}" y2="{bottom:.1f}" '
            f'stroke="{INK}" stroke-width="1.5"/>'
        )
        out.append(_text(sx(average) + 3, top - 12, f"average {100 * average:.1f}%", "start", 11))
    if _finite(threshold):
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
    vmax = _nice_max(max([v for _, v, _, _ in items if _finite(v)] + [0.0]))
    out = [_svg_open(width, height, label)]
    bottom = top + row_h * len(items)
    out.append(_x_axis(left, right, top, bottom, vmax, fmt))
    for i, (name, value, color, missing) in enumerate(items):
        y = top + row_h * i
        out.append(_text(left - 8, y + row_h / 2 + 4, _short(name), "end", 12))
        if _finite(value):
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


def chart_trend(trend: pd.DataFrame) -> str:
    """Acceptance rate by quarter: all sources (thick) and each source type."""
    if trend.empty:
        return '<p class="muted">No dates in the history: no trend.</p>'
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
    for k, name in enumerate(sorted(types["name"].unique())):
        series.append(("source_type", str(name), PALETTE[k % len(PALETTE)], 1.6))
    for k, (level, name, color, stroke) in enumerate(series):
        rows = trend[(trend["level"] == level) & (trend["name"] == name)].set_index("quarter")
        points = [
            (sx(i), sy(float(rows.loc[q, "accept_rate"])))
            for i, q in enumerate(quarters)
            if q in rows.index and _finite(rows.loc[q, "accept_rate"]) and rows.loc[q, "worked"] >= 10
        ]
        dash = ' stroke-dasharray="6,3"' if k > len(PALETTE) else ""
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
        out.append(_text(lx + 24, ly + 4, _short(name.replace("_", " "), 28), "start", 11.5))
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


# ----------------------------------------------------------------------------- sections


def _league_rows(rows: pd.DataFrame, with_type: bool) -> list[str]:
    out = []
    for _, r in rows.iterrows():
        cls = ' class="flagged"' if r["below_average"] else ""
        spend_from = {"spend table": "spend table", "cost": "per-lead cost"}.get(str(r["spend_from"]), "")
        kind = f'<span class="sub">{_e(r["source_type"])}</span>' if with_type else ""
        cells = [
            f'<td class="name">{_e(r["name"])}{kind}{_flag_badge(str(r["flag"]))}</td>',
            f'<td class="n">{_int(r["leads"])}</td>',
            f'<td class="n">{_int(r["worked"])}</td>',
            f'<td class="n">{_int(r["accepted"])}</td>',
            f'<td class="n">{_rate(r["accept_rate"])}{_ci(r["accept_low"], r["accept_high"])}</td>',
            f'<td class="n">{_int(r["won"])}</td>',
            f'<td class="n">{_rate(r["won_rate"])}{_ci(r["won_low"], r["won_high"])}</td>',
            f'<td class="n">{_money(r["revenue"])}</td>',
            f'<td class="n">{_money(r["spend"])}<span class="sub">{_e(spend_from)}</span></td>',
            f'<td class="n">{_money(r["cost_per_lead"])}</td>',
            f'<td class="n">{_money(r["cost_per_accepted"])}</td>',
            f'<td class="n">{_money(r["cost_per_won"])}</td>',
            f'<td class="n">{_money(r["revenue_per_lead"])}</td>',
            f'<td class="n">{_times(r["return_on_spend"])}</td>',
        ]
        out.append(f"<tr{cls}>{''.join(cells)}</tr>")
    return out


def _league_table_html(table: pd.DataFrame, level: str, total: dict[str, float]) -> str:
    rows = table[table["level"] == level]
    with_type = level == "source"
    head = [
        "Source (type, flag)" if with_type else "Source type (flag)",
        "Leads",
        "Worked",
        "Accepted",
        "Acceptance (95% CI)",
        "Won",
        "Won rate (95% CI)",
        "Revenue",
        "Spend",
        "Cost / lead",
        "Cost / accepted",
        "Cost / won",
        "Revenue / lead",
        "Return on spend",
    ]
    ths = "".join(f"<th{'' if i == 0 else ' class=n'}>{_e(h)}</th>" for i, h in enumerate(head))
    body = _league_rows(rows, with_type)
    t = total
    body.append(
        f'<tr class="total"><td>All sources</td><td class="n">{_int(t["leads"])}</td>'
        f'<td class="n">{_int(t["worked"])}</td><td class="n">{_int(t["accepted"])}</td>'
        f'<td class="n">{_rate(t["accept_rate"])}</td><td class="n">{_int(t["won"])}</td>'
        f'<td class="n">{_rate(t["won_rate"])}</td><td class="n">{_money(t["revenue"])}</td>'
        f'<td class="n">{_money(t["spend"])}</td>'
        f'<td class="n">{_money(t["spend"] / t["leads"] if t["leads"] else float("nan"))}</td>'
        f'<td class="n">{_money(t["cost_per_accepted"])}</td>'
        f'<td class="n">{_money(t["spend"] / t["won"] if t["won"] else float("nan"))}</td>'
        f'<td class="n">{_money(t["revenue"] / t["leads"] if t["leads"] else float("nan"))}</td>'
        f'<td class="n">{_times(t["return_on_spend"])}</td></tr>'
    )
    return f'<div class="wide"><table><thead><tr>{ths}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'


def _trend_table(trend: pd.DataFrame) -> str:
    rows = trend[trend["level"].isin(("source", "all"))]
    if rows.empty:
        return ""
    quarters = sorted(rows["quarter"].unique())
    vmax = max(float(rows["accept_rate"].max()) if rows["accept_rate"].notna().any() else 0.0, 1e-9)
    names = ["All sources"] + sorted(rows.loc[rows["level"] == "source", "name"].unique(), key=str)
    lookup = rows.set_index(["name", "quarter"])
    head = "".join(f'<th class="n">{_e(q)}</th>' for q in quarters)
    body = []
    for name in names:
        cells = []
        for q in quarters:
            if (name, q) in lookup.index:
                r = lookup.loc[(name, q)]
                rate = r["accept_rate"]
                alpha = 0.08 + 0.6 * float(rate) / vmax if _finite(rate) else 0.0
                style = f' style="background: rgba(43,108,176,{alpha:.2f})"' if _finite(rate) else ""
                cells.append(
                    f'<td class="n"{style}>{_rate(rate, 0)}<span class="sub">{_int(r["leads"])} leads</span></td>'
                )
            else:
                cells.append('<td class="n muted">–</td>')
        cls = ' class="total"' if name == "All sources" else ""
        body.append(f'<tr{cls}><td class="name">{_e(name)}</td>{"".join(cells)}</tr>')
    return (
        f'<table class="heat"><thead><tr><th>Acceptance by quarter</th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _plan_html(plan: Plan | None) -> str:
    if plan is None:
        return '<p class="muted">No plan: the history has no dates, so no volume per period is known.</p>'
    goal = (
        f"{plan.goal_value:,.0f} accepted leads"
        if plan.goal_kind == "accepted"
        else f"{amount(plan.goal_value)} of revenue"
    )
    if plan.reachable:
        verdict = (
            f'<div class="callout">Goal: <b>{_e(goal)}</b> in {plan.period_weeks:g} weeks. '
            f"Reachable: <b>{plan.leads:,} leads</b> for <b>{_e(amount(plan.spend))}</b> of spend.</div>"
        )
    else:
        most = (
            f"{plan.most_reachable:,.1f} accepted leads"
            if plan.goal_kind == "accepted"
            else f"{amount(plan.most_reachable)} of revenue"
        )
        verdict = (
            f'<div class="callout bad">Goal: <b>{_e(goal)}</b> in {plan.period_weeks:g} weeks. '
            f"<b>Not reachable</b> within past volumes from the sources below: at most {_e(most)}, with every "
            f"one at its cap ({plan.leads:,} leads for {_e(amount(plan.spend))}).</div>"
        )
    unit = "Cost / accepted" if plan.goal_kind == "accepted" else "Spend / revenue"
    head = [
        "#",
        "Source",
        "Type",
        "Cost / lead",
        "Accepted / lead",
        "Revenue / lead",
        unit,
        "Cap (past volume)",
        "Leads",
        "Spend",
        "Expected accepted",
        "Expected won",
        "Expected revenue",
    ]
    ths = "".join(f"<th{' class=n' if i >= 3 else ''}>{_e(h)}</th>" for i, h in enumerate(head))
    body = []
    for i, (_, r) in enumerate(plan.rows.iterrows(), start=1):
        unit_value = _money(r["unit_cost"]) if plan.goal_kind == "accepted" else f"{float(r['unit_cost']):.3f}"
        body.append(
            f'<tr><td>{i}</td><td class="name">{_e(r["source"])}</td><td>{_e(r["source_type"])}</td>'
            f'<td class="n">{_money(r["cost_per_lead"])}</td><td class="n">{_rate(r["accepted_per_lead"])}</td>'
            f'<td class="n">{_money(r["revenue_per_lead"])}</td><td class="n">{unit_value}</td>'
            f'<td class="n">{_int(r["cap_leads"])}</td>'
            f'<td class="n">{_int(r["leads"])}{"<span class=sub>at cap</span>" if r["at_cap"] else ""}</td>'
            f'<td class="n">{_money(r["spend"])}</td><td class="n">{r["expected_accepted"]:,.1f}</td>'
            f'<td class="n">{r["expected_won"]:,.1f}</td><td class="n">{_money(r["expected_revenue"])}</td></tr>'
        )
    rows = plan.rows
    body.append(
        f'<tr class="total"><td></td><td>Plan</td><td></td><td></td><td></td><td></td><td></td><td></td>'
        f'<td class="n">{plan.leads:,}</td><td class="n">{_money(plan.spend)}</td>'
        f'<td class="n">{rows["expected_accepted"].sum():,.1f}</td><td class="n">{rows["expected_won"].sum():,.1f}</td>'
        f'<td class="n">{_money(rows["expected_revenue"].sum())}</td></tr>'
    )
    skipped = ""
    if plan.skipped:
        items = "".join(f"<li>{_e(name)}: {_e(why)}</li>" for name, why in plan.skipped)
        skipped = f"<h3>Left out of the plan</h3><ul>{items}</ul>"
    how = (
        "<p>Sources are filled cheapest first — by cost per accepted lead"
        + (" (for a revenue goal: spend per unit of revenue)" if plan.goal_kind == "revenue" else "")
        + f" — each up to its average volume per {plan.period_weeks:g} weeks in the history. Every figure is a "
        "rate from the league table times the planned leads: leads × cost per lead = spend, leads × accepted per "
        "lead = expected accepted leads.</p>"
    )
    return (
        verdict
        + how
        + f'<div class="wide"><table><thead><tr>{ths}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'
        + skipped
    )


def _capacity_html(view: CapacityView | None, target_word: str) -> str:
    if view is None:
        return '<p class="muted">No capacity view: the history has no dates.</p>'
    basis = (
        "the champion model's score"
        if view.basis == "model"
        else "the number of ideal customer profile criteria met (no champion model)"
    )
    if view.basis == "model":
        cut = (
            f"score ≥ {view.threshold_score:.0f} (p_accept ≥ {view.threshold_p:.2f})"
            if _finite(view.threshold_score)
            else "–"
        )
    else:
        cut = (
            f"{view.threshold_score:.0f} or more ICP criteria met (history acceptance {100 * view.threshold_p:.0f}%)"
            if _finite(view.threshold_score)
            else "–"
        )
    gain = (
        view.expected_accepted_per_week / view.arrival_order_accepted_per_week
        if view.arrival_order_accepted_per_week
        else float("nan")
    )
    kpis = [
        ("Sales capacity", f"{view.capacity_per_week:,.0f} leads / week"),
        ("Leads arriving", f"{view.arrivals_per_week:,.0f} / week"),
        ("Hand over when", cut),
        ("Share of leads passed", pct(view.share_passed)),
        (f"Expected {target_word} / week", f"{view.expected_accepted_per_week:,.1f}"),
        ("In arrival order instead", f"{view.arrival_order_accepted_per_week:,.1f}"),
        ("If every lead were worked", f"{view.all_leads_accepted_per_week:,.1f}"),
    ]
    cards = "".join(f'<div class="kpi">{_e(k)}<b>{_e(v)}</b></div>' for k, v in kpis)
    text = (
        f"<p>Ranking by {basis}: sales get the best {view.handed_per_week:,.0f} leads a week out of "
        f"{view.arrivals_per_week:,.0f}, which should bring {view.expected_accepted_per_week:,.1f} {target_word} "
        f"leads a week — {_times(gain)} what the same number of leads brings when handed over in arrival order "
        f"({view.arrival_order_accepted_per_week:,.1f}). Period: the history's last {view.weeks:g} weeks. Leads tied "
        "at the threshold are split in score order.</p>"
    )
    return (
        f'<div class="kpis">{cards}</div>{text}<figure><figcaption>Expected {_e(target_word)} leads a week by '
        f"leads handed over</figcaption>{chart_capacity(view, target_word)}</figure>"
    )


def _disputed_html(disputed: pd.DataFrame, href: str | None, basis: str) -> str:
    n = len(disputed)
    n_accepted = int((disputed["sales_status"] == "accepted").sum())
    link = (
        f'<p>Review list: <a class="file" href="{_e(href)}">{_e(Path(href).name if href else "")}</a> '
        "(CSV: lead_id, source, sales_status, p_accept, tier, icp_criteria_met, reasons, why_disputed; "
        "no names, e-mails or phones).</p>"
        if href
        else ""
    )
    intro = (
        f'<div class="kpis"><div class="kpi">Disputed leads<b>{n:,}</b></div>'
        f'<div class="kpi">Rejected or never worked, rated high<b>{n - n_accepted:,}</b></div>'
        f'<div class="kpi">Accepted, rated low<b>{n_accepted:,}</b></div></div>'
        "<p>For the sales and marketing review: leads that sales rejected or never worked although "
        + ("the model or " if basis == "model" else "")
        + "the ideal customer profile rated them high, and accepted leads rated low. Each says why; the people "
        "who own the lead definition and the follow-up decide which of the two failed.</p>"
    )
    if n == 0:
        return intro + link
    by_kind = disputed["why_disputed"].str.replace(r" \([^)]*\)", "", regex=True).value_counts()
    kind_rows = "".join(f'<tr><td>{_e(k)}</td><td class="n">{int(v):,}</td></tr>' for k, v in by_kind.items())
    by_source = (
        disputed.groupby("source", sort=False)
        .agg(
            passed=("sales_status", lambda s: int((s != "accepted").sum())),
            accepted=("sales_status", lambda s: int((s == "accepted").sum())),
        )
        .assign(total=lambda f: f["passed"] + f["accepted"])
        .sort_values("total", ascending=False)
    )
    src_rows = "".join(
        f'<tr><td class="name">{_e(k)}</td><td class="n">{int(r["passed"]):,}</td>'
        f'<td class="n">{int(r["accepted"]):,}</td></tr>'
        for k, r in by_source.iterrows()
    )
    top = disputed.head(12)
    preview = "".join(
        f'<tr><td>{_e(r["lead_id"])}</td><td class="name">{_e(r["source"])}</td><td>{_e(r["sales_status"])}</td>'
        f'<td class="n">{_p2(r["p_accept"])}</td><td>{_e(r["tier"])}</td>'
        f"<td>{_e(r['icp_criteria_met'])}</td><td>{_e(r['why_disputed'])}</td></tr>"
        for _, r in top.iterrows()
    )
    return (
        intro
        + link
        + '<h3>Why</h3><table><thead><tr><th>Reason</th><th class="n">Leads</th></tr></thead>'
        + f"<tbody>{kind_rows}</tbody></table>"
        + '<h3>By source</h3><table><thead><tr><th>Source</th><th class="n">Rejected or never worked, rated high</th>'
        + f'<th class="n">Accepted, rated low</th></tr></thead><tbody>{src_rows}</tbody></table>'
        + f"<h3>The first {len(top)} on the list</h3>"
        + "<table><thead><tr><th>lead_id</th><th>Source</th><th>Sales status</th>"
        + '<th class="n">p_accept</th><th>Tier</th><th>ICP criteria met</th><th>Why disputed</th></tr></thead>'
        + f"<tbody>{preview}</tbody></table>"
    )


def _scored_html(scored: pd.DataFrame, average: float) -> str:
    if scored.empty:
        return (
            '<p class="muted">No freshly scored lists given. Score a new list with <code>leadsift score</code> '
            "and pass the output with <code>--scored FILE</code> to see it beside the history.</p>"
        )
    head = [
        "List",
        "Source",
        "Rows",
        "Expected acceptance (95% CI)",
        "The source's past rate",
        "Verdict",
        "Expected accepted",
        "Tiers A / B / C / D",
        "Problems",
        "Spend",
        "Cost / exp. accepted",
    ]
    ths = "".join(f"<th{' class=n' if i >= 2 and h != 'Verdict' else ''}>{_e(h)}</th>" for i, h in enumerate(head))
    body = []
    for _, r in scored.iterrows():
        verdict = str(r["verdict"])
        bad = verdict == "low_quality" or (
            verdict == "unknown"
            and _finite(r["expected_accept_rate"])
            and _finite(average)
            and r["expected_accept_rate"] < 0.5 * average
        )
        badge = "bad" if verdict == "low_quality" else ("ok" if verdict == "ok" else "few")
        basis = str(r["historical_basis"]) if str(r["historical_basis"]) not in ("source", "", "nan") else ""
        tiers = " / ".join(_int(r[f"tier_{t}"]) for t in "ABCD")
        body.append(
            f'<tr{" class=flagged" if bad else ""}><td>{_e(r["list"])}</td><td class="name">{_e(r["source"])}</td>'
            f'<td class="n">{_int(r["rows"])}</td>'
            f'<td class="n">{_rate(r["expected_accept_rate"])}'
            f"{_ci(r['expected_accept_low'], r['expected_accept_high'])}</td>"
            f'<td class="n">{_rate(r["source_history_rate"])}<span class="sub">{_e(basis)}</span></td>'
            f'<td><span class="badge {badge}">{_e(verdict)}</span></td>'
            f'<td class="n">{float(r["expected_accepted"]):,.1f}</td><td class="n">{tiers}</td>'
            f'<td class="n">{_int(r["score_errors"])}</td><td class="n">{_money(r["spend"])}</td>'
            f'<td class="n">{_money(r["cost_per_expected_accepted"])}</td></tr>'
        )
    return (
        f"<p>Lists scored by <code>leadsift score</code>, with no outcomes yet: their expected acceptance "
        f"(mean p_accept) beside the history's average of {_rate(average)} and the source's own past rate "
        "(for a source new to the history: its source type's rate). The verdict is the one "
        '<code>leadsift score</code> wrote beside the list; "unknown" where it wrote none.</p>'
        f'<div class="wide"><table><thead><tr>{ths}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'
    )


def render_report(
    report: SourceReport,
    data_name: str = "",
    disputed_href: str | None = None,
    csv_href: str | None = None,
    generated: datetime | None = None,
) -> str:
    """The whole report as one HTML string (sections: SECTION_IDS)."""
    table, t = report.table, report.facts["totals"]
    target_word = "accepted" if report.facts.get("target", "accepted") == "accepted" else "won"
    generated = generated or datetime.now()
    first, last = report.facts.get("first_lead"), report.facts.get("last_lead")
    span = f"{first:%d %b %Y} to {last:%d %b %Y}" if first is not None and last is not None else "dates unknown"
    src = table[table["level"] == "source"]
    average = float(table["average_accept_rate"].iloc[0]) if len(table) else float("nan")

    summary = "".join(f"<li>{_e(s)}</li>" for s in report.summary)
    csv_link = (
        f' The same table for spreadsheets: <a class="file" href="{_e(csv_href)}">{_e(Path(csv_href).name)}</a>.'
        if csv_href
        else ""
    )
    league = (
        f"<p>{len(src)} sources, {_int(t['leads'])} leads from {_e(span)}. Acceptance = accepted ÷ worked "
        "(accepted or rejected by sales), with its 95% interval underneath; won rate = won deals ÷ leads. "
        f"Rows in red are significantly below the average acceptance rate.{csv_link}</p>"
        + "<h3>By source</h3>"
        + _league_table_html(table, "source", t)
        + "<h3>By source type</h3>"
        + _league_table_html(table, "source_type", t)
    )
    cost_items = []
    for _, r in src.sort_values("cost_per_accepted", na_position="last", kind="stable").iterrows():
        missing = "no spend known" if not _finite(r["spend"]) else "no accepted leads"
        cost_items.append(
            (
                str(r["name"]),
                float(r["cost_per_accepted"]) if _finite(r["cost_per_accepted"]) else float("nan"),
                RED if r["below_average"] else BLUE,
                missing,
            )
        )
    charts = (
        '<div class="charts">'
        "<figure><figcaption>Acceptance rate by source, with 95% intervals</figcaption>"
        f"{chart_acceptance(table)}</figure>"
        "<figure><figcaption>Cost per accepted lead</figcaption>"
        f"{chart_bars(cost_items, 'Cost per accepted lead', _money)}</figure>"
        f"<figure><figcaption>From lead to won deal (all sources)</figcaption>{chart_funnel(t)}</figure>"
        f"<figure><figcaption>Acceptance rate by quarter</figcaption>{chart_trend(report.trend)}</figure>"
        f"{_trend_table(report.trend)}"
        "</div>"
    )
    notes = "".join(f"<li>{_e(n)}</li>" for n in report.notes)
    nav = "".join(
        f'<a href="#{sid}">{_e(label)}</a>'
        for sid, label in zip(
            SECTION_IDS,
            ("Summary", "League table", "Charts", "Plan", "Capacity", "Disputed leads", "Scored lists", "Notes"),
            strict=True,
        )
    )
    sections = {
        "summary": ("Summary", f"<ul>{summary}</ul>"),
        "league": ("League table", league),
        "charts": ("Charts", charts),
        "plan": ("Plan for a goal", _plan_html(report.plan)),
        "capacity": ("Sales capacity", _capacity_html(report.capacity, target_word)),
        "disputed": ("Disputed leads", _disputed_html(report.disputed, disputed_href, str(report.facts.get("basis")))),
        "scored-lists": ("Freshly scored lists", _scored_html(report.scored, average)),
        "notes": ("Notes and definitions", f"<ul>{notes}</ul>"),
    }
    body = "".join(
        f'<section id="{sid}"><h2>{_e(title)}</h2>{html}</section>' for sid, (title, html) in sections.items()
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Lead source report{' – ' + _e(data_name) if data_name else ''}</title>"
        f"<style>{CSS}</style></head><body>"
        f'<header><h1>Lead source report</h1><p class="meta">{_e(data_name)} · leads from {_e(span)} · '
        f"generated {generated:%d %b %Y %H:%M} by leadsift</p><nav>{nav}</nav></header>"
        f"<main>{body}</main></body></html>\n"
    )


def relative_href(target: Path | str, report_path: Path | str) -> str:
    """A relative, URL-quoted link from the report's folder to `target`."""
    rel = os.path.relpath(Path(target).resolve(), Path(report_path).resolve().parent)
    return quote(Path(rel).as_posix())
