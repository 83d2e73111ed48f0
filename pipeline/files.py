"""Lead files on disk: CSV, Parquet or Excel (.xlsx) in (whole or in chunks, CSV cells as text), and outputs
written atomically.

Reading: the CSV separator is detected (comma, semicolon, tab, or Excel's `sep=` first line), a
.gz file is read through, and a broken file is one error naming the file and line, never echoing
a row (rows hold e-mails and phones). A workbook is read one sheet at a time (`excel.iter_xlsx`).

Writing: every output of every command goes through `atomic_path`: it is written under a temporary
name beside its target and appears under its own name only when complete, with the user's normal
file mode; `check_outputs` refuses an output that would replace an input or another output.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import gzip
import io
import math
import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from leadsift.errors import ContractError
from leadsift.features.text import arrow_text, str_series
from leadsift.pipeline import excel

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
PARQUET_SUFFIXES = (".parquet", ".pq")
SEPARATORS = (",", ";", "\t", "|")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_CELL = "[" + re.escape("".join(FORMULA_START)) + "]"
_PLAIN_NUMBER = r"-?\d+(\.\d+)?([eE][-+]?\d+)?"  # a plain negative number is data, not a formula


# ----------------------------------------------------------------------------- kinds and paths


def file_kind(path: Path | str) -> str:
    """"csv", "parquet" or "xlsx", by the name's extension (CSV may end in .gz)."""
    path = Path(path)
    suffixes = [s.lower() for s in path.suffixes]
    gz = bool(suffixes) and suffixes[-1] == ".gz"
    suffix = suffixes[-2] if gz and len(suffixes) > 1 else (suffixes[-1] if suffixes else "")
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in PARQUET_SUFFIXES and not gz:
        return "parquet"
    if suffix in excel.XLSX_SUFFIXES and not gz:
        return "xlsx"
    if suffix in PARQUET_SUFFIXES:
        raise ContractError(f"{path}: Parquet compresses itself; drop the .gz (name it {path.stem})")
    if suffix in excel.XLSX_SUFFIXES:
        raise ContractError(f"{path}: an .xlsx workbook compresses itself; drop the .gz (name it {path.stem})")
    if suffix in excel.REFUSED_SUFFIXES:
        raise ContractError(excel.refusal(path, suffix))
    raise ContractError(f"{path}: unknown file type '{suffix or path.name}'; use .csv, .csv.gz, .parquet or .xlsx")


def is_gzip(path: Path) -> bool:
    return path.suffix.lower() == ".gz"


def verdicts_path(output: Path | str) -> Path:
    """Where `leadsift score` writes the per-source verdicts beside a scored list:
    `x.scored.csv` -> `x.scored.sources.csv` (and `x.scored.csv.gz` -> `x.scored.sources.csv`)."""
    output = Path(output)
    name = output.name[:-3] if is_gzip(output) else output.name
    return output.with_name(f"{name.rsplit('.', 1)[0]}.sources.csv")


def check_input(path: Path | str, what: str = "input file") -> Path:
    """An existing file (not a folder) of a kind leadsift reads."""
    path = Path(path)
    if path.is_dir():
        raise ContractError(f"{what} {path} is a folder; give the file inside it")
    if not path.exists():
        raise ContractError(f"{what} {path} does not exist")
    file_kind(path)
    return path


def check_outputs(inputs: Sequence[Path | str | None], outputs: Sequence[Path | str | None]) -> None:
    """Refuse an output that is one of the inputs, or the same file as another output.

    Paths are compared as the files they name: symlinks, `./x//y` and hard links included.
    """
    ins = [Path(p) for p in inputs if p is not None]
    outs = [Path(p) for p in outputs if p is not None]
    for i, out in enumerate(outs):
        if out.is_dir():
            raise ContractError(f"output {out} is a folder; give a file name inside it")
        for inp in ins:
            if _same_file(out, inp):
                raise ContractError(f"output {out} would overwrite the input {inp}; write it under another name")
        for other in outs[:i]:
            if _same_file(out, other):
                raise ContractError(f"outputs {other} and {out} are the same file; give them different names")


def _same_file(a: Path, b: Path) -> bool:
    if a.exists() and b.exists():
        return os.path.samefile(a, b)
    return a.resolve() == b.resolve()


# ----------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class CsvDialect:
    separator: str
    skip_rows: int  # 1 after Excel's "sep=;" line


