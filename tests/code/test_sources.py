"""Source report units on tiny in-memory histories: rates, flags, spend, plan, capacity, disputes, HTML."""

from __future__ import annotations

import argparse
import math

import numpy as np
import pandas as pd
import pytest

from leadsift.errors import ContractError
from leadsift.features.contract import parse_contract
from leadsift.models.intervals import wilson_interval
from leadsift.params import IcpParams, params_from_dict
from leadsift.pipeline.files import verdicts_path, write_text
from leadsift.pipeline.ingest import History
from leadsift.pipeline.sources.capacity import capacity_view
from leadsift.pipeline.sources.command import add_parser, default_disputed_path, run_sources
from leadsift.pipeline.sources.disputes import DISPUTED_COLUMNS, disputed_leads
from leadsift.pipeline.sources.html import SECTION_IDS, relative_href, render_report
from leadsift.pipeline.sources.icp import icp_criteria
from leadsift.pipeline.sources.league import FLAG_BELOW, FLAG_TOO_FEW, league_table
from leadsift.pipeline.sources.outcomes import lead_outcomes
from leadsift.pipeline.sources.plan import plan_for_goal
from leadsift.pipeline.sources.prose import summary_sentences
from leadsift.pipeline.sources.report import build_report, flagged_sources
from leadsift.pipeline.sources.scored import scored_lists
from leadsift.pipeline.sources.spend import read_spend, spend_table
from leadsift.pipeline.sources.trend import quarterly_trend

PARAMS = params_from_dict({"sources": {"flag_share": 0.5, "min_outcomes": 30}})


def _rows(source, source_type, accepted, rejected, unworked=0, won=0, cost=None, amount=1000.0, start=0, icp=False):
    """Leads of one source: `won` of the accepted ones are won deals; one lead a day from day `start`."""
    statuses = ["accepted"] * accepted + ["rejected"] * rejected + ["unworked"] * unworked
    rows = []
    for i, status in enumerate(statuses):
        is_won = status == "accepted" and i < won
        rows.append(
            {
                "lead_id": f"{source[:12]}-{i}",
                "created_at": (pd.Timestamp("2025-01-01") + pd.Timedelta(days=start + i % 91)).isoformat(),
                "source": source,
                "source_type": source_type,
                "cost": "" if cost is None else str(cost),
                "email": f"person{i}@example.com",
                "employees": "500" if icp else "3",
                "industry": "software" if icp else "retail",
                "country": "US" if icp else "BR",
                "sales_status": status,
                "closed_won": "true" if is_won else "false",
                "won_amount": str(amount) if is_won else "",
            }
        )
    return rows


def _history(*groups) -> History:
    raw = pd.DataFrame([row for group in groups for row in group]).astype("str")
    parsed = parse_contract(raw, with_outcomes=True)
    return History(
        raw=raw,
        parsed=parsed,
        y=pd.Series(np.nan, index=raw.index),
        excluded=pd.Series("", index=raw.index, dtype="str"),
        as_of=None,
    )


def _standard() -> History:
    return _history(
        _rows("Website demo request", "inbound_demo", 60, 40, 5, won=20, cost=50, amount=5000),
        _rows("Partner referral", "partner", 45, 55, 0, won=10, cost=100, amount=8000),
        _rows("Prize draw", "prize_draw", 3, 197, 100, won=0, cost=2),
        _rows("Tiny webinar", "webinar", 2, 8, 0, won=1, cost=30),
    )


def _by_name(table: pd.DataFrame, level: str = "source") -> pd.DataFrame:
    return table[table["level"] == level].set_index("name")


# ----------------------------------------------------------------------------- Wilson interval


