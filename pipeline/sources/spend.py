"""The spend table: one row per source with what it cost in total, read and checked."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from leadsift.errors import ContractError
from leadsift.features.values import parse_number
from leadsift.pipeline.files import read_table


def read_spend(path: Path | str) -> pd.DataFrame:
    """A spend table (`source`, `spend`; one row per source) as source -> float spend."""
    frame = read_table(path)
    missing = [c for c in ("source", "spend") if c not in frame.columns]
    if missing:
        raise ContractError(
            f"spend file {path} is missing column(s) {missing}; it needs one row per source with "
            f"columns source, spend (total spend of that source). Columns found: {list(frame.columns)}"
        )
    return spend_table(frame, str(path))


def spend_table(frame: pd.DataFrame, name: str = "spend table") -> pd.DataFrame:
    """Check and normalise an in-memory spend table: stripped source names, numeric spend >= 0."""
    for column in ("source", "spend"):
        if column not in frame.columns:
            raise ContractError(f"{name} has no '{column}' column; it needs columns source, spend")
    source = frame["source"].astype("str").str.strip()
    if bool((frame["source"].isna() | (source == "")).any()):
        raise ContractError(f"{name} has a row without a source name; every row needs one")
    values, bad = parse_number(frame["spend"])
    if bool(bad.any()) or bool(values.isna().any()):
        first = frame.loc[bad | values.isna(), "spend"].iloc[0]
        raise ContractError(f"{name}: spend {first!r} is not a number; write plain numbers like 1250.50")
    if bool((values < 0).any()):
        first = frame.loc[values < 0, "source"].iloc[0]
        raise ContractError(f"{name}: spend for {first!r} is negative; spend must be 0 or more")
    dup = source.duplicated(keep=False)
    if bool(dup.any()):
        raise ContractError(f"{name}: source {source[dup].iloc[0]!r} appears more than once; keep one row per source")
    return pd.DataFrame({"source": source.to_numpy(), "spend": values.to_numpy()})
