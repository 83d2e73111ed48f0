"""Cells as CRM exports write them: local number formats, day/month order, words that are not dates,
values no lead can have."""

import numpy as np
import pandas as pd
import pytest

from leadsift.features.contract import parse_contract
from leadsift.features.values import parse_datetime, parse_number


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
