"""Training at scale: a 1,000,000-lead history end to end, and how feature building grows.

    .venv/bin/python bench/bench_train.py [--leads 1000000]

Prints the end-to-end training time (goal: at most 300 s on 2 cores) and feature-building
times at 100k and 1M leads (goal: ten times the rows in at most twelve times the time).
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import ROOT, demo_dir, fresh_store  # noqa: E402


def feature_seconds(leads_csv: Path, params) -> tuple[int, float]:  # noqa: ANN001
    from features.build import FeatureBuilder
    from pipeline.ingest import load_history

    history = load_history(leads_csv, None, params)
    typed = history.parsed.typed
    start = time.perf_counter()
    builder, raw = FeatureBuilder.fit_features(typed, history.y.notna(), params.features, use_history=True)
    builder.matrix(raw)
    return len(typed), time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leads", type=int, default=1_000_000)
    args = parser.parse_args()
    from pipeline.config import load_params
    from pipeline.train import run_training

    params = load_params(ROOT / "params.yaml")
    small, large = demo_dir(args.leads // 10), demo_dir(args.leads)

    n_small, t_small = feature_seconds(small / "leads.csv", params)
    n_large, t_large = feature_seconds(large / "leads.csv", params)
    print(f"feature building: {n_small:,} leads {t_small:.2f} s; {n_large:,} leads {t_large:.2f} s; "
          f"ratio {t_large / t_small:.1f}x for {n_large / n_small:.0f}x the rows (goal <= 12x)")

    fresh_store("bench-train")
    log = io.StringIO()
    start = time.perf_counter()
    result = run_training(large / "leads.csv", None, params, out=log)
    total = time.perf_counter() - start
    print(log.getvalue().rstrip())
    print(f"train end to end: {args.leads:,} leads in {total:.1f} s (goal <= 300 s); "
          f"test ROC AUC {result.metrics['roc_auc']:.4f}, ECE {result.metrics['ece']:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
