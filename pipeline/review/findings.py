"""What the committee found: its decisions counted per source and per pattern (`leadsift sources --decisions`)."""

from __future__ import annotations

import pandas as pd

from leadsift.pipeline.review.decisions import DECISIONS

FINDINGS_COLUMNS = ("level", "name", "decided", *DECISIONS)
NOT_DISPUTED = "(not disputed now)"


def committee_findings(decisions: pd.DataFrame, source: pd.Series, pattern: pd.Series) -> pd.DataFrame:
    """Per source and per pattern (FINDINGS_COLUMNS): decisions made, and how many of each kind.

    `source` and `pattern` map a lead_id to its source and its current pattern_id; a decided lead
    that is no longer disputed counts under NOT_DISPUTED.
    """
    ids = decisions["lead_id"]
    work = decisions.assign(
        source=ids.map(source).fillna("(unknown)").astype("str"),
        pattern=ids.map(pattern).fillna(NOT_DISPUTED).astype("str"),
    )
    parts = []
    for level in ("source", "pattern"):
        counts = pd.crosstab(work[level], work["decision"]).reindex(columns=list(DECISIONS), fill_value=0)
        counts = counts.assign(decided=counts.sum(axis=1)).reset_index(names="name")
        counts.insert(0, "level", level)
        parts.append(counts.sort_values(["decided", "name"], ascending=[False, True], kind="stable"))
    if not parts or decisions.empty:
        return pd.DataFrame(columns=list(FINDINGS_COLUMNS))
    return pd.concat(parts, ignore_index=True).loc[:, list(FINDINGS_COLUMNS)]