def test_wilson_interval_known_values():
    assert wilson_interval(0, 10) == pytest.approx((0.0, 0.27753), abs=1e-4)
    assert wilson_interval(5, 10) == pytest.approx((0.23659, 0.76341), abs=1e-4)
    assert wilson_interval(10, 10) == pytest.approx((0.72247, 1.0), abs=1e-4)
    assert wilson_interval(81, 263) == pytest.approx((0.25529, 0.36621), abs=1e-4)  # worked by hand
    low, high = wilson_interval(np.array([1, 0]), np.array([2, 0]))
    assert low[0] == pytest.approx(0.09453, abs=1e-4) and high[0] == pytest.approx(0.90547, abs=1e-4)
    assert math.isnan(low[1]) and math.isnan(high[1])


def test_wilson_interval_rejects_more_successes_than_trials():
    with pytest.raises(ValueError, match="0 <= k <= n"):
        wilson_interval(11, 10)


# ----------------------------------------------------------------------------- league table


def test_league_table_counts_rates_and_levels():
    table = league_table(_standard(), PARAMS)
    assert set(table["level"]) == {"source", "source_type"}
    src = _by_name(table)
    demo = src.loc["Website demo request"]
    assert (demo["leads"], demo["worked"], demo["accepted"], demo["unworked"], demo["won"]) == (105, 100, 60, 5, 20)
    assert demo["accept_rate"] == pytest.approx(0.6)
    assert demo["won_rate"] == pytest.approx(20 / 105)
    assert demo["revenue"] == pytest.approx(100_000)
    assert (demo["accept_low"], demo["accept_high"]) == pytest.approx(wilson_interval(60, 100))
    assert demo["source_type"] == "inbound_demo"
    overall = (60 + 45 + 3 + 2) / (100 + 100 + 200 + 10)
    assert table["average_accept_rate"].iloc[0] == pytest.approx(overall)
    types = _by_name(table, "source_type")
    assert types.loc["prize_draw", "leads"] == 300
    # source rows come first, best acceptance rate first
    assert list(table["level"][:4]) == ["source"] * 4
    assert table["name"].iloc[0] == "Website demo request"


def test_flags_below_average_and_too_few_outcomes():
    table = league_table(_standard(), PARAMS)
    src = _by_name(table)
    assert src.loc["Prize draw", "below_average"] and src.loc["Prize draw", "flag"] == FLAG_BELOW
    assert not src.loc["Website demo request", "below_average"]
    assert not src.loc["Partner referral", "below_average"]
    # 10 worked leads with a 20% rate: too few to judge, and never flagged
    assert src.loc["Tiny webinar", "too_few_outcomes"] and not src.loc["Tiny webinar", "below_average"]
    assert src.loc["Tiny webinar", "flag"] == FLAG_TOO_FEW
    assert flagged_sources(table) == ["Prize draw"]
    assert _by_name(table, "source_type").loc["prize_draw", "below_average"]


def test_flag_share_comes_from_params():
    strict = params_from_dict({"sources": {"flag_share": 0.01, "min_outcomes": 30}})
    assert flagged_sources(league_table(_standard(), strict)) == []


def test_spend_from_cost_and_from_spend_table():
    history = _standard()
    by_cost = _by_name(league_table(history, PARAMS))
    assert by_cost.loc["Prize draw", "spend"] == pytest.approx(300 * 2)
    assert by_cost.loc["Prize draw", "spend_from"] == "cost"
    assert by_cost.loc["Website demo request", "cost_per_accepted"] == pytest.approx(105 * 50 / 60)
    assert by_cost.loc["Website demo request", "return_on_spend"] == pytest.approx(100_000 / (105 * 50))

    spend = spend_table(pd.DataFrame({"source": ["Prize draw", "Not in history"], "spend": ["9000", "5"]}))
    table = league_table(history, PARAMS, spend)
    src = _by_name(table)
    assert src.loc["Prize draw", "spend"] == pytest.approx(9000)  # the spend table wins over cost
    assert src.loc["Prize draw", "spend_from"] == "spend table"
    assert src.loc["Partner referral", "spend"] == pytest.approx(100 * 100)  # cost where no table row
    assert _by_name(table, "source_type").loc["prize_draw", "spend"] == pytest.approx(9000)
    total = src["spend"].sum()
    assert src.loc["Prize draw", "share_of_spend"] == pytest.approx(9000 / total)


