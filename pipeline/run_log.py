"""One training run in MLflow: params (the YAML keys), data fingerprint and dataset input, exclusions,
the model's test metrics (each baseline in a child run), plots, the leakage audit, the model, and the
champion decision. The run is named after its data and described in words (`mlflow.note.content`)."""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass, field
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
from leadsift.pipeline.tracking import ChampionDecision, data_text, ensure_experiment, figures_text

NOTE = "mlflow.note.content"  # the run description the MLflow UI shows and edits


@dataclass(frozen=True)
class Evaluation:
    """The model on the test slice, and each baseline's metrics and calibrated test scores."""

    metrics: dict[str, float]
    tiers: pd.DataFrame
    y_test: np.ndarray
    p_test: np.ndarray
    baselines: dict[str, dict[str, object]]
    model_kind: str = "lightgbm"
    candidates: dict[str, dict[str, float]] = field(default_factory=dict)


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
    """File name, rows, columns, date range and sha256 of the input files."""
    typed = history.parsed.typed
    dated = CREATED_AT in typed.columns
    return {
        "file": Path(data).name,
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
    *,
    history: History | None = None,
    data: Path | str | None = None,
) -> tuple[str, str]:
    """Log everything about one run; returns (run id, logged model URI).

    With `data` (the leads file) and its `history`, the file is logged as the run's dataset input.
    """
    import mlflow

    experiment_id = ensure_experiment(params.registry.experiment)
    name = run_name(fingerprint, params.target)
    with mlflow.start_run(experiment_id=experiment_id, run_name=name) as run, tempfile.TemporaryDirectory() as tmp:
        mlflow.set_tag(NOTE, run_description(fingerprint, params.target, split, evaluation))
        mlflow.set_tag("model_kind", evaluation.model_kind)
        if data is not None and history is not None:
            mlflow.log_input(file_dataset(history, data, fingerprint), context="training")
        flat = {k: json.dumps(v) if isinstance(v, (list, dict)) else v for k, v in params.to_flat_dict().items()}
        mlflow.log_params({k: str(v)[:500] for k, v in flat.items()})
        mlflow.log_param("model_kind", evaluation.model_kind)
        mlflow.log_text(params.to_yaml(), "params/params.yaml")
        mlflow.log_params({f"dataset.{k}": v for k, v in fingerprint.items()})
        mlflow.log_dict({"fingerprint": fingerprint, "excluded": excluded, "split": split.counts()}, "data/fingerprint.json")
        mlflow.log_metrics({"rows_total": fingerprint["rows"], "rows_used": fingerprint["labelled_rows"]})
        mlflow.log_metrics({f"split_{k}_rows": v for k, v in split.counts().items()})
        mlflow.log_metrics({f"excluded_{_slug(k)}": v for k, v in excluded.items()})
        _log_evaluation(evaluation)
        _log_baselines(evaluation, experiment_id)
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
    note = client.get_run(run_id).data.tags.get(NOTE, "")
    client.set_tag(run_id, NOTE, f"{note}\n\nChampion decision: {decision.reason}".strip())
    client.set_tag(run_id, "registered_version", decision.version)
    if decision.champion_auc is not None:
        client.log_metric(run_id, "champion_test_roc_auc_same_slice", decision.champion_auc)


def _log_evaluation(evaluation: Evaluation) -> None:
    import mlflow

    mlflow.log_metrics({f"test_{k}": v for k, v in evaluation.metrics.items()})
    for kind, figures in evaluation.candidates.items():
        mlflow.log_metrics({f"candidate_{_slug(kind)}_{_slug(k)}": float(v) for k, v in figures.items()})
    for row in evaluation.tiers.itertuples():
        mlflow.log_metric(f"test_tier_{row.tier}_leads", float(row.leads))
        if pd.notna(row.accept_rate):
            mlflow.log_metric(f"test_tier_{row.tier}_accept_rate", float(row.accept_rate))
    mlflow.log_text(evaluation.tiers.to_csv(index=False), "evaluation/acceptance_by_tier.csv")


