"""Your CRM's column names -> the data contract's (params.yaml `data.columns`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from leadsift.errors import ContractError
from leadsift.features.contract import nearest_column


def check_mapping(columns: Sequence[str], mapping: dict[str, str], where: str, not_here: Iterable[str] = ()) -> None:
    """Every key of `data.columns` names a column of the file, unless the file has the contract name already
    or the key maps to a column this file is not expected to hold (`not_here`, e.g. outcomes in a new list)."""
    skip = set(not_here)
    for old, new in mapping.items():
        if old in columns or new in columns or new in skip:
            continue
        near = nearest_column(old, columns)
        hint = f"did you mean {near!r}?" if near else f"columns found: {', '.join(map(str, list(columns)[:20]))}"
        raise ContractError(f"params data.columns maps {old!r} to {new}, but {where} has no column {old!r}; {hint}")


def map_columns(frame: pd.DataFrame, mapping: dict[str, str], where: str, not_here: Iterable[str] = ()) -> pd.DataFrame:
    """Rename CRM column names to contract names (params.yaml `data.columns`), after `check_mapping`."""
    if not mapping:
        return frame
    check_mapping(list(frame.columns), mapping, where, not_here)
    present = {old: new for old, new in mapping.items() if old in frame.columns}
    clashes = [new for old, new in present.items() if new in frame.columns and new != old]
    if clashes:
        raise ContractError(
            f"params data.columns maps a column onto {clashes[0]!r}, but {where} already has a "
            f"column named {clashes[0]!r}; remove one of them or the mapping"
        )
    return frame.rename(columns=present)
