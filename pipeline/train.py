"""The train stage: history -> leakage audit -> split -> point-in-time features -> LightGBM
-> calibration -> metrics and baselines -> MLflow run -> registered version and champion decision.

`run_training` is the sequence; each step below it gets only the params section it needs.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO

import numpy as np
import pandas as pd

from leadsift.errors import DataError
from leadsift.features.build import FeatureBuilder, base_rate_column
from leadsift.features.contract import CREATED_AT, LEAD_ID, OUTCOME_COLUMNS
from leadsift.features.leakage import LeakageReport, audit_leakage
from leadsift.features.profile import build_profile
from leadsift.features.values import parse_number
from leadsift.models.baselines import icp_rules_score, logistic_regression_score, source_rate_score
from leadsift.models.bundle import ModelBundle
from leadsift.models.calibration import Calibrator, fit_calibrator
from leadsift.models.coverage import input_records
from leadsift.models.estimator import FittedModel, crossfit_refit, fit_lightgbm, recency_weights
from leadsift.models.expected import group_dispersion
from leadsift.models.intervals import paired_auc_difference
from leadsift.models.linear import LinearModel, crossfit_linear, fit_linear
from leadsift.models.metrics import classification_metrics, rate_by_tier, roc_auc_interval
from leadsift.models.scoring import assign_tiers, contact_hashes
from leadsift.params import CalibrationParams, LeakageParams, ModelParams, Params, TierParams
from leadsift.pipeline.files import check_input
from leadsift.pipeline.ingest import History, load_history
from leadsift.pipeline.labels import exclusion_counts
from leadsift.pipeline.review.decisions import read_decisions
from leadsift.pipeline.review.labels import AppliedDecisions, decided_labels
from leadsift.pipeline.review.record import log_decisions
from leadsift.pipeline.run_log import Evaluation, fingerprint_of, log_decision, log_run
from leadsift.pipeline.split import Split, split_rows
from leadsift.pipeline.tracking import ChampionDecision, register_and_decide, tracking_uri

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
    model_kind: str = "lightgbm"
    candidates: dict[str, dict[str, float]] = field(default_factory=dict)
    ahead: tuple[str, ...] = ()  # baselines that rank the test slice better, outside the paired interval
    decisions: AppliedDecisions | None = None  # what the review committee's decisions did to the labels


@dataclass(frozen=True)
class Trained:
    """The fitted booster, the champion's calibrator, and the model params actually used (learning
    rate may drop). `held`, `held_raw`: the rows the calibrator was fitted on and the booster's scores
    there from models that did not fit them. `linear`: the logistic model, when it is the champion."""

    fitted: FittedModel
    calibrator: Calibrator
    params: ModelParams
    held: np.ndarray
    held_raw: np.ndarray
    refit: bool
    linear: LinearModel | None = None
    candidates: dict[str, dict[str, float]] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return "logistic" if self.linear is not None else "lightgbm"

    def raw(self, X: pd.DataFrame) -> np.ndarray:
        """The champion's log-odds."""
        if self.linear is not None:
            return self.linear.explain(X)[0]
        return self.fitted.booster.predict(X, raw_score=True, validate_features=True)


