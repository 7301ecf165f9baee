"""Excel workbooks: ``.xlsx`` input (streamed with openpyxl's read-only mode) and output (written
with XlsxWriter in constant-memory mode).

Input: one sheet (``sheet``: a name or a 0-based index; default the first), its first row is the
header. Rows stream from the sheet's XML, so memory does not grow with the number of rows (the
workbook's shared-string table, which holds the distinct texts, is read whole, as by every xlsx
reader). A text cell that is not a string becomes a per-row error like any other bad row:
numbers, dates and booleans (``not a string: int``...), formulas (``not a string: formula``,
whatever they evaluate to), Excel errors such as ``#N/A``, and empty cells (``missing text``).
Rows with every cell empty count as rows (``missing text``) when data follows them; trailing
ones are dropped, as Excel does not count them either.

Output: chunks are appended to a JSON Lines partial file (so ``--resume`` works as for the other
formats) and the workbook is written from it at the end: one sheet ``scores``, a header row,
``spans`` as JSON text. Excel holds at most 1,048,576 rows a sheet: a run whose output would
pass that fails as soon as that is known (up front when the input's row count is known), with
no half-written workbook, suggesting CSV or Parquet.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from ...errors import UsageError
from ...i18n import msg
from ..rows import one_line
from .base import Reader, clean
from .jsonl import JsonlWriter

EXCEL_MAX_ROWS = 1_048_576  # rows a sheet, the header included
EXCEL_MAX_CELL = 32_767  # characters a cell


class OutputTooLarge(UsageError):
    """The output would not fit an Excel sheet; nothing of it is kept (resuming could not help)."""


def _open_sheet(path: Path, sheet):
    """(workbook, worksheet) of ``sheet`` (name, 0-based index or None: the first)."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as err:
        raise UsageError(f"{path}: not a readable .xlsx workbook: {one_line(err)}") from err
    names = wb.sheetnames
    chosen = None
    if sheet is None:
        chosen = names[0] if names else None
    elif str(sheet) in names:
        chosen = str(sheet)
    elif isinstance(sheet, int) or (isinstance(sheet, str) and sheet.isdigit()):
        k = int(sheet)
        chosen = names[k] if 0 <= k < len(names) else None
    if chosen is None:
        wb.close()
        raise UsageError(msg("err.no_sheet", path=path, sheet=sheet, sheets=", ".join(map(repr, names)) or "-"))
    return wb, wb[chosen]


def _cell_value(cell):
    """(value for the text column, read error or None)."""
    kind = getattr(cell, "data_type", None)
    value = cell.value
    if kind == "f":
        return None, "not a string: formula"
    if kind == "e":
        return None, f"not a string: Excel error {value}"
    if isinstance(value, str):
        return value, None
    return value, None  # None -> missing text; numbers, dates, booleans -> not a string


def _id_value(value):
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value is not None and not isinstance(value, (int, float, bool)):
        return str(value)  # dates and times
    return value


class XlsxReader(Reader):
    """The rows of one sheet; the header row names the columns."""

    def __init__(self, *args, sheet=None):
        super().__init__(*args)
        if self.gz:
            raise UsageError(f"{self.path}: a compressed workbook is not supported (.xlsx is compressed already)")
        self._wb, ws = _open_sheet(self.path, sheet)
        self._rows = ws.iter_rows()
        header = next(self._rows, None)
        if header is None:
            self.close()
            raise UsageError(f"{self.path}: the sheet {ws.title!r} is empty (no header row)")
        self.columns = ["" if c.value is None else clean(str(c.value)) for c in header]
        self.sheet = ws.title
        try:
            total = ws.max_row
        except Exception:  # noqa: BLE001 (a workbook without dimensions)
            total = None
        self.total = total - 1 if isinstance(total, int) and total > 1 else None

    def rows(self):
        ti = self.columns.index(self.text_column)
        ii = self.columns.index(self.id_name) if self.id_name in self.columns else None
        pending_empty = 0  # fully empty rows, emitted only when a non-empty row follows
        for row in self._rows:
            if all(c.value is None for c in row):
                pending_empty += 1
                continue
            for _ in range(pending_empty):
                yield None, None, None
            pending_empty = 0
            text, err = _cell_value(row[ti]) if ti < len(row) else (None, None)
            rid = _id_value(row[ii].value) if ii is not None and ii < len(row) else None
            yield text, rid, err

    def close(self) -> None:
        self._wb.close()


