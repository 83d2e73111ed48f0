"""Excel workbooks (.xlsx) in and out, through openpyxl: read-only mode to read, write-only mode to write.

Reading (`iter_xlsx`): one worksheet (the first, or the one named), its first non-empty row the
header, every later non-empty row a lead, in order (empty rows are skipped, as blank lines in a
CSV). Cells keep their type: a column of text is text (ids, phones and postcodes typed as text
keep their leading zeros and signs), a column of numbers numbers, of dates dates, and a column
that mixes them keeps each cell as it is. A formula gives the value Excel last computed.

Writing (`ScoredWorkbook` for `leadsift score`, `write_table_xlsx` for any other table): every
cell keeps its value and type, and no cell is ever a formula: text that starts with "=" or reads
like an error code ("#N/A") is stored as text, so nothing needs a leading quote. Each sheet has a
bold, frozen header row, a filter, and column widths fitted to its first rows; long text wraps.
Excel cannot hold control characters other than tab and line breaks, so those are dropped, and it
keeps at most 32,767 characters of a cell.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import math
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO
from xml.etree.ElementTree import ParseError

import numpy as np
import pandas as pd

from leadsift.errors import ContractError

XLSX_SUFFIXES = (".xlsx",)
REFUSED_SUFFIXES = {
    ".xls": "an old-format Excel workbook (.xls)",
    ".xlsm": "a macro-enabled Excel workbook (.xlsm)",
    ".xlsb": "a binary Excel workbook (.xlsb)",
}
SCORED_SHEET = "leads"
SOURCES_SHEET = "sources"

_COMPOUND_FILE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted (password-protected) workbook, or an old .xls
_BROKEN = (zipfile.BadZipFile, zlib.error, ParseError, KeyError, ValueError, TypeError, IndexError, EOFError, OverflowError)
_SAMPLE_ROWS = 200  # rows looked at to fit column widths
_MIN_WIDTH, _MAX_WIDTH, _WRAP_WIDTH = 6, 45, 60
_SCORED_WRAP = {"reasons": 80, "score_error": 50}  # columns of the scored sheet that wrap, and their widths


def refusal(path: Path, suffix: str) -> str:
    """Why a workbook of another Excel format is refused, and what to do instead."""
    return (f"{path} is {REFUSED_SUFFIXES[suffix]}, which leadsift does not read or write; use .xlsx "
            "(in Excel: File > Save As > Excel Workbook)")


# ----------------------------------------------------------------------------- reading


def iter_xlsx(path: Path, chunk_rows: int, sheet: str | None = None) -> Iterator[pd.DataFrame]:
    """Yield one worksheet of an .xlsx file in frames of `chunk_rows` rows (a header-only sheet yields one
    empty frame); `sheet` names it (default: the first)."""
    book, handle = _open_workbook(path)
    try:
        ws = _worksheet(book, path, sheet)
        where = f"{path}, sheet {ws.title!r}"
        ws.reset_dimensions()  # the size a workbook declares can be wrong: read what is there
        rows = _values(ws.iter_rows(values_only=True), where)
        header, header_row = _header(rows, where)
        width, pending, yielded = len(header), [], False
        for number, values in enumerate(rows, start=header_row + 1):
            if not any(v is not None for v in values):
                continue
            if len(values) > width:
                beyond = [i for i in range(width, len(values)) if values[i] is not None]
                if beyond:
                    raise ContractError(
                        f"{where}: cell {_letter(beyond[0] + 1)}{number} holds a value in a column without a header; "
                        f"name the column in row {header_row} or clear it"
                    )
                values = values[:width]
            pending.append(values if len(values) == width else (*values, *(None,) * (width - len(values))))
            if len(pending) == chunk_rows:
                yield _frame(pending, header)
                pending, yielded = [], True
        if pending or not yielded:
            yield _frame(pending, header)
    finally:
        book.close()
        handle.close()


def _open_workbook(path: Path) -> tuple[Any, BinaryIO]:
    """The workbook in read-only mode, and the open file it reads from (close both)."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    handle = open(path, "rb")  # noqa: SIM115 - closed by the caller, after the workbook
    try:
        head = handle.read(8)
        handle.seek(0)
        if head == _COMPOUND_FILE:
            raise ContractError(
                f"{path} is password-protected (or an old .xls named .xlsx): open it in Excel, remove the password "
                "(File > Info > Protect Workbook) and save it as .xlsx (Excel Workbook)"
            )
        if not head.startswith(b"PK\x03\x04"):
            raise ContractError(f"{path} is not an Excel workbook (is it CSV? then name it .csv); save it from Excel as .xlsx")
        with warnings.catch_warnings():  # openpyxl warns about styles and extensions it ignores: nothing for the user
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(handle, read_only=True, data_only=True, keep_links=False)
    except ContractError:
        handle.close()
        raise
    except (*_BROKEN, InvalidFileException) as exc:
        handle.close()
        raise ContractError(
            f"{path} could not be read as an Excel workbook ({type(exc).__name__}); open it in Excel and save it again as .xlsx"
        ) from None
    return book, handle


