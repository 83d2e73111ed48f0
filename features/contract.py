"""The data contract (../shared/DATA_CONTRACT.md): column names, types, and parsing of raw text.

Raw files are read as text so that every input cell can be written back unchanged;
`parse_contract` derives typed columns next to them and says, per row, what could
not be parsed.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from leadsift.errors import ContractError
from leadsift.features.text import is_blank, lowered, stripped
from leadsift.features.values import parse_bool, parse_datetime, parse_number

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
#: Above these a value is a typo or a placeholder, not a lead's (the largest employer has ~2.1 million staff).
PLAUSIBLE_MAX = {"employees": 5e6, "page_views": 1e6, "form_fills": 1e5, "email_clicks": 1e6,
                 "annual_revenue": 1e13, "cost": 1e9, "won_amount": 1e12}
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




def mapping_hint(column: str) -> str:
    return (
        f"if your file names it differently, map it in params.yaml:\n"
        f"  data:\n    columns:\n      \"<your column name>\": {column}"
    )


def nearest_column(name: str, columns: Sequence[str]) -> str | None:
    """The column `name` most likely means: the same up to case, spaces and _ or -, else a close spelling."""

    def folded(text: str) -> str:
        return "".join(ch for ch in str(text).casefold() if ch.isalnum())

    same = [c for c in columns if folded(c) == folded(name)]
    if same:
        return same[0]
    close = difflib.get_close_matches(folded(name), [folded(c) for c in columns], n=1, cutoff=0.75)
    return next(c for c in columns if folded(c) == close[0]) if close else None


def require_columns(frame: pd.DataFrame, required: tuple[str, ...], what: str) -> None:
    """Stop with an error naming each missing required column, the column it may be, and the mapping that fixes it."""
    missing = [c for c in required if c not in frame.columns]
    if missing:
        columns = [str(c) for c in frame.columns]
        near = {c: nearest_column(c, columns) for c in missing}
        guesses = "; ".join(f"did you mean {n!r} for {c}?" for c, n in near.items() if n)
        have = ", ".join(columns[:25])
        raise ContractError(
            f"{what} is missing required column(s): {', '.join(missing)}. "
            + (f"{guesses} " if guesses else "")
            + f"Columns found: {have}{' ...' if frame.shape[1] > 25 else ''}. "
            + mapping_hint(missing[0])
        )


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
    decimal: str | None = ".",
    dayfirst: bool | None = None,
) -> Parsed:
    """Parse the contract columns present in `raw` (text) into typed columns.

    Unparsable, impossible or implausible values become missing and are noted per row; nothing is
    dropped. `decimal` and `dayfirst` are the export's number and date conventions (`data:` params).
    """
    index = raw.index
    typed: dict[str, pd.Series] = {}
    notes: list[tuple[pd.Series, str]] = []

    def note(mask: pd.Series, column: str, why: str) -> None:
        if bool(mask.any()):
            notes.append((mask, f"{column}: {why}"))

    for column in (LEAD_ID, *STRING_COLUMNS, *extra_categorical, *history_keys):
        if column in raw.columns and column not in typed:
            typed[column] = stripped(raw[column])
    for column in (*INTEGER_COLUMNS, *NUMBER_COLUMNS, *extra_numeric, "won_amount"):
        if column in raw.columns and column not in typed:
            values, bad = parse_number(raw[column], decimal or ".")
            note(bad, column, "not a number, ignored")
            if column in NON_NEGATIVE:
                negative = values < 0
                note(negative, column, "negative, ignored")
                values = values.where(~negative)
            if column in PLAUSIBLE_MAX:
                huge = values > PLAUSIBLE_MAX[column]
                note(huge, column, f"implausibly large (over {PLAUSIBLE_MAX[column]:,.0f}), ignored")
                values = values.where(~huge)
            typed[column] = values
    for column in (*BOOLEAN_COLUMNS, "closed_won"):
        if column in raw.columns:
            values, bad = parse_bool(raw[column])
            note(bad, column, "not true/false, ignored")
            typed[column] = values
    for column in (*DATETIME_COLUMNS, *(OUTCOME_DATETIMES if with_outcomes else ())):
        if column in raw.columns:
            dates = parse_datetime(raw[column], dayfirst)
            note(dates.bad, column, "not a date between 1970 and 2070, ignored")
            order = "day/month" if dates.dayfirst else "month/day"
            note(dates.unclear, column, f"day and month could be either way round: read as {order} (set data.dayfirst)")
            typed[column] = dates.values
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
