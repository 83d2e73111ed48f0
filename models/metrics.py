"""Evaluation metrics, under the names the runs log them with."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score


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
        raise ValueError("the evaluation slice holds only one class; metrics need both")
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


def rate_by_tier(y: np.ndarray, tiers: np.ndarray) -> pd.DataFrame:
    """Leads and observed acceptance rate per tier."""
    frame = pd.DataFrame({"tier": tiers, "y": np.asarray(y, dtype="float64")})
    table = frame.groupby("tier", observed=True)["y"].agg(leads="size", accept_rate="mean")
    return table.reindex(["A", "B", "C", "D"]).fillna({"leads": 0}).reset_index()
