"""`leadsift score --engine spark`: a Parquet or CSV file or folder in, a Parquet (or CSV) folder out, and the
verdicts beside it as the single-process scorer writes them. The scoring itself is `pipeline.spark`."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import pandas as pd

from leadsift.errors import ContractError
from leadsift.models.scoring import OUTPUT_COLUMNS
from leadsift.params import Params
from leadsift.pipeline.files import (
    CSV_SUFFIXES,
    PARQUET_SUFFIXES,
    _csv_header,
    csv_dialect,
    neutralize,
    verdicts_path,
    write_table,
)
from leadsift.pipeline.score import ScoreSummary
from leadsift.pipeline.spark import SparkScoring, quoted, score_frame, session
from leadsift.pipeline.tracking import load_champion

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession


def data_files(path: Path) -> list[Path]:
    """The files a list is made of: the file itself, or a folder's visible files (not _SUCCESS, .crc)."""
    if path.is_file():
        return [path]
    files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(("_", ".")))
    if not files:
        raise ContractError(f"input folder {path} holds no data files")
    return files


def list_kind(files: list[Path], where: Path) -> str:
    """"csv" or "parquet": one kind for all of a list's files."""
    kinds = set()
    for file in files:
        suffixes = [s.lower() for s in file.suffixes]
        suffix = suffixes[-2] if suffixes and suffixes[-1] == ".gz" and len(suffixes) > 1 else (suffixes[-1] if suffixes else "")
        if suffix in CSV_SUFFIXES:
            kinds.add("csv")
        elif suffix in PARQUET_SUFFIXES:
            kinds.add("parquet")
        else:
            raise ContractError(f"{file}: --engine spark reads Parquet and CSV (.csv, .csv.gz, .parquet); "
                                "score .xlsx workbooks without --engine spark")
    if len(kinds) > 1:
        raise ContractError(f"{where} mixes CSV and Parquet files; give one kind")
    return kinds.pop()


