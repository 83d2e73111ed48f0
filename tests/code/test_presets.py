"""CRM export presets on small sample exports: columns, values, outcomes and parsing as the CRMs write them."""

from pathlib import Path

import pandas as pd
import pytest

from leadsift.errors import ParamsError
from leadsift.features.contract import parse_contract
from leadsift.params import DataParams, params_from_dict
from leadsift.pipeline.columns import to_contract
from leadsift.pipeline.crm import available, effective, load_preset, with_preset
from leadsift.pipeline.files import read_table

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def _contract(name: str, **data):
    frame = read_table(SAMPLES / f"{'salesforce_leads' if name == 'salesforce' else 'hubspot_contacts'}.csv")
    params = DataParams(preset=name, **data)
    out, notes = to_contract(frame, params, f"{name} sample")
    hints, _ = effective(params)
    return frame, out, notes, parse_contract(out, with_outcomes=True, decimal=hints.decimal, dayfirst=hints.dayfirst)


def test_both_presets_are_shipped_and_valid():
    assert available() == ["hubspot", "salesforce"]
    assert all(load_preset(name).id_column for name in available())


def test_salesforce_export_reads_as_the_contract():
    raw, out, notes, parsed = _contract("salesforce")
    typed = parsed.typed
    assert typed["lead_id"].tolist() == raw["Lead ID"].tolist()
    assert typed["created_at"].tolist()[:2] == [pd.Timestamp("2025-11-23 10:04"), pd.Timestamp("2025-11-24")]
    assert typed["annual_revenue"].fillna(-1).tolist() == [2158000.0, -1, 45000000.0, 9900000.0, 800000.0]
    assert typed["employees"][2] == 1200
    assert typed["company_domain"].fillna("-").tolist() == [
        "acme-robotics.example", "-", "brightpath.example", "northwind.example", "southwind.example"]
    assert typed["sales_status"].fillna("-").tolist() == ["accepted", "rejected", "unworked", "-", "-"]
    assert typed["status_at"][0] == pd.Timestamp("2025-12-01") and typed["status_at"][1] == pd.Timestamp("2025-12-03 16:15")
    assert {"Rating", "State/Province", "Lead Owner"} <= set(out.columns)  # the extras pass through
    assert parsed.problems.eq("").all(), parsed.problems.tolist()
    assert notes == ["Lead Status 'Nurturing' (1 rows): no outcome rule of the salesforce preset covers it, so no outcome; "
                     "map it under data.values.sales_status (accepted, rejected or unworked)"]


def test_a_value_map_covers_a_picklist_value_the_preset_does_not():
    _, _, notes, parsed = _contract("salesforce", values={"sales_status": {"Nurturing": "unworked"}})
    assert parsed.typed["sales_status"][4] == "unworked" and notes == []


def test_hubspot_export_reads_as_the_contract():
    raw, out, notes, parsed = _contract("hubspot")
    typed = parsed.typed
    assert typed["source"].tolist() == ["Google Ads - Brand", "Offline Sources", "Organic Search", "Partner X"]
    assert typed["source_type"].tolist() == ["paid_search", "other", "organic", "referral"]
    assert typed["sales_status"].fillna("-").tolist() == ["accepted", "rejected", "unworked", "-"]
    assert typed["status_at"][0] == pd.Timestamp("2025-12-01 09:00") and pd.isna(typed["status_at"][2])
    assert typed["page_views"].tolist() == [14, 1, 6, 3] and notes == []


def test_explicit_columns_override_the_preset():
    frame = read_table(SAMPLES / "salesforce_leads.csv")
    out, _ = to_contract(frame, DataParams(preset="salesforce", columns={"Lead Owner": "source"}), "sample")
    assert out["source"].tolist()[0] == "Dana Reyes"


def test_an_unknown_preset_lists_the_ones_there_are():
    with pytest.raises(ParamsError, match="unknown preset 'pipedrive'; available: hubspot, salesforce"):
        with_preset(params_from_dict({}), "pipedrive")
    with pytest.raises(ParamsError, match="unknown preset"):
        with_preset(params_from_dict({"data": {"preset": "zoho"}}), None)


def test_the_presets_conventions_hold_when_params_leave_them_null():
    _, _, _, parsed = _contract("salesforce", decimal=None, dayfirst=None)  # as the project's params.yaml writes them
    assert parsed.problems.eq("").all(), parsed.problems.tolist()