def run_training(
    data: Path | str,
    outcomes: Path | str | None,
    params: Params,
    force: bool = False,
    out: TextIO | None = None,
    sheet: str | None = None,
    decisions: Path | str | None = None,
) -> TrainResult:
    """Train, evaluate, log and register one model. Prints progress to `out` (default stderr).
    `sheet`: the worksheet of an .xlsx leads file (default its first). `decisions`: the review
    committee's decisions file (`leadsift sources` review CSV), applied to the labels first."""
    out = out if out is not None else sys.stderr
    step = Steps(9, out)
    if decisions is not None:
        check_input(decisions, "decisions file")  # a typo in its path answers before the history is read
    step(f"reading {data}" + (f" and outcomes {outcomes}" if outcomes else ""))
    history = load_history(data, outcomes, params, sheet=sheet)
    for note in history.notes:
        print(f"    note: {note}", file=out)
    applied = None
    if decisions is not None:
        found = read_decisions(decisions, history.parsed.typed[LEAD_ID])
        history, applied = decided_labels(history, found, params.target, params.label.should_have_worked)
        print(f"    {applied.text()}", file=out, flush=True)
    check_trainable(history, params)
    typed, y_all = history.parsed.typed, history.y
    created = typed[CREATED_AT] if CREATED_AT in typed.columns else None
    ordered = params.split.method in ("time", "order")
    use_history = ordered and created is not None

    step(f"leakage audit on {int(y_all.notna().sum()):,} labelled rows")
    leakage = audit(history, params.leakage, out)

    step(f"splitting ({params.split.method})")
    split = split_rows(y_all, created, params.split)

    step("building point-in-time features" if use_history else "building features (no dates: no history features)")
    # With the row clock (split.method: order) a weekday is an artefact of the numbering.
    drop = (*leakage.flagged, *(("created_weekday",) if params.split.method == "order" else ()))
    builder, feats = FeatureBuilder.fit_features(typed, split.train, params.features, params.icp, use_history, drop)
    if use_history and params.features.history_excess and params.target == "accepted":
        print("    history excess: a first model's expected acceptance of every earlier lead", file=out, flush=True)
        expected = first_expectation(builder.matrix(feats), y_all.fillna(0).to_numpy(dtype="int64"), split, params.model)
        builder, feats = FeatureBuilder.fit_features(typed, split.train, params.features, params.icp, use_history, drop,
                                                     expected)
    X = builder.matrix(feats)
    y = y_all.fillna(0).to_numpy(dtype="int64")

    step(f"training LightGBM on {split.train.sum():,} rows, early stopping on {split.valid.sum():,}")
    follow = followed_rate(params, use_history)
    base_rate = feats[follow].to_numpy(dtype="float64") if follow else None
    trained = train_model(X, y, split, recency_weights(created, params.model.recency_half_life_days),
                          params.model, params.calibration, params.split.method, step, out, base_rate, follow)
    trained, runner_up = choose_model(X, y, trained, split, params.model, params.calibration.method, base_rate, follow, out)
    p_all = trained.calibrator(trained.raw(X), base_rate)
    evaluation = evaluate(y, p_all, split, params.tiers)
    evaluation = replace(evaluation, model_kind=trained.kind, candidates=trained.candidates)
    if runner_up is not None:
        kind, p_other = runner_up
        evaluation.baselines[f"{kind}_candidate"] = {
            "metrics": classification_metrics(y[split.test], p_other[split.test]), "p_test": p_other[split.test]}

    step("baselines: source rate, ICP rules, logistic regression")
    evaluation.baselines.update(baseline_scores(builder, feats, X, history, split, params.target, params.split.seed, y))

    step("logging the run to MLflow")
    fingerprint = fingerprint_of(history, data, outcomes)
    fit_rows = split.train | split.valid | split.calib
    dispersion = group_dispersion(y[split.test], p_all[split.test],
                                  typed.loc[split.test, "source"].astype("str").str.strip().str.casefold().to_numpy(),
                                  params.monitor.min_decided)
    bundle = make_bundle(builder, trained, typed, y[fit_rows], fingerprint, params,
                         importance(trained, X, np.flatnonzero(fit_rows)), dispersion)
    exclusions = exclusion_counts(history.excluded)
    run_id, model_uri = log_run(params, fingerprint, exclusions, split, leakage, trained.fitted, trained.params,
                                evaluation, bundle, history=history, data=data)
    if applied is not None:
        log_decisions(run_id, applied, decisions, history)

    step(f"registering '{params.registry.model_name}' and deciding the champion")
    test_rows = history.raw.loc[split.test, [c for c in bundle.input_columns if c in history.raw.columns]]
    decision = register_and_decide(model_uri, params.registry.model_name, evaluation.metrics["roc_auc"],
                                   test_rows.reset_index(drop=True), y[split.test], force,
                                   metrics=evaluation.metrics, fingerprint=fingerprint, model_kind=evaluation.model_kind)
    log_decision(run_id, decision)
    return TrainResult(
        run_id=run_id, rows=len(typed), used=int(y_all.notna().sum()), excluded=exclusions, split=split.counts(),
        metrics=evaluation.metrics, baselines={k: v["metrics"] for k, v in evaluation.baselines.items()},
        tiers=evaluation.tiers, leakage=leakage, decision=decision, model_uri=model_uri,
        best_iteration=trained.fitted.best_iteration, fingerprint=fingerprint,
        model_kind=trained.kind, candidates=trained.candidates, ahead=baselines_ahead(evaluation), decisions=applied,
        test_predictions=pd.DataFrame(
            {LEAD_ID: typed.loc[split.test, LEAD_ID].to_numpy(), "y": y[split.test], "p_accept": p_all[split.test]}
        ),
    )


