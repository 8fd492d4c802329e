"""Values from data written out inert: CSV fields and xlsx cells never carry a live formula."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from envreport.render import trail_csv
from envreport.safe_text import EXCEL_MAX_TEXT, csv_safe, one_line, set_cell, set_text_cell

FORMULAS = (
    '=HYPERLINK("http://evil.example","y")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1)",
    "\t=1+1",
    "\r=1+1",
)


@pytest.mark.parametrize("payload", FORMULAS)
def test_csv_safe_prefixes_every_formula_trigger(payload: str) -> None:
    assert csv_safe(payload) == "'" + payload


def test_csv_safe_keeps_numbers_and_plain_text() -> None:
    assert csv_safe(-2.5) == -2.5
    assert csv_safe(-3) == -3
    assert csv_safe(None) == ""
    assert csv_safe(float("inf")) == ""
    assert csv_safe(True) == "true"
    assert csv_safe("Diesel") == "Diesel"
    assert csv_safe("a=b") == "a=b"  # only the first character triggers a formula


def test_trail_csv_writes_no_formula_field() -> None:
    calcs = [{"sheet": "Fuel", "row": 7, "project_id": payload, "fuel": "=1+1", "tco2e": -1.5}
             for payload in FORMULAS]
    text = trail_csv({"calculations": calcs}).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [row["project_id"] for row in rows] == ["'" + p for p in FORMULAS]
    assert {row["fuel"] for row in rows} == {"'=1+1"}
    assert {row["tco2e"] for row in rows} == {"-1.5"}  # our own negative figure stays a number
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "@", "\t", "\r")), row
            assert not value.startswith("-") or value == "-1.5", row


def test_xlsx_cells_from_data_are_strings_never_formulas(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    for row, payload in enumerate(FORMULAS, start=1):
        set_text_cell(sheet.cell(row, 1), payload)
        set_cell(sheet.cell(row, 2), payload)
    set_cell(sheet.cell(1, 3), 12.5)
    set_cell(sheet.cell(2, 3), 10**20)           # beyond Excel's precision: kept as text
    set_cell(sheet.cell(3, 3), float("nan"))
    set_text_cell(sheet.cell(4, 3), "bell\x07 and nul\x00")  # openpyxl would raise on these
    set_text_cell(sheet.cell(5, 3), "x" * (EXCEL_MAX_TEXT + 10))
    path = tmp_path / "out.xlsx"
    book.save(path)

    with zipfile.ZipFile(path) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    reread = load_workbook(path)  # data_only=False: a formula would come back as type "f"
    cells = [cell for row in reread.active.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells)
    assert [reread.active.cell(r, 1).value for r in range(1, 6)] == [
        '=HYPERLINK("http://evil.example","y")', "=cmd|' /C calc'!A0", "+1+1", "-2+3",
        "@SUM(1)"]
    assert reread.active["C1"].value == 12.5
    assert reread.active["C2"].value == "100000000000000000000"
    assert reread.active["C3"].value == "nan"
    assert reread.active["C4"].value == "bell and nul"
    assert len(reread.active["C5"].value) == EXCEL_MAX_TEXT


def test_one_line_is_workbook_text_on_one_bounded_line() -> None:
    # blank in any form: None, so that a citation says what is missing
    assert [one_line(v, 10) for v in (None, float("nan"), "", " \n\t ", "\u202e")] == [
        None] * 5
    # lines and runs of spaces folded, direction controls dropped, a number as its text
    assert one_line(" Grid\r\n  Co\u202e\t2024 ", 20) == "Grid Co 2024"
    assert one_line(12.5, 10) == "12.5"
    # at the limit as it is; one longer cut to the limit with "…", no space before it
    assert one_line("abcd efghij", 11) == "abcd efghij"
    assert one_line("abcd efghij", 6) == "abcd…"
