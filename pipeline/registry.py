"""`leadsift models`: the registered versions of the model, two of them compared on one labelled file, and
moving the champion alias by hand, with the reason on record.

Every figure a listing shows comes from the version's tags (set when it was registered); a version
registered before those tags existed falls back to its run's metrics.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from leadsift.errors import DataError, ModelNotFound
from leadsift.models.intervals import paired_auc_difference
from leadsift.models.metrics import classification_metrics, roc_auc_interval
from leadsift.models.scoring import score_frame
from leadsift.params import Params
from leadsift.pipeline.tracking import CHAMPION, load_champion, require_store, use_tracking

__all__ = ["Comparison", "LoggedFigures", "VersionInfo", "champion_version", "compare_text", "compare_versions",
           "list_versions", "logged_figures", "promote", "score_test_slice", "versions_text"]


@dataclass(frozen=True)
class VersionInfo:
    """One registered version, as `leadsift models` lists it."""

    version: str
    created: pd.Timestamp
    aliases: tuple[str, ...]
    model_kind: str
    roc_auc: float | None
    roc_auc_low: float | None
    roc_auc_high: float | None
    log_loss: float | None
    ece: float | None
    data_file: str
    data_rows: int | None
    data_sha256: str
    run_id: str

    @property
    def champion(self) -> bool:
        return CHAMPION in self.aliases


def _client(model_name: str):  # noqa: ANN202 - an MlflowClient, imported here only
    """A client on an existing store that holds `model_name`, else a one-line ModelNotFound."""
    require_store(f"registered model '{model_name}'")
    from mlflow.exceptions import MlflowException
    from mlflow.tracking import MlflowClient

    store = use_tracking()
    client = MlflowClient()
    try:
        client.get_registered_model(model_name)
    except MlflowException:
        raise ModelNotFound(
            f"the tracking store {store} has no registered model '{model_name}'. Run `leadsift train --data <history>` "
            "first, or set registry.model_name in params.yaml (--params) to the model's name"
        ) from None
    return client


def _version(client, model_name: str, version: str):  # noqa: ANN001, ANN202 - MLflow's client and ModelVersion
    """The version, or a one-line ModelNotFound naming the versions there are."""
    from mlflow.exceptions import MlflowException

    wanted = version.removeprefix("v")
    try:
        return client.get_model_version(model_name, wanted)
    except MlflowException:
        there = sorted((int(v.version) for v in client.search_model_versions(f"name='{model_name}'")))
        raise ModelNotFound(
            f"model '{model_name}' has no version {version!r}; it has "
            + (", ".join(f"v{v}" for v in there) if there else "no versions")
        ) from None


def _number(text: object) -> float | None:
    try:
        return float(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _info(client, mv, aliases: tuple[str, ...]) -> VersionInfo:  # noqa: ANN001 - MLflow's client and ModelVersion
    tags = dict(mv.tags or {})
    if "test_log_loss" not in tags and mv.run_id:  # registered before versions carried their figures
        try:
            run = client.get_run(mv.run_id)
        except Exception:  # noqa: BLE001 - a deleted run leaves the version without figures, not the listing broken
            run = None
        if run is not None:
            tags = {**{k: str(v) for k, v in run.data.metrics.items() if k.startswith("test_")},
                    **{f"data_{k}": run.data.params.get(f"dataset.{k}", "") for k in ("rows", "sha256", "file")},
                    "model_kind": run.data.tags.get("model_kind", "lightgbm"), **tags}
    rows = _number(tags.get("data_rows"))
    return VersionInfo(
        version=str(mv.version),
        created=pd.Timestamp(mv.creation_timestamp, unit="ms", tz="UTC"),
        aliases=aliases,
        model_kind=tags.get("model_kind", "?"),
        roc_auc=_number(tags.get("test_roc_auc")),
        roc_auc_low=_number(tags.get("test_roc_auc_ci_low")),
        roc_auc_high=_number(tags.get("test_roc_auc_ci_high")),
        log_loss=_number(tags.get("test_log_loss")),
        ece=_number(tags.get("test_ece")),
        data_file=tags.get("data_file", ""),
        data_rows=None if rows is None else int(rows),
        data_sha256=tags.get("data_sha256", ""),
        run_id=mv.run_id or "",
    )


def list_versions(model_name: str) -> list[VersionInfo]:
    """Every registered version of `model_name`, newest first."""
    client = _client(model_name)
    # search_model_versions leaves a version's aliases out; the registered model has them all
    by_version: dict[str, list[str]] = {}
    for alias, version in (client.get_registered_model(model_name).aliases or {}).items():
        by_version.setdefault(str(version), []).append(alias)
    versions = client.search_model_versions(f"name='{model_name}'")
    infos = [_info(client, mv, tuple(sorted(by_version.get(str(mv.version), ())))) for mv in versions]
    return sorted(infos, key=lambda v: int(v.version), reverse=True)


def _fmt(value: float | None, spec: str = ".4f") -> str:
    return "-" if value is None else format(value, spec)


def versions_text(model_name: str, versions: list[VersionInfo]) -> str:
    """What `leadsift models` prints: a header, then one line per version, the champion marked with `*`."""
    header = (f"  {'version':<8} {'created (UTC)':<16}  {'kind':<10} {'test ROC AUC (95%)':<26} {'log loss':>8} {'ECE':>7}"
              f"  {'data':<28} aliases")
    lines = [f"registered model '{model_name}': {len(versions)} version(s), newest first; * = @{CHAMPION}", header]
    for v in versions:
        auc = _fmt(v.roc_auc)
        if v.roc_auc_low is not None and v.roc_auc_high is not None:
            auc += f" ({v.roc_auc_low:.4f}-{v.roc_auc_high:.4f})"
        data = v.data_file or "?"
        if v.data_rows is not None:
            data += f" {v.data_rows:,} rows"
        aliases = ", ".join(f"@{a}" for a in v.aliases) or "-"
        lines.append(f"{'*' if v.champion else ' '} {'v' + v.version:<8} {v.created:%Y-%m-%d %H:%M}  {v.model_kind:<10} "
                     f"{auc:<26} {_fmt(v.log_loss):>8} {_fmt(v.ece):>7}  {data:<28} {aliases}")
    return "\n".join(lines)


@dataclass(frozen=True)
class Comparison:
    """Two versions scored on the same labelled rows."""

    model_name: str
    data: str
    rows: int
    unscored: int
    figures: dict[str, dict[str, float]]  # per version ("3"): roc_auc, roc_auc_low, roc_auc_high, log_loss, ece
    difference: tuple[float, float, float]  # AUC(first) - AUC(second), with its paired DeLong interval
    notes: tuple[str, ...] = ()


def compare_versions(model_name: str, first: str, second: str, data: Path | str, params: Params,
                     outcomes: Path | str | None = None, sheet: str | None = None) -> Comparison:
    """Score both versions on the labelled rows of `data` (read and labelled as `leadsift train` does), and
    measure each and their paired AUC difference. Rows either version could not score are left out of both."""
    from leadsift.pipeline.ingest import load_history
    from leadsift.pipeline.run_log import file_sha256

    client = _client(model_name)
    versions = [_version(client, model_name, v) for v in (first, second)]
    history = load_history(data, outcomes, params, sheet=sheet)
    labelled = history.y.notna().to_numpy()
    if labelled.sum() == 0:
        raise DataError(f"{data} holds no labelled rows (target: {params.target}) to compare the versions on")
    raw = history.raw.loc[labelled].reset_index(drop=True)
    y = history.y[labelled].to_numpy(dtype="int64")
    scores = []
    for mv in versions:
        bundle, _ = load_champion(f"models:/{model_name}/{mv.version}", model_name)
        rows = raw[[c for c in bundle.input_columns if c in raw.columns]]
        scores.append(score_frame(bundle, rows, with_reasons=False)["p_accept"].to_numpy(dtype="float64"))
    ok = np.isfinite(scores[0]) & np.isfinite(scores[1])
    y_ok = y[ok]
    figures = {}
    for mv, p in zip(versions, scores, strict=True):
        metrics = classification_metrics(y_ok, p[ok])
        auc, low, high = roc_auc_interval(y_ok, p[ok])
        figures[str(mv.version)] = {"roc_auc": auc, "roc_auc_low": low, "roc_auc_high": high,
                                    "log_loss": metrics["log_loss"], "ece": metrics["ece"]}
    notes = []
    sha = file_sha256(data, outcomes)
    trained_on = [f"v{mv.version}" for mv in versions if (mv.tags or {}).get("data_sha256") == sha]
    if trained_on:
        notes.append(f"{Path(data).name} is the file {' and '.join(trained_on)} trained on: its figures here include "
                     "rows it learned from; compare on newer leads for a fair test")
    return Comparison(model_name, str(data), int(ok.sum()), int((~ok).sum()), figures,
                      paired_auc_difference(y_ok, scores[0][ok], scores[1][ok]), tuple(notes))


def compare_text(c: Comparison) -> str:
    """What `leadsift models compare` prints."""
    (a, fa), (b, fb) = c.figures.items()
    lines = [f"'{c.model_name}' v{a} and v{b} on the same {c.rows:,} labelled rows of {c.data}"
             + (f" ({c.unscored:,} rows one of them could not score left out)" if c.unscored else "")]
    lines.append(f"  {'version':<8} {'ROC AUC (95% DeLong)':<28} {'log loss':>8} {'ECE':>7}")
    for version, f in c.figures.items():
        lines.append(f"  {'v' + version:<8} {f['roc_auc']:.4f} ({f['roc_auc_low']:.4f}-{f['roc_auc_high']:.4f}){'':<6}"
                     f" {f['log_loss']:>8.4f} {f['ece']:>7.4f}")
    diff, low, high = c.difference
    verdict = (f"v{a} ranks better" if low > 0 else f"v{b} ranks better" if high < 0
               else "no difference this data can show")
    lines.append(f"ROC AUC v{a} - v{b}: {diff:+.4f} (95% paired DeLong interval {low:+.4f} to {high:+.4f}): {verdict}")
    lines += [f"note: {n}" for n in c.notes]
    return "\n".join(lines)


def promote(model_name: str, version: str, reason: str) -> str:
    """Move `champion` to `version`, recording the reason and the previous champion on the version (tags
    `promoted_reason`, `promoted_from`, `promoted_at`) and on the model (`last_promotion`). Returns what changed."""
    from mlflow.exceptions import MlflowException

    if not reason.strip():
        raise DataError("--reason must say why (it is recorded with the version)")
    client = _client(model_name)
    mv = _version(client, model_name, version)
    try:
        previous = str(client.get_model_version_by_alias(model_name, CHAMPION).version)
    except MlflowException:
        previous = None
    if previous == str(mv.version):
        return f"v{mv.version} is already the champion of '{model_name}': nothing changed"
    when = pd.Timestamp.now(tz="UTC").strftime("%Y-%m-%dT%H:%M:%SZ")
    client.set_registered_model_alias(model_name, CHAMPION, mv.version)
    was = f"v{previous}" if previous else "none"
    for key, value in {"promoted_reason": reason, "promoted_from": was, "promoted_at": when}.items():
        client.set_model_version_tag(model_name, mv.version, key, value[:5000])
    client.set_registered_model_tag(model_name, "last_promotion", f"{was} -> v{mv.version} at {when}: {reason}"[:5000])
    return f"'{model_name}' @{CHAMPION}: {was} -> v{mv.version} (reason recorded: {reason})"


def champion_version(model_name: str) -> str | None:
    """The version @champion points at; None when the store, the model or the alias does not exist yet
    (a missing sqlite store is not created to find that out)."""
    from mlflow.exceptions import MlflowException

    try:
        client = _client(model_name)
        return str(client.get_model_version_by_alias(model_name, CHAMPION).version)
    except (ModelNotFound, MlflowException):
        return None


@dataclass(frozen=True)
class LoggedFigures:
    """A version's run as logged at training: the model's and each baseline's test metrics (unprefixed)."""

    version: str
    run_id: str
    data_sha256: str
    metrics: dict[str, dict[str, float]]  # "model", then each baseline by name