def _worksheet(book: Any, path: Path, sheet: str | None) -> Any:
    names = list(book.sheetnames)
    if sheet is None:
        if not book.worksheets:
            raise ContractError(f"{path} has no worksheet, only charts; put the leads on a worksheet")
        return book.worksheets[0]
    found = [n for n in names if n == sheet] or [n for n in names if n.casefold() == sheet.strip().casefold()]
    if not found:
        listed = ", ".join(repr(n) for n in names)
        raise ContractError(f"{path} has no sheet {sheet!r}; its sheets are {listed}: give one of them to --sheet")
    ws = book[found[0]]
    if not hasattr(ws, "iter_rows"):
        raise ContractError(f"{path}: sheet {found[0]!r} is a chart, not a table of leads; give another to --sheet")
    return ws


def _values(rows: Iterable[tuple], where: str) -> Iterator[tuple]:
    """The sheet's rows of values; a sheet openpyxl cannot parse is one error naming it (never a cell's content)."""
    iterator = iter(rows)
    while True:
        try:
            values = next(iterator)
        except StopIteration:
            return
        except _BROKEN as exc:
            raise ContractError(
                f"{where} could not be read ({type(exc).__name__}); open it in Excel and save it again as .xlsx"
            ) from None
        yield values


def _header(rows: Iterator[tuple], where: str) -> tuple[list[str], int]:
    """The first non-empty row as column names (up to its last named cell), and its row number."""
    for number, values in enumerate(rows, start=1):
        if any(v is not None and str(v).strip() != "" for v in values):
            last = max(i for i, v in enumerate(values) if v is not None and str(v).strip() != "")
            header = ["" if v is None else str(v) for v in values[: last + 1]]
            dupes = sorted({h for h in header if header.count(h) > 1})
            if dupes:
                raise ContractError(f"{where}: column name(s) {dupes} appear more than once in the header row; rename them")
            return header, number
    raise ContractError(f"{where} is empty: it needs a header row with the contract's columns")


def _frame(rows: list[tuple], header: list[str]) -> pd.DataFrame:
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in header]
    return pd.DataFrame({name: _column(values) for name, values in zip(header, columns, strict=True)})


def _column(values: tuple) -> pd.Series:
    """One column of cells: text as dtype str, whole numbers as Int64, numbers as float64, dates as datetime64,
    booleans as boolean; a column that mixes kinds keeps each cell's own value (dtype object). Empty is missing."""
    kinds = {type(v) for v in values} - {type(None)}
    if not kinds or kinds == {str}:
        text = pd.Series(values, dtype="str")
        return text.where(text != "")
    if kinds == {int}:
        try:
            return pd.Series(values, dtype="Int64")
        except (OverflowError, TypeError, ValueError):  # beyond 64 bits: kept as they are
            return pd.Series(values, dtype=object)
    if kinds <= {int, float}:
        return pd.Series(values, dtype="float64")
    if kinds == {bool}:
        return pd.Series(values, dtype="boolean" if None in values else "bool")
    if kinds == {dt.datetime}:
        return pd.Series(values, dtype="datetime64[us]")
    return pd.Series([None if v == "" else v for v in values], dtype=object)


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


