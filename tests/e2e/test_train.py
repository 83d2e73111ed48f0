"""End to end: demo data -> leadsift train -> MLflow run, registered champion, loadable pyfunc."""

from __future__ import annotations

import re
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd
import pytest
from mlflow.tracking import MlflowClient

from leadsift.params import load_params
from leadsift.pipeline.cli import main
from leadsift.pipeline.demo.simulator import write_demo_data
from leadsift.pipeline.train import run_training

ROOT = Path(__file__).resolve().parents[2]
METRICS = ("test_roc_auc", "test_pr_auc", "test_log_loss", "test_brier", "test_ece", "test_lift_at_10", "test_capture_at_20")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_demo_data(tmp_path_factory.mktemp("demo"), n_leads=8_000, seed=11)


def test_train_logs_registers_and_scores(demo, mlflow_store, capsys):
    code = main(["train", "--data", str(demo["leads"]), "--params", str(ROOT / "params.yaml")])
    assert code == 0
    printed = capsys.readouterr()
    assert "excluded" in printed.out and "is now the champion: no champion yet" in printed.out
    assert "[1/9] reading" in printed.err

    mlflow.set_tracking_uri(mlflow_store)
    client = MlflowClient()
    runs = client.search_runs([client.get_experiment_by_name("leadsift").experiment_id])
    parents = [r for r in runs if "mlflow.parentRunId" not in r.data.tags]
    assert len(parents) == 1
    run = parents[0]
    # each baseline is a child run with the model's metric names
    baselines = {r.data.tags["baseline"]: r.data.metrics for r in runs if r.data.tags.get("mlflow.parentRunId") == run.info.run_id}
    assert {"logreg", "source_rate", "icp_rules"} <= set(baselines)
    for name in METRICS:
        assert name in run.data.metrics
        assert all(name in metrics for metrics in baselines.values())
    assert run.data.metrics["test_roc_auc"] > baselines["icp_rules"]["test_roc_auc"]
    assert any(k.startswith("excluded_unworked") for k in run.data.metrics)
    artifacts = {a.path for a in client.list_artifacts(run.info.run_id, "plots")}
    assert {"plots/roc.png", "plots/calibration.png", "plots/gains.png", "plots/feature_importance.png",
            "plots/acceptance_by_tier.png"} <= artifacts
    assert run.data.params["dataset.sha256"]
    assert str(client.get_model_version_by_alias("leadsift", "champion").version) == "1"

    model = mlflow.pyfunc.load_model("models:/leadsift@champion")
    new = pd.read_csv(demo["new_strong"], dtype=str, keep_default_na=False, na_values=[""])
    out = model.predict(new.head(50))
    assert list(out.columns) == ["p_accept", "score", "tier", "reasons", "score_error"]
    assert len(out) == 50 and out["p_accept"].between(0, 1).all()
    assert out["reasons"].str.contains(r"^(?:for|against): ", regex=True).all()


def test_same_data_same_params_identical_results_and_equal_auc_promoted(demo, mlflow_store, capsys):
    params = load_params(ROOT / "params.yaml")
    first = run_training(demo["leads"], None, params)
    second = run_training(demo["leads"], None, params)
    assert first.metrics == second.metrics
    np.testing.assert_array_equal(first.test_predictions["p_accept"], second.test_predictions["p_accept"])
    assert first.decision.promoted
    # Equal AUC on the same slice keeps the rule "at least the champion's": the new one is promoted.
    assert second.decision.champion_auc == pytest.approx(second.decision.new_auc)
    assert second.decision.promoted


def test_missing_required_column_is_a_clear_cli_error(tmp_path, mlflow_store, capsys):
    path = tmp_path / "leads.csv"
    pd.DataFrame({"lead_id": ["a"], "created_at": ["2025-01-01"]}).to_csv(path, index=False)
    assert main(["train", "--data", str(path)]) == 2
    assert "missing required column(s): source" in capsys.readouterr().err


def _history_csv(tmp_path, n=300, **columns):
    frame = pd.DataFrame({
        "lead_id": [f"L{i}" for i in range(n)],
        "created_at": pd.date_range("2025-01-01", periods=n, freq="D").strftime("%Y-%m-%d"),
        "source": ["Webinar", "Expo"] * (n // 2),
        "sales_status": ["accepted", "rejected", "rejected"] * (n // 3),
        "status_at": pd.date_range("2025-01-05", periods=n, freq="D").strftime("%Y-%m-%d"),
    }).assign(**columns)
    path = tmp_path / "history.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ({"sales_status": ["Closed - Converted", "Open - Not Contacted", "Working"] * 100},
         "0 rows have a usable label.*excluded as no outcome recorded.*sales_status holds 'Closed - Converted' \\(100\\)"),
        ({"sales_status": ["accepted"] * 300}, r"all \d+ labelled leads are positive for target: accepted"),
        ({"created_at": ["2025-01-01"] * 300, "status_at": ["2025-06-01"] * 300}, "the same created_at"),
    ],
)
def test_training_that_cannot_work_says_why(tmp_path, mlflow_store, capsys, columns, message):
    path = _history_csv(tmp_path, **columns)
    assert main(["train", "--data", str(path), "--params", str(ROOT / "params.yaml")]) == 2
    err = capsys.readouterr().err
    assert re.search(message, err), err
    assert "Traceback" not in err


def test_too_few_rows_prints_the_exclusion_counts(tmp_path, mlflow_store, capsys):
    path = _history_csv(tmp_path, n=150)
    assert main(["train", "--data", str(path), "--params", str(ROOT / "params.yaml")]) == 2
    err = capsys.readouterr().err
    assert re.search(r"1\d\d rows have a usable label, and training needs at least 200: \d+ excluded as too young", err), err
