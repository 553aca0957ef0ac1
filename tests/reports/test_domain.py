"""CSV cells: formula injection neutralised, values rendered once."""

import csv
import io
from datetime import UTC, datetime

import pytest

from chargeyard.reports.domain import cell, lines, neutralise


@pytest.mark.parametrize("text", ["=1+2", "+1", "-SUM(A1)", "@cmd", "\tx", "\r=x"])
def test_formula_starts_are_neutralised(text: str) -> None:
    assert neutralise(text) == "'" + text


def test_plain_text_and_numbers_are_kept() -> None:
    assert neutralise("TAG-1") == "TAG-1"
    assert cell(-5) == -5
    assert cell(None) == ""
    assert cell(True) == "true"
    assert cell(datetime(2026, 1, 1, tzinfo=UTC)) == "2026-01-01T00:00:00Z"


def test_lines_are_rfc4180() -> None:
    text = lines([["a,b", 'say "hi"', "=x"], [1, None, False]])
    assert text.endswith("\r\n")
    assert list(csv.reader(io.StringIO(text))) == [
        ["a,b", 'say "hi"', "'=x"],
        ["1", "", "false"],
    ]
