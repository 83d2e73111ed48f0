"""Property tests of `score_frame` on generated contract-shaped frames full of junk.

Whatever a CRM export holds, the scorer returns one row per input row, in order, with the
caller's index, a probability or nothing, a valid tier, and a note for every value it dropped.
One small model is trained for the whole module (demo data, 6,000 leads) in its own sqlite store.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadsift.features.contract import (
    BOOLEAN_COLUMNS,
    DATETIME_COLUMNS,
    INTEGER_COLUMNS,
    LEAD_COLUMNS,
    NON_NEGATIVE,
    NUMBER_COLUMNS,
    parse_contract,
)
from leadsift.models.bundle import ModelBundle
from leadsift.models.scoring import OUTPUT_COLUMNS, score_frame
from leadsift.models.treewalk import explain

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Trained:
    bundle: ModelBundle
    strong: pd.DataFrame  # the demo's strong new list, text cells


@pytest.fixture(scope="module")
def trained(small_model) -> Trained:  # noqa: ANN001
    bundle, demo = small_model.bundle, small_model.demo
    strong = pd.read_csv(demo["new_strong"], dtype="str", keep_default_na=False, na_values=[""])
    return Trained(bundle, strong)


# --- generated frames ----------------------------------------------------------------------

def column_kinds(bundle: ModelBundle) -> dict[str, str]:
    """Every column the model reads, by the kind of value the contract expects in it."""
    f = bundle.builder.params
    kinds = {}
    for c in (*LEAD_COLUMNS, *f.extra_numeric, *f.extra_categorical, *f.history_keys):
        if c == "lead_id":
            kinds[c] = "id"
        elif c in DATETIME_COLUMNS:
            kinds[c] = "date"
        elif c in INTEGER_COLUMNS or c in NUMBER_COLUMNS or c in f.extra_numeric:
            kinds[c] = "number"
        elif c in BOOLEAN_COLUMNS:
            kinds[c] = "bool"
        else:
            kinds[c] = "text"
    return kinds


VALID = {
    "id": ["L1", "L2", "L3", "lead-ü-4", "007"],  # few ids, so duplicates happen
    "number": ["0", "7", "250", "1,200", " 42 ", "3.5", "+1"],
    "bool": ["true", "False", "yes", "N", "1", "0", " y "],
    "date": ["2025-03-01", "2026-10-01T09:00:00", "2026-10-01T09:00:00Z", "2025-12-31 23:59:00",
             "2026-06-15T08:30:00+02:00"],
    "text": ["Acme", "software", "US", "VP of IT", "ann@acme.io", "(415) 555-0101", "Website demo request",
             "inbound_demo", "Zoë Ångström", "北京公司"],
}
JUNK = ["twelve", "=cmd", '=HYPERLINK("http://x")', "+1", "-", "@x", "@SUM(A1)", "9" * 40, "1e400", "-5", "-0.5",
        "2025-02-30", "2026-13-01", "nan", "None", "NULL", "N/A", "'", "Zoë Ångström", "北京公司"]
BLANK = ["", "   ", None]
KNOWN_CELLS = sorted({c for cells in VALID.values() for c in cells} | set(JUNK))
_TRUE_FALSE = {"true", "false", "yes", "no", "y", "n", "1", "0", "t", "f", "1.0", "0.0"}
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _cell(value: object) -> str | None:
    """A frame cell as the text it holds, None when missing."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def _blank(cell: object) -> bool:
    text = _cell(cell)
    return text is None or text.strip() == ""


def _number(cell: str) -> float | None:
    text = cell.strip().replace(",", "")
    if not _NUMBER.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def dropped(kind: str, column: str, cell: str | None) -> bool:
    """Must the scorer drop this cell from the known pools (True) or keep it (False)?"""
    if _blank(cell):
        return False
    if kind == "number":
        value = _number(cell)
        return value is None or (column in NON_NEGATIVE and value < 0)
    if kind == "bool":
        return cell.strip().lower() not in _TRUE_FALSE
    if kind == "date":
        return cell not in VALID["date"]  # numbers, words, impossible dates: none is a date
    return False


