"""A lead history: the leads file (and outcomes file) read, mapped to the contract, parsed and labelled."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from leadsift.errors import ContractError
from leadsift.features.contract import (
    CREATED_AT,
    LEAD_ID,
    OUTCOME_COLUMNS,
    REQUIRED,
    Parsed,
    duplicate_ids,
    parse_contract,
    require_columns,
)
from leadsift.params import Params
from leadsift.pipeline.columns import map_columns
from leadsift.pipeline.files import read_table
from leadsift.pipeline.labels import make_labels


@dataclass(frozen=True)
class History:
    """A lead history: raw text columns, typed contract columns, and the label per row."""

    raw: pd.DataFrame
    parsed: Parsed
    y: pd.Series  # float 1/0, NaN where the row is excluded
    excluded: pd.Series  # str reason per row, "" when used
    as_of: pd.Timestamp | None


def load_history(data: Path | str, outcomes: Path | str | None, params: Params) -> History:
    """Read leads (and outcomes), check the contract, and label every row or say why it is left out."""
    raw = map_columns(read_table(data), params.data.columns)
    require_columns(raw, REQUIRED, f"leads file {data}")
    if params.split.method == "time":
        require_columns(
            raw,
            (CREATED_AT,),
            f"leads file {data} (split.method: time needs dates; use split.method: random for data without dates)",
        )
    dup = duplicate_ids(raw[LEAD_ID])
    if bool(dup.any()):
        first = raw.loc[dup, LEAD_ID].iloc[0]
        raise ContractError(
            f"leads file {data}: lead_id {first!r} appears more than once ({int(dup.sum())} duplicate "
            "row(s)); lead_id must be unique per lead: remove or merge the duplicates"
        )
    if outcomes is not None:
        raw = join_outcomes(raw, map_columns(read_table(outcomes), params.data.columns), str(outcomes))
    f = params.features
    parsed = parse_contract(raw, f.extra_numeric, f.extra_categorical, f.history_keys, with_outcomes=True)
    y, excluded, as_of = make_labels(parsed.typed, params.target, params.label, outcomes is not None)
    return History(raw=raw, parsed=parsed, y=y, excluded=excluded, as_of=as_of)


def join_outcomes(leads: pd.DataFrame, outcomes: pd.DataFrame, name: str) -> pd.DataFrame:
    """Left-join an outcomes file on lead_id, keeping every lead in its order."""
    require_columns(outcomes, (LEAD_ID,), f"outcomes file {name}")
    have = [c for c in OUTCOME_COLUMNS if c in outcomes.columns]
    if not have:
        raise ContractError(
            f"outcomes file {name} has none of the outcome columns {list(OUTCOME_COLUMNS)}; map yours in params.yaml data.columns"
        )
    dup = duplicate_ids(outcomes[LEAD_ID])
    if bool(dup.any()):
        first = outcomes.loc[dup, LEAD_ID].iloc[0]
        raise ContractError(f"outcomes file {name}: lead_id {first!r} has more than one outcome row; keep one per lead")
    overlap = [c for c in have if c in leads.columns]
    if overlap:
        raise ContractError(f"both the leads file and outcomes file {name} have {overlap}; keep outcomes in one place")
    joined = leads.merge(outcomes[[LEAD_ID, *have]], on=LEAD_ID, how="left", validate="one_to_one")
    joined.index = leads.index
    return joined
