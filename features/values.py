"""Cells as CRM exports write them -> typed values, and a mask of the cells that could not be read.

Numbers: currency symbols, spaces and thousands separators are stripped ("$2,158,000",
"€ 1.234,56"); a comma is the decimal mark where nothing else fits ("1,5", "12,50"); where a cell
reads both ways ("1.200", "1,500") the declared decimal mark decides (`data.decimal`, default ".").
Dates: ISO 8601, or day and month with a separator; the column's day/month order is taken from
`data.dayfirst`, else from its unambiguous cells (a day above 12), else month first, and each
cell that order leaves unclear is reported. Words that are not dates ("now", "today") are not
dates. Values outside what a lead can have (a date before 1970 or after 2070) are not read.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from leadsift.features.text import is_blank, lowered

_TRUE = {"true", "yes", "y", "1", "t", "1.0"}
_FALSE = {"false", "no", "n", "0", "f", "0.0"}

_CURRENCY = r"[\s\u00a0\u202f$€£¥₹]|(?i:usd|eur|gbp|chf)"
_PLAIN = r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$"
_COMMA_THOUSANDS = r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$"
_DOT_THOUSANDS = r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$"
_COMMA_DECIMAL = r"^[+-]?\d*,\d+$"

_ISO = r"^\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*(?:Z|[+-]\d{2}:?\d{2}|UTC)?$"
_DAY_MONTH = r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})((?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AaPp][Mm])?)?)$"
_YEAR_FIRST = r"^\d{4}[/.]\d{1,2}[/.]\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"
EARLIEST, LATEST = pd.Timestamp("1970-01-01"), pd.Timestamp("2070-12-31")


class Dates(NamedTuple):
    values: pd.Series     # naive UTC datetime64[us]
    bad: pd.Series        # present but not a real date
    unclear: pd.Series    # read, but day and month could be either way round
    dayfirst: bool        # the order used for day/month cells


def parse_bool(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Text -> float 1/0/NaN, and a mask of cells that were present but not a boolean."""
    norm = lowered(text)
    blank = is_blank(text)
    out = pd.Series(np.nan, index=text.index, dtype="float64")
    out[norm.isin(_TRUE)] = 1.0
    out[norm.isin(_FALSE)] = 0.0
    return out, ~blank & out.isna()


def parse_number(text: pd.Series, decimal: str = ".") -> tuple[pd.Series, pd.Series]:
    """Text -> float, and a mask of cells that were present but not a number (see the module's rules)."""
    if pd.api.types.is_numeric_dtype(text) and not pd.api.types.is_bool_dtype(text):
        values = text.astype("float64")
        infinite = values.notna() & ~np.isfinite(values)
        return values.where(~infinite), infinite
    blank = is_blank(text)
    s = text.astype("str").str.replace(_CURRENCY, "", regex=True).where(~blank)
    plain, comma_k = s.str.match(_PLAIN).fillna(False), s.str.match(_COMMA_THOUSANDS).fillna(False)
    dot_k, comma_d = s.str.match(_DOT_THOUSANDS).fillna(False), s.str.match(_COMMA_DECIMAL).fillna(False)
    if decimal == ",":
        european = comma_d | dot_k  # "1.200" is 1200, "1,5" is 1.5
        us = (plain | comma_k) & ~european
    else:
        us = plain | comma_k  # "1.200" is 1.2, "1,500" is 1500
        european = (comma_d | dot_k) & ~us
    cleaned = s.where(~us, s.str.replace(",", "", regex=False))
    cleaned = cleaned.where(~european, s.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    values = pd.to_numeric(cleaned.where(us | european), errors="coerce").astype("float64")
    values = values.where(np.isfinite(values))
    return values, ~blank & values.isna()


def parse_datetime(text: pd.Series, dayfirst: bool | None = None) -> Dates:
    """Text -> naive UTC datetime64 (see the module's rules)."""
    false = pd.Series(False, index=text.index)
    if pd.api.types.is_datetime64_any_dtype(text):
        values = text
        if getattr(values.dt, "tz", None) is not None:
            values = values.dt.tz_convert("UTC").dt.tz_localize(None)
        values = values.astype("datetime64[us]")
        odd = values.notna() & ((values < EARLIEST) | (values > LATEST))
        return Dates(values.where(~odd), odd, false, bool(dayfirst))
    blank = is_blank(text)
    s = text.astype("str").str.strip().where(~blank)
    values = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us, UTC]")
    iso = s.str.match(_ISO).fillna(False).astype(bool)
    values[iso] = pd.to_datetime(s[iso], errors="coerce", format="ISO8601", utc=True)
    parts = s.str.extract(_DAY_MONTH)
    dm = parts[0].notna() & ~iso
    first, second = pd.to_numeric(parts[0], errors="coerce"), pd.to_numeric(parts[1], errors="coerce")
    order = dayfirst if dayfirst is not None else _day_first(first[dm], second[dm])
    unclear = false.copy()
    if bool(dm.any()):
        day, month = (first, second) if order else (second, first)
        year = parts[2].where(parts[2].str.len() == 4, "20" + parts[2])
        rebuilt = year + "-" + month.astype("Int64").astype("str") + "-" + day.astype("Int64").astype("str") + parts[3]
        values[dm] = pd.to_datetime(rebuilt[dm], errors="coerce", format="mixed", utc=True)
        if dayfirst is None and not _decided(first[dm], second[dm]):
            unclear = dm & (first <= 12) & (second <= 12) & (first != second)
    year_first = s.str.match(_YEAR_FIRST).fillna(False).astype(bool) & ~iso & ~dm
    if bool(year_first.any()):
        values[year_first] = pd.to_datetime(s[year_first], errors="coerce", format="mixed", utc=True)
    values = values.dt.tz_localize(None).astype("datetime64[us]")
    values = values.where((values >= EARLIEST) & (values <= LATEST))
    return Dates(values, ~blank & values.isna(), unclear & values.notna(), bool(order))


def _day_first(first: pd.Series, second: pd.Series) -> bool:
    """Day first when more cells can only be day/month than month/day."""
    return bool((first > 12).sum() > (second > 12).sum())


def _decided(first: pd.Series, second: pd.Series) -> bool:
    """Whether some cell shows the order (a number above 12 on one side)."""
    return bool((first > 12).any() or (second > 12).any())
