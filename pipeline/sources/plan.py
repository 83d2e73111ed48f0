"""Plan for a goal: the cheapest mix of sources that brings N accepted leads (or X revenue) in a period."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from leadsift.errors import ContractError
from leadsift.pipeline.sources.league import FLAG_TOO_FEW

GoalKind = Literal["accepted", "revenue"]


@dataclass(frozen=True)
class Plan:
    """Leads to buy per source to reach a goal in a period, cheapest first within past volumes."""

    goal_kind: GoalKind
    goal_value: float
    period_weeks: float
    rows: pd.DataFrame  # one row per source used, in the order they were filled
    reachable: bool
    expected: float  # expected accepted leads or revenue of the plan
    spend: float
    leads: int
    most_reachable: float  # the goal metric with every candidate source at its cap
    skipped: tuple[tuple[str, str], ...]  # (source, why it is not in the plan)
    include_flagged: bool

# fmt: off
PLAN_COLUMNS = (
    "source", "source_type", "cost_per_lead", "accepted_per_lead", "won_rate", "revenue_per_lead",
    "unit_cost", "cap_leads", "leads", "spend", "expected_accepted", "expected_won", "expected_revenue",
    "at_cap",
)
# fmt: on


def plan_for_goal(
    table: pd.DataFrame,
    goal_kind: GoalKind,
    goal_value: float,
    period_weeks: float = 13.0,
    include_flagged: bool = False,
) -> Plan:
    """Cheapest mix of sources that reaches `goal_value` accepted leads (or revenue) in `period_weeks`.

    Sources are filled in order of cost per accepted lead (goal accepted) or spend per unit of
    revenue (goal revenue), each up to its past volume per period (`leads_per_week` x weeks).
    A source's expected yield is the table's `accepted_per_lead` (accepted / all its leads) or
    `revenue_per_lead`, and its spend `cost_per_lead` per lead: the plan's numbers are the table's
    numbers multiplied by lead counts. Flagged sources (below average, too few outcomes) and sources
    without spend or without yield are skipped; `include_flagged` keeps the below-average ones.
    """
    _check_goal(goal_kind, goal_value, period_weeks)
    yield_col = "accepted_per_lead" if goal_kind == "accepted" else "revenue_per_lead"
    cand, skipped = _candidates(table[table["level"] == "source"], goal_kind, yield_col, include_flagged)
    if cand.empty:
        no_rows = pd.DataFrame(columns=list(PLAN_COLUMNS))
        return _summed(goal_kind, goal_value, period_weeks, no_rows, 0.0, skipped, include_flagged)
    cand = _cheapest_first(cand, yield_col, period_weeks)
    plan_rows, too_small = _fill(cand, yield_col, float(goal_value))
    most = float((cand["cap_leads"] * cand[yield_col]).sum())
    return _summed(goal_kind, goal_value, period_weeks, plan_rows, most, skipped + too_small, include_flagged)


def _summed(
    goal_kind: GoalKind,
    goal_value: float,
    period_weeks: float,
    rows: pd.DataFrame,
    most_reachable: float,
    skipped: list[tuple[str, str]],
    include_flagged: bool,
) -> Plan:
    """The plan of these rows: what they are expected to bring, spend and leads, and whether that meets the goal."""
    metric = "expected_accepted" if goal_kind == "accepted" else "expected_revenue"
    expected = float(rows[metric].sum())
    return Plan(
        goal_kind=goal_kind,
        goal_value=float(goal_value),
        period_weeks=float(period_weeks),
        rows=rows,
        reachable=expected >= goal_value - 1e-6,
        expected=expected,
        spend=float(rows["spend"].sum()),
        leads=int(rows["leads"].sum()),
        most_reachable=most_reachable,
        skipped=tuple(skipped),
        include_flagged=include_flagged,
    )


def _check_goal(goal_kind: GoalKind, goal_value: float, period_weeks: float) -> None:
    if goal_kind not in ("accepted", "revenue"):
        raise ContractError(f"goal must be 'accepted' or 'revenue', got {goal_kind!r}")
    if not (isinstance(goal_value, (int, float)) and math.isfinite(goal_value) and goal_value > 0):
        raise ContractError(f"the goal must be a positive number, got {goal_value!r}")
    if not period_weeks > 0:
        raise ContractError(f"the planning period must be a positive number of weeks, got {period_weeks!r}")


def _candidates(
    rows: pd.DataFrame, goal_kind: GoalKind, yield_col: str, include_flagged: bool
) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """The source rows the plan may use, and (source, why) for the ones it may not, in table order."""
    skipped: list[tuple[str, str]] = []
    keep = []
    for _, r in rows.iterrows():
        why = _why_left_out(r, goal_kind, yield_col, include_flagged)
        if why:
            skipped.append((str(r["name"]), why))
        else:
            keep.append(r)
    return pd.DataFrame(keep, columns=rows.columns), skipped


def _why_left_out(r: pd.Series, goal_kind: GoalKind, yield_col: str, include_flagged: bool) -> str:
    """Why a source cannot be in the plan, or "" when it can."""
    if r["too_few_outcomes"]:
        return FLAG_TOO_FEW
    if r["below_average"] and not include_flagged:
        return "flagged below average"
    if pd.isna(r["cost_per_lead"]):
        return "no spend known"
    if pd.isna(r["leads_per_week"]):
        return "no dates, so no volume per period"
    if not (r[yield_col] > 0):
        return "no accepted leads" if goal_kind == "accepted" else "no revenue"
    return ""


def _cheapest_first(cand: pd.DataFrame, yield_col: str, period_weeks: float) -> pd.DataFrame:
    """Candidates with their cost per unit of the goal and their cap (past volume per period), cheapest first."""
    return cand.assign(
        unit_cost=cand["cost_per_lead"] / cand[yield_col],
        cap_leads=np.floor(cand["leads_per_week"] * period_weeks + 1e-9),
    ).sort_values(["unit_cost", yield_col, "name"], ascending=[True, False, True], kind="stable")


def _fill(cand: pd.DataFrame, yield_col: str, goal_value: float) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """Take leads from each candidate in turn, up to its cap, until the goal is met (PLAN_COLUMNS rows).

    Also returns (source, why) for candidates passed over on the way for having a cap under one lead.
    """
    need = goal_value
    out = []
    skipped: list[tuple[str, str]] = []
    for _, r in cand.iterrows():
        if need <= 1e-9:
            break
        cap = int(r["cap_leads"])
        if cap <= 0:
            skipped.append((str(r["name"]), "under one lead per period"))
            continue
        take = min(cap, int(math.ceil(need / r[yield_col] - 1e-9)))
        need -= take * r[yield_col]
        out.append(_plan_row(r, cap, take))
    return pd.DataFrame(out, columns=list(PLAN_COLUMNS)), skipped


def _plan_row(r: pd.Series, cap: int, take: int) -> dict[str, object]:
    """One source's line in the plan: its table rates, cap, the leads taken and what they should bring."""
    return {
        "source": r["name"],
        "source_type": r["source_type"],
        "cost_per_lead": r["cost_per_lead"],
        "accepted_per_lead": r["accepted_per_lead"],
        "won_rate": r["won_rate"],
        "revenue_per_lead": r["revenue_per_lead"],
        "unit_cost": r["unit_cost"],
        "cap_leads": cap,
        "leads": take,
        "spend": take * r["cost_per_lead"],
        "expected_accepted": take * r["accepted_per_lead"],
        "expected_won": take * r["won_rate"],
        "expected_revenue": take * r["revenue_per_lead"],
        "at_cap": take >= cap,
    }
