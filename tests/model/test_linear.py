"""The logistic candidate: plain numbers that score like the fitted scikit-learn model, with exact contributions."""

import numpy as np
import pandas as pd
import pytest

from leadsift.models.linear import LinearModel, crossfit_linear, fit_linear

RNG = np.random.default_rng(4)
N = 3000


def _frame():
    x = RNG.normal(size=N)
    x[RNG.random(N) < 0.1] = np.nan
    colour = pd.Categorical(RNG.choice(["red", "blue", "(other)"], N), categories=["blue", "red", "(other)"])
    colour[RNG.random(N) < 0.05] = np.nan
    logit = 1.5 * np.nan_to_num(x) + np.where(colour == "red", 1.0, 0.0) - 0.5
    y = (RNG.random(N) < 1 / (1 + np.exp(-logit))).astype(int)
    return pd.DataFrame({"x": x, "colour": colour}), y


X, Y = _frame()


def test_contributions_add_up_to_the_log_odds_and_average_zero_on_the_fitted_rows():
    model = fit_linear(X, Y, np.arange(N))
    raw, contrib = model.explain(X)
    np.testing.assert_allclose(raw, model.bias + contrib.sum(axis=1), rtol=0, atol=1e-12)
    np.testing.assert_allclose(contrib.mean(axis=0), 0.0, atol=1e-12)
    assert model.numeric["x"].coef > 0 and model.categorical["colour"].coefs["red"] > model.categorical["colour"].coefs["blue"]


def test_scores_match_scikit_learn_on_the_same_design():
    from sklearn.linear_model import LogisticRegression

    from leadsift.models.linear import _design, _numeric_stats

    model = fit_linear(X, Y, np.arange(N))
    design = _design(X, {"x": _numeric_stats(X["x"])}, {"colour": ("blue", "red", "(other)", "(missing)")})
    lr = LogisticRegression(C=0.5, max_iter=2000, random_state=42).fit(design, Y)
    np.testing.assert_allclose(model.explain(X)[0], lr.decision_function(design), rtol=0, atol=1e-9)


def test_numbers_beyond_the_fitted_range_score_like_its_edge_and_missing_is_its_own_term():
    model = fit_linear(X, Y, np.arange(N))
    t = model.numeric["x"]
    far = pd.DataFrame({"x": [t.high, 1e9, np.nan], "colour": pd.Categorical(["red"] * 3, categories=X["colour"].cat.categories)})
    raw, _ = model.explain(far)
    assert raw[0] == raw[1]
    assert raw[2] == pytest.approx(model.explain(far.assign(x=t.median))[0][0] + t.missing_coef)


def test_round_trips_as_plain_numbers():
    model = fit_linear(X, Y, np.arange(N))
    again = LinearModel.from_dict(model.to_dict())
    assert again == model


def test_out_of_fold_scores_come_from_models_that_did_not_fit_them():
    rows = np.ones(N, dtype=bool)
    final, oof = crossfit_linear(X, Y, rows, folds=5, seed=42)
    in_sample = final.explain(X)[0]
    assert len(oof) == N and not np.allclose(oof, in_sample)
    assert np.corrcoef(oof, in_sample)[0, 1] > 0.95
