"""Reading reports as a client does: CSV text and XLSX workbooks (with openpyxl, an independent
reader), and waiting for an asynchronous report to settle."""

import asyncio
import csv
import io
from typing import Any

import openpyxl

from tests.conftest import Tenant

DEADLINE_S = 30.0


def parse_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def parse_xlsx(content: bytes) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The header and the rows of every sheet, and checks no cell is a formula."""
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    header: list[str] = []
    rows: list[tuple[Any, ...]] = []
    for sheet in book.worksheets:
        found = list(sheet.iter_rows())
        header = [str(c.value) for c in found[0]]
        for row in found[1:]:
            assert all(c.data_type != "f" for c in row), "a cell became a formula"
            rows.append(tuple(c.value for c in row))
    book.close()
    return header, rows


async def settled(tenant: Tenant, report_id: str, deadline_s: float = DEADLINE_S) -> Any:
    """The report once it is ready or failed."""
    loop = asyncio.get_running_loop()
    until = loop.time() + deadline_s
    while True:
        response = await tenant.api.get(f"/reports/{report_id}")
        assert response.status_code == 200, response.text
        body = response.json()
        if body["status"] in ("ready", "failed"):
            return body
        assert loop.time() < until, f"report {report_id} still {body['status']}"
        await asyncio.sleep(0.05)
