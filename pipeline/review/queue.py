"""The review queue: the disputed leads a committee can rule on in the period, the most telling first.

A decision on a lead is worth the size of the disagreement between what sales did and the rating:
for a lead sales never worked or rejected, its p_accept (the accepted lead expected lost); for an
accepted lead, 1 - p_accept (how far the rules missed it). Leads both the model and the ideal
customer profile disagree on come first among equals, then the newest. The queue first takes the
most telling lead of every pattern (so each pattern has a sample to rule on), then fills up by worth.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from leadsift.errors import ContractError
from leadsift.pipeline.review.patterns import disagreeing

# fmt: off
QUEUE_COLUMNS = (
    "rank", "lead_id", "source", "sales_status", "p_accept", "tier", "icp_criteria_met", "why_disputed",
    "pattern_id", "pattern", "worth", "pattern_sample", "decision", "note",
)
# fmt: on


def queue_size(review_per_week: float, period_weeks: float) -> int:
    """How many leads the committee can rule on in the period: review_per_week x period_weeks, rounded down."""
    if not (review_per_week > 0 and period_weeks > 0):
        raise ContractError(f"the review queue needs a positive size, got {review_per_week!r} a week for {period_weeks!r} weeks")
    return int(math.floor(review_per_week * period_weeks + 1e-9))


def decision_worth(disputed: pd.DataFrame, p_fallback: pd.Series | None = None) -> pd.Series:
    """|what sales did - p_accept| per disputed lead: p_accept if passed over, 1 - p_accept if accepted.

    `p_fallback` (same index; e.g. the history's rate for the lead's ICP criteria met) stands in where
    the lead has no p_accept (no model); with neither, worth is 0.5.
    """
    p = pd.to_numeric(disputed["p_accept"], errors="coerce").astype("float64")
    if p_fallback is not None:
        p = p.fillna(p_fallback.astype("float64"))
    p = p.fillna(0.5)
    accepted = disputed["sales_status"].astype("str") == "accepted"
    return (1.0 - p).where(accepted, p)


def review_queue(
    disputed: pd.DataFrame, pattern_id: pd.Series, worth: pd.Series, size: int, patterns: pd.DataFrame | None = None
) -> pd.DataFrame:
    """At most `size` disputed leads (QUEUE_COLUMNS), the best of each pattern first, then by worth.

    `pattern_id` and `worth` are aligned with `disputed`; `patterns` (the patterns table) gives each
    row its pattern's sentence. `decision` and `note` are empty, for the
    committee to fill in (`leadsift.pipeline.review.decisions.DECISIONS`) and hand back with --decisions.
    """
    if size < 0:
        raise ContractError(f"the review queue size must be 0 or more, got {size}")
    model, icp = disagreeing(disputed)
    both = model & icp
    created_rank = np.arange(len(disputed))  # `disputed` comes newest first among equal p_accept
    ranked = disputed.assign(pattern_id=pattern_id, worth=worth, _both=both, _pos=created_rank).sort_values(
        ["worth", "_both", "_pos"], ascending=[False, False, True], kind="stable"
    )
    samples = ranked.drop_duplicates("pattern_id")
    samples = samples.assign(_n=samples["pattern_id"].map(pattern_id.value_counts())).sort_values(
        ["_n", "worth"], ascending=[False, False], kind="stable"
    ).head(size)
    rest = ranked.drop(index=samples.index).head(max(size - len(samples), 0))
    queue = ranked.loc[ranked.index.isin(samples.index) | ranked.index.isin(rest.index)]
    queue = queue.assign(
        rank=np.arange(1, len(queue) + 1),
        pattern_sample=queue.index.isin(samples.index),
        pattern=queue["pattern_id"].map(patterns.set_index("pattern_id")["pattern"]) if patterns is not None else "",
        decision="",
        note="",
    )
    return queue.loc[:, list(QUEUE_COLUMNS)].reset_index(drop=True)
