"""What one monitoring produced: the table, drift, alerts and verdict that the page, the CSV and the MLflow run show."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from leadsift.features.profile import FeatureDrift
from leadsift.pipeline.monitor.alerts import Alert
from leadsift.pipeline.tracking import WatchedModel


@dataclass(frozen=True)
class Monitoring:
    """Everything the page, the CSV and the MLflow run show."""

    table: pd.DataFrame            # one row per (level, name), with an `alert` column
    drift: list[FeatureDrift]
    fill: dict[str, float]         # share filled per input column the model reads
    alerts: list[Alert]
    retrain: bool
    verdict: str
    model: WatchedModel
    data_name: str
    as_of: pd.Timestamp | None
    maturity_days: float
    notes: list[str] = field(default_factory=list)
    target: str = "accepted"       # what the model predicts: accepted (sales acceptance) or won

    @property
    def rate_word(self) -> str:
        """The predicted rate as the page names it."""
        return "acceptance" if self.target == "accepted" else "won rate"


def alert_frame(alerts: list[Alert]) -> pd.DataFrame:
    """The alerts as a table (the MLflow artifact)."""
    return pd.DataFrame([a.__dict__ for a in alerts], columns=["level", "name", "kind", "text", "model_wide"])


def month_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The month rows in time order (dated months only)."""
    months = table[(table["level"] == "month") & table["name"].str.match(r"^\d{4}-\d{2}$")]
    return months.reset_index(drop=True)