def _open_text(path: Path) -> io.TextIOBase:
    raw = gzip.open(path, "rb") if is_gzip(path) else open(path, "rb")  # noqa: SIM115 - closed by the wrapper
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def csv_dialect(path: Path) -> CsvDialect:
    """The separator: an Excel `sep=X` first line, else the one of , ; tab | that splits the header most."""
    try:
        with _open_text(path) as fh:
            first = fh.readline()
    except UnicodeDecodeError:
        raise ContractError(f"{path} is not UTF-8 text; save it as CSV UTF-8") from None
    except (OSError, EOFError) as exc:
        raise ContractError(f"{path} could not be read ({exc}); is it really a {'gzip ' if is_gzip(path) else ''}CSV?") from None
    line = first.strip("\r\n")
    if line.lower().startswith("sep=") and len(line) == 5:
        return CsvDialect(line[4], 1)
    counts = {sep: len(next(csv.reader([line], delimiter=sep), [])) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda sep: counts[sep])
    return CsvDialect(best if counts[best] > 1 else ",", 0)


def _csv_header(path: Path, dialect: CsvDialect) -> list[str]:
    """The header row of a CSV file; duplicate or empty names are input errors."""
    with _open_text(path) as fh:
        reader = csv.reader(fh, delimiter=dialect.separator)
        for _ in range(dialect.skip_rows):
            next(reader, None)
        header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        raise ContractError(f"{path} is empty: it needs a header row with the contract's columns")
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise ContractError(f"{path}: column name(s) {dupes} appear more than once in the header; rename them")
    return header


def _bad_line(path: Path, dialect: CsvDialect, width: int) -> tuple[int, int] | None:
    """(line number, number of fields) of the first record whose field count differs from the header's."""
    with _open_text(path) as fh:
        reader = csv.reader(fh, delimiter=dialect.separator)
        for i, row in enumerate(reader):
            if i > dialect.skip_rows and len(row) != width and row:
                return reader.line_num, len(row)
    return None


def read_table(path: Path | str, sheet: str | None = None) -> pd.DataFrame:
    """Read a whole CSV, Parquet or .xlsx file (`sheet`: which worksheet), CSV cells as text, so values pass
    through unchanged."""
    chunks = list(iter_table(path, 1 << 20, sheet=sheet))
    if len(chunks) == 1:
        return chunks[0]
    return pd.concat(chunks, ignore_index=True)


def iter_table(path: Path | str, chunk_rows: int, sheet: str | None = None) -> Iterator[pd.DataFrame]:
    """Yield a CSV, Parquet or .xlsx file in chunks of about `chunk_rows` rows (text cells for CSV).

    CSV is streamed with pyarrow (every column as text, only empty cells missing), so memory
    stays bounded by the chunk size whatever the file size. A workbook is read from its first sheet, or
    `sheet` (only a workbook has sheets), each cell as its type. A header-only file yields one empty frame.
    """
    path = check_input(path)
    kind = file_kind(path)
    if sheet is not None and kind != "xlsx":
        raise ContractError(f"--sheet {sheet!r} names a sheet of an Excel workbook, but {path} is {kind.upper()}; "
                            "leave --sheet out")
    if kind == "xlsx":
        yield from excel.iter_xlsx(path, chunk_rows, sheet)
    elif kind == "parquet":
        yield from _iter_parquet(path, chunk_rows)
    else:
        yield from _iter_csv(path, chunk_rows)


def _iter_parquet(path: Path, chunk_rows: int) -> Iterator[pd.DataFrame]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError):
        raise ContractError(f"{path} is not a Parquet file (is it CSV? then name it .csv)") from None
    names = parquet.schema_arrow.names
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ContractError(f"{path}: column name(s) {dupes} appear more than once; rename them")
    if parquet.metadata.num_rows == 0:
        yield parquet.schema_arrow.empty_table().to_pandas()
        return
    for batch in parquet.iter_batches(batch_size=chunk_rows):
        yield _large_strings(batch).to_pandas()


def _large_strings(batch):  # noqa: ANN001, ANN202 - a pyarrow RecordBatch
    """Text columns as large_string, which pandas' str columns hold: converting them then copies nothing."""
    import pyarrow as pa

    schema = pa.schema([f.with_type(pa.large_string()) if pa.types.is_string(f.type) else f for f in batch.schema])
    return batch.cast(schema) if schema != batch.schema else batch


def _iter_csv(path: Path, chunk_rows: int) -> Iterator[pd.DataFrame]:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    dialect = csv_dialect(path)
    header = _csv_header(path, dialect)
    try:
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(block_size=8 << 20, encoding="utf8", skip_rows=dialect.skip_rows),
            parse_options=pacsv.ParseOptions(delimiter=dialect.separator, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                # large_string: pandas' str columns hold exactly that, so each chunk becomes a frame without a copy
                column_types={name: pa.large_string() for name in header},
                null_values=[""], strings_can_be_null=True, quoted_strings_can_be_null=True,
            ),
        )
        pending: list[pa.RecordBatch] = []
        count, yielded = 0, False
        for batch in reader:
            pending.append(batch)
            count += batch.num_rows
            if count >= chunk_rows:
                table = pa.Table.from_batches(pending)
                while table.num_rows >= chunk_rows:
                    yield table.slice(0, chunk_rows).to_pandas()
                    yielded = True
                    table = table.slice(chunk_rows)
                pending, count = table.to_batches(), table.num_rows
        if count or not yielded:
            yield (pa.Table.from_batches(pending) if pending else _empty(header)).to_pandas()
    except pa.ArrowInvalid:
        raise _csv_error(path, dialect, len(header)) from None


