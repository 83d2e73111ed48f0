"""Shared fixtures: tiny in-memory lead frames and an isolated MLflow sqlite store."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from leadsift.models.bundle import ModelBundle

SHARED = Path(__file__).resolve().parents[2] / "shared"
DATASETS = SHARED / "datasets"
PARAMS = Path(__file__).resolve().parents[1] / "params.yaml"


@pytest.fixture()
def mlflow_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point tracking and registry at a fresh sqlite file under tmp_path."""
    uri = f"sqlite:///{tmp_path}/mlflow.db"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    return uri


def require_dataset(relative: str) -> Path:
    path = DATASETS / relative
    if not path.exists():
        pytest.skip(f"{path} not found: the shared datasets folder sits beside the checkout (../shared/datasets)")
    return path


@dataclass(frozen=True)
class SmallModel:
    """One trained model, registered as champion in its own sqlite store."""

    bundle: ModelBundle
    demo: dict[str, Path]
    store: str       # MLFLOW_TRACKING_URI of its store
    model_uri: str   # the logged model (models:/m-...)
    folder: Path


@pytest.fixture(scope="session")
def small_model(tmp_path_factory: pytest.TempPathFactory) -> SmallModel:
    """One LightGBM model trained on 6,000 demo leads in its own store, shared by every test that needs one."""
    import io

    from leadsift.params import load_params
    from leadsift.pipeline.demo.simulator import write_demo_data
    from leadsift.pipeline.tracking import load_champion
    from leadsift.pipeline.train import run_training

    tmp = tmp_path_factory.mktemp("small_model")
    demo = write_demo_data(tmp / "demo", n_leads=6_000, seed=5)
    # LightGBM forced: the explanation and scorer tests check the tree walk; on 6,000 demo leads the
    # logistic candidate may win (tests/e2e/test_champion_kind.py covers the choice and that champion).
    params = load_params(PARAMS)
    params = params.model_copy(update={"model": params.model.model_copy(update={"kind": "lightgbm"})})
    store = f"sqlite:///{tmp}/mlflow.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MLFLOW_TRACKING_URI", store)
        result = run_training(demo["leads"], None, params, out=io.StringIO())
        bundle, _ = load_champion(None, params.registry.model_name)
    return SmallModel(bundle, demo, store, result.model_uri, tmp)


@pytest.fixture()
def in_small_store(small_model: SmallModel, monkeypatch: pytest.MonkeyPatch) -> Iterator[SmallModel]:
    """MLflow pointed at the small model's store for one test, so that its `models:/m-...` URI resolves
    whatever store an earlier test left MLflow's process-wide URIs on (they are put back after)."""
    import mlflow

    before = mlflow.get_tracking_uri(), mlflow.get_registry_uri()
    monkeypatch.setenv("MLFLOW_TRACKING_URI", small_model.store)
    mlflow.set_tracking_uri(small_model.store)
    mlflow.set_registry_uri(small_model.store)
    yield small_model
    mlflow.set_tracking_uri(before[0])
    mlflow.set_registry_uri(before[1])
