"""The LightGBM fit and the evaluation interval: small-data learning-rate rule, DeLong interval."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from leadsift.errors import DataError
from leadsift.models.estimator import fit_lightgbm
from leadsift.models.metrics import roc_auc_interval
from leadsift.params import ModelParams


def _noisy_data(n: int, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    """One weak signal among noise: early stopping stops after few trees at a high learning rate."""
    rng = np.random.default_rng(seed)
    signal = rng.normal(size=n)
    X = pd.DataFrame({"signal": signal, **{f"noise_{k}": rng.normal(size=n) for k in range(5)}})
    y = (rng.random(n) < 1 / (1 + np.exp(-(0.6 * signal - 1.5)))).astype("int64")
    return X, y


def test_few_trees_lower_the_learning_rate_and_fit_again() -> None:
    X, y = _noisy_data(3_000, seed=1)
    tr, va = slice(0, 2_000), slice(2_000, None)
    fast = ModelParams(learning_rate=0.3, num_leaves=7, min_child_samples=20, early_stopping_rounds=30, min_rounds=0)
    plain = fit_lightgbm(X[tr], y[tr], X[va], y[va], fast)
    assert plain.best_iteration < 100, "the fixture should make early stopping stop early"
    assert plain.learning_rate == 0.3

    ruled = fit_lightgbm(X[tr], y[tr], X[va], y[va], fast.model_copy(update={"min_rounds": 100}))
    expected_rate = 0.3 * plain.best_iteration / 100
    assert ruled.learning_rate == expected_rate
    assert ruled.best_iteration > plain.best_iteration
    assert ruled.booster.current_iteration() == ruled.best_iteration
    # The trees really were grown with the lower rate: the model text records it.
    assert f"[learning_rate: {expected_rate:g}]" in ruled.booster.model_to_string()


def test_enough_trees_keep_the_learning_rate() -> None:
    X, y = _noisy_data(3_000, seed=2)
    tr, va = slice(0, 2_000), slice(2_000, None)
    slow = ModelParams(learning_rate=0.02, num_leaves=4, early_stopping_rounds=50, min_rounds=20)
    fitted = fit_lightgbm(X[tr], y[tr], X[va], y[va], slow)
    assert fitted.best_iteration >= 20
    assert fitted.learning_rate == 0.02


def test_auc_interval_matches_sklearn_and_the_bootstrap() -> None:
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 1_500)
    p = rng.random(1_500) + 0.4 * y
    p[:100] = np.round(p[:100], 1)  # ties are handled with midranks
    auc, low, high = roc_auc_interval(y, p)
    assert abs(auc - roc_auc_score(y, p)) < 1e-12
    boot = [roc_auc_score(y[i], p[i]) for i in (rng.integers(0, len(y), len(y)) for _ in range(600))]
    b_low, b_high = np.percentile(boot, [2.5, 97.5])
    assert low < auc < high
    assert abs(low - b_low) < 0.01 and abs(high - b_high) < 0.01


def test_auc_interval_narrows_with_more_leads() -> None:
    rng = np.random.default_rng(3)
    widths = []
    for n in (500, 5_000, 50_000):
        y = rng.integers(0, 2, n)
        p = rng.random(n) + 0.3 * y
        _, low, high = roc_auc_interval(y, p)
        widths.append(high - low)
    assert widths[0] > 2 * widths[1] > 4 * widths[2]


def test_auc_interval_needs_both_classes() -> None:
    with pytest.raises(DataError, match="only one class"):
        roc_auc_interval(np.ones(10, dtype="int64"), np.linspace(0, 1, 10))
