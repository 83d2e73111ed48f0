"""Freshly scored lists: `leadsift score` outputs per source, with the verdict file written beside each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from leadsift.errors import ContractError
from leadsift.features.values import parse_number
from leadsift.models.intervals import expected_rate_interval
from leadsift.pipeline.files import read_table, verdicts_path
from leadsift.pipeline.sources.outcomes import NO_SOURCE
from leadsift.pipeline.sources.rates import ratio

# fmt: off
SCORED_COLUMNS = (
    "list", "source", "rows", "expected_accept_rate", "expected_accept_low", "expected_accept_high",
    "historical_accept_rate", "source_history_rate", "historical_basis", "verdict", "expected_accepted",
    "tier_A", "tier_B", "tier_C", "tier_D", "score_errors", "spend", "cost_per_expected_accepted",
    "from_sibling",
)
SIBLING_REQUIRED = ("source", "rows", "expected_accept_rate", "historical_accept_rate", "verdict")
SIBLING_RATES = (  # the verdict file's figures that win over the list's own where it has a number
    "expected_accept_rate", "expected_accept_low", "expected_accept_high", "historical_accept_rate",
    "source_history_rate",
)
# fmt: on


def _read_scored(path: Path) -> pd.DataFrame:
    """One scored list, per source: rows, mean p_accept and its 95% interval, tiers, problems, cost."""
    frame = read_table(path)
    missing = [c for c in ("source", "p_accept") if c not in frame.columns]
    if missing:
        raise ContractError(
            f"scored list {path} has no {', '.join(missing)} column: pass the output of `leadsift score`"
        )
    p, bad = parse_number(frame["p_accept"])
    if bool(bad.any()) or bool(((p < 0) | (p > 1)).any()):
        raise ContractError(f"scored list {path}: p_accept holds values that are not probabilities (0 to 1)")
    source = frame["source"].astype("str").str.strip().where(frame["source"].notna(), NO_SOURCE)
    tier = frame["tier"].astype("str").str.strip() if "tier" in frame.columns else pd.Series("", index=frame.index)
    err = frame["score_error"] if "score_error" in frame.columns else pd.Series(pd.NA, index=frame.index)
    cost = parse_number(frame["cost"])[0] if "cost" in frame.columns else pd.Series(np.nan, index=frame.index)
    kind = (
        frame["source_type"].astype("str").str.strip().str.lower().where(frame["source_type"].notna())
        if "source_type" in frame.columns
        else pd.Series(np.nan, index=frame.index)
    )
    work = pd.DataFrame(
        {
            "source": source,
            "p": p,
            "var": p * (1 - p),
            "scored": p.notna().astype("int64"),
            "err": (err.notna() & (err.astype("str").str.strip() != "")).astype("int64"),
            "cost": cost,
            "kind": kind,
            **{f"tier_{t}": (tier == t).astype("int64") for t in "ABCD"},
        }
    )
    g = work.groupby("source", sort=True)
    agg = pd.DataFrame(
        {
            "rows": g.size(),
            "expected_accept_rate": g["p"].mean(),
            "_var": g["var"].sum(),
            "_scored": g["scored"].sum(),
            **{f"tier_{t}": g[f"tier_{t}"].sum() for t in "ABCD"},
            "score_errors": g["err"].sum(),
            "spend": g["cost"].sum(min_count=1),
            "_kind": g["kind"].agg(lambda t: t.value_counts().index[0] if t.notna().any() else np.nan),
        }
    ).reset_index()
    low, high = expected_rate_interval(agg["expected_accept_rate"].to_numpy(), agg["_var"].to_numpy(), agg["_scored"].to_numpy())
    agg["expected_accept_low"], agg["expected_accept_high"] = low, high
    return agg


def scored_lists(paths: Sequence[Path | str], table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per scored list and source: rows, expected acceptance, the history beside it, verdict, tiers, spend.

    Reads `leadsift score` outputs and, where it exists, the per-source verdict file `leadsift score`
    wrote beside each, named by `leadsift.pipeline.files.verdicts_path` (`x.scored.csv` ->
    `x.scored.sources.csv`; no other name is tried, so a summary left by another run is never read):
    its expected rate (and interval), historical average, source history rate and verdict win.
    Without one the expected rate is the mean p_accept, the historical average and the source's own
    past rate come from `table` (a source new to the history gets its source_type's rate, and
    `historical_basis` says so) and the verdict is "unknown".
    """
    past = _PastRates.of(table)
    parts = []
    for path in paths:
        path = Path(path)
        agg = _with_history(_read_scored(path), past)
        sib = verdicts_path(path)
        if sib.exists():
            agg = _with_verdicts(agg, _read_verdicts(sib, path))
        agg = agg.assign(
            list=path.name,
            expected_accepted=lambda f: f["rows"] * f["expected_accept_rate"],
            cost_per_expected_accepted=lambda f: ratio(f["spend"], f["expected_accepted"]),
        )
        parts.append(agg.loc[:, list(SCORED_COLUMNS)])
    if not parts:
        return pd.DataFrame(columns=list(SCORED_COLUMNS))
    return pd.concat(parts, ignore_index=True)