# ----------------------------------------------------------------------------- writing
#
# Sheets are openpyxl write-only worksheets, and openpyxl writes the workbook around them (styles,
# frozen header, widths, filter), but their rows are serialized here, a block at a time: openpyxl's
# own path costs about 5 microseconds a cell, 15 to 25 s for 100,000 scored rows of a demo list.


class ScoredWorkbook:
    """`leadsift score`'s output as a workbook: sheet "leads" written chunk by chunk (the lead id, then the score
    columns, then the list's other columns in their order), then further table sheets (the per-source verdicts).

    Saved to `path` by `save()`; `discard()` removes what openpyxl staged. As a context manager: saved
    when the block ends without error, discarded when it raises.
    """

    def __init__(self, path: Path | str, id_columns: Sequence[str] = ()) -> None:
        import openpyxl

        self.path = Path(path)
        self._book = openpyxl.Workbook(write_only=True)
        self._leads = _Sheet(self._book, SCORED_SHEET, wrap=_SCORED_WRAP)
        self._id_columns = tuple(id_columns)
        self._order: list[str] | None = None
        self._tables: list[_Sheet] = []

    def write(self, frame: pd.DataFrame) -> None:
        if self._order is None:
            self._order = scored_order(list(frame.columns), self._id_columns)
        self._leads.write(frame[self._order])

    def add_table(self, title: str, frame: pd.DataFrame) -> None:
        """Another sheet holding `frame` (written at once)."""
        sheet = _Sheet(self._book, title)
        sheet.write(frame)
        self._tables.append(sheet)

    def save(self) -> None:
        try:
            for sheet in (self._leads, *self._tables):
                sheet.finish()
            self._book.save(self.path)
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        _discard(self._book)

    def __enter__(self) -> ScoredWorkbook:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is None:
            self.save()
        else:
            self.discard()


def scored_order(columns: list[str], id_columns: Sequence[str]) -> list[str]:
    """The scored sheet's column order: the lead id (the first of `id_columns` present), the score columns, the rest."""
    from leadsift.models.scoring import OUTPUT_COLUMNS

    lead = [next(c for c in id_columns if c in columns)] if any(c in columns for c in id_columns) else []
    scores = [c for c in OUTPUT_COLUMNS if c in columns]
    return [*lead, *scores, *(c for c in columns if c not in lead and c not in scores)]


