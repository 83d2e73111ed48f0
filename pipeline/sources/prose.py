"""The report's opening sentences: the flagged sources, the totals, the plan, capacity, disputes, scored lists."""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadsift.pipeline.review.build import Review
from leadsift.pipeline.review.decisions import DECISIONS
from leadsift.pipeline.sources.capacity import CapacityView
from leadsift.pipeline.sources.format import money, pct
from leadsift.pipeline.sources.league import FLAG_TOO_FEW, totals
from leadsift.pipeline.sources.outcomes import NO_TYPE
from leadsift.pipeline.sources.plan import GoalKind, Plan

_NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}


def _count_word(n: int) -> str:
    return _NUMBER_WORDS.get(n, str(n))


def goal_words(kind: GoalKind, value: float, digits: int = 0, currency: str | None = None) -> str:
    """A plan's goal (or what it can reach) in words: "900 accepted leads", "2.5 million EUR of revenue"."""
    return f"{value:,.{digits}f} accepted leads" if kind == "accepted" else f"{money(value, currency)} of revenue"


def outcome_word(target: str) -> str:
    """What the model predicts, as the report says it: "accepted" (params.target accepted) or "won"."""
    return "accepted" if target == "accepted" else "won"


def _type_label(source_type: str) -> str:
    return source_type if source_type not in (NO_TYPE, "", "nan") else ""  # as the data writes it


def summary_sentences(
    table: pd.DataFrame,
    plan: Plan | None = None,
    capacity: CapacityView | None = None,
    disputed: pd.DataFrame | None = None,
    scored: pd.DataFrame | None = None,
    target_word: str = "accepted",
    default_goal: bool = False,
    review: Review | None = None,
    currency: str | None = None,
) -> list[str]:
    """A few plain-language sentences for the top of the report, most important first.

    `default_goal`: no goal was given, so the plan's goal is the history's average (and is labelled so);
    `currency` (report.currency) is written beside every amount.
    """
    t = totals(table)
    src = table[table["level"] == "source"]
    return [
        *_flagged_sentences(src, t),
        _totals_sentence(t, currency),
        *_cheapest_sentences(src, t, currency),
        *_too_few_sentences(src),
        *_plan_sentences(plan, default_goal, currency),
        *_capacity_sentences(capacity, target_word),
        *_disputed_sentences(disputed, review),
        *_scored_sentences(scored, t),
    ]


def _flagged_sentences(src: pd.DataFrame, t: dict[str, float]) -> list[str]:
    """One sentence per source type among the flagged sources (most leads first) and the list of them."""
    flagged = src[src["below_average"]]
    if not len(flagged):
        return ["No source's acceptance rate is significantly below the average."]
    has_spend = np.isfinite(t["spend"]) and t["spend"] > 0
    groups = sorted(flagged.groupby("source_type", sort=False), key=lambda kv: -kv[1]["leads"].sum())
    out = [_flagged_group_sentence(str(source_type), group, t, has_spend) for source_type, group in groups]
    out.append(f"Flagged as significantly below the average acceptance rate: {', '.join(map(str, flagged['name']))}.")
    return out


def _flagged_group_sentence(source_type: str, group: pd.DataFrame, t: dict[str, float], has_spend: bool) -> str:
    """What the flagged sources of one type cost and brought, and how sales rated their leads."""
    label = _type_label(source_type)
    n = len(group)
    what = f"{_count_word(n)} {label} sources" if label else f"{_count_word(n)} sources"
    if n == 1:
        what = f'{label + " " if label else ""}source "{group["name"].iloc[0]!s}"'
    share_leads = group["leads"].sum() / t["leads"]
    share_acc = group["accepted"].sum() / t["accepted"] if t["accepted"] else float("nan")
    spend_part = (
        f"cost {pct(group['spend'].sum() / t['spend'])} of spend, brought {pct(share_leads)} of leads"
        if has_spend and group["spend"].notna().any()
        else f"brought {pct(share_leads)} of leads"
    )
    rate = group["accepted"].sum() / group["worked"].sum() if group["worked"].sum() else float("nan")
    return (
        f"The {what} {spend_part} and produced {pct(share_acc)} of accepted leads; "
        f"sales accepted {pct(rate)} of the ones they worked, against {pct(t['accept_rate'], 1)} on average."
    )


def _totals_sentence(t: dict[str, float], currency: str | None = None) -> str:
    return (
        f"Across {int(t['sources'])} sources: {int(t['leads']):,} leads, {int(t['worked']):,} worked by sales, "
        f"{pct(t['accept_rate'], 1)} of those accepted, {int(t['won']):,} won deals worth {money(t['revenue'], currency)}"
        + (f", for {money(t['spend'], currency)} of spend." if np.isfinite(t["spend"]) else ".")
    )


def _cheapest_sentences(src: pd.DataFrame, t: dict[str, float], currency: str | None = None) -> list[str]:
    """The paid source with the lowest cost per accepted lead (among those with enough outcomes), if any."""
    priced = src[src["cost_per_accepted"].notna() & ~src["too_few_outcomes"] & (src["accepted"] > 0)]
    if not (len(priced) and np.isfinite(t["cost_per_accepted"])):
        return []
    paid = priced[priced["spend"] > 0]
    if not len(paid):
        return []
    best = paid.sort_values("cost_per_accepted", kind="stable").iloc[0]
    return [
        f"{best['name']} brought accepted leads at the lowest cost among paid sources, "
        f"{money(best['cost_per_accepted'], currency)} each, "
        f"against {money(t['cost_per_accepted'], currency)} across all sources."
    ]


