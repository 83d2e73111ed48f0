"""Write the fixed scoring case that tests/model/test_score_identical.py replays byte for byte.

    .venv/bin/python tests/samples/scoring/make_golden.py

Trains a small LightGBM model on demo data (its bundle is kept here as plain files, so the test
does not depend on training being bit-identical across machines or library versions), writes a
list of demo leads with the problems real lists have (unparsable and oddly formatted numbers,
dates and booleans, duplicates within and across chunks, blank rows, padded and re-cased sources,
formula-like cells, non-Latin text, future dates), and scores it with the scorer of the day.

Run it again only when a change to the output is intended, and say so in the commit.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
AS_OF = pd.Timestamp("2026-11-20T12:00:00")
CHUNK_ROWS = 700  # small, so that duplicates and sources span chunks
OUTCOMES = ["sales_status", "status_at", "closed_won", "won_at", "won_amount"]


def odd_list(leads: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Demo leads as text, with a problem on about one row in five."""
    frame = leads.drop(columns=[c for c in OUTCOMES if c in leads.columns]).astype("str")
    frame = frame.where(leads.notna(), "")
    n = len(frame)

    def rows(share: float) -> np.ndarray:
        return rng.choice(n, size=max(1, int(n * share)), replace=False)

    for i in rows(0.02):
        frame.loc[i, "employees"] = rng.choice(["twelve", "-5", "1e9", "  250 ", "1,200", "1.200", "n/a"])
    for i in rows(0.03):
        frame.loc[i, "annual_revenue"] = rng.choice(["$2,158,000", "€ 1.234.567,50", "1.5e6", "USD 900000", "12,5", "?"])
    for i in rows(0.02):
        frame.loc[i, "cost"] = rng.choice(["£12.50", "12,50", "-3", "free", "1 200"])
    for i in rows(0.03):
        frame.loc[i, "created_at"] = rng.choice(
            ["03/04/2026", "2026/10/01 10:00", "31.12.2025", "now", "2026-13-01", "2026-02-30", "2031-01-01T00:00:00",
             "2026-09-30T08:00:00Z", "2026-09-30 08:00:00+02:00", "1960-01-01"])
    for i in rows(0.02):
        frame.loc[i, "last_activity_at"] = rng.choice(["", "yesterday", "10/11/2026 9:15 PM", "2026-10-11"])
    for i in rows(0.03):
        frame.loc[i, "demo_requested"] = rng.choice(["Yes", "N", "maybe", "1", "TRUE", " "])
    for i in rows(0.03):
        frame.loc[i, "source"] = rng.choice(["  " + frame.loc[i, "source"].upper() + " ", "", "=cmd|' /C calc'!A0",
                                             "Trade  show\u00a0booth", "@evil-list"])
    for i in rows(0.02):
        frame.loc[i, "job_title"] = rng.choice(["Директор", "V.P. Sales & Marketing", "", "=HYPERLINK(\"x\")", "CEO/Founder"])
    for i in rows(0.02):
        frame.loc[i, "email"] = rng.choice(["", "not-an-email", "JANE@GMAIL.COM", " bob@yahoo.co.uk "])
    for i in rows(0.01):
        frame.loc[i, "phone"] = rng.choice(["+1 (555) 010-9999", "0000000", "call me", "+44 20 7946 0958"])
    blank = rows(0.005)
    frame.loc[blank, [c for c in frame.columns if c != "lead_id"]] = ""
    later = rows(0.02)
    frame.loc[later, "lead_id"] = frame["lead_id"].iloc[rng.integers(0, n, len(later))].to_numpy()  # duplicates
    frame.loc[rows(0.005), "lead_id"] = ""
    return frame


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from leadsift.models.bundle import save_bundle
    from leadsift.params import load_params
    from leadsift.pipeline.demo.simulator import write_demo_data
    from leadsift.pipeline.score import score_file
    from leadsift.pipeline.tracking import load_champion
    from leadsift.pipeline.train import run_training

    work = Path(tempfile.mkdtemp(prefix="leadsift-golden-"))
    demo = write_demo_data(work / "demo", n_leads=4_000, seed=31)
    params = load_params(ROOT / "params.yaml")
    params = params.model_copy(update={"model": params.model.model_copy(update={"kind": "lightgbm"}),
                                       "score": params.score.model_copy(update={"chunk_rows": CHUNK_ROWS})})
    os.environ["MLFLOW_TRACKING_URI"] = f"sqlite:///{work}/mlflow.db"
    run_training(demo["leads"], None, params, out=io.StringIO())
    bundle, _ = load_champion(None, params.registry.model_name)
    shutil.rmtree(HERE / "bundle", ignore_errors=True)
    save_bundle(bundle, HERE / "bundle")
    leads = pd.read_csv(demo["leads"], dtype="str", keep_default_na=False)
    listing = odd_list(leads.iloc[-3_000:].reset_index(drop=True), np.random.default_rng(31))
    listing.to_csv(HERE / "list.csv", index=False)
    score_file(HERE / "list.csv", HERE / "list.scored.csv", params, as_of=AS_OF, progress=False, out=io.StringIO())
    print(f"wrote {HERE / 'bundle'}, {HERE / 'list.csv'} and its scores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