def test_source_without_cost_or_spend_has_unknown_spend():
    history = _history(_rows("Organic", "organic", 10, 30), _rows("Paid", "paid_search", 10, 30, cost=5))
    src = _by_name(league_table(history, PARAMS))
    assert math.isnan(src.loc["Organic", "spend"]) and src.loc["Organic", "spend_from"] == "none"
    assert math.isnan(src.loc["Organic", "cost_per_accepted"])


def test_history_without_sales_status_is_an_error():
    history = _standard()
    raw = history.raw.drop(columns=["sales_status"])
    bare = History(
        raw=raw, parsed=parse_contract(raw, with_outcomes=True), y=history.y, excluded=history.excluded, as_of=None
    )
    with pytest.raises(ContractError, match="sales_status"):
        lead_outcomes(bare)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("source,amount\nA,10\n", r"missing column\(s\) \['spend'\]"),
        ("source,spend\nA,ten\n", "not a number"),
        ("source,spend\nA,-5\n", "negative"),
        ("source,spend\nA,5\nA,6\n", "more than once"),
        ("source,spend\n,5\n", "without a source name"),
    ],
    ids=["no-spend-column", "not-a-number", "negative", "duplicate-source", "blank-source"],
)
def test_bad_spend_file_is_an_error(tmp_path, content, message):
    path = tmp_path / "spend.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ContractError, match=message):
        read_spend(path)


# ----------------------------------------------------------------------------- planning


def test_plan_cheapest_first_within_caps_and_agrees_with_the_table():
    table = league_table(_standard(), PARAMS)
    src = _by_name(table)
    plan = plan_for_goal(table, "accepted", 50, period_weeks=4)
    rows = plan.rows.set_index("source")
    # Prize draw is flagged and Tiny webinar has too few outcomes: neither is planned.
    assert set(rows.index) <= {"Website demo request", "Partner referral"}
    assert dict(plan.skipped) == {"Prize draw": "flagged below average", "Tiny webinar": FLAG_TOO_FEW}
    assert list(plan.rows["unit_cost"]) == sorted(plan.rows["unit_cost"])
    for name, r in rows.iterrows():
        t = src.loc[name]
        assert r["cap_leads"] == math.floor(t["leads_per_week"] * 4 + 1e-9)
        assert r["leads"] <= r["cap_leads"]
        assert r["spend"] == pytest.approx(r["leads"] * t["cost_per_lead"])
        assert r["expected_accepted"] == pytest.approx(r["leads"] * t["accepted_per_lead"])
        assert r["expected_revenue"] == pytest.approx(r["leads"] * t["revenue_per_lead"])
    assert plan.expected == pytest.approx(plan.rows["expected_accepted"].sum())
    assert plan.spend == pytest.approx(plan.rows["spend"].sum())
    # Every source but the last one filled is at its cap.
    assert plan.rows["at_cap"].iloc[:-1].all()


def test_plan_says_when_a_goal_is_out_of_reach():
    table = league_table(_standard(), PARAMS)
    plan = plan_for_goal(table, "accepted", 10_000, period_weeks=4)
    assert not plan.reachable
    assert plan.rows["at_cap"].all()
    assert plan.expected == pytest.approx(plan.most_reachable)
    reachable = plan_for_goal(table, "accepted", 5, period_weeks=4)
    assert reachable.reachable and reachable.expected >= 5


def test_plan_for_revenue_orders_by_return_on_spend():
    table = league_table(_standard(), PARAMS)
    plan = plan_for_goal(table, "revenue", 20_000, period_weeks=4)
    assert plan.reachable and plan.rows["source"].iloc[0] == "Website demo request"  # 95 per 50 spent vs 76 per 100
    assert plan.expected == pytest.approx(plan.rows["expected_revenue"].sum())


