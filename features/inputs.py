"""Which input columns each feature is built from, so that a list without them can be told so.

History features look a lead up at its created_at, or at the snapshot's end without one: a
missing created_at changes when, not whether, so it is not counted as their input.
"""

from __future__ import annotations

from leadsift.params import FeatureParams

ACCOUNT = ("company_domain", "company", "email")
BANT = ("budget", "authority", "need", "timing")

_ROW_INPUTS: dict[str, tuple[str, ...]] = {
    "seniority": ("job_title",), "job_function": ("job_title",), "decision_maker": ("job_title",),
    "email_kind": ("email", "company_domain"), "phone_quality": ("phone",),
    "junk_name": ("first_name", "last_name"), "name_missing": ("first_name", "last_name"),
    "icp_size_fit": ("employees",), "icp_industry_fit": ("industry",), "icp_country_fit": ("country",),
    "icp_fit_count": ("employees", "industry", "country"),
    "created_weekday": ("created_at",), "days_since_activity": ("created_at", "last_activity_at"),
    "bant_answered": BANT, "bant_yes": BANT,
}
_HISTORY_SUFFIXES = ("_accept_rate_recent", "_won_rate_recent", "_accept_rate", "_won_rate", "_outcomes",
                     "_prior_leads", "_recent_leads", "_accept_excess")


def feature_inputs(feature: str, params: FeatureParams) -> tuple[str, ...]:
    """The input columns `feature` is computed from (by the name `FeatureBuilder` gives it)."""
    if feature in _ROW_INPUTS:
        return _ROW_INPUTS[feature]
    if feature.startswith("account_"):
        return ACCOUNT
    for key in ("source_type", "source", *params.history_keys):
        if any(feature == key + suffix for suffix in _HISTORY_SUFFIXES):
            return (key,)
    return (feature,)  # a column used as it is: employees, demo_requested, industry, your extra fields
