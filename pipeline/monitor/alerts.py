"""Which changes deserve an alert, in words, and whether they call for a retrain.

An alert needs a change that is statistically clear (Holm's correction over every group or feature
tested of its kind, at monitor.alpha) and large enough to matter (the monitor thresholds). A month,
source type or the whole period whose change is explained by the sources already alerted (the change
goes away without their leads) is not alerted again: one collapsing campaign is one alert.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from leadsift.features.profile import FeatureDrift
from leadsift.models.expected import holm, rate_change_p_value
from leadsift.params import MonitorParams

# The mix of sources moves with every campaign (judged per source, by outcomes), and the weekday a lead
# is created on moves with the day a list is imported: shown, not alerted.
NOT_ALERTED_FEATURES = ("source", "source_type", "created_weekday")


@dataclass(frozen=True)
class Alert:
    level: str      # overall | month | source_type | source | feature | column
    name: str
    kind: str       # acceptance | ranking | drift | coverage
    text: str       # what changed and what to do, in one sentence
    model_wide: bool  # a change in what the model knows (retrain), rather than in one source


def _pct(x: float) -> str:
    return f"{x:.0%}" if abs(x) >= 0.1 or x == 0 else f"{x:.1%}"


def _large(real: float, expected: float, params: MonitorParams) -> bool:
    gap = abs(real - expected)
    return gap >= params.min_abs_change and gap >= params.min_relative_change * max(expected, 1e-9)


def rate_alerts(table: pd.DataFrame, leads: pd.DataFrame, params: MonitorParams, dispersion: float = 1.0,
                outcome: str = "accepted") -> list[Alert]:
    """Acceptance alerts: realized against expected per group, sources first (`dispersion`: see `group_table`;
    `outcome`: the model's target as a verb, accepted or won)."""
    adjusted = holm(table["rate_p_value"].to_numpy(dtype="float64"))
    tested = int(np.isfinite(table["rate_p_value"].to_numpy(dtype="float64")).sum())
    clear = [
        i for i, r in enumerate(table.itertuples())
        if adjusted[i] < params.alpha and _large(r.realized_accept_rate, r.expected_accept_rate, params)
    ]
    sources = [table.iloc[i]["name"] for i in clear if table.iloc[i]["level"] == "source"]
    rest = leads[~leads["source"].isin(sources)]
    out = []
    for i in clear:
        r = table.iloc[i]
        if r["level"] != "source" and sources and not _still_clear(r, rest, tested, params, dispersion):
            continue
        out.append(Alert(str(r["level"]), str(r["name"]), "acceptance", _rate_text(r, outcome), r["level"] != "source"))
    return out


def _still_clear(r: pd.Series, rest: pd.DataFrame, tested: int, params: MonitorParams, dispersion: float) -> bool:
    """Whether a group's change stays clear and large without the alerted sources' leads (Bonferroni)."""
    overall = r["level"] == "overall"
    rows = rest if overall else rest[rest[str(r["level"])] == r["name"]]
    decided = rows[rows["p"].notna() & rows["y"].notna()]
    if len(decided) < params.min_decided:
        return False
    p, y = decided["p"].to_numpy(), decided["y"].to_numpy()
    return (rate_change_p_value(int(y.sum()), p, 1.0 if overall else dispersion) * tested < params.alpha
            and _large(float(y.mean()), float(p.mean()), params))


def _rate_text(r: pd.Series, outcome: str) -> str:
    what = {"source": "check the campaign or retrain", "source_type": "check these sources or retrain"}.get(
        str(r["level"]), "the model no longer fits these leads: retrain on recent outcomes")
    return (f"{r['name']}: {_pct(r['realized_accept_rate'])} of {int(r['decided']):,} decided leads {outcome} "
            f"against {_pct(r['expected_accept_rate'])} expected (95% interval {_pct(r['expected_accept_low'])} "
            f"to {_pct(r['expected_accept_high'])}): {what}")


def ranking_alerts(table: pd.DataFrame, params: MonitorParams, test_auc: float | None) -> list[Alert]:
    """Ranking alerts: realized ROC AUC well under what the probabilities themselves imply."""
    from scipy.stats import norm

    spread = (table["expected_auc_high"] - table["expected_auc_low"]) / (2 * 1.96)
    gap = table["expected_auc"] - table["realized_auc"]
    p = pd.Series(norm.sf(gap / spread), index=table.index).where(table["realized_auc"].notna() & (spread > 0))
    adjusted = holm(p.to_numpy(dtype="float64"))
    out = []
    for i, r in enumerate(table.itertuples()):
        if adjusted[i] < params.alpha and gap.iloc[i] >= params.min_auc_drop:
            test = f"; the model's test ROC AUC was {test_auc:.2f}" if test_auc is not None else ""
            out.append(Alert(r.level, r.name, "ranking", (
                f"{r.name}: ROC AUC {r.realized_auc:.2f} (95% interval {r.realized_auc_low:.2f} to {r.realized_auc_high:.2f}) "
                f"against {r.expected_auc:.2f} expected from its probabilities{test}: the order of these leads no longer "
                "matches their outcomes; retrain"), r.level != "source"))
    return out


def drift_alerts(drift: list[FeatureDrift], params: MonitorParams) -> list[Alert]:
    """Feature drift alerts: a clear (Holm) and large (PSI) move of a lead feature from training."""
    judged = [d for d in drift if d.feature not in NOT_ALERTED_FEATURES]
    adjusted = holm(np.array([d.p_value for d in judged], dtype="float64"))
    return [
        Alert("feature", d.feature, "drift", (
            f"{d.feature}: the new leads differ from the training leads (PSI {d.psi:.2f}; most moved: {d.moved}): "
            "check where this list comes from, or retrain once these leads have outcomes"), True)
        for d, q in zip(judged, adjusted, strict=True)
        if q < params.alpha and d.psi >= params.max_psi and d.importance >= params.min_importance
    ]


def verdict(alerts: list[Alert], leads: int, decided: int, min_decided: int) -> tuple[bool, str]:
    """(retrain recommended, the sentence that says so and why)."""
    if not alerts and decided < min_decided:
        return False, (f"No alert, but only {decided:,} of these {leads:,} leads have an outcome: too few to judge "
                       f"acceptance yet (monitor.min_decided is {min_decided}); the features show no drift that matters.")
    if not alerts:
        return False, (f"No alert: the scores still describe these {leads:,} leads ({decided:,} with outcomes). "
                       "No retrain needed.")
    wide = [a for a in alerts if a.model_wide and a.kind != "coverage"]
    coverage = [a for a in alerts if a.kind == "coverage"]
    local = [a for a in alerts if not a.model_wide and a.kind != "coverage"]
    if coverage:  # scores of leads that lack what the model reads say little about the model: no retrain on that
        others = len(alerts) - len(coverage)
        tail = f"; the other {others} alert(s) may follow from it." if others else "."
        return False, (f"Fix the export first: {len(coverage)} input column(s) missing or much emptier than in training "
                       f"({', '.join(a.name for a in coverage)}){tail}")
    names = ", ".join(a.name for a in local)
    outcomes = [a for a in wide if a.kind != "drift"]
    drift = [a for a in wide if a.kind == "drift"]
    moved = f"{len(drift)} feature(s) moved from the training leads ({', '.join(a.name for a in drift)})"
    parts = []
    if outcomes:  # the outcomes say the model is off: that is what a retrain fixes
        kinds = sorted({a.kind for a in outcomes})
        parts.append(f"Retrain recommended: {len(outcomes)} model-wide alert(s) on outcomes ({', '.join(kinds)}).")
        parts += [f"{moved} as well."] if drift else []
    elif drift:  # moved leads without outcomes that say the scores are off: look first, retrain once outcomes are in
        parts.append(f"No retrain yet: {moved}; check where these leads come from, and retrain once they have "
                     "outcomes (the model has not seen leads like them).")
    else:
        parts.append("No retrain needed yet.")
    if local:
        parts.append(f"{len(local)} source(s) {'off as well' if outcomes or drift else 'changed'}: {names}; "
                     "check those campaigns (a retrain learns them from their outcomes).")
    return bool(outcomes), " ".join(parts)
