"""Calibration on its own slice, so that p_accept means what it says."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from leadsift.errors import DataError


@dataclass(frozen=True)
class Calibrator:
    """Maps the booster's log-odds to a probability: Platt scaling, or isotonic steps (x, y thresholds)."""

    method: str
    slope: float = 1.0
    intercept: float = 0.0
    x: tuple[float, ...] = ()
    y: tuple[float, ...] = ()

    def __call__(self, raw: np.ndarray) -> np.ndarray:
        raw = np.asarray(raw, dtype="float64")
        if self.method == "isotonic":
            # IsotonicRegression.predict with out_of_bounds="clip" is this interpolation.
            return np.clip(np.interp(raw, self.x, self.y), 1e-6, 1 - 1e-6)
        return 1.0 / (1.0 + np.exp(-(self.slope * raw + self.intercept)))


def fit_calibrator(raw: np.ndarray, y: np.ndarray, method: str) -> Calibrator:
    """Fit on the calibration slice. Platt keeps the ranking; isotonic needs well over 1000 rows."""
    from sklearn.isotonic import IsotonicRegression
    from sklearn.linear_model import LogisticRegression

    raw = np.asarray(raw, dtype="float64")
    y = np.asarray(y, dtype="int64")
    if len(np.unique(y)) < 2:
        raise DataError("the calibration slice holds only one class; use more data or a larger split.calib_share")
    if method == "isotonic":
        iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(raw, y)
        return Calibrator("isotonic", x=tuple(map(float, iso.X_thresholds_)), y=tuple(map(float, iso.y_thresholds_)))
    lr = LogisticRegression(C=1e6, max_iter=1000).fit(raw.reshape(-1, 1), y)
    return Calibrator("sigmoid", slope=float(lr.coef_[0, 0]), intercept=float(lr.intercept_[0]))
