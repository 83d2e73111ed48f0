"""Scoring on Spark: the same registered model, the same scorer per row, the list-wide parts as Spark aggregations.

    from leadsift.pipeline.spark import score
    scored = score(spark.read.parquet("crm_export/"), "models:/leadsift@champion")

Per row nothing new is written: each Arrow batch goes through `ChunkScorer.score_contract` (the single-process
scorer's own code, hence `models.scoring.score_details`) inside `mapInArrow`, so p_accept, reasons and
score_error are those `leadsift score` gives. What needs the whole list is done by Spark, never by collecting
rows on the driver: duplicate lead_ids (a groupBy of the ids joined back: each batch learns which of its ids
were first seen before it), and the per-source sums the verdicts are made of (a groupBy of `tally_rows`,
fed to the single-process `verdict_table`). The driver holds the first chunk (`score.chunk_rows` rows, for
the column checks and coverage, as the single-process scorer reads them) and one row per source.

Rows keep their order: a file's rows stay in file order; a folder is read in Spark's order.
"""

from __future__ import annotations

import functools
import os
import sys
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from leadsift.errors import ContractError
from leadsift.features.contract import LEAD_ID, REQUIRED, parse_contract, require_columns
from leadsift.models.bundle import ModelBundle, load_bundle, save_bundle
from leadsift.models.coverage import coverage_note, uncovered
from leadsift.models.scoring import OUTPUT_COLUMNS, SIGNALS, id_hashes
from leadsift.params import DataParams, Params
from leadsift.pipeline.chunk_scorer import ChunkScorer, SourceTally, add_tallies, fill_rates
from leadsift.pipeline.crm import effective
from leadsift.pipeline.score import VERDICT_COLUMNS, verdict_table

if TYPE_CHECKING:  # pyspark is the optional `spark` extra: imported where used
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["SparkScoring", "score", "score_frame", "session"]

# Internal columns; their prefix keeps them clear of any list's own.
ORDER, KEY, FIRST = "__leadsift_order", "__leadsift_key", "__leadsift_first"
TALLY = "__leadsift_t_"  # + each `tally_rows` column
TALLY_COLUMNS = ("key", "name", "p", "v", "scored", "lo", "hi", *SIGNALS)
#: Duplicated lead_ids up to this many are broadcast to every task (keeping row order with no shuffle);
#: more are joined by a shuffle and the rows sorted back into order.
BROADCAST_IDS = 500_000


def session(master: str | None = None, partitions: int | None = None, app: str = "leadsift score") -> SparkSession:
    """A SparkSession for `leadsift score --engine spark`: `master` (default `local[*]`); timestamps in UTC,
    as the single-process scorer reads them; `partitions` for shuffles. A local master runs its Python
    workers with this interpreter; a cluster's workers need `pip install 'leadsift[spark]'` (or get the
    code shipped, `ship_code`)."""
    from pyspark.sql import SparkSession

    master = master or "local[*]"
    local = master.startswith("local")
    # pyspark 4.3 warns, on the driver and on every worker, that it "does not yet fully support pandas >= 3";
    # the tests check its results against the single-process scorer's instead.
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
    builder = (
        SparkSession.builder.master(master).appName(app)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.executorEnv.PYTHONWARNINGS", "ignore::FutureWarning")
    )
    if local:  # this machine only: this interpreter for the workers, loopback, no web UI
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        builder = (builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                   .config("spark.ui.enabled", "false"))
    if partitions:
        builder = builder.config("spark.sql.shuffle.partitions", str(partitions))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    if not local:
        ship_code(spark)
    return spark


def ship_code(spark: SparkSession) -> None:
    """Send this leadsift's code to the executors (`addPyFile`), for a cluster where it is not installed."""
    import tempfile
    import zipfile

    import leadsift
    import leadsift.features
    import leadsift.models
    import leadsift.pipeline

    path = Path(tempfile.mkdtemp(prefix="leadsift-code-")) / "leadsift.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in ("__init__.py", "params.py", "errors.py"):
            zf.write(Path(leadsift.__file__).parent / name, f"leadsift/{name}")
        for package in (leadsift.features, leadsift.models, leadsift.pipeline):
            root = Path(package.__file__).parent
            for file in root.rglob("*"):
                if file.is_file() and "__pycache__" not in file.parts and file.suffix in (".py", ".yaml"):
                    zf.write(file, "leadsift/" + package.__name__.rsplit(".", 1)[1] + "/" + file.relative_to(root).as_posix())
    spark.sparkContext.addPyFile(str(path))


def quoted(name: str) -> str:
    """A column name as Spark SQL reads it literally (dots, spaces, backticks)."""
    return "`" + name.replace("`", "``") + "`"


@dataclass(frozen=True)
class BatchJob:
    """What every Spark task needs to score its batches (pickled once into the plan: small)."""

    bundle_file: str        # the bundle folder's name among the job's SparkFiles
    now: pd.Timestamp
    data: DataParams
    where: str
    uncovered: tuple[str, ...]
    needed: tuple[str, ...]  # the input columns the scorer reads (the rest pass through as Arrow)


