"""Scoring on Spark against the single-process scorer: wall time, rows per second, peak memory.

    .venv/bin/python bench/bench_spark.py [--rows 1000000 10000000] [--master local[2]]

Trains a model on 50,000 demo leads, writes a Parquet list of the largest --rows (demo leads without their
outcomes, repeated with new lead_ids), and scores the first N rows of it for each N: `leadsift score
--engine spark` on --master, and the single-process `leadsift score` on the smallest N. Memory is sampled
from the process tree every 0.2 s: the driver (the leadsift process), the JVM (in local mode the driver's
JVM runs the executor too) and the Python workers (summed). Goals: Spark time per row at most 1.5x the
single process's on the same cores, time linear in rows, driver memory flat from 1M to 10M.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import CACHE, ROOT, demo_dir, fresh_store  # noqa: E402

OUTCOMES = ["sales_status", "status_at", "closed_won", "won_at", "won_amount"]
BASE_ROWS = 1_000_000


def make_list(rows: int) -> Path:
    """A Parquet list of `rows` leads: the 1M-lead demo list repeated, each copy with its own lead_ids."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    path = CACHE / f"spark-list-{rows}.parquet"
    if path.exists():
        return path
    base = pacsv.read_csv(demo_dir(min(rows, BASE_ROWS)) / "leads.csv",
                          convert_options=pacsv.ConvertOptions(strings_can_be_null=True))
    base = base.drop_columns([c for c in OUTCOMES if c in base.column_names])
    tmp = path.with_suffix(".partial")
    with pq.ParquetWriter(tmp, base.schema) as writer:
        done, copy = 0, 0
        while done < rows:
            part = base.slice(0, rows - done)
            ids = pc.binary_join_element_wise(part.column("lead_id").cast(pa.string()), pa.scalar(f"-{copy}"), "")
            writer.write_table(part.set_column(part.schema.get_field_index("lead_id"), "lead_id", ids), row_group_size=100_000)
            done += part.num_rows
            copy += 1
    os.replace(tmp, path)
    return path


def head(path: Path, rows: int) -> Path:
    """The first `rows` rows of a Parquet list, as its own file."""
    import pyarrow.parquet as pq

    out = CACHE / f"spark-head-{rows}.parquet"
    if not out.exists():
        table = pq.read_table(path).slice(0, rows)
        pq.write_table(table, out.with_suffix(".partial"), row_group_size=100_000)
        os.replace(out.with_suffix(".partial"), out)
    return out


def run_sampled(cmd: list[str]) -> dict[str, float]:
    """Run `cmd`; wall seconds and peak RSS (MB) of the driver, its JVM and its Python workers (summed)."""
    import psutil

    peaks = {"driver": 0.0, "jvm": 0.0, "workers": 0.0}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    stop = threading.Event()

    def sample() -> None:
        root = psutil.Process(proc.pid)
        while not stop.is_set():
            try:
                peaks["driver"] = max(peaks["driver"], root.memory_info().rss / 2**20)
                jvm = workers = 0.0
                for child in root.children(recursive=True):
                    try:
                        rss = child.memory_info().rss / 2**20
                        name = child.name()
                    except psutil.Error:
                        continue
                    if name == "java":
                        jvm += rss
                    elif name.startswith("python"):
                        workers += rss
                peaks["jvm"], peaks["workers"] = max(peaks["jvm"], jvm), max(peaks["workers"], workers)
            except psutil.Error:
                pass
            stop.wait(0.2)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    _, err = proc.communicate()
    stop.set()
    thread.join()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        print(err[-3000:])
        raise SystemExit(f"{' '.join(cmd[:4])} ... failed with {proc.returncode}")
    return {"wall": wall, **peaks}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--master", default="local[2]")
    args = parser.parse_args()
    from leadsift.params import load_params
    from leadsift.pipeline.train import run_training

    params = load_params(ROOT / "params.yaml")
    fresh_store("bench-spark")
    run_training(demo_dir(50_000) / "leads.csv", None, params, out=io.StringIO())
    full = make_list(max(args.rows))
    leadsift = str(Path(sys.executable).parent / "leadsift")
    common = ["--params", str(ROOT / "params.yaml"), "--as-of", "2026-12-01"]
    results = {}
    smallest = min(args.rows)
    src = head(full, smallest) if smallest < max(args.rows) else full
    alone = run_sampled([leadsift, "score", str(src), "-o", str(CACHE / "alone-scored.parquet"), *common])
    print(f"single process, {smallest:,} rows: {alone['wall']:.1f} s, {smallest / alone['wall']:,.0f} rows/s, "
          f"peak {alone['driver']:,.0f} MB", flush=True)
    for rows in sorted(args.rows):
        src = head(full, rows) if rows < max(args.rows) else full
        r = run_sampled([leadsift, "score", str(src), "-o", str(CACHE / f"spark-scored-{rows}.parquet"), *common,
                         "--engine", "spark", "--master", args.master])
        results[rows] = r
        print(f"spark {args.master}, {rows:,} rows: {r['wall']:.1f} s, {rows / r['wall']:,.0f} rows/s; peak driver "
              f"{r['driver']:,.0f} MB, JVM (driver + executor) {r['jvm']:,.0f} MB, Python workers {r['workers']:,.0f} MB",
              flush=True)
    r = results[smallest]
    print(f"spark / single process time per row at {smallest:,} rows: {r['wall'] / alone['wall']:.2f}x (goal <= 1.5x)")
    if len(results) > 1:
        big = max(results)
        per_row = (results[big]["wall"] / big) / (r["wall"] / smallest)
        print(f"time per row at {big:,} / at {smallest:,}: {per_row:.2f}x (linear: 1.0); driver memory "
              f"{r['driver']:,.0f} -> {results[big]['driver']:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
