"""What calibrated probabilities lead one to expect, and whether what happened could be chance.

If p_accept is calibrated, the leads' outcomes are independent draws with those probabilities.
That alone gives the acceptance to expect (and its spread), the ROC AUC to expect without a single
outcome (confidence-based performance estimation, as NannyML's CBPE), and the calibration error a
calibrated model would still show on this many leads. Outcomes far outside those ranges mean the
probabilities no longer describe the leads.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadsift.models.metrics import expected_calibration_error

DRAWS = 400  # simulated outcome sets per estimate: percentiles to about +-1%


def rate_change_z(accepted: int, p: np.ndarray) -> float:
    """How many standard deviations `accepted` lies from what probabilities `p` expect (continuity-corrected,
    signed; 0 within half a lead)."""
    p = np.asarray(p, dtype="float64")
    mean, var = float(p.sum()), float((p * (1 - p)).sum())
    gap = max(abs(accepted - mean) - 0.5, 0.0) * np.sign(accepted - mean)
    if var <= 0:
        return 0.0 if gap == 0 else float(np.copysign(np.inf, gap))
    return float(gap / np.sqrt(var))


def rate_change_p_value(accepted: int, p: np.ndarray, dispersion: float = 1.0) -> float:
    """Two-sided p-value that `accepted` of these leads were accepted if their probabilities `p` hold
    (normal approximation to the sum of independent Bernoulli draws). `dispersion` >= 1 widens the spread
    by how far groups strayed from their expectation on the model's own test slice (see `group_dispersion`)."""
    from scipy.stats import norm

    return float(2 * norm.sf(abs(rate_change_z(accepted, p)) / np.sqrt(max(dispersion, 1.0))))


def group_dispersion(y: np.ndarray, p: np.ndarray, groups: np.ndarray, min_rows: int = 30) -> float:
    """How much more groups of leads (sources) stray from their expected acceptance than chance alone would
    make them, on held-out rows: the mean squared z of groups with at least `min_rows` rows, at least 1.

    No model is exactly right for every source; a source that strays from expectation as far as sources
    strayed on the test slice is not a change. Quasi-binomial overdispersion, estimated per group."""
    frame = pd.DataFrame({"y": np.asarray(y, dtype="float64"), "p": np.asarray(p, dtype="float64"),
                          "g": np.asarray(groups, dtype=object)})
    z2 = [rate_change_z(int(rows["y"].sum()), rows["p"].to_numpy()) ** 2
          for _, rows in frame.groupby("g", sort=False) if len(rows) >= min_rows]
    return float(max(1.0, np.mean(z2))) if z2 else 1.0


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


def ece_interval(y: np.ndarray, p: np.ndarray, seed: int = 0, resamples: int = 100) -> tuple[float, float]:
    """A 95% bootstrap interval of the ECE of these leads (resampled with replacement)."""
    y, p = np.asarray(y, dtype="float64"), np.asarray(p, dtype="float64")
    if len(p) < 2:
        return np.nan, np.nan
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, len(p), (resamples, len(p)))
    values = [expected_calibration_error(y[r], p[r]) for r in rows]
    low, high = np.quantile(values, [0.025, 0.975])
    return float(low), float(high)
