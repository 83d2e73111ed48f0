"""The training label of each lead (accepted / won), and why an unlabelled lead is left out."""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadsift.errors import ContractError
from leadsift.features.contract import CREATED_AT
from leadsift.params import LabelParams


def make_labels(
    typed: pd.DataFrame, target: str, label: LabelParams, separate_outcomes: bool
) -> tuple[pd.Series, pd.Series, pd.Timestamp | None]:
    """Label per row (1/0/NaN) and the reason each unlabelled row is left out."""
    y = pd.Series(np.nan, index=typed.index, dtype="float64")
    reason = pd.Series("", index=typed.index, dtype="str")
    status = typed["sales_status"] if "sales_status" in typed else pd.Series(pd.NA, index=typed.index, dtype="str")
    if target == "accepted":
        if "sales_status" not in typed:
            raise ContractError(
                "target: accepted needs the outcome column sales_status (accepted/rejected/unworked); "
                "add it, pass --outcomes, or set target: won"
            )
        y[status == "accepted"] = 1.0
        y[status == "rejected"] = 0.0
        unworked = status == "unworked"
        if label.unworked == "negative":
            y[unworked] = 0.0
        else:
            reason[unworked] = "unworked (label.unworked: exclude)"
        none = status.isna()
    else:
        won = typed["closed_won"] if "closed_won" in typed else None
        won_at = typed["won_at"] if "won_at" in typed else None
        if won is None and won_at is None:
            raise ContractError(
                "target: won needs the outcome column closed_won or won_at; add it or pass --outcomes"
            )
        is_won = pd.Series(False, index=typed.index)
        known = pd.Series(False, index=typed.index)
        if won is not None:
            is_won |= won == 1.0
            known |= won.notna()
        if won_at is not None:
            is_won |= won_at.notna()
            known |= won_at.notna()
        known |= status.isin(("accepted", "rejected"))
        y[is_won] = 1.0
        y[known & ~is_won] = 0.0
        none = ~known
        if label.unworked == "exclude":
            unworked = (status == "unworked") & ~is_won
            y[unworked] = np.nan
            reason[unworked] = "unworked (label.unworked: exclude)"
            none &= ~unworked
    if label.no_outcome == "negative":
        y[none & y.isna() & (reason == "")] = 0.0
    else:
        reason[none & (reason == "")] = "no outcome recorded (label.no_outcome: exclude)"

    as_of = export_date(typed, label)
    if CREATED_AT in typed:
        created = typed[CREATED_AT]
        bad_date = created.isna()
        reason[bad_date & (reason == "")] = "created_at missing or not a date"
        y[bad_date] = np.nan
        if as_of is not None and label.maturity_days > 0:
            young = pd.Series(too_young(created, as_of, label.maturity_days), index=typed.index)
            reason[young & (reason == "")] = f"too young to have an outcome (< {label.maturity_days:g} days)"
            y[young] = np.nan
    y[reason != ""] = np.nan
    return y, reason, as_of


def too_young(created: pd.Series | None, as_of: pd.Timestamp | None, maturity_days: float) -> np.ndarray:
    """Per lead, whether it was created within `maturity_days` of the export date `as_of`: too young to have
    an outcome (decided or not). All False without dates or without a maturity period."""
    if created is None or as_of is None or not maturity_days > 0:
        return np.zeros(0 if created is None else len(created), dtype=bool)
    return (created > as_of - pd.Timedelta(days=maturity_days)).to_numpy(dtype=bool)


def export_date(typed: pd.DataFrame, label: LabelParams) -> pd.Timestamp | None:
    """label.as_of, else the latest date in the file (created, decided or won); None without dates."""
    if label.as_of:
        return pd.Timestamp(label.as_of)
    if CREATED_AT not in typed:
        return None
    dates = [typed[c].max() for c in ("created_at", "status_at", "won_at") if c in typed]
    dates = [d for d in dates if pd.notna(d)]
    return max(dates) if dates else None


def has_outcomes(typed: pd.DataFrame, target: str) -> bool:
    """Whether the rows carry the outcome columns `target` is read from."""
    wanted = ("sales_status",) if target == "accepted" else ("closed_won", "won_at")
    return any(c in typed for c in wanted)


def no_labels(typed: pd.DataFrame, label: LabelParams) -> tuple[pd.Series, pd.Series, pd.Timestamp | None]:
    """`make_labels` for a file without outcome columns (new leads): every row unlabelled."""
    y = pd.Series(np.nan, index=typed.index, dtype="float64")
    reason = pd.Series("no outcome columns in the file", index=typed.index, dtype="str")
    return y, reason, export_date(typed, label)


def exclusion_counts(excluded: pd.Series) -> dict[str, int]:
    """Rows left out, by reason (empty when every row is used)."""
    counts = excluded[excluded != ""].value_counts()
    return {str(k): int(v) for k, v in counts.items()}
