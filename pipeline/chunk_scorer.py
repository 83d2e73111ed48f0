"""One list's chunks scored one after another: what each chunk gets, and what spans chunks.

A `ChunkScorer` maps a chunk to the contract, checks the first chunk (required columns, how full the
leaned-on columns are), scores it (`score_contract`: the same for every chunk, whatever came before), and keeps what
the verdicts need across chunks: lead_id hashes for duplicates, per-source tallies, the scores.
`leadsift score` and the Spark path score through it (`leadsift monitor` names sources the same way).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from leadsift.features.contract import LEAD_ID, OUTCOME_COLUMNS, REQUIRED, SOURCE, require_columns
from leadsift.features.text import distinct_text, per_row
from leadsift.models.bundle import ModelBundle
from leadsift.models.coverage import probability_range, uncovered
from leadsift.models.scoring import SIGNALS, id_hashes, score_details
from leadsift.params import DataParams
from leadsift.pipeline.columns import to_contract
from leadsift.pipeline.crm import effective


@dataclass
class SourceTally:
    """Running per-source sums over chunks; `name` is the source as first written in the list."""

    name: str = ""
    rows: int = 0
    scored: int = 0
    p_sum: float = 0.0
    var_sum: float = 0.0
    low_sum: float = 0.0   # p_accept sums with the list's missing leaned-on columns at their least and most
    high_sum: float = 0.0  # favourable typical values (equal to p_sum when nothing is missing)
    signals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SIGNALS, 0))


MISSING_SOURCE = "(missing source)"


def source_names(sources: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(name as written, trimmed; key) per row: names that differ only by spaces or case share a key.
    Worked out once per distinct source (a list holds a few)."""
    codes, distinct = distinct_text(sources)
    name = distinct.str.strip().str.replace(r"\s+", " ", regex=True)
    name = name.where(name.notna() & (name != ""), MISSING_SOURCE)
    return (per_row(name, codes, sources.index, sources.name),
            per_row(name.str.casefold(), codes, sources.index, sources.name))


def tally_rows(sources: pd.Series, out: pd.DataFrame, signals: pd.DataFrame, p_range: tuple[np.ndarray, np.ndarray]
               ) -> pd.DataFrame:
    """Per row, what the verdicts sum: the source's key and name, p, p(1-p), scored, the p range, the signals."""
    p = out["p_accept"].to_numpy(dtype="float64")
    name, key = source_names(sources)
    frame = pd.DataFrame({"key": key.to_numpy(), "name": name.to_numpy(), "p": p, "v": p * (1 - p),
                          "scored": ~np.isnan(p), "lo": p_range[0], "hi": p_range[1]})
    for name in SIGNALS:
        frame[name] = signals[name].fillna(False).to_numpy(dtype=bool)
    return frame


def group_tallies(rows: pd.DataFrame) -> pd.DataFrame:
    """`tally_rows` summed per source key (first appearance first): the frame `add_tallies` adds."""
    return rows.groupby("key", sort=False).agg(
        name=("name", "first"), rows=("p", "size"), scored=("scored", "sum"), p_sum=("p", "sum"), var_sum=("v", "sum"),
        low_sum=("lo", "sum"), high_sum=("hi", "sum"),
        **{name: (name, "sum") for name in SIGNALS},
    )


def add_tallies(tallies: dict[str, SourceTally], grouped: pd.DataFrame) -> None:
    """Add per-source sums (indexed by source key; `group_tallies`' columns) to the running tallies."""
    for key, row in grouped.iterrows():
        t = tallies.setdefault(str(key), SourceTally(name=str(row["name"])))
        t.rows += int(row["rows"])
        t.scored += int(row["scored"])
        t.p_sum += float(row["p_sum"])
        t.var_sum += float(row["var_sum"])
        t.low_sum += float(row["low_sum"])
        t.high_sum += float(row["high_sum"])
        for name in SIGNALS:
            t.signals[name] += int(row[name])


@dataclass
class ScoreTotals:
    """What one pass over the list counted."""

    rows: int = 0
    scored: int = 0
    noted: int = 0
    tallies: dict[str, SourceTally] = field(default_factory=dict)
    p: list[np.ndarray] = field(default_factory=list)  # per chunk, with ChunkScorer(keep_scores=True) only
    fill: dict[str, float] = field(default_factory=dict)  # share of filled cells per input column (first chunk)
    uncovered: list[str] = field(default_factory=list)    # leaned-on columns the list lacks


