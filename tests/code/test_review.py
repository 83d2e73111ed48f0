"""The review loop in small: patterns, the queue, decisions read and turned into labels, follow-up, findings."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from leadsift.errors import ContractError
from leadsift.params import LabelParams, Params, SplitParams
from leadsift.pipeline.ingest import load_history
from leadsift.pipeline.review.decisions import read_decisions
from leadsift.pipeline.review.findings import NOT_DISPUTED, committee_findings
from leadsift.pipeline.review.followup import follow_up
from leadsift.pipeline.review.labels import EXCLUDED_BY_COMMITTEE, decided_labels
from leadsift.pipeline.review.patterns import disputed_patterns
from leadsift.pipeline.review.queue import QUEUE_COLUMNS, decision_worth, queue_size, review_queue
from leadsift.pipeline.sources.disputes import ICP_FIT, ICP_NONE, MODEL_HIGH, MODEL_LOW
from leadsift.pipeline.sources.outcomes import lead_outcomes

HIGH, LOW = f"{MODEL_HIGH} (p_accept 0.90, top 10% or tier A)", f"{MODEL_LOW} (p_accept 0.05, bottom 25%)"
FIT = f"{ICP_FIT} (size, industry, country)"


def _disputed() -> pd.DataFrame:
    """Nine disputed leads over four patterns, in the shape `disputed_leads` returns."""
    rows = [
        ("a1", "Fair", "unworked", 0.95, f"never worked although {HIGH} and {FIT}"),
        ("a2", "Fair", "unworked", 0.80, f"never worked although {HIGH} and {FIT}"),
        ("a3", "Web", "unworked", 0.70, f"never worked although {HIGH} and {FIT}"),
        ("b1", "Partner X", "rejected", 0.90, f"rejected although {HIGH}"),
        ("b2", "Partner X", "rejected", 0.60, f"rejected although {HIGH}"),
        ("c1", "Web", "accepted", 0.02, f"accepted although {LOW} and {ICP_NONE}"),
        ("c2", "Fair", "accepted", 0.10, f"accepted although {LOW} and {ICP_NONE}"),
        ("d1", "Web", "rejected", 0.30, f"rejected although {FIT}"),
        ("d2", "Web", "unworked", 0.40, f"never worked although {HIGH} and {FIT}"),
    ]
    frame = pd.DataFrame(rows, columns=["lead_id", "source", "sales_status", "p_accept", "why_disputed"])
    return frame.assign(tier="", icp_criteria_met="", reasons="")


def test_every_disputed_lead_is_in_exactly_one_pattern():
    disputed = _disputed()
    demo = pd.Series([True, False, False, False, False, False, False, False, False])
    ids, patterns = disputed_patterns(disputed, demo)
    assert len(ids) == len(disputed) and ids.notna().all()
    assert patterns["leads"].sum() == len(disputed)
    assert ids.value_counts().sort_index().to_dict() == patterns.set_index("pattern_id")["leads"].sort_index().to_dict()
    by_id = patterns.set_index("pattern_id")
    assert by_id.loc[ids[0], "pattern"].startswith("1 demo requests never worked although rated high by the model and "
                                                   "fitting the ideal customer profile")
    assert by_id.loc[ids[3], "pattern"] == "2 leads rejected although rated high by the model, all from Partner X: definition problem?"
    assert by_id.loc[ids[1], "leads"] == 3  # a2, a3, d2: no demo request
    assert "follow-up failure?" in by_id.loc[ids[1], "pattern"]
    assert by_id.loc[ids[1], "source_shares"] == "Web 67%; Fair 33%"
    assert patterns["leads"].is_monotonic_decreasing


def test_the_queue_holds_at_most_its_size_with_a_sample_of_each_pattern():
    disputed = _disputed()
    ids, patterns = disputed_patterns(disputed)
    worth = decision_worth(disputed)
    assert worth.tolist() == pytest.approx([0.95, 0.80, 0.70, 0.90, 0.60, 0.98, 0.90, 0.30, 0.40])
    queue = review_queue(disputed, ids, worth, size=5, patterns=patterns)
    assert list(queue.columns) == list(QUEUE_COLUMNS) and len(queue) == 5
    assert (queue["pattern"] == queue["pattern_id"].map(patterns.set_index("pattern_id")["pattern"])).all()
    assert set(queue["pattern_id"]) == set(patterns["pattern_id"])  # 4 patterns, each sampled
    assert queue["pattern_sample"].sum() == 4
    assert queue["worth"].is_monotonic_decreasing and queue["rank"].tolist() == [1, 2, 3, 4, 5]
    assert "d1" in set(queue["lead_id"])  # the only lead of its pattern, though it is worth least
    assert "a1" in set(queue["lead_id"]) and "b2" not in set(queue["lead_id"])
    assert (queue["decision"] == "").all() and (queue["note"] == "").all()
    assert len(review_queue(disputed, ids, worth, size=50)) == len(disputed)  # never more than there are
    assert len(review_queue(disputed, ids, worth, size=2)) == 2  # fewer slots than patterns: the largest ones


def test_queue_size_is_the_weekly_capacity_times_the_period():
    assert queue_size(25, 13) == 325
    assert queue_size(2.5, 3) == 7
    with pytest.raises(ContractError, match="positive size"):
        queue_size(0, 13)


# ----------------------------------------------------------------------------- decisions and labels

LEADS = """lead_id,source,created_at,sales_status,status_at,demo_requested
L1,Fair,2025-01-01,rejected,2025-01-03,true
L2,Fair,2025-01-02,unworked,,false
L3,Web,2025-01-03,accepted,2025-01-10,false
L4,Web,2025-01-04,accepted,2025-01-05,true
L5,Web,2025-01-05,rejected,2025-01-08,false
L6,Partner,,rejected,,false
L7,Partner,2025-01-07,unworked,,false
L8,Partner,2025-01-08,,,false
"""


@pytest.fixture()
def history(tmp_path: Path):
    path = tmp_path / "leads.csv"
    path.write_text(LEADS, encoding="utf-8")
    params = Params(split=SplitParams(method="random"), label=LabelParams(maturity_days=0))
    return load_history(path, None, params)


def _decisions(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "review.csv"
    path.write_text("rank,lead_id,decision,note\n" + body, encoding="utf-8")
    return path


def test_decisions_change_the_labels_by_exactly_their_count(history, tmp_path):
    path = _decisions(tmp_path, "1,L1,should_have_worked,\n2,L2,Should_Have_Worked ,\n3,L3,wrongly_accepted,\n"
                                "4,L4,should_have_worked,already accepted\n5,L5,rightly_rejected,\n6,L7,,\n"
                                "7,L6,wrongly_accepted,no date\n8,L8,rule_change,\"two\nlines\"\n")
    found = read_decisions(path, history.parsed.typed["lead_id"])
    assert found["lead_id"].tolist() == ["L1", "L2", "L3", "L4", "L5", "L6", "L8"]  # L7 not decided yet
    decided, applied = decided_labels(history, found, "accepted", "positive")
    before, after = history.y.to_numpy(), decided.y.to_numpy()
    changed = ~((before == after) | (np.isnan(before) & np.isnan(after)))
    assert int(changed.sum()) == applied.changed == 3  # L1 0->1, L2 excluded->1, L3 1->0
    assert after.tolist()[:5] == [1.0, 1.0, 0.0, 1.0, 0.0]
    assert applied.already == 1 and applied.not_usable == 1  # L4 was accepted already; L6 has no date
    assert decided.excluded.iloc[1] == "" and decided.excluded.iloc[5] == history.excluded.iloc[5] != ""
    assert applied.by_decision == {"should_have_worked": 3, "wrongly_accepted": 2, "rightly_rejected": 1, "rule_change": 1}
    assert "training labels changed for 3 leads, 1 already so, 1 without a usable date" in applied.text()
    assert history.y.iloc[0] == 0.0  # the input history is left as it was


def test_should_have_worked_can_exclude_instead(history, tmp_path):
    found = read_decisions(_decisions(tmp_path, "1,L1,should_have_worked,\n2,L2,should_have_worked,\n"),
                           history.parsed.typed["lead_id"])
    decided, applied = decided_labels(history, found, "accepted", "exclude")
    assert np.isnan(decided.y.iloc[0]) and decided.excluded.iloc[0] == EXCLUDED_BY_COMMITTEE
    assert applied.changed == 1 and applied.already == 1  # L2 was left out already


def test_decisions_need_target_accepted(history, tmp_path):
    found = read_decisions(_decisions(tmp_path, "1,L1,should_have_worked,\n"), history.parsed.typed["lead_id"])
    with pytest.raises(ContractError, match="target: accepted"):
        decided_labels(history, found, "won", "positive")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("1,L1,rightly_rejected,\"a note\nover two lines\"\n2,L2,maybe,\n", "line 4: decision 'maybe' for lead L2"),
        ("1,L1,rightly_rejected,\n2,L99,rule_change,\n", "line 3: lead_id 'L99' is not in the history"),
        ("1,L1,rightly_rejected,\n2,L2,,\n3,L1,should_have_worked,\n", "lines 2, 4: lead_id 'L1' is decided more than once"),
        ("1,L1,\"note\nover\nlines\",\n", "line 2: decision"),
    ],
)
def test_a_bad_decision_is_refused_naming_its_line(history, tmp_path, body, message):
    with pytest.raises(ContractError, match=message):
        read_decisions(_decisions(tmp_path, body), history.parsed.typed["lead_id"])


def test_a_lead_id_the_review_csv_quoted_against_formulas_is_read_back(tmp_path):
    from leadsift.pipeline.files import write_table

    path = write_table(pd.DataFrame({"lead_id": ["=L9", "+44", "L1"], "decision": ["rule_change", "", "rule_change"]}),
                       tmp_path / "review.csv", neutralize_formulas=True)
    assert "'=L9" in path.read_text(encoding="utf-8")
    found = read_decisions(path, pd.Series(["=L9", "+44", "L1"]))
    assert found["lead_id"].tolist() == ["=L9", "L1"]


def test_a_decisions_file_without_a_decision_column_is_refused(history, tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("lead_id,verdict\nL1,ok\n", encoding="utf-8")
    with pytest.raises(ContractError, match="no decision column"):
        read_decisions(path, history.parsed.typed["lead_id"])


# ----------------------------------------------------------------------------- follow-up and findings


def test_follow_up_per_source_tier_and_owner(history):
    leads = lead_outcomes(history)
    p = pd.Series([0.2, 0.6, 0.5, 0.9, 0.1, 0.3, 0.4, 0.5], index=leads.index)
    tier = pd.Series(["C", "A", "B", "A", "D", "C", "A", "A"], index=leads.index)  # L8 (tier A) still open
    owner = pd.Series(["Ann", "Ann", "Bob", "Bob", "Bob", None, "Ann", "Ann"], index=leads.index)
    table = follow_up(leads, p, history.parsed.typed["status_at"], tier, owner)
    overall = table[table["level"] == "all"].iloc[0]
    assert overall["leads"] == 8 and overall["decided"] == 7 and overall["never_worked"] == 2  # L8 still open
    assert overall["never_worked_share"] == pytest.approx(2 / 7)
    assert overall["expected_accepted_lost"] == pytest.approx(0.6 + 0.4)  # L2 and L7, never worked
    assert overall["median_days_to_decision"] == pytest.approx(2.5)  # 2, 7, 1, 3 days (L6 has no dates)
    assert overall["tier_a"] == 4 and overall["tier_a_never_worked_share"] == pytest.approx(2 / 3)  # L2, L7 of 3 decided
    src = table[table["level"] == "source"].set_index("name")
    assert src.loc["Fair", "never_worked_share"] == pytest.approx(0.5)
    assert src.loc["Web", "never_worked"] == 0 and src.loc["Partner", "expected_accepted_lost"] == pytest.approx(0.4)
    owners = table[table["level"] == "owner"].set_index("name")
    assert set(owners.index) == {"Ann", "Bob", "(no owner)"} and owners.loc["Ann", "never_worked"] == 2
    tiers = table[table["level"] == "tier"].set_index("name")
    assert tiers.index.tolist() == ["A", "B", "C", "D"] and tiers.loc["A", "never_worked_share"] == pytest.approx(2 / 3)
    assert tiers.loc["A", "tier_a_never_worked_share"] == tiers.loc["A", "never_worked_share"]
    for level in ("source", "tier", "owner"):  # each level covers every lead once
        assert table.loc[table["level"] == level, "leads"].sum() == 8
    no_tiers = follow_up(leads, p, None, None, None)
    assert set(no_tiers["level"]) == {"all", "source"} and no_tiers["tier_a"].isna().all()


def test_findings_count_decisions_per_source_and_pattern():
    decisions = pd.DataFrame({"lead_id": ["a1", "a2", "b1", "z9"],
                              "decision": ["should_have_worked", "should_have_worked", "rightly_rejected", "rule_change"]})
    source = pd.Series({"a1": "Fair", "a2": "Fair", "b1": "Partner X", "z9": "Web"})
    pattern = pd.Series({"a1": "P1", "a2": "P1", "b1": "P2"})
    found = committee_findings(decisions, source, pattern)
    by_source = found[found["level"] == "source"].set_index("name")
    assert by_source.loc["Fair", "should_have_worked"] == 2 and by_source.loc["Fair", "decided"] == 2
    by_pattern = found[found["level"] == "pattern"].set_index("name")
    assert by_pattern.loc[NOT_DISPUTED, "rule_change"] == 1 and by_pattern.loc["P2", "rightly_rejected"] == 1
    assert found.loc[found["level"] == "pattern", "decided"].sum() == len(decisions)
