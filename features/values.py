"""Cells as CRM exports write them -> typed values, and a mask of the cells that could not be read.

Numbers: currency symbols, spaces and thousands separators are stripped ("$2,158,000",
"€ 1.234,56"); a comma is the decimal mark where nothing else fits ("1,5", "12,50"); where a cell
reads both ways ("1.200", "1,500") the declared decimal mark decides (`data.decimal`, default ".").
Dates: ISO 8601, or day and month with a separator; the column's day/month order is taken from
`data.dayfirst`, else from its unambiguous cells (a day above 12), else month first, and each
cell that order leaves unclear is reported. Words that are not dates ("now", "today") are not
dates. Values outside what a lead can have (a date before 1970 or after 2070) are not read.

Each distinct cell of a column is parsed once (lead lists repeat their values); the results are
those of parsing every row, the day/month order included (it counts rows).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from leadsift.features.text import arrow_strings, distinct_text, is_blank, lowered, matches, per_row

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
_ISO_PLAIN = _ISO.replace(r"\s*", "").replace(r"\d", "[0-9]")  # for RE2
_BARE_NUMBER = r"^[0-9.,+eE-]*$"  # characters of numbers, none of them in _CURRENCY
EARLIEST, LATEST = pd.Timestamp("1970-01-01"), pd.Timestamp("2070-12-31")


class Dates(NamedTuple):
    values: pd.Series     # naive UTC datetime64[us]
    bad: pd.Series        # present but not a real date
    unclear: pd.Series    # read, but day and month could be either way round
    dayfirst: bool        # the order used for day/month cells


def parse_bool(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Text -> float 1/0/NaN, and a mask of cells that were present but not a boolean."""
    codes, distinct = distinct_text(text)
    norm = lowered(distinct)
    out = pd.Series(np.nan, index=distinct.index, dtype="float64")
    out[norm.isin(_TRUE)] = 1.0
    out[norm.isin(_FALSE)] = 0.0
    bad = ~is_blank(distinct) & out.isna()
    return per_row(out, codes, text.index), per_row(bad, codes, text.index)


def parse_number(text: pd.Series, decimal: str = ".") -> tuple[pd.Series, pd.Series]:
    """Text -> float, and a mask of cells that were present but not a number (see the module's rules)."""
    if pd.api.types.is_numeric_dtype(text) and not pd.api.types.is_bool_dtype(text):
        values = text.astype("float64")
        infinite = values.notna() & ~np.isfinite(values)
        return values.where(~infinite), infinite
    codes, distinct = distinct_text(text)
    values, bad = _parse_numbers(distinct, decimal)
    return per_row(values, codes, text.index, text.name), per_row(bad, codes, text.index, text.name)


def _parse_numbers(text: pd.Series, decimal: str) -> tuple[pd.Series, pd.Series]:
    """`parse_number` of text cells, each on its own."""
    blank = is_blank(text)
    s = _without_currency(text).where(~blank)
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


def _without_currency(text: pd.Series) -> pd.Series:
    """Text without currency symbols and codes or whitespace."""
    # _CURRENCY takes Python's regex (its \s and (?i:) are not RE2's): only for the cells that
    # have some character besides those of a bare number, which no part of it can match.
    odd = ~matches(arrow_strings(text.array), _BARE_NUMBER)
    if not odd.any():
        return text
    out = text.copy()
    out[odd] = text[odd].str.replace(_CURRENCY, "", regex=True)
    return out


def parse_datetime(text: pd.Series, dayfirst: bool | None = None) -> Dates:
    """Text -> naive UTC datetime64 (see the module's rules)."""
    if pd.api.types.is_datetime64_any_dtype(text):
        values = text
        if getattr(values.dt, "tz", None) is not None:
            values = values.dt.tz_convert("UTC").dt.tz_localize(None)
        values = values.astype("datetime64[us]")
        odd = values.notna() & ((values < EARLIEST) | (values > LATEST))
        return Dates(values.where(~odd), odd, pd.Series(False, index=text.index), bool(dayfirst))
    codes, distinct = distinct_text(text)
    dates = _parse_dates(distinct, np.bincount(codes, minlength=len(distinct)), dayfirst)
    return Dates(*(per_row(part, codes, text.index) for part in dates[:3]), dates.dayfirst)


