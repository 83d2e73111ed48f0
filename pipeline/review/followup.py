"""Follow-up measured: how sales treated the leads they were given, per source, per tier and per owner.

Per group: leads, leads with a sales decision so far (accepted, rejected or marked unworked; open
leads have none yet), the share of those never worked, days from creation to the sales decision
(median, accepted or rejected leads with a status_at), tier A leads and the share of those with a
decision never worked, and the accepted leads expected lost to no follow-up (the sum of p_accept of the leads never
worked). Sales' complaint about marketing's leads sits in the league table; this is the other side.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadsift.pipeline.sources.rates import ratio

# fmt: off
FOLLOWUP_COLUMNS = (
    "level", "name", "leads", "decided", "never_worked", "never_worked_share", "median_days_to_decision",
    "tier_a", "tier_a_never_worked", "tier_a_never_worked_share", "expected_accepted_lost",
)
# fmt: on


def follow_up(
    leads: pd.DataFrame,
    p_accept: pd.Series,
    status_at: pd.Series | None = None,
    tier: pd.Series | None = None,
    owner: pd.Series | None = None,
) -> pd.DataFrame:
    """FOLLOWUP_COLUMNS rows: level "all", then "source", "tier" (when tiers are given), "owner" (when given).

    `leads` are `lead_outcomes` rows; the other series share its index. `p_accept` is each lead's
    expected acceptance (the model's, or the history's rate for its ICP criteria met).
    """
    decided_at = status_at if status_at is not None else pd.Series(pd.NaT, index=leads.index)
    days = (decided_at - leads["created_at"]).dt.total_seconds() / 86400.0
    work = pd.DataFrame(
        {
            "all": "All leads",
            "source": leads["source"].astype("str"),
            "decided": (leads["no_outcome"] == 0).astype("int64"),
            "never": leads["unworked"].astype("int64"),
            "days": days.where(leads["worked"].astype(bool) & (days >= 0)),
            "a": (tier == "A").astype("int64") if tier is not None else 0,  # tier A leads
            "lost": p_accept.astype("float64").where(leads["unworked"].astype(bool), 0.0).fillna(0.0),
        },
        index=leads.index,
    )
    work["a_never"] = work["a"] * work["never"]
    work["a_decided"] = work["a"] * work["decided"]
    levels = [("all", "all"), ("source", "source")]
    if tier is not None:
        work["tier"] = tier.fillna("").astype("str").replace("", "(no tier)")
        levels.append(("tier", "tier"))
    if owner is not None:
        work["owner"] = owner.fillna("(no owner)").astype("str").str.strip().replace("", "(no owner)")
        levels.append(("owner", "owner"))
    table = pd.concat([_by(work, level, key) for level, key in levels], ignore_index=True)
    if tier is None:  # no model, no tiers: tier A figures are unknown, not zero
        table[["tier_a", "tier_a_never_worked", "tier_a_never_worked_share"]] = np.nan
    return table.loc[:, list(FOLLOWUP_COLUMNS)]


def _by(work: pd.DataFrame, level: str, key: str) -> pd.DataFrame:
    g = work.groupby(key, sort=True)
    out = pd.DataFrame(
        {
            "leads": g.size(),
            "decided": g["decided"].sum(),
            "never_worked": g["never"].sum(),
            "median_days_to_decision": g["days"].median(),
            "tier_a": g["a"].sum(),
            "tier_a_never_worked": g["a_never"].sum(),
            "_a_decided": g["a_decided"].sum(),
            "expected_accepted_lost": g["lost"].sum(),
        }
    ).reset_index(names="name")
    out.insert(0, "level", level)
    out["never_worked_share"] = ratio(out["never_worked"], out["decided"])
    out["tier_a_never_worked_share"] = ratio(out["tier_a_never_worked"], out.pop("_a_decided"))  # of those decided
    if level in ("source", "owner"):  # the largest losses first; tiers stay A, B, C, D
        out = out.sort_values(["expected_accepted_lost", "name"], ascending=[False, True], kind="stable")
    return out


def owner_column(raw: pd.DataFrame, name: str) -> pd.Series | None:
    """The sales owner per lead, from the file's column `name` (sources.owner_column); None when it has none."""
    return raw[name] if name and name in raw.columns else None


def lost_total(table: pd.DataFrame) -> float:
    """The accepted leads expected lost to no follow-up, over all leads."""
    rows = table[table["level"] == "all"]
    return float(rows["expected_accepted_lost"].sum()) if len(rows) else float(np.nan)
