"""leadsift's peers on exactly the rows and features leadsift trains on (bench/bench_quality.py).

`prepare` mirrors `run_training` up to the model matrix (load -> split -> point-in-time features),
so that every peer sees the same leak-free feature matrix leadsift builds (history features
included where leadsift has them) and the same rows: it fits on everything but the test slice
(train + valid + calib, which leadsift also uses for early stopping, refit and calibration) and
is measured on the test slice. `check_same_as_training` confirms the mirror against a TrainResult.
On time-ordered splits the peers also get the raw columns only (leadsift's matrix without the
point-in-time history features; a history key as a plain category): those features drift with
time (counts grow, won rates fill in), which trees fitted on all earlier rows extrapolate badly,
so each peer is shown both ways.

The peers, each as its users normally run it (none is calibrated afterwards: all four output
probabilities from a log-loss fit):
  - LightGBM defaults (`LGBMClassifier()`, native categoricals)
  - LightGBM tuned: a handful of configs, 3-fold stratified CV with early stopping inside the
    fitting rows, chosen by CV log loss, refit on all fitting rows with the CV's number of trees
  - CatBoost defaults (native categoricals), when catboost is installed
  - logistic regression: leadsift's own baseline pipeline (median-imputed, standardised
    numerics; one-hot categoricals), fitted on all fitting rows, its probabilities as they come
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import expit
from scipy.stats import rankdata

from leadsift.features.build import FeatureBuilder
from leadsift.features.contract import CREATED_AT, LEAD_ID
from leadsift.models.baselines import logistic_regression_score
from leadsift.models.calibration import fit_calibrator
from leadsift.models.metrics import classification_metrics, roc_auc_interval
from leadsift.params import Params
from leadsift.pipeline.ingest import load_history
from leadsift.pipeline.split import split_rows

LGBM_THREADS = 2
CV_FOLDS = 3
CV_MAX_ROUNDS = 3000
CV_EARLY_STOPPING = 50
# The tuned LightGBM's search: small on purpose (2 shared cores). Learning rate 0.05 throughout;
# the CV picks the number of trees for each.
LGBM_CONFIGS: tuple[dict[str, float], ...] = (
    {"num_leaves": 7, "min_child_samples": 20},
    {"num_leaves": 15, "min_child_samples": 20, "feature_fraction": 0.7, "lambda_l2": 1.0},
    {"num_leaves": 31, "min_child_samples": 20},
    {"num_leaves": 31, "min_child_samples": 50, "feature_fraction": 0.7, "lambda_l2": 1.0},
    {"num_leaves": 63, "min_child_samples": 100, "feature_fraction": 0.7, "lambda_l2": 5.0},
)


@dataclass(frozen=True)
class Prepared:
    """leadsift's model matrix and slices for one training configuration."""

    X: pd.DataFrame                 # all rows, leadsift's feature matrix (categoricals as pandas category)
    y: np.ndarray                   # 0/1 per row (unlabelled rows 0 and in no slice)
    y_all: pd.Series                # float 1/0, NaN where excluded (what leadsift's baselines take)
    fit: np.ndarray                 # train | valid | calib
    test: np.ndarray
    train: np.ndarray
    valid: np.ndarray
    calib: np.ndarray
    test_ids: np.ndarray            # lead_id of the test rows, in row order
    builder: FeatureBuilder
    seed: int

    @property
    def categorical(self) -> list[str]:
        return [c for c in self.X.columns if isinstance(self.X[c].dtype, pd.CategoricalDtype)]


