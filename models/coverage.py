"""How much the model leans on each input column, and what a list that lacks one could score.

Training records, per input column, its share of the model's gain (the gain of every feature built
from it), how often training leads had it filled, and a few typical values. Scoring a list that
leaves a leaned-on column empty then reports the range the expected rate could take: each empty
cell is tried with those typical values, and the lowest and highest probabilities are kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from leadsift.features.contract import BOOLEAN_COLUMNS
from leadsift.features.inputs import feature_inputs
from leadsift.params import FeatureParams

LEANED_ON = 0.05   # a column behind at least this share of the model's gain
EMPTIER = 0.5      # ... filled in fewer than this share of the rows it was filled in at training


@dataclass(frozen=True)
class InputRecord:
    gain_share: float               # share of the model's total gain from features built on this column
    fill_rate: float                # share of training leads with it filled
    candidates: tuple[str, ...]     # typical training values, as text, to try where a list leaves it empty


def input_records(
    importance: np.ndarray, features: list[str], params: FeatureParams, typed: pd.DataFrame
) -> dict[str, InputRecord]:
    """Per input column behind any feature: its share of the model's `importance` (per feature: gain
    for trees, mean absolute contribution for the logistic model), training fill rate, typical values."""
    gain = np.asarray(importance, dtype="float64")
    total = gain.sum() or 1.0
    share: dict[str, float] = {}
    for name, g in zip(features, gain, strict=True):
        for column in feature_inputs(name, params):
            share[column] = share.get(column, 0.0) + g / total
    return {
        column: InputRecord(round(min(s, 1.0), 6), _fill_rate(typed, column), _candidates(typed, column))
        for column, s in sorted(share.items(), key=lambda kv: -kv[1])
    }


def _fill_rate(typed: pd.DataFrame, column: str) -> float:
    return float(typed[column].notna().mean()) if column in typed.columns and len(typed) else 0.0


def _candidates(typed: pd.DataFrame, column: str) -> tuple[str, ...]:
    if column not in typed.columns or not typed[column].notna().any():
        return ()
    values = typed[column].dropna()
    if column in BOOLEAN_COLUMNS:
        return ("true", "false")
    if pd.api.types.is_numeric_dtype(values):
        return tuple(dict.fromkeys(f"{q:g}" for q in values.quantile([0.05, 0.5, 0.95])))
    return tuple(str(v) for v in values.value_counts().index[:3])


def uncovered(records: dict[str, InputRecord], fill: dict[str, float]) -> list[str]:
    """Leaned-on columns a list lacks or leaves much emptier than training did, most leaned on first."""
    return [
        column for column, r in records.items()
        if r.gain_share >= LEANED_ON and r.candidates and fill.get(column, 0.0) < EMPTIER * r.fill_rate
    ]


def coverage_note(records: dict[str, InputRecord], fill: dict[str, float], columns: list[str]) -> str:
    """One line a marketer reads: what is missing and how much the model leans on it."""
    parts = []
    for column in columns:
        r = records[column]
        have = "absent" if column not in fill else f"filled in {fill[column]:.0%} of rows"
        parts.append(f"{column} {have} (filled in {r.fill_rate:.0%} of training leads; {r.gain_share:.0%} of the model's gain)")
    return "; ".join(parts)


def probability_range(
    score: Callable[[pd.DataFrame], np.ndarray], raw: pd.DataFrame, records: dict[str, InputRecord], columns: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the lowest and highest p_accept when the cells of `columns` a row leaves empty take any of
    their typical training values (one column after another, keeping each row's lowest and highest)."""
    base = score(raw)
    ends = []
    for pick in (np.less, np.greater):
        frame, best = raw.copy(), base.copy()
        for column in columns:
            cells = frame[column] if column in frame.columns else pd.Series(pd.NA, index=frame.index, dtype="str")
            empty = (cells.isna() | (cells.astype("str").str.strip() == "")).to_numpy()
            chosen = cells.astype("str").where(~pd.Series(empty, index=frame.index))
            for value in records[column].candidates:
                p = score(frame.assign(**{column: chosen.where(~pd.Series(empty, index=frame.index), value)}))
                better = empty & pick(np.nan_to_num(p, nan=0.5), np.nan_to_num(best, nan=0.5))
                best = np.where(better, p, best)
                chosen = chosen.where(~pd.Series(better, index=frame.index), value)
            frame = frame.assign(**{column: chosen})
        ends.append(best)
    return ends[0], ends[1]
