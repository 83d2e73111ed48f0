"""The score stage: a new lead list in, every row scored and explained, and a verdict per source."""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import numpy as np
import pandas as pd
from tqdm import tqdm

from features.contract import LEAD_ID, REQUIRED, SOURCE, ContractError, mapping_hint
from models.scoring import OUTPUT_COLUMNS, SIGNALS, ModelBundle, capacity_tiers, id_hashes, score_details
from pipeline.config import Params
from pipeline.ingest import _kind, iter_table, neutralize, write_atomic
from pipeline.tracking import champion_uri, tracking_uri, use_tracking

VERDICT_COLUMNS = (
    "source", "rows", "scored", "expected_accept_rate", "expected_accept_low", "expected_accept_high",
    "historical_accept_rate", "source_history_rate", "verdict", *(f"share_{s}" for s in SIGNALS),
)


class ModelNotFound(ContractError):
    """No model at the URI (no champion yet)."""


def load_bundle(model_uri: str | None, params: Params) -> tuple[ModelBundle, str]:
    """The leadsift bundle inside an MLflow model (default: the registered champion)."""
    import mlflow

    use_tracking()
    uri = model_uri or champion_uri(params.registry.model_name)
    try:
        model = mlflow.pyfunc.load_model(uri)
    except Exception as exc:  # MLflow raises several types for "not there"
        raise ModelNotFound(
            f"no model at {uri} in the tracking store {tracking_uri()} ({type(exc).__name__}). "
            "Run `leadsift train --data <history>` first, or pass --model with an existing model URI "
            "and set MLFLOW_TRACKING_URI to the store it lives in."
        ) from exc
    inner = model.unwrap_python_model()
    bundle = getattr(inner, "bundle", None)
    if not isinstance(bundle, ModelBundle):
        raise ModelNotFound(f"{uri} is not a leadsift model")
    return bundle, uri


@dataclass
class SourceTally:
    """Running per-source sums over chunks."""

    rows: int = 0
    scored: int = 0
    p_sum: float = 0.0
    var_sum: float = 0.0
    signals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SIGNALS, 0))


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


def _tally(tallies: dict[str, SourceTally], sources: pd.Series, out: pd.DataFrame, signals: pd.DataFrame) -> None:
    p = out["p_accept"].to_numpy(dtype="float64")
    key = sources.fillna("(no source)").astype("str").to_numpy()
    frame = pd.DataFrame({"key": key, "p": p, "v": p * (1 - p), "scored": ~np.isnan(p)})
    for name in SIGNALS:
        frame[name] = signals[name].fillna(False).to_numpy(dtype=bool)
    grouped = frame.groupby("key", sort=False).agg(
        rows=("p", "size"), scored=("scored", "sum"), p_sum=("p", "sum"), var_sum=("v", "sum"),
        **{name: (name, "sum") for name in SIGNALS},
    )
    for source, row in grouped.iterrows():
        t = tallies.setdefault(str(source), SourceTally())
        t.rows += int(row["rows"])
        t.scored += int(row["scored"])
        t.p_sum += float(row["p_sum"])
        t.var_sum += float(row["var_sum"])
        for name in SIGNALS:
            t.signals[name] += int(row[name])


def verdict_table(tallies: dict[str, SourceTally], bundle: ModelBundle, params: Params) -> pd.DataFrame:
    """Per source: expected acceptance with a 95% interval, the historical average, signals, verdict."""
    overall = float(bundle.info.get("historical_accept_rate", np.nan))
    rows = []
    history = bundle.builder.histories.get("source")
    for source, t in tallies.items():
        expected = t.p_sum / t.scored if t.scored else np.nan
        half = 1.96 * np.sqrt(t.var_sum) / t.scored if t.scored else np.nan
        own = np.nan
        if history is not None and bundle.builder.as_of is not None:
            c = history.counts(pd.Series([source], dtype="str"), pd.Series([bundle.builder.as_of + pd.Timedelta(seconds=1)]), 0)
            if c.decided[0] > 0:
                own = c.accepted[0] / c.decided[0]
        low_quality = t.scored > 0 and expected < params.score.low_quality_share * overall
        rows.append({
            "source": source, "rows": t.rows, "scored": t.scored,
            "expected_accept_rate": expected,
            "expected_accept_low": max(0.0, expected - half) if t.scored else np.nan,
            "expected_accept_high": min(1.0, expected + half) if t.scored else np.nan,
            "historical_accept_rate": overall, "source_history_rate": own,
            "verdict": "low_quality" if low_quality else ("ok" if t.scored else "not_scored"),
            **{f"share_{s}": t.signals[s] / t.rows if t.rows else np.nan for s in SIGNALS},
        })
    return pd.DataFrame(rows, columns=list(VERDICT_COLUMNS))


def _append(frame: pd.DataFrame, path: Path, kind: str, first: bool, writer: list) -> None:  # noqa: ANN001
    """Append a chunk to the (temporary) output; CSV cells that would run as formulas are neutralized."""
    import pyarrow as pa

    if kind == "csv":
        frame = neutralize(frame)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    if first:
        if kind == "csv":
            import pyarrow.csv as pacsv

            options = pacsv.WriteOptions(include_header=True, quoting_style="needed")
            writer.append(pacsv.CSVWriter(str(path), table.schema, write_options=options))
        else:
            import pyarrow.parquet as pq

            writer.append(pq.ParquetWriter(str(path), table.schema))
        writer.append(table.schema)
    schema = writer[1]
    if table.schema != schema:
        table = table.cast(schema)
    writer[0].write_table(table)


