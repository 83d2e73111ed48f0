"""The train stage: history -> leakage audit -> split -> point-in-time features -> LightGBM
-> calibration -> metrics and baselines -> MLflow run -> registered version and champion decision."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import mlflow
import numpy as np
import pandas as pd
import yaml

from features.build import FeatureBuilder
from features.contract import CREATED_AT, LEAD_ID, OUTCOME_COLUMNS, parse_number
from features.leakage import LeakageReport, audit_leakage
from models.baselines import icp_rules_score, logistic_regression_score, source_rate_score
from models.calibration import fit_calibrator
from models.estimator import crossfit_refit, fit_lightgbm, recency_weights
from models.explain import Reasoner, path_tables
from models.metrics import classification_metrics, rate_by_tier, roc_auc_interval
from models.pyfunc import log_model
from models.scoring import ModelBundle, assign_tiers, contact_hashes
from pipeline import plots
from pipeline.config import Params
from pipeline.ingest import History, exclusion_counts, load_history
from pipeline.split import split_rows
from pipeline.tracking import ChampionDecision, ensure_experiment, register_and_decide, tracking_uri

METRIC_NAMES = ("roc_auc", "pr_auc", "log_loss", "brier", "ece", "lift_at_10", "capture_at_20")


class Steps:
    """Prints numbered steps with their duration, so long runs show where they are."""

    def __init__(self, total: int, out: TextIO) -> None:
        self.total, self.out, self.n, self.t0 = total, out, 0, time.perf_counter()

    def __call__(self, text: str) -> None:
        self.n += 1
        now = time.perf_counter()
        print(f"[{self.n}/{self.total}] {text} (t+{now - self.t0:.1f}s)", file=self.out, flush=True)


@dataclass(frozen=True)
class TrainResult:
    run_id: str
    rows: int
    used: int
    excluded: dict[str, int]
    split: dict[str, int]
    metrics: dict[str, float]
    baselines: dict[str, dict[str, float]]
    tiers: pd.DataFrame
    leakage: LeakageReport
    decision: ChampionDecision
    model_uri: str
    best_iteration: int
    fingerprint: dict[str, object] = field(default_factory=dict)
    test_predictions: pd.DataFrame | None = None


def file_sha256(*paths: Path | str | None) -> str:
    digest = hashlib.sha256()
    for path in paths:
        if path is None:
            continue
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def audit_frame(history: History, params: Params) -> tuple[pd.DataFrame, list[str]]:
    """Columns to audit, typed: contract columns as parsed, other text columns as numbers when they are."""
    skip = {LEAD_ID, *OUTCOME_COLUMNS}
    typed = history.parsed.typed
    columns: dict[str, pd.Series] = {}
    for name in history.raw.columns:
        if name in skip:
            continue
        if name in typed.columns:
            columns[name] = typed[name]
            continue
        raw = history.raw[name]
        values, bad = parse_number(raw)
        present = raw.notna().sum()
        columns[name] = values if present and bad.sum() <= 0.05 * present else raw
    frame = pd.DataFrame(columns, index=history.raw.index)
    return frame, list(frame.columns)


def run_training(
    data: Path | str,
    outcomes: Path | str | None,
    params: Params,
    force: bool = False,
    out: TextIO | None = None,
) -> TrainResult:
    """Train, evaluate, log and register one model. Prints progress to `out` (default stderr)."""
    out = out if out is not None else sys.stderr
    step = Steps(9, out)
    step(f"reading {data}" + (f" and outcomes {outcomes}" if outcomes else ""))
    history = load_history(data, outcomes, params)
    typed = history.parsed.typed
    y_all = history.y
    excluded = exclusion_counts(history.excluded)
    used = int(y_all.notna().sum())
    use_history = params.split.method == "time" and CREATED_AT in typed.columns

    step(f"leakage audit on {used:,} labelled rows")
    labelled = y_all.notna().to_numpy()
    frame, audit_columns = audit_frame(history, params)
    leakage = audit_leakage(frame[labelled], y_all[labelled].to_numpy(dtype="int64"), audit_columns, params.leakage)
    for line in leakage.to_text().splitlines():
        print("    " + line, file=out)

    step(f"splitting ({params.split.method})")
    split = split_rows(y_all, typed[CREATED_AT] if CREATED_AT in typed.columns else None, params.split)

    step("building point-in-time features" if use_history else "building features (no dates: no history features)")
    builder, feats = FeatureBuilder.fit_features(typed, split.train, params.features, use_history, tuple(leakage.flagged))
    X = builder.matrix(feats)
    y = y_all.fillna(0).to_numpy(dtype="int64")

    step(f"training LightGBM on {split.train.sum():,} rows, early stopping on {split.valid.sum():,}")
    m = params.model
    weight = recency_weights(typed[CREATED_AT] if CREATED_AT in typed.columns else None, m.recency_half_life_days)
    fitted = fit_lightgbm(
        X[split.train], y[split.train], X[split.valid], y[split.valid], m,
        None if weight is None else weight[split.train],
    )
    if fitted.learning_rate != m.learning_rate:
        print(
            f"    early stopping kept {fitted.best_iteration} trees at learning rate {fitted.learning_rate:.4g} "
            f"(fewer than model.min_rounds={m.min_rounds} at {m.learning_rate:g}: lowered it and fitted again)",
            file=out,
        )
        m = dataclasses.replace(m, learning_rate=fitted.learning_rate)
    refit = m.refit and used <= m.refit_max_rows
    fit_rows = split.train | split.valid | split.calib if refit else split.train
    if refit:
        rounds = int(round(fitted.best_iteration * fit_rows.sum() / split.train.sum()))
        step(
            f"refitting {rounds} trees on {fit_rows.sum():,} rows; calibrating ({params.calibration.method}) "
            f"on {m.refit_folds}-fold out-of-fold scores; evaluating on {split.test.sum():,}"
        )
        fitted, oof = crossfit_refit(X, y, fit_rows, rounds, m, m.refit_folds, weight)
        # Over time the base rate drifts: calibrate on the latest (calibration-slice) rows only.
        local = split.calib[fit_rows] if params.split.method == "time" else np.ones(int(fit_rows.sum()), bool)
        calibrator = fit_calibrator(oof[local], y[fit_rows][local], params.calibration.method)
    else:
        step(f"calibrating ({params.calibration.method}) on {split.calib.sum():,} rows; evaluating on {split.test.sum():,}")
        calib_raw = fitted.booster.predict(X[split.calib], raw_score=True, validate_features=True)
        calibrator = fit_calibrator(calib_raw, y[split.calib], params.calibration.method)
    raw_all = fitted.booster.predict(X, raw_score=True, validate_features=True)
    p_all = calibrator(raw_all)
    test = split.test
    metrics = classification_metrics(y[test], p_all[test])
    _, metrics["roc_auc_ci_low"], metrics["roc_auc_ci_high"] = roc_auc_interval(y[test], p_all[test])
    tiers = rate_by_tier(y[test], assign_tiers(p_all[test], params.tiers))

    step("baselines: source rate, ICP rules, logistic regression")
    baseline_scores = {
        "source_rate": source_rate_score(feats, typed, y_all, split.train, params.target),
        "icp_rules": icp_rules_score(feats),
        "logreg": logistic_regression_score(builder, X, y_all, split.train | split.valid, params.split.seed),
    }
    baselines: dict[str, dict[str, float]] = {}
    calibrated_baselines: dict[str, np.ndarray] = {}
    for name, score in baseline_scores.items():
        cal = fit_calibrator(score[split.calib], y[split.calib], "sigmoid")
        calibrated_baselines[name] = cal(score)
        baselines[name] = classification_metrics(y[test], calibrated_baselines[name][test])

    step("logging the run to MLflow")
    experiment_id = ensure_experiment(params.registry.experiment)
    fingerprint = {
        "rows": int(len(typed)),
        "labelled_rows": used,
        "columns": int(history.raw.shape[1]),
        "sha256": file_sha256(data, outcomes),
        "created_min": str(typed[CREATED_AT].min()) if CREATED_AT in typed.columns else "",
        "created_max": str(typed[CREATED_AT].max()) if CREATED_AT in typed.columns else "",
        "as_of": str(history.as_of) if history.as_of is not None else "",
    }
    tables = path_tables(fitted.booster)
    reasoner = Reasoner.build(tuple(builder.columns), params.reasons_top, params.features.committee_window_days, params.target)
    bundle = ModelBundle(
        builder=builder, booster=fitted.booster, calibrator=calibrator, tables=tables, reasoner=reasoner,
        tiers=params.tiers, target=params.target, columns=tuple(fitted.columns),
        known_contacts=np.unique(contact_hashes(typed["email"])) if "email" in typed.columns else np.empty(0, "uint64"),
        info={"trained_at": pd.Timestamp.now(tz="UTC").isoformat(), "data_sha256": fingerprint["sha256"],
              "historical_accept_rate": float(y[split.train | split.valid | split.calib].mean()),
              "best_iteration": fitted.best_iteration, "target": params.target},
    )
    with mlflow.start_run(experiment_id=experiment_id) as run, tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        flat = {k: json.dumps(v) if isinstance(v, (list, tuple, dict)) else v for k, v in params.to_flat_dict().items()}
        mlflow.log_params({k: str(v)[:500] for k, v in flat.items()})
        if params.source_file:
            mlflow.log_artifact(params.source_file, artifact_path="params")
        else:
            (tmpdir / "params.yaml").write_text(yaml.safe_dump(params.to_flat_dict()))
            mlflow.log_artifact(str(tmpdir / "params.yaml"), artifact_path="params")
        mlflow.log_params({f"data.{k}": v for k, v in fingerprint.items()})
        mlflow.log_dict({"fingerprint": fingerprint, "excluded": excluded, "split": split.counts()}, "data/fingerprint.json")
        mlflow.log_metrics({"rows_total": len(typed), "rows_used": used, **{f"split_{k}_rows": v for k, v in split.counts().items()}})
        mlflow.log_metrics({f"excluded_{_slug(k)}": v for k, v in excluded.items()})
        mlflow.log_metrics({f"test_{k}": v for k, v in metrics.items()})
        for name, values in baselines.items():
            mlflow.log_metrics({f"baseline_{name}_test_{k}": v for k, v in values.items()})
        for row in tiers.itertuples():
            mlflow.log_metric(f"test_tier_{row.tier}_leads", float(row.leads))
            if pd.notna(row.accept_rate):
                mlflow.log_metric(f"test_tier_{row.tier}_accept_rate", float(row.accept_rate))
        mlflow.log_metric("best_iteration", fitted.best_iteration)
        mlflow.log_metric("learning_rate_used", m.learning_rate)
        mlflow.log_text(leakage.table.to_csv(index=False), "leakage/audit.csv")
        mlflow.log_text(leakage.to_text(), "leakage/audit.txt")
        mlflow.set_tag("leakage_flagged", ", ".join(leakage.flagged) or "none")
        importance = pd.Series(fitted.booster.feature_importance("gain"), index=fitted.columns)
        yt = y[test]
        scores = {"model": p_all[test], **{k: v[test] for k, v in calibrated_baselines.items()}}
        for png in (
            plots.roc_plot(yt, scores, tmpdir / "roc.png"),
            plots.calibration_plot(yt, p_all[test], tmpdir / "calibration.png"),
            plots.gains_plot(yt, scores, tmpdir / "gains.png"),
            plots.importance_plot(importance, tmpdir / "feature_importance.png"),
            plots.tier_plot(tiers, tmpdir / "acceptance_by_tier.png"),
        ):
            mlflow.log_artifact(str(png), artifact_path="plots")
        mlflow.log_text(tiers.to_csv(index=False), "evaluation/acceptance_by_tier.csv")
        info = log_model(bundle, tmpdir)

        step(f"registering '{params.registry.model_name}' and deciding the champion")
        test_rows = history.raw.loc[test, [c for c in bundle.input_columns if c in history.raw.columns]]
        decision = register_and_decide(
            info.model_uri, params.registry.model_name, metrics["roc_auc"], test_rows.reset_index(drop=True),
            y[test], force,
        )
        mlflow.set_tag("champion_decision", decision.reason)
        mlflow.set_tag("registered_version", decision.version)
        if decision.champion_auc is not None:
            mlflow.log_metric("champion_test_roc_auc_same_slice", decision.champion_auc)
        run_id = run.info.run_id
    test_predictions = pd.DataFrame(
        {LEAD_ID: typed.loc[test, LEAD_ID].to_numpy(), "y": y[test], "p_accept": p_all[test]}
    )
    return TrainResult(
        run_id=run_id, rows=len(typed), used=used, excluded=excluded, split=split.counts(), metrics=metrics,
        baselines=baselines, tiers=tiers, leakage=leakage, decision=decision, model_uri=info.model_uri,
        best_iteration=fitted.best_iteration, fingerprint=fingerprint, test_predictions=test_predictions,
    )


def _slug(text: str) -> str:
    keep = "".join(ch if ch.isalnum() else "_" for ch in text.split("(")[0].strip().lower())
    return "_".join(part for part in keep.split("_") if part)


def summary_text(result: TrainResult, model_name: str) -> str:
    """The compact summary `leadsift train` prints."""
    lines = [
        f"rows: {result.rows:,} in the file, {result.used:,} used for training and evaluation",
    ]
    for reason, n in sorted(result.excluded.items(), key=lambda kv: -kv[1]):
        lines.append(f"  excluded {n:>9,}  {reason}")
    lines.append("split: " + ", ".join(f"{k} {v:,}" for k, v in result.split.items()))
    lines.append(f"leakage audit: {', '.join(result.leakage.flagged) or 'no column flagged'}")
    header = f"{'test metrics':<16}" + "".join(f"{m:>14}" for m in METRIC_NAMES)
    lines.append(header)
    rows = {"model": result.metrics, **{f"{k}": v for k, v in result.baselines.items()}}
    for name, values in rows.items():
        lines.append(f"{name:<16}" + "".join(f"{values[m]:>14.4f}" for m in METRIC_NAMES))
    lines.append(
        f"model test ROC AUC 95% interval (DeLong): {result.metrics['roc_auc_ci_low']:.4f} to "
        f"{result.metrics['roc_auc_ci_high']:.4f} on {result.split['test']:,} test leads"
    )
    lines.append("acceptance by tier (test): " + ", ".join(
        f"{r.tier} {int(r.leads):,} leads {r.accept_rate:.1%}" if pd.notna(r.accept_rate) else f"{r.tier} 0 leads"
        for r in result.tiers.itertuples()
    ))
    lines.append(f"trees: {result.best_iteration}; MLflow run {result.run_id} in {tracking_uri()}")
    lines.append(f"registered model '{model_name}' {result.decision.reason}")
    return "\n".join(lines)
