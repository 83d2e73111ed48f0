"""The source report says what it used and labels what it assumed: provenance, currency, one average,
the default goal, a readable trend, type names as written, and the review and follow-up in the summary."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from leadsift.params import load_params
from leadsift.pipeline.demo.simulator import write_demo_data
from leadsift.pipeline.ingest import load_history
from leadsift.pipeline.sources.charts import trend_series
from leadsift.pipeline.sources.html import render_report
from leadsift.pipeline.sources.outcomes import as_written
from leadsift.pipeline.sources.report import build_report

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory):
    paths = write_demo_data(tmp_path_factory.mktemp("fixes"), n_leads=2000, seed=9)
    params = load_params(ROOT / "params.yaml")
    loading = params.model_copy(update={"split": params.split.model_copy(update={"method": "random"})})
    return load_history(paths["leads"], None, loading)


def test_source_types_are_grouped_whatever_their_case_and_shown_as_written():
    types = pd.Series(["Webinar", "webinar", "Webinar", None, "prize_draw"])
    shown = as_written(types)
    assert shown.tolist()[:3] == ["Webinar", "Webinar", "Webinar"] and pd.isna(shown.iloc[3])
    assert shown.iloc[4] == "prize_draw"  # not "prize-draw" or "prize draw"


def test_the_trend_draws_the_largest_types_and_sums_the_rest():
    rows = [("all", "All sources", "2025Q1", 800, 400, 100)]
    rows += [("source_type", f"type{i}", "2025Q1", 100 - i, 50, 10 + i) for i in range(8)]
    trend = pd.DataFrame(rows, columns=["level", "name", "quarter", "leads", "worked", "accepted"]).assign(
        accept_rate=lambda f: f["accepted"] / f["worked"])
    series = trend_series(trend, top=5)
    assert series["name"].tolist() == ["All sources", "type0", "type1", "type2", "type3", "type4", "other types (3)"]
    rest = series.iloc[-1]
    assert rest["worked"] == 150 and rest["accepted"] == 15 + 16 + 17
    assert rest["accept_rate"] == pytest.approx(48 / 150)


def test_the_default_goal_is_labelled_and_a_given_one_is_not(history):
    params = load_params(ROOT / "params.yaml")
    default = build_report(history, params)
    assert any("default goal (no goal given: the history's average) of" in s for s in default.summary)
    assert "Default goal (no goal given" in render_report(default)
    given = build_report(history, params, goal_kind="accepted", goal_value=40)
    assert not any("default goal" in s for s in given.summary)
    assert "Default goal" not in render_report(given)


def test_one_average_named_everywhere_with_provenance_and_currency(history):
    params = load_params(ROOT / "params.yaml")
    params = params.model_copy(update={"report": params.report.model_copy(update={"currency": "EUR"})})
    provenance = {"params": "params.yaml", "model": "models:/leadsift@champion, version 3", "data": "leads.csv"}
    report = build_report(history, params, provenance=provenance, model_average=0.1875)
    average = float(report.table["average_accept_rate"].iloc[0])
    note = next(n for n in report.notes if n.startswith("The historical average"))
    assert f"{100 * average:.1f}%" in note and "18.8%" in note and "label.maturity_days" in note
    assert f"{100 * average:.1f}% of those accepted" in " ".join(report.summary)  # the same figure, same digits
    page = render_report(report)
    assert "models:/leadsift@champion, version 3" in page and "params.yaml" in page
    assert "in EUR" in page and page.count("Spend (EUR)") == 3  # league tables by source and type, the plan
    assert "Cost per accepted lead (EUR)" in page
    assert any(" EUR of spend" in s or " EUR each" in s for s in report.summary), report.summary  # the sentences too
    without = render_report(build_report(history, load_params(ROOT / "params.yaml")))
    assert "set report.currency to name it" in without and "(EUR)" not in without


def test_the_summary_puts_the_queue_patterns_and_follow_up_beside_the_disputed_count(history):
    report = build_report(history, load_params(ROOT / "params.yaml"), period_weeks=4)
    review = report.review
    assert review.size == 100 and len(review.queue) <= 100
    text = " ".join(report.summary)
    assert f"{len(report.disputed):,} leads are disputed" in text
    assert f"The review queue holds the {len(review.queue):,}" in text
    assert f"fall into {len(review.patterns):,} patterns" in text
    assert "would have brought about" in text
