"""Scoring speed: `leadsift score` end to end against the floor measured in the same run.

    .venv/bin/python bench/bench_score.py [--rows 1000000] [--big-rows 5000000] [--xlsx-rows 100000] [--repeat 5]

Trains a LightGBM model on 50,000 demo leads (in a throwaway MLflow store), writes a list of --rows
leads without outcomes, and measures, each `leadsift score` in a child process of its own (wall time
and that process's peak memory):
  csv      --rows rows, CSV to CSV with reasons, against the floor: reading the file with pyarrow,
           LightGBM's own prediction on the model's matrix, writing the file with the prediction
           (goals: at most 2.5x the floor and 12 s)
  parquet  the same list as Parquet to Parquet, against the Parquet floor (goal: at most 2x)
  big      --big-rows rows (the list repeated under new lead_ids), CSV to CSV: peak memory flat
           from --rows (goal: under 1.5 GB both)
  small    a 10-row list, median of --repeat runs, model loading included (goal: under 2.5 s)
  missing  a missing input file reported, median of --repeat runs (goal: under 1 s)
  xlsx     --xlsx-rows rows, CSV to .xlsx (goal: under 20 s)
A size of 0 skips that case.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import CACHE, ROOT, demo_dir, fresh_store  # noqa: E402

OUTCOMES = ["sales_status", "status_at", "closed_won", "won_at", "won_amount"]
LEADSIFT = str(Path(sys.executable).parent / "leadsift")
PARAMS = str(ROOT / "params.yaml")


def make_list(rows: int) -> Path:
    """A list of `rows` demo leads without outcomes (beyond the 1M demo leads: repeated under new lead_ids)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    path = CACHE / f"list-{rows}.csv"
    if path.exists():
        return path
    base = min(rows, 1_000_000)
    print(f"writing {path} ...", flush=True)
    table = pacsv.read_csv(demo_dir(base) / "leads.csv", convert_options=pacsv.ConvertOptions(strings_can_be_null=True))
    table = table.drop_columns([c for c in OUTCOMES if c in table.column_names])
    tmp = path.with_suffix(".partial")
    with pacsv.CSVWriter(tmp, table.schema) as writer:
        for k in range(-(-rows // base)):
            part = table.slice(0, min(base, rows - k * base))
            if k:
                ids = pc.binary_join_element_wise(part.column("lead_id"), pa.scalar(f"-{k}"), "")
                part = part.set_column(part.schema.get_field_index("lead_id"), "lead_id", ids)
            writer.write_table(part)
    os.replace(tmp, path)
    return path


def as_parquet(csv_path: Path) -> Path:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    path = csv_path.with_suffix(".parquet")
    if not path.exists():
        pq.write_table(pacsv.read_csv(csv_path), path)
    return path


# A small launcher runs each measured command: a child forked straight from this process would count
# this process's own memory (the trained model, the floor's matrix) in its peak.
LAUNCHER = ("import resource, subprocess, sys\n"
            "code = subprocess.run(sys.argv[2:]).returncode\n"
            "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
            "sys.exit(code)")


def run(args: list[str], expect_ok: bool = True) -> tuple[float, float]:
    """(wall seconds, peak memory in MB) of one command."""
    peak = CACHE / "child.maxrss"
    with open(CACHE / "child.err", "wb") as err:
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", LAUNCHER, str(peak), *args], stdout=subprocess.DEVNULL, stderr=err)
        wall = time.perf_counter() - start
    if (done.returncode == 0) != expect_ok:
        sys.exit(f"{' '.join(args)} exited {done.returncode}:\n{(CACHE / 'child.err').read_text()[-3000:]}")
    return wall, int(peak.read_text()) / 1024


def score(listing: Path, output: Path, expect_ok: bool = True) -> tuple[float, float]:
    output.unlink(missing_ok=True)
    return run([LEADSIFT, "score", str(listing), "-o", str(output), "--params", PARAMS], expect_ok)


def floor_seconds(path: Path, bundle) -> float:  # noqa: ANN001
    """Read `path` with pyarrow, predict with LightGBM on the model's matrix (built untimed), write it back."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    from leadsift.features.contract import parse_contract

    parquet = path.suffix == ".parquet"
    text = pacsv.ConvertOptions(strings_can_be_null=True)
    t0 = time.perf_counter()
    table = pq.read_table(path) if parquet else pacsv.read_csv(path, convert_options=text)
    t_read = time.perf_counter() - t0
    f = bundle.builder.params
    X = bundle.builder.transform(parse_contract(table.to_pandas(), f.extra_numeric, f.extra_categorical, f.history_keys).typed)
    t0 = time.perf_counter()
    p = bundle.booster.predict(X, num_threads=2)
    t_predict = time.perf_counter() - t0
    t0 = time.perf_counter()
    out = table.append_column("p", pa.array(p))
    pq.write_table(out, CACHE / "floor-out.parquet") if parquet else pacsv.write_csv(out, CACHE / "floor-out.csv")
    t_write = time.perf_counter() - t0
    print(f"  floor {path.name}: read {t_read:.2f} s + LightGBM predict {t_predict:.2f} s + write {t_write:.2f} s")
    return t_read + t_predict + t_write


def median_run(args: list[str], repeat: int, expect_ok: bool) -> float:
    """Median wall time of `args` run straight from here (no launcher: its start-up would count)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
        if (done.returncode == 0) != expect_ok:
            sys.exit(f"{' '.join(args)} exited {done.returncode}")
    return statistics.median(times)


def trained_bundle():  # noqa: ANN201
    from leadsift.params import load_params
    from leadsift.pipeline.tracking import load_champion
    from leadsift.pipeline.train import run_training

    params = load_params(ROOT / "params.yaml")
    params = params.model_copy(update={"model": params.model.model_copy(update={"kind": "lightgbm"})})
    fresh_store("bench-score")
    run_training(demo_dir(50_000) / "leads.csv", None, params, out=io.StringIO())
    return load_champion(None, params.registry.model_name)[0]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--big-rows", type=int, default=5_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    bundle = trained_bundle()
    if args.rows:
        listing = make_list(args.rows)
        wall, peak = score(listing, CACHE / "scored.csv")
        floor = floor_seconds(listing, bundle)
        print(f"csv: {args.rows:,} rows in {wall:.1f} s, peak {peak:,.0f} MB; floor {floor:.1f} s; "
              f"{wall / floor:.1f}x the floor (goals: <= 2.5x, <= 12 s, < 1,536 MB)", flush=True)
        parquet = as_parquet(listing)
        wall, peak = score(parquet, CACHE / "scored.parquet")
        floor = floor_seconds(parquet, bundle)
        print(f"parquet: {args.rows:,} rows in {wall:.1f} s, peak {peak:,.0f} MB; floor {floor:.1f} s; "
              f"{wall / floor:.1f}x the floor (goal: <= 2x)", flush=True)
    if args.big_rows:
        wall, peak = score(make_list(args.big_rows), CACHE / "scored-big.csv")
        print(f"big: {args.big_rows:,} rows in {wall:.1f} s, peak {peak:,.0f} MB (goal: < 1,536 MB, flat)", flush=True)
        (CACHE / "scored-big.csv").unlink(missing_ok=True)
    base = make_list(max(args.rows, args.xlsx_rows, 10))
    small = head_list(base, 10)
    cmd = [LEADSIFT, "score", str(small), "-o", str(CACHE / "small.scored.csv"), "--params", PARAMS]
    print(f"small: 10 rows in {median_run(cmd, args.repeat, True):.2f} s, median of {args.repeat} (goal: < 2.5 s)")
    cmd = [LEADSIFT, "score", str(CACHE / "no-such-list.csv"), "-o", str(CACHE / "x.csv"), "--params", PARAMS]
    print(f"missing: error in {median_run(cmd, args.repeat, False):.2f} s, median of {args.repeat} (goal: < 1 s)")
    if args.xlsx_rows:
        wall, peak = score(head_list(base, args.xlsx_rows), CACHE / "scored.xlsx")
        print(f"xlsx: {args.xlsx_rows:,} rows to .xlsx in {wall:.1f} s, peak {peak:,.0f} MB (goal: < 20 s)")
    return 0


def head_list(source: Path, rows: int) -> Path:
    """The first `rows` leads of the list `source`."""
    import pyarrow.csv as pacsv

    path = CACHE / f"list-{rows}.csv"
    if not path.exists():
        table = pacsv.read_csv(source, convert_options=pacsv.ConvertOptions(strings_can_be_null=True))
        pacsv.write_csv(table.slice(0, rows), path.with_suffix(".partial"))
        os.replace(path.with_suffix(".partial"), path)
    return path


if __name__ == "__main__":
    sys.exit(main())
