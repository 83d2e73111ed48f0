"""The honest champion: LightGBM or the logistic regression, whichever has the lower log loss on held-out rows."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from mlflow.tracking import MlflowClient

from leadsift.models.scoring import score_frame
from leadsift.params import load_params
from leadsift.pipeline.demo.simulator import write_demo_data
from leadsift.pipeline.tracking import load_champion
from leadsift.pipeline.train import run_training
from tests.conftest import PARAMS


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return write_demo_data(tmp_path_factory.mktemp("demo"), n_leads=4_000, seed=21)


def _with_kind(kind):
    params = load_params(PARAMS)
    return params.model_copy(update={"model": params.model.model_copy(update={"kind": kind})})


def test_auto_takes_the_candidate_with_the_lower_held_out_log_loss_and_logs_both(demo, mlflow_store):
    out = io.StringIO()
    result = run_training(demo["leads"], None, _with_kind("auto"), out=out)
    assert set(result.candidates) == {"lightgbm", "logistic"}
    assert result.model_kind == min(result.candidates, key=lambda k: result.candidates[k]["log_loss"])
    assert f"-> {result.model_kind}" in out.getvalue()
    other = "logistic" if result.model_kind == "lightgbm" else "lightgbm"
    assert f"{other}_candidate" in result.baselines
    run = MlflowClient().get_run(result.run_id)
    assert run.data.metrics["candidate_lightgbm_log_loss"] == pytest.approx(result.candidates["lightgbm"]["log_loss"])
    assert run.data.metrics["candidate_logistic_log_loss"] == pytest.approx(result.candidates["logistic"]["log_loss"])


def test_a_logistic_champion_travels_scores_as_evaluated_and_gives_reasons(demo, mlflow_store):
    params = _with_kind("logistic")
    result = run_training(demo["leads"], None, params, out=io.StringIO())
    assert result.model_kind == "logistic"
    bundle, _ = load_champion(None, params.registry.model_name)
    assert bundle.kind == "logistic"
    leads = pd.read_csv(demo["leads"], dtype=str, keep_default_na=False, na_values=[""])
    test = leads.set_index("lead_id").loc[result.test_predictions["lead_id"]].reset_index()
    scored = score_frame(bundle, test, now=pd.Timestamp("2030-01-01"))
    np.testing.assert_allclose(scored["p_accept"], result.test_predictions["p_accept"], rtol=0, atol=1e-9)
    assert scored["reasons"].str.match(r"^(for|against): ").mean() > 0.9
