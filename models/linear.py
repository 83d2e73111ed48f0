"""The logistic-regression candidate: fitted with scikit-learn, kept as plain numbers.

Numbers are clipped to the fitted rows' 1st-99th percentiles (a linear model would otherwise
extrapolate counts that only grow, such as a source's earlier leads), a missing number is the
median plus a missing flag, and each category of the training vocabulary is a one-hot column.
The contribution of a feature to a lead's log-odds is its term minus the term's mean over the
fitted rows: for a linear model these are the exact SHAP values, and they add up to the log-odds.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from scipy import sparse

MISSING = "(missing)"


@dataclass(frozen=True)
class NumericTerm:
    low: float       # clipped to [low, high], then standardised with mean and scale
    high: float
    median: float    # stands in for a missing value
    mean: float
    scale: float
    coef: float
    missing_coef: float
    base: float      # the term's mean over the fitted rows


@dataclass(frozen=True)
class CategoricalTerm:
    coefs: dict[str, float]  # per category of the training vocabulary, and MISSING
    base: float


@dataclass(frozen=True)
class LinearModel:
    columns: tuple[str, ...]
    numeric: dict[str, NumericTerm]
    categorical: dict[str, CategoricalTerm]
    bias: float  # intercept plus every term's base: the log-odds of an average lead

    def explain(self, X: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """Raw scores (log-odds) and rows x features contributions, which sum to raw - bias."""
        contrib = np.empty((len(X), len(self.columns)), dtype="float64")
        for j, name in enumerate(self.columns):
            contrib[:, j] = self._term(name, X[name]) - self._base(name)
        return self.bias + contrib.sum(axis=1), contrib

    def _base(self, name: str) -> float:
        return self.numeric[name].base if name in self.numeric else self.categorical[name].base

    def _term(self, name: str, values: pd.Series) -> np.ndarray:
        if name in self.numeric:
            t = self.numeric[name]
            x = values.to_numpy(dtype="float64", na_value=np.nan)
            missing = np.isnan(x)
            z = (np.clip(np.where(missing, t.median, x), t.low, t.high) - t.mean) / t.scale
            return t.coef * z + t.missing_coef * missing
        coefs = self.categorical[name].coefs
        text = values.astype("object").where(values.notna(), MISSING)
        return text.map(coefs).fillna(0.0).to_numpy(dtype="float64")

    def to_dict(self) -> dict[str, object]:
        return {"columns": list(self.columns), "bias": self.bias,
                "numeric": {k: asdict(v) for k, v in self.numeric.items()},
                "categorical": {k: asdict(v) for k, v in self.categorical.items()}}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> LinearModel:
        return cls(columns=tuple(data["columns"]), bias=float(data["bias"]),
                   numeric={k: NumericTerm(**v) for k, v in data["numeric"].items()},
                   categorical={k: CategoricalTerm(**v) for k, v in data["categorical"].items()})


def fit_linear(X: pd.DataFrame, y: np.ndarray, rows: np.ndarray, c: float = 0.5, seed: int = 42) -> LinearModel:
    """L2-regularised logistic regression on `rows` (an index array) of the model matrix."""
    from sklearn.linear_model import LogisticRegression

    fit = X.iloc[rows]
    stats = {name: _numeric_stats(fit[name]) for name in X.columns if not isinstance(X[name].dtype, pd.CategoricalDtype)}
    cats = {name: (*map(str, X[name].cat.categories), MISSING) for name in X.columns if name not in stats}
    design = _design(fit, stats, cats)
    lr = LogisticRegression(C=c, max_iter=2000, random_state=seed).fit(design, y[rows].astype(int))
    coef, k = lr.coef_[0], 0
    numeric: dict[str, NumericTerm] = {}
    categorical: dict[str, CategoricalTerm] = {}
    for name in X.columns:
        if name in stats:
            low, high, median, mean, scale = stats[name]
            numeric[name] = NumericTerm(low, high, median, mean, scale, float(coef[k]), float(coef[k + 1]), 0.0)
            k += 2
        else:
            categorical[name] = CategoricalTerm(dict(zip(cats[name], map(float, coef[k : k + len(cats[name])]),
                                                         strict=True)), 0.0)
            k += len(cats[name])
    draft = LinearModel(tuple(X.columns), numeric, categorical, 0.0)
    bases = {name: float(draft._term(name, fit[name]).mean()) for name in X.columns}
    return LinearModel(
        columns=tuple(X.columns),
        numeric={k: NumericTerm(**{**asdict(v), "base": bases[k]}) for k, v in numeric.items()},
        categorical={k: CategoricalTerm(v.coefs, bases[k]) for k, v in categorical.items()},
        bias=float(lr.intercept_[0]) + sum(bases.values()),
    )


def crossfit_linear(
    X: pd.DataFrame, y: np.ndarray, rows: np.ndarray, folds: int, seed: int
) -> tuple[LinearModel, np.ndarray]:
    """Fit on all `rows` (a mask), plus out-of-fold log-odds on the very folds the LightGBM refit uses."""
    from leadsift.models.estimator import fold_numbers  # imports LightGBM: fitting only, never scoring

    idx = np.flatnonzero(rows)
    fold_of = fold_numbers(len(idx), folds, seed)
    oof = np.empty(len(idx), dtype="float64")
    for k in range(folds):
        model = fit_linear(X, y, idx[fold_of != k], seed=seed)
        oof[fold_of == k] = model.explain(X.iloc[idx[fold_of == k]])[0]
    return fit_linear(X, y, idx, seed=seed), oof


def _numeric_stats(values: pd.Series) -> tuple[float, float, float, float, float]:
    x = values.to_numpy(dtype="float64", na_value=np.nan)
    x = x[~np.isnan(x)]
    if not len(x):
        return 0.0, 0.0, 0.0, 0.0, 1.0
    low, median, high = (float(q) for q in np.quantile(x, [0.01, 0.5, 0.99]))
    clipped = np.clip(x, low, high)
    return low, high, median, float(clipped.mean()), float(clipped.std()) or 1.0


def _design(X: pd.DataFrame, stats: dict[str, tuple[float, ...]], cats: dict[str, tuple[str, ...]]) -> sparse.csr_matrix:
    """Per number: its standardised clipped value and its missing flag; per categorical: one-hot columns."""
    from scipy import sparse  # fitting only: scoring never builds this matrix

    blocks = []
    for name in X.columns:
        if name in stats:
            low, high, median, mean, scale = stats[name]
            x = X[name].to_numpy(dtype="float64", na_value=np.nan)
            missing = np.isnan(x)
            z = (np.clip(np.where(missing, median, x), low, high) - mean) / scale
            blocks.append(sparse.csr_matrix(np.c_[z, missing.astype("float64")]))
        else:
            col = X[name]
            codes = col.cat.codes.to_numpy().astype("int64")
            codes = np.where(codes < 0, len(cats[name]) - 1, codes)  # missing: the last column
            blocks.append(sparse.csr_matrix((np.ones(len(col)), (np.arange(len(col)), codes)),
                                            shape=(len(col), len(cats[name]))))
    return sparse.hstack(blocks, format="csr")
