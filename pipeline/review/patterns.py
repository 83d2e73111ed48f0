"""Patterns of disputed leads: groups the review committee can rule on at once, each disputed lead in exactly one.

A pattern is what sales did (never worked, rejected, accepted), why the ratings disagree (the model,
the ideal customer profile, or both) and, for passed-over leads, whether the lead asked for a demo:
"412 demo requests never worked although rated high by the model and fitting the ideal customer
profile: follow-up failure?". Each pattern carries its count, the share of each source and the
source that holds most of it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadsift.pipeline.sources.disputes import ICP_FIT, ICP_NONE, MODEL_HIGH, MODEL_LOW

# fmt: off
PATTERN_COLUMNS = (
    "pattern_id", "pattern", "question", "leads", "share_of_disputed", "sales_status", "top_source",
    "top_source_share", "source_shares",
)
# fmt: on
STATUS_WORDS = {"unworked": "never worked", "rejected": "rejected", "accepted": "accepted"}
QUESTIONS = {
    "unworked": "follow-up failure?",
    "rejected": "definition problem?",
    "accepted": "wrongly accepted, or a rule to change?",
}
MOSTLY = 0.5  # a source holding at least this share of a pattern is named in it
SHOWN_SOURCES = 5  # sources named in `source_shares`; the rest are summed as "others"


def disagreeing(disputed: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per disputed lead, whether the model disagrees with sales, and whether the ideal customer profile does."""
    why = disputed["why_disputed"].astype("str")
    model = (why.str.contains(MODEL_HIGH, regex=False) | why.str.contains(MODEL_LOW, regex=False)).to_numpy()
    icp = (why.str.contains(ICP_FIT, regex=False) | why.str.contains(ICP_NONE, regex=False)).to_numpy()
    return model, icp


def pattern_keys(disputed: pd.DataFrame, demo: pd.Series | None = None) -> pd.Series:
    """Per disputed lead, the text of its pattern (without the count): status, why, demo request or not."""
    status = disputed["sales_status"].astype("str")
    accepted = (status == "accepted").to_numpy()
    model, icp = disagreeing(disputed)
    reason = np.where(
        accepted,
        np.where(model & icp, "rated low by the model and meeting no ideal customer profile criterion",
                 np.where(model, "rated low by the model", "meeting no ideal customer profile criterion")),
        np.where(model & icp, "rated high by the model and fitting the ideal customer profile",
                 np.where(model, "rated high by the model", "fitting the ideal customer profile")),
    )
    asked = np.zeros(len(disputed), bool) if demo is None else demo.fillna(False).astype(bool).to_numpy()
    noun = np.where(asked & ~accepted, "demo requests", "leads")
    verb = status.map(STATUS_WORDS).fillna(status).to_numpy(dtype=object)
    return pd.Series(noun.astype(object) + " " + verb + " although " + reason.astype(object), index=disputed.index)


def disputed_patterns(disputed: pd.DataFrame, demo: pd.Series | None = None) -> tuple[pd.Series, pd.DataFrame]:
    """Each disputed lead's pattern_id (P1 the largest pattern) and the patterns table (PATTERN_COLUMNS).

    Every disputed lead has exactly one pattern, so the table's `leads` add up to the disputed count.
    """
    if disputed.empty:
        return pd.Series([], index=disputed.index, dtype="str"), pd.DataFrame(columns=list(PATTERN_COLUMNS))
    key = pattern_keys(disputed, demo)
    counts = key.value_counts(sort=False)
    order = sorted(counts.index, key=lambda k: (-int(counts[k]), k))
    ids = {k: f"P{i}" for i, k in enumerate(order, start=1)}
    rows = [_pattern_row(ids[k], k, disputed[key == k], len(disputed)) for k in order]
    return key.map(ids).astype("str"), pd.DataFrame(rows, columns=list(PATTERN_COLUMNS))


def _pattern_row(pattern_id: str, key: str, group: pd.DataFrame, total: int) -> dict[str, object]:
    """One pattern: its sentence with the count (and the source that holds most of it), and the source shares."""
    shares = group["source"].astype("str").value_counts(normalize=True, sort=False)
    shares = shares.iloc[np.lexsort((shares.index.to_numpy(dtype=str), -shares.to_numpy()))]
    top, top_share = str(shares.index[0]), float(shares.iloc[0])
    status = str(group["sales_status"].iloc[0])
    mostly = f", {top_share:.0%} from {top}" if top_share >= MOSTLY and len(shares) > 1 else ""
    only = f", all from {top}" if len(shares) == 1 else ""
    shown = [f"{name} {share:.0%}" for name, share in shares.iloc[:SHOWN_SOURCES].items()]
    rest = float(shares.iloc[SHOWN_SOURCES:].sum())
    if rest > 0:
        shown.append(f"{len(shares) - SHOWN_SOURCES} others {rest:.0%}")
    return {
        "pattern_id": pattern_id,
        "pattern": f"{len(group):,} {key}{mostly}{only}: {QUESTIONS.get(status, 'what went wrong?')}",
        "question": QUESTIONS.get(status, "what went wrong?"),
        "leads": len(group),
        "share_of_disputed": len(group) / total,
        "sales_status": status,
        "top_source": top,
        "top_source_share": top_share,
        "source_shares": "; ".join(shown),
    }
