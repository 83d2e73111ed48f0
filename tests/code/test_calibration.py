"""The calibrator stores plain numbers and maps log-odds exactly as scikit-learn's fitted models do."""

import numpy as np
import pytest
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

from leadsift.errors import DataError
from leadsift.models.calibration import fit_calibrator

RNG = np.random.default_rng(3)
RAW = RNG.normal(size=4000)
Y = (RNG.random(4000) < 1 / (1 + np.exp(-1.7 * RAW + 0.4))).astype(int)
GRID = np.linspace(-6, 6, 301)  # beyond the fitted range on both sides: clipped like sklearn's "clip"


def test_isotonic_steps_match_isotonic_regression():
    ours = fit_calibrator(RAW, Y, "isotonic")
    theirs = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(RAW, Y)
    np.testing.assert_allclose(ours(GRID), np.clip(theirs.predict(GRID), 1e-6, 1 - 1e-6), rtol=0, atol=1e-12)


def test_platt_matches_logistic_regression():
    ours = fit_calibrator(RAW, Y, "sigmoid")
    theirs = LogisticRegression(C=1e6, max_iter=1000).fit(RAW.reshape(-1, 1), Y)
    np.testing.assert_allclose(ours(GRID), theirs.predict_proba(GRID.reshape(-1, 1))[:, 1], rtol=1e-9)


def test_one_class_is_a_data_error_naming_the_setting():
    with pytest.raises(DataError, match="split.calib_share"):
        fit_calibrator(RAW[:10], np.zeros(10, dtype=int), "sigmoid")


def test_following_the_base_rate_shifts_the_odds_by_the_rates_distance_from_the_calibration_rows():
    rate = np.where(np.arange(len(RAW)) % 2 == 0, 0.1, 0.3)
    fixed = fit_calibrator(RAW, Y, "sigmoid")
    follows = fit_calibrator(RAW, Y, "sigmoid", rate, follow="overall_accept_rate_recent")
    reference = np.mean(np.log(rate / (1 - rate)))
    assert follows.reference == pytest.approx(reference)
    assert (follows.slope, follows.intercept) == (fixed.slope, fixed.intercept)
    now = np.full(len(GRID), 0.5)  # the rate has climbed to 50%: odds move by logit(0.5) - reference
    expected = 1 / (1 + np.exp(-(fixed.slope * GRID + fixed.intercept - reference)))
    np.testing.assert_allclose(follows(GRID, now), expected, rtol=0, atol=1e-12)
    np.testing.assert_allclose(follows(GRID, np.full(len(GRID), np.nan)), fixed(GRID), rtol=0, atol=1e-12)
    with pytest.raises(ValueError, match="pass the overall_accept_rate_recent column"):
        follows(GRID)


def test_following_needs_a_known_rate_on_some_calibration_row():
    with pytest.raises(DataError, match="follow_base_rate"):
        fit_calibrator(RAW, Y, "sigmoid", np.full(len(RAW), np.nan), follow="overall_won_rate_recent")