@pytest.mark.parametrize(
    ("kind", "value"), [("accepted", 0), ("accepted", -3), ("clicks", 10), ("revenue", float("nan"))]
)
def test_plan_rejects_a_bad_goal(kind, value):
    table = league_table(_standard(), PARAMS)
    with pytest.raises(ContractError):
        plan_for_goal(table, kind, value)


# ----------------------------------------------------------------------------- capacity


def test_capacity_hands_over_the_best_leads_and_compares_with_arrival_order():
    p = np.array([0.9, 0.1, 0.8, 0.2, 0.7, 0.3, 0.6, 0.05])
    scores = pd.DataFrame({"p_accept": p, "score": np.round(p * 100)})
    view = capacity_view(scores, capacity_per_week=2, weeks=2)
    assert view.arrivals_per_week == 4
    assert view.handed_per_week == 2
    assert view.share_passed == pytest.approx(0.5)
    assert view.threshold_p == pytest.approx(0.6) and view.threshold_score == 60
    assert view.expected_accepted_per_week == pytest.approx((0.9 + 0.8 + 0.7 + 0.6) / 2)
    assert view.arrival_order_accepted_per_week == pytest.approx(4 * p.mean() / 2)
    assert view.all_leads_accepted_per_week == pytest.approx(p.sum() / 2)
    assert view.curve["by_score"].iloc[-1] == pytest.approx(p.sum() / 2)


def test_capacity_above_arrivals_passes_everything():
    scores = pd.DataFrame({"p_accept": [0.5, 0.2, np.nan], "score": [50, 20, np.nan]})
    view = capacity_view(scores, capacity_per_week=100, weeks=1)
    assert view.handed_per_week == 2  # the unscorable lead is never handed over
    assert view.expected_accepted_per_week == pytest.approx(view.arrival_order_accepted_per_week)


@pytest.mark.parametrize(("capacity", "weeks"), [(0, 4), (-1, 4), (10, 0)])
def test_capacity_rejects_non_positive_inputs(capacity, weeks):
    with pytest.raises(ContractError):
        capacity_view(pd.DataFrame({"p_accept": [0.5], "score": [50]}), capacity, weeks)


# ----------------------------------------------------------------------------- disputed leads


def _dispute_history() -> History:
    return _history(
        _rows("Fit", "webinar", 5, 5, 2, icp=True),
        _rows("Unfit", "content", 5, 15, 0, icp=False),
    )


def test_disputed_leads_from_model_and_icp():
    history = _dispute_history()
    leads = lead_outcomes(history)
    criteria = icp_criteria(history.parsed.typed, IcpParams(industries=("software",), countries=("US",)))
    p = np.where(leads["source"] == "Fit", 0.6, 0.03)
    p[(leads["source"] == "Unfit").to_numpy() & (leads["sales_status"] == "rejected").to_numpy()] = 0.05
    hot = leads.index[(leads["source"] == "Unfit") & (leads["sales_status"] == "rejected")][0]
    p[leads.index.get_loc(hot)] = 0.95
    scores = pd.DataFrame(
        {"p_accept": p, "tier": np.where(p >= 0.5, "A", "D"), "reasons": "for: asked for a demo"}, index=leads.index
    )
    out = disputed_leads(leads, criteria, scores, high_share=0.1, low_share=0.25)
    assert list(out.columns) == list(DISPUTED_COLUMNS)
    assert not {"email", "phone", "first_name", "last_name"} & set(out.columns)
    by_id = out.set_index("lead_id")
    # rejected although the model rates it high
    assert "rejected although the model rates it high" in by_id.loc[leads.loc[hot, "lead_id"], "why_disputed"]
    # every rejected or unworked lead of the fitting source: tier A and full ICP fit
    fit_passed = leads[(leads["source"] == "Fit") & leads["sales_status"].isin(["rejected", "unworked"])]
    for lead_id in fit_passed["lead_id"]:
        why = by_id.loc[lead_id, "why_disputed"]
        assert "model rates it high" in why and "fits the ideal customer profile (size, industry, country)" in why
    assert (
        "never worked"
        in by_id.loc[fit_passed[fit_passed["sales_status"] == "unworked"]["lead_id"].iloc[0], "why_disputed"]
    )
    # accepted leads of the unfit source: low p and no ICP criterion met
    unfit_accepted = leads[(leads["source"] == "Unfit") & (leads["sales_status"] == "accepted")]
    for lead_id in unfit_accepted["lead_id"]:
        why = by_id.loc[lead_id, "why_disputed"]
        assert why.startswith("accepted although the model rates it low") and "and it meets none" in why
    # a rejected, low-rated, unfit lead is no dispute
    quiet = leads[(leads["source"] == "Unfit") & (leads["sales_status"] == "rejected") & (leads.index != hot)]
    assert not set(quiet["lead_id"]) & set(out["lead_id"])
    # passed-over leads first, highest p first
    assert out["sales_status"].iloc[0] != "accepted" and out["p_accept"].iloc[0] == pytest.approx(0.95)


