"""The score stage: a new lead list in, every row scored and explained, and a verdict per source."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import numpy as np
import pandas as pd
from tqdm import tqdm

from leadsift.errors import ContractError
from leadsift.features.contract import LEAD_ID
from leadsift.models.bundle import ModelBundle
from leadsift.models.coverage import coverage_note
from leadsift.models.intervals import expected_rate_interval
from leadsift.models.scoring import OUTPUT_COLUMNS, SIGNALS, capacity_tiers
from leadsift.params import DataParams, Params
from leadsift.pipeline.chunk_scorer import ChunkScorer, ScoreTotals, SourceTally
from leadsift.pipeline.crm import effective
from leadsift.pipeline.excel import SOURCES_SHEET
from leadsift.pipeline.files import (
    ChunkWriter,
    atomic_path,
    check_input,
    check_outputs,
    file_kind,
    is_gzip,
    iter_table,
    verdicts_path,
    write_table,
)
from leadsift.pipeline.overlap import WriteBehind, read_ahead
from leadsift.pipeline.tracking import load_champion

VERDICT_COLUMNS = (
    "source", "rows", "scored", "expected_accept_rate", "expected_accept_low", "expected_accept_high",
    "historical_accept_rate", "source_history_rate", "verdict", "expected_accept_min", "expected_accept_max",
    "coverage", *(f"share_{s}" for s in SIGNALS),
)


def file_time(path: Path) -> pd.Timestamp:
    """The list's export time, naive UTC: its file's modification time."""
    return pd.Timestamp(path.stat().st_mtime, unit="s")


@dataclass(frozen=True)
class ScoreSummary:
    rows: int
    scored: int
    with_notes: int
    unscored: int
    verdicts: pd.DataFrame
    output: Path
    sources_path: Path
    model_uri: str
    coverage: str = ""  # leaned-on input columns the list lacks, in words; "" when it has them all


def verdict_table(
    tallies: dict[str, SourceTally], bundle: ModelBundle, params: Params, coverage: str = ""
) -> pd.DataFrame:
    """Per source: expected acceptance with a 95% interval, the historical average, signals, verdict."""
    overall = float(bundle.info.get("historical_accept_rate", np.nan))
    rows = []
    history = bundle.builder.histories.get("source")
    for t in tallies.values():
        source = t.name
        expected = t.p_sum / t.scored if t.scored else np.nan
        low, high = expected_rate_interval(expected, t.var_sum, t.scored)
        own = np.nan
        if history is not None and bundle.builder.as_of is not None:
            c = history.counts(pd.Series([source], dtype="str"), pd.Series([bundle.builder.as_of + pd.Timedelta(seconds=1)]), 0)
            if c.decided[0] > 0:
                own = c.accepted[0] / c.decided[0]
        threshold = params.score.low_quality_share * overall
        lowest, highest = (t.low_sum / t.scored, t.high_sum / t.scored) if t.scored else (np.nan, np.nan)
        low_quality = t.scored > 0 and expected < threshold
        # Missing information that could move the list across the line leaves the verdict open.
        open_verdict = t.scored > 0 and (lowest < threshold) != (highest < threshold)
        rows.append({
            "source": source, "rows": t.rows, "scored": t.scored,
            "expected_accept_rate": expected,
            "expected_accept_low": low,
            "expected_accept_high": high,
            "historical_accept_rate": overall, "source_history_rate": own,
            "verdict": ("uncertain" if open_verdict else "low_quality" if low_quality else "ok") if t.scored else "not_scored",
            "expected_accept_min": lowest, "expected_accept_max": highest, "coverage": coverage,
            **{f"share_{s}": t.signals[s] / t.rows if t.rows else np.nan for s in SIGNALS},
        })
    return pd.DataFrame(rows, columns=list(VERDICT_COLUMNS))


def score_file(
    input_path: Path | str,
    output_path: Path | str,
    params: Params,
    model_uri: str | None = None,
    capacity: int | None = None,
    as_of: pd.Timestamp | None = None,
    out: TextIO | None = None,
    progress: bool = True,
    sheet: str | None = None,
) -> ScoreSummary:
    """Score every row of INPUT into OUTPUT (same rows, same order, input columns unchanged, plus scores).

    `as_of`: "now" for the list (a created_at after it is noted); default the input file's time.
    `sheet`: the worksheet of an .xlsx INPUT (default its first). An .xlsx OUTPUT also holds the verdicts
    as a second sheet.
    """
    out = out if out is not None else sys.stderr
    input_path, output_path = check_input(input_path), Path(output_path)
    sources_path = verdicts_path(output_path)
    check_outputs([input_path], [output_path, sources_path])
    kind = file_kind(output_path)
    now = as_of if as_of is not None else file_time(input_path)
    bundle, uri = load_champion(model_uri, params.registry.model_name)
    gz, ids = is_gzip(output_path), lead_id_columns(params.data)
    with atomic_path(output_path) as final:
        # --capacity needs the whole list's scores before any tier: the first pass keeps only the scores, the
        # second reads the list again and writes it with them, so every input cell comes from the list itself.
        staging = final.with_name(final.name + ".scores.parquet") if capacity is not None else None
        try:
            with ChunkWriter(staging or final, "parquet" if staging else kind, gz, ids) as writer:
                with WriteBehind(writer.write) as write:
                    totals = _score_chunks(bundle, input_path, write, params, now, out, progress, sheet,
                                           scores_only=staging is not None)
                coverage = coverage_note(bundle.inputs, totals.fill, totals.uncovered) if totals.uncovered else ""
                verdicts = verdict_table(totals.tallies, bundle, params, coverage)
                writer.add_sheet(SOURCES_SHEET, verdicts)
            if staging is not None:
                tiers = capacity_tiers(np.concatenate(totals.p), capacity, bundle.tiers)
                with ChunkWriter(final, kind, gz, ids) as writer:
                    _apply_capacity(input_path, staging, writer, tiers, params.score.chunk_rows, sheet)
                    writer.add_sheet(SOURCES_SHEET, verdicts)
        finally:
            if staging is not None:
                staging.unlink(missing_ok=True)
    write_table(verdicts, sources_path, neutralize_formulas=True)
    return ScoreSummary(totals.rows, totals.scored, totals.noted, totals.rows - totals.scored, verdicts, output_path,
                        sources_path, uri, coverage)


def _score_chunks(
    bundle: ModelBundle, input_path: Path, write: Callable[[pd.DataFrame], None], params: Params, now: pd.Timestamp,
    out: TextIO, progress: bool, sheet: str | None = None, scores_only: bool = False,
) -> ScoreTotals:
    """Score the list chunk by chunk, handing each scored chunk to `write` (with `scores_only`, the score columns
    alone); duplicates are found across chunks by lead_id hash."""
    scorer = ChunkScorer(bundle, now, params.data, f"list {input_path}", keep_scores=scores_only)
    bar = None  # made once the first chunk is scored: an unreadable file shows no progress bar before its error
    chunks = _without_scores(read_ahead(iter_table(input_path, params.score.chunk_rows, sheet=sheet)), out)
    for original in chunks:
        result = scorer.score(original)
        result.index = original.index
        write(result if scores_only else pd.concat([original, result], axis=1))
        if bar is None:
            bar = tqdm(total=None, unit=" rows", desc="scoring", file=out, disable=not progress, mininterval=1.0)
        bar.update(len(result))
    if bar is not None:
        bar.close()
    if scorer.totals.rows == 0:
        raise ContractError(f"{input_path} has a header but no rows to score")
    return scorer.totals


def _without_scores(chunks: Iterator[pd.DataFrame], out: TextIO | None = None) -> Iterator[pd.DataFrame]:
    """The chunks without the score columns a list may already have (said once on `out`: they are replaced)."""
    for k, chunk in enumerate(chunks):
        stale = [c for c in OUTPUT_COLUMNS if c in chunk.columns]
        if stale and k == 0 and out is not None:
            print(f"note: the input already has {stale}; they are replaced by new scores", file=out)
        yield chunk.drop(columns=stale)


def _apply_capacity(
    input_path: Path, staging: Path, writer: ChunkWriter, tiers: np.ndarray, chunk_rows: int, sheet: str | None
) -> None:
    """Second pass: the list read again beside its scores from the first (`staging`), with the capacity tiers
    (the top N of the whole list are A)."""
    import pyarrow.parquet as pq

    scores = pq.ParquetFile(staging).iter_batches(batch_size=chunk_rows)  # chunk_rows at a time, as the list is read
    start = 0
    for original in _without_scores(read_ahead(iter_table(input_path, chunk_rows, sheet=sheet))):
        batch = next(scores, None)
        if batch is None or batch.num_rows != len(original):
            raise ContractError(f"{input_path} changed while it was being scored; score it again")
        result = batch.to_pandas()
        result["tier"] = tiers[start : start + len(result)]
        result.index = original.index
        start += len(result)
        writer.write(pd.concat([original, result], axis=1))
    if start != len(tiers):
        raise ContractError(f"{input_path} changed while it was being scored; score it again")


def lead_id_columns(data: DataParams) -> list[str]:
    """The names the list's lead_id column may have (mapped by `data.columns` or the preset, or lead_id itself)."""
    merged, _ = effective(data)
    return [*(old for old, new in merged.columns.items() if new == LEAD_ID), LEAD_ID]


