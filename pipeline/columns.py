"""Your CRM's column names -> the data contract's (params.yaml `data.columns`)."""

from __future__ import annotations

import pandas as pd

from leadsift.errors import ContractError


def map_columns(frame: pd.DataFrame, mapping: dict[str, str]) -> pd.DataFrame:
    """Rename CRM column names to contract names (params.yaml `data.columns`)."""
    if not mapping:
        return frame
    present = {old: new for old, new in mapping.items() if old in frame.columns}
    clashes = [new for old, new in present.items() if new in frame.columns and new != old]
    if clashes:
        raise ContractError(
            f"params data.columns maps a column onto {clashes[0]!r}, but the file already has a "
            f"column named {clashes[0]!r}; remove one of them or the mapping"
        )
    return frame.rename(columns=present)