def write_table_xlsx(frame: pd.DataFrame, path: Path | str, sheet: str = "table") -> Path:
    """Write `frame` as a one-sheet workbook at `path` (the caller makes it atomic: see files.write_table)."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    try:
        table = _Sheet(book, sheet)
        table.write(frame)
        table.finish()
        book.save(path)
    except BaseException:
        _discard(book)
        raise
    return Path(path)


def _discard(book: Any) -> None:
    """Remove the files a write-only workbook stages its sheets in (they hold the rows) without saving it."""
    for ws in book.worksheets:
        writer = getattr(ws, "_writer", None)  # openpyxl's staging file per sheet, else removed only at exit
        if writer is None:
            continue
        for stream in (getattr(ws, "_rows", None), writer.xf):  # the rows, then the sheet: as ws.close() would
            try:
                if stream is not None:
                    stream.close()
            except Exception:  # noqa: BLE001 - a sheet being thrown away after an error; the error is what matters
                pass
        try:
            writer.cleanup()
        except (OSError, ValueError):
            pass


_BLOCK_ROWS = 1000  # rows serialized and handed to openpyxl at a time
_FORMATS = {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm:ss", "time": "hh:mm:ss", "duration": "[h]:mm:ss"}


class _Sheet:
    """One sheet: bold frozen header, widths fitted to the first rows, long text wrapped, a filter over all rows."""

    def __init__(self, book: Any, title: str, wrap: dict[str, float] | None = None) -> None:
        self._ws = _rows_sheet()(parent=book, title=title)
        book._add_sheet(self._ws)  # what book.create_sheet does, for this kind of sheet
        self._wrap = dict(wrap or {})
        self._columns: list[str] = []
        self._letters: list[str] = []
        self._rows = 0  # data rows written
        self._styles: dict[str, int] = {}

    def write(self, frame: pd.DataFrame) -> None:
        if not self._letters:
            self._start(frame)
        first = self._rows + 2
        cells = [
            _column_xml(_python_values(frame.iloc[:, i], name), letter, first, self._styles, name in self._wrap)
            for i, (name, letter) in enumerate(zip(self._columns, self._letters, strict=True))
        ]
        for start in range(0, len(frame), _BLOCK_ROWS):
            rows = zip(*(c[start : start + _BLOCK_ROWS] for c in cells), strict=True)
            self._ws.append_xml("".join(f'<row r="{n}">{"".join(row)}</row>' for n, row in enumerate(rows, first + start)))
        self._rows += len(frame)

    def _start(self, frame: pd.DataFrame) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font

        ws = self._ws
        self._columns = [str(c) for c in frame.columns]
        self._letters = [_letter(i + 1) for i in range(len(self._columns))]
        for i, (name, letter) in enumerate(zip(self._columns, self._letters, strict=True)):
            longest = _longest(frame.iloc[:, i])
            if name not in self._wrap and longest > _WRAP_WIDTH:
                self._wrap[name] = _WRAP_WIDTH
            ws.column_dimensions[letter].width = max(self._wrap.get(name) or min(max(len(name), longest) + 2, _MAX_WIDTH),
                                                     _MIN_WIDTH)
        ws.freeze_panes = "A2"
        # Style ids, registered in the workbook through openpyxl's own cells.
        for key, number_format in _FORMATS.items():
            cell = WriteOnlyCell(ws)
            cell.number_format = number_format
            self._styles[key] = cell.style_id
        cell = WriteOnlyCell(ws)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        self._styles["wrap"] = cell.style_id
        cell = WriteOnlyCell(ws)
        cell.font = Font(bold=True)
        bold = cell.style_id
        header = "".join(f'<c r="{letter}1" s="{bold}" t="inlineStr"><is><t>{_escape(_clean(name))}</t></is></c>'
                         for name, letter in zip(self._columns, self._letters, strict=True))
        ws.append_xml(f'<row r="1">{header}</row>')

    def finish(self) -> None:
        if self._letters:
            self._ws.auto_filter.ref = f"A1:{self._letters[-1]}{self._rows + 1}"


@functools.cache
def _rows_sheet() -> type:
    """openpyxl's write-only worksheet, fed blocks of rows already serialized as XML."""
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet
    from openpyxl.xml.functions import fromstring

    class RowsSheet(WriteOnlyWorksheet):
        def append_xml(self, rows: str) -> None:
            """Append <row> elements (as WriteOnlyWorksheet.append appends one row of values)."""
            self._get_writer()
            if self._rows is None:
                self._rows = self._write_rows()
                next(self._rows)
            self._rows.send(rows)

        def _write_rows(self):  # noqa: ANN202 - openpyxl's generator protocol, as in WriteOnlyWorksheet._write_rows
            xf = self._writer.xf.send(True)
            with xf.element("sheetData"):
                try:
                    while True:
                        block = yield
                        for row in fromstring(f"<rows>{block}</rows>"):
                            xf.write(row)
                except GeneratorExit:
                    pass
            self._writer.xf.send(None)

    return RowsSheet


def _column_xml(values: list[Any], letter: str, first: int, styles: dict[str, int], wrap: bool) -> list[str]:
    """Each cell of a column as its <c> element ("" when empty): text always as text, never a formula."""
    from openpyxl.utils.datetime import to_excel

    text_style = f' s="{styles["wrap"]}"' if wrap else ""
    out = []
    for row, v in enumerate(values, first):
        if v is None:
            out.append("")
        elif isinstance(v, str):
            space = ' xml:space="preserve"' if v != v.strip() else ""
            out.append(f'<c r="{letter}{row}"{text_style} t="inlineStr"><is><t{space}>{_escape(v)}</t></is></c>')
        elif isinstance(v, bool):
            out.append(f'<c r="{letter}{row}" t="b"><v>{int(v)}</v></c>')
        elif isinstance(v, int | float | decimal.Decimal):
            out.append(f'<c r="{letter}{row}"><v>{v}</v></c>')  # str(float) is the shortest text that reads back the same
        else:
            kind = ("datetime" if isinstance(v, dt.datetime) else "date" if isinstance(v, dt.date)
                    else "time" if isinstance(v, dt.time) else "duration")
            out.append(f'<c r="{letter}{row}" s="{styles[kind]}"><v>{to_excel(v)}</v></c>')
    return out


