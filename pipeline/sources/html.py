"""The source quality report as one self-contained HTML file: inline CSS, inline SVG charts, no scripts.

Nothing in the page loads from anywhere (a Content-Security-Policy says so to the browser too);
the only links are the relative ones to the CSV files beside it (disputed leads, review queue,
league table). Every string that comes from the data is escaped.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from leadsift.pipeline.sources.capacity import CapacityView
from leadsift.pipeline.sources.charts import BLUE, RED, chart_acceptance, chart_bars, chart_capacity, chart_funnel, chart_trend
from leadsift.pipeline.sources.format import esc, finite, money, pct
from leadsift.pipeline.sources.league import FLAG_BELOW, FLAG_TOO_FEW
from leadsift.pipeline.sources.plan import Plan
from leadsift.pipeline.sources.prose import goal_words, outcome_word
from leadsift.pipeline.sources.report import SourceReport
from leadsift.pipeline.sources.review_html import followup_html, review_html

SECTION_IDS = ("summary", "league", "charts", "plan", "capacity", "disputed", "review", "follow-up", "scored-lists", "notes")

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


def _int(x: object) -> str:
    return f"{int(round(float(x))):,}" if finite(x) else "–"


def _rate(x: object, digits: int = 1) -> str:
    return f"{100 * float(x):.{digits}f}%" if finite(x) else "–"


def _money(x: object) -> str:
    if not finite(x):
        return "–"
    x = float(x)
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.2f}"


def _times(x: object) -> str:
    return f"{float(x):.1f}×" if finite(x) else "–"


def _p2(x: object) -> str:
    return f"{float(x):.2f}" if finite(x) else ""


def _ci(low: object, high: object) -> str:
    if not (finite(low) and finite(high)):
        return ""
    return f'<span class="ci">{100 * float(low):.1f}–{100 * float(high):.1f}</span>'


def _flag_badge(flag: str) -> str:
    if flag == FLAG_BELOW:
        return '<span class="badge bad">below average</span>'
    if flag == FLAG_TOO_FEW:
        return '<span class="badge few">too few outcomes to judge</span>'
    return ""


def _league_rows(rows: pd.DataFrame, with_type: bool) -> list[str]:
    out = []
    for _, r in rows.iterrows():
        cls = ' class="flagged"' if r["below_average"] else ""
        spend_from = {"spend table": "spend table", "cost": "per-lead cost"}.get(str(r["spend_from"]), "")
        kind = f'<span class="sub">{esc(r["source_type"])}</span>' if with_type else ""
        cells = [
            f'<td class="name">{esc(r["name"])}{kind}{_flag_badge(str(r["flag"]))}</td>',
            f'<td class="n">{_int(r["leads"])}</td>',
            f'<td class="n">{_int(r["worked"])}</td>',
            f'<td class="n">{_int(r["accepted"])}</td>',
            f'<td class="n">{_rate(r["accept_rate"])}{_ci(r["accept_low"], r["accept_high"])}</td>',
            f'<td class="n">{_int(r["won"])}</td>',
            f'<td class="n">{_rate(r["won_rate"])}{_ci(r["won_low"], r["won_high"])}</td>',
            f'<td class="n">{_money(r["revenue"])}</td>',
            f'<td class="n">{_money(r["spend"])}<span class="sub">{esc(spend_from)}</span></td>',
            f'<td class="n">{_money(r["cost_per_lead"])}</td>',
            f'<td class="n">{_money(r["cost_per_accepted"])}</td>',
            f'<td class="n">{_money(r["cost_per_won"])}</td>',
            f'<td class="n">{_money(r["revenue_per_lead"])}</td>',
            f'<td class="n">{_times(r["return_on_spend"])}</td>',
        ]
        out.append(f"<tr{cls}>{''.join(cells)}</tr>")
    return out


MONEY_HEADS = frozenset({"Revenue", "Spend", "Cost / lead", "Cost / accepted", "Cost / won", "Revenue / lead",
                         "Expected revenue"})


def _with_currency(head: list[str], currency: str | None) -> list[str]:
    """Column heads of amounts with the currency beside them (report.currency), when one is set."""
    return [f"{h} ({currency})" if currency and h in MONEY_HEADS else h for h in head]


def _league_table_html(table: pd.DataFrame, level: str, total: dict[str, float], currency: str | None = None) -> str:
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
    head = _with_currency(head, currency)
    ths = "".join(f"<th{'' if i == 0 else ' class=n'}>{esc(h)}</th>" for i, h in enumerate(head))
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
    head = "".join(f'<th class="n">{esc(q)}</th>' for q in quarters)
    body = []
    for name in names:
        cells = []
        for q in quarters:
            if (name, q) in lookup.index:
                r = lookup.loc[(name, q)]
                rate = r["accept_rate"]
                alpha = 0.08 + 0.6 * float(rate) / vmax if finite(rate) else 0.0
                style = f' style="background: rgba(43,108,176,{alpha:.2f})"' if finite(rate) else ""
                cells.append(
                    f'<td class="n"{style}>{_rate(rate, 0)}<span class="sub">{_int(r["leads"])} leads</span></td>'
                )
            else:
                cells.append('<td class="n muted">–</td>')
        cls = ' class="total"' if name == "All sources" else ""
        body.append(f'<tr{cls}><td class="name">{esc(name)}</td>{"".join(cells)}</tr>')
    return (
        f'<table class="heat"><thead><tr><th>Acceptance by quarter</th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _plan_html(plan: Plan | None, default_goal: bool = False, currency: str | None = None) -> str:
    if plan is None:
        return '<p class="muted">No plan: the history has no dates, so no volume per period is known.</p>'
    return _plan_verdict(plan, default_goal, currency) + _plan_how(plan) + _plan_table(plan, currency) + _plan_left_out(plan)


def _plan_verdict(plan: Plan, default_goal: bool = False, currency: str | None = None) -> str:
    """The goal (labelled as the default one when none was given) and whether it is reachable."""
    goal = goal_words(plan.goal_kind, plan.goal_value, currency=currency)
    label = ("Default goal (no goal given: the history's average; set one with --goal-accepted or --goal-revenue)"
             if default_goal else "Goal")
    if plan.reachable:
        return (
            f'<div class="callout">{esc(label)}: <b>{esc(goal)}</b> in {plan.period_weeks:g} weeks. '
            f"Reachable: <b>{plan.leads:,} leads</b> for <b>{esc(money(plan.spend, currency))}</b> of spend.</div>"
        )
    most = goal_words(plan.goal_kind, plan.most_reachable, digits=1, currency=currency)
    return (
        f'<div class="callout bad">{esc(label)}: <b>{esc(goal)}</b> in {plan.period_weeks:g} weeks. '
        f"<b>Not reachable</b> within past volumes from the sources below: at most {esc(most)}, with every "
        f"one at its cap ({plan.leads:,} leads for {esc(money(plan.spend, currency))}).</div>"
    )


def _plan_how(plan: Plan) -> str:
    return (
        "<p>Sources are filled cheapest first — by cost per accepted lead"
        + (" (for a revenue goal: spend per unit of revenue)" if plan.goal_kind == "revenue" else "")
        + f" — each up to its average volume per {plan.period_weeks:g} weeks in the history. Every figure is a "
        "rate from the league table times the planned leads: leads × cost per lead = spend, leads × accepted per "
        "lead = expected accepted leads.</p>"
    )


def _plan_table(plan: Plan, currency: str | None = None) -> str:
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
    head = _with_currency(head, currency)
    ths = "".join(f"<th{' class=n' if i >= 3 else ''}>{esc(h)}</th>" for i, h in enumerate(head))
    body = [_plan_row(i, r, plan.goal_kind) for i, (_, r) in enumerate(plan.rows.iterrows(), start=1)]
    body.append(_plan_total(plan))
    return f'<div class="wide"><table><thead><tr>{ths}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'


def _plan_row(i: int, r: pd.Series, goal_kind: str) -> str:
    unit_value = _money(r["unit_cost"]) if goal_kind == "accepted" else f"{float(r['unit_cost']):.3f}"
    return (
        f'<tr><td>{i}</td><td class="name">{esc(r["source"])}</td><td>{esc(r["source_type"])}</td>'
        f'<td class="n">{_money(r["cost_per_lead"])}</td><td class="n">{_rate(r["accepted_per_lead"])}</td>'
        f'<td class="n">{_money(r["revenue_per_lead"])}</td><td class="n">{unit_value}</td>'
        f'<td class="n">{_int(r["cap_leads"])}</td>'
        f'<td class="n">{_int(r["leads"])}{"<span class=sub>at cap</span>" if r["at_cap"] else ""}</td>'
        f'<td class="n">{_money(r["spend"])}</td><td class="n">{r["expected_accepted"]:,.1f}</td>'
        f'<td class="n">{r["expected_won"]:,.1f}</td><td class="n">{_money(r["expected_revenue"])}</td></tr>'
    )


def _plan_total(plan: Plan) -> str:
    rows = plan.rows
    return (
        f'<tr class="total"><td></td><td>Plan</td><td></td><td></td><td></td><td></td><td></td><td></td>'
        f'<td class="n">{plan.leads:,}</td><td class="n">{_money(plan.spend)}</td>'
        f'<td class="n">{rows["expected_accepted"].sum():,.1f}</td><td class="n">{rows["expected_won"].sum():,.1f}</td>'
        f'<td class="n">{_money(rows["expected_revenue"].sum())}</td></tr>'
    )


def _plan_left_out(plan: Plan) -> str:
    if not plan.skipped:
        return ""
    items = "".join(f"<li>{esc(name)}: {esc(why)}</li>" for name, why in plan.skipped)
    return f"<h3>Left out of the plan</h3><ul>{items}</ul>"


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
            if finite(view.threshold_score)
            else "–"
        )
    else:
        cut = (
            f"{view.threshold_score:.0f} or more ICP criteria met (history acceptance {100 * view.threshold_p:.0f}%)"
            if finite(view.threshold_score)
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
    cards = "".join(f'<div class="kpi">{esc(k)}<b>{esc(v)}</b></div>' for k, v in kpis)
    text = (
        f"<p>Ranking by {basis}: sales get the best {view.handed_per_week:,.0f} leads a week out of "
        f"{view.arrivals_per_week:,.0f}, which should bring {view.expected_accepted_per_week:,.1f} {target_word} "
        f"leads a week — {_times(gain)} what the same number of leads brings when handed over in arrival order "
        f"({view.arrival_order_accepted_per_week:,.1f}). Period: the history's last {view.weeks:g} weeks. Leads tied "
        "at the threshold are split in score order.</p>"
    )
    return (
        f'<div class="kpis">{cards}</div>{text}<figure><figcaption>Expected {esc(target_word)} leads a week by '
        f"leads handed over</figcaption>{chart_capacity(view, target_word)}</figure>"
    )


def _disputed_html(disputed: pd.DataFrame, href: str | None, basis: str) -> str:
    n = len(disputed)
    n_accepted = int((disputed["sales_status"] == "accepted").sum())
    link = (
        f'<p>Review list: <a class="file" href="{esc(href)}">{esc(Path(href).name if href else "")}</a> '
        "(CSV: lead_id, source, sales_status, p_accept, tier, icp_criteria_met, reasons, why_disputed, "
        "pattern_id; no names, e-mails or phones). The committee's share of them is the review queue below.</p>"
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
    kind_rows = "".join(f'<tr><td>{esc(k)}</td><td class="n">{int(v):,}</td></tr>' for k, v in by_kind.items())
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
        f'<tr><td class="name">{esc(k)}</td><td class="n">{int(r["passed"]):,}</td>'
        f'<td class="n">{int(r["accepted"]):,}</td></tr>'
        for k, r in by_source.iterrows()
    )
    top = disputed.head(12)
    preview = "".join(
        f'<tr><td>{esc(r["lead_id"])}</td><td class="name">{esc(r["source"])}</td><td>{esc(r["sales_status"])}</td>'
        f'<td class="n">{_p2(r["p_accept"])}</td><td>{esc(r["tier"])}</td>'
        f"<td>{esc(r['icp_criteria_met'])}</td><td>{esc(r['why_disputed'])}</td></tr>"
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
    ths = "".join(f"<th{' class=n' if i >= 2 and h != 'Verdict' else ''}>{esc(h)}</th>" for i, h in enumerate(head))
    body = []
    for _, r in scored.iterrows():
        verdict = str(r["verdict"])
        bad = verdict == "low_quality" or (
            verdict == "unknown"
            and finite(r["expected_accept_rate"])
            and finite(average)
            and r["expected_accept_rate"] < 0.5 * average
        )
        badge = "bad" if verdict == "low_quality" else ("ok" if verdict == "ok" else "few")
        basis = str(r["historical_basis"]) if str(r["historical_basis"]) not in ("source", "", "nan") else ""
        tiers = " / ".join(_int(r[f"tier_{t}"]) for t in "ABCD")
        body.append(
            f'<tr{" class=flagged" if bad else ""}><td>{esc(r["list"])}</td><td class="name">{esc(r["source"])}</td>'
            f'<td class="n">{_int(r["rows"])}</td>'
            f'<td class="n">{_rate(r["expected_accept_rate"])}'
            f"{_ci(r['expected_accept_low'], r['expected_accept_high'])}</td>"
            f'<td class="n">{_rate(r["source_history_rate"])}<span class="sub">{esc(basis)}</span></td>'
            f'<td><span class="badge {badge}">{esc(verdict)}</span></td>'
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
    review_href: str | None = None,
    monitoring: dict[str, str] | None = None,
    monitoring_href: str | None = None,
) -> str:
    """The whole report as one HTML string (sections: SECTION_IDS). `monitoring`: the latest monitoring run of
    the model (`leadsift monitor`), linked by `monitoring_href` to its page where that is still there."""
    generated = generated or datetime.now()
    span = _date_span(report.facts)
    body = "".join(
        f'<section id="{sid}"><h2>{esc(title)}</h2>{html}</section>'
        for sid, (title, html) in _sections(report, span, disputed_href, csv_href, review_href).items()
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Lead source report{' – ' + esc(data_name) if data_name else ''}</title>"
        f"<style>{CSS}</style></head><body>"
        f'<header><h1>Lead source report</h1><p class="meta">{esc(data_name)} · leads from {esc(span)} · '
        f"generated {generated:%d %b %Y %H:%M} by leadsift</p>{_provenance(report.facts)}"
        f"{_monitoring(monitoring, monitoring_href)}<nav>{_nav()}</nav></header>"
        f"<main>{body}</main></body></html>\n"
    )


def _provenance(facts: dict[str, object]) -> str:
    """Which params file, model and data the report used, and the currency of its amounts."""
    used = dict(facts.get("provenance") or {})
    currency = facts.get("currency")
    used["amounts"] = f"in {currency}" if currency else "in the data's currency (set report.currency to name it)"
    items = "".join(f"<li><b>{esc(k.capitalize())}</b>: {esc(v)}</li>" for k, v in used.items())
    return f'<ul class="meta provenance">{items}</ul>'


def _monitoring(run: dict[str, str] | None, href: str | None) -> str:
    """One line on the latest monitoring run of the model: when, how many alerts, its verdict, the page."""
    if not run:
        return ""
    page = f' <a class="file" href="{esc(href)}">Monitoring page</a>' if href else ""
    return (f'<p class="meta monitoring"><b>Latest monitoring</b> ({esc(run["started"])} UTC, MLflow run '
            f'{esc(run["run_id"])}, {esc(run["alerts"])} alert(s)): {esc(run["verdict"])}{page}</p>')


def _date_span(facts: dict[str, object]) -> str:
    first, last = facts.get("first_lead"), facts.get("last_lead")
    return f"{first:%d %b %Y} to {last:%d %b %Y}" if first is not None and last is not None else "dates unknown"


def _nav() -> str:
    labels = ("Summary", "League table", "Charts", "Plan", "Capacity", "Disputed leads", "Review queue", "Follow-up",
              "Scored lists", "Notes")
    return "".join(f'<a href="#{sid}">{esc(label)}</a>' for sid, label in zip(SECTION_IDS, labels, strict=True))


def _sections(
    report: SourceReport, span: str, disputed_href: str | None, csv_href: str | None, review_href: str | None
) -> dict[str, tuple[str, str]]:
    """Each section's id -> (title, inner HTML), in SECTION_IDS order."""
    table = report.table
    target_word = outcome_word(str(report.facts.get("target", "accepted")))
    average = float(table["average_accept_rate"].iloc[0]) if len(table) else float("nan")
    summary = "".join(f"<li>{esc(s)}</li>" for s in report.summary)
    notes = "".join(f"<li>{esc(n)}</li>" for n in report.notes)
    currency = report.facts.get("currency")
    return {
        "summary": ("Summary", f"<ul>{summary}</ul>"),
        "league": ("League table", _league_html(table, report.facts["totals"], span, csv_href, currency)),
        "charts": ("Charts", _charts_html(table, report.facts["totals"], report.trend, currency)),
        "plan": ("Plan for a goal", _plan_html(report.plan, bool(report.facts.get("goal_default")), currency)),
        "capacity": ("Sales capacity", _capacity_html(report.capacity, target_word)),
        "disputed": ("Disputed leads", _disputed_html(report.disputed, disputed_href, str(report.facts.get("basis")))),
        "review": ("Review queue", review_html(report.review, review_href, float(report.facts["period_weeks"]))),
        "follow-up": ("Follow-up by sales", followup_html(report.review)),
        "scored-lists": ("Freshly scored lists", _scored_html(report.scored, average)),
        "notes": ("Notes and definitions", f"<ul>{notes}</ul>"),
    }


