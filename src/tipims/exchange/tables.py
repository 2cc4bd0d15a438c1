"""Reading and writing the tables that cross the border of the system: CSV, XLSX and JSON.

Reading never raises on a malformed file: what cannot be read becomes a RowError naming the sheet, the
row and the field, so the caller reports it like any other fault. Writing escapes every cell a
spreadsheet would take for a formula (CSV injection) and can put the HXL hashtag row under the header.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from tipims.exchange.framework import Row, RowError, check_size

# A cell starting with one of these is run as a formula by Excel, LibreOffice or Google Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value, with a leading apostrophe when a spreadsheet would run it as a formula (OWASP)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value  # numbers are numbers: -3 is not a formula
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def unescape_cell(value: str) -> str:
    """Undo ``safe_cell`` on a value read back from a file TIPIMS wrote."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] and value[1] in "=+-@\t\r":
        return value[1:]
    return value


# --- writing ---------------------------------------------------------------------------------------


def write_csv(
    path: Path | io.StringIO, header: Sequence[str], rows: Iterable[Sequence[Any]], hxl: Sequence[str] = ()
) -> None:
    """A UTF-8 CSV; with ``hxl`` the hashtag row comes second, as HXL requires."""
    handle = path if isinstance(path, io.StringIO) else open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
    try:
        writer = csv.writer(handle)
        writer.writerow(header)
        if hxl:
            writer.writerow(hxl)
        for row in rows:
            writer.writerow([safe_cell(value) for value in row])
    finally:
        if not isinstance(path, io.StringIO):
            handle.close()


