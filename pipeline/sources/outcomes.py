"""Per-lead outcomes: the 0/1 flags, revenue and spend every source figure is a sum of.

- worked = sales_status accepted or rejected; no_outcome = no sales_status yet;
- won = closed_won true (or a won_at date; with neither column, a won_amount above 0);
  revenue = won_amount of won leads;
- spend = the spend table's `spend` for a source where it has one, spread evenly over the source's
  leads, else the lead's own `cost`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadsift.errors import ContractError
from leadsift.pipeline.ingest import History

NO_SOURCE = "(no source)"
NO_TYPE = "(no type)"
LEVELS = ("source", "source_type")


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
        source_type = as_written(typed["source_type"]).fillna(NO_TYPE).astype("str")
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


def as_written(types: pd.Series) -> pd.Series:
    """Source types grouped whatever their case, each shown as the data writes it most often ("Webinar", "webinar")."""
    text = types.astype("str").str.strip().where(types.notna())
    key = text.str.lower()
    spelled = text.groupby(key).agg(lambda s: s.value_counts().index[0])
    return key.map(spelled)


def history_weeks(leads: pd.DataFrame) -> float:
    """Weeks between the first and the last lead (at least one); NaN without dates."""
    created = leads["created_at"].dropna()
    if created.empty:
        return float("nan")
    days = (created.max() - created.min()).total_seconds() / 86400.0
    return max(days / 7.0, 1.0)
