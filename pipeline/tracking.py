"""MLflow tracking store and registry: where runs go, the champion alias, and loading the champion.

MLflow is imported inside the functions that use it: importing it takes seconds, and a command
that stops on bad input should not pay for it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from leadsift.errors import ModelNotFound
from leadsift.models.bundle import ModelBundle, load_bundle
from leadsift.models.scoring import score_frame
from leadsift.pipeline.local_model import local_bundle

DEFAULT_TRACKING_URI = "sqlite:///mlflow.db"
CHAMPION = "champion"
# The experiment tag MLflow 3's UI reads to pick its view, and the value for classic model training
# (mlflow/server/js: CUSTOM_MODEL_DEVELOPMENT = "custom_model_development").
EXPERIMENT_KIND_TAG = "mlflow.experimentKind"
MODEL_TRAINING = "custom_model_development"


def tracking_uri() -> str:
    """MLFLOW_TRACKING_URI, else the local sqlite store `mlflow.db` in the working folder."""
    return os.environ.get("MLFLOW_TRACKING_URI") or DEFAULT_TRACKING_URI


def sqlite_file(uri: str) -> Path | None:
    """The database file of a sqlite store URI, else None."""
    return Path(uri[len("sqlite:///") :]) if uri.startswith("sqlite:///") else None


def use_tracking() -> str:
    import mlflow

    uri = tracking_uri()
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    return uri


def ensure_experiment(name: str) -> str:
    """The experiment's id; a new one keeps its artifacts beside a sqlite store's file.

    MLflow 3 opens an experiment in its model-training view, not the GenAI one, when the experiment
    tag `mlflow.experimentKind` says `custom_model_development`: set on a new experiment, and added to
    an existing one that has no kind yet (a kind someone chose is left alone).
    """
    import mlflow

    uri = use_tracking()
    existing = mlflow.get_experiment_by_name(name)
    if existing is not None:
        if EXPERIMENT_KIND_TAG not in existing.tags:
            mlflow.tracking.MlflowClient().set_experiment_tag(existing.experiment_id, EXPERIMENT_KIND_TAG, MODEL_TRAINING)
        return existing.experiment_id
    db = sqlite_file(uri)
    location = (db.resolve().parent / "mlartifacts").as_uri() if db is not None else None
    return mlflow.create_experiment(name, artifact_location=location, tags={EXPERIMENT_KIND_TAG: MODEL_TRAINING})


def require_store(what: str) -> str:
    """The tracking URI, once it is known to exist: MLflow would create an empty sqlite file just to
    find nothing in it. `what` names what was looked for, for the message."""
    store = tracking_uri()
    db = sqlite_file(store)
    if db is not None and not db.exists():
        raise ModelNotFound(
            f"no tracking store at {db}, so no {what}. Run `leadsift train --data <history>` first, "
            "or set MLFLOW_TRACKING_URI to the store your model lives in"
        )
    return store


def champion_uri(model_name: str) -> str:
    return f"models:/{model_name}@{CHAMPION}"


def load_champion(model_uri: str | None, model_name: str) -> tuple[ModelBundle, str]:
    """The leadsift bundle inside an MLflow model (default: the registered champion) and its URI.

    A sqlite store that does not exist yet is not created just to find that it has no champion. A registered
    model in a local sqlite store is read without MLflow (`local_model`), anything else through MLflow.
    """
    uri = model_uri or champion_uri(model_name)
    store = require_store(f"model {uri}")
    db = sqlite_file(store)
    folder = local_bundle(uri, db) if db is not None else None
    if folder is not None:
        return load_bundle(folder), uri
    import mlflow

    use_tracking()
    try:
        model = mlflow.pyfunc.load_model(uri)
    except Exception as exc:  # noqa: BLE001 - MLflow raises several types for "not there"
        raise ModelNotFound(
            f"no model at {uri} in the tracking store {store} ({type(exc).__name__}). "
            "Run `leadsift train --data <history>` first, or pass --model with an existing model URI "
            "and set MLFLOW_TRACKING_URI to the store it lives in."
        ) from None
    bundle = getattr(model.unwrap_python_model(), "bundle", None)
    if not isinstance(bundle, ModelBundle):
        raise ModelNotFound(f"{uri} is not a leadsift model")
    return bundle, uri


@dataclass(frozen=True)
class ChampionDecision:
    version: str
    promoted: bool
    new_auc: float
    champion_version: str | None
    champion_auc: float | None
    reason: str


def register_and_decide(
    model_uri: str,
    model_name: str,
    new_auc: float,
    test_rows: pd.DataFrame,
    test_y: np.ndarray,
    force: bool,
    *,
    metrics: Mapping[str, float] | None = None,
    fingerprint: Mapping[str, object] | None = None,
    model_kind: str | None = None,
) -> ChampionDecision:
    """Register a new version; move `champion` only if it is at least as good on this test slice, or forced.

    With the run's test `metrics`, data `fingerprint` and `model_kind`, the version carries them as its
    description and tags (what `leadsift models` lists); the champion decision ends its description.
    """
    import mlflow
    from mlflow.exceptions import MlflowException
    from mlflow.tracking import MlflowClient
    from sklearn.metrics import roc_auc_score

    use_tracking()
    client = MlflowClient()
    tags = version_tags(metrics or {"roc_auc": new_auc}, fingerprint or {}, model_kind)
    version = mlflow.register_model(model_uri, model_name, tags=tags)
    description = version_description(metrics or {"roc_auc": new_auc}, fingerprint or {}, model_kind)
    client.update_model_version(model_name, version.version, description=description)
    try:
        current = client.get_model_version_by_alias(model_name, CHAMPION)
    except MlflowException:
        current = None
    champ_auc = None
    if current is None:
        promote, why = True, "no champion yet"
    else:
        try:
            champion, _ = load_champion(None, model_name)
            p = score_frame(champion, test_rows)["p_accept"].fillna(0).to_numpy(dtype="float64")
            champ_auc = float(roc_auc_score(test_y, p))
        except Exception as exc:  # noqa: BLE001 - an old champion that no longer loads cannot defend its place
            promote = True
            why = f"champion v{current.version} could not be scored on this test slice ({type(exc).__name__}: {exc})"
        else:
            promote = force or new_auc >= champ_auc
            cmp = ">=" if new_auc >= champ_auc else "<"
            why = f"new test ROC AUC {new_auc:.4f} {cmp} champion v{current.version}'s {champ_auc:.4f} on the same test slice"
            if force and new_auc < champ_auc:
                why += " (promoted anyway: --force)"
    if promote:
        client.set_registered_model_alias(model_name, CHAMPION, version.version)
        reason = f"v{version.version} is now the champion: {why}"
    else:
        reason = f"v{version.version} registered, champion stays v{current.version}: {why}"
    client.update_model_version(model_name, version.version, description=f"{description}\n\nChampion decision: {reason}")
    client.set_model_version_tag(model_name, version.version, "champion_decision", reason[:5000])
    return ChampionDecision(
        version=str(version.version),
        promoted=promote,
        new_auc=new_auc,
        champion_version=None if current is None else str(current.version),
        champion_auc=champ_auc,
        reason=reason,
    )


def figures_text(metrics: Mapping[str, float]) -> str:
    """Test ROC AUC with its interval, log loss and ECE, as a run or version describes them."""
    parts = []
    if "roc_auc" in metrics:
        auc = f"test ROC AUC {metrics['roc_auc']:.4f}"
        if "roc_auc_ci_low" in metrics and "roc_auc_ci_high" in metrics:
            auc += f" (95% DeLong interval {metrics['roc_auc_ci_low']:.4f} to {metrics['roc_auc_ci_high']:.4f})"
        parts.append(auc)
    parts += [f"{label} {metrics[key]:.4f}" for key, label in (("log_loss", "log loss"), ("ece", "ECE")) if key in metrics]
    return ", ".join(parts)


def data_text(fingerprint: Mapping[str, object]) -> str:
    """The data fingerprint in one line: file, rows, sha256 prefix, date range."""
    parts = [str(fingerprint.get("file") or "data")]
    if "rows" in fingerprint:
        parts.append(f"{int(fingerprint['rows']):,} rows")
    if "labelled_rows" in fingerprint:
        parts.append(f"{int(fingerprint['labelled_rows']):,} labelled")
    if fingerprint.get("sha256"):
        parts.append(f"sha256 {str(fingerprint['sha256'])[:12]}")
    if fingerprint.get("created_min"):
        parts.append(f"created {str(fingerprint['created_min'])[:10]} to {str(fingerprint.get('created_max', ''))[:10]}")
    return ", ".join(parts)


def version_description(metrics: Mapping[str, float], fingerprint: Mapping[str, object], model_kind: str | None) -> str:
    """A registered version's description (Markdown, shown on its page in the MLflow UI)."""
    lines = [f"**{model_kind or 'model'}**: {figures_text(metrics)}"]
    if fingerprint:
        lines.append(f"Data: {data_text(fingerprint)}")
    return "\n\n".join(lines)


