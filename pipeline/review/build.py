"""The review section of the source report, put together: patterns, the queue, follow-up, the committee's findings."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from leadsift.pipeline.review.findings import FINDINGS_COLUMNS, committee_findings
from leadsift.pipeline.review.followup import follow_up, owner_column
from leadsift.pipeline.review.patterns import disputed_patterns
from leadsift.pipeline.review.queue import decision_worth, queue_size, review_queue


@dataclass(frozen=True)
class Review:
    """The disputed leads (with their pattern_id), the patterns, the queue and its size, follow-up, findings."""

    disputed: pd.DataFrame
    patterns: pd.DataFrame
    queue: pd.DataFrame
    size: int  # leads the committee can rule on in the period
    followup: pd.DataFrame
    findings: pd.DataFrame  # empty without --decisions
    by_owner: bool  # the file names each lead's owner


def build_review(
    disputed: pd.DataFrame,
    leads: pd.DataFrame,
    typed: pd.DataFrame,
    raw: pd.DataFrame,
    scores: pd.DataFrame,
    review_per_week: float,
    period_weeks: float,
    owner: str,
    decisions: pd.DataFrame | None = None,
) -> Review:
    """The review from the disputed leads and the history.

    `leads` (`lead_outcomes` rows), `typed`, `raw` and `scores` (p_accept, and tier from a model)
    share an index; `disputed` names its leads by lead_id.
    """
    row_of = pd.Series(leads.index, index=leads["lead_id"].astype("str").to_numpy())
    rows = row_of.loc[disputed["lead_id"].to_numpy()].to_numpy()
    demo = typed["demo_requested"].loc[rows].reset_index(drop=True) == 1.0 if "demo_requested" in typed else None
    pattern_id, patterns = disputed_patterns(disputed, demo)
    disputed = disputed.assign(pattern_id=pattern_id)
    p_fallback = pd.Series(scores["p_accept"].loc[rows].to_numpy(dtype="float64"), index=disputed.index)
    size = queue_size(review_per_week, period_weeks)
    queue = review_queue(disputed, pattern_id, decision_worth(disputed, p_fallback), size, patterns)
    tier = scores["tier"].astype("str") if "tier" in scores and (scores["tier"].astype("str") != "").any() else None
    owners = owner_column(raw, owner)
    status_at = typed["status_at"] if "status_at" in typed else None
    followup = follow_up(leads, scores["p_accept"], status_at, tier, owners)
    findings = pd.DataFrame(columns=list(FINDINGS_COLUMNS))
    if decisions is not None:
        source = pd.Series(leads["source"].to_numpy(), index=row_of.index)
        findings = committee_findings(decisions, source, pd.Series(pattern_id.to_numpy(), index=disputed["lead_id"]))
    return Review(disputed, patterns, queue, size, followup, findings, owners is not None)
