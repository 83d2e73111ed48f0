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
from mlflow.types.schema import AnyType, ColSpec, Schema

from leadsift.errors import ContractError
from leadsift.features.contract import (
    BOOLEAN_COLUMNS,
    DATETIME_COLUMNS,
    INTEGER_COLUMNS,
    NUMBER_COLUMNS,
    REQUIRED,
)
from leadsift.features.text import is_blank
from leadsift.features.values import parse_bool, parse_datetime, parse_number
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
        if list(frame.columns) == list(self.bundle.input_columns):
            check_by_position(frame, self.bundle)
        out = score_frame(self.bundle, frame.reset_index(drop=True))
        # An unscored row has no p_accept: null in JSON (NaN is not valid JSON for strict clients).
        return out.astype(object).where(out.notna(), None)


def signature_for(bundle: ModelBundle) -> ModelSignature:
    """The input columns by name, in the fixed order of `bundle.input_columns`, each of any type: text cells
    (a CSV, a JSON request, an all-string Spark frame) or typed ones (numbers, booleans, dates and timestamps,
    as Parquet and Spark hold them), parsed inside the model. lead_id and source are required.

    A `string` column type would make MLflow refuse a number or date column before the model sees it.
    """
    inputs = Schema([ColSpec(AnyType(), c, required=c in REQUIRED) for c in bundle.input_columns])
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


#: Text columns no list holds as numbers, dates or booleans (a source, an industry or a country may be a code).
_TEXT_ONLY = ("source_type", "first_name", "last_name", "job_title", "company", "company_domain")


def check_by_position(frame: pd.DataFrame, bundle: ModelBundle) -> None:
    """Refuse columns that cannot be what their names say, when a frame holds exactly the signature's columns
    in its order: the frame `mlflow.pyfunc.spark_udf` builds when called with columns as positional arguments,
    naming them by the signature's order. Columns passed in another order (`udf(*df.columns)`) would be scored
    under the wrong names; this stops them with an error instead (a date or number column that mostly does not
    parse, an e-mail column without @, a text column that holds numbers or dates).
    """
    f = bundle.builder.params
    wrong = []
    for column in frame.columns:
        cells = frame[column]
        present = ~is_blank(cells)
        n = int(present.sum())
        if n == 0:
            continue
        if column in DATETIME_COLUMNS:
            bad = parse_datetime(cells).bad
        elif column in (*INTEGER_COLUMNS, *NUMBER_COLUMNS, *f.extra_numeric):
            bad = parse_number(cells)[1]
        elif column in BOOLEAN_COLUMNS:
            bad = parse_bool(cells)[1]
        elif column == "email":
            bad = present & ~cells.astype("str").str.contains("@", regex=False)
        elif column in _TEXT_ONLY and not (pd.api.types.is_string_dtype(cells) or cells.dtype == object):
            bad = present
        else:
            continue
        if int(bad.sum()) * 2 > n:
            wrong.append(column)
    if wrong:
        raise ContractError(
            f"column(s) {', '.join(wrong)} mostly hold values that cannot be what their names say. If you called "
            "mlflow.pyfunc.spark_udf with columns as positional arguments, MLflow names them in the model "
            f"signature's order ({', '.join(bundle.input_columns)}): pass every one in that order "
            "(lit(None) for a column you lack), or pass them by name: udf(struct(*df.columns))"
        )


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


__all__ = ["LeadsiftModel", "check_by_position", "code_tree", "input_example", "log_model", "requirements", "signature_for"]
