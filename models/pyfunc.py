"""The MLflow model: raw contract rows in; p_accept, score, tier, reasons, score_error out.

The model carries its own code (`code_paths`: leadsift's params, features and models, not the
commands) and its bundle as plain files, so it loads wherever its requirements.txt installs:
`mlflow models serve --env-manager virtualenv`, a Spark worker, a colleague's notebook.
"""

from __future__ import annotations

import shutil
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import mlflow
import pandas as pd
from mlflow.models import ModelSignature
from mlflow.types.schema import ColSpec, Schema

from leadsift.models.bundle import ModelBundle, load_bundle, save_bundle
from leadsift.models.scoring import score_frame

#: What the model imports when it loads and predicts (the PyPI names).
RUNTIME_PACKAGES = ("mlflow", "lightgbm", "pandas", "numpy", "numba", "pyarrow", "pydantic", "pyyaml")


class LeadsiftModel(mlflow.pyfunc.PythonModel):
    """Features are built inside, from the history snapshot stored with the model."""

    def load_context(self, context: mlflow.pyfunc.PythonModelContext) -> None:
        self.bundle: ModelBundle = load_bundle(context.artifacts["bundle"])

    def predict(
        self, context: mlflow.pyfunc.PythonModelContext, model_input: pd.DataFrame, params: dict[str, Any] | None = None
    ) -> pd.DataFrame:
        frame = model_input if isinstance(model_input, pd.DataFrame) else pd.DataFrame(model_input)
        out = score_frame(self.bundle, frame.reset_index(drop=True))
        # An unscored row has no p_accept: null in JSON (NaN is not valid JSON for strict clients).
        return out.astype(object).where(out.notna(), None)


def signature_for(bundle: ModelBundle) -> ModelSignature:
    """Every input column is optional text but lead_id and source; callers send cells as strings."""
    inputs = Schema([ColSpec("string", c, required=c in ("lead_id", "source")) for c in bundle.input_columns])
    outputs = Schema(
        [
            ColSpec("double", "p_accept"),
            ColSpec("long", "score", required=False),
            ColSpec("string", "tier"),
            ColSpec("string", "reasons"),
            ColSpec("string", "score_error"),
        ]
    )
    return ModelSignature(inputs=inputs, outputs=outputs)


def input_example(bundle: ModelBundle) -> pd.DataFrame:
    """Two made-up leads (no personal data from the training file)."""
    rows = [
        {
            "lead_id": "example-1", "created_at": "2026-01-15T10:00:00", "source": "Website demo request",
            "source_type": "inbound_demo", "email": "jane.doe@example.com", "phone": "+1 555 0100",
            "first_name": "Jane", "last_name": "Doe", "job_title": "VP of IT", "company": "Example Corp",
            "company_domain": "example.com", "employees": "850", "industry": "software", "country": "US",
            "page_views": "12", "form_fills": "2", "email_clicks": "3", "demo_requested": "true",
        },
        {
            "lead_id": "example-2", "created_at": "2026-01-15T11:00:00", "source": "Prize draw",
            "source_type": "prize_draw", "email": "someone@gmail.com", "job_title": "Student",
            "employees": "3", "page_views": "1", "demo_requested": "false",
        },
    ]
    frame = pd.DataFrame(rows).reindex(columns=list(bundle.input_columns)).astype(object)
    return frame.where(frame.notna(), None)


def requirements() -> list[str]:
    """The runtime packages at the versions that trained the model: all on PyPI, none of them leadsift."""
    pins = []
    for name in RUNTIME_PACKAGES:
        try:
            pins.append(f"{name}=={version(name)}")
        except PackageNotFoundError:
            continue
    return pins


def code_tree(workdir: Path) -> Path:
    """A copy of the `leadsift` package the model needs (params, errors, features, models), to ship with it."""
    import leadsift
    import leadsift.features
    import leadsift.models

    root = Path(workdir) / "leadsift"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    root.mkdir(parents=True)
    for name in ("__init__.py", "params.py", "errors.py"):
        shutil.copy2(Path(leadsift.__file__).parent / name, root / name)
    for package in (leadsift.features, leadsift.models):
        shutil.copytree(Path(package.__file__).parent, root / package.__name__.rsplit(".", 1)[1], ignore=ignore)
    return root


def log_model(bundle: ModelBundle, workdir: Path) -> mlflow.models.model.ModelInfo:
    """Log the bundle as an MLflow pyfunc model named `model` in the active run."""
    workdir = Path(workdir)
    return mlflow.pyfunc.log_model(
        name="model",
        python_model=str(Path(__file__).with_name("model_code.py")),
        code_paths=[str(code_tree(workdir / "code"))],
        pip_requirements=requirements(),
        artifacts={"bundle": str(save_bundle(bundle, workdir / "bundle"))},
        signature=signature_for(bundle),
        input_example=input_example(bundle),
    )


__all__ = ["LeadsiftModel", "code_tree", "input_example", "log_model", "requirements", "signature_for"]
