"""Rates of one column over another, NaN where there is nothing to divide by."""

from __future__ import annotations

import pandas as pd


def ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    """num / den, NaN where den is 0 or missing (never inf)."""
    num = num.astype("float64")
    den = den.astype("float64")
    return (num / den.where(den > 0)).astype("float64")