class ChunkScorer:
    """Scores one chunk after another of a list, keeping what the verdicts need across chunks."""

    def __init__(self, bundle: ModelBundle, now: pd.Timestamp, data: DataParams, where: str,
                 keep_scores: bool = False) -> None:
        """`keep_scores`: keep every row's p_accept in `totals.p` (for --capacity, which ranks the whole list)."""
        self.bundle, self.now, self.data, self.where = bundle, now, data, where
        self.hints, _ = effective(data)  # the list's number and date conventions
        self.totals = ScoreTotals()
        self.keep_scores = keep_scores
        self.chunks = 0
        self.seen = np.empty(0, dtype="uint64")  # the lead_id hashes of the chunks so far, sorted: 8 bytes a row

    def contract(self, original: pd.DataFrame) -> pd.DataFrame:
        """A chunk in the contract's columns (`data.columns`, the preset's map), indexed 0..n-1."""
        return to_contract(original, self.data, self.where, not_here=OUTCOME_COLUMNS)[0].reset_index(drop=True)

    def score(self, original: pd.DataFrame) -> pd.DataFrame:
        """The next chunk's scores (OUTPUT_COLUMNS), counted in `totals`."""
        model_input, earlier = self.prepare(original)
        result, rows = self.score_contract(model_input, earlier, self.totals.uncovered)
        return self.absorb(result, group_tallies(rows))

    def prepare(self, original: pd.DataFrame) -> tuple[pd.DataFrame, list[np.ndarray]]:
        """The next chunk in the contract's columns, and the lead_id hashes of the chunks before it: what
        `score_contract` needs. The first chunk is checked here."""
        model_input = self.contract(original)
        t = self.totals
        if self.chunks == 0:
            require_columns(model_input, REQUIRED, self.where)
            t.fill = fill_rates(model_input, self.bundle.inputs)
            t.uncovered = uncovered(self.bundle.inputs, t.fill)
        earlier = [self.seen]
        ids = model_input[LEAD_ID]
        # One sorted array, not one per chunk: a chunk is then looked up once, however many came before.
        # A stable sort of two sorted runs merges them in linear time.
        self.seen = np.sort(np.concatenate([self.seen, id_hashes(ids[ids.notna()])]), kind="stable")
        self.chunks += 1
        return model_input, earlier

    def absorb(self, result: pd.DataFrame, grouped: pd.DataFrame) -> pd.DataFrame:
        """Count a prepared chunk's scores and its `group_tallies` (chunks in the list's order); returns `result`."""
        t = self.totals
        add_tallies(t.tallies, grouped)
        if self.keep_scores:
            t.p.append(result["p_accept"].to_numpy(dtype="float64"))
        t.rows += len(result)
        t.scored += int(result["p_accept"].notna().sum())
        t.noted += int((result["score_error"] != "").sum())
        return result

    def score_contract(
        self, model_input: pd.DataFrame, earlier_ids: list[np.ndarray], uncovered: list[str]
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Scores (OUTPUT_COLUMNS) and `tally_rows` of contract rows. `earlier_ids`: sorted lead_id hashes of the
        list's earlier rows (`score_details`); `uncovered`: the leaned-on columns the list lacks (from its first chunk)."""
        result, signals = score_details(self.bundle, model_input, self.now, earlier_ids=earlier_ids, data=self.hints)
        p = result["p_accept"].to_numpy(dtype="float64")
        p_range = probability_range(self._plain, model_input, self.bundle.inputs, uncovered) if uncovered else (p, p)
        return result, tally_rows(model_input[SOURCE], result, signals, p_range)

    def _plain(self, frame: pd.DataFrame) -> np.ndarray:
        """p_accept alone (no reasons, no list signals): for the range a missing column leaves open."""
        out = score_details(self.bundle, frame, self.now, with_reasons=False, data=self.hints)[0]
        return out["p_accept"].to_numpy(dtype="float64")


def fill_rates(frame: pd.DataFrame, records: dict[str, object]) -> dict[str, float]:
    """Share of non-empty cells of each recorded input column the frame has (absent columns are left out)."""
    out = {}
    for column in records:
        if column in frame.columns:
            cells = frame[column]
            out[column] = float((cells.notna() & (cells.astype("str").str.strip() != "")).mean()) if len(frame) else 0.0
    return out
