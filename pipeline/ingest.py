"""Reading lead files (CSV or Parquet), mapping column names, joining outcomes, and labelling."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from features.contract import (
    CREATED_AT,
    LEAD_ID,
    OUTCOME_COLUMNS,
    REQUIRED,
    ContractError,
    Parsed,
    duplicate_ids,
    parse_contract,
    require_columns,
)
from pipeline.config import LabelParams, Params

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
PARQUET_SUFFIXES = (".parquet", ".pq")


def _kind(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz" and len(suffixes) > 1:
        suffixes = suffixes[:-1]
    suffix = suffixes[-1] if suffixes else ""
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in PARQUET_SUFFIXES:
        return "parquet"
    raise ContractError(f"{path}: unknown file type '{suffix}'; use .csv or .parquet")


def _sep(path: Path) -> str:
    return "\t" if ".tsv" in [s.lower() for s in path.suffixes] else ","


def read_table(path: Path | str) -> pd.DataFrame:
    """Read a whole CSV or Parquet file with every cell as text (CSV) so values pass through unchanged."""
    path = Path(path)
    if not path.exists():
        raise ContractError(f"input file {path} does not exist")
    if _kind(path) == "parquet":
        return pd.read_parquet(path)
    try:
        return pd.read_csv(
            path, dtype="str", keep_default_na=False, na_values=[""], sep=_sep(path), encoding="utf-8"
        )
    except UnicodeDecodeError as exc:
        raise ContractError(f"{path} is not UTF-8 text ({exc}); save it as CSV UTF-8") from exc
    except pd.errors.EmptyDataError as exc:
        raise ContractError(f"{path} is empty: it needs a header row with the contract's columns") from exc


def iter_table(path: Path | str, chunk_rows: int) -> Iterator[pd.DataFrame]:
    """Yield a CSV or Parquet file in chunks of about `chunk_rows` rows (text cells for CSV).

    CSV is streamed with pyarrow (every column as text, only empty cells missing), so memory
    stays bounded by the chunk size whatever the file size.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    path = Path(path)
    if not path.exists():
        raise ContractError(f"input file {path} does not exist")
    if _kind(path) == "parquet":
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(path).iter_batches(batch_size=chunk_rows):
            yield batch.to_pandas()
        return
    header = _csv_header(path)
    try:
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(block_size=8 << 20, encoding="utf8"),
            parse_options=pacsv.ParseOptions(delimiter=_sep(path), newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in header},
                null_values=[""], strings_can_be_null=True, quoted_strings_can_be_null=True,
            ),
        )
        pending: list[pa.RecordBatch] = []
        count = 0
        for batch in reader:
            pending.append(batch)
            count += batch.num_rows
            if count >= chunk_rows:
                table = pa.Table.from_batches(pending)
                while table.num_rows >= chunk_rows:
                    yield table.slice(0, chunk_rows).to_pandas()
                    table = table.slice(chunk_rows)
                pending, count = table.to_batches(), table.num_rows
        if count:
            yield pa.Table.from_batches(pending).to_pandas()
    except pa.ArrowInvalid as exc:
        raise ContractError(
            f"{path} could not be read as CSV: {exc}. Save it as UTF-8 CSV with one header row"
        ) from exc


def _csv_header(path: Path) -> list[str]:
    """The header row of a CSV file; duplicate or empty names are input errors."""
    import csv

    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            header = next(csv.reader(fh, delimiter=_sep(path)), None)
    except UnicodeDecodeError as exc:
        raise ContractError(f"{path} is not UTF-8 text ({exc}); save it as CSV UTF-8") from exc
    if not header:
        raise ContractError(f"{path} is empty: it needs a header row with the contract's columns")
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise ContractError(f"{path}: column name(s) {dupes} appear more than once in the header; rename them")
    return header


def map_columns(frame: pd.DataFrame, mapping: dict[str, str]) -> pd.DataFrame:
    """Rename CRM column names to contract names (params.yaml `data.columns`)."""
    if not mapping:
        return frame
    present = {old: new for old, new in mapping.items() if old in frame.columns}
    clashes = [new for old, new in present.items() if new in frame.columns and new != old]
    if clashes:
        raise ContractError(
            f"params data.columns maps a column onto {clashes[0]!r}, but the file already has a "
            f"column named {clashes[0]!r}; remove one of them or the mapping"
        )
    return frame.rename(columns=present)


def write_atomic(frame: pd.DataFrame, path: Path | str, neutralize_formulas: bool = False) -> Path:
    """Write CSV or Parquet to a temp file beside `path`, then rename: no half-written outputs."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    kind = _kind(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(fd)
    try:
        if kind == "parquet":
            frame.to_parquet(tmp, index=False)
        else:
            out = neutralize(frame) if neutralize_formulas else frame
            out.to_csv(tmp, index=False, encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralize(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells a spreadsheet would run as a formula with a quote (OWASP CSV injection)."""
    out = {}
    for column in frame.columns:
        s = frame[column]
        if pd.api.types.is_string_dtype(s) or s.dtype == object:
            text = s.astype("str")
            live = s.notna() & text.str.startswith(_FORMULA_START)
            # A plain negative number is data, not a formula.
            live &= ~text.str.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")
            out[column] = s.where(~live, "'" + text) if bool(live.any()) else s
        else:
            out[column] = s
    return pd.DataFrame(out, index=frame.index)


@dataclass(frozen=True)
class History:
    """A lead history: raw text columns, typed contract columns, and the label per row."""

    raw: pd.DataFrame
    parsed: Parsed
    y: pd.Series           # float 1/0, NaN where the row is excluded
    excluded: pd.Series    # str reason per row, "" when used
    as_of: pd.Timestamp | None