def write_xlsx(
    path: Path | io.BytesIO, sheets: dict[str, tuple[Sequence[str], Iterable[Sequence[Any]]]]
) -> None:
    """One sheet per table; every cell written as a value (strings escaped), never as a formula."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, (header, rows) in sheets.items():
        sheet = book.create_sheet(title=name[:31])
        sheet.append(list(header))
        for row in rows:
            sheet.append([_xlsx_value(value) for value in row])
    book.save(path)


def _xlsx_value(value: Any) -> Any:
    value = safe_cell(value)
    return value


# --- reading ---------------------------------------------------------------------------------------


class Unreadable(ValueError):
    """The file as a whole cannot be read (not CSV, not XLSX, not JSON): the report names it."""


def _text(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Unreadable(
            _("%(name)s is not UTF-8 text (byte %(position)s).") % {"name": name, "position": error.start}
        ) from None


def read_csv(data: bytes, sheet: str) -> tuple[list[Row], list[RowError]]:
    """Rows of a CSV with a header. Line numbers as a spreadsheet shows them (header = 1).

    An HXL hashtag row (every non-empty cell starts with #) under the header is skipped.
    """
    check_size(len(data))
    errors: list[RowError] = []
    try:
        text = _text(data, sheet)
    except Unreadable as error:
        return [], [RowError(sheet, 1, "__all__", str(error))]
    if "\x00" in text:
        return [], [RowError(sheet, 1, "__all__", _("The file holds NUL characters: it is not a CSV."))]
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[Row] = []
    try:
        header = next(reader, None)
        if not header or not any(cell.strip() for cell in header):
            return [], [RowError(sheet, 1, "__all__", _("The file has no header row."))]
        header = [cell.strip() for cell in header]
        duplicates = sorted({name for name in header if name and header.count(name) > 1})
        if duplicates:
            return [], [RowError(sheet, 1, duplicates[0], _("The column appears twice in the header."))]
        for values in reader:
            number = reader.line_num
            if not any(cell.strip() for cell in values):
                continue
            if all(not cell or cell.startswith("#") for cell in values) and number == 2:
                continue  # the HXL hashtag row
            if len(values) > len(header):
                errors.append(
                    RowError(
                        sheet, number, "__all__", _("The row has more cells than the header has columns.")
                    )
                )
                continue
            row = {name: unescape_cell(value) for name, value in zip(header, values, strict=False) if name}
            rows.append(Row(sheet, number, row))
    except csv.Error as error:
        errors.append(
            RowError(sheet, reader.line_num or 1, "__all__", _("Malformed CSV: %(e)s") % {"e": error})
        )
    return rows, errors


def read_xlsx(data: bytes) -> tuple[dict[str, list[Row]], list[RowError]]:
    """Rows of every sheet of a workbook, by sheet title. Row numbers as Excel shows them."""
    check_size(len(data))
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        OSError,
        TypeError,
        IndexError,
        AttributeError,
    ) as error:
        return {}, [RowError("xlsx", 1, "__all__", _("Not a readable XLSX workbook: %(e)s") % {"e": error})]
    except Exception as error:  # openpyxl raises many kinds on a damaged archive; the report names it
        return {}, [RowError("xlsx", 1, "__all__", _("Not a readable XLSX workbook: %(e)s") % {"e": error})]
    sheets: dict[str, list[Row]] = {}
    errors: list[RowError] = []
    try:
        for sheet in book.worksheets:
            values = sheet.iter_rows(values_only=True)
            header = next(values, None)
            if header is None:
                continue
            header = [str(cell).strip() if cell is not None else "" for cell in header]
            rows = []
            for number, cells in enumerate(values, start=2):
                if cells is None or all(cell in (None, "") for cell in cells):
                    continue
                if number == 2 and all(cell is None or str(cell).startswith("#") for cell in cells):
                    continue
                row = {
                    name: unescape_cell(_cell_text(cell))
                    for name, cell in zip(header, cells, strict=False)
                    if name
                }
                rows.append(Row(sheet.title, number, row))
            sheets[sheet.title] = rows
    except Exception as error:  # a damaged sheet part: named, never a crash
        errors.append(RowError("xlsx", 1, "__all__", _("Not a readable XLSX workbook: %(e)s") % {"e": error}))
    finally:
        book.close()
    return sheets, errors


def _cell_text(cell: Any) -> str:
    import datetime

    if cell is None:
        return ""
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat() if cell.time() == datetime.time() else cell.isoformat()
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def read_json_records(data: bytes, sheet: str) -> tuple[list[Row], list[RowError]]:
    """A JSON list of objects (or {"results": [...]}, as KoboToolbox's API answers)."""
    check_size(len(data))
    try:
        payload = json.loads(_text(data, sheet))
    except Unreadable as error:
        return [], [RowError(sheet, 1, "__all__", str(error))]
    except (json.JSONDecodeError, RecursionError) as error:
        return [], [RowError(sheet, 1, "__all__", _("Malformed JSON: %(e)s") % {"e": error})]
    if isinstance(payload, dict) and isinstance(payload.get("results"), list):
        payload = payload["results"]
    if isinstance(payload, dict) and isinstance(payload.get("value"), list):  # ODK Central's OData
        payload = payload["value"]
    if not isinstance(payload, list):
        return [], [RowError(sheet, 1, "__all__", _("Expected a list of submissions."))]
    rows, errors = [], []
    for number, item in enumerate(payload, start=1):
        if not isinstance(item, dict):
            errors.append(RowError(sheet, number, "__all__", _("A submission must be an object.")))
            continue
        rows.append(Row(sheet, number, _flatten(item)))
    return rows, errors


def _flatten(item: dict, prefix: str = "") -> dict[str, Any]:
    """Kobo nests groups as "group/field" keys already; ODK's OData nests them as objects."""
    flat: dict[str, Any] = {}
    for key, value in item.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and not key.startswith("__"):
            flat.update(_flatten(value, prefix=f"{name}/"))
        else:
            flat[name] = value
    return flat


def text_of(value: Any) -> str:
    """A cell as text, whatever the reader produced (JSON numbers and booleans included)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value)
    return str(value).strip()