def prepare(
    data: Path | str, outcomes: Path | str | None, params: Params, flagged: tuple[str, ...] | list[str],
) -> tuple[Prepared, Prepared | None]:
    """The split and feature matrix `run_training` builds, mirrored step by step (see its body); and,
    when leadsift adds point-in-time history features (time-ordered splits), the same rows with
    the raw columns only (the matrix leadsift builds without history, each history key such as
    Olist's landing page then a plain categorical column), else None.

    `flagged`: the columns leadsift's leakage audit left out (`TrainResult.leakage.flagged`).
    """
    history = load_history(data, outcomes, params)
    typed, y_all = history.parsed.typed, history.y
    created = typed[CREATED_AT] if CREATED_AT in typed.columns else None
    use_history = params.split.method in ("time", "order") and created is not None
    split = split_rows(y_all, created, params.split)
    drop = (*flagged, *(("created_weekday",) if params.split.method == "order" else ()))
    y = y_all.fillna(0).to_numpy(dtype="int64")

    def build(with_history: bool) -> Prepared:
        features = params.features
        if not with_history:  # a history key (Olist's landing page) becomes a plain category instead
            extra = [k for k in features.history_keys if k not in features.extra_categorical]
            features = features.model_copy(update={"extra_categorical": (*features.extra_categorical, *extra)})
        builder, feats = FeatureBuilder.fit_features(typed, split.train, features, params.icp, with_history, drop)
        if with_history and getattr(features, "history_excess", False) and params.target == "accepted":
            # run_training's second pass: history features of what a first model expected
            from leadsift.pipeline.train import first_expectation

            expected = first_expectation(builder.matrix(feats), y, split, params.model)
            builder, feats = FeatureBuilder.fit_features(typed, split.train, features, params.icp, with_history, drop,
                                                         expected)
        return Prepared(
            X=builder.matrix(feats), y=y, y_all=y_all, fit=split.train | split.valid | split.calib, test=split.test,
            train=split.train, valid=split.valid, calib=split.calib,
            test_ids=typed.loc[split.test, LEAD_ID].to_numpy(), builder=builder, seed=params.model.seed,
        )

    return build(use_history), (build(False) if use_history else None)


def check_same_as_training(prep: Prepared, result: object) -> str:
    """Confirm the mirror: the same test rows and labels as the TrainResult, and leadsift's own
    logistic baseline reproduced to 1e-9 on this matrix (so the features are the same too).
    Raises AssertionError, worded as a bug in this script, when they differ."""
    preds = result.test_predictions
    if not (np.array_equal(preds["lead_id"].astype("str").to_numpy(), prep.test_ids.astype("str"))
            and np.array_equal(preds["y"].to_numpy(), prep.y[prep.test])):
        raise AssertionError("bench/peers.py no longer mirrors run_training's split: the test rows differ")
    score = logistic_regression_score(prep.builder, prep.X, prep.y_all, prep.train | prep.valid, prep.seed)
    p = fit_calibrator(score[prep.calib], prep.y[prep.calib], "sigmoid")(score)
    mine = classification_metrics(prep.y[prep.test], p[prep.test])
    theirs = result.baselines["logreg"]
    gap = max(abs(mine[k] - theirs[k]) for k in ("roc_auc", "log_loss"))
    if gap > 1e-9:
        raise AssertionError(f"bench/peers.py no longer mirrors run_training's features: logreg baseline differs by {gap:.2g}")
    return (f"same {int(prep.test.sum()):,} test rows as leadsift, {int(prep.fit.sum()):,} fitting rows, "
            f"{prep.X.shape[1]} features ({len(prep.categorical)} categorical); leadsift's logreg baseline reproduced")


# --- the peers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scored:
    """One model's test-slice probabilities and how long fitting took."""

    name: str
    p: np.ndarray
    fit_seconds: float
    note: str = ""


def _lgb_base(seed: int) -> dict[str, object]:
    return {"objective": "binary", "verbosity": -1, "seed": seed, "num_threads": LGBM_THREADS,
            "deterministic": True, "force_row_wise": True}