def _parse_dates(text: pd.Series, counts: np.ndarray, dayfirst: bool | None) -> Dates:
    """`parse_datetime` of text cells, each on its own but for the day/month order, which weighs
    each cell by `counts` (how many rows hold it)."""
    blank = is_blank(text)
    s = text.str.strip().where(~blank)
    values = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us, UTC]")
    iso = _iso_cells(s)
    values[iso] = pd.to_datetime(s[iso], errors="coerce", format="ISO8601", utc=True)
    dm, dates, unclear, order = _day_month(s, s.notna() & ~iso, counts, dayfirst)
    if bool(dm.any()):
        values[dm] = dates
    year_first = _match_among(s, s.notna() & ~iso & ~dm, _YEAR_FIRST)
    if bool(year_first.any()):
        values[year_first] = pd.to_datetime(s[year_first], errors="coerce", format="mixed", utc=True)
    values = values.dt.tz_localize(None).astype("datetime64[us]")
    values = values.where((values >= EARLIEST) & (values <= LATEST))
    return Dates(values, ~blank & values.isna(), unclear & values.notna(), order)


def _day_month(
    s: pd.Series, rows: pd.Series, counts: np.ndarray, dayfirst: bool | None
) -> tuple[pd.Series, pd.Series | None, pd.Series, bool]:
    """The day/month cells among `rows` (only those are looked at: ISO cells never are): their mask,
    their dates in the column's order, which of them could be read either way, and that order."""
    unclear = pd.Series(False, index=s.index)
    if not bool(rows.any()):
        return unclear, None, unclear, bool(dayfirst)
    parts = s[rows].str.extract(_DAY_MONTH).reindex(s.index)
    dm = parts[0].notna()
    first, second = pd.to_numeric(parts[0], errors="coerce"), pd.to_numeric(parts[1], errors="coerce")
    order = dayfirst if dayfirst is not None else _day_first(first[dm], second[dm], counts[dm.to_numpy()])
    if not bool(dm.any()):
        return dm, None, unclear, bool(order)
    day, month = (first, second) if order else (second, first)
    year = parts[2].where(parts[2].str.len() == 4, "20" + parts[2])
    rebuilt = year + "-" + month.astype("Int64").astype("str") + "-" + day.astype("Int64").astype("str") + parts[3]
    dates = pd.to_datetime(rebuilt[dm], errors="coerce", format="mixed", utc=True)
    if dayfirst is None and not _decided(first[dm], second[dm]):
        unclear = dm & (first <= 12) & (second <= 12) & (first != second)
    return dm, dates, unclear, bool(order)


def _iso_cells(s: pd.Series) -> pd.Series:
    """Mask of the ISO 8601 cells: those of the plain shape by RE2, only the others by Python's regex."""
    # _ISO_PLAIN matches a subset of what _ISO does (no \s, ASCII digits, "$" only at the very end)
    plain = pd.Series(matches(arrow_strings(s.array), _ISO_PLAIN), index=s.index)
    return plain | _match_among(s, s.notna() & ~plain, _ISO)


def _match_among(s: pd.Series, rows: pd.Series, pattern: str) -> pd.Series:
    """Mask of the cells under `rows` that match `pattern` (`str.match`), looked at only there."""
    out = pd.Series(False, index=s.index)
    if bool(rows.any()):
        out[rows] = s[rows].str.match(pattern).fillna(False).astype(bool)
    return out


def _day_first(first: pd.Series, second: pd.Series, counts: np.ndarray) -> bool:
    """Day first when more cells (`counts` of each) can only be day/month than month/day."""
    return bool(counts[(first > 12).to_numpy()].sum() > counts[(second > 12).to_numpy()].sum())


def _decided(first: pd.Series, second: pd.Series) -> bool:
    """Whether some cell shows the order (a number above 12 on one side)."""
    return bool((first > 12).any() or (second > 12).any())