def logged_figures(model_name: str, version: str | None = None) -> LoggedFigures:
    """The test metrics logged with `version`'s run (default: the champion): the model's on the run,
    each baseline's on its child run (or, for runs logged before child runs, `baseline_<name>_test_*` on the run)."""
    client = _client(model_name)
    if version is None:
        version = champion_version(model_name)
        if version is None:
            raise ModelNotFound(f"model '{model_name}' has no @{CHAMPION} yet: run `leadsift train --data <history>`")
    mv = _version(client, model_name, version)
    run = client.get_run(mv.run_id)
    test = {k.removeprefix("test_"): v for k, v in run.data.metrics.items()
            if k.startswith("test_") and not k.startswith("test_tier_")}
    figures: dict[str, dict[str, float]] = {"model": test}
    for key, value in sorted(run.data.metrics.items()):
        name, sep, metric = key.removeprefix("baseline_").partition("_test_")
        if key.startswith("baseline_") and sep:
            figures.setdefault(name, {})[metric] = value
    children = client.search_runs([run.info.experiment_id], f"tags.mlflow.parentRunId = '{run.info.run_id}'")
    for child in sorted(children, key=lambda r: r.info.start_time):
        name = child.data.tags.get("baseline")
        if name:
            figures[name] = {k.removeprefix("test_"): v for k, v in child.data.metrics.items() if k.startswith("test_")}
    return LoggedFigures(str(mv.version), run.info.run_id, (mv.tags or {}).get("data_sha256", ""), figures)


def score_test_slice(bundle, history, params: Params) -> pd.DataFrame:  # noqa: ANN001 - ModelBundle, History
    """The test slice of `history` as `leadsift train` would cut it with these params (the latest labelled
    leads for a time split), scored by `bundle` as new leads: lead_id, y, p_accept, tier."""
    from leadsift.features.contract import CREATED_AT, LEAD_ID
    from leadsift.pipeline.split import split_rows

    typed = history.parsed.typed
    created = typed[CREATED_AT] if CREATED_AT in typed.columns else None
    test = split_rows(history.y, created, params.split).test
    rows = history.raw.loc[test, [c for c in bundle.input_columns if c in history.raw.columns]].reset_index(drop=True)
    scored = score_frame(bundle, rows, with_reasons=False)
    return pd.DataFrame({LEAD_ID: typed.loc[test, LEAD_ID].to_numpy(), "y": history.y[test].to_numpy(dtype="int64"),
                         "p_accept": scored["p_accept"].to_numpy(), "tier": scored["tier"].to_numpy()})
