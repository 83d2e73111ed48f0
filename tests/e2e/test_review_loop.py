"""End to end, the review loop: `leadsift sources` writes a queue sized to the committee and its patterns,
the committee fills in decisions, `leadsift train --decisions` changes the labels by exactly their count
(and logs them to MLflow), `leadsift sources --decisions` reports what the committee found."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from leadsift.params import load_params
from leadsift.pipeline.cli import main
from leadsift.pipeline.demo.simulator import write_demo_data
from leadsift.pipeline.ingest import load_history

ROOT = Path(__file__).resolve().parents[2]
PERIOD_WEEKS = 2  # 25 a week: room for 50


@pytest.fixture(scope="module")
def loop(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("review_loop")
    paths = write_demo_data(tmp / "demo", n_leads=3000, seed=4)
    params = load_params(ROOT / "params.yaml")
    fast = params.model_copy(update={  # small and quick: no refit, no first model for the excess features
        "model": params.model.model_copy(update={"refit": False, "kind": "lightgbm"}),
        "features": params.features.model_copy(update={"history_excess": False}),
    })
    paths["params"] = tmp / "params.yaml"
    paths["params"].write_text(fast.to_yaml(), encoding="utf-8")
    paths["report"] = tmp / "report" / "r.html"
    argv = ["sources", "--data", str(paths["leads"]), "--params", str(paths["params"]), "-o", str(paths["report"]),
            "--no-model", "--period-weeks", str(PERIOD_WEEKS)]
    assert main(argv) == 0
    return paths


def _beside(loop: dict[str, Path], what: str) -> Path:
    return loop["report"].with_name(f"r.{what}.csv")


def test_the_queue_fits_the_committee_and_the_patterns_cover_every_disputed_lead_once(loop):
    disputed = pd.read_csv(_beside(loop, "disputed"), dtype={"lead_id": "str"})
    patterns = pd.read_csv(_beside(loop, "patterns"))
    queue = pd.read_csv(_beside(loop, "review"), dtype={"lead_id": "str", "decision": "str", "note": "str"})
    assert len(disputed) > 25 * PERIOD_WEEKS  # more disputed leads than the committee can review
    assert len(queue) == 25 * PERIOD_WEEKS
    assert set(queue["lead_id"]) <= set(disputed["lead_id"]) and queue["lead_id"].is_unique
    assert disputed["pattern_id"].notna().all()
    counts = disputed["pattern_id"].value_counts()
    assert counts.sort_index().to_dict() == patterns.set_index("pattern_id")["leads"].sort_index().to_dict()
    assert patterns["leads"].sum() == len(disputed)
    assert set(patterns["pattern_id"]) <= set(queue["pattern_id"])  # every pattern has a sample to rule on
    assert queue["decision"].isna().all() and queue["note"].isna().all()  # empty, for the committee

    page = loop["report"].read_text(encoding="utf-8")
    assert '<section id="review">' in page and '<section id="follow-up">' in page
    assert 'href="r.review.csv"' in page
    followup = pd.read_csv(_beside(loop, "followup"))
    sources = followup[followup["level"] == "source"]
    assert sources["leads"].sum() == followup.loc[followup["level"] == "all", "leads"].iloc[0]
    follow_section = page.split('<section id="follow-up">')[1].split("</section>")[0]
    assert all(name.replace("&", "&amp;") in follow_section for name in sources["name"])


def _decide(loop: dict[str, Path], tmp_path: Path) -> tuple[Path, pd.DataFrame]:
    """The committee's file: the queue with a decision on its first 30 rows."""
    queue = pd.read_csv(_beside(loop, "review"), dtype="str", keep_default_na=False)
    top = queue.index < 30
    accepted = queue["sales_status"] == "accepted"
    queue.loc[top & ~accepted, "decision"] = "should_have_worked"
    queue.loc[top & accepted, "decision"] = "wrongly_accepted"
    queue.loc[queue.index.isin([0, 1]), "decision"] = "rule_change"
    path = tmp_path / "decided.csv"
    queue.to_csv(path, index=False)
    return path, queue[queue["decision"] != ""]


