"""The committee's decisions on the training run: the file itself, what each did to the labels, the counts.

So a model's labels can be traced: the run holds the decisions file as handed in (`decisions/`), one
row per decided lead with its label before and after (`decisions/applied.csv`), the labels every lead
had in training (`data/labels.csv`), and the counts as metrics (`decisions_*`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from leadsift.features.contract import LEAD_ID
from leadsift.pipeline.ingest import History
from leadsift.pipeline.review.labels import AppliedDecisions
from leadsift.pipeline.run_log import file_sha256


def log_decisions(run_id: str, applied: AppliedDecisions, path: Path | str, history: History) -> None:
    """Log the decisions file, the applied rows, the training labels and the counts on run `run_id`."""
    from mlflow.tracking import MlflowClient

    client = MlflowClient()
    client.log_artifact(run_id, str(path), artifact_path="decisions")
    client.log_text(run_id, applied.rows.to_csv(index=False), "decisions/applied.csv")
    labels = pd.DataFrame({LEAD_ID: history.parsed.typed[LEAD_ID].to_numpy(), "label": history.y.to_numpy(),
                           "excluded": history.excluded.to_numpy()})
    client.log_text(run_id, labels.to_csv(index=False), "data/labels.csv")
    client.set_tag(run_id, "decisions_file", Path(path).name)
    client.set_tag(run_id, "decisions_sha256", file_sha256(path))
    for name, value in {"decisions_changed": applied.changed, "decisions_already": applied.already,
                        "decisions_not_usable": applied.not_usable,
                        **{f"decisions_{k}": v for k, v in applied.by_decision.items()}}.items():
        client.log_metric(run_id, name, float(value))
