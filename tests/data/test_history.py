"""Point in time: a lead's history counts only what was known before it was created."""

import numpy as np
import pandas as pd

from leadsift.features.history import KeyHistory


def _history():
    created = pd.Series(pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-03", "2025-02-20"]))
    status = pd.Series(["accepted", "rejected", "accepted", "accepted"], dtype="str")
    status_at = pd.Series(pd.to_datetime(["2025-01-10", "2025-01-04", "2025-03-01", "2025-03-05"]))
    won_at = pd.Series(pd.to_datetime(["2025-02-01", None, None, None]))
    key = pd.Series(["a", "a", "a", "b"], dtype="str")
    return KeyHistory.build_with_codes(key, created, status, status_at, won_at)[0]


def _at(*dates):
    return pd.Series(pd.to_datetime(list(dates)))


def test_outcomes_count_only_from_their_status_date():
    h = _history()
    c = h.counts(pd.Series(["a"] * 4, dtype="str"), _at("2025-01-04", "2025-01-05", "2025-01-11", "2025-03-02"), 45)
    assert c.decided.tolist() == [0, 1, 2, 3]
    assert c.accepted.tolist() == [0, 0, 1, 2]
    assert c.leads.tolist() == [3, 3, 3, 3]


def test_wins_count_from_won_at_and_unknown_keys_are_zero():
    h = _history()
    c = h.counts(pd.Series(["a", "a", "zzz", None], dtype="str"), _at("2025-02-01", "2025-02-02", "2025-05-01", "2025-05-01"), 45)
    assert c.won.tolist() == [0, 1, 0, 0]
    assert c.leads.tolist() == [3, 3, 0, 0]


def test_recent_window_counts_leads_in_the_window_only():
    h = _history()
    c = h.counts(pd.Series(["a", "a"], dtype="str"), _at("2025-01-03", "2025-02-17"), 45)
    assert c.recent.tolist() == [2, 1]


def test_a_lead_never_sees_its_own_or_later_events():
    h = _history()
    c = h.counts(pd.Series(["a"], dtype="str"), _at("2025-01-01"), 45)
    assert (c.leads, c.decided, c.won) == (np.array([0]), np.array([0]), np.array([0]))


def test_an_outcome_dated_before_its_lead_counts_only_after_the_lead_exists():
    created = pd.Series(pd.to_datetime(["2025-01-10"]))
    won_at = pd.Series(pd.to_datetime(["2025-01-08"]))  # a CRM date error: won before created
    h = KeyHistory.build_with_codes(pd.Series(["a"], dtype="str"), created, None, None, won_at)[0]
    c = h.counts(pd.Series(["a", "a"], dtype="str"), _at("2025-01-10", "2025-01-11"), 45)
    assert c.won.tolist() == [0, 1]


def _history_with_expectations():
    created = pd.Series(pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-03", "2025-02-20"]))
    status = pd.Series(["accepted", "rejected", "accepted", "accepted"], dtype="str")
    status_at = pd.Series(pd.to_datetime(["2025-01-10", "2025-01-04", "2025-03-01", "2025-03-05"]))
    key = pd.Series(["a", "a", "a", "b"], dtype="str")
    expected = np.array([0.2, 0.5, 0.9, 0.4])
    return KeyHistory.build_with_codes(key, created, status, status_at, None, expected)[0]


def test_expectations_count_like_the_outcomes_they_go_with():
    h = _history_with_expectations()
    c = h.counts(pd.Series(["a"] * 4, dtype="str"), _at("2025-01-04", "2025-01-05", "2025-01-11", "2025-03-02"), 45)
    # decided before each time: none; lead 2 (0.5); leads 2 and 1 (0.5 + 0.2); all three (+ 0.9)
    np.testing.assert_allclose(c.expected, [0.0, 0.5, 0.7, 1.6])
    assert c.accepted.tolist() == [0, 0, 1, 2]


def test_excess_is_shrunk_toward_zero_and_unknown_keys_have_none():
    from leadsift.features.history import shrunk_excess

    h = _history_with_expectations()
    c = h.counts(pd.Series(["a", "zzz"], dtype="str"), _at("2025-03-02", "2025-03-02"), 45)
    excess = shrunk_excess(c.accepted, c.expected, c.decided, 3.0)
    np.testing.assert_allclose(excess, [(2 - 1.6) / (3 + 3.0), 0.0])