def test_disputed_leads_without_a_model_use_the_icp_only():
    history = _dispute_history()
    leads = lead_outcomes(history)
    criteria = icp_criteria(history.parsed.typed, IcpParams(industries=("software",), countries=("US",)))
    out = disputed_leads(leads, criteria, None)
    assert len(out) == 7 + 5  # fitting leads passed over, unfitting leads accepted
    assert out["p_accept"].isna().all() and (out["tier"] == "").all()


def test_disputed_leads_reject_bad_shares():
    history = _dispute_history()
    leads = lead_outcomes(history)
    with pytest.raises(ContractError, match="between 0 and 1"):
        disputed_leads(leads, icp_criteria(history.parsed.typed, IcpParams()), None, high_share=1.5)


# ----------------------------------------------------------------------------- scored lists


def _scored_file(tmp_path, name="new_list.csv"):
    frame = pd.DataFrame(
        {
            "lead_id": ["n1", "n2", "n3", "n4"],
            "source": ["Expo prize draw", "Expo prize draw", "Expo prize draw", "Website demo request"],
            "source_type": ["prize_draw", "prize_draw", "prize_draw", "inbound_demo"],
            "cost": ["5", "5", "5", "40"],
            "p_accept": ["0.02", "0.04", "0.03", "0.6"],
            "score": ["2", "4", "3", "60"],
            "tier": ["D", "D", "D", "A"],
            "reasons": ["", "", "", ""],
            "score_error": ["", "phone: not a phone", "", ""],
        }
    )
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


def test_scored_lists_without_sibling_use_mean_p_accept(tmp_path):
    path = _scored_file(tmp_path)
    table = league_table(_standard(), PARAMS)
    out = scored_lists([path], table).set_index("source")
    draw = out.loc["Expo prize draw"]
    assert draw["rows"] == 3 and draw["expected_accept_rate"] == pytest.approx(0.03)
    assert draw["expected_accept_low"] < 0.03 < draw["expected_accept_high"]
    assert draw["verdict"] == "unknown" and not draw["from_sibling"]
    assert draw["tier_D"] == 3 and draw["score_errors"] == 1 and draw["spend"] == pytest.approx(15)
    assert draw["expected_accepted"] == pytest.approx(0.09)
    assert draw["historical_accept_rate"] == pytest.approx(table["average_accept_rate"].iloc[0])
    # a source new to the history gets its source type's past rate, and says so
    types = _by_name(table, "source_type")
    assert draw["source_history_rate"] == pytest.approx(types.loc["prize_draw", "accept_rate"])
    assert draw["historical_basis"] == "source type prize_draw"
    assert out.loc["Website demo request", "source_history_rate"] == pytest.approx(0.6)
    assert out.loc["Website demo request", "historical_basis"] == "source"


