"""Train / validation / calibration / test split of the labelled rows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from leadsift.errors import DataError
from leadsift.params import SplitParams

SLICES = ("train", "valid", "calib", "test")


@dataclass(frozen=True)
class Split:
    """Boolean masks over all rows; unlabelled rows are in none of them."""

    train: np.ndarray
    valid: np.ndarray
    calib: np.ndarray
    test: np.ndarray
    method: str

    @property
    def labelled(self) -> int:
        """Rows in any slice."""
        return int((self.train | self.valid | self.calib | self.test).sum())

    def counts(self) -> dict[str, int]:
        return {name: int(getattr(self, name).sum()) for name in SLICES}


def split_rows(y: pd.Series, created_at: pd.Series | None, params: SplitParams) -> Split:
    """By created_at (the latest leads are the test slice; `order`: the row clock) or random stratified."""
    labelled = np.flatnonzero(y.notna().to_numpy())
    n = len(labelled)
    shares = {"valid": params.valid_share, "calib": params.calib_share, "test": params.test_share}
    if n < 200:
        raise DataError(
            f"only {n} rows have a usable label; leadsift needs at least 200 (see the exclusion counts)"
        )
    parts: dict[str, np.ndarray] = {}
    if params.method in ("time", "order"):
        if created_at is None:
            raise DataError(f"split.method: {params.method} needs created_at; use split.method: random")
        times = created_at.to_numpy()[labelled]
        order = labelled[np.argsort(times, kind="stable")]
        cut_test = n - int(round(n * shares["test"]))
        cut_calib = cut_test - int(round(n * shares["calib"]))
        cut_valid = cut_calib - int(round(n * shares["valid"]))
        parts = {
            "train": order[:cut_valid], "valid": order[cut_valid:cut_calib],
            "calib": order[cut_calib:cut_test], "test": order[cut_test:],
        }
    else:
        labels = y.to_numpy()[labelled]
        rest, test = train_test_split(
            labelled, test_size=shares["test"], stratify=labels, random_state=params.seed
        )
        rest_labels = y.to_numpy()[rest]
        calib_of_rest = shares["calib"] / (1 - shares["test"])
        rest2, calib = train_test_split(rest, test_size=calib_of_rest, stratify=rest_labels, random_state=params.seed)
        valid_of_rest = shares["valid"] / (1 - shares["test"] - shares["calib"])
        train, valid = train_test_split(
            rest2, test_size=valid_of_rest, stratify=y.to_numpy()[rest2], random_state=params.seed
        )
        parts = {"train": train, "valid": valid, "calib": calib, "test": test}
    masks = {}
    for name, rows in parts.items():
        mask = np.zeros(len(y), dtype=bool)
        mask[rows] = True
        masks[name] = mask
        values = y.to_numpy()[rows]
        if len(np.unique(values)) < 2:
            raise DataError(
                f"the {name} slice ({len(rows)} rows) holds only one class; "
                "more history or larger split shares are needed"
            )
    return Split(method=params.method, **masks)
