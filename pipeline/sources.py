"""Source quality: what each source yields and costs, what to plan, and which leads are disputed.

Pure computations on a loaded `History` (and optional spend table, scores and scored
lists); `pipeline.report` renders the result and `pipeline.sources_cli` runs it.

Definitions used throughout (and printed in the report's notes):

- worked = sales_status accepted or rejected; acceptance rate = accepted / worked;
- won = closed_won true (or a won_at date); won rate = won / leads; revenue = sum of won_amount;
- spend = the spend table's `spend` for a source where it has one, else the sum of per-lead `cost`;
  for per-quarter and per-source_type figures a spend-table amount is spread evenly over the
  source's leads;
- return on spend = revenue / spend;
- a row is `below_average` when the upper end of its 95% Wilson interval lies under
  `sources.flag_share` x the overall acceptance rate, and `too_few_outcomes` (and then never
  flagged) when fewer than `sources.min_outcomes` of its leads were worked.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from leadsift.errors import ContractError
from leadsift.features.build import icp_fit
from leadsift.features.contract import parse_number
from leadsift.models.intervals import expected_rate_interval, wilson_interval
from leadsift.params import IcpParams, Params, SourcesParams
from leadsift.pipeline.files import read_table
from leadsift.pipeline.ingest import History

NO_SOURCE = "(no source)"
NO_TYPE = "(no type)"
LEVELS = ("source", "source_type")
GoalKind = Literal["accepted", "revenue"]
Scorer = Callable[[pd.DataFrame], pd.DataFrame]

# fmt: off
TABLE_COLUMNS = (
    "level", "name", "source", "source_type", "leads", "worked", "accepted", "rejected", "unworked",
    "no_outcome", "won", "revenue", "accept_rate", "accept_low", "accept_high", "won_rate", "won_low",
    "won_high", "accepted_per_lead", "spend", "spend_from", "cost_per_lead", "cost_per_accepted",
    "cost_per_won", "revenue_per_lead", "return_on_spend", "share_of_leads", "share_of_spend",
    "share_of_accepted", "leads_per_week", "average_accept_rate", "flag_threshold", "below_average",
    "too_few_outcomes", "flag",
)
DISPUTED_COLUMNS = (
    "lead_id", "source", "sales_status", "p_accept", "tier", "icp_criteria_met", "reasons", "why_disputed",
)
SCORED_COLUMNS = (
    "list", "source", "rows", "expected_accept_rate", "expected_accept_low", "expected_accept_high",
    "historical_accept_rate", "source_history_rate", "historical_basis", "verdict", "expected_accepted",
    "tier_A", "tier_B", "tier_C", "tier_D", "score_errors", "spend", "cost_per_expected_accepted",
    "from_sibling",
)
# fmt: on
SIBLING_REQUIRED = ("source", "rows", "expected_accept_rate", "historical_accept_rate", "verdict")
FLAG_BELOW = "below average"
FLAG_TOO_FEW = "too few outcomes to judge"


# ----------------------------------------------------------------------------- rates


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    """num / den, NaN where den is 0 or missing (never inf)."""
    num = num.astype("float64")
    den = den.astype("float64")
    return (num / den.where(den > 0)).astype("float64")


# ----------------------------------------------------------------------------- inputs


def read_spend(path: Path | str) -> pd.DataFrame:
    """A spend table (`source`, `spend`; one row per source) as source -> float spend."""
    frame = read_table(path)
    missing = [c for c in ("source", "spend") if c not in frame.columns]
    if missing:
        raise ContractError(
            f"spend file {path} is missing column(s) {missing}; it needs one row per source with "
            f"columns source, spend (total spend of that source). Columns found: {list(frame.columns)}"
        )
    return spend_table(frame, str(path))


def spend_table(frame: pd.DataFrame, name: str = "spend table") -> pd.DataFrame:
    """Check and normalise an in-memory spend table: stripped source names, numeric spend >= 0."""
    for column in ("source", "spend"):
        if column not in frame.columns:
            raise ContractError(f"{name} has no '{column}' column; it needs columns source, spend")
    source = frame["source"].astype("str").str.strip()
    if bool((frame["source"].isna() | (source == "")).any()):
        raise ContractError(f"{name} has a row without a source name; every row needs one")
    values, bad = parse_number(frame["spend"])
    if bool(bad.any()) or bool(values.isna().any()):
        first = frame.loc[bad | values.isna(), "spend"].iloc[0]
        raise ContractError(f"{name}: spend {first!r} is not a number; write plain numbers like 1250.50")
    if bool((values < 0).any()):
        first = frame.loc[values < 0, "source"].iloc[0]
        raise ContractError(f"{name}: spend for {first!r} is negative; spend must be 0 or more")
    dup = source.duplicated(keep=False)
    if bool(dup.any()):
        raise ContractError(f"{name}: source {source[dup].iloc[0]!r} appears more than once; keep one row per source")
    return pd.DataFrame({"source": source.to_numpy(), "spend": values.to_numpy()})


def lead_outcomes(history: History, spend: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per lead: source, source_type, created_at and 0/1 outcome flags, revenue and spend."""
    typed = history.parsed.typed
    if "sales_status" not in typed.columns:
        raise ContractError(
            "the source report needs the outcome column sales_status (accepted/rejected/unworked) "
            "to measure acceptance; add it, pass --outcomes, or map yours in params.yaml data.columns"
        )
    idx = typed.index
    source = typed["source"].fillna(NO_SOURCE).astype("str")
    if "source_type" in typed.columns:
        source_type = typed["source_type"].str.lower().fillna(NO_TYPE).astype("str")
    else:
        source_type = pd.Series(NO_TYPE, index=idx, dtype="str")
    status = typed["sales_status"]
    amount = typed["won_amount"] if "won_amount" in typed.columns else pd.Series(np.nan, index=idx)
    won = pd.Series(False, index=idx)
    if "closed_won" in typed.columns:
        won |= (typed["closed_won"] == 1.0).fillna(False)
    if "won_at" in typed.columns:
        won |= typed["won_at"].notna()
    if "closed_won" not in typed.columns and "won_at" not in typed.columns:
        won = amount.gt(0)  # only amounts recorded: a deal with revenue was won
    cost = typed["cost"] if "cost" in typed.columns else pd.Series(np.nan, index=idx, dtype="float64")
    lead_spend = cost.astype("float64").copy()
    from_table = pd.Series(False, index=idx)
    if spend is not None and len(spend):
        per_source = spend.set_index("source")["spend"]
        counts = source.value_counts()
        covered = source.isin(per_source.index)
        share = source[covered].map(per_source) / source[covered].map(counts)
        lead_spend = lead_spend.where(~covered, share)
        from_table = covered
    created = typed["created_at"] if "created_at" in typed.columns else pd.Series(pd.NaT, index=idx)
    return pd.DataFrame(
        {
            "lead_id": typed["lead_id"] if "lead_id" in typed.columns else pd.Series(pd.NA, index=idx),
            "source": source,
            "source_type": source_type,
            "created_at": created,
            "sales_status": status,
            "worked": status.isin(("accepted", "rejected")).astype("int64"),
            "accepted": (status == "accepted").fillna(False).astype("int64"),
            "rejected": (status == "rejected").fillna(False).astype("int64"),
            "unworked": (status == "unworked").fillna(False).astype("int64"),
            "no_outcome": status.isna().astype("int64"),
            "won": won.astype("int64"),
            "revenue": amount.where(won, np.nan).astype("float64"),
            "spend": lead_spend,
            "spend_from_table": from_table,
            "has_cost": cost.notna(),
        },
        index=idx,
    )