def load_history(data: Path | str, outcomes: Path | str | None, params: Params) -> History:
    """Read leads (and outcomes), check the contract, and label every row or say why it is left out."""
    raw = map_columns(read_table(data), params.data.columns)
    require_columns(raw, REQUIRED, f"leads file {data}")
    if params.split.method == "time":
        require_columns(raw, (CREATED_AT,), f"leads file {data} (split.method: time needs dates; "
                        "use split.method: random for data without dates)")
    dup = duplicate_ids(raw[LEAD_ID])
    if bool(dup.any()):
        first = raw.loc[dup, LEAD_ID].iloc[0]
        raise ContractError(
            f"leads file {data}: lead_id {first!r} appears more than once ({int(dup.sum())} duplicate "
            "row(s)); lead_id must be unique per lead: remove or merge the duplicates"
        )
    if outcomes is not None:
        raw = join_outcomes(raw, map_columns(read_table(outcomes), params.data.columns), str(outcomes))
    f = params.features
    parsed = parse_contract(
        raw, f.extra_numeric, f.extra_categorical, f.history_keys, with_outcomes=True
    )
    y, excluded, as_of = make_labels(parsed.typed, params.target, params.label, outcomes is not None)
    return History(raw=raw, parsed=parsed, y=y, excluded=excluded, as_of=as_of)


def join_outcomes(leads: pd.DataFrame, outcomes: pd.DataFrame, name: str) -> pd.DataFrame:
    """Left-join an outcomes file on lead_id, keeping every lead in its order."""
    require_columns(outcomes, (LEAD_ID,), f"outcomes file {name}")
    have = [c for c in OUTCOME_COLUMNS if c in outcomes.columns]
    if not have:
        raise ContractError(
            f"outcomes file {name} has none of the outcome columns {list(OUTCOME_COLUMNS)}; "
            "map yours in params.yaml data.columns"
        )
    dup = duplicate_ids(outcomes[LEAD_ID])
    if bool(dup.any()):
        first = outcomes.loc[dup, LEAD_ID].iloc[0]
        raise ContractError(
            f"outcomes file {name}: lead_id {first!r} has more than one outcome row; keep one per lead"
        )
    overlap = [c for c in have if c in leads.columns]
    if overlap:
        raise ContractError(
            f"both the leads file and outcomes file {name} have {overlap}; keep outcomes in one place"
        )
    joined = leads.merge(outcomes[[LEAD_ID, *have]], on=LEAD_ID, how="left", validate="one_to_one")
    joined.index = leads.index
    return joined


def make_labels(
    typed: pd.DataFrame, target: str, label: LabelParams, separate_outcomes: bool
) -> tuple[pd.Series, pd.Series, pd.Timestamp | None]:
    """Label per row (1/0/NaN) and the reason each unlabelled row is left out."""
    n = len(typed)
    y = pd.Series(np.nan, index=typed.index, dtype="float64")
    reason = pd.Series("", index=typed.index, dtype="str")
    status = typed["sales_status"] if "sales_status" in typed else pd.Series(pd.NA, index=typed.index, dtype="str")
    if target == "accepted":
        if "sales_status" not in typed:
            raise ContractError(
                "target: accepted needs the outcome column sales_status (accepted/rejected/unworked); "
                "add it, pass --outcomes, or set target: won"
            )
        y[status == "accepted"] = 1.0
        y[status == "rejected"] = 0.0
        unworked = status == "unworked"
        if label.unworked == "negative":
            y[unworked] = 0.0
        else:
            reason[unworked] = "unworked (label.unworked: exclude)"
        none = status.isna()
    else:
        won = typed["closed_won"] if "closed_won" in typed else None
        won_at = typed["won_at"] if "won_at" in typed else None
        if won is None and won_at is None:
            raise ContractError(
                "target: won needs the outcome column closed_won or won_at; add it or pass --outcomes"
            )
        is_won = pd.Series(False, index=typed.index)
        known = pd.Series(False, index=typed.index)
        if won is not None:
            is_won |= won == 1.0
            known |= won.notna()
        if won_at is not None:
            is_won |= won_at.notna()
            known |= won_at.notna()
        known |= status.isin(("accepted", "rejected"))
        y[is_won] = 1.0
        y[known & ~is_won] = 0.0
        none = ~known
        if label.unworked == "exclude":
            unworked = (status == "unworked") & ~is_won
            y[unworked] = np.nan
            reason[unworked] = "unworked (label.unworked: exclude)"
            none &= ~unworked
    if label.no_outcome == "negative":
        y[none & y.isna() & (reason == "")] = 0.0
    else:
        reason[none & (reason == "")] = "no outcome recorded (label.no_outcome: exclude)"

    as_of = None
    if CREATED_AT in typed:
        created = typed[CREATED_AT]
        bad_date = created.isna()
        reason[bad_date & (reason == "")] = "created_at missing or not a date"
        y[bad_date] = np.nan
        if label.as_of:
            as_of = pd.Timestamp(label.as_of)
        else:
            dates = [typed[c].max() for c in ("created_at", "status_at", "won_at") if c in typed]
            dates = [d for d in dates if pd.notna(d)]
            as_of = max(dates) if dates else None
        if as_of is not None and label.maturity_days > 0:
            young = created > as_of - pd.Timedelta(days=label.maturity_days)
            reason[young & (reason == "")] = f"too young to have an outcome (< {label.maturity_days:g} days)"
            y[young] = np.nan
    y[reason != ""] = np.nan
    assert len(y) == n
    return y, reason, as_of


def exclusion_counts(excluded: pd.Series) -> dict[str, int]:
    """Rows left out, by reason (empty when every row is used)."""
    counts = excluded[excluded != ""].value_counts()
    return {str(k): int(v) for k, v in counts.items()}
