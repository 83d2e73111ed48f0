"""Disputed leads: where sales' verdict and the ratings (model or ideal customer profile) disagree."""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadsift.errors import ContractError

# fmt: off
DISPUTED_COLUMNS = (
    "lead_id", "source", "sales_status", "p_accept", "tier", "icp_criteria_met", "reasons", "why_disputed",
)
# fmt: on


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
