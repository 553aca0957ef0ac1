"""The vendor error code import form's text as the REST import's body: pasted or read from a
chosen file, either the REST API's own JSON (`{"codes": [...]}`, or the bare list) or CSV with a
header row naming the same fields (a spreadsheet saved as CSV), so a table kept elsewhere comes
in without converting it first. Checked by the REST API's `VendorErrorCodeImport`: every rule of
an entry is the REST API's. Pure: no I/O.

A refusal names the entry (and for CSV its line) and the field, all under the form's one
control (`entries`), since the text is one field on the page."""

import csv
import io
import json
from typing import Any

from chargeyard.dashboard.forms import FormInvalid, validated
from chargeyard.error_codes.schemas import MAX_IMPORT, VendorErrorCodeImport, VendorErrorCodeIn

FIELD = "entries"
COLUMNS = tuple(VendorErrorCodeIn.model_fields)


def _refused(message: str) -> FormInvalid:
    return FormInvalid(f"{FIELD}: {message}", {FIELD: message})


def _from_json(text: str) -> list[Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise _refused(
            f"not JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    codes = data.get("codes") if isinstance(data, dict) else data
    if not isinstance(codes, list):
        raise _refused('JSON holds {"codes": [...]} or a list of entries')
    return codes


def _from_csv(text: str) -> tuple[list[dict[str, str]], list[int]]:
    """Rows of a CSV whose first line names the columns, and the line each ends on; an empty
    cell is an absent field (any model, any firmware, the default severity)."""
    rows = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in rows.fieldnames or ()]
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise _refused(
            f"the header names {', '.join(map(repr, unknown))}; columns are {', '.join(COLUMNS)}"
        )
    rows.fieldnames = header
    entries, lines = [], []
    for row in rows:
        if None in row:
            raise _refused(f"line {rows.line_num} has more cells than the header")
        entries.append(
            {name: value.strip() for name, value in row.items() if value and value.strip()}
        )
        lines.append(rows.line_num)
    return entries, lines


def _where(path: str, lines: list[int]) -> str:
    """`codes.3.title` as the entry (and its CSV line) and field it is about."""
    parts = path.split(".")
    if len(parts) < 2 or parts[0] != "codes" or not parts[1].isdigit():
        return path
    index = int(parts[1])
    place = f"entry {index + 1}" + (f" (line {lines[index]})" if index < len(lines) else "")
    return f"{place}, {'.'.join(parts[2:])}" if len(parts) > 2 else place


def import_body(text: str) -> VendorErrorCodeImport:
    """The REST import's body from the form's text; what is wrong is 422, keyed `entries`."""
    text = text.strip().lstrip("\ufeff")
    if not text:
        raise _refused("paste the entries, or choose a file")
    entries, lines = (_from_json(text), []) if text[0] in "[{" else _from_csv(text)
    if len(entries) > MAX_IMPORT:
        raise _refused(f"at most {MAX_IMPORT} entries at once; this holds {len(entries)}")
    try:
        return validated(VendorErrorCodeImport, {"codes": entries})
    except FormInvalid as refusal:
        said = "; ".join(
            f"{_where(path, lines)}: {message}" for path, message in refusal.fields.items()
        )
        raise _refused(said) from None
