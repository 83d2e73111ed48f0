"""Leakage audit: columns that give the outcome away are flagged, honest ones are not."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from leadsift.features.leakage import TABLE_COLUMNS, LeakageReport, audit_leakage
from leadsift.params import LeakageParams

DATASETS = Path(__file__).resolve().parents[3] / "shared" / "datasets"
N = 1000


@pytest.fixture
def leads() -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(7)
    y = (rng.random(N) < 0.4).astype(int)
    frame = pd.DataFrame({
        "label_copy": y.copy(),
        "status": pd.Series(np.where(y == 1, "won", "lost"), dtype="str"),
        "closed_at": pd.Series(np.where(y == 1, "2024-05-01", None), dtype="str"),
        "noise": rng.normal(size=N),
        "noise_category": pd.Series(rng.choice(["a", "b", "c", "d"], size=N), dtype="str"),
        "page_views": rng.normal(size=N) + 0.8 * y,  # alone about 0.71 AUC: useful, not a leak
        "lead_id": pd.Series([f"lead-{i:05d}" for i in rng.permutation(N)], dtype="str"),
        "lead_number": rng.permutation(N).astype(float),
        "created_at": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 10**6, N), unit="s"),
        "demo_requested": rng.random(N) < 0.2 + 0.2 * y,
    })
    return frame, y


def audit(frame: pd.DataFrame, y: np.ndarray, columns=None, **params) -> LeakageReport:
    return audit_leakage(frame, y, list(frame.columns) if columns is None else columns, LeakageParams(**params))


def row(report: LeakageReport, column: str) -> pd.Series:
    return report.table.set_index("column").loc[column]


def test_a_copy_of_the_label_is_flagged(leads):
    report = audit(*leads)
    assert {"label_copy", "status"} <= set(report.flagged)
    assert row(report, "label_copy")["auc"] == pytest.approx(1.0)
    assert "alone predicts the outcome" in row(report, "status")["reason"]


def test_a_column_filled_in_only_for_one_outcome_is_flagged(leads):
    frame, y = leads
    report = audit(frame, y)
    closed = row(report, "closed_at")
    assert closed["flagged"]
    assert closed["missing_share"] == pytest.approx(1 - y.mean())
    assert closed["missing_auc"] == pytest.approx(1.0)
    assert "whether it is filled in" in closed["reason"]


def test_empty_strings_count_as_missing_and_placeholders_do_not(leads):
    frame, y = leads
    frame = frame.assign(
        notes=np.where(y == 1, "called back", "  "),
        profile=np.where(y == 1, "Potential", "Select"),
    )
    report = audit(frame, y, ["notes", "profile"])
    assert row(report, "notes")["missing_auc"] == pytest.approx(1.0)
    assert row(report, "profile")["missing_share"] == 0.0
    assert report.flagged == ["notes", "profile"]


def test_a_rating_recorded_while_the_lead_was_worked_is_flagged():
    # Filled in for 70% of converted leads and 25% of the others; where filled in, right 90% of the time.
    rng = np.random.default_rng(3)
    y = (rng.random(4000) < 0.4).astype(int)
    filled = rng.random(4000) < np.where(y == 1, 0.7, 0.25)
    right = rng.random(4000) < 0.9
    rating = np.where(right == (y == 1), "hot", "cold")
    frame = pd.DataFrame({"rep_rating": pd.Series(rating, dtype="str").where(filled)})
    measured = row(audit(frame, y), "rep_rating")
    assert measured["auc"] < 0.9
    assert measured["filled_auc"] > 0.85
    assert measured["flagged"]
    assert "while the lead was worked" in measured["reason"]


def test_noise_and_a_moderate_predictor_are_not_flagged(leads):
    report = audit(*leads)
    for column in ("noise", "noise_category", "page_views", "demo_requested", "created_at"):
        assert not row(report, column)["flagged"], column
    assert 0.65 < row(report, "page_views")["auc"] < 0.8


def test_an_id_column_does_not_look_predictive(leads):
    report = audit(*leads)
    assert row(report, "lead_id")["auc"] == pytest.approx(0.5, abs=0.02)
    assert row(report, "lead_number")["auc"] < 0.6
    assert "lead_id" not in report.flagged


def test_a_non_monotone_numeric_leak_is_caught_by_its_bins():
    rng = np.random.default_rng(5)
    x = rng.normal(size=2000)
    y = (np.abs(x) > 0.8).astype(int)
    report = audit(pd.DataFrame({"days_to_close": x}), y)
    assert row(report, "days_to_close")["auc"] > 0.95
    assert report.flagged == ["days_to_close"]


def test_kinds(leads):
    kinds = audit(*leads).table.set_index("column")["kind"]
    assert kinds["noise"] == "numeric"
    assert kinds["status"] == "categorical"
    assert kinds["demo_requested"] == "categorical"
    assert kinds["created_at"] == "datetime"


def test_keep_reports_a_flagged_column_but_does_not_drop_it(leads):
    frame, y = leads
    report = audit(frame, y, keep=("status",))
    status = row(report, "status")
    assert status["flagged"] and status["kept"]
    assert "status" not in report.flagged
    assert "label_copy" in report.flagged
    assert "kept: " in report.to_text()


def test_the_input_frame_is_unchanged(leads):
    frame, y = leads
    before = frame.copy(deep=True)
    audit(frame, y)
    pd.testing.assert_frame_equal(frame, before)


def test_the_audit_is_deterministic(leads):
    pd.testing.assert_frame_equal(audit(*leads).table, audit(*leads).table)


def test_table_and_text(leads):
    report = audit(*leads)
    assert tuple(report.table.columns) == TABLE_COLUMNS
    assert report.table["column"].tolist() == list(leads[0].columns)
    assert (report.table.loc[~report.table["flagged"], "reason"] == "").all()
    text = report.to_text(top=2)
    assert "status" in text and "DROP: " in text
    assert len(text.splitlines()) == 2 + report.table["flagged"].sum() + 2


def test_no_columns_gives_an_empty_table(leads):
    frame, y = leads
    report = audit(frame, y, [])
    assert report.table.empty
    assert tuple(report.table.columns) == TABLE_COLUMNS
    assert report.flagged == []
    assert "no columns" in report.to_text()


def test_y_of_the_wrong_length_is_refused(leads):
    frame, y = leads
    with pytest.raises(ValueError, match=f"y has {N - 1} values but the frame has {N} rows"):
        audit(frame, y[:-1])


def test_y_other_than_zero_and_one_is_refused(leads):
    frame, _ = leads
    with pytest.raises(ValueError, match="only 0 and 1"):
        audit(frame, np.full(N, 2))
    with pytest.raises(ValueError, match="only 0 and 1"):
        audit(frame, np.where(np.arange(N) % 2 == 0, 1.0, np.nan))


def test_y_with_one_outcome_only_is_refused(leads):
    frame, _ = leads
    with pytest.raises(ValueError, match="both outcomes"):
        audit(frame, np.zeros(N, dtype=int))


def test_an_unknown_column_is_refused(leads):
    frame, y = leads
    with pytest.raises(ValueError, match="not in the frame: \\['budget'\\]"):
        audit(frame, y, ["noise", "budget"])


def test_unusable_params_are_refused():
    with pytest.raises(ValueError, match="folds"):
        LeakageParams(folds=1)


def test_x_education_sales_made_columns_are_flagged():
    path = DATASETS / "x-education" / "Leads.csv"
    if not path.exists():
        pytest.skip(f"real data set not found at {path} (the shared datasets folder beside the checkout)")
    leads = pd.read_csv(path)
    columns = [c for c in leads.columns if c != "Converted"]
    report = audit(leads, leads["Converted"].to_numpy(), columns)
    assert {"Tags", "Lead Quality"} <= set(report.flagged)
    lead_time = (
        "Total Time Spent on Website", "Lead Origin", "Lead Source", "TotalVisits",
        "Page Views Per Visit", "What is your current occupation", "Prospect ID", "Lead Number",
    )
    assert not set(lead_time) & set(report.flagged)