def score_file(
    input_path: Path | str,
    output_path: Path | str,
    params: Params,
    model_uri: str | None = None,
    capacity: int | None = None,
    out: TextIO | None = None,
    progress: bool = True,
) -> ScoreSummary:
    """Score every row of INPUT into OUTPUT (same rows, same order, input columns unchanged, plus scores)."""
    out = out if out is not None else sys.stderr
    input_path, output_path = Path(input_path), Path(output_path)
    kind = _kind(output_path)
    if output_path.resolve() == input_path.resolve():
        raise ContractError("the output file must differ from the input file")
    bundle, uri = load_bundle(model_uri, params)
    mapping = params.data.columns
    output_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{output_path.name}.", suffix=".partial", dir=output_path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tallies: dict[str, SourceTally] = {}
    seen: list[np.ndarray] = []  # sorted lead_id hashes per chunk: duplicates across chunks, ~8 bytes a row
    rows = scored = noted = 0
    writer: list = []
    p_all: list[np.ndarray] = []
    try:
        bar = tqdm(total=None, unit=" rows", desc="scoring", file=out, disable=not progress, mininterval=1.0)
        for i, chunk in enumerate(iter_table(input_path, params.score.chunk_rows)):
            if i == 0:
                renamed = [mapping.get(c, c) for c in chunk.columns]
                missing = [c for c in REQUIRED if c not in renamed]
                if missing:
                    raise ContractError(
                        f"{input_path} is missing required column(s): {', '.join(missing)}. " + mapping_hint(missing[0])
                    )
                stale = [c for c in OUTPUT_COLUMNS if c in chunk.columns]
                if stale:
                    print(f"note: the input already has {stale}; they are replaced by new scores", file=out)
            original = chunk.drop(columns=[c for c in OUTPUT_COLUMNS if c in chunk.columns])
            model_input = original.rename(columns={k: v for k, v in mapping.items() if k in original.columns})
            model_input = model_input.reset_index(drop=True)
            result, signals = score_details(bundle, model_input, earlier_ids=seen)
            ids = model_input[LEAD_ID]
            seen.append(np.unique(id_hashes(ids[ids.notna()])))
            _tally(tallies, model_input[SOURCE], result, signals)
            result.index = original.index
            combined = pd.concat([original, result], axis=1)
            if capacity is not None:
                p_all.append(result["p_accept"].to_numpy(dtype="float64"))
            _append(combined, tmp, "parquet" if capacity is not None else kind, i == 0, writer)
            rows += len(combined)
            scored += int(result["p_accept"].notna().sum())
            noted += int((result["score_error"] != "").sum())
            bar.update(len(combined))
        bar.close()
        if rows == 0:
            raise ContractError(f"{input_path} has a header but no rows to score")
        if writer:
            writer[0].close()
        if capacity is not None:
            tmp = _apply_capacity(tmp, output_path, kind, np.concatenate(p_all), capacity, bundle)
        os.replace(tmp, output_path)
    except BaseException:
        if writer:
            try:
                writer[0].close()
            except Exception:  # noqa: BLE001 - already failing; the partial file is removed below
                pass
        tmp.unlink(missing_ok=True)
        raise
    verdicts = verdict_table(tallies, bundle, params)
    sources_path = output_path.with_suffix(".sources.csv")
    write_atomic(verdicts, sources_path, neutralize_formulas=True)
    return ScoreSummary(rows, scored, noted, rows - scored, verdicts, output_path, sources_path, uri)


def _apply_capacity(tmp: Path, output_path: Path, kind: str, p: np.ndarray, capacity: int, bundle: ModelBundle) -> Path:
    """Second pass: the top `capacity` leads of the whole list are tier A."""
    import pyarrow.parquet as pq

    tiers = capacity_tiers(p, capacity, bundle.tiers)
    fd, final_name = tempfile.mkstemp(prefix=f".{output_path.name}.", suffix=".partial", dir=output_path.parent)
    os.close(fd)
    final = Path(final_name)
    writer: list = []
    start = 0
    try:
        parquet = pq.ParquetFile(tmp)
        for j, batch in enumerate(parquet.iter_batches()):
            frame = batch.to_pandas()
            frame["tier"] = tiers[start : start + len(frame)]
            start += len(frame)
            _append(frame, final, kind, j == 0, writer)
        if writer:
            writer[0].close()
    except BaseException:
        final.unlink(missing_ok=True)
        raise
    finally:
        tmp.unlink(missing_ok=True)
    return final


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
        interval = f"{r.expected_accept_rate:6.1%} ({r.expected_accept_low:.1%}-{r.expected_accept_high:.1%})" if r.scored else "-"
        signals = ", ".join(
            f"{label} {getattr(r, 'share_' + s):.0%}"
            for s, label in (("personal_email", "personal e-mail"), ("non_decision_maker", "non-decision-maker"),
                             ("under_10_employees", "<10 employees"), ("no_phone", "no phone"),
                             ("duplicate_in_list", "duplicates"), ("known_contact", "already known"))
            if getattr(r, "share_" + s) >= 0.2
        )
        lines.append(f"{name:<42} {r.rows:>8,} {interval:>24} {r.historical_accept_rate:>8.1%}  {r.verdict:<9} {signals}")
    lines.append(f"output: {summary.output}\nverdicts: {summary.sources_path}")
    return "\n".join(lines)
