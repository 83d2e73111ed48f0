"""Model quality on data with known answers, and beside its peers on public data.

    .venv/bin/python bench/bench_quality.py [--leads 50000] [--skip-public] [--only demo|xeducation|olist|bank ...]

Prints, on demo data: the test ROC AUC of the model against the AUC of the true acceptance
probabilities on the same test leads (goal: within 0.01), the expected calibration error (goal:
at most 0.02), and whether two runs give identical metrics and predictions.

Then, when ../shared/datasets exists, the public-data protocol (bench/peers.py says which peers and
how they are fitted). Each peer gets exactly leadsift's rows and leadsift's leak-free feature matrix:
it fits on everything but the test slice and is measured on the test slice.
  - X Education (random split), for each of the 5 split seeds: ROC AUC with its DeLong interval, log
    loss and ECE for leadsift and each peer; then mean, sd and range over the seeds, and the paired
    difference leadsift - best peer (by mean AUC) with a t interval over the seeds and the mean of
    the per-seed paired intervals.
  - Olist (time split) and UCI bank marketing (split.method: order): the same figures on the one split.
Last, a summary table in the style of ../shared/measurements/public-data-peers.md.
CatBoost is a peer when it is installed (`pip install -e .[bench]`); otherwise it is skipped, and
the script says so. `--only` (repeatable) reruns single data sets.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy.stats import t as student_t

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import DATASETS, ROOT, demo_dir, fresh_store, passive_openmp  # noqa: E402

if TYPE_CHECKING:
    from leadsift.params import Params

SEEDS = (42, 1, 2, 3, 4)
LEADSIFT = "leadsift"
RAW_COLUMNS = ", raw columns"  # a peer given the raw columns only, no history features (see bench/peers.py)
NAME = 36  # width of the model column
CHOICES = ("demo", "xeducation", "olist", "bank")


@dataclass(frozen=True)
class PublicSet:
    title: str
    data: Path
    outcomes: Path | None
    params: Path


PUBLIC = {
    "xeducation": PublicSet("X Education", DATASETS / "x-education" / "Leads.csv", None,
                            ROOT / "examples" / "x-education" / "params.yaml"),
    "olist": PublicSet("Olist", DATASETS / "olist-marketing-funnel" / "olist_marketing_qualified_leads_dataset.csv",
                       DATASETS / "olist-marketing-funnel" / "olist_closed_deals_dataset.csv",
                       ROOT / "examples" / "olist" / "params.yaml"),
    "bank": PublicSet("UCI bank marketing", DATASETS / "uci-bank-marketing" / "bank-additional-full.csv", None,
                      ROOT / "examples" / "bank-marketing" / "params.yaml"),
}


@dataclass
class Comparison:
    """leadsift and its peers on one split: figures and test probabilities per model."""

    y: np.ndarray
    figures: dict[str, dict[str, float]] = field(default_factory=dict)
    p: dict[str, np.ndarray] = field(default_factory=dict)
    fit_seconds: dict[str, float] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    check: str = ""
    split: str = ""


def compare(spec: PublicSet, params: Params, skipped: list[str]) -> Comparison:
    """Train leadsift with run_training, then every peer on the same rows and features."""
    import peers

    from leadsift.pipeline.train import run_training

    t0 = time.perf_counter()
    result = run_training(spec.data, spec.outcomes, params, out=io.StringIO())
    train_s = time.perf_counter() - t0
    prep, raw_columns = peers.prepare(spec.data, spec.outcomes, params, result.leakage.flagged)
    comparison = Comparison(y=prep.y[prep.test], check=peers.check_same_as_training(prep, result),
                            split=", ".join(f"{k} {v:,}" for k, v in result.split.items()))
    p_leadsift = result.test_predictions["p_accept"].to_numpy(dtype="float64")
    comparison.p[LEADSIFT] = p_leadsift
    comparison.fit_seconds[LEADSIFT] = train_s
    kind = getattr(result, "model_kind", "lightgbm")  # the champion candidate run_training chose
    shape = f"{result.best_iteration} trees" if kind == "lightgbm" else kind
    comparison.notes[LEADSIFT] = f"{shape}, calibrated ({params.calibration.method})"
    for features, suffix in ((prep, ""), (raw_columns, RAW_COLUMNS)):
        if features is None:
            continue
        for scored in peers.run_peers(features, skipped):
            comparison.p[scored.name + suffix] = scored.p
            comparison.fit_seconds[scored.name + suffix] = scored.fit_seconds
            comparison.notes[scored.name + suffix] = scored.note
    comparison.figures = {name: peers.figures(comparison.y, p) for name, p in comparison.p.items()}
    return comparison


def print_comparison(c: Comparison) -> None:
    print(f"  {'model':<{NAME}}{'ROC AUC [95% DeLong]':>26}{'log loss':>10}{'ECE':>8}{'mean p':>8}{'fit s':>8}  notes")
    for name, f in c.figures.items():
        print(f"  {name:<{NAME}}{f['roc_auc']:>10.4f} [{f['auc_low']:.3f}, {f['auc_high']:.3f}]"
              f"{f['log_loss']:>10.4f}{f['ece']:>8.3f}{f['mean_p']:>8.3f}{c.fit_seconds[name]:>8.1f}  {c.notes[name]}")
    print(f"  observed rate on the test slice {c.figures[LEADSIFT]['rate']:.3f}; "
          "leadsift's fit s is the whole run_training (audit, MLflow logging and registration included)")
    if any(name.endswith(RAW_COLUMNS) for name in c.figures):
        print(f"  '{RAW_COLUMNS[2:]}': the peer on the raw columns only (leadsift's matrix without its point-in-time "
              "history features; a history key as a plain category)")


def paired_line(c: Comparison, peer: str) -> str:
    import peers

    diff, low, high = peers.paired_auc_difference(c.y, c.p[LEADSIFT], c.p[peer])
    return f"leadsift - {peer}: {diff:+.4f} [{low:+.4f}, {high:+.4f}] ({peers.paired_method()})"


def best_peer(aucs: dict[str, float]) -> str:
    return max((name for name in aucs if name != LEADSIFT), key=lambda name: aucs[name])


# --- the data sets --------------------------------------------------------------------------


def run_demo(n_leads: int) -> None:
    from sklearn.metrics import roc_auc_score

    from leadsift.params import load_params
    from leadsift.pipeline.train import run_training

    params = load_params(ROOT / "params.yaml")
    demo = demo_dir(n_leads)
    first = run_training(demo / "leads.csv", None, params, out=io.StringIO())
    second = run_training(demo / "leads.csv", None, params, out=io.StringIO())
    truth = pd.read_csv(demo / "truth.csv", dtype={"lead_id": str})
    test = first.test_predictions.merge(truth, on="lead_id", how="left")
    auc_model = roc_auc_score(test["y"], test["p_accept"])
    auc_truth = roc_auc_score(test["y"], test["p_accept_true"])
    same = first.metrics == second.metrics and np.array_equal(
        first.test_predictions["p_accept"].to_numpy(), second.test_predictions["p_accept"].to_numpy()
    )
    print(f"demo ({n_leads:,} leads, {len(test):,} test leads after the training period): "
          f"model ROC AUC {auc_model:.4f}, true probabilities {auc_truth:.4f}, gap {auc_truth - auc_model:.4f} "
          f"(goal <= 0.01); ECE {first.metrics['ece']:.4f} (goal <= 0.02); "
          f"logreg baseline {first.baselines['logreg']['roc_auc']:.4f}")
    print(f"determinism: two runs identical metrics and predictions: {same}", flush=True)


def run_seeds(spec: PublicSet, skipped: list[str], summary: list[str]) -> None:
    """X Education: the protocol over the 5 split seeds."""
    import peers

    from leadsift.params import load_params

    base = load_params(spec.params)
    runs: list[Comparison] = []
    for seed in SEEDS:
        params = base.model_copy(update={"split": base.split.model_copy(update={"seed": seed})})
        c = compare(spec, params, skipped)
        runs.append(c)
        print(f"\n{spec.title}, split seed {seed} ({c.split}): {c.check}")
        print_comparison(c)
        sys.stdout.flush()
    names = list(runs[0].figures)
    table = {name: {key: np.array([r.figures[name][key] for r in runs]) for key in ("roc_auc", "log_loss", "ece")}
             for name in names}
    fit_s = {name: np.mean([r.fit_seconds[name] for r in runs]) for name in names}
    print(f"\n{spec.title} over the {len(SEEDS)} split seeds {SEEDS}:")
    print(f"  {'model':<{NAME}}{'mean AUC':>10}{'sd':>8}{'min..max':>17}{'log loss':>10}{'ECE':>8}{'fit s':>8}")
    for name in names:
        a = table[name]["roc_auc"]
        print(f"  {name:<{NAME}}{a.mean():>10.4f}{a.std(ddof=1):>8.4f}{a.min():>9.4f}..{a.max():.4f}"
              f"{table[name]['log_loss'].mean():>10.4f}{table[name]['ece'].mean():>8.3f}{fit_s[name]:>8.1f}")
    peer = best_peer({name: table[name]["roc_auc"].mean() for name in names})
    diffs = table[LEADSIFT]["roc_auc"] - table[peer]["roc_auc"]
    half = student_t.ppf(0.975, len(diffs) - 1) * diffs.std(ddof=1) / np.sqrt(len(diffs))
    paired = np.array([peers.paired_auc_difference(r.y, r.p[LEADSIFT], r.p[peer]) for r in runs])
    excludes = (paired[:, 1] > 0) | (paired[:, 2] < 0)
    outside = int(excludes.sum())
    which = f" (seed {', '.join(str(s) for s, x in zip(SEEDS, excludes, strict=True) if x)})" if outside else ""
    print(f"  leadsift - best peer ({peer}, by mean AUC), per seed: " + ", ".join(f"{d:+.4f}" for d in diffs))
    print(f"    mean {diffs.mean():+.4f}, 95% t interval over seeds [{diffs.mean() - half:+.4f}, {diffs.mean() + half:+.4f}]; "
          f"mean per-seed interval [{paired[:, 1].mean():+.4f}, {paired[:, 2].mean():+.4f}] ({peers.paired_method()}); "
          f"the per-seed interval excludes 0 on {outside} of {len(runs)} seeds{which}")
    summary.append(f"\n## {spec.title}, mean over the {len(SEEDS)} split seeds (sd of AUC across seeds)")
    summary.append("| model | ROC AUC | sd | log loss | ECE | fit s |")
    summary.append("|---|---|---|---|---|---|")
    for name in sorted(names, key=lambda n: -table[n]["roc_auc"].mean()):
        a = table[name]["roc_auc"]
        summary.append(f"| {name} | {a.mean():.4f} | {a.std(ddof=1):.4f} | {table[name]['log_loss'].mean():.4f} "
                       f"| {table[name]['ece'].mean():.3f} | {fit_s[name]:.1f} |")
    summary.append(f"leadsift - {peer}: {diffs.mean():+.4f}, t interval over seeds "
                   f"[{diffs.mean() - half:+.4f}, {diffs.mean() + half:+.4f}]; inside the per-seed interval on "
                   f"{len(runs) - outside} seeds of {len(runs)}.")


def run_single(spec: PublicSet, skipped: list[str], summary: list[str]) -> None:
    """Olist, UCI bank: the protocol on the one (time-ordered) split."""
    from leadsift.params import load_params

    params = load_params(spec.params)
    c = compare(spec, params, skipped)
    print(f"\n{spec.title}, split.method {params.split.method} ({c.split}): {c.check}")
    print_comparison(c)
    peer = best_peer({name: f["roc_auc"] for name, f in c.figures.items()})
    print("  " + paired_line(c, peer) + " (best peer by AUC)")
    summary.append(f"\n## {spec.title}, split.method: {params.split.method} (observed rate on test "
                   f"{c.figures[LEADSIFT]['rate']:.3f})")
    summary.append("| model | ROC AUC [95%] | log loss | ECE | mean p | fit s |")
    summary.append("|---|---|---|---|---|---|")
    for name, f in sorted(c.figures.items(), key=lambda kv: -kv[1]["roc_auc"]):
        summary.append(f"| {name} | {f['roc_auc']:.4f} [{f['auc_low']:.3f}, {f['auc_high']:.3f}] | {f['log_loss']:.4f} "
                       f"| {f['ece']:.3f} | {f['mean_p']:.3f} | {c.fit_seconds[name]:.1f} |")
    summary.append(paired_line(c, peer) + ".")
    sys.stdout.flush()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=50_000, help="demo data size")
    parser.add_argument("--skip-public", action="store_true", help="demo data only")
    parser.add_argument("--only", action="append", choices=CHOICES, help="run only this data set (repeatable)")
    args = parser.parse_args()
    chosen = [c for c in CHOICES if c in (args.only or CHOICES) and not (args.skip_public and c != "demo")]

    policy = passive_openmp()  # before anything loads OpenMP (LightGBM, scikit-learn)
    import peers  # noqa: F401 - fail here, before any training, if the protocol cannot be imported

    fresh_store("bench-quality")
    print(f"OMP_WAIT_POLICY={policy}; catboost {'installed' if peers.catboost_available() else 'not installed'}")
    if "demo" in chosen:
        run_demo(args.leads)
    skipped: list[str] = []
    summary: list[str] = []
    failed: list[str] = []
    for key in chosen:
        if key == "demo":
            continue
        spec = PUBLIC[key]
        if not spec.data.exists():
            print(f"\n{spec.title}: skipped, {spec.data} not found")
            continue
        try:
            (run_seeds if key == "xeducation" else run_single)(spec, skipped, summary)
        except Exception as exc:  # noqa: BLE001 - one data set failing must not hide the others' figures
            failed.append(key)
            print(f"\n{spec.title}: FAILED: {type(exc).__name__}: {exc}", flush=True)
    if skipped:
        print(f"\npeers skipped: {', '.join(skipped)} (catboost is not installed: pip install -e .[bench])")
    if summary:
        print("\n# leadsift beside its peers on the public data (bench/bench_quality.py)")
        print("Peers fit on leadsift's train + valid + calib rows with leadsift's feature matrix; measured on its test "
              "slice. ECE: 10 equal-frequency bins. fit s: leadsift's is the whole run_training.")
        print("\n".join(summary))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
