"""MLflow tracking store and registry: where runs go, and the champion alias."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd
from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient
from sklearn.metrics import roc_auc_score

DEFAULT_TRACKING_URI = "sqlite:///mlflow.db"
CHAMPION = "champion"


def tracking_uri() -> str:
    """MLFLOW_TRACKING_URI, else the local sqlite store `mlflow.db` in the working folder."""
    return os.environ.get("MLFLOW_TRACKING_URI") or DEFAULT_TRACKING_URI


def use_tracking() -> str:
    uri = tracking_uri()
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    return uri


def ensure_experiment(name: str) -> str:
    """The experiment's id; a new one keeps its artifacts beside a sqlite store's file."""
    uri = use_tracking()
    existing = mlflow.get_experiment_by_name(name)
    if existing is not None:
        return existing.experiment_id
    location = None
    if uri.startswith("sqlite:///"):
        db = Path(uri[len("sqlite:///"):]).resolve()
        location = (db.parent / "mlartifacts").as_uri()
    return mlflow.create_experiment(name, artifact_location=location)


def champion_uri(model_name: str) -> str:
    return f"models:/{model_name}@{CHAMPION}"


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
) -> ChampionDecision:
    """Register a new version; move `champion` only if it is at least as good on this test slice, or forced."""
    use_tracking()
    client = MlflowClient()
    version = mlflow.register_model(model_uri, model_name)
    client.set_model_version_tag(model_name, version.version, "test_roc_auc", f"{new_auc:.5f}")
    try:
        current = client.get_model_version_by_alias(model_name, CHAMPION)
    except MlflowException:
        current = None
    champ_auc = None
    if current is None:
        promote, why = True, "no champion yet"
    else:
        try:
            champion = mlflow.pyfunc.load_model(champion_uri(model_name))
            scored = champion.predict(test_rows)
            p = pd.to_numeric(scored["p_accept"], errors="coerce").fillna(0).to_numpy()
            champ_auc = float(roc_auc_score(test_y, p))
        except Exception as exc:  # an old champion that no longer loads cannot defend its place
            promote = True
            why = f"champion v{current.version} could not be scored on this test slice ({type(exc).__name__}: {exc})"
        else:
            promote = force or new_auc >= champ_auc
            cmp = ">=" if new_auc >= champ_auc else "<"
            why = (
                f"new test ROC AUC {new_auc:.4f} {cmp} champion v{current.version}'s {champ_auc:.4f} on the same test slice"
            )
            if force and new_auc < champ_auc:
                why += " (promoted anyway: --force)"
    if promote:
        client.set_registered_model_alias(model_name, CHAMPION, version.version)
        reason = f"v{version.version} is now the champion: {why}"
    else:
        reason = f"v{version.version} registered, champion stays v{current.version}: {why}"
    return ChampionDecision(
        version=str(version.version),
        promoted=promote,
        new_auc=new_auc,
        champion_version=None if current is None else str(current.version),
        champion_auc=champ_auc,
        reason=reason,
    )