def history_weeks(leads: pd.DataFrame) -> float:
    """Weeks between the first and the last lead (at least one); NaN without dates."""
    created = leads["created_at"].dropna()
    if created.empty:
        return float("nan")
    days = (created.max() - created.min()).total_seconds() / 86400.0
    return max(days / 7.0, 1.0)


# ----------------------------------------------------------------------------- league table


def _aggregate(leads: pd.DataFrame, key: str) -> pd.DataFrame:
    grouped = leads.groupby(key, sort=True, dropna=False)
    out = grouped[["worked", "accepted", "rejected", "unworked", "no_outcome", "won"]].sum()
    out.insert(0, "leads", grouped.size())
    out["revenue"] = grouped["revenue"].sum(min_count=0).fillna(0.0)
    out["spend"] = grouped["spend"].sum(min_count=1)
    from_table = grouped["spend_from_table"].any()
    has_cost = grouped["has_cost"].any()
    out["spend_from"] = np.where(from_table, "spend table", np.where(has_cost, "cost", "none"))
    return out


def league_table(history: History, params: Params, spend: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per source and per source_type (`level` column): volumes, rates with Wilson intervals, money, flags."""
    return league_from_leads(lead_outcomes(history, spend), params.sources)


def league_from_leads(leads: pd.DataFrame, sp: SourcesParams) -> pd.DataFrame:
    """The league table from `lead_outcomes` rows (see `league_table`)."""
    weeks = history_weeks(leads)
    total_worked = int(leads["worked"].sum())
    average = leads["accepted"].sum() / total_worked if total_worked else float("nan")
    threshold = sp.flag_share * average
    total_leads = len(leads)
    total_spend = leads["spend"].sum(min_count=1)
    total_accepted = int(leads["accepted"].sum())
    main_type = leads.groupby("source", sort=True)["source_type"].agg(lambda s: s.value_counts().index[0])
    parts = []
    for level in LEVELS:
        agg = _aggregate(leads, level).reset_index().rename(columns={level: "name"})
        agg.insert(0, "level", level)
        if level == "source":
            agg.insert(2, "source", agg["name"])
            agg.insert(3, "source_type", agg["name"].map(main_type).astype("str"))
        else:
            agg.insert(2, "source", "")
            agg.insert(3, "source_type", agg["name"])
        parts.append(agg)
    table = pd.concat(parts, ignore_index=True)
    low, high = wilson_interval(table["accepted"].to_numpy(), table["worked"].to_numpy())
    won_low, won_high = wilson_interval(table["won"].to_numpy(), table["leads"].to_numpy())
    too_few = table["worked"] < sp.min_outcomes
    below = (high < threshold) & ~too_few.to_numpy()
    table = table.assign(
        accept_rate=_ratio(table["accepted"], table["worked"]),
        accept_low=low,
        accept_high=high,
        won_rate=_ratio(table["won"], table["leads"]),
        won_low=won_low,
        won_high=won_high,
        accepted_per_lead=_ratio(table["accepted"], table["leads"]),
        cost_per_lead=_ratio(table["spend"], table["leads"]),
        cost_per_accepted=_ratio(table["spend"], table["accepted"]),
        cost_per_won=_ratio(table["spend"], table["won"]),
        revenue_per_lead=_ratio(table["revenue"], table["leads"]),
        return_on_spend=_ratio(table["revenue"], table["spend"]),
        share_of_leads=table["leads"] / total_leads if total_leads else np.nan,
        share_of_spend=_ratio(table["spend"], pd.Series(total_spend, index=table.index)),
        share_of_accepted=_ratio(table["accepted"], pd.Series(float(total_accepted), index=table.index)),
        leads_per_week=table["leads"] / weeks,
        average_accept_rate=average,
        flag_threshold=threshold,
        below_average=pd.Series(below, index=table.index).astype(bool),
        too_few_outcomes=too_few.astype(bool),
    )
    table["flag"] = np.where(table["below_average"], FLAG_BELOW, np.where(table["too_few_outcomes"], FLAG_TOO_FEW, ""))
    order = table.assign(
        _level=table["level"].map({lv: i for i, lv in enumerate(LEVELS)}),
        _rate=table["accept_rate"].fillna(-1.0),
    ).sort_values(["_level", "_rate", "leads", "name"], ascending=[True, False, False, True], kind="stable")
    return order.loc[:, list(TABLE_COLUMNS)].reset_index(drop=True)


def totals(table: pd.DataFrame) -> dict[str, float]:
    """Overall figures, the sum of the table's source rows."""
    rows = table[table["level"] == "source"]
    spend = rows["spend"].sum(min_count=1)
    out = {k: float(rows[k].sum()) for k in ("leads", "worked", "accepted", "won", "revenue", "no_outcome", "unworked")}
    out["spend"] = float(spend) if pd.notna(spend) else float("nan")
    out["sources"] = float(len(rows))
    out["accept_rate"] = out["accepted"] / out["worked"] if out["worked"] else float("nan")
    out["won_rate"] = out["won"] / out["leads"] if out["leads"] else float("nan")
    out["cost_per_accepted"] = out["spend"] / out["accepted"] if out["accepted"] else float("nan")
    out["return_on_spend"] = out["revenue"] / out["spend"] if out["spend"] and out["spend"] > 0 else float("nan")
    return out


def quarterly_trend(history: History, spend: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per quarter of created_at: leads, worked, accepted, rate, won, revenue, spend by source, type and overall."""
    return trend_from_leads(lead_outcomes(history, spend))


def trend_from_leads(leads: pd.DataFrame) -> pd.DataFrame:
    """The quarterly trend from `lead_outcomes` rows; `level` is "all", "source" or "source_type"."""
    dated = leads[leads["created_at"].notna()]
    columns = ["level", "name", "quarter", "leads", "worked", "accepted", "accept_rate", "won", "revenue", "spend"]
    if dated.empty:
        return pd.DataFrame(columns=columns)
    quarter = dated["created_at"].dt.to_period("Q").astype("str")
    dated = dated.assign(quarter=quarter, all="All sources")
    parts = []
    for level, key in (("all", "all"), *((lv, lv) for lv in LEVELS)):
        grouped = dated.groupby([key, "quarter"], sort=True)
        agg = grouped[["worked", "accepted", "won"]].sum()
        agg.insert(0, "leads", grouped.size())
        agg["revenue"] = grouped["revenue"].sum().fillna(0.0)
        agg["spend"] = grouped["spend"].sum(min_count=1)
        agg = agg.reset_index().rename(columns={key: "name"})
        agg.insert(0, "level", level)
        parts.append(agg)
    trend = pd.concat(parts, ignore_index=True)
    trend["accept_rate"] = _ratio(trend["accepted"], trend["worked"])
    return trend.loc[:, columns]


# ----------------------------------------------------------------------------- planning


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
    if goal_kind not in ("accepted", "revenue"):
        raise ContractError(f"goal must be 'accepted' or 'revenue', got {goal_kind!r}")
    if not (isinstance(goal_value, (int, float)) and math.isfinite(goal_value) and goal_value > 0):
        raise ContractError(f"the goal must be a positive number, got {goal_value!r}")
    if not period_weeks > 0:
        raise ContractError(f"the planning period must be a positive number of weeks, got {period_weeks!r}")
    rows = table[table["level"] == "source"]
    yield_col = "accepted_per_lead" if goal_kind == "accepted" else "revenue_per_lead"
    skipped: list[tuple[str, str]] = []
    keep = []
    for _, r in rows.iterrows():
        why = ""
        if r["too_few_outcomes"]:
            why = FLAG_TOO_FEW
        elif r["below_average"] and not include_flagged:
            why = "flagged below average"
        elif pd.isna(r["cost_per_lead"]):
            why = "no spend known"
        elif pd.isna(r["leads_per_week"]):
            why = "no dates, so no volume per period"
        elif not (r[yield_col] > 0):
            why = "no accepted leads" if goal_kind == "accepted" else "no revenue"
        if why:
            skipped.append((str(r["name"]), why))
        else:
            keep.append(r)
    cand = pd.DataFrame(keep, columns=rows.columns)
    if cand.empty:
        empty = pd.DataFrame(columns=list(PLAN_COLUMNS))
        return Plan(
            goal_kind,
            float(goal_value),
            float(period_weeks),
            empty,
            False,
            0.0,
            0.0,
            0,
            0.0,
            tuple(skipped),
            include_flagged,
        )
    cand = cand.assign(
        unit_cost=cand["cost_per_lead"] / cand[yield_col],
        cap_leads=np.floor(cand["leads_per_week"] * period_weeks + 1e-9),
    ).sort_values(["unit_cost", yield_col, "name"], ascending=[True, False, True], kind="stable")
    need = float(goal_value)
    out = []
    for _, r in cand.iterrows():
        if need <= 1e-9:
            break
        cap = int(r["cap_leads"])
        if cap <= 0:
            skipped.append((str(r["name"]), "under one lead per period"))
            continue
        take = min(cap, int(math.ceil(need / r[yield_col] - 1e-9)))
        need -= take * r[yield_col]
        out.append(
            {
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
        )
    plan_rows = pd.DataFrame(out, columns=list(PLAN_COLUMNS))
    metric = "expected_accepted" if goal_kind == "accepted" else "expected_revenue"
    expected = float(plan_rows[metric].sum())
    most = float((cand["cap_leads"] * cand[yield_col]).sum())
    return Plan(
        goal_kind=goal_kind,
        goal_value=float(goal_value),
        period_weeks=float(period_weeks),
        rows=plan_rows,
        reachable=expected >= goal_value - 1e-6,
        expected=expected,
        spend=float(plan_rows["spend"].sum()),
        leads=int(plan_rows["leads"].sum()),
        most_reachable=most,
        skipped=tuple(skipped),
        include_flagged=include_flagged,
    )


# ----------------------------------------------------------------------------- capacity


@dataclass(frozen=True)
class CapacityView:
    """Hand sales the best leads up to their capacity: threshold, share passed, expected accepted."""

    basis: str  # "model" or "icp"
    weeks: float
    capacity_per_week: float
    arrivals_per_week: float
    handed_per_week: float
    share_passed: float
    threshold_p: float  # p_accept of the last lead handed over
    threshold_score: float  # its score (model) or ICP criteria met (icp)
    expected_accepted_per_week: float
    arrival_order_accepted_per_week: float  # the same number of leads, in arrival order
    all_leads_accepted_per_week: float  # if sales could work every lead
    curve: pd.DataFrame = field(repr=False)  # handed_per_week, by_score, arrival_order


def capacity_view(scores: pd.DataFrame, capacity_per_week: float, weeks: float, basis: str = "model") -> CapacityView:
    """Top leads by `score` (ties by `p_accept`) up to `capacity_per_week` x `weeks`, against arrival order.

    `scores` holds the leads of one period of `weeks` weeks, with `p_accept` (expected acceptance
    per lead) and `score` (what the threshold is stated in). Expected accepted leads are the sum of
    p_accept of the leads handed over; in arrival order sales would work as many leads at the
    average p_accept. Leads without a p_accept are never handed over but count as arrivals.
    """
    if not (capacity_per_week and capacity_per_week > 0):
        raise ContractError(f"capacity per week must be a positive number, got {capacity_per_week!r}")
    if not (weeks and weeks > 0):
        raise ContractError(f"the capacity period must be a positive number of weeks, got {weeks!r}")
    if "p_accept" not in scores.columns:
        raise ContractError("capacity_view needs a p_accept column")
    p_all = pd.to_numeric(scores["p_accept"], errors="coerce").astype("float64")
    if bool(((p_all < 0) | (p_all > 1)).any()):
        raise ContractError("p_accept must lie between 0 and 1")
    score_all = pd.to_numeric(scores["score"], errors="coerce") if "score" in scores.columns else p_all
    known = p_all.notna().to_numpy()
    p = p_all.to_numpy()[known]
    s = score_all.astype("float64").to_numpy()[known]
    arrivals = len(scores)
    order = np.lexsort((-p, -s))  # by score, ties by p_accept
    p_sorted, s_sorted = p[order], s[order]
    handed = int(min(len(p), math.floor(capacity_per_week * weeks + 1e-9)))
    mean_p = float(p.mean()) if len(p) else float("nan")
    cum = np.concatenate([[0.0], np.cumsum(p_sorted)])
    steps = np.unique(np.linspace(0, len(p), num=min(len(p), 60) + 1).round().astype(int))
    curve = pd.DataFrame(
        {
            "handed_per_week": steps / weeks,
            "by_score": cum[steps] / weeks,
            "arrival_order": steps * mean_p / weeks,
        }
    )
    return CapacityView(
        basis=basis,
        weeks=float(weeks),
        capacity_per_week=float(capacity_per_week),
        arrivals_per_week=arrivals / weeks,
        handed_per_week=handed / weeks,
        share_passed=handed / arrivals if arrivals else float("nan"),
        threshold_p=float(p_sorted[handed - 1]) if handed else float("nan"),
        threshold_score=float(s_sorted[handed - 1]) if handed else float("nan"),
        expected_accepted_per_week=float(cum[handed]) / weeks,
        arrival_order_accepted_per_week=handed * mean_p / weeks,
        all_leads_accepted_per_week=float(cum[-1]) / weeks,
        curve=curve,
    )


def recent_window(leads: pd.DataFrame, weeks: float) -> pd.Series:
    """Mask of leads created in the last `weeks` weeks of the history."""
    created = leads["created_at"]
    if created.notna().sum() == 0:
        return pd.Series(False, index=leads.index)
    return (created > created.max() - pd.Timedelta(days=7.0 * weeks)).fillna(False)


# ----------------------------------------------------------------------------- ICP and disputes


def icp_criteria(typed: pd.DataFrame, icp: IcpParams) -> pd.DataFrame:
    """ICP fit per lead plus `icp_configured` (criteria in params), `icp_full`, `icp_none` and a text list."""
    fit = icp_fit(typed, icp)
    named = {"icp_size_fit": "size", "icp_industry_fit": "industry", "icp_country_fit": "country"}
    configured = ["icp_size_fit"]
    if icp.industries:
        configured.append("icp_industry_fit")
    if icp.countries:
        configured.append("icp_country_fit")
    met_text = pd.Series("", index=typed.index, dtype="str")
    for column in configured:
        hit = (fit[column] == 1.0).to_numpy()
        met_text = pd.Series(
            np.where(hit, np.where(met_text == "", named[column], met_text + ", " + named[column]), met_text),
            index=typed.index,
            dtype="str",
        )
    sub = fit[configured]
    return fit.assign(
        icp_configured=len(configured),
        icp_met=(sub == 1.0).sum(axis=1).astype("int64"),
        icp_full=(sub == 1.0).all(axis=1),
        icp_none=((sub == 0.0).all(axis=1)),
        icp_text=met_text,
    )


def icp_scores(typed: pd.DataFrame, leads: pd.DataFrame, icp: IcpParams) -> pd.DataFrame:
    """Without a model: each lead's expected acceptance is the history's rate for its number of ICP criteria met."""
    crit = icp_criteria(typed, icp)
    met = crit["icp_met"]
    worked = leads["worked"].astype(bool)
    rates = leads.loc[worked, "accepted"].groupby(met[worked]).mean()
    overall = leads.loc[worked, "accepted"].mean() if bool(worked.any()) else np.nan
    p = met.map(rates).astype("float64").fillna(overall)
    return pd.DataFrame({"p_accept": p, "score": met.astype("float64"), "tier": "", "reasons": ""}, index=typed.index)


def disputed_leads(
    leads: pd.DataFrame,
    criteria: pd.DataFrame,
    scores: pd.DataFrame | None = None,
    high_share: float = 0.10,
    low_share: float = 0.25,
) -> pd.DataFrame:
    """Leads sales and the ratings disagree on, with the reason (DISPUTED_COLUMNS; no contact data).

    Rejected or never-worked leads that the model rated high (top `high_share` of p_accept, or tier
    A) or that fully fit the ICP; accepted leads the model rated low (bottom `low_share`) or that
    meet none of the ICP criteria. `leads` are `lead_outcomes` rows, `criteria` the matching
    `icp_criteria`, `scores` (p_accept, tier, reasons, same index) may be None: ICP only.
    """
    if not 0 < high_share < 1 or not 0 < low_share < 1:
        raise ContractError(f"high_share and low_share must lie between 0 and 1, got {high_share}, {low_share}")
    status = leads["sales_status"]
    passed_over = status.isin(("rejected", "unworked")).to_numpy()
    accepted = (status == "accepted").fillna(False).to_numpy()
    n = len(leads)
    clauses = np.full(n, "", dtype=object)  # "the model rates it high (...) and it fits the ICP (...)"

    def add(mask: np.ndarray, text: np.ndarray | str) -> None:
        nonlocal clauses
        clauses = np.where(mask & (clauses != ""), clauses + " and " + text, np.where(mask, text, clauses))

    p = np.full(n, np.nan)
    tier = np.full(n, "", dtype=object)
    reasons = np.full(n, "", dtype=object)
    if scores is not None:
        p = pd.to_numeric(scores["p_accept"], errors="coerce").reindex(leads.index).to_numpy(dtype="float64")
        if "tier" in scores.columns:
            tier = scores["tier"].reindex(leads.index).fillna("").astype("str").to_numpy(dtype=object)
        if "reasons" in scores.columns:
            reasons = scores["reasons"].reindex(leads.index).fillna("").astype("str").to_numpy(dtype=object)
        scored = ~np.isnan(p)
        if scored.any():
            hi_cut = float(np.quantile(p[scored], 1.0 - high_share))
            lo_cut = float(np.quantile(p[scored], low_share))
            p_text = np.char.mod("%.2f", np.nan_to_num(p)).astype(object)
            high = scored & ((p >= hi_cut) | (tier == "A"))
            add(
                passed_over & high, "the model rates it high (p_accept " + p_text + f", top {high_share:.0%} or tier A)"
            )
            low = scored & (p <= lo_cut)
            add(accepted & low, "the model rates it low (p_accept " + p_text + f", bottom {low_share:.0%})")
    full = criteria["icp_full"].to_numpy()
    none = criteria["icp_none"].to_numpy()
    add(passed_over & full, "it fits the ideal customer profile (" + criteria["icp_text"].to_numpy(dtype=object) + ")")
    add(accepted & none, "it meets none of the ideal customer profile criteria")
    verb = np.where(status.to_numpy() == "unworked", "never worked", np.where(accepted, "accepted", "rejected"))
    why = np.where(clauses != "", verb.astype(object) + " although " + clauses, "")
    pick = why != ""
    out = pd.DataFrame(
        {
            "lead_id": leads["lead_id"].to_numpy()[pick],
            "source": leads["source"].to_numpy()[pick],
            "sales_status": status.to_numpy()[pick],
            "p_accept": p[pick],
            "tier": tier[pick],
            "icp_criteria_met": criteria["icp_text"].to_numpy(dtype=object)[pick],
            "reasons": reasons[pick],
            "why_disputed": why[pick],
        }
    )
    created = leads["created_at"].to_numpy()[pick]
    out = out.assign(
        _kind=np.where(out["sales_status"] == "accepted", 1, 0),
        _key=np.where(out["sales_status"] == "accepted", out["p_accept"].fillna(1.0), -out["p_accept"].fillna(0.0)),
        _newest=-pd.Series(created).astype("int64").to_numpy() if len(out) else 0,
    ).sort_values(["_kind", "_key", "_newest", "lead_id"], kind="stable")
    out = out.drop(columns=["_kind", "_key", "_newest"]).reset_index(drop=True)
    for column in ("lead_id", "source", "sales_status", "tier", "icp_criteria_met", "reasons", "why_disputed"):
        out[column] = out[column].astype("str")
    return out.loc[:, list(DISPUTED_COLUMNS)]


# ----------------------------------------------------------------------------- scored lists


def sibling_paths(path: Path | str) -> tuple[Path, ...]:
    """Where `leadsift score` puts its per-source summary beside a scored list, most likely first.

    `leadsift score -o x.scored.csv` writes `x.sources.csv` (the name without any extension); the
    name without only the last extension (`x.scored.sources.csv`) is accepted too.
    """
    path = Path(path)
    name = path.name
    every = name[: -len("".join(path.suffixes))] if path.suffixes else name
    last = name.rsplit(".", 1)[0] if "." in name else name
    return tuple(dict.fromkeys(path.with_name(f"{stem}.sources.csv") for stem in (every, last)))


def _read_scored(path: Path) -> pd.DataFrame:
    """One scored list, per source: rows, mean p_accept and its 95% interval, tiers, problems, cost."""
    frame = read_table(path)
    missing = [c for c in ("source", "p_accept") if c not in frame.columns]
    if missing:
        raise ContractError(
            f"scored list {path} has no {', '.join(missing)} column: pass the output of `leadsift score`"
        )
    p, bad = parse_number(frame["p_accept"])
    if bool(bad.any()) or bool(((p < 0) | (p > 1)).any()):
        raise ContractError(f"scored list {path}: p_accept holds values that are not probabilities (0 to 1)")
    source = frame["source"].astype("str").str.strip().where(frame["source"].notna(), NO_SOURCE)
    tier = frame["tier"].astype("str").str.strip() if "tier" in frame.columns else pd.Series("", index=frame.index)
    err = frame["score_error"] if "score_error" in frame.columns else pd.Series(pd.NA, index=frame.index)
    cost = parse_number(frame["cost"])[0] if "cost" in frame.columns else pd.Series(np.nan, index=frame.index)
    kind = (
        frame["source_type"].astype("str").str.strip().str.lower().where(frame["source_type"].notna())
        if "source_type" in frame.columns
        else pd.Series(np.nan, index=frame.index)
    )
    work = pd.DataFrame(
        {
            "source": source,
            "p": p,
            "var": p * (1 - p),
            "scored": p.notna().astype("int64"),
            "err": (err.notna() & (err.astype("str").str.strip() != "")).astype("int64"),
            "cost": cost,
            "kind": kind,
            **{f"tier_{t}": (tier == t).astype("int64") for t in "ABCD"},
        }
    )
    g = work.groupby("source", sort=True)
    agg = pd.DataFrame(
        {
            "rows": g.size(),
            "expected_accept_rate": g["p"].mean(),
            "_var": g["var"].sum(),
            "_scored": g["scored"].sum(),
            **{f"tier_{t}": g[f"tier_{t}"].sum() for t in "ABCD"},
            "score_errors": g["err"].sum(),
            "spend": g["cost"].sum(min_count=1),
            "_kind": g["kind"].agg(lambda t: t.value_counts().index[0] if t.notna().any() else np.nan),
        }
    ).reset_index()
    low, high = expected_rate_interval(agg["expected_accept_rate"].to_numpy(), agg["_var"].to_numpy(), agg["_scored"].to_numpy())
    agg["expected_accept_low"], agg["expected_accept_high"] = low, high
    return agg


def scored_lists(paths: Sequence[Path | str], table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per scored list and source: rows, expected acceptance, the history beside it, verdict, tiers, spend.

    Reads `leadsift score` outputs and, where it exists, the per-source summary written beside each
    (`sibling_paths`): its expected rate (and interval), historical average, source history rate and
    verdict win. Without one the expected rate is the mean p_accept, the historical average and the
    source's own past rate come from `table` (a source new to the history gets its source_type's
    rate, and `historical_basis` says so) and the verdict is "unknown".
    """
    parts = []
    average = float("nan")
    history: dict[str, float] = {}
    type_history: dict[str, float] = {}
    if table is not None and len(table):
        average = float(table["average_accept_rate"].iloc[0])
        src = table[table["level"] == "source"]
        history = dict(zip(src["name"], src["accept_rate"], strict=True))
        types = table[table["level"] == "source_type"]
        type_history = dict(zip(types["name"], types["accept_rate"], strict=True))
    for path in paths:
        path = Path(path)
        agg = _read_scored(path)
        agg["historical_accept_rate"] = average
        own = agg["source"].map(history).astype("float64")
        by_type = agg["_kind"].map(type_history).astype("float64")
        agg["source_history_rate"] = own.fillna(by_type)
        agg["historical_basis"] = np.where(
            own.notna(), "source", np.where(by_type.notna(), "source type " + agg["_kind"].astype("str"), "")
        )
        agg["verdict"] = "unknown"
        agg["from_sibling"] = False
        sib = next((c for c in sibling_paths(path) if c.exists()), None)
        if sib is not None:
            side = read_table(sib)
            missing = [c for c in SIBLING_REQUIRED if c not in side.columns]
            if missing:
                raise ContractError(f"{sib} (the per-source summary beside {path.name}) is missing column(s) {missing}")
            side = (
                side.assign(source=side["source"].astype("str").str.strip())
                .drop_duplicates("source")
                .set_index("source")
            )
            known = agg["source"].isin(side.index)
            for column in (
                "expected_accept_rate",
                "expected_accept_low",
                "expected_accept_high",
                "historical_accept_rate",
                "source_history_rate",
            ):
                if column in side.columns:
                    values = agg["source"].map(parse_number(side[column])[0])
                    use = known & values.notna()
                    agg[column] = agg[column].where(~use, values)
                    if column == "source_history_rate":
                        agg["historical_basis"] = agg["historical_basis"].where(~use, "source")
            verdicts = agg["source"].map(side["verdict"].fillna("unknown").astype("str"))
            agg["verdict"] = agg["verdict"].where(~known, verdicts)
            agg["from_sibling"] = known
        agg.insert(0, "list", path.name)
        agg["expected_accepted"] = agg["rows"] * agg["expected_accept_rate"]
        agg["cost_per_expected_accepted"] = _ratio(agg["spend"], agg["expected_accepted"])
        parts.append(agg.loc[:, list(SCORED_COLUMNS)])
    if not parts:
        return pd.DataFrame(columns=list(SCORED_COLUMNS))
    return pd.concat(parts, ignore_index=True)


# ----------------------------------------------------------------------------- summary


def pct(x: float) -> str:
    """18% / 0.4% / 'n/a'."""
    if x is None or not np.isfinite(x):
        return "n/a"
    value = 100.0 * x
    if value != 0 and abs(value) < 9.95:
        return f"{value:.1f}%"
    return f"{value:.0f}%"


def amount(x: float) -> str:
    """A money or count figure for prose: 1.2 million, 95,000, 65."""
    if x is None or not np.isfinite(x):
        return "n/a"
    if abs(x) >= 1e6:
        return f"{x / 1e6:.1f} million"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:,.2f}".rstrip("0").rstrip(".") if x != int(x) else f"{int(x):,}"


_NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}