def _empty(header: list[str]):  # noqa: ANN202 - a pyarrow Table
    import pyarrow as pa

    return pa.table({name: pa.array([], pa.large_string()) for name in header})


def _csv_error(path: Path, dialect: CsvDialect, width: int) -> ContractError:
    """What is wrong with a CSV pyarrow could not parse, without echoing any row (rows hold personal data)."""
    bad = _bad_line(path, dialect, width)
    if bad is not None:
        line, fields = bad
        sep = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "pipe"}[dialect.separator]
        return ContractError(
            f"{path}, line {line}: {fields} fields where the header has {width} ({sep}-separated); "
            "quote cells that contain the separator, or fix that line"
        )
    return ContractError(f"{path} could not be read as CSV; save it as UTF-8 CSV with one header row")


# ----------------------------------------------------------------------------- writing


@contextmanager
def atomic_path(path: Path | str) -> Iterator[Path]:
    """A temporary path beside `path` to write to; renamed to `path` when the block ends without error,
    removed when it raises or is interrupted (Ctrl-C, SIGTERM), so no partial file is ever left."""
    path = Path(path)
    if path.is_dir():
        raise ContractError(f"output {path} is a folder; give a file name inside it")
    blocking = next((p for p in path.parents if p.exists()), None)
    if blocking is not None and not blocking.is_dir():
        raise ContractError(f"cannot write {path}: {blocking} is a file, not a folder; choose another -o")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    except OSError as exc:
        raise ContractError(f"cannot write {path}: {exc.strerror} in folder {path.parent}; choose another -o") from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes the file private; an output is the user's file
        os.replace(tmp, path)
    except OSError as exc:
        raise ContractError(
            f"could not write {path}: {exc.strerror}; nothing was written (free some space or choose another -o)"
        ) from None
    finally:
        tmp.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_table(frame: pd.DataFrame, path: Path | str, neutralize_formulas: bool = False, sheet: str = "table") -> Path:
    """Write CSV (gzip when the name ends in .gz), Parquet or .xlsx (one sheet named `sheet`), by extension, atomically.
    `neutralize_formulas` quotes CSV cells a spreadsheet would run; an .xlsx cell is never a formula anyway."""
    path = Path(path)
    kind = file_kind(path)
    with atomic_path(path) as tmp:
        if kind == "xlsx":
            excel.write_table_xlsx(frame, tmp, sheet)
        elif kind == "parquet":
            mixed_as_text(frame).to_parquet(tmp, index=False)
        else:
            out = neutralize(frame) if neutralize_formulas else frame
            out.to_csv(tmp, index=False, encoding="utf-8", compression="gzip" if is_gzip(path) else None)
    return path


