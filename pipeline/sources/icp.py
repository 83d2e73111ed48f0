"""The ideal customer profile per lead: which criteria it meets, and the history's rate for that many."""

from __future__ import annotations

import numpy as np
import pandas as pd

from leadsift.features.build import icp_fit
from leadsift.params import IcpParams


def icp_criteria(typed: pd.DataFrame, icp: IcpParams) -> pd.DataFrame:
    """ICP fit per lead plus `icp_configured` (criteria in params), `icp_full`, `icp_none` and a text list."""
    fit = icp_fit(typed, icp)
    named = {"icp_size_fit": "size", "icp_industry_fit": "industry", "icp_country_fit": "country"}
    configured = ["icp_size_fit"]
    if icp.industries:
        configured.append("icp_industry_fit")
    if icp.countries:
        configured.append("icp_country_fit")
    met_text = pd.Series("", index=typed.index, dtype="str")
    for column in configured:
        hit = (fit[column] == 1.0).to_numpy()
        met_text = pd.Series(
            np.where(hit, np.where(met_text == "", named[column], met_text + ", " + named[column]), met_text),
            index=typed.index,
            dtype="str",
        )
    sub = fit[configured]
    return fit.assign(
        icp_configured=len(configured),
        icp_met=(sub == 1.0).sum(axis=1).astype("int64"),
        icp_full=(sub == 1.0).all(axis=1),
        icp_none=((sub == 0.0).all(axis=1)),
        icp_text=met_text,
    )


def icp_scores(typed: pd.DataFrame, leads: pd.DataFrame, icp: IcpParams) -> pd.DataFrame:
    """Without a model: each lead's expected acceptance is the history's rate for its number of ICP criteria met."""
    crit = icp_criteria(typed, icp)
    met = crit["icp_met"]
    worked = leads["worked"].astype(bool)
    rates = leads.loc[worked, "accepted"].groupby(met[worked]).mean()
    overall = leads.loc[worked, "accepted"].mean() if bool(worked.any()) else np.nan
    p = met.map(rates).astype("float64").fillna(overall)
    return pd.DataFrame({"p_accept": p, "score": met.astype("float64"), "tier": "", "reasons": ""}, index=typed.index)
