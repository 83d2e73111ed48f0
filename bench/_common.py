"""Shared set-up for the benchmarks: cached demo data, the public data sets, an isolated MLflow store."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("LEADSIFT_BENCH_DIR", Path(tempfile.gettempdir()) / "leadsift-bench"))
# The public data sets (X Education, Olist, UCI bank marketing), beside the checkout; read only.
DATASETS = Path(os.environ.get("LEADSIFT_DATASETS", ROOT.parent / "shared" / "datasets"))


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


def passive_openmp() -> str:
    """Let OpenMP threads sleep while they wait (unless the caller chose otherwise); returns the policy.

    libgomp's threads spin while waiting: on 2 cores shared with other work, LightGBM with 2
    threads then ran 3 to 60 times slower (0.4 s against 1.4 to 55 s for the same fit). Call it
    before LightGBM or scikit-learn is imported: the policy is read when OpenMP loads.
    """
    return os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
