"""Data tests for the synthetic demo history (leadsift.pipeline.demo.simulator)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from leadsift.pipeline.demo import simulator as demo_data
from leadsift.pipeline.demo.simulator import DemoData, generate_demo_data, true_accept_probability, write_demo_data

N = 5_000
START = "2024-11-01"
YEARS = 2.0
EXPORT = pd.Timestamp(START) + pd.Timedelta(days=YEARS * 365.25)

LEAD_COLUMNS = [
    "lead_id", "created_at", "source", "source_type", "cost", "email", "phone", "first_name",
    "last_name", "job_title", "company", "company_domain", "employees", "annual_revenue", "industry",
    "country", "page_views", "form_fills", "email_clicks", "webinar_attended", "demo_requested",
    "last_activity_at", "budget", "authority", "need", "timing",
]
OUTCOME_COLUMNS = ["sales_status", "status_at", "closed_won", "won_at", "won_amount"]
EXTRA_COLUMNS = ["crm_region", "intent_score"]
SOURCE_TYPES = {
    "inbound_demo", "webinar", "content", "tradeshow", "prize_draw", "purchased_list", "referral",
    "partner", "paid_search", "organic", "social", "email", "other",
}


@pytest.fixture(scope="module")
def data() -> DemoData:
    return generate_demo_data(n_leads=N, seed=11, start=START, years=YEARS)


@pytest.fixture(scope="module")
def worked(data: DemoData) -> pd.DataFrame:
    h = data.history
    out = h[h["sales_status"].isin(["accepted", "rejected"])]
    return out.assign(accepted=out["sales_status"] == "accepted")


def test_history_columns_follow_the_contract(data: DemoData) -> None:
    h = data.history
    assert list(h.columns) == LEAD_COLUMNS + EXTRA_COLUMNS + OUTCOME_COLUMNS
    assert len(h) == N
    for name in ("lead_id", "source", "source_type", "email", "job_title", "company_domain", "crm_region"):
        assert h[name].dtype == "str", name
    for name in ("created_at", "status_at", "won_at", "last_activity_at"):
        assert pd.api.types.is_datetime64_any_dtype(h[name]), name
    assert set(h["sales_status"].dropna()) == {"accepted", "rejected", "unworked"}
    assert set(h["source_type"]) <= SOURCE_TYPES
    assert h["created_at"].is_monotonic_increasing
    assert h["lead_id"].is_unique
    assert (h["cost"] >= 0).all()
    assert h["intent_score"].dropna().between(0, 100).all()
    # realism: the messy parts the product issue asks for are there
    assert h["phone"].isna().mean() > 0.1
    assert h["email"].str.split("@").str[1].isin(demo_data.PERSONAL_DOMAINS).mean() > 0.1
    assert h["job_title"].nunique() > 40
    assert h[["budget", "authority", "need", "timing"]].isna().mean().min() > 0.5


def test_new_lists_have_lead_columns_only(data: DemoData) -> None:
    assert set(data.new_lists) == {"prize_draw", "strong"}
    for frame in data.new_lists.values():
        assert list(frame.columns) == LEAD_COLUMNS + EXTRA_COLUMNS
    assert len(data.new_lists["prize_draw"]) == 2000
    assert len(data.new_lists["strong"]) == 400


def test_lead_ids_unique_across_all_frames(data: DemoData) -> None:
    ids = pd.concat([data.history["lead_id"], *(f["lead_id"] for f in data.new_lists.values())])
    assert ids.is_unique
    assert ids.str.fullmatch(r"L\d{7}").all()


def test_at_least_twelve_sources_with_different_volumes_and_costs(data: DemoData) -> None:
    h = data.history
    counts = h["source"].value_counts()
    assert len(counts) >= 12
    assert counts.max() > 5 * counts.min()
    cost = h.groupby("source")["cost"].mean()
    assert cost["Organic search"] == 0.0
    assert cost["Partner referral - Acme Consulting"] > 10 * cost["Purchased list - Q1 data vendor"]


def test_new_list_sources_are_new_and_dated_after_the_export(data: DemoData) -> None:
    h = data.history
    for frame in data.new_lists.values():
        assert frame["source"].nunique() == 1
        assert not frame["source"].isin(h["source"]).any()
        assert frame["created_at"].min() > h["created_at"].max()
        assert frame["created_at"].min() >= EXPORT
        assert frame["created_at"].max() <= EXPORT + pd.Timedelta(days=15)
    strong = data.new_lists["strong"]
    known = strong["company_domain"].isin(h["company_domain"].dropna()).mean()
    assert 0.1 < known < 0.9


def test_same_seed_gives_identical_frames() -> None:
    a = generate_demo_data(n_leads=1_000, seed=3)
    b = generate_demo_data(n_leads=1_000, seed=3)
    c = generate_demo_data(n_leads=1_000, seed=4)
    pd.testing.assert_frame_equal(a.history, b.history)
    pd.testing.assert_frame_equal(a.truth, b.truth)
    for name in a.new_lists:
        pd.testing.assert_frame_equal(a.new_lists[name], b.new_lists[name])
    assert not a.history["email"].equals(c.history["email"])


def test_point_in_time_sanity(data: DemoData) -> None:
    h = data.history
    assert (h["status_at"].dropna() >= h.loc[h["status_at"].notna(), "created_at"]).all()
    assert (h["won_at"].dropna() >= h.loc[h["won_at"].notna(), "status_at"]).all()
    seen = h["last_activity_at"].notna()
    assert (h.loc[seen, "last_activity_at"] <= h.loc[seen, "created_at"]).all()
    assert h["status_at"].max() <= EXPORT
    assert h["won_at"].max() <= EXPORT
    assert h["created_at"].max() < EXPORT
    # the outcome columns agree with each other
    assert h.loc[h["sales_status"] == "unworked", "status_at"].isna().all()
    assert h.loc[h["sales_status"].isin(["accepted", "rejected"]), "status_at"].notna().all()
    won = h["closed_won"]
    assert (h.loc[won, "sales_status"] == "accepted").all()
    assert h.loc[won, ["won_at", "won_amount"]].notna().all().all()
    assert h.loc[~won, ["won_at", "won_amount"]].isna().all().all()
    # the youngest leads have no outcome yet, as in a real export
    young = h[h["created_at"] > EXPORT - pd.Timedelta(days=2)]
    assert young["sales_status"].isna().mean() > 0.5


def test_truth_covers_every_lead(data: DemoData) -> None:
    ids = pd.concat([data.history["lead_id"], *(f["lead_id"] for f in data.new_lists.values())])
    assert list(data.truth.columns) == ["lead_id", "p_accept_true"]
    assert data.truth["lead_id"].is_unique
    assert set(data.truth["lead_id"]) == set(ids)
    assert data.truth["p_accept_true"].between(0, 1, inclusive="neither").all()


def test_truth_is_a_function_of_observable_columns(data: DemoData) -> None:
    truth = data.truth.set_index("lead_id")["p_accept_true"]
    h = data.history
    again = true_accept_probability(h)
    np.testing.assert_allclose(again.to_numpy(), truth.loc[h["lead_id"]].to_numpy(), rtol=0, atol=1e-12)
    for frame in data.new_lists.values():
        again = true_accept_probability(frame, past=h)
        np.testing.assert_allclose(again.to_numpy(), truth.loc[frame["lead_id"]].to_numpy(), rtol=0, atol=1e-12)


def test_truth_ignores_region_and_rises_with_demo_and_intent(data: DemoData) -> None:
    leads = data.new_lists["strong"]
    base = true_accept_probability(leads, past=data.history).to_numpy()
    region = true_accept_probability(leads.assign(crm_region="APAC"), past=data.history).to_numpy()
    np.testing.assert_array_equal(base, region)
    demo = true_accept_probability(leads.assign(demo_requested=True), past=data.history).to_numpy()
    assert (demo >= base).all() and (demo > base).any()
    intent = true_accept_probability(leads.assign(intent_score=100), past=data.history).to_numpy()
    assert (intent > base).mean() > 0.9


def test_acceptance_rate_and_true_auc_are_realistic(data: DemoData, worked: pd.DataFrame) -> None:
    rate = worked["accepted"].mean()
    assert 0.12 < rate < 0.28
    p = data.truth.set_index("lead_id")["p_accept_true"].loc[worked["lead_id"]]
    auc = roc_auc_score(worked["accepted"], p)
    assert 0.78 < auc < 0.91


def _rate(worked: pd.DataFrame, mask: pd.Series) -> float:
    assert mask.sum() > 30, "too few leads for a direction check"
    return float(worked.loc[mask, "accepted"].mean())


def test_known_effects_show_in_the_outcomes(worked: pd.DataFrame) -> None:
    w = worked
    prize = _rate(w, w["source_type"] == "prize_draw")
    demo = _rate(w, w["source_type"] == "inbound_demo")
    assert prize < 0.25 * demo
    personal = w["email"].str.split("@").str[1].isin(demo_data.PERSONAL_DOMAINS)
    assert _rate(w, personal) < 0.6 * _rate(w, ~personal)
    tiny = w["employees"].lt(10).fillna(False)
    fit = w["employees"].between(50, 5000).fillna(False)
    assert _rate(w, tiny) < 0.6 * _rate(w, fit)
    titles = w["job_title"].map(demo_data.title_level)
    assert _rate(w, titles.isin(["non_buyer"])) < 0.5 * _rate(w, titles.isin(["c_level", "vp", "director"]))
    assert _rate(w, w["demo_requested"]) > 2 * _rate(w, ~w["demo_requested"])


def test_new_lists_differ_in_true_quality(data: DemoData) -> None:
    truth = data.truth.set_index("lead_id")["p_accept_true"]
    prize = truth.loc[data.new_lists["prize_draw"]["lead_id"]].mean()
    strong = truth.loc[data.new_lists["strong"]["lead_id"]].mean()
    assert prize < 0.08
    assert strong > 0.35


def test_buying_committees_and_returning_customers_exist(data: DemoData) -> None:
    h = data.history.dropna(subset=["company_domain"])
    gap = h.groupby("company_domain")["created_at"].diff()
    assert (gap <= pd.Timedelta(days=45)).mean() > 0.1
    first_won = h.loc[h["closed_won"]].groupby("company_domain")["won_at"].min()
    later = h["created_at"] > h["company_domain"].map(first_won)
    assert later.sum() > 20


def test_catalog_titles_are_classified_as_their_level() -> None:
    for level, titles in demo_data._TITLES.items():
        for title in titles:
            assert demo_data.title_level(title) == level, title
    assert demo_data.title_level(None) == "none"
    assert demo_data.title_level("Chief Marketing Officer") == "c_level"


def test_bad_arguments_raise() -> None:
    with pytest.raises(ValueError):
        generate_demo_data(n_leads=10)
    with pytest.raises(ValueError):
        generate_demo_data(n_leads=1_000, years=0)


def test_write_demo_data_round_trips_through_read_csv(tmp_path: Path) -> None:
    paths = write_demo_data(tmp_path / "demo", n_leads=N, seed=11)
    assert set(paths) == {"leads", "new_prize_draw", "new_strong", "truth", "source_spend"}
    assert all(p.parent == tmp_path / "demo" and p.suffix == ".csv" for p in paths.values())
    assert sorted(p.name for p in (tmp_path / "demo").iterdir()) == sorted(p.name for p in paths.values())
    leads = pd.read_csv(paths["leads"])
    assert len(leads) == N
    assert list(leads.columns) == LEAD_COLUMNS + EXTRA_COLUMNS + OUTCOME_COLUMNS
    assert len(pd.read_csv(paths["new_prize_draw"])) == 2000
    assert len(pd.read_csv(paths["new_strong"])) == 400
    truth = pd.read_csv(paths["truth"])
    assert len(truth) == N + 2400
    raw = paths["leads"].read_text().splitlines()[1]
    assert "T" in raw.split(",")[1]  # ISO 8601 date-time
    assert set(leads["demo_requested"].astype(str).str.lower()) <= {"true", "false"}
    assert set(leads["budget"].dropna().astype(str).str.lower()) <= {"true", "false"}
    pd.testing.assert_series_equal(
        pd.to_datetime(leads["created_at"]), generate_demo_data(N, seed=11).history["created_at"], check_names=False
    )
    spend = pd.read_csv(paths["source_spend"])
    assert list(spend.columns) == ["source", "spend"]
    assert spend["source"].is_unique and len(spend) == leads["source"].nunique()
    assert spend["spend"].sum() == pytest.approx(leads["cost"].sum(), rel=1e-6)
    # the written file holds enough to recompute the truth
    p = true_accept_probability(leads)
    np.testing.assert_allclose(p.to_numpy(), truth["p_accept_true"].to_numpy()[:N], atol=1e-9)
