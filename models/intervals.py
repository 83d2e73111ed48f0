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
