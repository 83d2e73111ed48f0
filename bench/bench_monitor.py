"""Monitoring on future periods of demo histories the model never saw: which alerts each case raises.

For each seed: a demo history over two years; a model trained on the leads before 2026-05-01 (in a
throwaway MLflow store); then `leadsift monitor` on the six months after, in three cases:
  as_is     the future as it happened (nothing changed: no alert expected)
  collapse  one source's accepted leads mostly turned into rejections (that source alone expected)
  tiny      every company shrunk to under 10 employees, outcomes removed (size features expected)
Prints the alerts of every case, the overall expected and realized acceptance, and the time taken.

    .venv/bin/python bench/bench_monitor.py [--leads 24000] [--seeds 11 12 13]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from leadsift.features.contract import OUTCOME_COLUMNS
from leadsift.params import load_params
from leadsift.pipeline.demo.simulator import generate_demo_data
from leadsift.pipeline.monitor.run import run_monitor
from leadsift.pipeline.train import run_training

ROOT = Path(__file__).resolve().parents[1]
CUT = pd.Timestamp("2026-05-01")
COLLAPSED = "Google Ads - brand"


def cases(future: pd.DataFrame, seed: int) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    collapse = future.copy()
    hit = (collapse["source"] == COLLAPSED) & (collapse["sales_status"] == "accepted") & (rng.random(len(future)) < 0.85)
    collapse.loc[hit, "sales_status"] = "rejected"
    tiny = future.drop(columns=[c for c in OUTCOME_COLUMNS if c in future.columns])
    tiny = tiny.assign(employees=np.minimum(tiny["employees"], 8))
    return {"as_is": future, "collapse": collapse, "tiny": tiny}


def one_seed(leads: int, seed: int, folder: Path) -> None:
    history = generate_demo_data(n_leads=leads, seed=seed).history
    past = folder / "past.csv"
    history[history["created_at"] < CUT].to_csv(past, index=False)
    future = history[history["created_at"] >= CUT].reset_index(drop=True)
    os.environ["MLFLOW_TRACKING_URI"] = f"sqlite:///{folder}/mlflow.db"
    params = load_params(ROOT / "params.yaml")
    started = time.perf_counter()
    trained = run_training(past, None, params, out=io.StringIO())
    print(f"seed {seed}: trained on {trained.rows:,} leads ({trained.model_kind}, test ROC AUC "
          f"{trained.metrics['roc_auc']:.4f}) in {time.perf_counter() - started:.1f} s; {len(future):,} future leads")
    for name, frame in cases(future, seed).items():
        data = folder / f"{name}.csv"
        frame.to_csv(data, index=False)
        started = time.perf_counter()
        run = run_monitor(data, folder / f"{name}.html", params, log=False)
        o = run.monitoring.table.iloc[0]
        print(f"  {name:<9} {time.perf_counter() - started:5.1f} s  expected {o['expected_accept_rate']:.3f} "
              f"realized {o['realized_accept_rate']:.3f} on {int(o['decided']):,} decided; "
              f"{len(run.monitoring.alerts)} alert(s): "
              + ("; ".join(f"{a.kind} {a.level} {a.name}" for a in run.monitoring.alerts) or "none"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--leads", type=int, default=24_000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[11, 12, 13])
    args = parser.parse_args(argv)
    for seed in args.seeds:
        with tempfile.TemporaryDirectory() as tmp:
            one_seed(args.leads, seed, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
