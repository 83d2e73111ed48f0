"""The registered model loads and predicts where leadsift is not installed: it carries its own code.

A fresh virtualenv per test run is too slow for the suite; a subprocess from which the project is
unreachable (no editable-install finder, no checkout on sys.path) proves the same thing: everything
the model imports comes from the model's own folder or from its requirements.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from leadsift.models.pyfunc import RUNTIME_PACKAGES
from leadsift.models.scoring import score_frame

# Runs in the subprocess: hide the editable install, prove leadsift is gone, then load and predict.
LOAD_ELSEWHERE = r"""
import importlib.util, json, sys
sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in getattr(f, "__module__", "")]
sys.path[:] = [p for p in sys.path if p and p.rstrip("/") != sys.argv[3]]  # the checkout itself
assert importlib.util.find_spec("leadsift") is None, "leadsift is still importable"
import mlflow, pandas as pd
model = mlflow.pyfunc.load_model(sys.argv[1])
rows = pd.read_json(sys.argv[2], orient="split", dtype=False)
out = model.predict(rows)
origin = sys.modules[type(model.unwrap_python_model()).__module__].__file__
print(json.dumps({"p_accept": [None if p is None else float(p) for p in out["p_accept"]],
                  "reasons": list(out["reasons"]), "code_from": origin}))
"""


@pytest.fixture(scope="module")
def copied(small_model, tmp_path_factory: pytest.TempPathFactory) -> Path:  # noqa: ANN001
    """The logged model's folder, copied out of the store."""
    import mlflow

    from leadsift.pipeline.tracking import use_tracking

    folder = tmp_path_factory.mktemp("copy")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MLFLOW_TRACKING_URI", small_model.store)
        use_tracking()  # tracking and registry both: an earlier test may have pointed MLflow elsewhere
        return Path(mlflow.artifacts.download_artifacts(small_model.model_uri, dst_path=str(folder)))


def test_model_loads_and_predicts_identically_without_the_project(small_model, copied, tmp_path):  # noqa: ANN001
    rows = pd.read_csv(small_model.demo["new_strong"], dtype="str", keep_default_na=False, na_values=[""]).head(200)
    rows = rows[[c for c in small_model.bundle.input_columns if c in rows.columns]]
    rows_file = tmp_path / "rows.json"
    rows.to_json(rows_file, orient="split", index=False)
    project = str(Path(__file__).resolve().parents[2])
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MLFLOW_TRACKING_URI")}
    done = subprocess.run(
        [sys.executable, "-c", LOAD_ELSEWHERE, str(copied), str(rows_file), project],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["code_from"].startswith(str(copied)), result["code_from"]  # the model's own copy of the code

    here = score_frame(small_model.bundle, rows)
    assert result["p_accept"] == here["p_accept"].tolist()
    assert result["reasons"] == here["reasons"].tolist()


def test_requirements_are_installable_pins_without_leadsift(copied):  # noqa: ANN001
    lines = [line.strip() for line in (copied / "requirements.txt").read_text().splitlines() if line.strip()]
    names = [line.split("==")[0].lower() for line in lines]
    assert "leadsift" not in names
    assert set(names) == set(RUNTIME_PACKAGES), lines
    assert all("==" in line for line in lines)


def test_bundle_files_hold_no_pickles(copied):  # noqa: ANN001
    folder = copied / "artifacts" / "bundle"
    suffixes = {p.suffix for p in folder.rglob("*") if p.is_file()}
    assert suffixes == {".json", ".txt", ".parquet"}, suffixes
    assert not list(copied.rglob("*.pkl")), "the model is loaded from code, not from a pickle"
    assert (copied / "model_code.py").exists()