def lightgbm_defaults(prep: Prepared) -> tuple[np.ndarray, str]:
    import lightgbm as lgb

    model = lgb.LGBMClassifier(random_state=prep.seed, n_jobs=LGBM_THREADS, verbose=-1,
                               deterministic=True, force_row_wise=True)
    model.fit(prep.X[prep.fit], prep.y[prep.fit])
    return model.predict_proba(prep.X[prep.test])[:, 1], "100 trees, 31 leaves, rate 0.1"


def lightgbm_tuned(prep: Prepared) -> tuple[np.ndarray, str]:
    """Pick one of LGBM_CONFIGS and its number of trees by stratified CV on the fitting rows only.

    Stratified and shuffled on time-ordered splits too: folds that walk forward in time, chosen
    by log loss, collapsed on UCI bank (1 to 9 trees, AUC 0.46 to 0.64), whose base rate jumps
    from 6% to 31% across the file; shuffled folds gave this peer its best figures everywhere.
    """
    import lightgbm as lgb
    from sklearn.model_selection import StratifiedKFold

    X, y = prep.X[prep.fit], prep.y[prep.fit]
    folds = list(StratifiedKFold(CV_FOLDS, shuffle=True, random_state=prep.seed).split(X, y))
    best: tuple[float, int, dict[str, object], dict[str, float]] | None = None
    for config in LGBM_CONFIGS:
        params = {**_lgb_base(prep.seed), "metric": "binary_logloss", "learning_rate": 0.05, **config}
        data = lgb.Dataset(X, label=y, categorical_feature=prep.categorical, free_raw_data=False)
        cv = lgb.cv(params, data, num_boost_round=CV_MAX_ROUNDS, folds=folds,
                    callbacks=[lgb.early_stopping(CV_EARLY_STOPPING, verbose=False)])
        losses = cv["valid binary_logloss-mean"]
        rounds = int(np.argmin(losses)) + 1
        if best is None or losses[rounds - 1] < best[0]:
            best = (float(losses[rounds - 1]), rounds, params, config)
    assert best is not None
    _, rounds, params, config = best
    booster = lgb.train(params, lgb.Dataset(X, label=y, categorical_feature=prep.categorical), num_boost_round=rounds)
    chosen = ", ".join(f"{k} {v:g}" for k, v in config.items())
    note = f"{len(LGBM_CONFIGS)} configs x {CV_FOLDS}-fold stratified CV: {chosen}, {rounds} trees"
    return booster.predict(prep.X[prep.test]), note


def catboost_available() -> bool:
    """Whether catboost imports (the `bench` extra); the CatBoost peer is skipped without it."""
    try:
        import catboost  # noqa: F401
    except ImportError:
        return False
    return True


def _as_text(X: pd.DataFrame, categorical: list[str]) -> pd.DataFrame:
    """CatBoost takes categoricals as strings; a missing value is a category of its own."""
    return X.assign(**{c: X[c].astype(object).where(X[c].notna(), "(missing)").astype(str) for c in categorical})


def catboost_defaults(prep: Prepared) -> tuple[np.ndarray, str]:
    from catboost import CatBoostClassifier

    cats = prep.categorical
    model = CatBoostClassifier(random_seed=prep.seed, thread_count=LGBM_THREADS, verbose=0, allow_writing_files=False)
    model.fit(_as_text(prep.X[prep.fit], cats), prep.y[prep.fit], cat_features=cats)
    return model.predict_proba(_as_text(prep.X[prep.test], cats))[:, 1], f"{model.tree_count_} trees"


def logistic_regression(prep: Prepared) -> tuple[np.ndarray, str]:
    """leadsift's logistic baseline pipeline on all fitting rows; its own probabilities (no recalibration)."""
    score = logistic_regression_score(prep.builder, prep.X, prep.y_all, prep.fit, prep.seed)
    return expit(score[prep.test]), "C 0.5, one-hot (min frequency 5), standardised"


PEERS: dict[str, Callable[[Prepared], tuple[np.ndarray, str]]] = {
    "LightGBM defaults": lightgbm_defaults,
    "LightGBM tuned": lightgbm_tuned,
    "CatBoost defaults": catboost_defaults,
    "logistic regression": logistic_regression,
}


