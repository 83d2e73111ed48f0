"""End to end: demo history -> `leadsift sources` (no model) -> HTML report, table CSV, disputed CSV."""

from __future__ import annotations

import argparse
import html
import math
from pathlib import Path

import pandas as pd
import pytest

from leadsift.params import load_params
from leadsift.pipeline.cli import main
from leadsift.pipeline.demo.simulator import write_demo_data
from leadsift.pipeline.sources.command import add_parser
from leadsift.pipeline.sources.html import SECTION_IDS

ROOT = Path(__file__).resolve().parents[2]
PRIZE_DRAWS = ("Trade show 2025 iPad prize draw", "Summer sweepstakes 2025")
STRONG = ("Website demo request", "Partner referral - Acme Consulting", "Customer referral program")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    paths = write_demo_data(tmp_path_factory.mktemp("demo"), n_leads=6000, seed=3)
    # A freshly scored list as `leadsift score` writes it: the input columns plus the score columns.
    new = pd.read_csv(paths["new_prize_draw"], dtype="str", keep_default_na=False, na_values=[""])
    scored = new.assign(p_accept="0.03", score="3", tier="D", reasons="against: personal e-mail address", score_error="")
    paths["scored"] = paths["new_prize_draw"].with_name("new_prize_draw.scored.csv")
    scored.to_csv(paths["scored"], index=False)
    return paths


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    parser = argparse.ArgumentParser(prog="leadsift")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    assert args.func(args) == 0
    return capsys.readouterr().out


def test_sources_report_flags_the_prize_draws_and_not_the_strong_sources(demo, tmp_path, mlflow_store, capsys):
    out_html = tmp_path / "report" / "sources.html"
    out_csv = tmp_path / "report" / "sources.csv"
    printed = _run(
        [
            "sources",
            "--data",
            str(demo["leads"]),
            "--spend",
            str(demo["source_spend"]),
            "--scored",
            str(demo["scored"]),
            "--params",
            str(ROOT / "params.yaml"),
            "-o",
            str(out_html),
            "--csv",
            str(out_csv),
            "--goal-accepted",
            "60",
        ],
        capsys,
    )

    table = pd.read_csv(out_csv)
    assert set(table["level"]) == {"source", "source_type"}
    src = table[table["level"] == "source"].set_index("name")
    for name in PRIZE_DRAWS:
        assert bool(src.loc[name, "below_average"]), f"{name} should be flagged"
        assert name in printed.split("\n")[0]
    for name in STRONG:
        assert not bool(src.loc[name, "below_average"]), f"{name} should not be flagged"
    assert (src["spend_from"] == "spend table").all()
    spend = pd.read_csv(demo["source_spend"]).set_index("source")["spend"]
    assert src["spend"].sort_index().to_numpy() == pytest.approx(spend.sort_index().to_numpy())
    assert "The two prize_draw sources cost" in printed

    page = out_html.read_text(encoding="utf-8")
    for sid in SECTION_IDS:
        assert f'<section id="{sid}">' in page
    for name in src.index:
        assert html.escape(name) in page
    assert "new_prize_draw.scored.csv" in page

    disputed = out_html.with_name("sources.disputed.csv")
    assert disputed.exists() and 'href="sources.disputed.csv"' in page
    rows = pd.read_csv(disputed)
    assert list(rows.columns) == [
        "lead_id",
        "source",
        "sales_status",
        "p_accept",
        "tier",
        "icp_criteria_met",
        "reasons",
        "why_disputed",
        "pattern_id",
    ]
    assert len(rows) > 0 and rows["why_disputed"].notna().all()
    leads = pd.read_csv(demo["leads"], dtype="str")
    emails = set(leads["email"].dropna())
    assert not emails & set(rows.astype("str").to_numpy().ravel())
    assert "no tracking store" in page  # no champion here: ICP only, and the report says so


def test_plan_numbers_agree_with_the_table(demo, tmp_path):
    from leadsift.pipeline.sources.command import run_sources

    params = load_params(ROOT / "params.yaml")
    run = run_sources(
        demo["leads"],
        tmp_path / "r.html",
        params,
        spend=demo["source_spend"],
        goal_kind="accepted",
        goal_value=60,
        period_weeks=13,
        use_model=False,
    )
    plan, table = run.report.plan, run.report.table
    src = table[table["level"] == "source"].set_index("name")
    assert plan is not None and plan.reachable
    assert not set(plan.rows["source"]) & set(PRIZE_DRAWS)
    for _, r in plan.rows.iterrows():
        t = src.loc[r["source"]]
        assert r["leads"] <= math.floor(t["leads_per_week"] * 13 + 1e-9)
        assert r["spend"] == pytest.approx(r["leads"] * t["cost_per_lead"])
        assert r["expected_accepted"] == pytest.approx(r["leads"] * t["accepted_per_lead"])
    assert plan.expected >= 60
    view = run.report.capacity
    assert view is not None and view.basis == "icp"
    assert view.expected_accepted_per_week >= view.arrival_order_accepted_per_week


def test_missing_spend_column_is_a_clear_error(demo, tmp_path):
    from leadsift.errors import ContractError
    from leadsift.pipeline.sources.command import run_sources

    bad = tmp_path / "spend.csv"
    bad.write_text("source,budget\nOrganic search,0\n", encoding="utf-8")
    with pytest.raises(ContractError, match="spend"):
        run_sources(demo["leads"], tmp_path / "r.html", load_params(ROOT / "params.yaml"), spend=bad, use_model=False)


@pytest.mark.parametrize("flag", ["--csv", "--disputed"])
def test_sources_never_writes_over_its_inputs(demo, tmp_path, capsys, flag):
    history = tmp_path / "history.csv"
    history.write_bytes(Path(demo["leads"]).read_bytes())
    before = history.read_bytes()
    argv = ["sources", "--data", str(history), "-o", str(tmp_path / "r.html"), flag, str(tmp_path / "." / "history.csv"),
            "--no-model"]
    assert main(argv) == 2
    assert "would overwrite the input" in capsys.readouterr().err
    assert history.read_bytes() == before and not (tmp_path / "r.html").exists()