def _verdicts(path, verdict="low_quality", rate=0.031, history=0.2):
    """A per-source verdict file as `leadsift score` writes it, for the list's Expo prize draw rows."""
    pd.DataFrame(
        {
            "source": ["Expo prize draw"],
            "rows": [3],
            "expected_accept_rate": [rate],
            "historical_accept_rate": [history],
            "verdict": [verdict],
        }
    ).to_csv(path, index=False)


def test_scored_lists_read_the_summary_leadsift_score_writes_beside_them(tmp_path):
    path = _scored_file(tmp_path, "new_list.scored.csv")
    assert verdicts_path(path) == tmp_path / "new_list.scored.sources.csv"
    _verdicts(verdicts_path(path))
    out = scored_lists([path]).set_index("source")
    assert out.loc["Expo prize draw", "verdict"] == "low_quality" and out.loc["Expo prize draw", "from_sibling"]
    assert out.loc["Expo prize draw", "expected_accept_rate"] == pytest.approx(0.031)
    assert out.loc["Expo prize draw", "historical_accept_rate"] == pytest.approx(0.2)
    assert out.loc["Website demo request", "verdict"] == "unknown"


def test_scored_lists_ignore_a_stale_summary_under_another_name(tmp_path):
    """`leadsift score -o x.scored.csv` writes x.scored.sources.csv; an x.sources.csv beside it is another run's."""
    path = _scored_file(tmp_path, "new_list.scored.csv")
    _verdicts(tmp_path / "new_list.sources.csv", verdict="ok", rate=0.5, history=0.9)  # stale: not this list's
    alone = scored_lists([path]).set_index("source").loc["Expo prize draw"]
    assert alone["verdict"] == "unknown" and not alone["from_sibling"]
    assert alone["expected_accept_rate"] == pytest.approx(0.03)  # the list's own mean p_accept
    _verdicts(tmp_path / "new_list.scored.sources.csv")  # the one `leadsift score` wrote for this list
    draw = scored_lists([path]).set_index("source").loc["Expo prize draw"]
    assert draw["verdict"] == "low_quality" and draw["from_sibling"]
    assert draw["expected_accept_rate"] == pytest.approx(0.031)
    assert draw["historical_accept_rate"] == pytest.approx(0.2)


def test_scored_list_summary_without_a_verdict_is_an_error(tmp_path):
    path = _scored_file(tmp_path)
    pd.DataFrame({"source": ["Expo prize draw"], "rows": [3]}).to_csv(tmp_path / "new_list.sources.csv", index=False)
    with pytest.raises(ContractError, match="missing column"):
        scored_lists([path])


def test_scored_list_without_p_accept_is_an_error(tmp_path):
    path = tmp_path / "raw.csv"
    pd.DataFrame({"lead_id": ["a"], "source": ["x"]}).to_csv(path, index=False)
    with pytest.raises(ContractError, match="no p_accept column"):
        scored_lists([path])


# ----------------------------------------------------------------------------- summary and HTML


def test_summary_names_the_flagged_share_of_spend_and_accepted_leads():
    table = league_table(_standard(), PARAMS)
    text = summary_sentences(table)
    src = _by_name(table)
    spend_share = src.loc["Prize draw", "spend"] / src["spend"].sum()
    assert text[0].startswith('The prize_draw source "Prize draw" cost')
    assert f"{100 * spend_share:.1f}% of spend" in text[0]
    assert "produced 2.7% of accepted leads" in text[0]  # 3 of 110


def _report(tmp_path, history=None, **kwargs):
    history = history or _standard()
    return build_report(history, PARAMS, **kwargs)


def test_html_has_every_section_and_escapes_source_names(tmp_path):
    evil = "<script>alert(1)</script>"
    history = _history(
        _rows("Website demo request", "inbound_demo", 60, 40, won=5, cost=50),
        _rows(evil, "prize_draw", 2, 98, cost=1),
        _rows('Quote " & <b>bold</b>', "content", 30, 70, cost=3),
    )
    report = build_report(history, PARAMS)
    html = render_report(report, data_name="<img src=x>.csv", disputed_href="r.disputed.csv")
    for sid in SECTION_IDS:
        assert f'<section id="{sid}">' in html
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<img src=x>" not in html
    assert "http://" not in html and "https://" not in html
    assert 'href="r.disputed.csv"' in html


