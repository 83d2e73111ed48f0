"""A lead's features must not change when later leads or outcomes are appended to the history."""

import numpy as np
import pandas as pd

from leadsift.features.build import FeatureBuilder
from leadsift.features.contract import parse_contract
from leadsift.params import FeatureParams, IcpParams


def _history(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    created = pd.Timestamp("2025-01-01") + pd.to_timedelta(np.sort(rng.uniform(0, 300, n)), unit="D")
    status = rng.choice(["accepted", "rejected", "unworked"], n, p=[0.3, 0.5, 0.2])
    lag = pd.to_timedelta(rng.uniform(1, 40, n), unit="D")
    won = (status == "accepted") & (rng.random(n) < 0.4)
    companies = np.array([f"co{i}.com" for i in range(40)])
    return pd.DataFrame(
        {
            "lead_id": [f"L{seed}-{i}" for i in range(n)],
            "created_at": created.strftime("%Y-%m-%dT%H:%M:%S"),
            "source": rng.choice(["Webinar A", "Prize draw", "Demo request", "List"], n),
            "source_type": rng.choice(["webinar", "prize_draw", "inbound_demo", "purchased_list"], n),
            "company_domain": rng.choice(companies, n),
            "email": [f"p{i}@" + d for i, d in enumerate(rng.choice(companies, n))],
            "job_title": rng.choice(["VP of IT", "Student", "Analyst", ""], n),
            "employees": rng.integers(1, 3000, n).astype(str),
            "sales_status": status,
            "status_at": np.where(status == "unworked", "", (created + lag).strftime("%Y-%m-%dT%H:%M:%S")),
            "closed_won": np.where(won, "true", "false"),
            "won_at": np.where(won, (created + lag * 3).strftime("%Y-%m-%dT%H:%M:%S"), ""),
        }
    )


def _features(raw: pd.DataFrame) -> pd.DataFrame:
    typed = parse_contract(raw, with_outcomes=True).typed
    params = FeatureParams(committee_window_days=30)
    builder, _ = FeatureBuilder.fit_features(typed, pd.Series(True, index=typed.index), params, IcpParams(), use_history=True)
    return builder.raw_features(typed)


def test_features_do_not_change_when_later_history_is_appended():
    early = _history(400, seed=1)
    later = _history(400, seed=2)
    cutoff = pd.Timestamp(early["created_at"].max())
    later = later.assign(
        created_at=(pd.to_datetime(later["created_at"]) + (cutoff - pd.Timestamp("2025-01-01")) + pd.Timedelta(days=1))
        .dt.strftime("%Y-%m-%dT%H:%M:%S")
    )
    alone = _features(early)
    appended = _features(pd.concat([early, later], ignore_index=True)).iloc[: len(early)]
    history_columns = [c for c in alone.columns if c.startswith(("source_", "account_"))]
    assert len(history_columns) >= 10
    pd.testing.assert_frame_equal(alone, appended)


def test_outcomes_recorded_later_do_not_leak_into_earlier_leads():
    raw = _history(300, seed=3)
    base = _features(raw)
    # Rewrite every outcome that became known after the last lead was created: nothing may move.
    last = pd.Timestamp(raw["created_at"].max())
    late = pd.to_datetime(raw["status_at"], errors="coerce") > last
    flipped = raw.assign(sales_status=np.where(late, "accepted", raw["sales_status"]))
    assert late.sum() > 0
    pd.testing.assert_frame_equal(base, _features(flipped))


def test_history_features_see_earlier_outcomes():
    feats = _features(_history(600, seed=4))
    assert feats["source_outcomes"].iloc[-1] > 50
    assert feats["account_prior_leads"].max() > 0
    assert feats["source_outcomes"].iloc[0] == 0


def test_an_outcome_dated_before_its_lead_counts_only_from_the_leads_creation():
    """CRM dates can put status_at before created_at; such an outcome becomes known when its lead was
    created, never earlier: a lead in between does not see it, a later one does."""
    raw = pd.DataFrame({
        "lead_id": ["early", "between", "after"],
        "created_at": ["2025-03-01", "2025-02-01", "2025-04-01"],
        "source": ["Expo"] * 3,
        "sales_status": ["accepted", "", ""],
        "status_at": ["2025-01-15", "", ""],  # before its own lead's created_at
    })
    typed = parse_contract(raw, with_outcomes=True).typed
    params = FeatureParams(history_prior_strength=0, history_window_days=0)
    builder, feats = FeatureBuilder.fit_features(typed, pd.Series(True, index=typed.index), params, IcpParams(),
                                                 use_history=True)
    outcomes = feats["source_outcomes"].tolist()
    assert outcomes == [0.0, 0.0, 1.0]  # early: its own outcome is not history; between: not yet known; after: known


def test_excess_over_expectation_never_sees_a_later_leads_expectation_or_outcome():
    raw = _history(800, seed=3)
    typed = parse_contract(raw, with_outcomes=True).typed
    expected = np.linspace(0.1, 0.9, len(typed))
    later = (typed["created_at"] >= typed["created_at"].iloc[500]).to_numpy()  # rows are in time order
    flipped = typed.assign(sales_status=typed["sales_status"].where(~later, "rejected"))
    params, train = FeatureParams(committee_window_days=30), pd.Series(True, index=typed.index)

    def excess(frame, values):
        _, feats = FeatureBuilder.fit_features(frame, train, params, IcpParams(), True, (), values)
        return feats[[c for c in feats.columns if c.endswith("_accept_excess")]]

    first = excess(typed, expected)
    assert {"account_accept_excess", "source_accept_excess", "source_type_accept_excess"} <= set(first.columns)
    for other in (excess(typed, np.where(later, 1.0 - expected, expected)), excess(flipped, expected)):
        pd.testing.assert_frame_equal(first[~later], other[~later])
        assert not first[later].equals(other[later])
