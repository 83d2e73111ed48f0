"""Cells as CRM exports write them: local number formats, day/month order, words that are not dates,
values no lead can have."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadsift.features import values as v
from leadsift.features.contract import parse_contract
from leadsift.features.values import parse_bool, parse_datetime, parse_number


@pytest.mark.parametrize(
    ("cell", "point", "comma"),
    [
        ("1.200,50", 1200.5, 1200.5), ("€ 1.234,56", 1234.56, 1234.56), ("$2,158,000", 2158000, 2158000),
        ("1,5", 1.5, 1.5), ("12,50", 12.5, 12.5), ("1,500", 1500, 1.5), ("1.200", 1.2, 1200), ("1.5", 1.5, 1.5),
        ("-3", -3, -3), ("2.5e3", 2500, 2500), ("USD 99", 99, 99), ("1 234", 1234, 1234),
    ],
)
def test_numbers_in_local_formats(cell, point, comma):
    for decimal, expected in ((".", point), (",", comma)):
        values, bad = parse_number(pd.Series([cell]), decimal)
        assert values[0] == pytest.approx(expected) and not bad[0], (cell, decimal, values[0])


@pytest.mark.parametrize("cell", ["twelve", "1,2,3", "1.2.3,4,5", "12-", "$", "inf", "nan"])
def test_what_is_not_a_number_is_flagged(cell):
    values, bad = parse_number(pd.Series([cell]))
    assert np.isnan(values[0]) and bad[0]


def test_day_month_order_comes_from_the_unambiguous_cells():
    dates = parse_datetime(pd.Series(["02/03/2026", "25/03/2026", "2026-04-01"]))
    assert dates.dayfirst
    assert dates.values.dt.strftime("%Y-%m-%d").tolist() == ["2026-03-02", "2026-03-25", "2026-04-01"]
    assert not dates.unclear.any()
    us = parse_datetime(pd.Series(["02/03/2026", "03/25/2026 10:00 PM"]))
    assert not us.dayfirst and us.values[0] == pd.Timestamp("2026-02-03") and us.values[1] == pd.Timestamp("2026-03-25 22:00")


def test_unclear_cells_are_reported_and_the_declared_order_wins():
    unclear = parse_datetime(pd.Series(["02/03/2026", "05/05/2026", "04/07/26"]))
    assert unclear.unclear.tolist() == [True, False, True]
    declared = parse_datetime(pd.Series(["02/03/2026"]), dayfirst=True)
    assert declared.values[0] == pd.Timestamp("2026-03-02") and not declared.unclear.any()


@pytest.mark.parametrize("cell", ["now", "today", "yesterday", "2099-01-01", "1899-12-31", "31/31/2026", "2026-02-30"])
def test_words_and_implausible_dates_are_not_dates(cell):
    dates = parse_datetime(pd.Series([cell]))
    assert pd.isna(dates.values[0]) and dates.bad[0]


def test_parse_contract_notes_each_problem_per_row():
    raw = pd.DataFrame({
        "lead_id": ["a", "b", "c"], "source": ["x", "x", "x"],
        "employees": ["1.200,50", "1e30", "80"], "page_views": ["10", str(10**12), "3"],
        "created_at": ["02/03/2026", "now", "2026-01-05"],
    })
    parsed = parse_contract(raw)
    assert parsed.typed["employees"].tolist()[0] == pytest.approx(1200.5)
    assert np.isnan(parsed.typed["employees"][1]) and np.isnan(parsed.typed["page_views"][1])
    problems = parsed.problems.tolist()
    assert "created_at: day and month could be either way round: read as month/day (set data.dayfirst)" in problems[0]
    assert "employees: implausibly large" in problems[1] and "page_views: implausibly large" in problems[1]
    assert "created_at: not a date" in problems[1]
    assert problems[2] == ""


def test_the_spend_table_reads_local_formats_too():
    from leadsift.pipeline.sources.spend import spend_table

    table = spend_table(pd.DataFrame({"source": ["Expo", "Webinar", "Ads"], "spend": ["12,50", "€ 1.234,56", "$2,158,000"]}))
    assert table["spend"].tolist() == pytest.approx([12.5, 1234.56, 2158000])


# --------------------------------------------------------------------------- per distinct value = per row
# The parsers work once per distinct cell; these compare them with the same rules applied to every row.

_NUMBER_CELLS = [
    "1.200,50", "€ 1.234,56", "$2,158,000", "1,5", "1,500", "1.200", "-0", "+0", "0", "-0.0", "USD 99", "uſd 5",
    "Eur 7", "1 234", "1\u00a0234", "1\u2009234", "\u0663\u0664", "2.5e3", "inf", "nan", "", "  ", "12-", "1,2,3",
    "9223372036854775808", "1.5\n", "7", "x",
]
_DATE_CELLS = [
    "2024-01-05", "2024-1-5 10:00", "2024-01-05T10:00:00Z", " 2024-01-05 ", "2024-01-05 10:00 +01:00",
    "2024-01-05  UTC", "2024-01-05\u00a0Z", "\u0662\u0660\u0662\u0664-01-05", "05/01/2024", "13/01/2024",
    "01/13/24", "02.03.2026 10:00 PM", "2024/01/05", "2024.1.5 10:00", "now", "", " ", "2099-01-01", "31/31/2026",
]


def _cells(pool: list[str], alphabet: str) -> st.SearchStrategy[list[str | None]]:
    """Columns of repeated, unique, blank and missing cells."""
    cell = st.one_of(st.none(), st.sampled_from(pool), st.text(alphabet=alphabet, max_size=10))
    return st.lists(cell, max_size=40)


def _column(values: list[str | None], dtype: str) -> pd.Series:
    index = pd.Index([f"r{len(values) - i}" for i in range(len(values))])
    return pd.Series(values, index=index, dtype=dtype, name="cost")


def _per_row(values: list[str | None], dtype: str) -> pd.Series:
    """The column as text, each row a cell of its own."""
    return _column(values, dtype).astype("str")


@settings(max_examples=80, deadline=None)
@given(_cells(_NUMBER_CELLS, "0123456789.,+-eE $€uſsdUSD\u00a0\u2009\n\u0663x"),
       st.sampled_from([".", ","]), st.sampled_from(["object", "str"]))
def test_numbers_per_distinct_cell_equal_per_row(values: list[str | None], decimal: str, dtype: str) -> None:
    got_values, got_bad = parse_number(_column(values, dtype), decimal)
    want_values, want_bad = v._parse_numbers(_per_row(values, dtype), decimal)
    pd.testing.assert_series_equal(got_values, want_values)
    pd.testing.assert_series_equal(got_bad, want_bad)
    assert np.signbit(got_values).tolist() == np.signbit(want_values).tolist()  # "-0" is -0.0 only among floats


@settings(max_examples=80, deadline=None)
@given(_cells(_NUMBER_CELLS, "0123456789.,+-eE $€£uUſsSdDrRgGbBpPcChHfF\u00a0\u202f\u2009\x0b\n"))
def test_currency_is_removed_as_by_the_python_regex(values: list[str | None]) -> None:
    s = _per_row(values, "object")
    pd.testing.assert_series_equal(v._without_currency(s), s.str.replace(v._CURRENCY, "", regex=True))


def test_a_negative_zero_reads_as_the_column_around_it_makes_it() -> None:
    # pd.to_numeric reads "-0" as 0 among integers, as -0.0 once any cell is not one (even a missing one)
    for cells in (["-0", "5"], ["-0", None], ["-0", "5", "1.5"], ["-0", "-0", ""]):
        got = parse_number(pd.Series(cells, dtype="str"))[0]
        want = v._parse_numbers(pd.Series(cells, dtype="str"), ".")[0]
        assert np.signbit(got).tolist() == np.signbit(want).tolist(), cells


@settings(max_examples=80, deadline=None)
@given(_cells(_DATE_CELLS, "0123456789-/.: TZ\u00a0"), st.sampled_from([None, True, False]),
       st.sampled_from(["object", "str"]))
def test_dates_per_distinct_cell_equal_per_row(values: list[str | None], dayfirst: bool | None, dtype: str) -> None:
    got = parse_datetime(_column(values, dtype), dayfirst)
    want = v._parse_dates(_per_row(values, dtype), np.ones(len(values), dtype="int64"), dayfirst)
    assert got.dayfirst == want.dayfirst
    for part in ("values", "bad", "unclear"):
        pd.testing.assert_series_equal(getattr(got, part), getattr(want, part))


@settings(max_examples=80, deadline=None)
@given(_cells(_DATE_CELLS, "0123456789-: TZ+UC\u00a0\u0662\n"))
def test_iso_cells_are_those_the_python_regex_takes(values: list[str | None]) -> None:
    s = pd.Series(values, dtype="str")
    pd.testing.assert_series_equal(v._iso_cells(s), s.str.match(v._ISO).fillna(False).astype(bool))


def test_day_month_order_counts_rows_not_distinct_cells() -> None:
    # three rows read only day first, two (distinct) rows only month first
    dates = parse_datetime(pd.Series(["25/03/2026"] * 3 + ["03/26/2026", "03/27/2026"]))
    assert dates.dayfirst and dates.bad.tolist() == [False] * 3 + [True, True]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(["TRUE", " yes", "No ", "0", "1.0", "y", "maybe", "", " "])),
                max_size=30),
       st.sampled_from(["object", "str"]))
def test_booleans_per_distinct_cell_equal_per_row(values: list[str | None], dtype: str) -> None:
    s = _column(values, dtype)
    norm = s.astype("str").str.strip().str.lower().where(s.notna())
    want = pd.Series(np.nan, index=s.index, dtype="float64")
    want[norm.isin(v._TRUE)] = 1.0
    want[norm.isin(v._FALSE)] = 0.0
    got, bad = parse_bool(s)
    blank = s.isna() | (s.astype("str").str.strip() == "")
    pd.testing.assert_series_equal(got, want)
    pd.testing.assert_series_equal(bad, (~blank & want.isna()).rename(None))
