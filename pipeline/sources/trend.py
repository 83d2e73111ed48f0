"""The quarterly trend: per quarter of created_at, leads, outcomes and spend overall, by source and by type.

Spend-table amounts are spread evenly over a source's leads, so a quarter gets its share.
"""

from __future__ import annotations

import pandas as pd

from leadsift.pipeline.ingest import History
from leadsift.pipeline.sources.outcomes import LEVELS, lead_outcomes
from leadsift.pipeline.sources.rates import ratio


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
    trend["accept_rate"] = ratio(trend["accepted"], trend["worked"])
    return trend.loc[:, columns]
