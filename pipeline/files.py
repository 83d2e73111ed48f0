"""Lead files on disk: CSV or Parquet in (whole or in chunks, cells as text), and outputs written atomically.

Every output of every command goes through `atomic_path`: it is written under a temporary name
beside its target and appears under its own name only when complete, with the user's normal
file mode.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from leadsift.errors import ContractError

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
PARQUET_SUFFIXES = (".parquet", ".pq")


def file_kind(path: Path) -> str:
    """"csv" or "parquet", by the name's extension (a trailing .gz is looked through)."""
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
    if file_kind(path) == "parquet":
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
    if file_kind(path) == "parquet":
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


@contextmanager
def atomic_path(path: Path | str) -> Iterator[Path]:
    """A temporary path beside `path` to write to; renamed to `path` when the block ends without error,
    removed when it raises (or is interrupted)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes the file private; an output is the user's file
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_table(frame: pd.DataFrame, path: Path | str, neutralize_formulas: bool = False) -> Path:
    """Write CSV or Parquet (by extension) atomically."""
    path = Path(path)
    kind = file_kind(path)
    with atomic_path(path) as tmp:
        if kind == "parquet":
            frame.to_parquet(tmp, index=False)
        else:
            out = neutralize(frame) if neutralize_formulas else frame
            out.to_csv(tmp, index=False, encoding="utf-8")
    return path


def write_text(text: str, path: Path | str) -> Path:
    """Write a text file (UTF-8) atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


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