MIN_LABELLED = 200


def check_trainable(history: History, params: Params) -> None:
    """Stop early, saying why and with the exclusion counts, when this history cannot train a model."""
    y = history.y[history.y.notna()]
    counts = exclusion_counts(history.excluded)
    excluded = "; ".join(f"{n:,} excluded as {reason}" for reason, n in sorted(counts.items(), key=lambda kv: -kv[1]))
    if len(y) < MIN_LABELLED:
        raise DataError(
            f"{len(y):,} rows have a usable label, and training needs at least {MIN_LABELLED}"
            + (f": {excluded}" if excluded else "") + _status_hint(history, params)
        )
    if y.nunique() < 2:
        outcome = "positive" if y.iloc[0] == 1 else "negative"
        raise DataError(f"all {len(y):,} labelled leads are {outcome} for target: {params.target}; "
                        "the model needs both outcomes" + (f" ({excluded})" if excluded else ""))
    created = history.parsed.typed.get(CREATED_AT)
    if params.split.method == "time" and created is not None and created[history.y.notna()].nunique() < 2:
        raise DataError("every labelled lead has the same created_at, so there is no time order to split by; "
                        "fix the dates or use split.method: random")


def _status_hint(history: History, params: Params) -> str:
    """Which sales_status values the file holds that the label policy does not know."""
    if params.target != "accepted" or "sales_status" not in history.raw.columns:
        return ""
    known = {"accepted", "rejected", "unworked"}
    raw = history.raw["sales_status"].dropna().astype("str").str.strip()
    odd = raw[~raw.str.lower().isin(known)].value_counts().head(5)
    if odd.empty:
        return ""
    found = ", ".join(f"{value!r} ({n:,})" for value, n in odd.items())
    return (f". sales_status holds {found}; leadsift reads accepted, rejected or unworked: "
            "recode those values in the export")


def audit_frame(history: History) -> tuple[pd.DataFrame, list[str]]:
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


def audit(history: History, params: LeakageParams, out: TextIO) -> LeakageReport:
    """The leakage audit of every column on the labelled rows, printed."""
    labelled = history.y.notna().to_numpy()
    frame, columns = audit_frame(history)
    report = audit_leakage(frame[labelled], history.y[labelled].to_numpy(dtype="int64"), columns, params)
    for line in report.to_text().splitlines():
        print("    " + line, file=out)
    return report


def first_expectation(X: pd.DataFrame, y: np.ndarray, split: Split, m: ModelParams) -> np.ndarray:
    """Per row, the acceptance a first model (features without the excess) expects of the lead: out of
    fold on the rows it fits, from the model fitted on all of them elsewhere. Only earlier leads'
    expectations enter a lead's features (point in time, like their outcomes)."""
    fitted = fit_lightgbm(X[split.train], y[split.train], X[split.valid], y[split.valid], m, None)
    m = m.model_copy(update={"learning_rate": fitted.learning_rate})
    fit_rows = split.train | split.valid | split.calib
    rounds = int(round(fitted.best_iteration * fit_rows.sum() / split.train.sum()))
    final, oof = crossfit_refit(X, y, fit_rows, rounds, m, m.refit_folds)
    raw = final.booster.predict(X, raw_score=True, validate_features=True)
    raw[np.flatnonzero(fit_rows)] = oof
    return 1.0 / (1.0 + np.exp(-raw))


