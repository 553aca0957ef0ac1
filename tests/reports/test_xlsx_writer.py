"""The workbook writer on its own: cell types, formula neutralisation, long text, and rows going
on to a further sheet past a sheet's limit."""

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from chargeyard.reports import xlsx
from chargeyard.reports.xlsx import XlsxReport
from tests.reports.support import parse_xlsx


def test_cells_keep_their_types_and_formulas_stay_text(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    book = XlsxReport(path, ["text", "number", "when", "flag", "money", "empty"])
    book.add(
        [
            (
                '=HYPERLINK("x")',
                -3,
                datetime(2026, 1, 1, 10, tzinfo=UTC),
                True,
                Decimal("1.5"),
                None,
            ),
            ("https://example.com", 2.5, datetime(2026, 1, 1, tzinfo=UTC), False, Decimal(0), None),
            ("x" * 40_000, 0, None, None, None, None),
        ]
    )
    book.close()
    header, rows = parse_xlsx(path.read_bytes())
    assert header == ["text", "number", "when", "flag", "money", "empty"]
    assert rows[0] == ('\'=HYPERLINK("x")', -3, datetime(2026, 1, 1, 10), True, 1.5, None)
    assert rows[1][0] == "https://example.com"  # text, not a link
    assert len(rows[2][0]) == xlsx.MAX_TEXT
    assert book.rows == 3


def test_rows_past_a_sheets_limit_go_on_to_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx, "MAX_ROWS", 3)  # the header and two rows a sheet
    path = tmp_path / "r.xlsx"
    book = XlsxReport(path, ["n"])
    book.add([(n,) for n in range(5)])
    book.close()
    header, rows = parse_xlsx(path.read_bytes())
    assert header == ["n"] and [row[0] for row in rows] == [0, 1, 2, 3, 4]
    assert book.sheets == 3