def verdict_text(summary: ScoreSummary) -> str:
    """The table printed after scoring: one line per source, no personal data."""
    v = summary.verdicts.sort_values("expected_accept_rate")
    lines = [
        f"scored {summary.scored:,} of {summary.rows:,} rows ({summary.unscored:,} not scored, "
        f"{summary.with_notes:,} with a note in score_error) with {summary.model_uri}",
        f"{'source':<42} {'rows':>8} {'expected accept (95%)':>24} {'history':>8}  verdict   signals",
    ]
    for r in v.itertuples():
        name = (r.source[:39] + "...") if len(r.source) > 42 else r.source
        interval = (
            f"{r.expected_accept_rate:6.1%} ({r.expected_accept_low:.1%}-{r.expected_accept_high:.1%})" if r.scored else "-"
        )
        signals = ", ".join(
            f"{label} {getattr(r, 'share_' + s):.0%}"
            for s, label in (("personal_email", "personal e-mail"), ("non_decision_maker", "non-decision-maker"),
                             ("under_10_employees", "<10 employees"), ("no_phone", "no phone"),
                             ("duplicate_in_list", "duplicates"), ("known_contact", "already known"))
            if getattr(r, "share_" + s) >= 0.2
        )
        lines.append(f"{name:<42} {r.rows:>8,} {interval:>24} {r.historical_accept_rate:>8.1%}  {r.verdict:<9} {signals}")
    if summary.coverage:
        lines.append(f"coverage: the list lacks what the model leans on: {summary.coverage}. Expected rates may be "
                     "anywhere in expected_accept_min..max in the verdict file; 'uncertain' where that range crosses the line")
    lines.append(f"output: {summary.output}\nverdicts: {summary.sources_path}")
    return "\n".join(lines)
