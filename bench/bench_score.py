"""Scoring at scale: a 1,000,000-row contract CSV end to end, against the raw floor.

    .venv/bin/python bench/bench_score.py [--rows 1000000]

Trains a model on 50,000 demo leads, writes a list of --rows leads without outcomes, runs
`leadsift score` on it in a child process (wall time and peak memory), then measures the
floor on the same file: reading it with pyarrow, plain LightGBM prediction on the model's
matrix, and writing the result. Goals: <= 60 s to pass (30 s goal), peak memory < 2 GB,
the scorer within 2x of the floor.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import CACHE, ROOT, demo_dir, fresh_store  # noqa: E402

OUTCOMES = ["sales_status", "status_at", "closed_won", "won_at", "won_amount"]


def make_list(rows: int) -> Path:
    path = CACHE / f"list-{rows}.csv"
    if not path.exists():
        import pyarrow.csv as pacsv

        source = demo_dir(rows) / "leads.csv"
        print(f"writing {path} from {source} ...", flush=True)
        table = pacsv.read_csv(source)
        table = table.drop_columns([c for c in OUTCOMES if c in table.column_names])
        tmp = path.with_suffix(".partial")
        pacsv.write_csv(table, tmp)
        os.replace(tmp, path)
    return path


def floor_seconds(path: Path, params) -> dict[str, float]:  # noqa: ANN001
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from leadsift.features.contract import parse_contract
    from leadsift.pipeline.tracking import load_champion

    bundle, _ = load_champion(None, params.registry.model_name)
    t0 = time.perf_counter()
    table = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(strings_can_be_null=True))
    t_read = time.perf_counter() - t0
    frame = table.to_pandas()
    f = bundle.builder.params
    X = bundle.builder.transform(parse_contract(frame, f.extra_numeric, f.extra_categorical, f.history_keys).typed)
    t0 = time.perf_counter()
    p = bundle.booster.predict(X, num_threads=2)
    t_predict = time.perf_counter() - t0
    t0 = time.perf_counter()
    pacsv.write_csv(table.append_column("p", pa.array(p)), CACHE / "floor-out.csv")
    t_write = time.perf_counter() - t0
    return {"read": t_read, "predict": t_predict, "write": t_write}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    from leadsift.params import load_params
    from leadsift.pipeline.train import run_training

    params = load_params(ROOT / "params.yaml")
    fresh_store("bench-score")
    run_training(demo_dir(50_000) / "leads.csv", None, params, out=io.StringIO())
    listing = make_list(args.rows)
    out = CACHE / "scored.csv"
    cmd = [str(Path(sys.executable).parent / "leadsift"), "score", str(listing), "-o", str(out),
           "--params", str(ROOT / "params.yaml")]
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=os.environ.copy())
    wall = time.perf_counter() - start
    if done.returncode != 0:
        print(done.stderr[-3000:])
        return 1
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    floor = floor_seconds(listing, params)
    total_floor = sum(floor.values())
    print(f"score end to end: {args.rows:,} rows in {wall:.1f} s (pass <= 60 s, goal 30 s); "
          f"peak memory {peak_mb:,.0f} MB (goal < 2048 MB)")
    print("floor: read {read:.1f} s + LightGBM predict {predict:.1f} s + write {write:.1f} s".format(**floor)
          + f" = {total_floor:.1f} s; scorer / floor = {wall / total_floor:.1f}x (goal <= 2x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
