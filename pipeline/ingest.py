"""A lead history: the leads file (and outcomes file) read, mapped to the contract, parsed and labelled."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
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
from leadsift.pipeline.columns import to_contract
from leadsift.pipeline.crm import effective
from leadsift.pipeline.files import read_table
from leadsift.pipeline.labels import has_outcomes, make_labels, no_labels


@dataclass(frozen=True)
class History:
    """A lead history: raw text columns, typed contract columns, and the label per row."""

    raw: pd.DataFrame
    parsed: Parsed
    y: pd.Series  # float 1/0, NaN where the row is excluded
    excluded: pd.Series  # str reason per row, "" when used
    as_of: pd.Timestamp | None
    notes: tuple[str, ...] = ()  # what the user should know about the input (printed by the commands)


def load_history(data: Path | str, outcomes: Path | str | None, params: Params, sheet: str | None = None,
                 needs_outcomes: bool = True) -> History:
    """Read leads (and outcomes), check the contract, and label every row or say why it is left out.

    `sheet`: the worksheet of an .xlsx leads file (default its first; an .xlsx outcomes file is read from its first).
    `needs_outcomes=False`: a file without outcome columns is read with every row unlabelled (new leads).
    """
    raw = read_table(data, sheet=sheet)
    raw, notes = to_contract(raw, params.data, f"leads file {data}", not_here=OUTCOME_COLUMNS if outcomes is not None else ())
    if params.split.method == "order":
        raw, more = row_ids(raw, data)
        notes += more
    require_columns(raw, REQUIRED, f"leads file {data}")
    if params.split.method == "time":
        require_columns(
            raw,
            (CREATED_AT,),
            f"leads file {data} (split.method: time needs dates; use split.method: random for data without dates)",
        )
    dup = duplicate_ids(lead_keys(raw[LEAD_ID]))
    if bool(dup.any()):
        first = raw.loc[dup, LEAD_ID].iloc[0]
        raise ContractError(
            f"leads file {data}: lead_id {first!r} appears more than once ({int(dup.sum())} duplicate "
            "row(s), spaces around ids ignored); lead_id must be unique per lead: remove or merge the duplicates"
        )
    if outcomes is not None:
        table = read_table(outcomes)
        not_here = [new for new in params.data.columns.values() if new not in (LEAD_ID, *OUTCOME_COLUMNS)]
        table, more = to_contract(table, params.data, f"outcomes file {outcomes}", not_here)
        notes += more
        raw, unmatched = join_outcomes(raw, table, str(outcomes))
        if unmatched:
            notes.append(f"{unmatched:,} outcome row(s) in {outcomes} have a lead_id that is not in {data}: not used")
    f = params.features
    hints, _ = effective(params.data)
    parsed = parse_contract(raw, f.extra_numeric, f.extra_categorical, f.history_keys, with_outcomes=True,
                            decimal=hints.decimal, dayfirst=hints.dayfirst)
    if params.split.method == "order":
        parsed = Parsed(typed=row_clock(parsed.typed), problems=parsed.problems)
    if needs_outcomes or has_outcomes(parsed.typed, params.target):
        y, excluded, as_of = make_labels(parsed.typed, params.target, params.label, outcomes is not None)
    else:
        y, excluded, as_of = no_labels(parsed.typed, params.label)
    notes += outcome_date_notes(parsed.typed)
    return History(raw=raw, parsed=parsed, y=y, excluded=excluded, as_of=as_of, notes=tuple(notes))


ROW_CLOCK_START = pd.Timestamp("1970-01-01")


def row_ids(raw: pd.DataFrame, data: Path | str) -> tuple[pd.DataFrame, list[str]]:
    """split.method: order. Rows without a lead_id column are named by their row number (1 = the first
    data row), so that every output can point back at the file."""
    if CREATED_AT in raw.columns:
        raise ContractError(
            f"leads file {data} has created_at, and split.method: order is for files without dates whose rows "
            "are in time order: use split.method: time"
        )
    if LEAD_ID in raw.columns:
        return raw, []
    ids = pd.Series(np.arange(1, len(raw) + 1), index=raw.index).astype("str")
    return raw.assign(**{LEAD_ID: ids}), [f"the file has no lead_id: its {len(raw):,} rows are named by row number (1, 2, ...)"]


def row_clock(typed: pd.DataFrame) -> pd.DataFrame:
    """split.method: order. The file's rows are its time: row k is taken as created on day k, so the
    time split and the point-in-time history walk forward in file order, and day windows
    (history_window_days, committee_window_days) count rows. An outcome with no date of its own is
    known from the next row on."""
    created = pd.Series(ROW_CLOCK_START + pd.to_timedelta(np.arange(1, len(typed) + 1), unit="D"),
                        index=typed.index).astype("datetime64[us]")
    out = typed.assign(**{CREATED_AT: created})
    if "sales_status" in out.columns and "status_at" not in out.columns:
        decided = out["sales_status"].isin(("accepted", "rejected"))
        out["status_at"] = created.where(decided)
    if "closed_won" in out.columns and "won_at" not in out.columns:
        out["won_at"] = created.where(out["closed_won"] == 1.0)
    return out


def lead_keys(ids: pd.Series) -> pd.Series:
    """lead_ids as the keys they stand for: " T1" and "T1" are the same lead."""
    return ids.astype("str").str.strip().where(ids.notna())


def join_outcomes(leads: pd.DataFrame, outcomes: pd.DataFrame, name: str) -> tuple[pd.DataFrame, int]:
    """Left-join an outcomes file on lead_id, keeping every lead in its order; also how many outcome rows
    matched no lead."""
    require_columns(outcomes, (LEAD_ID,), f"outcomes file {name}")
    have = [c for c in OUTCOME_COLUMNS if c in outcomes.columns]
    if not have:
        raise ContractError(
            f"outcomes file {name} has none of the outcome columns {list(OUTCOME_COLUMNS)}; map yours in params.yaml data.columns"
        )
    keys = lead_keys(outcomes[LEAD_ID])
    dup = duplicate_ids(keys)
    if bool(dup.any()):
        first = outcomes.loc[dup, LEAD_ID].iloc[0]
        raise ContractError(f"outcomes file {name}: lead_id {first!r} has more than one outcome row; keep one per lead")
    overlap = [c for c in have if c in leads.columns]
    if overlap:
        raise ContractError(f"both the leads file and outcomes file {name} have {overlap}; keep outcomes in one place")
    right = outcomes[have].assign(_key=keys.to_numpy())
    joined = leads.assign(_key=lead_keys(leads[LEAD_ID]).to_numpy()).merge(right, on="_key", how="left", validate="one_to_one")
    joined.index = leads.index
    unmatched = int((keys.notna() & ~keys.isin(set(joined["_key"].dropna()))).sum())
    return joined.drop(columns="_key"), unmatched


def outcome_date_notes(typed: pd.DataFrame) -> list[str]:
    """Outcomes dated before their lead was created: counted, and how history features treat them."""
    notes = []
    for column in ("status_at", "won_at"):
        if column in typed.columns and CREATED_AT in typed.columns:
            early = int((typed[column] < typed[CREATED_AT]).sum())
            if early:
                notes.append(
                    f"{early:,} lead(s) have {column} before created_at (a CRM data-entry slip?): history features "
                    "count such an outcome from the lead's created_at, never earlier"
                )
    return notes
