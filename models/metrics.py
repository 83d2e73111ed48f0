"""Evaluation metrics, under the names the runs log them with."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm, rankdata
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score

from leadsift.errors import DataError


def expected_calibration_error(y: np.ndarray, p: np.ndarray, bins: int = 10) -> float:
    """Mean |observed - predicted| over equal-frequency bins, weighted by bin size."""
    y = np.asarray(y, dtype="float64")
    p = np.asarray(p, dtype="float64")
    order = np.argsort(p, kind="stable")
    total = 0.0
    for chunk in np.array_split(order, bins):
        if len(chunk):
            total += len(chunk) * abs(y[chunk].mean() - p[chunk].mean())
    return total / len(y)


def top_share_mask(p: np.ndarray, share: float) -> np.ndarray:
    """The top `share` of rows by score (ties broken by position, deterministically)."""
    n = max(1, int(round(len(p) * share)))
    order = np.argsort(-np.asarray(p), kind="stable")
    mask = np.zeros(len(p), dtype=bool)
    mask[order[:n]] = True
    return mask


def classification_metrics(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    """roc_auc, pr_auc, log_loss, brier, ece, lift_at_10, capture_at_20 (unprefixed)."""
    y = np.asarray(y, dtype="int64")
    p = np.clip(np.asarray(p, dtype="float64"), 1e-7, 1 - 1e-7)
    if len(np.unique(y)) < 2:
        raise DataError("the evaluation slice holds only one class; metrics need both")
    base = y.mean()
    top10 = top_share_mask(p, 0.10)
    top20 = top_share_mask(p, 0.20)
    return {
        "roc_auc": float(roc_auc_score(y, p)),
        "pr_auc": float(average_precision_score(y, p)),
        "log_loss": float(log_loss(y, p)),
        "brier": float(brier_score_loss(y, p)),
        "ece": float(expected_calibration_error(y, p)),
        "lift_at_10": float(y[top10].mean() / base),
        "capture_at_20": float(y[top20].sum() / y.sum()),
    }


def roc_auc_interval(y: np.ndarray, p: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """ROC AUC with its DeLong confidence interval: (auc, low, high).

    On a test slice of a few thousand leads the AUC moves by about +-0.01 from one random
    slice to the next; the interval says how far a single figure can be trusted.
    DeLong et al. (1988), computed with midranks as in Sun and Xu (2014).
    """
    y = np.asarray(y, dtype="int64")
    p = np.asarray(p, dtype="float64")
    pos, neg = p[y == 1], p[y == 0]
    m, n = len(pos), len(neg)
    if m == 0 or n == 0:
        raise DataError("the evaluation slice holds only one class; an AUC needs both")
    both = rankdata(np.concatenate([pos, neg]))
    rank_pos, rank_neg = rankdata(pos), rankdata(neg)
    auc = float((both[:m].sum() - m * (m + 1) / 2) / (m * n))
    v10 = (both[:m] - rank_pos) / n          # per positive: share of negatives it outranks
    v01 = 1.0 - (both[m:] - rank_neg) / m    # per negative: share of positives that outrank it
    var = (np.var(v10, ddof=1) if m > 1 else 0.0) / m + (np.var(v01, ddof=1) if n > 1 else 0.0) / n
    half = float(norm.ppf(0.5 + level / 2) * np.sqrt(max(var, 0.0)))
    return auc, max(0.0, auc - half), min(1.0, auc + half)


def rate_by_tier(y: np.ndarray, tiers: np.ndarray) -> pd.DataFrame:
    """Leads and observed acceptance rate per tier."""
    frame = pd.DataFrame({"tier": tiers, "y": np.asarray(y, dtype="float64")})
    table = frame.groupby("tier", observed=True)["y"].agg(leads="size", accept_rate="mean")
    return table.reindex(["A", "B", "C", "D"]).fillna({"leads": 0}).reset_index()
