"""A lead history in which accounts differ in a way no field shows: each account's hidden lean adds to
its leads' acceptance log-odds. Used to check that the history excess features find it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd


def write_account_effect_history(path: Path, n_leads: int = 6_000, n_accounts: int = 500, seed: int = 1,
                                 lean_sd: float = 1.2) -> Path:
    rng = np.random.default_rng(seed)
    lean = rng.normal(0.0, lean_sd, n_accounts)
    size = np.round(np.exp(rng.normal(np.log(80), 1.3, n_accounts))).astype(int) + 1
    account = rng.integers(0, n_accounts, n_leads)
    created = pd.Timestamp("2025-01-01") + pd.to_timedelta(np.sort(rng.uniform(0, 540, n_leads)), unit="D")
    sources = np.array(["Webinar", "Paid search", "Partner", "Trade show"])
    source = rng.integers(0, len(sources), n_leads)
    views = rng.poisson(3, n_leads)
    logit = -1.2 + 0.35 * np.log10(size[account]) + np.array([0.4, -0.5, 0.8, -0.2])[source] + 0.12 * views + lean[account]
    accepted = rng.random(n_leads) < 1 / (1 + np.exp(-logit))
    frame = pd.DataFrame({
        "lead_id": [f"A{i:05d}" for i in range(n_leads)],
        "created_at": created.strftime("%Y-%m-%dT%H:%M:%S"),
        "source": sources[source],
        "company_domain": [f"northwind{a}tools.com" for a in account],
        "employees": size[account],
        "page_views": views,
        "sales_status": np.where(accepted, "accepted", "rejected"),
        "status_at": (created + pd.Timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%S"),
        "p_accept_true": 1 / (1 + np.exp(-logit)),
    })
    frame.drop(columns="p_accept_true").to_csv(path, index=False)
    frame[["lead_id", "p_accept_true"]].to_csv(path.with_name(path.stem + ".truth.csv"), index=False)
    return path
