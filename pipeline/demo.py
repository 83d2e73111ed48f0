"""`make demo`: demo data -> train and register -> score the two new lists -> source report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.cli import main as leadsift


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
        "  MLflow UI:   .venv/bin/mlflow ui --backend-store-uri sqlite:///mlflow.db  -> http://127.0.0.1:5000\n"
        "               (experiment 'leadsift', registered model 'leadsift', alias 'champion')"
    )
    for line in demo_outputs(outdir):
        print(line)
    return 0


def demo_followups(outdir: Path) -> list[list[str]]:
    """Stages after training that this version of leadsift has."""
    return []


def demo_outputs(outdir: Path) -> list[str]:
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--outdir", default="demo")
    parser.add_argument("--leads", type=int, default=50_000)
    args = parser.parse_args(argv)
    return run(Path(args.outdir), args.leads)


if __name__ == "__main__":
    sys.exit(main())