def cells(kind: str) -> st.SearchStrategy[tuple[str | None, bool]]:
    """(cell, known): a cell for a column of this kind, and whether it comes from the known pools."""
    return st.one_of(
        st.sampled_from(VALID[kind]).map(lambda c: (c, True)),
        st.sampled_from(KNOWN_CELLS).map(lambda c: (c, True)),
        st.sampled_from(BLANK).map(lambda c: (c, True)),
        st.text(st.characters(blacklist_categories=("Cs",)), max_size=12).map(lambda c: (c, False)),
    )


@dataclass(frozen=True)
class Case:
    frame: pd.DataFrame
    known: pd.DataFrame  # bool per cell: from the known pools
    extra: str           # the name of the column the contract does not know


def indexes(n: int) -> st.SearchStrategy[pd.Index]:
    return st.one_of(
        st.just(pd.RangeIndex(n)),
        st.just(pd.Index(range(100 + n, 100, -1))),
        st.lists(st.text(min_size=1, max_size=4), min_size=n, max_size=n, unique=True).map(pd.Index),
        st.lists(st.integers(0, 3), min_size=n, max_size=n).map(pd.Index),  # duplicate labels
    )


@st.composite
def lead_frames(draw: st.DrawFn, kinds: dict[str, str]) -> Case:
    n = draw(st.integers(0, 8))
    everything = draw(st.integers(0, 3)) == 0
    columns = [c for c in kinds if everything or draw(st.booleans())]
    columns = draw(st.permutations(columns))
    extra = draw(st.text(min_size=1, max_size=10).filter(lambda s: s not in kinds))
    data, known = {}, {}
    for column in (*columns, extra):
        drawn = [draw(cells(kinds.get(column, "text"))) for _ in range(n)]
        data[column] = [c for c, _ in drawn]
        known[column] = [k for _, k in drawn]
    index = draw(indexes(n))
    frame = pd.DataFrame(data, index=index, dtype=object)
    if draw(st.booleans()):
        frame = frame.astype("str").where(frame.notna())  # pandas 3 text columns, as read_csv gives them
    return Case(frame, pd.DataFrame(known, index=index, dtype=bool), extra)


# --- the properties ------------------------------------------------------------------------

