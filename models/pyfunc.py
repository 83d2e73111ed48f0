"""The MLflow model: raw contract rows in; p_accept, score, tier, reasons, score_error out."""

from __future__ import annotations

from pathlib import Path

import joblib
import mlflow
import pandas as pd
from mlflow.models import ModelSignature
from mlflow.types.schema import ColSpec, Schema

from models.scoring import OUTPUT_COLUMNS, ModelBundle, score_frame

BUNDLE_FILE = "leadsift_bundle.joblib"


class LeadsiftModel(mlflow.pyfunc.PythonModel):
    """Features are built inside, from the history snapshot stored with the model."""

    def load_context(self, context) -> None:  # noqa: ANN001 - MLflow's PythonModelContext
        self.bundle: ModelBundle = joblib.load(context.artifacts["bundle"])

    def predict(self, context, model_input, params=None):  # noqa: ANN001, ANN201 - MLflow's interface
        frame = model_input if isinstance(model_input, pd.DataFrame) else pd.DataFrame(model_input)
        out = score_frame(self.bundle, frame.reset_index(drop=True))
        # An unscored row has no p_accept: null in JSON (NaN is not valid JSON for strict clients).
        return out.astype(object).where(out.notna(), None)


def signature_for(bundle: ModelBundle) -> ModelSignature:
    """Every input column is optional text but lead_id and source; callers send cells as strings."""
    inputs = Schema(
        [ColSpec("string", c, required=c in ("lead_id", "source")) for c in bundle.input_columns]
    )
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
    """The model's runtime packages at the versions that trained it (skips MLflow's slow inference)."""
    from importlib.metadata import PackageNotFoundError, version

    pins = []
    for name in ("leadsift", "mlflow", "lightgbm", "scikit-learn", "pandas", "numpy", "numba", "joblib", "pyarrow"):
        try:
            pins.append(f"{name}=={version(name)}")
        except PackageNotFoundError:
            continue
    return pins


def log_model(bundle: ModelBundle, workdir: Path) -> mlflow.models.model.ModelInfo:
    """Log the bundle as an MLflow pyfunc model named `model` in the active run.

    The model imports leadsift's packages, so it loads where leadsift is installed
    (`mlflow models serve --env-manager local` from the project's environment).
    """
    path = Path(workdir) / BUNDLE_FILE
    joblib.dump(bundle, path, compress=3)
    return mlflow.pyfunc.log_model(
        name="model",
        python_model=LeadsiftModel(),
        pip_requirements=requirements(),
        artifacts={"bundle": str(path)},
        signature=signature_for(bundle),
        input_example=input_example(bundle),
    )


__all__ = ["OUTPUT_COLUMNS", "LeadsiftModel", "log_model", "signature_for", "input_example"]
