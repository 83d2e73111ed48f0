"""How far training on one machine goes: `leadsift train` on demo histories of growing size.

    .venv/bin/python bench/bench_train_scale.py [--leads 1000000 3000000 10000000]

For each size, in a child process: wall time and peak resident memory (the child's maximum RSS,
from the operating system), with the stage lines `leadsift train` prints, so that the step that
grows fastest shows. Demo histories are generated once into the bench cache (bench/_common.py).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, demo_dir, fresh_store  # noqa: E402


def train_once(leads: Path) -> tuple[float, float, str]:
    """Seconds, peak RSS in MiB, and the printed output of one `leadsift train` child."""
    cmd = [sys.executable, "-m", "leadsift.pipeline.cli", "train", "--data", str(leads),
           "--params", str(ROOT / "params.yaml")]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=os.environ.copy(), check=False)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"training on {leads} failed: {done.stderr.strip().splitlines()[-1:]}")
    # ru_maxrss of children is the largest of any child waited for: one child per process run here
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, nargs="+", default=[1_000_000, 3_000_000, 10_000_000])
    args = parser.parse_args()
    for n in args.leads:
        folder = demo_dir(n)
        fresh_store(f"bench-train-scale-{n}")
        seconds, peak, printed = train_once(folder / "leads.csv")
        print(f"{n:>12,} leads: {seconds:8.1f} s wall, {n / seconds:10,.0f} leads/s, peak RSS {peak:9,.0f} MiB "
              "(largest child so far)", flush=True)
        for line in printed.splitlines():
            if line.lstrip().startswith(("[", "history excess")):  # the numbered steps, with their times
                print(f"    {line.strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