def followed_rate(params: Params, use_history: bool) -> str:
    """The feature column of the recent overall rate the calibrator follows ("" when it does not)."""
    if not params.calibration.follow_base_rate:
        return ""
    if not use_history or params.features.history_window_days <= 0:
        raise DataError("calibration.follow_base_rate needs dates (split.method: time or order) and "
                        "features.history_window_days above 0; set it to false or give the leads dates")
    return base_rate_column(params.target)


def train_model(
    X: pd.DataFrame,
    y: np.ndarray,
    split: Split,
    weight: np.ndarray | None,
    m: ModelParams,
    calibration: CalibrationParams,
    split_method: str,
    step: Steps,
    out: TextIO,
    base_rate: np.ndarray | None = None,
    follow: str = "",
) -> Trained:
    """Early-stopped LightGBM, refit on all non-test rows (`model.refit`), then calibrated
    (following `base_rate`, each row's recent overall rate, when given)."""
    fitted = fit_lightgbm(X[split.train], y[split.train], X[split.valid], y[split.valid], m,
                          None if weight is None else weight[split.train])
    if fitted.learning_rate != m.learning_rate:
        print(
            f"    early stopping kept {fitted.best_iteration} trees at learning rate {fitted.learning_rate:.4g} "
            f"(fewer than model.min_rounds={m.min_rounds} at {m.learning_rate:g}: lowered it and fitted again)",
            file=out,
        )
        m = m.model_copy(update={"learning_rate": fitted.learning_rate})
    fit_rows = split.train | split.valid | split.calib
    if not (m.refit and split.labelled <= m.refit_max_rows):
        step(f"calibrating ({calibration.method}) on {split.calib.sum():,} rows; evaluating on {split.test.sum():,}")
        calib_raw = fitted.booster.predict(X[split.calib], raw_score=True, validate_features=True)
        rate = None if base_rate is None else base_rate[split.calib]
        return Trained(fitted, fit_calibrator(calib_raw, y[split.calib], calibration.method, rate, follow), m,
                       np.flatnonzero(split.calib), calib_raw, refit=False)
    rounds = int(round(fitted.best_iteration * fit_rows.sum() / split.train.sum()))
    step(
        f"refitting {rounds} trees on {fit_rows.sum():,} rows; calibrating ({calibration.method}) "
        f"on {m.refit_folds}-fold out-of-fold scores; evaluating on {split.test.sum():,}"
    )
    fitted, oof = crossfit_refit(X, y, fit_rows, rounds, m, m.refit_folds, weight)
    # Over time the base rate drifts: calibrate on the latest (calibration-slice) rows only.
    local = split.calib[fit_rows] if split_method in ("time", "order") else np.ones(int(fit_rows.sum()), bool)
    rate = None if base_rate is None else base_rate[fit_rows][local]
    return Trained(fitted, fit_calibrator(oof[local], y[fit_rows][local], calibration.method, rate, follow), m,
                   np.flatnonzero(fit_rows)[local], oof[local], refit=True)