def _log_baselines(evaluation: Evaluation, experiment_id: str) -> None:
    """Each baseline as a child run (`baseline: logreg`) with its test metrics under the model's names, so the
    parent run holds the model's own figures only."""
    import mlflow

    for name, baseline in evaluation.baselines.items():
        with mlflow.start_run(experiment_id=experiment_id, run_name=f"baseline: {name}", nested=True):
            metrics = baseline["metrics"]
            mlflow.set_tags({"baseline": name, NOTE: f"Baseline `{name}` on the parent run's test slice, calibrated on its "
                             f"calibration slice: {figures_text(metrics)}"})
            mlflow.log_metrics({f"test_{k}": v for k, v in metrics.items()})


def run_name(fingerprint: dict[str, object], target: str) -> str:
    """`leads.csv · 48,213 rows · accepted`: which data, how much, which outcome."""
    return f"{fingerprint.get('file', 'data')} · {int(fingerprint.get('rows', 0)):,} rows · {target}"


def run_description(fingerprint: dict[str, object], target: str, split: Split, evaluation: Evaluation) -> str:
    """The run's description (Markdown): data, target, split, the model's test figures, the baselines'."""
    counts = ", ".join(f"{k} {v:,}" for k, v in split.counts().items())
    lines = [
        f"Data: {data_text(fingerprint)}",
        f"Target: `{target}`. Split ({split.method}): {counts}",
        f"Model ({evaluation.model_kind}): {figures_text(evaluation.metrics)}",
    ]
    if evaluation.baselines:
        lines.append("Baselines (child runs), test ROC AUC: " + ", ".join(
            f"{k} {v['metrics']['roc_auc']:.4f}" for k, v in evaluation.baselines.items() if "roc_auc" in v["metrics"]))
    return "\n\n".join(lines)


def file_dataset(history: History, data: Path | str, fingerprint: dict[str, object]):  # noqa: ANN201 - an MLflow Dataset
    """The leads file as an MLflow dataset input: name, digest (sha256 prefix: MLflow keeps 36 characters at most),
    source (the file's path), schema (its columns) and profile (rows, columns, date range, full sha256).

    Metadata only: MLflow's pandas dataset would hold the frame and hash it again, for a file already hashed.
    """
    from mlflow.data.meta_dataset import MetaDataset
    from mlflow.data.sources import LocalArtifactDatasetSource
    from mlflow.types import ColSpec, DataType, Schema

    class ProfiledDataset(MetaDataset):
        def __init__(self, profile: dict[str, object], **kwargs: object) -> None:
            self._profile = profile
            super().__init__(**kwargs)

        @property
        def profile(self) -> dict[str, object]:
            return self._profile

        def to_dict(self) -> dict[str, str]:
            return {**super().to_dict(), "profile": json.dumps(self._profile)}

    def kind(dtype: object) -> DataType:
        if pd.api.types.is_bool_dtype(dtype):
            return DataType.boolean
        if pd.api.types.is_integer_dtype(dtype):
            return DataType.long
        if pd.api.types.is_float_dtype(dtype):
            return DataType.double
        if pd.api.types.is_datetime64_any_dtype(dtype):
            return DataType.datetime
        return DataType.string

    schema = Schema([ColSpec(kind(dtype), str(name)) for name, dtype in history.raw.dtypes.items()])
    profile = {k: fingerprint[k] for k in ("rows", "labelled_rows", "columns", "created_min", "created_max", "sha256")
               if k in fingerprint}
    return ProfiledDataset(profile, source=LocalArtifactDatasetSource(str(Path(data).resolve())),
                           name=str(fingerprint.get("file") or Path(data).name), digest=str(fingerprint["sha256"])[:36],
                           schema=schema)


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
