"""Accounts that accept more than their profiles suggest: the excess-over-expectation features find them."""

from __future__ import annotations

import io

from leadsift.params import load_params
from leadsift.pipeline.train import run_training
from tests.account_effect import write_account_effect_history
from tests.conftest import PARAMS


def _train(path, excess: bool):
    params = load_params(PARAMS)
    params = params.model_copy(update={"features": params.features.model_copy(update={"history_excess": excess}),
                                       "model": params.model.model_copy(update={"kind": "lightgbm"})})
    return run_training(path, None, params, out=io.StringIO())


def test_a_hidden_account_lean_is_learned_from_the_accounts_earlier_leads(tmp_path, mlflow_store):
    path = write_account_effect_history(tmp_path / "leads.csv")
    without, with_excess = _train(path, False), _train(path, True)
    # measured 2026-12-02: ROC AUC 0.7061 -> 0.7159, log loss 0.6600 -> 0.6367 (the true probabilities: 0.7505)
    assert with_excess.metrics["roc_auc"] > without.metrics["roc_auc"] + 0.005
    assert with_excess.metrics["log_loss"] < without.metrics["log_loss"] - 0.01
