"""A Salesforce and a HubSpot export trained and scored with only --preset, against the same information in
contract form: the same labelled rows and the same ranking; the scored export keeps its own headers."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from leadsift.params import load_params
from leadsift.pipeline.cli import main
from leadsift.pipeline.files import read_table
from leadsift.pipeline.train import run_training

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from crm_exports import hubspot_contract, hubspot_export, salesforce_contract, salesforce_export  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
PARAMS = ROOT / "params.yaml"
CASES = {"salesforce": (salesforce_export, salesforce_contract, "Lead ID"),
         "hubspot": (hubspot_export, hubspot_contract, "Record ID")}


@pytest.mark.parametrize("preset", list(CASES))
def test_an_export_trains_and_scores_with_only_its_preset(preset, small_model, tmp_path, monkeypatch, capsys):
    export, contract, id_column = CASES[preset]
    leads = read_table(small_model.demo["leads"])
    export(leads).to_csv(tmp_path / "export.csv", index=False)
    contract(leads).to_csv(tmp_path / "contract.csv", index=False)
    params = tmp_path / "params.yaml"
    params.write_text("features:\n  extra_numeric: []\n", encoding="utf-8")  # an export has no intent_score

    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path}/contract.db")
    plain = run_training(tmp_path / "contract.csv", None, load_params(params), out=io.StringIO())
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path}/preset.db")
    assert main(["train", "--data", str(tmp_path / "export.csv"), "--preset", preset, "--params", str(params)]) == 0
    printed = capsys.readouterr().out
    auc = float(next(line for line in printed.splitlines() if line.startswith("model ")).split()[1])
    assert f"{plain.used:,} used for training" in printed
    assert abs(auc - plain.metrics["roc_auc"]) <= 0.01

    new = export(read_table(small_model.demo["new_strong"]))
    new.to_csv(tmp_path / "new.csv", index=False)
    out = tmp_path / "new.scored.csv"
    assert main(["score", str(tmp_path / "new.csv"), "-o", str(out), "--preset", preset, "--params", str(params)]) == 0
    scored = read_table(out)
    assert list(scored.columns) == [*new.columns, "p_accept", "score", "tier", "reasons", "score_error"]
    assert scored[id_column].tolist() == new[id_column].astype("str").tolist()
    assert scored["p_accept"].notna().all()


def test_presets_command_lists_them(capsys):
    assert main(["presets"]) == 0
    printed = capsys.readouterr().out
    assert "salesforce" in printed and "hubspot" in printed and "id column 'Lead ID'" in printed
