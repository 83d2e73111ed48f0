"""MLflow tracking store and registry: where runs go, the champion alias, and loading the champion.

MLflow is imported inside the functions that use it: importing it takes seconds, and a command
that stops on bad input should not pay for it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from leadsift.errors import ModelNotFound
from leadsift.models.bundle import ModelBundle
from leadsift.models.scoring import score_frame

DEFAULT_TRACKING_URI = "sqlite:///mlflow.db"
CHAMPION = "champion"


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
    """The experiment's id; a new one keeps its artifacts beside a sqlite store's file."""
    import mlflow

    uri = use_tracking()
    existing = mlflow.get_experiment_by_name(name)
    if existing is not None:
        return existing.experiment_id
    db = sqlite_file(uri)
    location = (db.resolve().parent / "mlartifacts").as_uri() if db is not None else None
    return mlflow.create_experiment(name, artifact_location=location)


def champion_uri(model_name: str) -> str:
    return f"models:/{model_name}@{CHAMPION}"


def load_champion(model_uri: str | None, model_name: str) -> tuple[ModelBundle, str]:
    """The leadsift bundle inside an MLflow model (default: the registered champion) and its URI.

    A sqlite store that does not exist yet is not created just to find that it has no champion.
    """
    uri = model_uri or champion_uri(model_name)
    store = tracking_uri()
    db = sqlite_file(store)
    if db is not None and not db.exists():
        raise ModelNotFound(
            f"no tracking store at {db}, so no model {uri}. Run `leadsift train --data <history>` first, "
            "or set MLFLOW_TRACKING_URI to the store your model lives in"
        )
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
) -> ChampionDecision:
    """Register a new version; move `champion` only if it is at least as good on this test slice, or forced."""
    import mlflow
    from mlflow.exceptions import MlflowException
    from mlflow.tracking import MlflowClient
    from sklearn.metrics import roc_auc_score

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
    return ChampionDecision(
        version=str(version.version),
        promoted=promote,
        new_auc=new_auc,
        champion_version=None if current is None else str(current.version),
        champion_auc=champ_auc,
        reason=reason,
    )
