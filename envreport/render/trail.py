"""The row-level calculation trail as CSV (attached to the PDF, complete at any size)."""

from __future__ import annotations

import csv
import io
from typing import Any

from envreport.safe_text import csv_safe

#: contract fields first (spec/results.md, ``calculations``), in this order
TRAIL_FIELDS = (
    "sheet", "row", "project_id", "scope", "category", "method", "method_note", "fuel",
    "activity", "activity_unit", "factor", "factor_unit", "factor_source", "gas", "gas_t",
    "gwp", "share", "tco2e",
)


def trail_csv(results: dict[str, Any]) -> bytes:
    """Every entry of ``results["calculations"]`` as UTF-8 CSV (with a BOM, so spreadsheet
    programs read Chinese text correctly); keys beyond the contract follow, sorted.

    Text from the workbook (project ids, fuels, notes) can begin with ``=``: every field goes
    through :func:`csv_safe`, so no spreadsheet program opens a live formula."""
    calcs = results.get("calculations") or []
    extra = sorted({key for calc in calcs for key in calc} - set(TRAIL_FIELDS))
    fields = [*TRAIL_FIELDS, *extra]
    buffer = io.StringIO()
    # RFC 4180 line ends: with "\n" alone, csv leaves a bare "\r" from data unquoted, and the
    # reader then splits the row there.
    writer = csv.DictWriter(buffer, fieldnames=fields, extrasaction="ignore",
                            lineterminator="\r\n")
    writer.writeheader()
    for calc in calcs:
        writer.writerow({key: csv_safe(calc.get(key)) for key in fields})
    return buffer.getvalue().encode("utf-8-sig")