@dataclass(frozen=True)
class _PastRates:
    """The history's acceptance rates a scored list is set beside: overall, per source, per source type."""

    average: float = float("nan")
    by_source: dict[str, float] = field(default_factory=dict)
    by_type: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of(cls, table: pd.DataFrame | None) -> _PastRates:
        if table is None or not len(table):
            return cls()
        src = table[table["level"] == "source"]
        types = table[table["level"] == "source_type"]
        return cls(
            average=float(table["average_accept_rate"].iloc[0]),
            by_source=dict(zip(src["name"], src["accept_rate"], strict=True)),
            by_type=dict(zip(types["name"].str.lower(), types["accept_rate"], strict=True)),  # lists' types are lowercased
        )


def _with_history(agg: pd.DataFrame, past: _PastRates) -> pd.DataFrame:
    """Add the history's average, the source's own past rate (else its type's) and an "unknown" verdict."""
    own = agg["source"].map(past.by_source).astype("float64")
    by_type = agg["_kind"].map(past.by_type).astype("float64")
    return agg.assign(
        historical_accept_rate=past.average,
        source_history_rate=own.fillna(by_type),
        historical_basis=np.where(
            own.notna(), "source", np.where(by_type.notna(), "source type " + agg["_kind"].astype("str"), "")
        ),
        verdict="unknown",
        from_sibling=False,
    )


def _read_verdicts(sib: Path, path: Path) -> pd.DataFrame:
    """The per-source verdict file `leadsift score` wrote beside `path`, indexed by source."""
    side = read_table(sib)
    missing = [c for c in SIBLING_REQUIRED if c not in side.columns]
    if missing:
        raise ContractError(f"{sib} (the per-source summary beside {path.name}) is missing column(s) {missing}")
    return side.assign(source=side["source"].astype("str").str.strip()).drop_duplicates("source").set_index("source")


def _with_verdicts(agg: pd.DataFrame, side: pd.DataFrame) -> pd.DataFrame:
    """The verdict file's rates (where it has a number) and verdict win for the sources it names."""
    agg = agg.copy()
    known = agg["source"].isin(side.index)
    for column in SIBLING_RATES:
        if column in side.columns:
            values = agg["source"].map(parse_number(side[column])[0])
            use = known & values.notna()
            agg[column] = agg[column].where(~use, values)
            if column == "source_history_rate":
                agg["historical_basis"] = agg["historical_basis"].where(~use, "source")
    verdicts = agg["source"].map(side["verdict"].fillna("unknown").astype("str"))
    agg["verdict"] = agg["verdict"].where(~known, verdicts)
    agg["from_sibling"] = known
    return agg
