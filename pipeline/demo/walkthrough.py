"""`make demo`: demo data -> train and register -> score the two new lists -> source report."""

from __future__ import annotations

import argparse
from pathlib import Path

from leadsift.pipeline.cli import main as leadsift
from leadsift.pipeline.tracking import tracking_uri


def run(outdir: Path, leads: int) -> int:
    def step(args: list[str]) -> None:
        print(f"\n$ leadsift {' '.join(args)}", flush=True)
        code = leadsift(args)
        if code != 0:
            raise SystemExit(code)

    outdir.mkdir(parents=True, exist_ok=True)
    step(["demo-data", str(outdir), "--leads", str(leads)])
    step(["train", "--data", str(outdir / "leads.csv"), "--params", "params.yaml"])
    for stage in demo_followups(outdir):
        step(stage)
    print(
        "\nDone. Where to look:\n"
        f"  demo data:   {outdir}/ (leads.csv, new_*.csv, truth.csv)\n"
        f"  MLflow UI:   .venv/bin/mlflow ui --backend-store-uri {tracking_uri()}  -> http://127.0.0.1:5000\n"
        "               (experiment 'leadsift', registered model 'leadsift', alias 'champion')"
    )
    for line in demo_outputs(outdir):
        print(line)
    return 0


def demo_followups(outdir: Path) -> list[list[str]]:
    """After training: score the two new lists, then the source report with both beside the history."""
    scored = [outdir / "new_prize_draw.scored.csv", outdir / "new_strong.scored.csv"]
    return [
        ["score", str(outdir / "new_prize_draw.csv"), "-o", str(scored[0]), "--params", "params.yaml"],
        ["score", str(outdir / "new_strong.csv"), "-o", str(scored[1]), "--params", "params.yaml", "--capacity", "100"],
        ["sources", "--data", str(outdir / "leads.csv"), "--spend", str(outdir / "source_spend.csv"),
         "--scored", str(scored[0]), str(scored[1]), "--params", "params.yaml",
         "-o", str(outdir / "report.html"), "--csv", str(outdir / "sources.csv")],
    ]


def demo_outputs(outdir: Path) -> list[str]:
    return [
        f"  scored lists: {outdir}/new_prize_draw.scored.csv, {outdir}/new_strong.scored.csv "
        "(p_accept, score, tier, reasons, score_error per lead; verdicts in *.sources.csv)",
        f"  source report: {outdir}/report.html (open it in a browser), table {outdir}/sources.csv, "
        f"disputed leads {outdir}/report.disputed.csv",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--outdir", default="demo")
    parser.add_argument("--leads", type=int, default=50_000)
    args = parser.parse_args(argv)
    return run(Path(args.outdir), args.leads)

