"""The LightGBM model of sales acceptance: a deterministic factory and early-stopped fit."""

from __future__ import annotations

from dataclasses import dataclass

import lightgbm as lgb
import numpy as np
import pandas as pd

from leadsift.params import ModelParams


def lgb_params(params: ModelParams) -> dict[str, object]:
    """LightGBM settings; deterministic for the same data and params."""
    return {
        "objective": "binary",
        "metric": "binary_logloss",
        "learning_rate": params.learning_rate,
        "num_leaves": params.num_leaves,
        "min_child_samples": params.min_child_samples,
        "feature_fraction": params.feature_fraction,
        "feature_fraction_seed": params.seed,
        "lambda_l2": params.lambda_l2,
        "cat_smooth": params.cat_smooth,
        "min_data_per_group": params.min_data_per_group,
        "max_cat_to_onehot": 8,
        "seed": params.seed,
        "deterministic": True,
        "force_row_wise": True,
        "num_threads": params.n_jobs,
        "verbosity": -1,
    }


@dataclass(frozen=True)
class FittedModel:
    booster: lgb.Booster
    best_iteration: int
    columns: list[str]
    learning_rate: float = 0.0  # the rate the trees were grown with (see fit_lightgbm)


def fit_lightgbm(
    X_train: pd.DataFrame, y_train: np.ndarray, X_valid: pd.DataFrame, y_valid: np.ndarray, params: ModelParams,
    weight: np.ndarray | None = None,
) -> FittedModel:
    """Fit with native categoricals and early stopping on the validation slice.

    When early stopping keeps fewer than `params.min_rounds` trees, each tree was too big a
    step for this much data: the number of trees is then a coarse choice (34 or 35 trees
    differ by 3% of the model). The fit is repeated once with the learning rate lowered in
    proportion, so that about `min_rounds` smaller steps are taken instead.
    """
    fitted = _fit_early_stopped(X_train, y_train, X_valid, y_valid, params, weight)
    if params.min_rounds > 0 and fitted.best_iteration < params.min_rounds:
        slower = params.model_copy(update={"learning_rate": params.learning_rate * fitted.best_iteration / params.min_rounds})
        fitted = _fit_early_stopped(X_train, y_train, X_valid, y_valid, slower, weight)
    return fitted


def _fit_early_stopped(
    X_train: pd.DataFrame, y_train: np.ndarray, X_valid: pd.DataFrame, y_valid: np.ndarray, params: ModelParams,
    weight: np.ndarray | None,
) -> FittedModel:
    categorical = [c for c in X_train.columns if isinstance(X_train[c].dtype, pd.CategoricalDtype)]
    train = lgb.Dataset(X_train, label=y_train, weight=weight, categorical_feature=categorical, free_raw_data=True)
    valid = lgb.Dataset(X_valid, label=y_valid, reference=train, categorical_feature=categorical)
    booster = lgb.train(
        lgb_params(params),
        train,
        num_boost_round=params.max_rounds,
        valid_sets=[valid],
        valid_names=["valid"],
        callbacks=[lgb.early_stopping(params.early_stopping_rounds, verbose=False)],
    )
    best = booster.best_iteration or booster.current_iteration()
    if best < booster.current_iteration():
        # Keep only the trees that early stopping chose, so every later use agrees.
        booster = lgb.Booster(model_str=booster.model_to_string(num_iteration=best))
    return FittedModel(booster=booster, best_iteration=best, columns=list(X_train.columns),
                       learning_rate=params.learning_rate)


def recency_weights(created_at: pd.Series | None, half_life_days: float) -> np.ndarray | None:
    """Weights that halve every `half_life_days` back from the latest lead (None: equal weights)."""
    if created_at is None or half_life_days <= 0:
        return None
    age = (created_at.max() - created_at).dt.total_seconds().to_numpy() / 86400.0
    return np.power(0.5, np.nan_to_num(age, nan=0.0) / half_life_days)


def _train_rounds(
    X: pd.DataFrame, y: np.ndarray, rounds: int, params: ModelParams, weight: np.ndarray | None = None
) -> lgb.Booster:
    categorical = [c for c in X.columns if isinstance(X[c].dtype, pd.CategoricalDtype)]
    data = lgb.Dataset(X, label=y, weight=weight, categorical_feature=categorical, free_raw_data=True)
    return lgb.train(lgb_params(params), data, num_boost_round=max(1, rounds))


def fold_numbers(n: int, folds: int, seed: int) -> np.ndarray:
    """Each of n rows' fold (0 .. folds-1): the same for every candidate model, by position and seed."""
    return np.random.default_rng(seed).permutation(n) % folds


def crossfit_refit(
    X: pd.DataFrame, y: np.ndarray, rows: np.ndarray, rounds: int, params: ModelParams, folds: int,
    weight: np.ndarray | None = None,
) -> tuple[FittedModel, np.ndarray]:
    """Refit on all `rows` with a fixed number of rounds, plus out-of-fold log-odds for calibration.

    Each fold model sees (folds-1)/folds of the rows and proportionally fewer rounds, so its
    held-out scores stand in for the final model's on unseen leads. Deterministic: folds are
    assigned by position with a fixed seed.
    """
    idx = np.flatnonzero(rows)
    fold_of = fold_numbers(len(idx), folds, params.seed)
    oof = np.empty(len(idx), dtype="float64")
    for k in range(folds):
        fit_rows, held = idx[fold_of != k], idx[fold_of == k]
        w = None if weight is None else weight[fit_rows]
        booster = _train_rounds(X.iloc[fit_rows], y[fit_rows], int(round(rounds * (folds - 1) / folds)), params, w)
        oof[fold_of == k] = booster.predict(X.iloc[held], raw_score=True, validate_features=True)
    final = _train_rounds(X.iloc[idx], y[idx], rounds, params, None if weight is None else weight[idx])
    return FittedModel(booster=final, best_iteration=rounds, columns=list(X.columns),
                       learning_rate=params.learning_rate), oof
