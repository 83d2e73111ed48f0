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
# The clauses of `why_disputed`, named once: the review patterns (`leadsift.pipeline.review.patterns`) read them back.
MODEL_HIGH = "the model rates it high"
MODEL_LOW = "the model rates it low"
ICP_FIT = "it fits the ideal customer profile"
ICP_NONE = "it meets none of the ideal customer profile criteria"
Clause = tuple[np.ndarray, np.ndarray | str]  # (which leads, what to say about each of them)


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
    p, tier, reasons = _score_columns(scores, leads.index)
    clauses = _joined(
        len(leads),
        [
            *_model_clauses(p, tier, passed_over, accepted, high_share, low_share),
            *_icp_clauses(criteria, passed_over, accepted),
        ],
    )
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
    return _review_order(out, leads["created_at"].to_numpy()[pick])


def _score_columns(scores: pd.DataFrame | None, index: pd.Index) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """p_accept (NaN where unscored), tier and reasons ("" where absent) aligned on `index`."""
    if scores is None:
        return np.full(len(index), np.nan), _no_text(len(index)), _no_text(len(index))
    p = pd.to_numeric(scores["p_accept"], errors="coerce").reindex(index).to_numpy(dtype="float64")
    return p, _text_column(scores, "tier", index), _text_column(scores, "reasons", index)


def _text_column(scores: pd.DataFrame, column: str, index: pd.Index) -> np.ndarray:
    if column not in scores.columns:
        return _no_text(len(index))
    return scores[column].reindex(index).fillna("").astype("str").to_numpy(dtype=object)


def _no_text(n: int) -> np.ndarray:
    return np.full(n, "", dtype=object)


def _model_clauses(
    p: np.ndarray, tier: np.ndarray, passed_over: np.ndarray, accepted: np.ndarray, high_share: float, low_share: float
) -> list[Clause]:
    """Passed-over leads the model rates high (top share or tier A), accepted ones it rates low (bottom share)."""
    scored = ~np.isnan(p)
    if not scored.any():
        return []
    hi_cut = float(np.quantile(p[scored], 1.0 - high_share))
    lo_cut = float(np.quantile(p[scored], low_share))
    p_text = np.char.mod("%.2f", np.nan_to_num(p)).astype(object)
    high = scored & ((p >= hi_cut) | (tier == "A"))
    low = scored & (p <= lo_cut)
    return [
        (passed_over & high, f"{MODEL_HIGH} (p_accept " + p_text + f", top {high_share:.0%} or tier A)"),
        (accepted & low, f"{MODEL_LOW} (p_accept " + p_text + f", bottom {low_share:.0%})"),
    ]


def _icp_clauses(criteria: pd.DataFrame, passed_over: np.ndarray, accepted: np.ndarray) -> list[Clause]:
    """Passed-over leads that fully fit the ideal customer profile, accepted ones that meet none of it."""
    fits = f"{ICP_FIT} (" + criteria["icp_text"].to_numpy(dtype=object) + ")"
    return [
        (passed_over & criteria["icp_full"].to_numpy(), fits),
        (accepted & criteria["icp_none"].to_numpy(), ICP_NONE),
    ]


def _joined(n: int, clauses: list[Clause]) -> np.ndarray:
    """Per lead, the texts of the clauses that hold for it, in order, joined by " and " ("" for none)."""
    out = _no_text(n)  # "the model rates it high (...) and it fits the ICP (...)"
    for mask, text in clauses:
        out = np.where(mask & (out != ""), out + " and " + text, np.where(mask, text, out))
    return out


def _review_order(out: pd.DataFrame, created: np.ndarray) -> pd.DataFrame:
    """Passed-over leads first (highest p_accept first), then accepted ones (lowest first); newest first on ties."""
    out = out.assign(
        _kind=np.where(out["sales_status"] == "accepted", 1, 0),
        _key=np.where(out["sales_status"] == "accepted", out["p_accept"].fillna(1.0), -out["p_accept"].fillna(0.0)),
        _newest=-pd.Series(created).astype("int64").to_numpy() if len(out) else 0,
    ).sort_values(["_kind", "_key", "_newest", "lead_id"], kind="stable")
    out = out.drop(columns=["_kind", "_key", "_newest"]).reset_index(drop=True)
    for column in ("lead_id", "source", "sales_status", "tier", "icp_criteria_met", "reasons", "why_disputed"):
        out[column] = out[column].astype("str")
    return out.loc[:, list(DISPUTED_COLUMNS)]
