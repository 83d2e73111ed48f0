"""Units of monitoring: the training snapshot and its drift, and what calibrated probabilities lead one to expect."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from leadsift.features.profile import bin_labels, build_profile, compare, psi
from leadsift.models.expected import calibrated_ece, expected_auc, holm, rate_change_p_value
from leadsift.models.metrics import expected_calibration_error, roc_auc_interval


def _leads(n: int, seed: int, employees_scale: float = 1.0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    employees = np.round(rng.lognormal(5, 1.2, n) * employees_scale)
    employees[rng.random(n) < 0.1] = np.nan
    industry = rng.choice(["software", "retail", "healthcare", None], n, p=[0.5, 0.3, 0.15, 0.05])
    return pd.DataFrame({"employees": employees, "industry": pd.Series(industry, dtype="str")})


def test_the_same_population_does_not_drift():
    profile = build_profile(_leads(20_000, 1), {"employees": 3.0, "industry": 1.0})
    drift = {d.feature: d for d in compare(profile, _leads(3_000, 2))}
    assert drift["employees"].psi < 0.02 and drift["industry"].psi < 0.02
    assert drift["employees"].p_value > 0.001 and drift["industry"].p_value > 0.001
    assert drift["employees"].importance == pytest.approx(0.75) and drift["industry"].importance == pytest.approx(0.25)
    assert drift["industry"].unseen_share == 0.0
    assert drift["employees"].missing_new == pytest.approx(0.1, abs=0.02)


def test_shrunk_companies_and_new_categories_drift_and_say_where():
    profile = build_profile(_leads(20_000, 1), {})
    new = _leads(3_000, 2, employees_scale=0.02).assign(industry="mining")
    drift = {d.feature: d for d in compare(profile, new)}
    assert drift["employees"].psi > 1 and drift["employees"].p_value < 1e-6
    bin_name, shares = drift["employees"].moved.split(": ")
    before, after = (int(x.rstrip("%")) for x in shares.split(" -> "))
    assert bin_name.endswith("or less") and before < 15 and after > 80  # the lowest decile now holds most leads
    assert drift["industry"].unseen_share == 1.0 and drift["industry"].moved.startswith("(other)")


def test_a_feature_the_frame_lacks_counts_as_empty():
    profile = build_profile(_leads(2_000, 1), {})
    drift = {d.feature: d for d in compare(profile, pd.DataFrame(index=range(50)))}
    assert drift["employees"].missing_new == 1.0 and drift["industry"].missing_new == 1.0
    assert bin_labels(profile["features"]["employees"])[-1] == "(missing)"


def test_psi_is_zero_for_equal_shares_and_grows_with_the_move():
    a = np.array([100, 200, 300])
    assert psi(a, a * 3) == pytest.approx(0.0)
    assert 0 < psi(a, np.array([120, 200, 280])) < psi(a, np.array([300, 200, 100]))


def test_holm_adjusts_in_order_and_keeps_nan():
    adjusted = holm(np.array([0.01, 0.04, np.nan, 0.03]))
    assert adjusted[0] == pytest.approx(0.03) and adjusted[3] == pytest.approx(0.06) and adjusted[1] == pytest.approx(0.06)
    assert np.isnan(adjusted[2])


def test_expected_auc_and_ece_match_outcomes_drawn_from_the_probabilities():
    rng = np.random.default_rng(4)
    p = rng.beta(1.2, 3, 4_000)
    y = (rng.random(len(p)) < p).astype("int64")
    exp, low, high = expected_auc(p, seed=1)
    auc, auc_low, auc_high = roc_auc_interval(y, p)
    assert low <= auc <= high and auc_low <= exp <= auc_high
    assert high - low == pytest.approx(auc_high - auc_low, rel=0.35)  # the two intervals describe the same spread
    assert expected_calibration_error(y, p) <= calibrated_ece(p, seed=1, level=0.99)


def test_the_rate_test_separates_chance_from_a_collapse():
    p = np.full(400, 0.3)
    assert rate_change_p_value(120, p) == pytest.approx(1.0)
    assert rate_change_p_value(128, p) > 0.2
    assert rate_change_p_value(40, p) < 1e-10


def test_group_dispersion_is_one_for_calibrated_groups_and_grows_with_their_biases():
    from leadsift.models.expected import group_dispersion

    rng = np.random.default_rng(6)
    groups = np.repeat(np.arange(40), 250)
    p = rng.uniform(0.05, 0.5, len(groups))
    y = rng.random(len(p)) < p
    assert 1.0 <= group_dispersion(y, p, groups) < 1.6
    bias = rng.normal(0, 0.6, 40)[groups]  # each group's true log-odds off by its own amount
    y_biased = rng.random(len(p)) < 1 / (1 + np.exp(-(np.log(p / (1 - p)) + bias)))
    assert group_dispersion(y_biased, p, groups) > 3
    assert group_dispersion(y[:10], p[:10], groups[:10]) == 1.0  # no group large enough: chance alone


def test_the_ece_interval_holds_the_ece():
    from leadsift.models.expected import ece_interval

    rng = np.random.default_rng(8)
    p = rng.uniform(0.05, 0.6, 3_000)
    y = (rng.random(len(p)) < np.clip(p * 1.3, 0, 1)).astype("float64")  # under-predicted by 30%
    low, high = ece_interval(y, p, seed=2)
    assert low <= expected_calibration_error(y, p) <= high and low > calibrated_ece(p, seed=2)


def test_one_collapsed_source_is_one_alert_in_the_words_of_the_target():
    from leadsift.params import MonitorParams
    from leadsift.pipeline.monitor.alerts import rate_alerts
    from leadsift.pipeline.monitor.table import group_table

    rng = np.random.default_rng(9)
    n = 6_000
    source = rng.choice(["A", "B", "C", "D"], n)
    p = rng.uniform(0.1, 0.5, n)
    y = (rng.random(n) < np.where(source == "B", p * 0.2, p)).astype("float64")  # B collapses, alone
    month = np.where(np.arange(n) < n // 2, "2026-05", "2026-06")
    leads = pd.DataFrame({"source": source, "source_type": np.where(source == "B", "paid", "other"), "month": month,
                          "p": p, "y": y, "young": np.zeros(n, dtype=bool)})
    params = MonitorParams()
    alerts = rate_alerts(group_table(leads, params), leads, params, outcome="won")
    assert [(a.level, a.name) for a in alerts] == [("source", "B")]  # not its type, months or the whole period again
    assert "decided leads won against" in alerts[0].text and not alerts[0].model_wide
