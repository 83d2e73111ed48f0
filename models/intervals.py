"""Intervals around rates: observed acceptance (Wilson) and expected acceptance (mean of calibrated p)."""

from __future__ import annotations

import numpy as np

Z95 = 1.96


def wilson_interval(k: float | np.ndarray, n: float | np.ndarray, z: float = Z95):  # noqa: ANN201
    """Wilson score interval (low, high) for k successes in n trials; NaN where n is 0.

    Scalars in, floats out; arrays in, arrays out.
    """
    k_arr = np.asarray(k, dtype="float64")
    n_arr = np.asarray(n, dtype="float64")
    if np.any(k_arr < 0) or np.any(k_arr > n_arr) or np.any(n_arr < 0):
        raise ValueError(f"wilson_interval needs 0 <= k <= n, got k={k!r}, n={n!r}")
    if not z > 0:
        raise ValueError(f"wilson_interval needs z > 0, got {z}")
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k_arr / n_arr
        z2 = z * z
        denom = 1.0 + z2 / n_arr
        centre = (p + z2 / (2.0 * n_arr)) / denom
        half = z * np.sqrt(p * (1.0 - p) / n_arr + z2 / (4.0 * n_arr * n_arr)) / denom
    low = np.where(n_arr > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
    high = np.where(n_arr > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def expected_rate_interval(mean_p, var_sum, n, z: float = Z95):  # noqa: ANN001, ANN201 - floats or arrays
    """95% interval (low, high) of the acceptance rate expected from n calibrated probabilities.

    `mean_p` is their mean and `var_sum` the sum of p * (1 - p): the number accepted is a sum of
    independent Bernoulli draws, whose variance is that sum. NaN where n is 0.
    """
    mean_p, var_sum, n = (np.asarray(v, dtype="float64") for v in (mean_p, var_sum, n))
    with np.errstate(divide="ignore", invalid="ignore"):
        half = z * np.sqrt(var_sum) / np.where(n > 0, n, np.nan)
    low, high = np.clip(mean_p - half, 0.0, 1.0), np.clip(mean_p + half, 0.0, 1.0)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def paired_auc_difference(y, p_a, p_b, level: float = 0.95) -> tuple[float, float, float]:  # noqa: ANN001 - array-likes
    """ROC AUC of `p_a` minus that of `p_b`, scored on the same rows, with its paired DeLong interval:
    (difference, low, high). The two AUCs share their rows, so their errors correlate and the
    interval of the difference is narrower than the two single intervals suggest.

    DeLong et al. (1988), midranks as in Sun and Xu (2014). An interval that excludes 0 means the
    two scores rank these rows differently well at that level.

    >>> paired_auc_difference([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9], [0.1, 0.2, 0.8, 0.9])
    (0.0, 0.0, 0.0)
    """
    from scipy.stats import norm, rankdata

    from leadsift.errors import DataError

    y = np.asarray(y, dtype="int64")
    is_pos = y == 1
    m, n = int(is_pos.sum()), int((~is_pos).sum())
    if m < 2 or n < 2:
        raise DataError("comparing two AUCs needs at least two positive and two negative rows")
    aucs, v10, v01 = [], [], []
    for p in (p_a, p_b):
        p = np.asarray(p, dtype="float64")
        if p.shape != y.shape:
            raise ValueError(f"paired_auc_difference needs one score per row: {p.shape} scores for {y.shape} labels")
        pos, neg = p[is_pos], p[~is_pos]
        both = rankdata(np.concatenate([pos, neg]))
        aucs.append((both[:m].sum() - m * (m + 1) / 2) / (m * n))
        v10.append((both[:m] - rankdata(pos)) / n)
        v01.append(1.0 - (both[m:] - rankdata(neg)) / m)
    s10, s01 = np.cov(np.vstack(v10)), np.cov(np.vstack(v01))
    var = (s10[0, 0] + s10[1, 1] - 2 * s10[0, 1]) / m + (s01[0, 0] + s01[1, 1] - 2 * s01[0, 1]) / n
    diff = float(aucs[0] - aucs[1])
    half = float(norm.ppf(0.5 + level / 2) * np.sqrt(max(var, 0.0)))
    return diff, diff - half, diff + half