def check_scored(bundle: ModelBundle, case: Case) -> pd.DataFrame:
    frame, kinds = case.frame, column_kinds(bundle)
    out = score_frame(bundle, frame)

    assert list(out.columns) == list(OUTPUT_COLUMNS)
    assert len(out) == len(frame)
    assert out.index.equals(frame.index)  # same labels, same order, duplicates and all

    p = out["p_accept"].to_numpy(dtype="float64")
    unscored = np.isnan(p)
    assert ((p[~unscored] >= 0) & (p[~unscored] <= 1)).all()
    assert set(out["tier"]) <= {"A", "B", "C", "D", ""}
    assert ((out["tier"] == "").to_numpy() == unscored).all()
    score = out["score"]
    assert str(score.dtype) == "Int64"
    assert (score.isna().to_numpy() == unscored).all()
    assert (score[~unscored].astype("int64").to_numpy() == np.round(p[~unscored] * 100)).all()

    errors = out["score_error"]
    assert all(isinstance(e, str) for e in errors)
    reasons = out["reasons"]
    assert (reasons[unscored] == "").all()
    assert reasons[reasons != ""].str.match(r"^(for: .+?(; against: .+)?|against: .+)$").all()
    assert (errors[unscored] != "").all(), "a row left unscored must say why"

    # A value given in a text column other than lead_id and source is enough to score a row.
    text_cols = [c for c in frame.columns if kinds.get(c) == "text" and c != "source"]
    if text_cols:
        has_text = ~frame[text_cols].map(_blank).all(axis=1).to_numpy()
        assert not (unscored & has_text).any()

    for pos in range(len(frame)):
        note = errors.iloc[pos]
        for column in frame.columns:
            kind = kinds.get(column)
            if kind is None:
                continue
            cell = _cell(frame[column].iloc[pos])
            if case.known[column].iloc[pos] and dropped(kind, column, cell):
                assert f"{column}:" in note, (column, cell, note)
        for required in ("lead_id", "source"):
            if required not in frame.columns:
                assert f"{required}: column missing" in note, note
            elif _blank(frame[required].iloc[pos]):
                assert f"{required}: missing" in note, note

    # Whatever the parser could not use, from any cell, is named in score_error.
    f = bundle.builder.params
    typed = parse_contract(frame, f.extra_numeric, f.extra_categorical, f.history_keys).typed
    for column in typed.columns:
        present = ~frame[column].map(_blank).to_numpy()
        lost = present & typed[column].isna().to_numpy()
        for pos in np.flatnonzero(lost):
            assert f"{column}:" in errors.iloc[pos], (column, frame[column].iloc[pos], errors.iloc[pos])

    # Duplicate lead_ids after the first are noted.
    if "lead_id" in frame.columns:
        ids = frame["lead_id"].map(lambda c: None if _blank(c) else _cell(c).strip())
        dup = ids.notna() & ids.duplicated(keep="first")
        assert errors[dup.to_numpy()].str.contains("duplicate").all()

    # The compiled tree walk gives LightGBM's own raw score on whatever the junk turned into.
    if len(frame):
        X = bundle.builder.matrix(bundle.builder.raw_features(typed))
        walked, contrib = explain(bundle.tables, X)
        expected = bundle.booster.predict(X, raw_score=True, validate_features=True)
        np.testing.assert_allclose(walked, expected, rtol=0, atol=1e-9)
        np.testing.assert_allclose(bundle.tables.bias + contrib.sum(axis=1), expected, rtol=0, atol=1e-9)
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_score_frame_on_junk_frames_keeps_every_row_and_notes_every_drop(trained, data):
    case = data.draw(lead_frames(column_kinds(trained.bundle)))
    out = check_scored(trained.bundle, case)
    # A column the contract does not know changes nothing.
    without = score_frame(trained.bundle, case.frame.drop(columns=[case.extra]))
    pd.testing.assert_frame_equal(out, without, check_exact=True)


def test_a_lead_scored_alone_gets_the_same_result_as_in_a_list(trained):
    """Regression: at 234faba a lone lead without a head count crashed (`fillna('?')` on Int64 in the
    reason phrase for company size, fixed in 625a37b); rows without a head count are the ones that tripped it."""
    rows = trained.strong[trained.strong["employees"].isna()].head(12)
    rows = pd.concat([rows, trained.strong.dropna(subset=["employees"]).head(3)])
    together = score_frame(trained.bundle, rows)
    alone = pd.concat([score_frame(trained.bundle, rows.loc[[i]]) for i in rows.index])
    pd.testing.assert_frame_equal(alone, together, check_exact=True)


def test_empty_frame_scores_to_an_empty_result(trained):
    frame = trained.strong.head(0)
    out = score_frame(trained.bundle, frame)
    assert list(out.columns) == list(OUTPUT_COLUMNS) and len(out) == 0


@pytest.mark.parametrize("cell", ["-5", "1,200", "-0.5", "March", "250"])
def test_number_like_text_in_created_at_is_noted_and_treated_as_missing(trained, cell):
    """Regression: up to d76bc41 parse_datetime's format='mixed' retry read these as a date in year -5, 0,
    200 or 1, with no score_error, and looked the lead's history up as of that year (fixed in 32b25cd)."""
    base = trained.strong.dropna(subset=["employees"]).head(1)
    raw = pd.concat([base.assign(created_at=cell), base.assign(created_at="")], ignore_index=True)
    out = score_frame(trained.bundle, raw)
    assert "created_at:" in out.loc[0, "score_error"], out.loc[0, "score_error"]
    assert out.loc[0, "p_accept"] == out.loc[1, "p_accept"]
