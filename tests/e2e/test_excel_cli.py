"""End to end: Excel lists through `leadsift score`, `sources` and `train` (pipeline.cli.main).

The session's small model is champion of the tracking store these tests see; every workbook is made
here with openpyxl from a demo list, with its cells typed as a person types them in Excel.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import leadsift.pipeline.chunk_scorer
from leadsift.models.scoring import OUTPUT_COLUMNS
from leadsift.pipeline.cli import main
from leadsift.pipeline.files import read_table, write_table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from excel_files import make_workbook  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
PARAMS = str(ROOT / "params.yaml")
PHONE, CRM_ID, POSTCODE, FORMULA = "+1 (415) 555-0100", "00123", "02139", "=SUM(A1)"
NUMBERS = ("cost", "employees", "annual_revenue", "page_views", "form_fills", "email_clicks", "intent_score")
BOOLEANS = ("webinar_attended", "demo_requested")
DATES = ("created_at", "last_activity_at")


@pytest.fixture(scope="module")
def env(small_model):  # noqa: ANN001, ANN201
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MLFLOW_TRACKING_URI", small_model.store)
        yield small_model


def typed_rows(csv: Path, n: int) -> tuple[list[str], list[list]]:
    """A demo list as Excel holds it: numbers as numbers, dates as dates, yes/no as booleans, the rest text;
    plus CRM columns whose text looks like a number or a formula."""
    text = read_table(csv).head(n)
    header = [*text.columns, "postcode", "crm_id", "crm_note", "crm_amount"]
    rows = []
    for i, r in enumerate(text.to_dict("records")):
        row = []
        for name, v in r.items():
            if pd.isna(v):
                row.append(None)
            elif name in NUMBERS:
                row.append(float(v) if "." in v else int(v))
            elif name in BOOLEANS:
                row.append(v == "true")
            elif name in DATES:
                row.append(dt.datetime.fromisoformat(v))
            else:
                row.append(v)
        row[header.index("phone")] = PHONE if i == 0 else row[header.index("phone")]
        rows.append([*row, POSTCODE, CRM_ID if i == 0 else f"C{i:04d}", FORMULA if i == 0 else f"note {i}", 12.5 + i])
    return header, rows


def columns_of(path: Path, sheet: str) -> dict[str, list[openpyxl.cell.cell.Cell]]:
    ws = openpyxl.load_workbook(path)[sheet]
    rows = list(ws.iter_rows())
    return {head.value: [row[i] for row in rows[1:]] for i, head in enumerate(rows[0])}


def params_file(tmp_path: Path, chunk_rows: int) -> str:
    path = tmp_path / f"params_chunk_{chunk_rows}.yaml"
    path.write_text(f"score:\n  chunk_rows: {chunk_rows}\n", encoding="utf-8")
    return str(path)


@pytest.fixture()
def workbook(env, tmp_path) -> Path:  # noqa: ANN001
    header, rows = typed_rows(env.demo["new_strong"], 40)
    return make_workbook(tmp_path / "expo.xlsx", {"Leads": [header, *rows]})


def test_xlsx_in_and_out_keeps_every_cell_puts_scores_first_and_adds_the_verdicts(env, workbook, tmp_path, capsys):
    out = tmp_path / "expo.scored.xlsx"
    assert main(["score", str(workbook), "-o", str(out), "--params", params_file(tmp_path, 16)]) == 0
    capsys.readouterr()

    given, scored = columns_of(workbook, "Leads"), columns_of(out, "leads")
    assert list(scored) == ["lead_id", *OUTPUT_COLUMNS, *(c for c in given if c != "lead_id")]
    for name, cells in given.items():  # every input cell: same value, same type, same row
        assert [(c.value, c.data_type) for c in scored[name]] == [(c.value, c.data_type) for c in cells], name
    assert (scored["phone"][0].value, scored["crm_id"][0].value, scored["postcode"][0].value) == (PHONE, CRM_ID, POSTCODE)
    assert {c.data_type for c in scored["postcode"]} == {"s"} and {c.data_type for c in scored["employees"]} == {"n"}
    assert scored["crm_note"][0].value == FORMULA and scored["crm_note"][0].data_type == "s"
    assert scored["created_at"][0].is_date and isinstance(scored["created_at"][0].value, dt.datetime)
    assert {c.data_type for c in scored["p_accept"]} == {"n"} and all(0 < c.value < 1 for c in scored["p_accept"])
    assert all(c.alignment.wrap_text for c in scored["reasons"]) and len(scored["reasons"][0].value) > 20

    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["leads", "sources"]
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f" and not (isinstance(cell.value, str) and cell.value.startswith("'"))
    assert book["leads"].max_row == 41 and book["leads"].column_dimensions["E"].width == 80
    # The verdicts sheet is the table written beside the output as CSV.
    beside = pd.read_csv(tmp_path / "expo.scored.sources.csv")
    sheet = pd.read_excel(out, sheet_name="sources", engine="openpyxl")
    assert list(sheet.columns) == list(beside.columns)
    pd.testing.assert_frame_equal(sheet[["source", "rows", "verdict"]], beside[["source", "rows", "verdict"]])
    assert sheet["expected_accept_rate"].to_numpy() == pytest.approx(beside["expected_accept_rate"].to_numpy())


def test_xlsx_to_csv_for_crm_reimport_keeps_text_as_text(env, workbook, tmp_path, capsys):
    out = tmp_path / "expo.scored.csv"
    assert main(["score", str(workbook), "-o", str(out), "--params", PARAMS]) == 0
    capsys.readouterr()
    back = pd.read_csv(out, dtype="str", keep_default_na=False)
    assert len(back) == 40 and back["lead_id"].tolist() == [c.value for c in columns_of(workbook, "Leads")["lead_id"]]
    first = back.iloc[0]
    assert (first["crm_id"], first["postcode"]) == (CRM_ID, POSTCODE)
    # CSV quotes what a spreadsheet would run (a phone starting with +, too): .xlsx is the format for Excel.
    assert (first["phone"], first["crm_note"]) == ("'" + PHONE, "'" + FORMULA)
    assert first["crm_amount"] == "12.5" and first["employees"].isdigit()


def test_capacity_with_xlsx_changes_tiers_only(env, workbook, tmp_path, capsys):
    plain, capped = tmp_path / "plain.xlsx", tmp_path / "capped.xlsx"
    chunks = params_file(tmp_path, 16)
    assert main(["score", str(workbook), "-o", str(plain), "--params", chunks]) == 0
    assert main(["score", str(workbook), "-o", str(capped), "--params", chunks, "--capacity", "5"]) == 0
    capsys.readouterr()
    before, after = columns_of(plain, "leads"), columns_of(capped, "leads")
    assert [c.value for c in after["tier"]].count("A") == 5
    for name in before:
        if name != "tier":
            assert [(c.value, c.data_type) for c in after[name]] == [(c.value, c.data_type) for c in before[name]], name
    p = np.array([c.value for c in after["p_accept"]])
    is_a = np.array([c.value == "A" for c in after["tier"]])
    assert p[is_a].min() >= p[~is_a].max()


def test_sheet_picks_the_list_and_a_missing_one_lists_the_sheets(env, tmp_path, capsys):
    header, rows = typed_rows(env.demo["new_strong"], 10)
    src = make_workbook(tmp_path / "book.xlsx", {"Notes": [["who", "what"], ["me", "a note"]], "Leads": [header, *rows]})
    out = tmp_path / "out" / "scored.xlsx"
    assert main(["score", str(src), "-o", str(out), "--sheet", "Leads", "--params", PARAMS]) == 0
    capsys.readouterr()
    assert [c.value for c in columns_of(out, "leads")["lead_id"]] == [r[0] for r in rows]

    out.unlink()
    out.with_name("scored.sources.csv").unlink()
    assert main(["score", str(src), "-o", str(out), "--sheet", "Lead", "--params", PARAMS]) == 2
    err = capsys.readouterr().err
    assert "book.xlsx has no sheet 'Lead'; its sheets are 'Notes', 'Leads': give one of them to --sheet" in err
    assert len(err.strip().splitlines()) == 1 and os.listdir(out.parent) == []
    assert main(["train", "--data", str(src), "--sheet", "Lead", "--params", PARAMS]) == 2
    assert "its sheets are 'Notes', 'Leads'" in capsys.readouterr().err


@pytest.mark.parametrize("capacity", [None, 5])
def test_a_run_failing_midway_leaves_no_workbook_and_no_staged_rows(env, workbook, tmp_path, monkeypatch, capsys, capacity):
    real = leadsift.pipeline.chunk_scorer.score_details
    calls = []

    def fail_on_second_chunk(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        return real(*args, **kwargs)

    monkeypatch.setattr(leadsift.pipeline.chunk_scorer, "score_details", fail_on_second_chunk)
    staged = tmp_path / "tmp"
    staged.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(staged))  # where openpyxl stages each sheet's rows
    folder = tmp_path / "out"
    folder.mkdir()
    argv = ["score", str(workbook), "-o", str(folder / "scored.xlsx"), "--params", params_file(tmp_path, 16)]
    assert main(argv + (["--capacity", str(capacity)] if capacity else [])) == 1
    assert "RuntimeError: disk on fire" in capsys.readouterr().err and len(calls) == 2
    assert os.listdir(folder) == [] and os.listdir(staged) == []


def test_sources_reads_a_sheet_and_writes_the_table_as_xlsx(env, tmp_path, capsys):
    history = read_table(env.demo["leads"])
    src = write_table(history, tmp_path / "history.xlsx", sheet="History")
    html, csv, xlsx = tmp_path / "r.html", tmp_path / "table.csv", tmp_path / "table.xlsx"
    argv = ["sources", "--data", str(src), "--sheet", "History", "-o", str(html), "--csv", str(csv), "--xlsx", str(xlsx),
            "--params", PARAMS, "--no-model"]
    assert main(argv) == 0
    assert f"wrote table: {xlsx}" in capsys.readouterr().out
    book = openpyxl.load_workbook(xlsx)
    ws = book["sources"]
    assert book.sheetnames == ["sources"] and ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"
    assert all(6 <= d.width <= 60 for d in ws.column_dimensions.values())
    table, sheet = pd.read_csv(csv), pd.read_excel(xlsx, sheet_name="sources", engine="openpyxl")
    assert list(sheet.columns) == list(table.columns) and len(sheet) == len(table)
    assert sheet["name"].tolist() == table["name"].tolist()
    assert main(["sources", "--data", str(src), "-o", str(html), "--xlsx", str(tmp_path / "t.csv"), "--no-model"]) == 2
    assert "--xlsx writes an Excel workbook: give it a file ending in .xlsx" in capsys.readouterr().err
