"""The monitoring run in MLflow: under the watched model's experiment, metrics per month as steps, alerts as an artifact.

The MLflow UI draws a metric logged with steps as a line over them: month k of the file is step k,
with the month's first day as the timestamp, so the charts read as acceptance over time.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from leadsift.pipeline.monitor.result import Monitoring, alert_frame, month_rows
from leadsift.pipeline.tracking import ensure_experiment, use_tracking

MONITOR_KIND = "monitor"  # the run tag leadsift.kind of a monitoring run
MONTH_METRICS = ("leads", "decided", "expected_accept_rate", "realized_accept_rate", "expected_auc", "realized_auc")


def log_monitoring(m: Monitoring, experiment: str, model_name: str, html: Path, csv: Path | None) -> str:
    """Log one monitoring run of registered model `model_name`; returns its run id."""
    import mlflow

    use_tracking()
    experiment_id = m.model.experiment_id or ensure_experiment(experiment)
    overall = m.table.iloc[0]
    tags = {"leadsift.kind": MONITOR_KIND, "model_name": model_name, "model_uri": m.model.uri,
            "model_version": m.model.version or "",
            "alerts": str(len(m.alerts)), "retrain_recommended": str(m.retrain).lower(),
            "monitor_html": str(Path(html).resolve()), "data_file": m.data_name}
    with mlflow.start_run(experiment_id=experiment_id, run_name=f"monitor {m.data_name}", tags=tags,
                          description=m.verdict) as run:
        mlflow.log_params({"data_file": m.data_name, "as_of": "" if m.as_of is None else m.as_of.isoformat(),
                           "maturity_days": m.maturity_days, "model_version": m.model.version or ""})
        mlflow.log_metrics(_finite({"leads": overall["leads"], "decided": overall["decided"], "alerts": len(m.alerts),
                                    "expected_accept_rate": overall["expected_accept_rate"],
                                    "realized_accept_rate": overall["realized_accept_rate"],
                                    "expected_auc": overall["expected_auc"], "realized_auc": overall["realized_auc"],
                                    "ece": overall["ece"],
                                    **{f"psi_{d.feature}": d.psi for d in m.drift}}))
        _log_months(m.table)
        with tempfile.TemporaryDirectory() as tmp:
            alerts = Path(tmp) / "alerts.csv"
            alert_frame(m.alerts).to_csv(alerts, index=False)
            mlflow.log_artifact(str(alerts))
            table = Path(tmp) / "monitor.csv"
            m.table.to_csv(table, index=False)
            mlflow.log_artifact(str(table))
        mlflow.log_artifact(str(html))
        return run.info.run_id


def _log_months(table: pd.DataFrame) -> None:
    import mlflow

    for step, r in month_rows(table).iterrows():
        when = int(pd.Timestamp(f"{r['name']}-01").value // 1_000_000)
        for name, value in _finite({f"month_{k}": r[k] for k in MONTH_METRICS}).items():
            mlflow.log_metric(name, value, step=int(step), timestamp=when)


def _finite(values: dict[str, object]) -> dict[str, float]:
    out = {}
    for k, v in values.items():
        try:
            x = float(v)
        except (TypeError, ValueError):
            continue
        if np.isfinite(x):
            out[_metric_name(k)] = x
    return out


def _metric_name(name: str) -> str:
    """MLflow metric names take letters, digits and _-. /: everything else becomes _."""
    return "".join(c if c.isalnum() or c in "_-./" else "_" for c in name)


def latest_monitoring(model_name: str) -> dict[str, str] | None:
    """The newest monitoring run of registered model `model_name` in any experiment (run id, start, verdict,
    page path, alerts), or None; a sqlite store that does not exist is not created to find out."""
    from leadsift.pipeline.tracking import sqlite_file, tracking_uri

    db = sqlite_file(tracking_uri())
    if db is not None and not db.exists():
        return None
    import mlflow

    use_tracking()
    runs = mlflow.search_runs(search_all_experiments=True, max_results=1, output_format="list",
                              filter_string=f"tags.`leadsift.kind` = '{MONITOR_KIND}' and tags.model_name = '{model_name}'",
                              order_by=["attributes.start_time DESC"])
    if not runs:
        return None
    r = runs[0]
    return {"run_id": r.info.run_id, "started": pd.Timestamp(r.info.start_time, unit="ms").isoformat(timespec="minutes"),
            "verdict": r.data.tags.get("mlflow.note.content", ""), "html": r.data.tags.get("monitor_html", ""),
            "alerts": r.data.tags.get("alerts", "")}