def _league_html(
    table: pd.DataFrame, t: dict[str, float], span: str, csv_href: str | None, currency: str | None = None
) -> str:
    """How to read the league table, a link to its CSV, and the tables by source and by source type."""
    src = table[table["level"] == "source"]
    csv_link = (
        f' The same table for spreadsheets: <a class="file" href="{esc(csv_href)}">{esc(Path(csv_href).name)}</a>.'
        if csv_href
        else ""
    )
    return (
        f"<p>{len(src)} sources, {_int(t['leads'])} leads from {esc(span)}. Acceptance = accepted ÷ worked "
        "(accepted or rejected by sales), with its 95% interval underneath; won rate = won deals ÷ leads. "
        f"Rows in red are significantly below the average acceptance rate.{csv_link}</p>"
        + "<h3>By source</h3>"
        + _league_table_html(table, "source", t, currency)
        + "<h3>By source type</h3>"
        + _league_table_html(table, "source_type", t, currency)
    )


def _charts_html(table: pd.DataFrame, t: dict[str, float], trend: pd.DataFrame, currency: str | None = None) -> str:
    return (
        '<div class="charts">'
        "<figure><figcaption>Acceptance rate by source, with 95% intervals</figcaption>"
        f"{chart_acceptance(table)}</figure>"
        f"<figure><figcaption>Cost per accepted lead{' (' + esc(currency) + ')' if currency else ''}</figcaption>"
        f"{chart_bars(_cost_items(table), 'Cost per accepted lead', _money)}</figure>"
        f"<figure><figcaption>From lead to won deal (all sources)</figcaption>{chart_funnel(t)}</figure>"
        f"<figure><figcaption>Acceptance rate by quarter</figcaption>{chart_trend(trend)}</figure>"
        f"{_trend_table(trend)}"
        "</div>"
    )


def _cost_items(table: pd.DataFrame) -> list[tuple[str, float, str, str]]:
    """(source, cost per accepted lead, colour, why there is none) per source, cheapest first, for `chart_bars`."""
    src = table[table["level"] == "source"]
    items = []
    for _, r in src.sort_values("cost_per_accepted", na_position="last", kind="stable").iterrows():
        missing = "no spend known" if not finite(r["spend"]) else "no accepted leads"
        items.append(
            (
                str(r["name"]),
                float(r["cost_per_accepted"]) if finite(r["cost_per_accepted"]) else float("nan"),
                RED if r["below_average"] else BLUE,
                missing,
            )
        )
    return items


def relative_href(target: Path | str, report_path: Path | str) -> str:
    """A relative, URL-quoted link from the report's folder to `target`."""
    rel = os.path.relpath(Path(target).resolve(), Path(report_path).resolve().parent)
    return quote(Path(rel).as_posix())