_BUNDLES: dict[str, ModelBundle] = {}  # per Python worker: each bundle loaded once, not once per task


def _bundle(name: str) -> ModelBundle:
    if name not in _BUNDLES:
        from pyspark import SparkFiles

        _BUNDLES[name] = load_bundle(SparkFiles.get(name))
    return _BUNDLES[name]


def lead_keys(ids: pd.Series) -> pd.Series:
    """lead_ids as the scorer compares them (`parse_contract`: trimmed text, blank -> missing)."""
    return parse_contract(pd.DataFrame({LEAD_ID: ids})).typed[LEAD_ID]


def score_batches(job: BatchJob, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """mapInArrow: every batch with OUTPUT_COLUMNS and the `tally_rows` columns added; input columns untouched.

    A batch is a run of consecutive rows; an id whose first row (FIRST, from Spark) lies before the batch is a
    duplicate in it, given to `score_details` as an earlier chunk's id, exactly as the single-process scorer
    does across its chunks.
    """
    import pyarrow as pa

    bundle = _bundle(job.bundle_file)
    scorer = ChunkScorer(bundle, job.now, job.data, job.where)
    for batch in batches:
        if batch.num_rows == 0:
            continue
        order = batch.column(ORDER).to_numpy(zero_copy_only=False)
        first = batch.column(FIRST).to_pandas()
        model_input = scorer.contract(batch.select(list(job.needed)).to_pandas())
        ids = model_input[LEAD_ID]
        before = (first.notna() & (first < order.min())).to_numpy() & ids.notna().to_numpy()
        earlier = [np.unique(id_hashes(ids[before]))]
        result, rows = scorer.score_contract(model_input, earlier, list(job.uncovered))
        kept = [name for name in batch.schema.names if name not in (FIRST,)]
        arrays = [batch.column(name) for name in kept]
        out = {
            "p_accept": pa.array(result["p_accept"].to_numpy(dtype="float64"), pa.float64(), from_pandas=True),
            "score": pa.array(result["score"], pa.int64(), from_pandas=True),
            "tier": pa.array(result["tier"].astype("str"), pa.large_string()),
            "reasons": pa.array(result["reasons"].astype("str"), pa.large_string()),
            "score_error": pa.array(result["score_error"].astype("str"), pa.large_string()),
        }
        for name in TALLY_COLUMNS:
            values = rows[name]
            kind = pa.large_string() if name in ("key", "name") else pa.bool_() if values.dtype == bool else pa.float64()
            out[TALLY + name] = pa.array(values.to_numpy(), kind, from_pandas=True)
        yield pa.RecordBatch.from_arrays([*arrays, *out.values()], names=[*kept, *out])


def _output_schema(df: DataFrame):  # noqa: ANN202 - a pyspark StructType
    from pyspark.sql import types as T

    fields = [f for f in df.schema.fields if f.name != FIRST]
    fields += [T.StructField("p_accept", T.DoubleType()), T.StructField("score", T.LongType()),
               T.StructField("tier", T.StringType()), T.StructField("reasons", T.StringType()),
               T.StructField("score_error", T.StringType())]
    for name in TALLY_COLUMNS:
        kind = T.StringType() if name in ("key", "name") else T.BooleanType() if name in ("scored", *SIGNALS) else T.DoubleType()
        fields.append(T.StructField(TALLY + name, kind))
    return T.StructType(fields)


@dataclass(frozen=True)
class SparkScoring:
    """A list scored on Spark. `frame` is lazy and holds internal columns: use `rows()` and `verdicts()`."""

    frame: DataFrame          # input columns, ORDER, OUTPUT_COLUMNS, the tally columns
    columns: tuple[str, ...]  # the input's columns, in order
    bundle: ModelBundle
    params: Params
    coverage: str

    def rows(self) -> DataFrame:
        """Every input row and column, then p_accept, score, tier, reasons, score_error, in the input's order."""
        return self.frame.select(*[quoted(c) for c in (*self.columns, *OUTPUT_COLUMNS)])

    def source_sums(self) -> pd.DataFrame:
        """Per source (first appearance first): `group_tallies`' columns, summed by Spark; one row each."""
        from pyspark.sql import functions as F

        t = {name: F.col(quoted(TALLY + name)) for name in TALLY_COLUMNS}
        sums = self.frame.groupBy(t["key"].alias("key")).agg(
            F.min_by(t["name"], F.col(ORDER)).alias("name"), F.min(ORDER).alias("first"),
            F.count(F.lit(1)).alias("rows"), F.sum(t["scored"].cast("long")).alias("scored"),
            F.sum(t["p"]).alias("p_sum"), F.sum(t["v"]).alias("var_sum"),
            F.sum(t["lo"]).alias("low_sum"), F.sum(t["hi"]).alias("high_sum"),
            F.sum((F.col("score_error") != "").cast("long")).alias("noted"),
            *[F.sum(t[name].cast("long")).alias(name) for name in SIGNALS],
        )
        grouped = sums.toPandas().sort_values("first").set_index("key")
        return grouped.fillna({c: 0 for c in ("p_sum", "var_sum", "low_sum", "high_sum")})

    def verdicts(self, sums: pd.DataFrame | None = None) -> pd.DataFrame:
        """The per-source verdicts, as `leadsift score` writes them (`verdict_table` on Spark's sums)."""
        tallies: dict[str, SourceTally] = {}
        add_tallies(tallies, self.source_sums() if sums is None else sums)
        return verdict_table(tallies, self.bundle, self.params, self.coverage).reindex(columns=list(VERDICT_COLUMNS))


def score_frame(
    df: DataFrame, bundle: ModelBundle, params: Params, now: pd.Timestamp, where: str = "the list"
) -> SparkScoring:
    """Score a Spark DataFrame of a lead list (CRM columns mapped by `params.data`, as `leadsift score` does).

    Runs two small jobs now (the first chunk; the duplicated ids); the scoring itself runs when the result is
    used. Rows are read twice (ids, then everything): cache `df` first if it is costly to compute.
    """
    from pyspark.sql import functions as F

    spark = df.sparkSession
    stale = [c for c in OUTPUT_COLUMNS if c in df.columns]
    df = df.drop(*stale)
    columns = tuple(df.columns)
    clash = [c for c in columns if c.startswith("__leadsift_")]
    if clash:
        raise ContractError(f"{where} has column(s) {clash}: names starting with __leadsift_ are leadsift's own")
    scorer = ChunkScorer(bundle, now, params.data, where)
    first = df.limit(params.score.chunk_rows).toArrow().to_pandas()
    if first.empty:
        raise ContractError(f"{where} has a header but no rows to score")
    model_input = scorer.contract(first)  # the column map and the required columns checked here, once
    require_columns(model_input, REQUIRED, where)
    fill = fill_rates(model_input, bundle.inputs)
    missing = uncovered(bundle.inputs, fill)
    coverage = coverage_note(bundle.inputs, fill, missing) if missing else ""

    merged, preset = effective(params.data)
    id_source = next(old for old, new in [*merged.columns.items(), (LEAD_ID, LEAD_ID)] if new == LEAD_ID and old in columns)
    wanted = {*bundle.input_columns, *merged.columns, *(preset.domains if preset else ())}
    if preset is not None:
        wanted |= {s for sources in preset.first_of.values() for s in sources}
    needed = tuple(c for c in columns if c in wanted)

    key_udf = F.pandas_udf(lead_keys, "string")
    base = df.withColumn(ORDER, F.monotonically_increasing_id()).withColumn(KEY, key_udf(F.col(quoted(id_source))))
    firsts = (base.where(F.col(KEY).isNotNull()).groupBy(KEY)
              .agg(F.min(ORDER).alias(FIRST), F.count(F.lit(1)).alias("n")).where("n > 1").drop("n").cache())
    small = firsts.count() <= BROADCAST_IDS
    joined = base.join(F.broadcast(firsts) if small else firsts, KEY, "left").drop(KEY)
    if not small:  # a shuffle join loses the order; range partitions and a sort bring it back
        joined = joined.repartitionByRange(spark.sparkContext.defaultParallelism, ORDER).sortWithinPartitions(ORDER)
    joined = joined.select(*[quoted(c) for c in columns], ORDER, FIRST)

    folder = Path(_tempdir()) / f"bundle-{uuid.uuid4().hex}"
    save_bundle(bundle, folder)
    spark.sparkContext.addFile(str(folder), recursive=True)
    job = BatchJob(folder.name, now, params.data, where, tuple(missing), needed)
    frame = joined.mapInArrow(functools.partial(score_batches, job), _output_schema(joined))
    return SparkScoring(frame, columns, bundle, params, coverage)


def _tempdir() -> str:
    import tempfile

    return tempfile.mkdtemp(prefix="leadsift-spark-")


def score(
    df: DataFrame, model_uri: str | None = None, *, params: Params | None = None, as_of: pd.Timestamp | None = None
) -> DataFrame:
    """Score a Spark DataFrame of leads with a registered leadsift model; the documented entry for notebooks.

    Returns every input row and column, then p_accept, score, tier, reasons and score_error: the same values
    `leadsift score` writes for the same rows (duplicates are found across the whole DataFrame). `model_uri`:
    default `models:/<registry.model_name>@champion` of the tracking store MLFLOW_TRACKING_URI names; `params`:
    the list's column and value maps (`data:`); `as_of`: the list's date, naive UTC (default: now).

    >>> scored = score(spark.read.parquet("crm_export/"), "models:/leadsift@champion")  # doctest: +SKIP
    >>> scored.write.parquet("crm_scored/")  # doctest: +SKIP
    """
    from leadsift.pipeline.tracking import load_champion

    params = params or Params()
    bundle, _ = load_champion(model_uri, params.registry.model_name)
    now = as_of if as_of is not None else pd.Timestamp.now(tz="UTC").tz_localize(None)
    return score_frame(df, bundle, params, now).rows()