def read_list(spark: SparkSession, path: Path, partitions: int | None = None) -> DataFrame:
    """A Parquet or CSV file or folder as a Spark DataFrame, in file order; CSV cells as text (empty -> null),
    quoted newlines and doubled quotes read as the single-process scorer reads them. `partitions`: split the
    list into about that many (a CSV with newlines inside cells cannot be split while it is read, so it is
    range-partitioned on its row order afterwards)."""
    from pyspark.sql import functions as F

    files = data_files(path)
    kind = list_kind(files, path)
    if partitions:
        size = sum(f.stat().st_size for f in files)
        spark.conf.set("spark.sql.files.maxPartitionBytes", str(max(size // partitions + 1, 64 << 10)))
        spark.conf.set("spark.sql.files.openCostInBytes", str(64 << 10))
    if kind == "parquet":
        return spark.read.parquet(str(path))
    dialect = csv_dialect(files[0])
    if dialect.skip_rows:
        raise ContractError(f"{files[0]} starts with Excel's 'sep=' line: remove that line for --engine spark")
    for file in files:
        _csv_header(file, dialect)  # an empty file or a repeated column name is an error, as without Spark
    options = dict(header="true", sep=dialect.separator, quote='"', escape='"', mode="FAILFAST", encoding="UTF-8",
                   inferSchema="false", ignoreLeadingWhiteSpace="false", ignoreTrailingWhiteSpace="false")
    multiline = _quoted_newlines(spark, path)
    df = spark.read.options(multiLine=str(multiline).lower(), **options).csv(str(path))
    df = df.toDF(*[c.lstrip("\ufeff") for c in df.columns])
    df = df.select(*[F.when(F.col(quoted(c)) != "", F.col(quoted(c))).alias(c) for c in df.columns])
    if multiline:
        wanted = partitions or spark.sparkContext.defaultParallelism
        if df.rdd.getNumPartitions() < wanted:
            order = "__leadsift_read"
            df = (df.withColumn(order, F.monotonically_increasing_id()).repartitionByRange(wanted, order)
                  .sortWithinPartitions(order).drop(order))
    return df


def _quoted_newlines(spark: SparkSession, path: Path) -> bool:
    """Whether some line has an odd number of quotes (a cell going on to the next line): then the CSV must be
    read whole (`multiLine`), not split at line ends."""
    from pyspark.sql import functions as F

    lines = spark.read.text(str(path))
    odd = F.length(F.regexp_replace("value", '[^"]', "")) % 2 == 1
    return bool(lines.where(odd).limit(1).count())


def list_time(files: list[Path]) -> pd.Timestamp:
    """The list's export time, naive UTC: its newest file's modification time."""
    return pd.Timestamp(max(f.stat().st_mtime for f in files), unit="s")


def csv_cells(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """mapInArrow: every cell as the text the single-process CSV holds (pyarrow's formatting; formulas quoted)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for batch in batches:
        text = pa.Table.from_arrays([pc.cast(c, pa.large_string()) for c in batch.columns], names=batch.schema.names)
        frame = neutralize(text.to_pandas())
        yield pa.RecordBatch.from_pandas(frame, preserve_index=False)


def write_rows(scoring: SparkScoring, output: Path, kind: str) -> None:
    """Write the scored rows into the folder `output`, whole or not at all: into a temporary folder beside it,
    renamed when Spark has finished (an earlier output is replaced only then)."""
    from pyspark.sql import types as T

    rows = scoring.rows()
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{output.name}.", suffix=".partial", dir=output.parent))
    try:
        if kind == "csv":
            header = list(neutralize(pd.DataFrame(columns=rows.columns)).columns)
            schema = T.StructType([T.StructField(c, T.StringType()) for c in rows.columns])
            cells = rows.mapInArrow(csv_cells, schema).toDF(*header)
            (cells.write.mode("overwrite")
             .options(header="true", quote='"', escape='"', nullValue="", emptyValue="",
                      ignoreLeadingWhiteSpace="false", ignoreTrailingWhiteSpace="false")
             .csv(str(tmp)))
        else:
            rows.write.mode("overwrite").parquet(str(tmp))
        if output.is_dir():
            shutil.rmtree(output)
        elif output.exists():
            raise ContractError(f"output {output} is a file; --engine spark writes a folder: choose another -o")
        os.replace(tmp, output)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def check_spark_args(input_path: Path | str, capacity: int | None = None, sheet: str | None = None) -> None:
    """What --engine spark cannot do, said before Spark starts."""
    import importlib.util

    if importlib.util.find_spec("pyspark") is None:
        raise ContractError("--engine spark needs pyspark: pip install 'leadsift[spark]' (and a Java runtime)")
    if capacity is not None:
        raise ContractError("--capacity ranks the whole list on one machine: leave it out with --engine spark")
    if sheet is not None:
        raise ContractError("--sheet reads an .xlsx workbook: score workbooks without --engine spark")
    if not Path(input_path).exists():
        raise ContractError(f"input {input_path} does not exist")
    list_kind(data_files(Path(input_path)), Path(input_path))


def score_files(
    input_path: Path | str,
    output_path: Path | str,
    params: Params,
    model_uri: str | None = None,
    master: str | None = None,
    partitions: int | None = None,
    as_of: pd.Timestamp | None = None,
    out: TextIO | None = None,
) -> ScoreSummary:
    """Score every row of INPUT (a Parquet or CSV file or folder) into the folder OUTPUT (Parquet; CSV when its
    name ends in .csv) on Spark, and write the per-source verdicts beside it as `leadsift score` does."""
    from pyspark import StorageLevel
    from pyspark.sql import SparkSession

    out = out if out is not None else sys.stderr
    input_path, output_path = Path(input_path), Path(output_path)
    if not input_path.exists():
        raise ContractError(f"input {input_path} does not exist")
    files = data_files(input_path)
    list_kind(files, input_path)
    kind = "csv" if output_path.suffix.lower() in CSV_SUFFIXES else "parquet"
    sources_path = verdicts_path(output_path)
    if output_path.resolve() == input_path.resolve() or sources_path.resolve() in {f.resolve() for f in files}:
        raise ContractError(f"output {output_path} would overwrite the input {input_path}; write it under another name")
    now = as_of if as_of is not None else list_time(files)
    bundle, uri = load_champion(model_uri, params.registry.model_name)
    own = SparkSession.getActiveSession() is None
    spark = session(master, partitions)
    try:
        df = read_list(spark, input_path, partitions)
        stale = [c for c in OUTPUT_COLUMNS if c in df.columns]
        if stale:
            print(f"note: the input already has {stale}; they are replaced by new scores", file=out)
        scoring = score_frame(df, bundle, params, now, where=f"list {input_path}")
        frame = scoring.frame.persist(StorageLevel.DISK_ONLY)  # scored once: for the rows, then for the sums
        scoring = SparkScoring(frame, scoring.columns, scoring.bundle, scoring.params, scoring.coverage)
        try:
            write_rows(scoring, output_path, kind)
            sums = scoring.source_sums()
        finally:
            frame.unpersist()
    except Exception as exc:  # a user error raised inside a Spark task comes back wrapped
        user = _unwrapped(exc)
        if user is exc:
            raise
        raise user from None
    finally:
        if own:
            spark.stop()
    verdicts = scoring.verdicts(sums)
    write_table(verdicts, sources_path, neutralize_formulas=True)
    rows, scored, noted = (int(sums[c].sum()) for c in ("rows", "scored", "noted"))
    return ScoreSummary(rows, scored, noted, rows - scored, verdicts, output_path, sources_path, uri, scoring.coverage)


def _unwrapped(exc: Exception) -> Exception:
    """A ContractError raised in a Python worker (a column map that does not fit a later part of the list)
    reaches the driver as a PythonException: give it back its own type and message. A CSV line Spark could
    not parse is a ContractError too. Anything else is returned as it is."""
    text = str(exc)
    marker = "leadsift.errors.ContractError: "
    if marker in text:
        return ContractError(text.split(marker, 1)[1].split("\n", 1)[0].strip())
    if "Malformed" in text and "CSV" in text.upper():
        return ContractError("a CSV line has more or fewer fields than the header; quote cells that contain the "
                             "separator, or fix that line (read it without --engine spark to see which)")
    return exc


__all__ = ["check_spark_args", "read_list", "score_files", "write_rows"]
