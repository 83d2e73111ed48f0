"""Excel workbooks in and out (pipeline/excel.py through pipeline/files.py): cells keep their value and
type, no cell is ever a formula, sheets are chosen by name, broken workbooks are one error naming the file.

Every workbook is made here with openpyxl, small."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from leadsift.errors import ContractError
from leadsift.pipeline.excel import ScoredWorkbook
from leadsift.pipeline.files import ChunkWriter, atomic_path, check_input, file_kind, iter_table, read_table, write_table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from excel_files import make_workbook  # noqa: E402

PHONE, LEAD_ID, POSTCODE, FORMULA = "+1 (415) 555-0100", "00123", "02139", "=SUM(A1)"
HEADER = ["lead_id", "source", "phone", "postcode", "employees", "created_at", "note"]


def leads_rows(n: int = 3) -> list[list]:
    rows = [HEADER, [LEAD_ID, "Webinar", PHONE, POSTCODE, 250, dt.datetime(2026, 10, 1, 9, 30), FORMULA]]
    rows += [[f"L{i}", "Expo", None, "SW1A 1AA", i * 10, dt.datetime(2026, 10, 2), f"row {i}"] for i in range(2, n + 1)]
    return rows


def cells(path: Path, sheet: str | None = None) -> list[list[openpyxl.cell.cell.Cell]]:
    book = openpyxl.load_workbook(path)
    ws = book[sheet] if sheet else book.worksheets[0]
    return [list(row) for row in ws.iter_rows()]


# --- reading ----------------------------------------------------------------------------------------

def test_cells_read_as_their_type_text_stays_text(tmp_path):
    src = make_workbook(tmp_path / "leads.xlsx", {"Leads": leads_rows()})
    assert file_kind(src) == "xlsx"
    frame = read_table(src)
    assert list(frame.columns) == HEADER
    first = frame.iloc[0]
    assert (first["lead_id"], first["phone"], first["postcode"], first["note"]) == (LEAD_ID, PHONE, POSTCODE, FORMULA)
    assert str(frame["employees"].dtype) == "Int64" and frame["employees"].tolist() == [250, 20, 30]
    assert str(frame["created_at"].dtype) == "datetime64[us]" and first["created_at"] == pd.Timestamp("2026-10-01 09:30")
    assert pd.api.types.is_string_dtype(frame["lead_id"]) and frame["phone"].isna().tolist() == [False, True, True]


def test_mixed_column_keeps_each_cell_and_goes_to_csv_as_text(tmp_path):
    rows = [["lead_id", "postcode"], ["L1", 2139], ["L2", "SW1A 1AA"], ["L3", None], ["L4", dt.datetime(2026, 1, 2)]]
    frame = read_table(make_workbook(tmp_path / "mixed.xlsx", {"s": rows}))
    assert frame["postcode"].tolist() == [2139, "SW1A 1AA", None, dt.datetime(2026, 1, 2)]
    with atomic_path(tmp_path / "out.csv") as tmp, ChunkWriter(tmp, "csv") as writer:
        writer.write(frame.iloc[:2])
        writer.write(frame.iloc[2:])
    assert (tmp_path / "out.csv").read_text().splitlines() == [
        '"lead_id","postcode"', '"L1","2139"', '"L2","SW1A 1AA"', '"L3",', '"L4","2026-01-02"']


def test_rows_come_in_order_and_none_dropped_whatever_the_chunks(tmp_path):
    rows = [["lead_id", "n"], *([f"L{i}", i] for i in range(10))]
    rows.insert(5, [None, None])  # an empty row is not a lead, as a blank line in a CSV
    rows.insert(8, [None, 7.5])   # a row with any cell filled is
    src = make_workbook(tmp_path / "l.xlsx", {"s": rows})
    chunks = list(iter_table(src, 3))
    assert [len(c) for c in chunks] == [3, 3, 3, 2]
    whole = pd.concat(chunks, ignore_index=True)
    assert whole["n"].tolist() == [0, 1, 2, 3, 4, 5, 7.5, 6, 7, 8, 9]
    assert whole["lead_id"].isna().tolist() == [False] * 6 + [True] + [False] * 4
    header_only = make_workbook(tmp_path / "h.xlsx", {"s": [["lead_id", "source"]]})
    (empty,) = iter_table(header_only, 3)
    assert list(empty.columns) == ["lead_id", "source"] and len(empty) == 0


def test_sheet_is_chosen_by_name_first_by_default(tmp_path):
    src = make_workbook(tmp_path / "book.xlsx", {"Notes": [["just", "notes"], ["a", "b"]], "Leads 2026": leads_rows()})
    assert list(read_table(src).columns) == ["just", "notes"]
    assert read_table(src, sheet="Leads 2026")["lead_id"].tolist() == [LEAD_ID, "L2", "L3"]
    assert len(read_table(src, sheet="leads 2026")) == 3  # Excel's own names ignore case
    with pytest.raises(ContractError, match=r"book.xlsx has no sheet 'Leads'; its sheets are 'Notes', 'Leads 2026'"):
        read_table(src, sheet="Leads")
    csv = tmp_path / "l.csv"
    csv.write_text("lead_id,source\nL1,x\n")
    with pytest.raises(ContractError, match="--sheet 'Leads' names a sheet of an Excel workbook, but .*l.csv is CSV"):
        read_table(csv, sheet="Leads")


def test_duplicate_or_headerless_columns_are_named(tmp_path):
    dupes = make_workbook(tmp_path / "d.xlsx", {"s": [["lead_id", "email", "email"], ["L1", "a@b.c", "d@e.f"]]})
    with pytest.raises(ContractError, match=r"d.xlsx, sheet 's': column name\(s\) \['email'\] appear more than once"):
        read_table(dupes)
    stray = make_workbook(tmp_path / "x.xlsx", {"s": [["lead_id", "source"], ["L1", "a", None, "stray"]]})
    with pytest.raises(ContractError, match=r"x.xlsx, sheet 's': cell D2 holds a value in a column without a header"):
        read_table(stray)
    blank = make_workbook(tmp_path / "b.xlsx", {"s": [[None], []]})
    with pytest.raises(ContractError, match="b.xlsx, sheet 's' is empty"):
        read_table(blank)


def test_broken_and_protected_workbooks_are_one_line_naming_the_file(tmp_path):
    garbage = tmp_path / "garbage.xlsx"
    garbage.write_text("lead_id,source\nL1,x\n")
    with pytest.raises(ContractError, match="garbage.xlsx is not an Excel workbook .is it CSV"):
        read_table(garbage)
    protected = tmp_path / "protected.xlsx"  # Excel saves an encrypted workbook as an OLE compound file
    protected.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(ContractError, match="protected.xlsx is password-protected"):
        read_table(protected)
    not_a_book = tmp_path / "zip.xlsx"
    with zipfile.ZipFile(not_a_book, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(ContractError, match=r"zip.xlsx could not be read as an Excel workbook") as err:
        read_table(not_a_book)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("name", ["old.xls", "macros.xlsm", "binary.xlsb"])
def test_other_excel_formats_are_refused_saying_to_save_as_xlsx(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"x")
    with pytest.raises(ContractError, match=r"which leadsift does not read or write; use .xlsx .in Excel: File > Save As"):
        check_input(path)
    with pytest.raises(ContractError, match="an .xlsx workbook compresses itself; drop the .gz"):
        file_kind(tmp_path / "leads.xlsx.gz")


# --- writing ----------------------------------------------------------------------------------------

def test_every_cell_keeps_value_and_type_and_none_is_a_formula(tmp_path):
    frame = read_table(make_workbook(tmp_path / "in.xlsx", {"s": leads_rows()}))
    frame["error_code"] = ["#N/A", "  padded  ", "a & <b>\r\nline"]
    frame["ratio"] = [0.25, np.nan, np.inf]
    frame["flag"] = [True, False, True]
    out = write_table(frame, tmp_path / "out.xlsx")
    rows = cells(out)
    assert [c.value for c in rows[0]] == [*HEADER, "error_code", "ratio", "flag"]
    first = {h: c for h, c in zip([c.value for c in rows[0]], rows[1], strict=True)}
    for name, value in (("lead_id", LEAD_ID), ("phone", PHONE), ("postcode", POSTCODE), ("note", FORMULA),
                        ("error_code", "#N/A")):
        assert (first[name].value, first[name].data_type) == (value, "s"), name
    assert (first["employees"].value, first["employees"].data_type) == (250, "n")
    assert first["created_at"].is_date and first["created_at"].value == dt.datetime(2026, 10, 1, 9, 30)
    assert (first["ratio"].value, first["flag"].value) == (0.25, True)
    assert [c.value for c in rows[2]][-3:] == ["  padded  ", None, False]  # NaN and infinity: empty cells
    assert rows[3][HEADER.index("phone")].value is None and rows[3][-3].value == "a & <b>\r\nline"
    for row in rows:
        for cell in row:
            assert cell.data_type != "f" and not (isinstance(cell.value, str) and cell.value.startswith("'"))
    assert read_table(out)["postcode"].tolist() == [POSTCODE, "SW1A 1AA", "SW1A 1AA"]


def test_table_sheet_has_frozen_bold_header_filter_and_widths(tmp_path):
    table = pd.DataFrame({"source": ["Webinar: security roundtable Dec 2026", "=evil"], "rows": [400, 12],
                          "note": ["x" * 200, ""]})
    out = write_table(table, tmp_path / "t.xlsx", sheet="sources")
    book = openpyxl.load_workbook(out)
    ws = book["sources"]
    assert book.sheetnames == ["sources"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:C3"
    assert ws["A1"].font.b and ws["A3"].value == "=evil" and ws["A3"].data_type == "s"
    widths = {k: v.width for k, v in ws.column_dimensions.items()}
    assert widths["A"] == len("Webinar: security roundtable Dec 2026") + 2 and 6 <= widths["B"] <= 10
    assert widths["C"] == 60 and ws["C2"].alignment.wrap_text  # long text wraps


def test_scored_workbook_puts_scores_after_the_lead_id_and_adds_sheets(tmp_path):
    frame = pd.DataFrame({"email": ["a@b.c", "d@e.f"], "Lead ID": ["00123", "L2"], "p_accept": [0.5, np.nan],
                          "score": pd.array([50, None], dtype="Int64"), "tier": ["B", ""],
                          "reasons": ["+ asked for a demo; - personal e-mail address", ""],
                          "score_error": ["", "source: missing; not scored"]})
    with atomic_path(tmp_path / "s.xlsx") as tmp, ChunkWriter(tmp, "xlsx", id_columns=["Lead ID", "lead_id"]) as writer:
        writer.write(frame.iloc[:1])
        writer.write(frame.iloc[1:])
        writer.add_sheet("sources", pd.DataFrame({"source": ["Webinar"], "verdict": ["ok"]}))
    book = openpyxl.load_workbook(tmp_path / "s.xlsx")
    assert book.sheetnames == ["leads", "sources"]
    ws = book["leads"]
    assert [c.value for c in ws[1]] == ["Lead ID", "p_accept", "score", "tier", "reasons", "score_error", "email"]
    assert [c.value for c in ws[3]] == ["L2", None, None, None, None, "source: missing; not scored", "d@e.f"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:G3"
    assert ws["E2"].alignment.wrap_text and ws.column_dimensions["E"].width == 80
    assert book["sources"].freeze_panes == "A2" and book["sources"].auto_filter.ref == "A1:B2"


def test_a_failed_workbook_leaves_no_file_and_no_staged_rows(tmp_path, monkeypatch):
    staged = tmp_path / "tmp"
    staged.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(staged))  # where openpyxl stages each sheet's rows
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(RuntimeError, match="stop"), atomic_path(out / "s.xlsx") as tmp, ScoredWorkbook(tmp) as book:
        book.write(pd.DataFrame({"lead_id": ["L1"], "email": ["ann@acme.example"]}))
        assert os.listdir(staged)
        raise RuntimeError("stop")
    assert os.listdir(out) == [] and os.listdir(staged) == []
