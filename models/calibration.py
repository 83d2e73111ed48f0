"""Calibration on its own slice, so that p_accept means what it says."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from leadsift.errors import DataError


@dataclass(frozen=True)
class Calibrator:
    """Maps the booster's log-odds to a probability: Platt scaling, or isotonic steps (x, y thresholds).

    `follow` (a feature column's name, empty when off): the probability follows the base rate.
    Each lead's log-odds move by logit(the recent overall rate at its time) - `reference`, the
    mean of that logit over the calibration rows: a prior-shift correction, which trees cannot
    make themselves because they do not extrapolate to a base rate they never saw.
    """

    method: str
    slope: float = 1.0
    intercept: float = 0.0
    x: tuple[float, ...] = ()
    y: tuple[float, ...] = ()
    follow: str = ""
    reference: float = 0.0

    def __call__(self, raw: np.ndarray, base_rate: np.ndarray | None = None) -> np.ndarray:
        raw = np.asarray(raw, dtype="float64")
        if self.method == "isotonic":
            # IsotonicRegression.predict with out_of_bounds="clip" is this interpolation.
            p = np.clip(np.interp(raw, self.x, self.y), 1e-6, 1 - 1e-6)
            return self._shifted(np.log(p / (1 - p)), base_rate) if self.follow else p
        return self._shifted(self.slope * raw + self.intercept, base_rate)

    def _shifted(self, logodds: np.ndarray, base_rate: np.ndarray | None) -> np.ndarray:
        if self.follow:
            if base_rate is None:
                raise ValueError(f"this calibrator follows the base rate: pass the {self.follow} column")
            shift = logit(np.asarray(base_rate, dtype="float64")) - self.reference
            logodds = logodds + np.where(np.isnan(shift), 0.0, shift)  # no decided leads yet: no shift
        return 1.0 / (1.0 + np.exp(-logodds))


def logit(p: np.ndarray) -> np.ndarray:
    """Log-odds, with rates of 0 and 1 held a little inside (0, 1); NaN stays NaN."""
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def fit_calibrator(
    raw: np.ndarray, y: np.ndarray, method: str, base_rate: np.ndarray | None = None, follow: str = ""
) -> Calibrator:
    """Fit on the calibration slice. Platt keeps the ranking; isotonic needs well over 1000 rows.

    With `follow` and the calibration rows' `base_rate`, the result follows the base rate."""
    from sklearn.isotonic import IsotonicRegression
    from sklearn.linear_model import LogisticRegression

    raw = np.asarray(raw, dtype="float64")
    y = np.asarray(y, dtype="int64")
    if len(np.unique(y)) < 2:
        raise DataError("the calibration slice holds only one class; use more data or a larger split.calib_share")
    if method == "isotonic":
        iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(raw, y)
        fitted = Calibrator("isotonic", x=tuple(map(float, iso.X_thresholds_)), y=tuple(map(float, iso.y_thresholds_)))
    else:
        lr = LogisticRegression(C=1e6, max_iter=1000).fit(raw.reshape(-1, 1), y)
        fitted = Calibrator("sigmoid", slope=float(lr.coef_[0, 0]), intercept=float(lr.intercept_[0]))
    if not follow:
        return fitted
    known = logit(np.asarray(base_rate, dtype="float64"))
    known = known[~np.isnan(known)]
    if not len(known):
        raise DataError("calibration.follow_base_rate: no calibration lead has a recent overall rate "
                        "(no decided leads within features.history_window_days before it)")
    return replace(fitted, follow=follow, reference=float(known.mean()))
