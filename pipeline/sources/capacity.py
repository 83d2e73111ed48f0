"""The capacity view: hand sales the best leads up to what they can work, against arrival order."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from leadsift.errors import ContractError


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