def run_peers(prep: Prepared, skipped: list[str] | None = None) -> list[Scored]:
    """Every peer fitted on `prep.fit` and scored on `prep.test`. CatBoost is left out, and its
    name appended to `skipped`, when catboost is not installed."""
    out: list[Scored] = []
    for name, fit in PEERS.items():
        if name.startswith("CatBoost") and not catboost_available():
            if skipped is not None and name not in skipped:
                skipped.append(name)
            continue
        t0 = time.perf_counter()
        p, note = fit(prep)
        out.append(Scored(name, np.asarray(p, dtype="float64"), time.perf_counter() - t0, note))
    return out


# --- figures --------------------------------------------------------------------------------


def figures(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    """ROC AUC with its DeLong interval, log loss, ECE (10 equal-frequency bins), mean prediction."""
    m = classification_metrics(y, p)
    _, low, high = roc_auc_interval(y, p)
    return {"roc_auc": m["roc_auc"], "auc_low": low, "auc_high": high, "log_loss": m["log_loss"],
            "ece": m["ece"], "mean_p": float(np.mean(p)), "rate": float(np.mean(y))}


def _product_paired() -> Callable[..., tuple[float, float, float]] | None:
    """leadsift's own paired DeLong interval (models/intervals.py), when this checkout has it."""
    import leadsift.models.intervals as intervals

    return getattr(intervals, "paired_auc_difference", None)


def paired_method() -> str:
    fn = _product_paired()
    return f"paired DeLong ({fn.__module__}.{fn.__name__})" if fn else "paired bootstrap over test rows (2,000 resamples)"


def paired_auc_difference(y: np.ndarray, p_a: np.ndarray, p_b: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """AUC(a) - AUC(b) on the same rows, with its `level` interval: leadsift's paired DeLong when
    models/ has one, else a bootstrap over test rows (resampled within each class)."""
    fn = _product_paired()
    if fn is not None:
        diff, low, high = fn(y, p_a, p_b, level=level)
        return float(diff), float(low), float(high)
    return bootstrap_auc_difference(y, p_a, p_b, level)


def _aucs(y_rows: np.ndarray, p_rows: np.ndarray) -> np.ndarray:
    """ROC AUC of each row of `p_rows` (resamples) against the labels in the same positions."""
    ranks = rankdata(p_rows, axis=1)
    pos = y_rows == 1
    m = pos.sum(axis=1)
    n = y_rows.shape[1] - m
    return ((ranks * pos).sum(axis=1) - m * (m + 1) / 2) / (m * n)


def bootstrap_auc_difference(
    y: np.ndarray, p_a: np.ndarray, p_b: np.ndarray, level: float = 0.95, resamples: int = 2000, seed: int = 0,
) -> tuple[float, float, float]:
    """Paired percentile bootstrap of AUC(a) - AUC(b): the same resampled rows for both models."""
    from sklearn.metrics import roc_auc_score

    y = np.asarray(y, dtype="int64")
    p_a, p_b = np.asarray(p_a, dtype="float64"), np.asarray(p_b, dtype="float64")
    diff = float(roc_auc_score(y, p_a) - roc_auc_score(y, p_b))
    rng = np.random.default_rng(seed)
    pos, neg = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    out = np.empty(resamples)
    chunk = max(1, 4_000_000 // len(y))
    for start in range(0, resamples, chunk):
        k = min(chunk, resamples - start)
        rows = np.concatenate([rng.choice(pos, (k, len(pos))), rng.choice(neg, (k, len(neg)))], axis=1)
        out[start:start + k] = _aucs(y[rows], p_a[rows]) - _aucs(y[rows], p_b[rows])
    tail = (1 - level) / 2
    low, high = np.quantile(out, [tail, 1 - tail])
    return diff, float(low), float(high)
