"""Workbooks as a person makes them, for the Excel tests."""

from __future__ import annotations

from pathlib import Path

import openpyxl


def make_workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    """Every str typed as text, as Excel keeps "00123" or "=SUM(A1)" typed after a quote (openpyxl would take
    "=..." for a formula)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    book.save(path)
    return path
