"""Per group of new leads (all, month, source, source type): what the model expected and what happened.

Outcomes arrive weeks after a lead: a lead younger than label.maturity_days at the export date is
counted as young and left out of the realized figures, exactly as training leaves it out, so that a
month whose leads are still being worked does not look like a collapse.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadsift.models.expected import calibrated_ece, ece_interval, expected_auc, rate_change_p_value
from leadsift.models.intervals import expected_rate_interval, wilson_interval
from leadsift.models.metrics import expected_calibration_error, roc_auc_interval
from leadsift.params import MonitorParams

LEVELS = ("overall", "month", "source_type", "source")
ALL_LEADS = "all leads"
NO_DATE = "(no date)"


def lead_frame(source: pd.Series, source_type: pd.Series, created: pd.Series | None, p: np.ndarray,
               y: pd.Series, young: np.ndarray) -> pd.DataFrame:
    """One row per lead: its groups, p_accept, outcome (NaN when not decided or young) and whether it is young."""
    month = created.dt.strftime("%Y-%m").fillna(NO_DATE) if created is not None else pd.Series(NO_DATE, index=y.index)
    return pd.DataFrame({
        "source": source.to_numpy(), "source_type": source_type.to_numpy(), "month": month.to_numpy(),
        "p": np.asarray(p, dtype="float64"), "y": y.to_numpy(dtype="float64"),
        "young": young if len(young) == len(y) else np.zeros(len(y), dtype=bool),
    })


def group_row(level: str, name: str, rows: pd.DataFrame, params: MonitorParams, seed: int,
              dispersion: float = 1.0) -> dict[str, object]:
    """The figures of one group of leads; `dispersion` widens its acceptance test (`group_dispersion`)."""
    scored = rows[rows["p"].notna()]
    decided = scored[scored["y"].notna()]
    basis = decided if len(decided) else scored
    p, y = decided["p"].to_numpy(), decided["y"].to_numpy()
    mean_p = float(basis["p"].mean()) if len(basis) else np.nan
    spread = float((basis["p"] * (1 - basis["p"])).sum()) * max(dispersion, 1.0)
    low, high = expected_rate_interval(mean_p, spread, len(basis))
    accepted = int(y.sum())
    real_low, real_high = wilson_interval(accepted, len(y)) if len(y) else (np.nan, np.nan)
    row = {
        "level": level, "name": name, "leads": len(rows), "scored": len(scored), "young": int(rows["young"].sum()),
        "decided": len(decided), "accepted": accepted,
        "expected_all_rate": float(scored["p"].mean()) if len(scored) else np.nan,
        "expected_accept_rate": mean_p, "expected_accept_low": low, "expected_accept_high": high,
        "realized_accept_rate": accepted / len(y) if len(y) else np.nan,
        "realized_accept_low": real_low, "realized_accept_high": real_high,
        "rate_p_value": rate_change_p_value(accepted, p, dispersion) if len(y) >= params.min_decided else np.nan,
    }
    row.update(_ranking(basis["p"].to_numpy(), p, y, params, seed))
    return row


def _ranking(p_basis: np.ndarray, p: np.ndarray, y: np.ndarray, params: MonitorParams, seed: int) -> dict[str, float]:
    """Expected ROC AUC from the probabilities; realized ROC AUC and ECE where both outcomes are plentiful."""
    enough = min(int(y.sum()), int(len(y) - y.sum())) >= params.min_class_outcomes
    exp, exp_low, exp_high = expected_auc(p_basis, seed) if len(p_basis) >= params.min_decided else (np.nan,) * 3
    out = {"expected_auc": exp, "expected_auc_low": exp_low, "expected_auc_high": exp_high,
           "realized_auc": np.nan, "realized_auc_low": np.nan, "realized_auc_high": np.nan,
           "ece": np.nan, "ece_low": np.nan, "ece_high": np.nan, "ece_chance": np.nan}
    if enough:
        auc, low, high = roc_auc_interval(y.astype("int64"), p)
        out.update(realized_auc=auc, realized_auc_low=low, realized_auc_high=high,
                   ece=expected_calibration_error(y, p), ece_chance=calibrated_ece(p, seed, 1 - params.alpha))
        out["ece_low"], out["ece_high"] = ece_interval(y, p, seed)
    return out


def group_table(leads: pd.DataFrame, params: MonitorParams, dispersion: float = 1.0, seed: int = 0) -> pd.DataFrame:
    """Rows for every lead (overall), each month (in time order), source type and source (largest first).
    `dispersion`: how far groups strayed from expectation on the model's test slice (not for the whole period)."""
    rows = [group_row("overall", ALL_LEADS, leads, params, seed)]
    for level in LEVELS[1:]:
        groups = leads.groupby(level, sort=False)
        names = sorted(groups.groups) if level == "month" else list(groups.size().sort_values(ascending=False).index)
        rows += [group_row(level, str(name), groups.get_group(name), params, seed, dispersion) for name in names]
    return pd.DataFrame(rows)