def choose_model(
    X: pd.DataFrame, y: np.ndarray, trained: Trained, split: Split, m: ModelParams, method: str,
    base_rate: np.ndarray | None, follow: str, out: TextIO,
) -> tuple[Trained, tuple[str, np.ndarray] | None]:
    """The champion candidate: LightGBM or the logistic regression on the same features, by log loss
    (then ROC AUC) of their calibrated scores on the held rows, which neither fitted; `model.kind`
    may force one. Returns the champion and the other candidate's calibrated scores on every row."""
    held, rate = trained.held, None if base_rate is None else base_rate[trained.held]
    lgb_figures = held_figures(y[held], trained.calibrator(trained.held_raw, rate))
    if m.kind == "lightgbm":
        print(f"    champion candidate: lightgbm (model.kind), held-out log loss {lgb_figures['log_loss']:.4f}", file=out)
        return replace(trained, candidates={"lightgbm": lgb_figures}), None
    if trained.refit:
        linear, oof = crossfit_linear(X, y, split.train | split.valid | split.calib, m.refit_folds, m.seed)
        fit_rows = np.flatnonzero(split.train | split.valid | split.calib)
        linear_held = pd.Series(oof, index=fit_rows).loc[held].to_numpy()
    else:  # like the booster (fitted on the training slice), fitted before the calibration slice
        linear = fit_linear(X, y, np.flatnonzero(split.train | split.valid), seed=m.seed)
        linear_held = linear.explain(X.iloc[held])[0]
    calibrator = fit_calibrator(linear_held, y[held], method, rate, follow)
    figures = {"lightgbm": lgb_figures, "logistic": held_figures(y[held], calibrator(linear_held, rate))}
    better = min(figures, key=lambda k: (figures[k]["log_loss"], -figures[k]["roc_auc"]))
    kind = better if m.kind == "auto" else m.kind
    print("    champion candidates on {:,} held-out rows: ".format(len(held)) + "; ".join(
        f"{k} log loss {v['log_loss']:.4f}, ROC AUC {v['roc_auc']:.4f}" for k, v in figures.items())
        + f" -> {kind}" + (" (model.kind)" if m.kind != "auto" else ""), file=out)
    lgb_all = trained.calibrator(trained.raw(X), base_rate)
    linear_all = calibrator(linear.explain(X)[0], base_rate)
    if kind == "lightgbm":
        return replace(trained, candidates=figures), ("logistic", linear_all)
    return replace(trained, calibrator=calibrator, linear=linear, candidates=figures), ("lightgbm", lgb_all)