def _count_word(n: int) -> str:
    return _NUMBER_WORDS.get(n, str(n))


def _type_label(source_type: str) -> str:
    return source_type.replace("_", "-") if source_type not in (NO_TYPE, "", "nan") else ""


def summary_sentences(
    table: pd.DataFrame,
    plan: Plan | None = None,
    capacity: CapacityView | None = None,
    disputed: pd.DataFrame | None = None,
    scored: pd.DataFrame | None = None,
    target_word: str = "accepted",
) -> list[str]:
    """A few plain-language sentences for the top of the report, most important first."""
    t = totals(table)
    src = table[table["level"] == "source"]
    out: list[str] = []
    flagged = src[src["below_average"]]
    has_spend = np.isfinite(t["spend"]) and t["spend"] > 0
    if len(flagged):
        groups = sorted(flagged.groupby("source_type", sort=False), key=lambda kv: -kv[1]["leads"].sum())
        for source_type, group in groups:
            label = _type_label(str(source_type))
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
            out.append(
                f"The {what} {spend_part} and produced {pct(share_acc)} of accepted leads; "
                f"sales accepted {pct(rate)} of the ones they worked, against {pct(t['accept_rate'])} on average."
            )
        out.append(
            f"Flagged as significantly below the average acceptance rate: {', '.join(map(str, flagged['name']))}."
        )
    else:
        out.append("No source's acceptance rate is significantly below the average.")
    out.append(
        f"Across {int(t['sources'])} sources: {int(t['leads']):,} leads, {int(t['worked']):,} worked by sales, "
        f"{pct(t['accept_rate'])} of those accepted, {int(t['won']):,} won deals worth {amount(t['revenue'])}"
        + (f", for {amount(t['spend'])} of spend." if np.isfinite(t["spend"]) else ".")
    )
    priced = src[src["cost_per_accepted"].notna() & ~src["too_few_outcomes"] & (src["accepted"] > 0)]
    if len(priced) and np.isfinite(t["cost_per_accepted"]):
        paid = priced[priced["spend"] > 0]
        if len(paid):
            best = paid.sort_values("cost_per_accepted", kind="stable").iloc[0]
            out.append(
                f"{best['name']} brought accepted leads at the lowest cost among paid sources, "
                f"{amount(best['cost_per_accepted'])} each, "
                f"against {amount(t['cost_per_accepted'])} across all sources."
            )
    too_few = src[src["too_few_outcomes"]]
    if len(too_few):
        out.append(
            f"{_count_word(len(too_few)).capitalize()} source{'s have' if len(too_few) > 1 else ' has'} too few "
            f"worked leads to judge: {', '.join(map(str, too_few['name']))}."
        )
    if plan is not None:
        goal = (
            f"{plan.goal_value:,.0f} accepted leads"
            if plan.goal_kind == "accepted"
            else f"{amount(plan.goal_value)} of revenue"
        )
        if plan.reachable:
            out.append(
                f"To reach {goal} in {plan.period_weeks:g} weeks, the cheapest mix within past volumes is "
                f"{plan.leads:,} leads from {len(plan.rows)} source{'s' if len(plan.rows) != 1 else ''} "
                f"for {amount(plan.spend)} of spend."
            )
        else:
            most = (
                f"{plan.most_reachable:,.0f} accepted leads"
                if plan.goal_kind == "accepted"
                else f"{amount(plan.most_reachable)} of revenue"
            )
            left_out = sum(1 for _, why in plan.skipped if why in ("flagged below average", FLAG_TOO_FEW))
            out.append(
                f"{goal[0].upper() + goal[1:]} in {plan.period_weeks:g} weeks cannot be reached within past volumes"
                + (
                    f" without the {_count_word(left_out)} flagged or unjudged source{'s' if left_out > 1 else ''}"
                    if left_out
                    else ""
                )
                + f": at most {most}, from {plan.leads:,} leads for {amount(plan.spend)}."
            )
    if capacity is not None and capacity.handed_per_week > 0:
        if capacity.basis == "model":
            cut = f"score {capacity.threshold_score:.0f} or more"
        else:
            cut = f"{capacity.threshold_score:.0f} or more ideal customer profile criteria met"
        out.append(
            f"If sales work {capacity.capacity_per_week:,.0f} leads a week, handing over those with {cut} "
            f"({pct(capacity.share_passed)} of leads) should bring about {capacity.expected_accepted_per_week:,.0f} "
            f"{target_word} leads a week, against {capacity.arrival_order_accepted_per_week:,.0f} when they work "
            f"leads in arrival order."
        )
    if disputed is not None:
        n = len(disputed)
        if n:
            passed = int((disputed["sales_status"] != "accepted").sum())
            out.append(
                f"{n:,} leads are disputed: {passed:,} rejected or never worked although rated high, "
                f"{n - passed:,} accepted although rated low (see the review list)."
            )
    if scored is not None and len(scored):
        for name, group in scored.groupby("list", sort=False):
            rows = int(group["rows"].sum())
            rate = float(group["expected_accepted"].sum() / rows) if rows else float("nan")
            low = " — under half of it" if np.isfinite(rate) and rate < 0.5 * t["accept_rate"] else ""
            out.append(
                f"Scored list {name}: {rows:,} leads, expected acceptance {pct(rate)} "
                f"(history average {pct(t['accept_rate'])}{low})."
            )
    return out


