"""Shared set-up for the benchmarks: cached demo data and an isolated MLflow store."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("LEADSIFT_BENCH_DIR", Path(tempfile.gettempdir()) / "leadsift-bench"))


def demo_dir(n_leads: int, seed: int = 7) -> Path:
    """Demo data of `n_leads` leads, generated once and reused."""
    from leadsift.pipeline.demo.simulator import write_demo_data

    out = CACHE / f"demo-{n_leads}-{seed}"
    if not (out / "leads.csv").exists():
        print(f"generating {n_leads:,} demo leads in {out} ...", flush=True)
        write_demo_data(out, n_leads=n_leads, seed=seed)
    return out


def fresh_store(name: str) -> str:
    """Point MLflow at a new sqlite store for this benchmark and return its URI."""
    folder = Path(tempfile.mkdtemp(prefix=f"leadsift-{name}-"))
    uri = f"sqlite:///{folder}/mlflow.db"
    os.environ["MLFLOW_TRACKING_URI"] = uri
    return uri
