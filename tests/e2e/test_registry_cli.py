"""End to end: what a training run leaves in MLflow (experiment kind, run name and description, dataset input,
baseline child runs, the version's description), and `leadsift models` / `compare` / `promote` on a real store.

The session's `small_model` store is only read here; commands that change a store get a copy of it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import mlflow
import pandas as pd
import pytest
from mlflow.tracking import MlflowClient

from leadsift.pipeline.cli import main
from leadsift.pipeline.run_log import file_sha256

ROOT = Path(__file__).resolve().parents[2]
PARAMS = str(ROOT / "params.yaml")
NAME = "leadsift"


@pytest.fixture()
def read_only(small_model, monkeypatch):
    monkeypatch.setenv("MLFLOW_TRACKING_URI", small_model.store)
    # Both URIs explicit: another test may have left MLflow's process-wide registry URI elsewhere.
    return MlflowClient(tracking_uri=small_model.store, registry_uri=small_model.store)


@pytest.fixture()
def two_versions(small_model, tmp_path, monkeypatch):
    """A copy of the small model's store (its artifacts stay where they are) with a second version of the same
    model, registered the plain MLflow way: without the figures leadsift tags a version with."""
    db = tmp_path / "mlflow.db"
    shutil.copy(Path(small_model.store.removeprefix("sqlite:///")), db)
    uri = f"sqlite:///{db}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    assert str(mlflow.register_model(small_model.model_uri, NAME).version) == "2"
    return MlflowClient(tracking_uri=uri, registry_uri=uri)


def test_the_training_run_reads_as_a_data_scientist_expects(small_model, read_only):
    client = read_only
    experiment = client.get_experiment_by_name("leadsift")
    assert experiment.tags["mlflow.experimentKind"] == "custom_model_development"
    runs = client.search_runs([experiment.experiment_id])
    (run,) = [r for r in runs if "mlflow.parentRunId" not in r.data.tags]

    assert run.info.run_name == "leads.csv · 6,000 rows · accepted"
    note = run.data.tags["mlflow.note.content"]
    auc = run.data.metrics["test_roc_auc"]
    assert "Data: leads.csv, 6,000 rows" in note and "Target: `accepted`" in note and "Split (time)" in note
    assert f"test ROC AUC {auc:.4f} (95% DeLong interval {run.data.metrics['test_roc_auc_ci_low']:.4f}" in note
    assert "Champion decision: v1 is now the champion: no champion yet" in note
    kind = run.data.tags["model_kind"]
    assert kind == run.data.params["model_kind"] and kind in ("lightgbm", "logistic")

    (data_input,) = run.inputs.dataset_inputs
    dataset = data_input.dataset
    sha = file_sha256(small_model.demo["leads"])
    assert (dataset.name, dataset.digest, dataset.source_type) == ("leads.csv", sha[:36], "local")
    assert str(Path(small_model.demo["leads"]).resolve()) in dataset.source
    assert '"rows": 6000' in dataset.profile and sha in dataset.profile and '"name": "lead_id"' in dataset.schema
    assert {t.key: t.value for t in data_input.tags}["mlflow.data.context"] == "training"

    children = {r.info.run_name: r for r in runs if r.data.tags.get("mlflow.parentRunId") == run.info.run_id}
    assert {"baseline: logreg", "baseline: source_rate", "baseline: icp_rules"} <= set(children)
    assert 0.5 < children["baseline: logreg"].data.metrics["test_roc_auc"] < 1
    assert not [k for k in run.data.metrics if k.startswith("baseline_")], "the parent holds the model's figures only"

    version = client.get_model_version(NAME, "1")
    assert f"test ROC AUC {auc:.4f}" in version.description and f"sha256 {sha[:12]}" in version.description
    assert f"**{kind}**" in version.description and "6,000 rows" in version.description
    assert version.tags["test_roc_auc"] == f"{auc:.5f}" and version.tags["model_kind"] == kind
    assert version.tags["data_sha256"] == sha and version.tags["data_file"] == "leads.csv"


def test_version_prints_without_importing_mlflow(tmp_path):
    check = ("import sys\nfrom leadsift.pipeline.cli import main\n"
             "try:\n    main(['--version'])\nexcept SystemExit as done:\n    print('exit', done.code)\n"
             "print('mlflow' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, cwd=tmp_path, timeout=60, check=False)
    from importlib.metadata import version

    assert done.stdout.splitlines() == [f"leadsift {version('leadsift')}", "exit 0", "False"], done.stderr


def test_models_lists_versions_newest_first_and_marks_the_champion(two_versions, capsys):
    assert main(["models", "--params", PARAMS]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("registered model 'leadsift': 2 version(s), newest first")
    v2, v1 = (next(i for i, line in enumerate(lines) if line[2:].startswith(f"v{n} ")) for n in (2, 1))
    assert v2 < v1, out
    tags = two_versions.get_model_version(NAME, "1").tags
    auc = float(tags["test_roc_auc"])
    assert lines[v1].startswith("* v1") and lines[v1].endswith("@champion")
    assert f"{auc:.4f} (" in lines[v1] and f" {tags['model_kind']} " in lines[v1] and "leads.csv 6,000 rows" in lines[v1]
    # v2 carries no leadsift tags: its figures come from its run, the same run as v1's
    assert lines[v2].startswith("  v2") and f"{auc:.4f} (" in lines[v2] and "@champion" not in lines[v2]


def test_compare_scores_both_versions_on_the_same_labelled_file(small_model, two_versions, tmp_path, capsys):
    labelled = tmp_path / "recent.csv"
    pd.read_csv(small_model.demo["leads"], dtype="str", keep_default_na=False, na_values=[""]).tail(2500).to_csv(
        labelled, index=False)
    assert main(["models", "compare", "1", "v2", "--data", str(labelled), "--params", PARAMS]) == 0
    out = capsys.readouterr().out
    assert "v1 and v2 on the same" in out and f"labelled rows of {labelled}" in out
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line.startswith(("  v1 ", "  v2 "))}
    assert set(rows) == {"v1", "v2"}
    assert rows["v1"][1:] == rows["v2"][1:], "the same model scores the same rows the same"
    assert 0.5 < float(rows["v1"][1]) <= 1 and float(rows["v1"][3]) > 0  # ROC AUC, log loss
    assert "ROC AUC v1 - v2: +0.0000 (95% paired DeLong interval +0.0000 to +0.0000)" in out


def test_promote_moves_the_alias_and_records_why(two_versions, capsys):
    assert main(["models", "promote", "2", "--reason", "rollback drill", "--params", PARAMS]) == 0
    assert "@champion: v1 -> v2 (reason recorded: rollback drill)" in capsys.readouterr().out
    client = two_versions
    assert str(client.get_model_version_by_alias(NAME, "champion").version) == "2"
    tags = client.get_model_version(NAME, "2").tags
    assert (tags["promoted_reason"], tags["promoted_from"]) == ("rollback drill", "v1")
    assert client.get_registered_model(NAME).tags["last_promotion"].startswith("v1 -> v2 at ")
    assert main(["models", "promote", "v2", "--reason", "again"]) == 0
    assert "already the champion" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["promote", "7", "--reason", "x"], ["compare", "1", "7", "--data", "leads"]])
def test_an_unknown_version_is_one_line_exit_2(small_model, two_versions, capsys, argv):
    argv = [str(small_model.demo[a]) if a == "leads" else a for a in argv]
    assert main(["models", *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "leadsift models: error: model 'leadsift' has no version '7'; it has v1, v2"
    assert str(two_versions.get_model_version_by_alias(NAME, "champion").version) == "1"


def test_a_missing_store_or_model_is_one_line_exit_2(two_versions, tmp_path, monkeypatch, capsys):
    capsys.readouterr()
    other = tmp_path / "other.yaml"
    other.write_text("registry:\n  model_name: nobody\n")
    assert main(["models", "--params", str(other)]) == 2
    assert capsys.readouterr().err.strip().startswith("leadsift models: error: the tracking store sqlite:///")
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'none' / 'mlflow.db'}")
    assert main(["models"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("leadsift models: error: no tracking store at ") and "\n" not in err
    assert not (tmp_path / "none").exists(), "looking must not create a store"


def test_the_registry_read_without_mlflow_finds_what_mlflow_finds(small_model, two_versions, monkeypatch):
    """`leadsift score` reads a local sqlite registry without MLflow (pipeline/local_model.py); an MLflow upgrade
    that changes the registry's tables must fail here, not score with another model."""
    from leadsift.models.bundle import load_bundle
    from leadsift.pipeline.local_model import local_bundle, registered_version
    from leadsift.pipeline.tracking import load_champion

    client, db = two_versions, Path(mlflow.get_tracking_uri().removeprefix("sqlite:///"))
    for uri, version in ((f"models:/{NAME}@champion", "1"), (f"models:/{NAME}/2", "2"), (f"models:/{NAME}/1", "1")):
        assert registered_version(uri, db) == (version, client.get_model_version_download_uri(NAME, version))
    client.set_registered_model_alias(NAME, "champion", "2")
    assert registered_version(f"models:/{NAME}@champion", db)[0] == "2", "a moved alias is followed at once"
    assert registered_version(f"models:/{NAME}@nobody", db) is None and registered_version(f"models:/{NAME}/9", db) is None
    assert registered_version(small_model.model_uri, db) is None, "logged models (models:/m-...) go through MLflow"
    fast = load_bundle(local_bundle(f"models:/{NAME}@champion", db))
    bundle = mlflow.pyfunc.load_model(f"models:/{NAME}@champion").unwrap_python_model().bundle
    assert fast.booster.model_to_string() == bundle.booster.model_to_string()
    assert (fast.columns, fast.info, fast.profile) == (bundle.columns, bundle.info, bundle.profile)
    assert load_champion(None, NAME)[0].booster.model_to_string() == bundle.booster.model_to_string()
    monkeypatch.setenv("MLFLOW_WORKSPACE", "team-b")
    assert registered_version(f"models:/{NAME}@champion", db) is None, "workspaces: MLflow decides"
