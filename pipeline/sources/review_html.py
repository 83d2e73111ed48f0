"""The report's review sections as HTML: the queue and its patterns, the committee's findings, follow-up."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from leadsift.pipeline.review.build import Review
from leadsift.pipeline.review.decisions import DECISIONS
from leadsift.pipeline.sources.format import esc, finite, pct

SHOWN_PATTERNS = 12  # patterns listed in the page; the patterns CSV has them all
SHOWN_QUEUE = 12  # queue rows previewed in the page; the review CSV has them all
SHOWN_OWNERS = 25  # owners listed in the follow-up section; the follow-up CSV has them all (and every source)


def _n(x: object) -> str:
    return f"{int(round(float(x))):,}" if finite(x) else "–"


def _share(x: object) -> str:
    return pct(x) if finite(x) else "–"


def _days(x: object) -> str:
    return f"{float(x):.0f}" if finite(x) else "–"


def _table(head: list[str], rows: list[list[str]], numeric: tuple[int, ...] | None = None) -> str:
    """A table whose cells are HTML already; `numeric` columns (default: all but the first) align right."""
    right = set(range(1, len(head))) if numeric is None else set(numeric)
    ths = "".join(f"<th{' class=n' if i in right else ''}>{esc(h)}</th>" for i, h in enumerate(head))
    body = "".join(
        "<tr>" + "".join(f"<td{' class=n' if i in right else ''}>{c}</td>" for i, c in enumerate(r)) + "</tr>"
        for r in rows
    )
    return f'<div class="wide"><table><thead><tr>{ths}</tr></thead><tbody>{body}</tbody></table></div>'


def review_html(review: Review, href: str | None, period_weeks: float) -> str:
    """The queue sized to the committee, the patterns it rules on at once, and what it found."""
    n, queued = len(review.disputed), len(review.queue)
    link = (f'<p>Review list: <a class="file" href="{esc(href)}">{esc(Path(href).name)}</a> — fill in <code>decision</code> '
            f"({', '.join(DECISIONS)}) and <code>note</code>, then hand it back with <code>leadsift train --decisions</code> "
            "and <code>leadsift sources --decisions</code>.</p>") if href else ""
    kpis = (
        f'<div class="kpis"><div class="kpi">Disputed leads<b>{n:,}</b></div>'
        f'<div class="kpi">In the review queue<b>{queued:,}</b></div>'
        f'<div class="kpi">Patterns<b>{len(review.patterns):,}</b></div></div>'
    )
    intro = (
        f"<p>The committee can rule on {review.size:,} leads in {period_weeks:g} weeks (sources.review_per_week × the "
        f"period). The queue holds the most telling lead of each pattern, then the leads whose decision is worth most: "
        "for a lead sales passed over, its p_accept (the accepted lead expected lost); for an accepted lead, 1 − p_accept. "
        "Every disputed lead belongs to exactly one pattern below, so a ruling on a pattern covers them all.</p>"
    )
    return kpis + intro + link + _patterns_table(review.patterns) + _queue_preview(review.queue) + _findings(review.findings)


def _patterns_table(patterns: pd.DataFrame) -> str:
    if patterns.empty:
        return '<p class="muted">No disputed leads: no patterns.</p>'
    shown = patterns.head(SHOWN_PATTERNS)
    rows = [[esc(r["pattern_id"]), esc(r["pattern"]), _n(r["leads"]), pct(r["share_of_disputed"]), esc(r["source_shares"])]
            for _, r in shown.iterrows()]
    left = len(patterns) - len(shown)
    more = f'<p class="muted">{left:,} smaller patterns in the patterns CSV.</p>' if left else ""
    return "<h3>Patterns</h3>" + _table(["#", "Pattern", "Leads", "Share of disputed", "Sources"], rows, (2, 3)) + more


def _queue_preview(queue: pd.DataFrame) -> str:
    if queue.empty:
        return ""
    top = queue.head(SHOWN_QUEUE)
    rows = [[_n(r["rank"]), esc(r["lead_id"]), esc(r["source"]), esc(r["sales_status"]),
             f"{float(r['p_accept']):.2f}" if finite(r["p_accept"]) else "", esc(r["pattern_id"]), f"{float(r['worth']):.2f}",
             esc(r["why_disputed"])] for _, r in top.iterrows()]
    return (f"<h3>The first {len(top)} of the queue</h3>"
            + _table(["#", "lead_id", "Source", "Sales status", "p_accept", "Pattern", "Worth", "Why disputed"], rows, (0, 4, 6)))


def _findings(findings: pd.DataFrame) -> str:
    if findings.empty:
        return ('<p class="muted">No decisions given: pass the filled-in review list with '
                "<code>--decisions FILE</code> to see what the committee found.</p>")
    out = "<h3>What the committee found</h3>"
    for level, title in (("source", "By source"), ("pattern", "By pattern")):
        part = findings[findings["level"] == level]
        rows = [[esc(r["name"]), _n(r["decided"]), *(_n(r[d]) for d in DECISIONS)] for _, r in part.iterrows()]
        out += f"<h3>{title}</h3>" + _table([title.split()[-1].capitalize(), "Decided", *DECISIONS], rows)
    return out


def followup_html(review: Review) -> str:
    """Per source, tier and owner: never worked, days to a decision, tier A never worked, accepted leads lost."""
    table = review.followup
    overall = table[table["level"] == "all"]
    if overall.empty:
        return '<p class="muted">No leads: no follow-up figures.</p>'
    a = overall.iloc[0]
    intro = (
        f"<p>Of {_n(a['decided'])} leads with a sales decision, {pct(a['never_worked_share'])} were never worked"
        + (f" (of tier A leads: {pct(a['tier_a_never_worked_share'])})" if finite(a["tier_a_never_worked_share"]) else "")
        + f"; worked leads waited a median {_days(a['median_days_to_decision'])} days for the decision. "
        f"Leads never worked would have brought about {float(a['expected_accepted_lost']):,.0f} accepted leads "
        "(the sum of their p_accept). Leads still open count as leads, not as decided.</p>"
    )
    parts = [intro]
    for level, title in (("source", "By source"), ("tier", "By tier"), ("owner", "By owner")):
        part = table[table["level"] == level]
        if part.empty:
            if level == "owner":
                parts.append('<p class="muted">No owner column in the file (sources.owner_column): no figures per owner.</p>')
            continue
        shown = part.head(SHOWN_OWNERS) if level == "owner" else part
        more = (f'<p class="muted">{len(part) - len(shown):,} more owners in the follow-up CSV.</p>'
                if len(part) > len(shown) else "")
        parts.append(f"<h3>{title}</h3>" + _followup_table(shown, title.split()[-1].capitalize()) + more)
    return "".join(parts)


def _followup_table(part: pd.DataFrame, what: str) -> str:
    rows = [[esc(r["name"]), _n(r["leads"]), _n(r["decided"]), _share(r["never_worked_share"]),
             _days(r["median_days_to_decision"]), _n(r["tier_a"]), _share(r["tier_a_never_worked_share"]),
             f"{float(r['expected_accepted_lost']):,.1f}"] for _, r in part.iterrows()]
    head = [what, "Leads", "Decided", "Never worked", "Median days to decision", "Tier A", "Tier A never worked",
            "Expected accepted lost"]
    return _table(head, rows)
