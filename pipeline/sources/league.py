"""The league table: per source and per source type, volumes, rates with Wilson intervals, money, flags.

Definitions (also printed in the report's notes):

- acceptance rate = accepted / worked; won rate = won / leads; revenue = sum of won_amount;
- spend = the spend table's `spend` for a source where it has one, else the sum of per-lead `cost`;
  for per-source_type figures a spend-table amount is spread evenly over the source's leads;
- return on spend = revenue / spend;
- a row is `below_average` when the upper end of its 95% Wilson interval lies under
  `sources.flag_share` x the overall acceptance rate, and `too_few_outcomes` (and then never
  flagged) when fewer than `sources.min_outcomes` of its leads were worked.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadsift.models.intervals import wilson_interval
from leadsift.params import Params, SourcesParams
from leadsift.pipeline.ingest import History
from leadsift.pipeline.sources.outcomes import LEVELS, history_weeks, lead_outcomes
from leadsift.pipeline.sources.rates import ratio

# fmt: off
TABLE_COLUMNS = (
    "level", "name", "source", "source_type", "leads", "worked", "accepted", "rejected", "unworked",
    "no_outcome", "won", "revenue", "accept_rate", "accept_low", "accept_high", "won_rate", "won_low",
    "won_high", "accepted_per_lead", "spend", "spend_from", "cost_per_lead", "cost_per_accepted",
    "cost_per_won", "revenue_per_lead", "return_on_spend", "share_of_leads", "share_of_spend",
    "share_of_accepted", "leads_per_week", "average_accept_rate", "flag_threshold", "below_average",
    "too_few_outcomes", "flag",
)
# fmt: on
FLAG_BELOW = "below average"
FLAG_TOO_FEW = "too few outcomes to judge"


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
        accept_rate=ratio(table["accepted"], table["worked"]),
        accept_low=low,
        accept_high=high,
        won_rate=ratio(table["won"], table["leads"]),
        won_low=won_low,
        won_high=won_high,
        accepted_per_lead=ratio(table["accepted"], table["leads"]),
        cost_per_lead=ratio(table["spend"], table["leads"]),
        cost_per_accepted=ratio(table["spend"], table["accepted"]),
        cost_per_won=ratio(table["spend"], table["won"]),
        revenue_per_lead=ratio(table["revenue"], table["leads"]),
        return_on_spend=ratio(table["revenue"], table["spend"]),
        share_of_leads=table["leads"] / total_leads if total_leads else np.nan,
        share_of_spend=ratio(table["spend"], pd.Series(total_spend, index=table.index)),
        share_of_accepted=ratio(table["accepted"], pd.Series(float(total_accepted), index=table.index)),
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
