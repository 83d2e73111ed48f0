"""The features layer's shared text helpers (leadsift.features.text).

`is_blank` is the data contract's former `_blank` and the contact features' blank test in one;
`lowered` is the feature builder's former `_lower`. Checked here against their old pandas spellings.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadsift.features import text

_WHITESPACE = [chr(c) for c in range(0x3001) if chr(c).isspace()]


def _mixed() -> pd.Series:
    values = ["x", " a ", "", "0", "n/a", "Zoë", None, np.nan, pd.NA, pd.NaT, 0, 0.0, True, *_WHITESPACE,
              *(w + "b" + w for w in _WHITESPACE)]
    return pd.Series(values, index=pd.Index([f"r{i}" for i in range(len(values))][::-1]), dtype="object", name="col")


@pytest.mark.parametrize("dtype", ["object", "str", "string", "category"])
def test_is_blank_is_missing_or_only_whitespace(dtype: str) -> None:
    s = _mixed()
    if dtype != "object":
        s = s.map(lambda v: v if isinstance(v, str) else None).astype(dtype)
    expected = s.isna() | (s.astype("str").str.strip() == "")
    pd.testing.assert_series_equal(text.is_blank(s), expected)  # index and name kept
    assert text.has_value(s).tolist() == (~expected).tolist()
    assert text.has_value(s).name is None


def test_is_blank_of_numbers_and_dates() -> None:
    assert text.is_blank(pd.Series([0.0, np.nan, 7.0])).tolist() == [False, True, False]
    assert text.is_blank(pd.Series([1, None], dtype="Int64")).tolist() == [False, True]
    assert text.is_blank(pd.Series(pd.to_datetime(["2024-01-01", None]))).tolist() == [False, True]


def test_lowered_strips_and_lowercases_keeping_missing() -> None:
    s = pd.Series([" Tech ", "FIN", None, "", "\tÄrzte\n", 12], dtype="object", name="industry")
    got = text.lowered(s)
    assert str(got.dtype) == "str" and got.name == "industry"
    assert [None if pd.isna(v) else v for v in got] == ["tech", "fin", None, "", "ärzte", "12"]


def test_arrow_text_and_back() -> None:
    s = pd.Series(["a", None, 3], dtype="object")
    arr = text.arrow_text(s)
    assert arr.type == pa.large_string() and arr.to_pylist() == ["a", None, "3"]
    back = text.str_series(arr, s.index)
    assert str(back.dtype) == "str" and back.isna().tolist() == [False, True, False]
    codes, uniques = text.uniques(pd.Series(["b", None, "a", "b"]))
    assert codes.tolist() == [0, -1, 1, 0] and uniques.to_pylist() == ["b", "a"]
    assert text.take_text(uniques, codes).to_pylist() == ["b", None, "a", "b"]


def test_padded_words_and_phrase_patterns() -> None:
    words = text.padded_words(pa.array(["V.P. of I.T.", "Geschäftsführer & Co", None], pa.large_string()), join_initials=True)
    assert words.to_pylist() == [" vp of it ", " geschaftsfuhrer and co ", None]
    assert text.matches(words, text.any_phrase("vp", r"geschaftsfuhr\p{L}*")).tolist() == [True, True, False]
    assert text.matches(words, text.whole_phrase("vp of it")).tolist() == [True, False, False]


# --------------------------------------------------------------------------- once per distinct value

_MESSY = st.lists(
    st.one_of(st.none(), st.sampled_from(["a", " a", "A ", "", " ", "\u00a0", "Zoë", "0", "n/a"]),
              st.text(alphabet="aZ0 .\t\n\u00a0é李", max_size=5)),
    max_size=30,
)


@pytest.mark.parametrize("dtype", ["object", "str", "category"])
def test_stripped_and_lowered_equal_their_per_row_spellings(dtype: str) -> None:
    s = _mixed()
    if dtype != "object":
        s = s.map(lambda v: v if isinstance(v, str) else None).astype(dtype)
    old_stripped = s.astype("str").where(~text.is_blank(s)).str.strip()
    pd.testing.assert_series_equal(text.stripped(s), old_stripped)
    old_lowered = s.astype("str").str.strip().str.lower().where(s.notna())
    pd.testing.assert_series_equal(text.lowered(s), old_lowered)


@settings(max_examples=60, deadline=None)
@given(_MESSY)
def test_lowered_per_distinct_equals_per_row(values: list[str | None]) -> None:
    s = pd.Series(values, dtype="object", index=pd.Index([f"r{i}" for i in range(len(values))]), name="x")
    pd.testing.assert_series_equal(text.lowered(s), s.astype("str").str.strip().str.lower().where(s.notna()))


def test_distinct_text_puts_na_last_and_per_row_broadcasts() -> None:
    s = pd.Series(["b", None, "a", "b", np.nan], index=list("vwxyz"), dtype="object")
    codes, distinct = text.distinct_text(s)
    assert distinct.tolist()[:2] == ["b", "a"] and pd.isna(distinct.iloc[2]) and len(distinct) == 3
    assert codes.tolist() == [0, 2, 1, 0, 2] and str(distinct.dtype) == "str"
    back = text.per_row(distinct.str.upper(), codes, s.index, "col")
    assert back.index.equals(s.index) and back.name == "col" and str(back.dtype) == "str"
    assert [None if pd.isna(v) else v for v in back] == ["B", None, "A", "B", None]
    codes, distinct = text.distinct_text(pd.Series(["x", "x"]))
    assert codes.tolist() == [0, 0] and distinct.tolist() == ["x"]  # no NA entry when there is none
    assert len(text.distinct_text(pd.Series([], dtype="str"))[1]) == 0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(alphabet="0123456789 +-().x#\n٣é李😀１\u00a0", max_size=12)), max_size=40),
       st.integers(0, 5))
def test_ascii_digits_is_the_non_digit_regex(values: list[str | None], start: int) -> None:
    arr = pa.array(values, type=pa.large_string()).slice(min(start, len(values)))
    got = text.ascii_digits(arr)
    got.validate(full=True)
    assert got.equals(text.sub(arr, r"\D+", ""))
    assert text.ascii_digits(pa.array(values, type=pa.string())).equals(text.sub(pa.array(values, pa.large_string()), r"\D+", ""))
