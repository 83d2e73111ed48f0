"""The data contract (../shared/DATA_CONTRACT.md): column names, types, and parsing of raw text.

Raw files are read as text so that every input cell can be written back unchanged;
`parse_contract` derives typed columns next to them and says, per row, what could
not be parsed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from leadsift.errors import ContractError
from leadsift.features.text import is_blank, lowered

LEAD_ID = "lead_id"
CREATED_AT = "created_at"
SOURCE = "source"

REQUIRED = (LEAD_ID, SOURCE)

STRING_COLUMNS = (
    "source", "source_type", "email", "phone", "first_name", "last_name", "job_title",
    "company", "company_domain", "industry", "country",
)
INTEGER_COLUMNS = ("employees", "page_views", "form_fills", "email_clicks")
NUMBER_COLUMNS = ("cost", "annual_revenue")
NON_NEGATIVE = ("employees", "page_views", "form_fills", "email_clicks", "cost", "annual_revenue")
BOOLEAN_COLUMNS = (
    "webinar_attended", "demo_requested", "budget", "authority", "need", "timing",
)
DATETIME_COLUMNS = ("created_at", "last_activity_at")

OUTCOME_COLUMNS = ("sales_status", "status_at", "closed_won", "won_at", "won_amount")
OUTCOME_DATETIMES = ("status_at", "won_at")

LEAD_COLUMNS = (
    (LEAD_ID,) + DATETIME_COLUMNS[:1] + STRING_COLUMNS[:1] + ("source_type", "cost")
    + ("email", "phone", "first_name", "last_name", "job_title", "company", "company_domain")
    + ("employees", "annual_revenue", "industry", "country")
    + ("page_views", "form_fills", "email_clicks", "webinar_attended", "demo_requested")
    + ("last_activity_at", "budget", "authority", "need", "timing")
)

SOURCE_TYPES = (
    "inbound_demo", "webinar", "content", "tradeshow", "prize_draw", "purchased_list",
    "referral", "partner", "paid_search", "organic", "social", "email", "other",
)
SALES_STATUSES = ("accepted", "rejected", "unworked")

PERSONAL_COLUMNS = ("email", "phone", "first_name", "last_name")

_DATE_SHAPE = (
    r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AaPp][Mm])?)?"
    r"(?:\s*(?:Z|[+-]\d{2}:?\d{2}|UTC))?$"
)

_TRUE = {"true", "yes", "y", "1", "t", "1.0"}
_FALSE = {"false", "no", "n", "0", "f", "0.0"}


def mapping_hint(column: str) -> str:
    return (
        f"if your file names it differently, map it in params.yaml:\n"
        f"  data:\n    columns:\n      \"<your column name>\": {column}"
    )


def require_columns(frame: pd.DataFrame, required: tuple[str, ...], what: str) -> None:
    """Stop with an error naming each missing required column and the mapping that fixes it."""
    missing = [c for c in required if c not in frame.columns]
    if missing:
        have = ", ".join(map(str, list(frame.columns)[:25]))
        raise ContractError(
            f"{what} is missing required column(s): {', '.join(missing)}. "
            f"Columns found: {have}{' ...' if frame.shape[1] > 25 else ''}. "
            + mapping_hint(missing[0])
        )


def parse_bool(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Text -> float 1/0/NaN, and a mask of cells that were present but not a boolean."""
    norm = lowered(text)
    blank = is_blank(text)
    out = pd.Series(np.nan, index=text.index, dtype="float64")
    out[norm.isin(_TRUE)] = 1.0
    out[norm.isin(_FALSE)] = 0.0
    bad = ~blank & out.isna()
    return out, bad


