"""One training run in MLflow: params (the YAML keys), data fingerprint, exclusions, metrics beside the
baselines, plots, the leakage audit, the model, and the champion decision."""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from leadsift.features.contract import CREATED_AT
from leadsift.features.leakage import LeakageReport
from leadsift.models.bundle import ModelBundle
from leadsift.models.estimator import FittedModel
from leadsift.models.pyfunc import log_model
from leadsift.params import ModelParams, Params
from leadsift.pipeline import plots
from leadsift.pipeline.ingest import History
from leadsift.pipeline.split import Split
from leadsift.pipeline.tracking import ChampionDecision, ensure_experiment


@dataclass(frozen=True)
class Evaluation:
    """The model on the test slice, and each baseline's metrics and calibrated test scores."""

    metrics: dict[str, float]
    tiers: pd.DataFrame
    y_test: np.ndarray
    p_test: np.ndarray
    baselines: dict[str, dict[str, object]]


def file_sha256(*paths: Path | str | None) -> str:
    digest = hashlib.sha256()
    for path in paths:
        if path is None:
            continue
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def fingerprint_of(history: History, data: Path | str, outcomes: Path | str | None) -> dict[str, object]:
    """Rows, columns, date range and sha256 of the input files."""
    typed = history.parsed.typed
    dated = CREATED_AT in typed.columns
    return {
        "rows": int(len(typed)),
        "labelled_rows": int(history.y.notna().sum()),
        "columns": int(history.raw.shape[1]),
        "sha256": file_sha256(data, outcomes),
        "created_min": str(typed[CREATED_AT].min()) if dated else "",
        "created_max": str(typed[CREATED_AT].max()) if dated else "",
        "as_of": str(history.as_of) if history.as_of is not None else "",
    }


def log_run(
    params: Params,
    fingerprint: dict[str, object],
    excluded: dict[str, int],
    split: Split,
    leakage: LeakageReport,
    fitted: FittedModel,
    model_used: ModelParams,
    evaluation: Evaluation,
    bundle: ModelBundle,
) -> tuple[str, str]:
    """Log everything about one run; returns (run id, logged model URI)."""
    import mlflow

    experiment_id = ensure_experiment(params.registry.experiment)
    with mlflow.start_run(experiment_id=experiment_id) as run, tempfile.TemporaryDirectory() as tmp:
        flat = {k: json.dumps(v) if isinstance(v, (list, dict)) else v for k, v in params.to_flat_dict().items()}
        mlflow.log_params({k: str(v)[:500] for k, v in flat.items()})
        mlflow.log_text(params.to_yaml(), "params/params.yaml")
        mlflow.log_params({f"dataset.{k}": v for k, v in fingerprint.items()})
        mlflow.log_dict({"fingerprint": fingerprint, "excluded": excluded, "split": split.counts()}, "data/fingerprint.json")
        mlflow.log_metrics({"rows_total": fingerprint["rows"], "rows_used": fingerprint["labelled_rows"]})
        mlflow.log_metrics({f"split_{k}_rows": v for k, v in split.counts().items()})
        mlflow.log_metrics({f"excluded_{_slug(k)}": v for k, v in excluded.items()})
        _log_evaluation(evaluation)
        mlflow.log_metric("best_iteration", fitted.best_iteration)
        mlflow.log_metric("learning_rate_used", model_used.learning_rate)
        mlflow.log_text(leakage.table.to_csv(index=False), "leakage/audit.csv")
        mlflow.log_text(leakage.to_text(), "leakage/audit.txt")
        mlflow.set_tag("leakage_flagged", ", ".join(leakage.flagged) or "none")
        _log_plots(evaluation, fitted, Path(tmp))
        info = log_model(bundle, Path(tmp) / "model")
        return run.info.run_id, info.model_uri


def log_decision(run_id: str, decision: ChampionDecision) -> None:
    """The champion decision on the run it was made for."""
    from mlflow.tracking import MlflowClient

    client = MlflowClient()
    client.set_tag(run_id, "champion_decision", decision.reason)
    client.set_tag(run_id, "registered_version", decision.version)
    if decision.champion_auc is not None:
        client.log_metric(run_id, "champion_test_roc_auc_same_slice", decision.champion_auc)


def _log_evaluation(evaluation: Evaluation) -> None:
    import mlflow

    mlflow.log_metrics({f"test_{k}": v for k, v in evaluation.metrics.items()})
    for name, baseline in evaluation.baselines.items():
        mlflow.log_metrics({f"baseline_{name}_test_{k}": v for k, v in baseline["metrics"].items()})
    for row in evaluation.tiers.itertuples():
        mlflow.log_metric(f"test_tier_{row.tier}_leads", float(row.leads))
        if pd.notna(row.accept_rate):
            mlflow.log_metric(f"test_tier_{row.tier}_accept_rate", float(row.accept_rate))
    mlflow.log_text(evaluation.tiers.to_csv(index=False), "evaluation/acceptance_by_tier.csv")


def _log_plots(evaluation: Evaluation, fitted: FittedModel, tmp: Path) -> None:
    import mlflow

    yt = evaluation.y_test
    scores = {"model": evaluation.p_test, **{k: v["p_test"] for k, v in evaluation.baselines.items()}}
    importance = pd.Series(fitted.booster.feature_importance("gain"), index=fitted.columns)
    for png in (
        plots.roc_plot(yt, scores, tmp / "roc.png"),
        plots.calibration_plot(yt, evaluation.p_test, tmp / "calibration.png"),
        plots.gains_plot(yt, scores, tmp / "gains.png"),
        plots.importance_plot(importance, tmp / "feature_importance.png"),
        plots.tier_plot(evaluation.tiers, tmp / "acceptance_by_tier.png"),
    ):
        mlflow.log_artifact(str(png), artifact_path="plots")


def _slug(text: str) -> str:
    keep = "".join(ch if ch.isalnum() else "_" for ch in text.split("(")[0].strip().lower())
    return "_".join(part for part in keep.split("_") if part)
