"""Model quality on data with known answers and on public data.

    .venv/bin/python bench/bench_quality.py [--leads 50000] [--skip-public]

Prints: on demo data, the test ROC AUC of the model against the AUC of the true acceptance
probabilities on the same test leads (goal: within 0.01), the expected calibration error (goal:
at most 0.02), and whether two runs give identical metrics and predictions; then X Education
(random split, several seeds) and Olist (time split) test ROC AUC, when ../shared/datasets exists.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import ROOT, demo_dir, fresh_store  # noqa: E402

DATASETS = ROOT.parent / "shared" / "datasets"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leads", type=int, default=50_000)
    parser.add_argument("--skip-public", action="store_true")
    args = parser.parse_args()
    from leadsift.params import load_params
    from leadsift.pipeline.train import run_training

    fresh_store("bench-quality")
    params = load_params(ROOT / "params.yaml")
    demo = demo_dir(args.leads)
    first = run_training(demo / "leads.csv", None, params, out=io.StringIO())
    second = run_training(demo / "leads.csv", None, params, out=io.StringIO())
    truth = pd.read_csv(demo / "truth.csv", dtype={"lead_id": str})
    test = first.test_predictions.merge(truth, on="lead_id", how="left")
    auc_model = roc_auc_score(test["y"], test["p_accept"])
    auc_truth = roc_auc_score(test["y"], test["p_accept_true"])
    same = first.metrics == second.metrics and np.array_equal(
        first.test_predictions["p_accept"].to_numpy(), second.test_predictions["p_accept"].to_numpy()
    )
    print(f"demo ({args.leads:,} leads, {len(test):,} test leads after the training period): "
          f"model ROC AUC {auc_model:.4f}, true probabilities {auc_truth:.4f}, gap {auc_truth - auc_model:.4f} "
          f"(goal <= 0.01); ECE {first.metrics['ece']:.4f} (goal <= 0.02); "
          f"logreg baseline {first.baselines['logreg']['roc_auc']:.4f}")
    print(f"determinism: two runs identical metrics and predictions: {same}")
    if args.skip_public:
        return 0
    leads = DATASETS / "x-education" / "Leads.csv"
    if leads.exists():
        xparams = load_params(ROOT / "examples" / "x-education" / "params.yaml")
        aucs = []
        for seed in (42, 1, 2, 3, 4):
            p = xparams.model_copy(update={"split": xparams.split.model_copy(update={"seed": seed})})
            r = run_training(leads, None, p, out=io.StringIO())
            aucs.append(r.metrics["roc_auc"])
            print(f"X Education split seed {seed}: test ROC AUC {r.metrics['roc_auc']:.4f} "
                  f"(95% interval {r.metrics['roc_auc_ci_low']:.3f} to {r.metrics['roc_auc_ci_high']:.3f}) "
                  f"(logreg {r.baselines['logreg']['roc_auc']:.4f}), ECE {r.metrics['ece']:.4f}", flush=True)
        print(f"X Education mean over 5 split seeds: {np.mean(aucs):.4f} (the example's seed is 42)")
    olist = DATASETS / "olist-marketing-funnel"
    if olist.exists():
        oparams = load_params(ROOT / "examples" / "olist" / "params.yaml")
        r = run_training(olist / "olist_marketing_qualified_leads_dataset.csv",
                         olist / "olist_closed_deals_dataset.csv", oparams, out=io.StringIO())
        print(f"Olist time split: test ROC AUC {r.metrics['roc_auc']:.4f} "
              f"(95% interval {r.metrics['roc_auc_ci_low']:.3f} to {r.metrics['roc_auc_ci_high']:.3f}; "
              f"{r.best_iteration} trees) "
              f"(logreg {r.baselines['logreg']['roc_auc']:.4f}, source rate {r.baselines['source_rate']['roc_auc']:.4f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
