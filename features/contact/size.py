"""Company size: head counts and size bands.

- size_band: 0, negative, NaN and non-numbers are unknown; strings may use thousands
  separators, "5000+", "1k", or ranges such as "51-200" (the lower bound counts).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from leadsift.features.text import label_series, matches, sub, take, uniques

SIZE_BANDS = ("1-9", "10-49", "50-199", "200-999", "1000-4999", "5000+", "unknown")
SIZE_EDGES = (1, 10, 50, 200, 1000, 5000)  # lower bounds of the bands, in head count


def _head_counts(employees: pd.Series) -> np.ndarray:
    """Head counts as float64 (NaN when unknown); strings may hold "1,200", "5000+", "2k", "51-200"."""
    if pd.api.types.is_bool_dtype(employees.dtype):
        return np.full(len(employees), np.nan)
    if pd.api.types.is_numeric_dtype(employees.dtype):
        return pd.to_numeric(employees, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    codes, values = uniques(employees)
    text = pc.utf8_lower(pc.utf8_trim_whitespace(values))
    text = sub(text, r"(\d)[,' ](\d\d\d)", r"\1\2")
    text = sub(text, r"(\d)[,' ](\d\d\d)", r"\1\2")  # twice: "1,000,000"
    text = sub(text, r"^(\d+(?:\.\d+)?)\s*(?:-|–|to|bis)\s*\d+(?:\.\d+)?$", r"\1")  # a range: its lower bound
    text = sub(text, r"^(\d+(?:\.\d+)?)\s*\+$", r"\1")
    thousands = matches(text, r"^\d+(?:\.\d+)?\s*k$")
    text = sub(text, r"^(\d+(?:\.\d+)?)\s*k$", r"\1")
    number = pd.to_numeric(pd.Series(text.to_pylist(), dtype=object), errors="coerce").to_numpy(dtype="float64")
    number = np.where(thousands, number * 1000.0, number)
    return take(number, codes, np.nan)


def size_band(employees: pd.Series) -> pd.Series:
    """Company size band from head count (values from SIZE_BANDS)."""
    count = _head_counts(employees)
    band = np.searchsorted(np.asarray(SIZE_EDGES, dtype="float64"), np.nan_to_num(count, nan=0.0), side="right") - 1
    band = np.where(np.isfinite(count) & (count >= 1), band, SIZE_BANDS.index("unknown"))
    return label_series(band, SIZE_BANDS, employees.index)