def _too_few_sentences(src: pd.DataFrame) -> list[str]:
    too_few = src[src["too_few_outcomes"]]
    if not len(too_few):
        return []
    return [
        f"{_count_word(len(too_few)).capitalize()} source{'s have' if len(too_few) > 1 else ' has'} too few "
        f"worked leads to judge: {', '.join(map(str, too_few['name']))}."
    ]


def _plan_sentences(plan: Plan | None, default_goal: bool = False, currency: str | None = None) -> list[str]:
    """What the plan needs to reach its goal, or the most it can reach; a default goal is said to be one."""
    if plan is None:
        return []
    goal = goal_words(plan.goal_kind, plan.goal_value, currency=currency)
    if default_goal:
        goal = f"the default goal (no goal given: the history's average) of {goal}"
    if plan.reachable:
        return [
            f"To reach {goal} in {plan.period_weeks:g} weeks, the cheapest mix within past volumes is "
            f"{plan.leads:,} leads from {len(plan.rows)} source{'s' if len(plan.rows) != 1 else ''} "
            f"for {money(plan.spend, currency)} of spend."
        ]
    most = goal_words(plan.goal_kind, plan.most_reachable, currency=currency)
    left_out = sum(1 for _, why in plan.skipped if why in ("flagged below average", FLAG_TOO_FEW))
    return [
        f"{goal[0].upper() + goal[1:]} in {plan.period_weeks:g} weeks cannot be reached within past volumes"
        + (
            f" without the {_count_word(left_out)} flagged or unjudged source{'s' if left_out > 1 else ''}"
            if left_out
            else ""
        )
        + f": at most {most}, from {plan.leads:,} leads for {money(plan.spend, currency)}."
    ]


def _capacity_sentences(capacity: CapacityView | None, target_word: str) -> list[str]:
    """What handing sales the best leads up to their capacity brings, against arrival order."""
    if capacity is None or not capacity.handed_per_week > 0:
        return []
    if capacity.basis == "model":
        cut = f"score {capacity.threshold_score:.0f} or more"
    else:
        cut = f"{capacity.threshold_score:.0f} or more ideal customer profile criteria met"
    return [
        f"If sales work {capacity.capacity_per_week:,.0f} leads a week, handing over those with {cut} "
        f"({pct(capacity.share_passed)} of leads) should bring about {capacity.expected_accepted_per_week:,.0f} "
        f"{target_word} leads a week, against {capacity.arrival_order_accepted_per_week:,.0f} when they work "
        f"leads in arrival order."
    ]


def _disputed_sentences(disputed: pd.DataFrame | None, review: Review | None = None) -> list[str]:
    """How many leads are disputed, and what of them the committee's queue and patterns hold."""
    if disputed is None or not len(disputed):
        return []
    n = len(disputed)
    passed = int((disputed["sales_status"] != "accepted").sum())
    out = [
        f"{n:,} leads are disputed: {passed:,} rejected or never worked although rated high, "
        f"{n - passed:,} accepted although rated low."
    ]
    if review is not None:
        out.append(
            f"The review queue holds the {len(review.queue):,} the committee can rule on in the period "
            f"(room for {review.size:,}); all {n:,} fall into {len(review.patterns):,} patterns to rule on at once, "
            f"the largest: {review.patterns['pattern'].iloc[0]}"
        )
        lost = review.followup.loc[review.followup["level"] == "all", "expected_accepted_lost"]
        share = review.followup.loc[review.followup["level"] == "all", "never_worked_share"]
        if len(lost):
            out.append(
                f"Sales never worked {pct(float(share.iloc[0]))} of the leads they got a decision on; those leads "
                f"would have brought about {float(lost.iloc[0]):,.0f} accepted leads (see Follow-up)."
            )
        out += _findings_sentences(review.findings)
    return out


def _findings_sentences(findings: pd.DataFrame) -> list[str]:
    """What the committee decided, in total and where most of it was a follow-up failure."""
    by_source = findings[findings["level"] == "source"]
    if by_source.empty:
        return []
    counts = {d: int(by_source[d].sum()) for d in DECISIONS}
    worst = by_source.sort_values(["should_have_worked", "name"], ascending=[False, True], kind="stable").iloc[0]
    text = ", ".join(f"{n:,} {d.replace('_', ' ')}" for d, n in counts.items() if n)
    most = (f"; most leads sales should have worked came from {worst['name']} ({int(worst['should_have_worked']):,})"
            if worst["should_have_worked"] > 0 else "")
    return [f"The committee decided {int(by_source['decided'].sum()):,} leads: {text}{most}."]


def _scored_sentences(scored: pd.DataFrame | None, t: dict[str, float]) -> list[str]:
    """One sentence per scored list: its expected acceptance against the history's average."""
    if scored is None or not len(scored):
        return []
    out = []
    for name, group in scored.groupby("list", sort=False):
        rows = int(group["rows"].sum())
        rate = float(group["expected_accepted"].sum() / rows) if rows else float("nan")
        low = " — under half of it" if np.isfinite(rate) and rate < 0.5 * t["accept_rate"] else ""
        out.append(
            f"Scored list {name}: {rows:,} leads, expected acceptance {pct(rate)} "
            f"(history average {pct(t['accept_rate'], 1)}{low})."
        )
    return out