def held_figures(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    metrics = classification_metrics(y, p)
    return {"log_loss": metrics["log_loss"], "roc_auc": metrics["roc_auc"]}


def evaluate(y: np.ndarray, p: np.ndarray, split: Split, tiers: TierParams) -> Evaluation:
    """Test-slice metrics with the AUC's DeLong interval, and acceptance by tier."""
    test = split.test
    metrics = classification_metrics(y[test], p[test])
    _, metrics["roc_auc_ci_low"], metrics["roc_auc_ci_high"] = roc_auc_interval(y[test], p[test])
    by_tier = rate_by_tier(y[test], assign_tiers(p[test], tiers))
    return Evaluation(metrics=metrics, tiers=by_tier, y_test=y[test], p_test=p[test], baselines={})


def baseline_scores(
    builder: FeatureBuilder, feats: pd.DataFrame, X: pd.DataFrame, history: History, split: Split,
    target: str, seed: int, y: np.ndarray,
) -> dict[str, dict[str, object]]:
    """Each baseline calibrated on the calibration slice and measured on the test slice."""
    typed, y_all = history.parsed.typed, history.y
    scores = {
        "source_rate": source_rate_score(feats, typed, y_all, split.train, target),
        "icp_rules": icp_rules_score(feats),
        "logreg": logistic_regression_score(builder, X, y_all, split.train | split.valid, seed),
    }
    out: dict[str, dict[str, object]] = {}
    for name, score in scores.items():
        p = fit_calibrator(score[split.calib], y[split.calib], "sigmoid")(score)
        out[name] = {"metrics": classification_metrics(y[split.test], p[split.test]), "p_test": p[split.test]}
    return out


def importance(trained: Trained, X: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """Per feature, how much the champion leans on it: gain (trees), mean absolute contribution (logistic)."""
    if trained.linear is None:
        return trained.fitted.booster.feature_importance("gain")
    return np.abs(trained.linear.explain(X.iloc[rows])[1]).mean(axis=0)


def baselines_ahead(evaluation: Evaluation) -> tuple[str, ...]:
    """Each baseline whose test ROC AUC beats the model's by more than the paired DeLong interval allows."""
    out = []
    for name, baseline in evaluation.baselines.items():
        diff, low, high = paired_auc_difference(evaluation.y_test, baseline["p_test"], evaluation.p_test)
        if low > 0:
            out.append(f"{name} ranks the test slice better than the model: ROC AUC +{diff:.4f} "
                       f"(paired DeLong 95% interval {low:+.4f} to {high:+.4f})")
    return tuple(out)


def make_bundle(
    builder: FeatureBuilder, trained: Trained, typed: pd.DataFrame, y_fit: np.ndarray,
    fingerprint: dict[str, object], params: Params, importance: np.ndarray, dispersion: float = 1.0,
) -> ModelBundle:
    """What the registered model carries: builder, booster, calibrator, output settings, known contacts."""
    known = np.unique(contact_hashes(typed["email"])) if "email" in typed.columns else np.empty(0, "uint64")
    return ModelBundle(
        builder=builder, booster_text=trained.fitted.booster.model_to_string(), calibrator=trained.calibrator,
        tiers=params.tiers,
        target=params.target, reasons_top=params.reasons.top, columns=tuple(trained.fitted.columns),
        known_contacts=known,
        inputs=input_records(importance, builder.columns, params.features, typed), linear=trained.linear,
        profile=build_profile(builder.lead_features(typed), dict(zip(builder.columns, importance, strict=True))),
        info={"trained_at": pd.Timestamp.now(tz="UTC").isoformat(), "data_sha256": fingerprint["sha256"],
              "historical_accept_rate": float(y_fit.mean()), "best_iteration": trained.fitted.best_iteration,
              "model_kind": trained.kind, "source_dispersion": dispersion,
              "target": params.target},
    )


def summary_text(result: TrainResult, model_name: str) -> str:
    """The compact summary `leadsift train` prints."""
    lines = [
        f"rows: {result.rows:,} in the file, {result.used:,} used for training and evaluation",
    ]
    for reason, n in sorted(result.excluded.items(), key=lambda kv: -kv[1]):
        lines.append(f"  excluded {n:>9,}  {reason}")
    if result.decisions is not None:
        lines.append(result.decisions.text())
    lines.append("split: " + ", ".join(f"{k} {v:,}" for k, v in result.split.items()))
    lines.append(f"leakage audit: {', '.join(result.leakage.flagged) or 'no column flagged'}")
    header = f"{'test metrics':<20}" + "".join(f"{m:>14}" for m in METRIC_NAMES)
    lines.append(header)
    rows = {"model": result.metrics, **{f"{k}": v for k, v in result.baselines.items()}}
    for name, values in rows.items():
        lines.append(f"{name:<20}" + "".join(f"{values[m]:>14.4f}" for m in METRIC_NAMES))
    lines.append(
        f"model test ROC AUC 95% interval (DeLong): {result.metrics['roc_auc_ci_low']:.4f} to "
        f"{result.metrics['roc_auc_ci_high']:.4f} on {result.split['test']:,} test leads"
    )
    lines.append("acceptance by tier (test): " + ", ".join(
        f"{r.tier} {int(r.leads):,} leads {r.accept_rate:.1%}" if pd.notna(r.accept_rate) else f"{r.tier} 0 leads"
        for r in result.tiers.itertuples()
    ))
    lines.extend(f"warning: {line}" for line in result.ahead)
    if len(result.candidates) > 1:
        lines.append(f"champion candidate: {result.model_kind}, by log loss on held-out rows (not the test slice): " + ", ".join(
            f"{k} {v['log_loss']:.4f}" for k, v in result.candidates.items()))
    model = f"{result.best_iteration} trees" if result.model_kind == "lightgbm" else "logistic regression"
    lines.append(f"model: {model}; MLflow run {result.run_id} in {tracking_uri()}")
    lines.append(f"registered model '{model_name}' {result.decision.reason}")
    lines.append("versions and their figures: `leadsift models`; compare two on a labelled file: "
                 "`leadsift models compare V1 V2 --data FILE`")
    return "\n".join(lines)
