"""Baselines on the same test slice: source rate alone, ICP rules alone, logistic regression."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from leadsift.features.build import FeatureBuilder


def source_rate_score(
    raw_features: pd.DataFrame, typed: pd.DataFrame, y: pd.Series, train: np.ndarray, target: str
) -> np.ndarray:
    """The source's historical rate: point in time when the data has dates, else its training rate."""
    column = "source_won_rate" if target == "won" else "source_accept_rate"
    if column in raw_features.columns:
        return raw_features[column].to_numpy(dtype="float64")
    source = typed["source"].astype("str")
    prior = float(y[train].mean())
    stats = pd.DataFrame({"s": source[train], "y": y[train]}).groupby("s")["y"].agg(["sum", "count"])
    rate = (stats["sum"] + 20 * prior) / (stats["count"] + 20)
    return source.map(rate).fillna(prior).to_numpy(dtype="float64")


def icp_rules_score(raw_features: pd.DataFrame) -> np.ndarray:
    """Rules only, as a sales-marketing agreement would write them: ICP fit, title, company e-mail."""
    f = raw_features
    score = (
        f["icp_size_fit"].fillna(0) + f["icp_industry_fit"].fillna(0) + f["icp_country_fit"].fillna(0)
        + f["decision_maker"].fillna(0)
        + f["email_kind"].isin(["company_match", "company_other"]).astype("float64")
    )
    return score.to_numpy(dtype="float64")


def logistic_regression_score(
    builder: FeatureBuilder, X: pd.DataFrame, y: pd.Series, train: np.ndarray, seed: int
) -> np.ndarray:
    """Logistic regression on the same features (one-hot categoricals, imputed scaled numerics)."""
    names = dict(zip(builder.columns, builder.model_columns, strict=True))
    numeric = [names[c] for c in builder.numeric]
    categorical = [names[c] for c in builder.categorical]
    pre = ColumnTransformer(
        [
            ("num", make_pipeline(SimpleImputer(strategy="median", add_indicator=True, keep_empty_features=True),
                                  StandardScaler()), numeric),
            ("cat", make_pipeline(SimpleImputer(strategy="constant", fill_value="(missing)"),
                                  OneHotEncoder(handle_unknown="ignore", min_frequency=5)), categorical),
        ]
    )
    Xo = X.copy()
    for c in categorical:
        Xo[c] = Xo[c].astype(object).where(Xo[c].notna(), "(missing)")
    model = make_pipeline(pre, LogisticRegression(C=0.5, max_iter=2000, random_state=seed))
    model.fit(Xo[train], y[train].astype(int))
    return model.decision_function(Xo)
