"""Lead histories as Salesforce and HubSpot export them, made from contract-form demo data, and the same
information kept in contract form (for comparing a model trained through a preset with one trained on it)."""

from __future__ import annotations

import numpy as np
import pandas as pd

SF_STATUS = {"accepted": "Closed - Converted", "rejected": "Closed - Not Converted", "unworked": "Open - Not Contacted"}
HS_CHANNEL = {
    "inbound_demo": "Direct Traffic", "webinar": "Other Campaigns", "content": "Organic Search", "tradeshow": "Offline Sources",
    "prize_draw": "Offline Sources", "purchased_list": "Offline Sources", "referral": "Referrals", "partner": "Referrals",
    "paid_search": "Paid Search", "organic": "Organic Search", "social": "Social Media", "email": "Email Marketing",
    "other": "Other Campaigns",
}
HS_TYPE = {"Direct Traffic": "other", "Other Campaigns": "other", "Organic Search": "organic", "Offline Sources": "other",
           "Referrals": "referral", "Paid Search": "paid_search", "Social Media": "social", "Email Marketing": "email"}
SHARED = ["lead_id", "created_at", "source", "first_name", "last_name", "job_title", "company", "company_domain", "email",
          "phone", "employees", "annual_revenue", "industry", "country"]


def _us_datetime(text: pd.Series) -> pd.Series:
    when = pd.to_datetime(text, errors="coerce")
    return when.dt.strftime("%m/%d/%Y %I:%M %p").where(when.notna(), "")


def _us_date(text: pd.Series) -> pd.Series:
    when = pd.to_datetime(text, errors="coerce")
    return when.dt.strftime("%m/%d/%Y").where(when.notna(), "")


def _day(text: pd.Series) -> pd.Series:
    when = pd.to_datetime(text, errors="coerce")
    return when.dt.strftime("%Y-%m-%d").where(when.notna(), "")


def _grouped(values: pd.Series, prefix: str = "") -> pd.Series:
    number = pd.to_numeric(values, errors="coerce")
    return number.map(lambda v: "" if pd.isna(v) else f"{prefix}{v:,.0f}")


def _with_outcomes(leads: pd.DataFrame) -> pd.DataFrame:
    """New lists have no outcome columns yet."""
    missing = {c: pd.Series(pd.NA, index=leads.index, dtype="str") for c in ("sales_status", "status_at") if c not in leads}
    return leads.assign(**missing)


def salesforce_export(leads: pd.DataFrame, seed: int = 1) -> pd.DataFrame:
    """A Leads report export: standard labels, US dates, "$2,158,000" amounts, websites as URLs, Lead Status picklist."""
    rng = np.random.default_rng(seed)
    leads = _with_outcomes(leads)
    status = leads["sales_status"].fillna("")
    modified = leads["status_at"].where(status == "rejected", leads["created_at"])
    return pd.DataFrame({
        "Lead ID": leads["lead_id"],
        "Created Date": _us_datetime(leads["created_at"]),
        "Lead Source": leads["source"],
        "First Name": leads["first_name"], "Last Name": leads["last_name"], "Title": leads["job_title"],
        "Company": leads["company"],
        "Website": ("https://www." + leads["company_domain"] + "/about").where(leads["company_domain"].notna(), ""),
        "Email": leads["email"], "Phone": leads["phone"],
        "No. of Employees": _grouped(leads["employees"]),
        "Annual Revenue": _grouped(leads["annual_revenue"], "$"),
        "Industry": leads["industry"], "Country": leads["country"],
        "Lead Status": status.map(SF_STATUS).fillna("Working - Contacted"),
        "Converted Date": _us_date(leads["status_at"].where(status == "accepted")),
        "Last Modified Date": _us_date(modified),
        "Rating": rng.choice(["Hot", "Warm", "Cold"], len(leads)),
        "State/Province": rng.choice(["CA", "NY", "TX", ""], len(leads)),
        "Lead Owner": rng.choice(["Dana Reyes", "Sam Ito"], len(leads)),
    })


def salesforce_contract(leads: pd.DataFrame) -> pd.DataFrame:
    """The information of `salesforce_export`, as a data scientist would write it in contract form."""
    status = leads["sales_status"].where(leads["sales_status"].isin(list(SF_STATUS)))
    return leads[SHARED].assign(
        created_at=pd.to_datetime(leads["created_at"]).dt.floor("min").dt.strftime("%Y-%m-%dT%H:%M:%S"),
        sales_status=status, status_at=_day(leads["status_at"].where(status.isin(["accepted", "rejected"]))),
    )


def hubspot_export(leads: pd.DataFrame) -> pd.DataFrame:
    """A contacts export: standard property labels, channel and campaign in Original Source fields, lifecycle stages."""
    leads = _with_outcomes(leads)
    status = leads["sales_status"].fillna("")
    won = leads.get("closed_won", pd.Series("false", index=leads.index)).astype("str").str.lower().eq("true")
    stage = np.where(status == "accepted", np.where(won, "Customer", "Sales Qualified Lead"), "Lead")
    lead_status = status.map({"rejected": "Unqualified", "unworked": "New", "accepted": "Open Deal"}).fillna("In Progress")
    modified = leads["status_at"].where(status == "rejected", leads["created_at"])
    return pd.DataFrame({
        "Record ID": leads["lead_id"].str.replace(r"\D", "", regex=True),
        "Create Date": pd.to_datetime(leads["created_at"]).dt.strftime("%Y-%m-%d %H:%M"),
        "Original Source": leads["source_type"].map(HS_CHANNEL).fillna("Other Campaigns"),
        "Original Source Drill-Down 1": leads["source"],
        "First Name": leads["first_name"], "Last Name": leads["last_name"], "Email": leads["email"],
        "Phone Number": leads["phone"], "Job Title": leads["job_title"], "Company Name": leads["company"],
        "Company Domain Name": leads["company_domain"], "Number of Employees": leads["employees"],
        "Annual Revenue": leads["annual_revenue"], "Industry": leads["industry"], "Country/Region": leads["country"],
        "Number of Pageviews": leads["page_views"], "Number of Form Submissions": leads["form_fills"],
        "Lifecycle Stage": stage, "Lead Status": lead_status,
        "Became a Sales Qualified Lead Date": pd.to_datetime(leads["status_at"].where(status == "accepted"))
        .dt.strftime("%Y-%m-%d %H:%M"),
        "Last Modified Date": pd.to_datetime(modified).dt.strftime("%Y-%m-%d %H:%M"),
    })


def hubspot_contract(leads: pd.DataFrame) -> pd.DataFrame:
    """The information of `hubspot_export` in contract form (the channel as coarse as HubSpot's)."""
    status = leads["sales_status"]
    return leads[[*SHARED, "page_views", "form_fills"]].assign(
        lead_id=leads["lead_id"].str.replace(r"\D", "", regex=True),
        created_at=pd.to_datetime(leads["created_at"]).dt.floor("min").dt.strftime("%Y-%m-%dT%H:%M:%S"),
        source_type=leads["source_type"].map(HS_CHANNEL).fillna("Other Campaigns").map(HS_TYPE),
        sales_status=status.where(status.isin(["accepted", "rejected", "unworked"])),
        status_at=pd.to_datetime(leads["status_at"].where(status.isin(["accepted", "rejected"]))).dt.floor("min")
        .dt.strftime("%Y-%m-%dT%H:%M:%S"),
    )
