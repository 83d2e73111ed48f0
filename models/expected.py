"""What calibrated probabilities lead one to expect, and whether what happened could be chance.

If p_accept is calibrated, the leads' outcomes are independent draws with those probabilities.
That alone gives the acceptance to expect (and its spread), the ROC AUC to expect without a single
outcome (confidence-based performance estimation, as NannyML's CBPE), and the calibration error a
calibrated model would still show on this many leads. Outcomes far outside those ranges mean the
probabilities no longer describe the leads.
"""

from __future__ import annotations

import numpy as np

from leadsift.models.metrics import expected_calibration_error

DRAWS = 400  # simulated outcome sets per estimate: percentiles to about +-1%


def rate_change_p_value(accepted: int, p: np.ndarray) -> float:
    """Two-sided p-value that `accepted` of these leads were accepted if their probabilities `p` hold
    (normal approximation to the sum of independent Bernoulli draws, with a continuity correction)."""
    from scipy.stats import norm

    p = np.asarray(p, dtype="float64")
    mean, var = float(p.sum()), float((p * (1 - p)).sum())
    if var <= 0:
        return 1.0 if abs(accepted - mean) < 0.5 else 0.0
    z = max(abs(accepted - mean) - 0.5, 0.0) / np.sqrt(var)
    return float(2 * norm.sf(z))


def holm(p_values: np.ndarray) -> np.ndarray:
    """Holm-adjusted p-values: compare each with the family-wise level (NaN stays NaN)."""
    p = np.asarray(p_values, dtype="float64")
    out = np.full(len(p), np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    order = ok[np.argsort(p[ok], kind="stable")]
    m = len(order)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        out[i] = running
    return out


def _draws(p: np.ndarray, seed: int, draws: int = DRAWS):  # noqa: ANN202 - a generator of boolean matrices
    """`draws` outcome sets drawn from `p`, as (k, n) boolean matrices of a few million cells each."""
    rng = np.random.default_rng(seed)
    per = max(1, 4_000_000 // max(len(p), 1))
    for start in range(0, draws, per):
        yield rng.random((min(per, draws - start), len(p))) < p


def expected_auc(p: np.ndarray, seed: int = 0) -> tuple[float, float, float]:
    """The ROC AUC these probabilities would reach on their own outcomes, with the 95% range it would
    take over outcome sets drawn from them: (expected, low, high). NaN when fewer than 2 leads."""
    from scipy.stats import rankdata

    p = np.asarray(p, dtype="float64")
    if len(p) < 2:
        return np.nan, np.nan, np.nan
    ranks = rankdata(p)
    aucs = []
    for y in _draws(p, seed):
        m = y.sum(axis=1).astype("float64")
        n = len(p) - m
        with np.errstate(divide="ignore", invalid="ignore"):
            aucs.append((y @ ranks - m * (m + 1) / 2) / (m * n))
    auc = np.concatenate(aucs)
    auc = auc[np.isfinite(auc)]
    if not len(auc):
        return np.nan, np.nan, np.nan
    low, high = np.quantile(auc, [0.025, 0.975])
    return float(auc.mean()), float(low), float(high)


def calibrated_ece(p: np.ndarray, seed: int = 0, level: float = 0.95) -> float:
    """The ECE a perfectly calibrated model would stay under at `level` on these many leads."""
    p = np.asarray(p, dtype="float64")
    if not len(p):
        return np.nan
    # ECE is slower than the AUC sum: 100 draws give its 95th percentile well enough
    eces = [expected_calibration_error(y, p) for batch in _draws(p, seed, 100) for y in batch]
    return float(np.quantile(eces, level))