# ----------------------------------------------------------------------------- the whole report


@dataclass(frozen=True)
class SourceReport:
    """Everything the HTML report shows."""

    table: pd.DataFrame
    trend: pd.DataFrame
    plan: Plan | None
    capacity: CapacityView | None
    disputed: pd.DataFrame
    scored: pd.DataFrame
    summary: list[str]
    notes: list[str]
    facts: dict[str, object]


def build_report(
    history: History,
    params: Params,
    spend: pd.DataFrame | None = None,
    scored: pd.DataFrame | None = None,
    scorer: Scorer | None = None,
    scorer_note: str = "",
    goal_kind: GoalKind | None = None,
    goal_value: float | None = None,
    period_weeks: float = 13.0,
    capacity_per_week: float | None = None,
) -> SourceReport:
    """Compute the league table, trend, plan, capacity view, disputed leads, summary and notes.

    `scorer` maps raw history rows to p_accept, score, tier, reasons (the champion model); without
    it the capacity view and the disputed list use the ideal customer profile only. With no goal,
    the plan aims at the history's average accepted leads per period.
    """
    if not period_weeks > 0:
        raise ContractError(f"--period-weeks must be a positive number, got {period_weeks!r}")
    sp = params.sources
    leads = lead_outcomes(history, spend)
    if leads.empty:
        raise ContractError("the history has no leads: the source report needs at least one row")
    table = league_from_leads(leads, sp)
    trend = trend_from_leads(leads)
    t = totals(table)
    weeks = history_weeks(leads)
    notes: list[str] = []
    target_word = "accepted" if params.target == "accepted" else "won"

    if spend is not None:
        used = table[(table["level"] == "source") & (table["spend_from"] == "spend table")]
        unknown = sorted(set(spend["source"]) - set(table.loc[table["level"] == "source", "name"]))
        with_cost = leads.groupby("source")["has_cost"].any()
        both = used[used["name"].map(with_cost).fillna(False).astype(bool)]
        notes.append(
            f"Spend for {len(used)} source(s) comes from the spend table"
            + (
                f"; for {len(both)} of them it replaces the per-lead cost (the spend table wins where both exist)"
                if len(both)
                else ""
            )
            + ". A spend-table amount is spread evenly over the source's leads for quarters and source types."
        )
        if unknown:
            notes.append(f"The spend table names source(s) not in the history, ignored: {', '.join(unknown)}.")
    no_spend = table[(table["level"] == "source") & table["spend"].isna()]
    if len(no_spend):
        notes.append(f"No spend known for: {', '.join(map(str, no_spend['name']))} (no cost and no spend-table row).")

    # plan
    plan = None
    if np.isfinite(weeks):
        if goal_kind is None:
            goal_kind, goal_value = "accepted", max(1.0, round(t["accepted"] / weeks * period_weeks))
            notes.append(
                f"No goal given: the plan asks what it takes to bring the history's average of {goal_value:,.0f} "
                f"accepted leads per {period_weeks:g} weeks from the sources that are not flagged "
                "(set a goal with --goal-accepted or --goal-revenue)."
            )
        plan = plan_for_goal(table, goal_kind, float(goal_value), period_weeks)
    else:
        notes.append(
            "The history has no created_at dates: no trend, no volume per period, so no plan or capacity view."
        )

    # scores of the history: champion model, else the ICP
    typed = history.parsed.typed
    criteria = icp_criteria(typed, params.icp)
    model_scores = None
    if scorer is not None:
        model_scores = scorer(history.raw)
        notes.append(
            f"Scores of history leads come from the champion model{f' ({scorer_note})' if scorer_note else ''}. "
            "It was trained on most of these leads, so the scores are in-sample: the capacity view is "
            "optimistic and fewer accepted leads look 'rated low' than on new leads."
        )
    else:
        notes.append(
            "No champion model" + (f" ({scorer_note})" if scorer_note else "") + ": the capacity view ranks "
            "leads by how many ideal customer profile criteria (params.yaml icp) they meet, each at the "
            "history's acceptance rate for that number, and the disputed list uses the profile only. "
            "Train a model (leadsift train) for sharper figures."
        )

    capacity = None
    if np.isfinite(weeks):
        window = recent_window(leads, period_weeks)
        span = min(float(period_weeks), weeks)
        if capacity_per_week is None:
            decided = t["leads"] - t["no_outcome"]
            worked_share = t["worked"] / decided if decided else 1.0
            capacity_per_week = max(1.0, round(worked_share * int(window.sum()) / span))
            notes.append(
                f"Sales capacity not given: {capacity_per_week:,.0f} leads a week, the share of leads sales "
                f"worked in the history ({pct(worked_share)}) of the recent weekly arrivals "
                "(set it with --capacity-per-week)."
            )
        basis_scores = model_scores if model_scores is not None else icp_scores(typed, leads, params.icp)
        capacity = capacity_view(
            basis_scores.loc[window], capacity_per_week, span, basis="model" if model_scores is not None else "icp"
        )
        notes.append(f"The capacity view uses the leads of the history's last {span:g} weeks as a typical period.")

    disputed = disputed_leads(leads, criteria, model_scores, sp.disputed_high_share, sp.disputed_low_share)
    scored_frame = scored if scored is not None else pd.DataFrame(columns=list(SCORED_COLUMNS))
    summary = summary_sentences(table, plan, capacity, disputed, scored_frame, target_word)
    notes.extend(
        [
            "Worked = sales accepted or rejected the lead. Acceptance rate = accepted / worked. "
            "Won rate = won deals / all leads. Return on spend = revenue / spend.",
            f"A source is flagged below average when the upper end of its 95% Wilson interval lies under "
            f"{sp.flag_share:g} x the overall acceptance rate ({pct(table['flag_threshold'].iloc[0])}); a source "
            f"with fewer than {sp.min_outcomes} worked leads has too few outcomes to judge and is never flagged "
            "(params.yaml sources.flag_share, sources.min_outcomes).",
            "Planning: sources are filled cheapest first (cost per accepted lead, or spend per unit of revenue), "
            f"each up to its average volume per {period_weeks:g} weeks over the whole history; "
            "expected figures are the "
            "league table's per-lead rates times the planned leads. Flagged sources and sources with too few "
            "outcomes are left out.",
            "Leads without an outcome yet (still open) count as leads, not as worked: the latest quarter's "
            "acceptance and won rates can still move.",
        ]
    )
    if not np.isfinite(t["spend"]):
        notes.append("No spend known at all: pass --spend or add a cost column to see costs.")
    created = leads["created_at"].dropna()
    facts: dict[str, object] = {
        "first_lead": None if created.empty else created.min(),
        "last_lead": None if created.empty else created.max(),
        "weeks": weeks,
        "period_weeks": float(period_weeks),
        "basis": "model" if model_scores is not None else "icp",
        "target": params.target,
        "totals": t,
    }
    return SourceReport(
        table=table,
        trend=trend,
        plan=plan,
        capacity=capacity,
        disputed=disputed,
        scored=scored_frame,
        summary=summary,
        notes=notes,
        facts=facts,
    )


def flagged_sources(table: pd.DataFrame) -> list[str]:
    """Names of the sources flagged below average, in table order."""
    rows = table[(table["level"] == "source") & table["below_average"]]
    return [str(x) for x in rows["name"]]