class XlsxWriter(JsonlWriter):
    """Rows go to a JSON Lines partial file (resumable); :meth:`finalize` writes the workbook."""

    def __init__(self, partial: Path, columns: list[str], resume: dict | None, id_type=None):
        super().__init__(partial, columns, resume, id_type)
        self.rows = (resume or {}).get("rows", 0)

    def write(self, frame) -> None:
        if self.rows + len(frame) + 1 > EXCEL_MAX_ROWS:
            raise OutputTooLarge(msg("err.excel_rows", path=self.partial.name.removesuffix(".netral-partial"),
                                 limit=EXCEL_MAX_ROWS, rows=self.rows + len(frame)))
        super().write(frame)
        self.rows += len(frame)

    def position(self) -> dict:
        return {**super().position(), "rows": self.rows}

    def finalize(self, output: Path) -> None:
        self.fh.close()
        tmp = output.with_name(output.name + ".netral-tmp")
        try:
            write_workbook(self.partial, tmp, self.columns)
            os.replace(tmp, output)
        finally:
            tmp.unlink(missing_ok=True)
        self.partial.unlink()


def check_rows(output: Path, rows: int | None) -> None:
    """Refuse up front an output of ``rows`` rows that would not fit a sheet (None: not known yet)."""
    if rows is not None and rows + 1 > EXCEL_MAX_ROWS:
        raise OutputTooLarge(msg("err.excel_rows", path=output, limit=EXCEL_MAX_ROWS, rows=rows))


def _fit_spans(spans: str) -> tuple[str, str | None]:
    """Spans JSON that fits a cell, dropping spans from the end if needed (and saying so)."""
    if len(spans) <= EXCEL_MAX_CELL:
        return spans, None
    items = json.loads(spans)
    keep = len(items)
    while keep and len(json.dumps(items[:keep], ensure_ascii=False)) > EXCEL_MAX_CELL:
        keep = keep * 9 // 10
    note = (f"spans cut: {keep} of {len(items)} fit an Excel cell; write .csv or .parquet for all of them")
    return json.dumps(items[:keep], ensure_ascii=False), note


def write_workbook(jsonl: Path, path: Path, columns: list[str]) -> None:
    """Write the rows of a JSON Lines file (objects with ``columns``) as a one-sheet workbook."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                         "strings_to_urls": False, "strings_to_numbers": False,
                                         "nan_inf_to_errors": True})
    ws = wb.add_worksheet("scores")
    bold = wb.add_format({"bold": True})
    for j, c in enumerate(columns):
        ws.write_string(0, j, c, bold)
    ws.freeze_panes(1, 0)
    widths = {"label": 10, "score": 8, "spans": 60, "error": 30}
    for j, c in enumerate(columns):
        ws.set_column(j, j, widths.get(c, 14))
    with open(jsonl, encoding="utf-8") as fh:
        for r, line in enumerate(fh, 1):
            obj = json.loads(line)
            note = None
            for j, c in enumerate(columns):
                v = obj.get(c)
                if c == "spans" and isinstance(v, str):
                    v, note = _fit_spans(v)
                if c == "error" and note:
                    v = f"{v}; {note}" if v else note
                if v is None:
                    continue
                if isinstance(v, bool):
                    ws.write_boolean(r, j, v)
                elif isinstance(v, (int, float)) and abs(v) < 2**53:  # larger ints stay exact as text
                    ws.write_number(r, j, v)
                else:
                    ws.write_string(r, j, str(v)[:EXCEL_MAX_CELL])
    wb.close()