def test_report_without_dates_still_renders(tmp_path):
    history = _standard()
    raw = history.raw.drop(columns=["created_at"])
    bare = History(
        raw=raw, parsed=parse_contract(raw, with_outcomes=True), y=history.y, excluded=history.excluded, as_of=None
    )
    report = build_report(bare, PARAMS)
    assert report.plan is None and report.capacity is None and report.trend.empty
    html = render_report(report)
    assert all(f'id="{sid}"' in html for sid in SECTION_IDS)


def test_build_report_with_a_model_scorer(tmp_path):
    history = _standard()

    def scorer(raw: pd.DataFrame) -> pd.DataFrame:
        p = np.where(raw["source"] == "Prize draw", 0.02, 0.5)
        return pd.DataFrame(
            {
                "p_accept": p,
                "score": np.round(p * 100),
                "tier": np.where(p >= 0.5, "A", "D"),
                "reasons": "",
                "score_error": "",
            },
            index=raw.index,
        )

    report = build_report(history, PARAMS, scorer=scorer, scorer_note="test", capacity_per_week=5)
    assert report.capacity.basis == "model"
    assert report.capacity.threshold_score == 50
    assert any("in-sample" in n for n in report.notes)


def test_write_html_is_atomic_and_links_are_relative(tmp_path):
    out = write_text("<p>x</p>", tmp_path / "sub" / "r.html")
    assert out.read_text(encoding="utf-8") == "<p>x</p>"
    assert [p.name for p in out.parent.iterdir()] == ["r.html"]
    assert relative_href(tmp_path / "sub" / "r.disputed.csv", out) == "r.disputed.csv"
    assert relative_href(tmp_path / "my list.csv", out) == "../my%20list.csv"


# ----------------------------------------------------------------------------- CLI


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="leadsift")
    add_parser(parser.add_subparsers(dest="command", required=True))
    return parser


def test_parser_takes_the_documented_arguments():
    args = _parser().parse_args(
        [
            "sources",
            "--data",
            "h.csv",
            "--spend",
            "s.csv",
            "--scored",
            "a.csv",
            "b.csv",
            "--scored",
            "c.csv",
            "-o",
            "r.html",
            "--csv",
            "t.csv",
            "--goal-revenue",
            "1e6",
            "--period-weeks",
            "26",
            "--capacity-per-week",
            "40",
        ]
    )
    assert args.scored == ["a.csv", "b.csv", "c.csv"]
    assert args.goal_revenue == 1e6 and args.goal_accepted is None and args.period_weeks == 26
    assert callable(args.func)
    assert default_disputed_path("out/r.html").as_posix() == "out/r.disputed.csv"
    with pytest.raises(SystemExit):
        _parser().parse_args(
            ["sources", "--data", "h.csv", "-o", "r.html", "--goal-accepted", "5", "--goal-revenue", "9"]
        )


def test_report_must_be_html(tmp_path):
    with pytest.raises(ContractError, match=r"\.html"):
        run_sources(tmp_path / "h.csv", tmp_path / "report.pdf", PARAMS, use_model=False)


def test_quarterly_trend_adds_up_to_the_table():
    history = _standard()
    trend = quarterly_trend(history)
    table = league_table(history, PARAMS)
    assert set(trend["level"]) == {"all", "source", "source_type"}
    by_source = trend[trend["level"] == "source"].groupby("name")[["leads", "accepted", "worked"]].sum()
    src = _by_name(table)
    for name, row in by_source.iterrows():
        assert (row["leads"], row["accepted"], row["worked"]) == tuple(src.loc[name, ["leads", "accepted", "worked"]])
    assert trend.loc[trend["level"] == "all", "leads"].sum() == src["leads"].sum()
