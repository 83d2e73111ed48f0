"""The shipped examples train on the public data as it is shipped (skipped where ../shared/datasets is absent),
and a model that follows the base rate scores new rows exactly as it was evaluated."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from leadsift.models.scoring import score_frame
from leadsift.params import load_params
from leadsift.pipeline.demo.simulator import write_demo_data
from leadsift.pipeline.tracking import load_champion
from leadsift.pipeline.train import run_training
from tests.conftest import PARAMS, require_dataset

ROOT = Path(__file__).resolve().parents[2]


def test_bank_marketing_trains_in_file_order_and_follows_its_climbing_rate(mlflow_store):
    data = require_dataset("uci-bank-marketing/bank-additional-full.csv")
    params = load_params(ROOT / "examples" / "bank-marketing" / "params.yaml")
    result = run_training(data, None, params, out=io.StringIO())
    assert result.split["test"] == round(41_188 * 0.20)
    # the test slice is the file's last rows (named by row number)
    ids = result.test_predictions["lead_id"].astype(int)
    assert ids.min() == 41_188 - result.split["test"] + 1 and ids.is_monotonic_increasing
    bundle, _ = load_champion(None, params.registry.model_name)
    assert not {"duration", "created_weekday"} & set(bundle.builder.columns)
    assert bundle.calibrator.follow == "overall_accept_rate_recent"
    # measured 2026-12-02: AUC 0.763 [0.752, 0.774], ECE 0.069 (without following the rate: ECE 0.190)
    assert result.metrics["roc_auc_ci_low"] > 0.74
    assert result.metrics["ece"] < 0.09


def test_a_model_following_the_base_rate_scores_rows_as_it_was_evaluated(tmp_path, mlflow_store):
    demo = write_demo_data(tmp_path / "demo", n_leads=4_000, seed=3)
    params = load_params(PARAMS)
    params = params.model_copy(update={"calibration": params.calibration.model_copy(update={"follow_base_rate": True})})
    result = run_training(demo["leads"], None, params, out=io.StringIO())
    bundle, _ = load_champion(None, params.registry.model_name)
    assert bundle.calibrator.follow == "overall_accept_rate_recent"
    assert "overall_accept_rate_recent" not in bundle.builder.columns
    leads = pd.read_csv(demo["leads"], dtype=str, keep_default_na=False, na_values=[""])
    test = leads.set_index("lead_id").loc[result.test_predictions["lead_id"]].reset_index()
    scored = score_frame(bundle, test, now=pd.Timestamp("2030-01-01"))
    np.testing.assert_allclose(scored["p_accept"], result.test_predictions["p_accept"], rtol=0, atol=1e-9)
