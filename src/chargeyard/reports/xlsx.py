"""XLSX rendering for reports: a workbook written row by row in constant memory. Pure of the
database and the web framework.

XlsxWriter's `constant_memory` mode writes each row to a temporary file as soon as the next row
starts, so a million-row sheet costs the memory of one row (plus the shared strings it then does
without). A workbook is a zip archive whose parts are only complete at the end, so it is written
to a file and sent (or stored) once closed; the CSV form streams as it reads.

Cells follow the CSV rules (`domain.py`): text is always written as text, never as a formula or
a link, and text that a spreadsheet would treat as a formula (`=`, `+`, `-`, `@`...) gets the
same leading quote, so a CSV and an XLSX of one report hold the same values.
"""

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from chargeyard.reports.domain import Cell, neutralise

MAX_ROWS = 1_048_576
"""Rows in one sheet (Excel's limit, the header included); more go on to a further sheet."""
MAX_TEXT = 32_767
"""Characters in one cell (Excel's limit); a longer text (a huge OCPP frame) is cut there."""
SHEET = "report"


class XlsxReport:
    """One report's workbook at `path`: `add(rows)` as they are read, then `close()`."""

    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        self.columns = list(columns)
        self.book = xlsxwriter.Workbook(
            str(path),
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "remove_timezone": True,  # every instant is stored in UTC
                "default_date_format": "yyyy-mm-dd hh:mm:ss",
            },
        )
        self.dates = self.book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.rows = 0
        self.sheets = 0
        self._new_sheet()

    def _new_sheet(self) -> None:
        self.sheets += 1
        name = SHEET if self.sheets == 1 else f"{SHEET} {self.sheets}"
        self.sheet = self.book.add_worksheet(name)
        self.row = 0
        self._write(self.columns)

    def add(self, rows: Sequence[Sequence[Cell]]) -> None:
        for row in rows:
            if self.row >= MAX_ROWS:
                self._new_sheet()
            self._write(row)
            self.rows += 1

    def _write(self, row: Sequence[Any]) -> None:
        sheet, number = self.sheet, self.row
        for column, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(number, column, neutralise(value)[:MAX_TEXT])
            elif isinstance(value, bool):
                sheet.write_boolean(number, column, value)
            elif isinstance(value, (int, float, Decimal)):
                sheet.write_number(number, column, float(value))
            elif isinstance(value, datetime):
                sheet.write_datetime(number, column, value, self.dates)
            else:
                sheet.write_string(number, column, neutralise(str(value))[:MAX_TEXT])
        self.row += 1

    def close(self) -> None:
        """Write the archive (seconds for a million rows: run it off the event loop)."""
        self.book.close()
