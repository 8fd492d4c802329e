"""Printed xlsx: rows sized to their wrapped text (the template's Instructions, the annotated
copy's Findings sheet), from hand-counted line breaks."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from envreport.cli import app
from envreport.workbook.printing import LINE_HEIGHT, row_height, text_lines
from envreport.workbook.template import write_template

FAULTY = Path(__file__).parent.parent / "sample_inputs" / "faulty" / "faulty_submission.xlsx"


@pytest.mark.parametrize(("text", "width", "lines"), [
    ("hello world", 20, 1),
    ("a " * 30, 20, 3),        # 10 words of 2 characters fill the 19 usable characters
    ("x" * 50, 20, 3),         # one 50-character token breaks inside itself: 19 + 19 + 12
    ("中文" * 20, 20, 5),       # 8 CJK characters (2.2 wide each) to a line: 40 / 8
    ("first\nsecond", 20, 2),  # a line break is a line
])
def test_text_lines_counts_wrapped_lines(text: str, width: float, lines: int) -> None:
    assert text_lines(text, width) == lines


def test_row_height_is_the_tallest_cell_capped_at_excels_limit() -> None:
    assert row_height([("x" * 50, 20), ("short", 5), (None, 1)]) == 3 * LINE_HEIGHT + 3
    assert row_height([("", 10)]) == LINE_HEIGHT + 3
    assert row_height([("x" * 100_000, 10)]) == 409


@pytest.mark.parametrize(("lang", "tab"), [("en", "Findings"), ("zh", "检查结果")])
def test_findings_rows_are_as_tall_as_their_wrapped_message(tmp_path: Path, lang: str,
                                                            tab: str) -> None:
    out = tmp_path / "annotated.xlsx"
    result = CliRunner().invoke(app, ["validate", str(FAULTY), "--annotate", str(out), "-q",
                                      "--lang", lang])
    assert result.exit_code == 1
    listing = load_workbook(out)[tab]
    widths = {c: listing.column_dimensions[c].width for c in "ABCDEFGH"}
    assert sum(widths.values()) <= 170  # one landscape page wide at a readable scale
    for row in range(2, listing.max_row + 1):
        message = listing.cell(row, 7).value
        needed = text_lines(message, widths["G"]) * LINE_HEIGHT
        assert listing.row_dimensions[row].height >= needed, (row, message)
    # the duplicate-row message (about 100 characters in a 50-wide column) needs 2+ lines
    heights = [listing.row_dimensions[r].height for r in range(2, listing.max_row + 1)]
    assert max(heights) >= 2 * LINE_HEIGHT


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_instruction_rows_are_as_tall_as_their_wrapped_text(tmp_path: Path, lang: str) -> None:
    sheet = load_workbook(write_template(tmp_path / "t.xlsx", lang)).worksheets[0]
    width_b = sheet.column_dimensions["B"].width
    checked = 0
    for row in range(8, 25):
        text = sheet.cell(row, 2).value
        if isinstance(text, str) and text_lines(text, width_b) >= 2:
            assert sheet.row_dimensions[row].height >= 2 * LINE_HEIGHT, (row, text)
            checked += 1
    assert checked >= 3
    assert sheet.cell(8, 1).alignment.vertical == "top"