def parse_number(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Text -> float, and a mask of cells that were present but not a number."""
    if pd.api.types.is_numeric_dtype(text) and not pd.api.types.is_bool_dtype(text):
        values = text.astype("float64")
        return values, pd.Series(False, index=text.index)
    blank = is_blank(text)
    cleaned = text.astype("str").str.strip().str.replace(",", "", regex=False)
    values = pd.to_numeric(cleaned.where(~blank), errors="coerce").astype("float64")
    bad = ~blank & values.isna()
    values = values.where(np.isfinite(values))
    bad = bad | (~blank & values.isna())
    return values, bad


def parse_datetime(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Text -> naive UTC datetime64, and a mask of cells that were present but not a real date."""
    if pd.api.types.is_datetime64_any_dtype(text):
        values = text
        if getattr(values.dt, "tz", None) is not None:
            values = values.dt.tz_convert("UTC").dt.tz_localize(None)
        return values.astype("datetime64[us]"), pd.Series(False, index=text.index)
    blank = is_blank(text)
    stripped = text.astype("str").str.strip().where(~blank)
    values = pd.to_datetime(stripped, errors="coerce", format="ISO8601", utc=True)
    if values.isna().sum() > blank.sum():
        # Not every CRM writes strict ISO 8601 ("11/23/2026 10:00"); retry what looks like a date.
        retry = values.isna() & ~blank & stripped.str.contains(_DATE_SHAPE, regex=True).fillna(False).astype(bool)
        if bool(retry.any()):
            values = values.copy()
            values[retry] = pd.to_datetime(stripped[retry], errors="coerce", format="mixed", utc=True)
    values = values.dt.tz_localize(None).astype("datetime64[us]")
    implausible = values.notna() & ((values.dt.year < 1900) | (values.dt.year > 2200))
    values = values.where(~implausible)
    bad = ~blank & values.isna()
    return values, bad


@dataclass(frozen=True)
class Parsed:
    """Typed contract columns (same index as the raw frame) and per-row problem notes."""

    typed: pd.DataFrame
    problems: pd.Series  # str per row: "" or "; "-joined notes


def parse_contract(
    raw: pd.DataFrame,
    extra_numeric: tuple[str, ...] = (),
    extra_categorical: tuple[str, ...] = (),
    history_keys: tuple[str, ...] = (),
    with_outcomes: bool = False,
) -> Parsed:
    """Parse the contract columns present in `raw` (text) into typed columns.

    Unparsable or impossible values become missing and are noted per row; nothing is dropped.
    """
    index = raw.index
    typed: dict[str, pd.Series] = {}
    notes: list[tuple[pd.Series, str]] = []

    def note(mask: pd.Series, column: str, why: str) -> None:
        if bool(mask.any()):
            notes.append((mask, f"{column}: {why}"))

    for column in (LEAD_ID, *STRING_COLUMNS, *extra_categorical, *history_keys):
        if column in raw.columns and column not in typed:
            text = raw[column].astype("str").where(~is_blank(raw[column]))
            typed[column] = text.str.strip()
    for column in (*INTEGER_COLUMNS, *NUMBER_COLUMNS, *extra_numeric, "won_amount"):
        if column in raw.columns and column not in typed:
            values, bad = parse_number(raw[column])
            note(bad, column, "not a number, ignored")
            if column in NON_NEGATIVE:
                negative = values < 0
                note(negative, column, "negative, ignored")
                values = values.where(~negative)
            typed[column] = values
    for column in (*BOOLEAN_COLUMNS, "closed_won"):
        if column in raw.columns:
            values, bad = parse_bool(raw[column])
            note(bad, column, "not true/false, ignored")
            typed[column] = values
    for column in (*DATETIME_COLUMNS, *(OUTCOME_DATETIMES if with_outcomes else ())):
        if column in raw.columns:
            values, bad = parse_datetime(raw[column])
            note(bad, column, "not a date, ignored")
            typed[column] = values
    if with_outcomes and "sales_status" in raw.columns:
        status = lowered(raw["sales_status"]).where(~is_blank(raw["sales_status"]))
        bad = status.notna() & ~status.isin(SALES_STATUSES)
        note(bad, "sales_status", f"not one of {'/'.join(SALES_STATUSES)}, treated as no outcome")
        typed["sales_status"] = status.where(~bad)
    if SOURCE in raw.columns:
        note(typed[SOURCE].isna(), SOURCE, "missing")
    if LEAD_ID in raw.columns:
        note(typed[LEAD_ID].isna(), LEAD_ID, "missing")

    frame = pd.DataFrame(typed, index=index)
    return Parsed(typed=frame, problems=join_notes(index, notes))


def join_notes(index: pd.Index, notes: list[tuple[pd.Series, str]]) -> pd.Series:
    """One "; "-joined string per row from (mask, text) pairs, vectorized."""
    joined = np.full(len(index), "", dtype=object)
    for mask, text in notes:
        m = np.asarray(mask, dtype=bool)
        joined[m] = np.where(joined[m] == "", text, joined[m] + "; " + text)
    return pd.Series(joined, index=index, dtype="str")


def duplicate_ids(lead_ids: pd.Series) -> pd.Series:
    """Mask of rows whose lead_id appeared on an earlier row."""
    return lead_ids.notna() & lead_ids.duplicated(keep="first")
