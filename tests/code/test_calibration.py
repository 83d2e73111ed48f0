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