def write_text(text: str, path: Path | str) -> Path:
    """Write a text file (UTF-8) atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


class ChunkWriter:
    """Appends frames to one CSV (gzip if asked), Parquet or .xlsx file. CSV cells and headers that would run
    as spreadsheet formulas are neutralized; a column mixing text with numbers or dates (as an Excel column
    may) goes to CSV and Parquet as text. An .xlsx file is `leadsift score`'s workbook (`excel.ScoredWorkbook`:
    the score columns right after the first of `id_columns` the frames have), and `add_sheet` adds a table
    sheet to it; CSV and Parquet hold one table, so there `add_sheet` does nothing (write it beside)."""

    def __init__(self, path: Path, kind: str, gzip_csv: bool = False, id_columns: Sequence[str] = ()) -> None:
        self.path, self.kind, self.gzip_csv = path, kind, gzip_csv
        self._writer = None  # Parquet
        self._sink = None    # CSV
        self._schema = None
        self._workbook = excel.ScoredWorkbook(path, id_columns) if kind == "xlsx" else None

    def write(self, frame: pd.DataFrame) -> None:
        import pyarrow as pa

        if self._workbook is not None:
            self._workbook.write(frame)
            return
        frame = mixed_as_text(frame)
        if self.kind == "csv":
            frame = neutralize(frame)
        table = pa.Table.from_pandas(frame, preserve_index=False)
        if self.kind == "csv":
            self._write_csv(table)
            return
        if self._writer is None:
            import pyarrow.parquet as pq

            self._schema = table.schema
            self._writer = pq.ParquetWriter(str(self.path), table.schema)
        elif table.schema != self._schema:
            table = _conform(table, self._schema)
        self._writer.write_table(table)

    def _write_csv(self, table) -> None:  # noqa: ANN001 - a pyarrow Table
        import pyarrow as pa
        import pyarrow.csv as pacsv

        _check_flat(table.schema)
        first = self._sink is None
        if first:
            self._sink = pa.CompressedOutputStream(str(self.path), "gzip") if self.gzip_csv else pa.OSFile(str(self.path), "wb")
        # Chunk by chunk, each with its own types: a column may hold numbers in one chunk and text in the next.
        pacsv.write_csv(table, self._sink, pacsv.WriteOptions(include_header=first, quoting_style="needed"))

    def add_sheet(self, title: str, frame: pd.DataFrame) -> None:
        if self._workbook is not None:
            self._workbook.add_table(title, frame)

    def __enter__(self) -> ChunkWriter:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if self._workbook is not None:
            self._workbook.__exit__(exc_type, *exc)  # saved, or its staged rows removed after an error
        if self._writer is not None:
            self._writer.close()
        if self._sink is not None:
            self._sink.close()


def _conform(table, schema):  # noqa: ANN001, ANN202 - pyarrow Table and Schema
    """A later chunk in the first chunk's types; a column whose values change kind cannot go to one Parquet file."""
    import pyarrow as pa

    try:
        return table.cast(schema)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        field = next(f for f in table.schema if f.type != schema.field(f.name).type)
        raise ContractError(
            f"column {field.name!r} holds {schema.field(field.name).type} in the first rows and {field.type} later, and a "
            "Parquet column holds one type: write .csv or .xlsx instead"
        ) from None


_SCALARS = (str, bool, int, float, decimal.Decimal, dt.date, dt.time, dt.timedelta, np.generic)


def mixed_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns whose cells mix text, numbers and dates (an Excel column read as it is) as text; others unchanged."""
    out = None
    for i in range(frame.shape[1]):
        cells = frame.iloc[:, i]
        if cells.dtype != object:
            continue
        present = [v for v in cells.tolist() if not _missing(v)]
        if not present or all(isinstance(v, str) for v in present) or not all(isinstance(v, _SCALARS) for v in present):
            continue  # already text, or lists and records for Parquet
        out = frame.copy() if out is None else out
        out.isetitem(i, pd.Series([None if _missing(v) else _cell_text(v) for v in cells.tolist()], index=frame.index,
                                  dtype="str"))
    return frame if out is None else out


def _missing(v: object) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def _cell_text(v: object) -> str:
    if isinstance(v, bool | np.bool_):
        return "true" if v else "false"
    if isinstance(v, dt.datetime) and v.time() == dt.time(0):
        return v.date().isoformat()
    return str(v)


def _check_flat(schema) -> None:  # noqa: ANN001 - a pyarrow Schema
    import pyarrow as pa

    for field in schema:
        if pa.types.is_nested(field.type):
            raise ContractError(
                f"column {field.name!r} holds lists or records ({field.type}), which CSV cannot hold: "
                "write Parquet instead (an output name ending in .parquet)"
            )


def neutralize(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells and column names a spreadsheet would run as a formula with a quote (OWASP CSV injection)."""
    out = {}
    for column in frame.columns:
        s = frame[column]
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype("str").where(s.notna())
        if pd.api.types.is_string_dtype(s) or s.dtype == object:
            s = _neutral_text(s)
        out[_neutral_name(column)] = s
    return pd.DataFrame(out, index=frame.index)


def _neutral_text(s: pd.Series) -> pd.Series:
    """`neutralize` for one text (or object) column: its formula-like cells found and quoted in pyarrow; an
    object column keeps its other cells as they are."""
    import pyarrow as pa
    import pyarrow.compute as pc

    cells = arrow_text(s)
    live = pc.fill_null(pc.match_substring_regex(cells, "^" + _FORMULA_CELL), False)
    if not pc.any(live).as_py():
        return s
    live = pc.and_(live, pc.invert(pc.fill_null(pc.match_substring_regex(cells, f"^(?:{_PLAIN_NUMBER})$"), False)))
    text = pa.large_string()
    quoted = str_series(pc.binary_join_element_wise(pa.scalar("'", text), cells, pa.scalar("", text)), s.index)
    return quoted.where(live.to_numpy(zero_copy_only=False), s).rename(s.name)


def _neutral_name(name: object) -> object:
    return "'" + name if isinstance(name, str) and name.startswith(FORMULA_START) else name