def version_tags(metrics: Mapping[str, float], fingerprint: Mapping[str, object], model_kind: str | None) -> dict[str, str]:
    """A registered version's tags: its test figures, data and model kind, for `leadsift models` and searches."""
    tags = {f"test_{k}": f"{metrics[k]:.5f}" for k in ("roc_auc", "roc_auc_ci_low", "roc_auc_ci_high", "log_loss", "ece")
            if k in metrics}
    for key in ("file", "rows", "sha256", "created_min", "created_max"):
        if fingerprint.get(key) not in (None, ""):
            tags[f"data_{key}"] = str(fingerprint[key])
    if model_kind:
        tags["model_kind"] = model_kind
    return tags


@dataclass(frozen=True)
class WatchedModel:
    """The registered version behind a model URI, as far as the registry knows it."""

    uri: str
    version: str | None          # None: the URI names no registered version (runs:/, a logged model)
    experiment_id: str | None    # the experiment of the run that trained it
    test_figures: dict[str, float]  # test_roc_auc, test_ece, ... as the version's tags carry them


def watched_model(uri: str, model_name: str) -> WatchedModel:
    """The version, training experiment and test figures of `uri` (models:/NAME@ALIAS or models:/NAME/N)."""
    from mlflow.exceptions import MlflowException
    from mlflow.tracking import MlflowClient

    use_tracking()
    client = MlflowClient()
    rest = uri.removeprefix("models:/")
    try:
        if "@" in rest:
            name, alias = rest.split("@", 1)
            version = client.get_model_version_by_alias(name, alias)
        elif rest.count("/") == 1 and rest.split("/")[1].isdigit():
            version = client.get_model_version(*rest.split("/"))
        else:
            return WatchedModel(uri, None, None, {})
        experiment = client.get_run(version.run_id).info.experiment_id if version.run_id else None
    except MlflowException:
        return WatchedModel(uri, None, None, {})
    figures = {k.removeprefix("test_"): float(v) for k, v in version.tags.items() if k.startswith("test_")}
    return WatchedModel(uri, str(version.version), experiment, figures)
