"""Small pieces of the run log and the registry: the experiment kind, run names, descriptions, the paired AUC interval."""

from __future__ import annotations

import numpy as np
import pytest

from leadsift.errors import DataError
from leadsift.models.intervals import paired_auc_difference
from leadsift.models.metrics import roc_auc_interval
from leadsift.pipeline.run_log import run_name
from leadsift.pipeline.tracking import data_text, figures_text, version_tags


def test_an_existing_experiment_without_a_kind_gets_one_and_a_chosen_kind_stays(mlflow_store):
    import mlflow
    from mlflow.tracking import MlflowClient

    from leadsift.pipeline.tracking import ensure_experiment

    mlflow.set_tracking_uri(mlflow_store)
    old = mlflow.create_experiment("old")
    chosen = mlflow.create_experiment("chosen", tags={"mlflow.experimentKind": "genai_development"})
    assert ensure_experiment("old") == old and ensure_experiment("chosen") == chosen
    new = ensure_experiment("new")
    client = MlflowClient()
    kinds = {e: client.get_experiment(e).tags.get("mlflow.experimentKind") for e in (old, chosen, new)}
    assert kinds == {old: "custom_model_development", chosen: "genai_development", new: "custom_model_development"}


def test_run_name_and_texts_say_which_data_and_how_good():
    fingerprint = {"file": "leads.csv", "rows": 48213, "labelled_rows": 30000, "sha256": "ab" * 32,
                   "created_min": "2025-01-01 10:00:00", "created_max": "2026-06-30 09:00:00"}
    assert run_name(fingerprint, "accepted") == "leads.csv · 48,213 rows · accepted"
    assert data_text(fingerprint) == "leads.csv, 48,213 rows, 30,000 labelled, sha256 abababababab, created 2025-01-01 to 2026-06-30"
    metrics = {"roc_auc": 0.81234, "roc_auc_ci_low": 0.8, "roc_auc_ci_high": 0.825, "log_loss": 0.4, "ece": 0.012}
    assert figures_text(metrics) == "test ROC AUC 0.8123 (95% DeLong interval 0.8000 to 0.8250), log loss 0.4000, ECE 0.0120"
    tags = version_tags(metrics, fingerprint, "logreg")
    assert tags["test_roc_auc"] == "0.81234" and tags["data_rows"] == "48213" and tags["model_kind"] == "logreg"


def test_paired_auc_difference_matches_the_single_intervals_and_narrows_with_correlation():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 3000)
    signal = y + rng.normal(0, 1, 3000)
    a, b = signal + rng.normal(0, 0.3, 3000), signal + rng.normal(0, 0.6, 3000)
    diff, low, high = paired_auc_difference(y, a, b)
    auc_a, low_a, high_a = roc_auc_interval(y, a)
    auc_b, low_b, high_b = roc_auc_interval(y, b)
    assert diff == pytest.approx(auc_a - auc_b)
    assert low < diff < high
    # correlated scores: narrower than if the two AUCs were independent ...
    assert high - low < np.hypot(high_a - low_a, high_b - low_b) / 1.5
    # ... and as wide as a paired bootstrap says
    from sklearn.metrics import roc_auc_score

    draws = [rng.integers(0, len(y), len(y)) for _ in range(300)]
    boot = np.std([roc_auc_score(y[i], a[i]) - roc_auc_score(y[i], b[i]) for i in draws])
    assert (high - low) / (2 * 1.96) == pytest.approx(boot, rel=0.2)
    assert paired_auc_difference(y, a, a) == (0.0, 0.0, 0.0)
    flipped = paired_auc_difference(y, b, a)
    assert flipped[0] == pytest.approx(-diff) and flipped[1] == pytest.approx(-high)


def test_paired_auc_difference_needs_both_classes_and_one_score_per_row():
    with pytest.raises(DataError, match="two positive and two negative"):
        paired_auc_difference([1, 1, 1, 0], [0.1, 0.2, 0.3, 0.4], [0.1, 0.2, 0.3, 0.4])
    with pytest.raises(ValueError, match="one score per row"):
        paired_auc_difference([0, 0, 1, 1], [0.1, 0.2, 0.3], [0.1, 0.2, 0.3, 0.4])
