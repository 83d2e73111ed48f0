"""The committee's decisions as training labels: what `leadsift train --decisions` feeds the model.

- should_have_worked: the lead becomes a positive (`label.should_have_worked: positive`), or is left
  out (`exclude`);
- wrongly_accepted: the lead becomes a negative;
- rightly_rejected, rule_change: the label stays as sales left it (a rule change is for people to make).

A decision whose label the history already has ("already so") changes nothing and is counted apart,
so the labels change by exactly `changed` leads. A lead without a created_at cannot be placed in time
and stays out whatever the committee said (counted as `not_usable`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from leadsift.errors import ContractError
from leadsift.features.contract import LEAD_ID
from leadsift.pipeline.ingest import History, lead_keys

EXCLUDED_BY_COMMITTEE = "excluded by the review committee (should_have_worked, label.should_have_worked: exclude)"
NO_DATE = "created_at missing or not a date"


@dataclass(frozen=True)
class AppliedDecisions:
    """What the decisions did to the labels: counts, and one row per decided lead (before and after)."""

    by_decision: dict[str, int]
    changed: int  # leads whose training label changed
    already: int  # decisions the history's labels already held
    not_usable: int  # decided leads that cannot be used for training (no date)
    rows: pd.DataFrame  # lead_id, decision, label_before, label_after, changed

    def text(self) -> str:
        decided = ", ".join(f"{k} {v:,}" for k, v in self.by_decision.items()) or "none"
        return (
            f"decisions: {sum(self.by_decision.values()):,} ({decided}); training labels changed for "
            f"{self.changed:,} leads, {self.already:,} already so, {self.not_usable:,} without a usable date"
        )


def decided_labels(
    history: History, decisions: pd.DataFrame, target: str, should_have_worked: str
) -> tuple[History, AppliedDecisions]:
    """The history with the decisions applied to its labels (`y`, `excluded`), and what changed."""
    if target != "accepted":
        raise ContractError("--decisions applies the committee's verdicts on sales acceptance: it needs target: accepted")
    keys = lead_keys(history.parsed.typed[LEAD_ID])
    where = pd.Series(history.y.index, index=keys.to_numpy())
    rows = where.loc[decisions["lead_id"].to_numpy()].to_numpy()
    before = history.y.loc[rows].to_numpy(dtype="float64")
    reason = history.excluded.loc[rows].to_numpy(dtype=object)
    wanted = _wanted(decisions["decision"].to_numpy(dtype=object), before, should_have_worked)
    usable = reason != NO_DATE
    after = np.where(usable, wanted, before)
    same = (after == before) | (np.isnan(after) & np.isnan(before))
    y, excluded = history.y.copy(), history.excluded.copy()
    y.loc[rows] = after
    to_exclude = usable & np.isnan(after) & ~same
    newly = rows[usable & ~np.isnan(after)]
    excluded.loc[newly] = ""
    excluded.loc[rows[to_exclude]] = EXCLUDED_BY_COMMITTEE
    counts = decisions["decision"].value_counts()
    table = pd.DataFrame({"lead_id": decisions["lead_id"].to_numpy(), "decision": decisions["decision"].to_numpy(),
                          "label_before": before, "label_after": after, "changed": ~same})
    labels_changing = np.isin(decisions["decision"].to_numpy(dtype=object), ("should_have_worked", "wrongly_accepted"))
    applied = AppliedDecisions(
        by_decision={str(k): int(v) for k, v in counts.items()},
        changed=int((~same).sum()),
        already=int((same & usable & labels_changing).sum()),
        not_usable=int((~usable).sum()),
        rows=table,
    )
    return replace(history, y=y, excluded=excluded), applied


def _wanted(decision: np.ndarray, before: np.ndarray, should_have_worked: str) -> np.ndarray:
    """The label each decision asks for (NaN: left out); the label as it was for decisions that keep it."""
    positive = 1.0 if should_have_worked == "positive" else np.nan
    return np.where(decision == "should_have_worked", positive, np.where(decision == "wrongly_accepted", 0.0, before))
