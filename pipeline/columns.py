"""Your CRM's columns and values -> the data contract's (params.yaml `data.columns`, `data.values`, `data.preset`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from leadsift.errors import ContractError
from leadsift.features.contact import normalize_domain
from leadsift.features.contract import nearest_column
from leadsift.params import DataParams
from leadsift.pipeline.crm import Preset, effective


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


def to_contract(
    frame: pd.DataFrame, data: DataParams, where: str, not_here: Iterable[str] = ()
) -> tuple[pd.DataFrame, list[str]]:
    """An export in the contract's columns: `data.columns` (strictly checked) and the preset's map renamed,
    first-of columns filled, URLs reduced to domains, value maps applied, outcomes built from the preset's
    rules; the export's other columns pass through. Also notes for the user (values no map covers)."""
    merged, preset = effective(data)
    check_mapping(list(frame.columns), data.columns, where, not_here)
    lenient = {old: new for old, new in merged.columns.items() if old in frame.columns}
    out = map_columns(frame, lenient, where)
    notes: list[str] = []
    if preset is not None:
        for target, sources in preset.first_of.items():
            if target not in out.columns and any(s in frame.columns for s in sources):
                out[target] = _first_filled([frame[s] for s in sources if s in frame.columns])
        for column in preset.domains:
            if column in out.columns:
                out[column] = normalize_domain(out[column])
        if preset.outcome is not None and "sales_status" not in out.columns and "sales_status" not in set(not_here):
            out, note = _outcomes(out, preset, merged.values.get("sales_status", {}))
            notes += note
    for column, mapping in merged.values.items():
        if column in out.columns and mapping:
            cells = out[column].astype("str").str.strip()
            out[column] = cells.map(mapping).where(cells.isin(set(mapping)), out[column])
    if "sales_status" in out.columns and "sales_status" in merged.values:
        notes += _uncovered(out["sales_status"], "sales_status", "data.values.sales_status")
    return out, notes


def _first_filled(columns: list[pd.Series]) -> pd.Series:
    out = columns[0].where(~_empty(columns[0]))
    for other in columns[1:]:
        out = out.where(out.notna(), other.where(~_empty(other)))
    return out


def _empty(cells: pd.Series) -> pd.Series:
    return cells.isna() | (cells.astype("str").str.strip() == "")


def _outcomes(frame: pd.DataFrame, preset: Preset, extra: dict[str, str]) -> tuple[pd.DataFrame, list[str]]:
    """sales_status and status_at from the preset's rules (first match wins), then `data.values.sales_status`."""
    status = pd.Series(pd.NA, index=frame.index, dtype="str")
    at = pd.Series(pd.NA, index=frame.index, dtype="str")
    matched = pd.Series(False, index=frame.index)
    rule_columns = []
    for rule in preset.outcome.rules:
        column = rule.column or preset.outcome.column
        if column not in frame.columns:
            continue
        rule_columns.append(column)
        cells = frame[column].astype("str").str.strip().where(~_empty(frame[column]), "")
        hit = ~matched & cells.isin(set(rule.values))
        status = status.where(~hit, rule.status or pd.NA)
        if rule.at is not None and rule.at in frame.columns:
            at = at.where(~hit, frame[rule.at].astype("str"))
        matched |= hit
    notes = []
    for column in dict.fromkeys(rule_columns):
        cells = frame[column].astype("str").str.strip()
        mapped = ~matched & cells.isin(set(extra))
        status = status.where(~mapped, cells.map(extra))
        matched |= mapped
        odd = cells[~matched & ~_empty(frame[column])].value_counts().head(5)
        if len(odd):
            found = ", ".join(f"{value!r} ({n:,} rows)" for value, n in odd.items())
            notes.append(f"{column} {found}: no outcome rule of the {preset.name} preset covers it, so no outcome; "
                         "map it under data.values.sales_status (accepted, rejected or unworked)")
    return frame.assign(sales_status=status, status_at=at), notes


def _uncovered(status: pd.Series, column: str, where: str) -> list[str]:
    cells = status.astype("str").str.strip().str.lower()
    odd = status[status.notna() & ~cells.isin(("accepted", "rejected", "unworked", ""))].value_counts().head(5)
    if not len(odd):
        return []
    found = ", ".join(f"{value!r} ({n:,} rows)" for value, n in odd.items())
    return [f"{column} {found}: no value map covers it, so no outcome; map it under {where}"]