def test_train_with_decisions_changes_the_labels_by_exactly_their_count(loop, tmp_path, mlflow_store, capsys):
    from mlflow.artifacts import download_artifacts
    from mlflow.tracking import MlflowClient

    path, decided = _decide(loop, tmp_path)
    params = load_params(loop["params"])
    before = load_history(loop["leads"], None, params)
    y = before.y.copy()
    y.index = before.parsed.typed["lead_id"].to_numpy()
    wanted = decided["decision"].map({"should_have_worked": 1.0, "wrongly_accepted": 0.0})
    expected = int((wanted.notna() & (y.loc[decided["lead_id"]].to_numpy() != wanted.to_numpy())).sum())
    assert expected > 0

    assert main(["train", "--data", str(loop["leads"]), "--params", str(loop["params"]), "--decisions", str(path)]) == 0
    printed = capsys.readouterr()
    assert f"training labels changed for {expected:,} leads" in printed.out + printed.err

    client = MlflowClient()
    run = client.search_runs([client.get_experiment_by_name(params.registry.experiment).experiment_id],
                             "tags.decisions_file = 'decided.csv'")[0]
    assert run.data.metrics["decisions_changed"] == expected
    labels = pd.read_csv(download_artifacts(run_id=run.info.run_id, artifact_path="data/labels.csv",
                                            dst_path=str(tmp_path / "dl")), dtype={"lead_id": "str"})
    assert labels["lead_id"].tolist() == before.parsed.typed["lead_id"].tolist()  # every lead, in file order
    after = labels["label"].to_numpy(dtype="float64")
    was = before.y.to_numpy(dtype="float64")
    assert int((~((after == was) | (np.isnan(after) & np.isnan(was)))).sum()) == expected
    artifacts = {a.path for a in client.list_artifacts(run.info.run_id, "decisions")}
    assert artifacts == {"decisions/decided.csv", "decisions/applied.csv"}


def test_a_bad_decision_is_refused_with_its_line(loop, tmp_path, mlflow_store, capsys):
    path, _ = _decide(loop, tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("should_have_worked", "shouldve_worked").replace("wrongly_accepted", "shouldve_worked")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for command in (["train"], ["sources", "-o", str(tmp_path / "x.html"), "--no-model"]):
        argv = [*command, "--data", str(loop["leads"]), "--params", str(loop["params"]), "--decisions", str(path)]
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "line 4: decision 'shouldve_worked'" in err and "Traceback" not in err
    assert not (tmp_path / "x.html").exists()


def test_sources_with_decisions_reports_what_the_committee_found(loop, tmp_path, capsys):
    path, decided = _decide(loop, tmp_path)
    out = tmp_path / "again.html"
    argv = ["sources", "--data", str(loop["leads"]), "--params", str(loop["params"]), "-o", str(out), "--no-model",
            "--period-weeks", str(PERIOD_WEEKS), "--decisions", str(path)]
    assert main(argv) == 0
    assert f"committee decisions read: {len(decided):,}" in capsys.readouterr().out
    findings = pd.read_csv(tmp_path / "again.findings.csv")
    by_source = findings[findings["level"] == "source"].set_index("name")
    assert by_source["decided"].sum() == len(decided)
    assert by_source["should_have_worked"].sum() == (decided["decision"] == "should_have_worked").sum()
    page = out.read_text(encoding="utf-8")
    assert f"The committee decided {len(decided):,} leads" in page
    found = page.split('<section id="review">')[1].split("</section>")[0]
    assert "What the committee found" in found
    for source in decided["source"].unique():
        assert source.replace("&", "&amp;") in found


def test_follow_up_per_owner_with_the_salesforce_preset(tmp_path, capsys):
    sample = ROOT / "tests" / "samples" / "salesforce_leads.csv"
    out = tmp_path / "sf.html"
    assert main(["sources", "--data", str(sample), "--preset", "salesforce", "-o", str(out), "--no-model",
                 "--params", str(ROOT / "params.yaml")]) == 0
    raw = pd.read_csv(sample, dtype="str")
    followup = pd.read_csv(tmp_path / "sf.followup.csv")
    owners = followup[followup["level"] == "owner"].set_index("name")
    assert owners["leads"].to_dict() == raw["Lead Owner"].value_counts().to_dict()
    assert "By owner" in out.read_text(encoding="utf-8")