def _escape(text: str) -> str:
    """Text for an XML element; a carriage return as a reference, which XML would otherwise read as a line feed."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _longest(cells: pd.Series) -> int:
    """Characters of the longest of the first rows' cells as a spreadsheet shows them."""
    sample = cells.head(_SAMPLE_ROWS)
    if pd.api.types.is_datetime64_any_dtype(sample):
        return 19
    text = sample.dropna().astype("str")
    return int(text.str.len().max()) if len(text) else 0


def _python_values(column: pd.Series, name: str) -> list[Any]:
    """A column as Python values a cell holds (None when empty): str, bool, int, float, Decimal, date, datetime,
    time, timedelta; text cleaned of what XML cannot hold."""
    s = column.astype(object) if isinstance(column.dtype, pd.CategoricalDtype) else column
    if pd.api.types.is_datetime64_any_dtype(s):
        if getattr(s.dt, "tz", None) is not None:
            s = s.dt.tz_convert("UTC").dt.tz_localize(None)
        present = s.dropna()
        dates_only = bool((present == present.dt.normalize()).all())
        return [None if v is pd.NaT else (v.date() if dates_only else v.to_pydatetime()) for v in s]
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
        if pd.api.types.is_float_dtype(s):
            s = s.where(np.isfinite(s))
        return s.astype(object).where(s.notna(), None).tolist()
    if pd.api.types.is_string_dtype(s) and s.dtype != object:
        if bool(s.str.contains(_UNWRITABLE_TEXT, regex=True).fillna(False).any()) or bool(
                (s.str.len() > _MAX_CELL).fillna(False).any()):
            s = s.str.replace(_UNWRITABLE_TEXT, "", regex=True).str.slice(0, _MAX_CELL)
        return s.astype(object).where(s.notna() & (s != ""), None).tolist()
    return [_python_value(v, name) for v in s.tolist()]


def _python_value(v: Any, name: str) -> Any:
    """One cell of a mixed column as a value a spreadsheet holds."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, str):
        return _clean(v) or None
    if isinstance(v, bool | np.bool_):
        return bool(v)
    if isinstance(v, int | np.integer):
        return int(v)
    if isinstance(v, float | np.floating):
        return float(v) if math.isfinite(v) else None
    if isinstance(v, decimal.Decimal):
        return v if v.is_finite() else None
    if isinstance(v, dt.datetime):
        v = pd.Timestamp(v)
        v = v.tz_convert("UTC").tz_localize(None) if v.tzinfo is not None else v
        return v.date() if v == v.normalize() else v.to_pydatetime()
    if isinstance(v, dt.date | dt.timedelta):
        return v
    if isinstance(v, dt.time):
        return v.replace(tzinfo=None)
    raise ContractError(
        f"column {name!r} holds {type(v).__name__} values, which a spreadsheet cell cannot hold: "
        "write Parquet instead (an output name ending in .parquet)"
    )


# What XML 1.0 cannot hold (control characters other than tab and line breaks, U+FFFE, U+FFFF, lone surrogates).
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_UNWRITABLE_TEXT = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x{FFFE}\x{FFFF}]"  # the same for dtype str (RE2; no surrogates there)
_MAX_CELL = 32_767  # characters Excel keeps in a cell


def _clean(text: str) -> str:
    return _UNWRITABLE.sub("", text)[:_MAX_CELL]


def add_sheet_option(parser) -> None:  # noqa: ANN001 - an argparse parser
    """--sheet NAME on a command that reads a lead file."""
    parser.add_argument("--sheet", metavar="NAME", help="the worksheet to read when the leads file is .xlsx (default: the first)")
