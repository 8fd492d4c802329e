"""The annotated copy: written from what envreport read, inert, and never fatal.

Each case is a generated workbook: formula payloads in text cells, mutants the reader
accepts but openpyxl's loader does not, sheets sharing one part, a merged-cell finding.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import hostile_files as hf
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner
from workbooks import minimal, write_workbook

from envreport.cli import app
from envreport.findings import Finding, Findings
from envreport.io import read_workbook
from envreport.validate import AUXILIARY_SHEETS
from envreport.workbook.annotate import ERROR_FILL, WARNING_FILL, write_annotated

runner = CliRunner()

PAYLOADS = ('=HYPERLINK("http://evil.example","y")', "=cmd|' /C calc'!A0", "+1+1", "-2+3",
            "@SUM(1)")


def text_workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """Like ``write_workbook``, but every text cell is a string cell, formula-like or not
    (a subsidiary who types ``=cmd|...`` into a text cell saved as text)."""
    write_workbook(path, sheets)
    book = load_workbook(path)
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    book.save(path)
    return path


def formula_cells(path: Path) -> list[str]:
    book = load_workbook(path)
    return [f"{ws.title}!{cell.coordinate}" for ws in book.worksheets
            for row in ws.iter_rows() for cell in row if cell.data_type == "f"]


def test_payloads_stay_text_in_every_sheet_of_the_copy(tmp_path: Path) -> None:
    sheets = minimal()
    projects = sheets["Projects"]
    # project names: copied as they are; host_country: a finding whose value is the payload
    for i, payload in enumerate(PAYLOADS[:2], start=1):
        projects[i][1] = payload
    projects[2][2] = PAYLOADS[2]
    projects.append(["P3", PAYLOADS[3], PAYLOADS[4], "energy", "solar_pv", "operation", 100,
                     "approved", None, 5])
    source = text_workbook(tmp_path / "inject.xlsx", sheets)
    assert not formula_cells(source)  # the input holds text, not formulas
    out = tmp_path / "annotated.xlsx"
    result = runner.invoke(app, ["validate", str(source), "--annotate", str(out), "-q"])
    assert result.exit_code == 1, result.output
    assert formula_cells(out) == []
    book = load_workbook(out)
    copied = book["Projects"]
    assert [copied["B2"].value, copied["B3"].value, copied["C3"].value] == [
        PAYLOADS[0], PAYLOADS[1], PAYLOADS[2]]
    assert [copied["B4"].value, copied["C4"].value] == [PAYLOADS[3], PAYLOADS[4]]
    assert {copied[ref].data_type for ref in ("B2", "B3", "C3", "B4", "C4")} == {"s"}
    # the bad host countries are findings at their cells, their values listed as text
    listing = list(book["Findings"].iter_rows(min_row=2, values_only=True))
    at = {(row[2], row[3]): row for row in listing}
    assert at[("Projects", "C3")][5] == PAYLOADS[2]
    assert at[("Projects", "C4")][5] == PAYLOADS[4]
    assert copied["C3"].fill.fgColor.rgb.endswith(ERROR_FILL.fgColor.rgb[-6:])
    assert PAYLOADS[2] in copied["C3"].comment.text


def test_findings_sheet_prints_on_the_page_width_and_links_to_cells(tmp_path: Path) -> None:
    sheets = minimal()
    sheets["Projects"][2][2] = "Atlantis"
    source = write_workbook(tmp_path / "bad.xlsx", sheets)
    out = tmp_path / "copy.xlsx"
    assert runner.invoke(app, ["validate", str(source), "--annotate", str(out),
                               "-q"]).exit_code == 1
    listing = load_workbook(out)["Findings"]
    assert load_workbook(out).sheetnames[0] == "Findings"
    assert listing.page_setup.fitToWidth == 1
    assert listing.page_setup.fitToHeight == 0
    assert listing.sheet_properties.pageSetUpPr.fitToPage is True
    assert listing.page_setup.orientation == "landscape"
    assert listing.print_title_rows == "$1:$1"
    row = next(r for r in listing.iter_rows(min_row=2) if r[3].value == "C3")
    assert row[2].value == "Projects"
    assert row[6].alignment.wrap_text is True
    assert row[3].hyperlink.location == "'Projects'!C3"


def test_merged_range_finding_marks_every_cell_of_the_range(tmp_path: Path) -> None:
    source = write_workbook(tmp_path / "ok.xlsx", minimal())
    raw = read_workbook(source)
    findings = Findings([
        Finding("merged-cells", "warning", "Projects", 2, "A", params={"range": "A2:B3"}),
        Finding("unit-unknown", "error", "Fuel", 2, "D", value="=1+1"),
    ])
    out = write_annotated(raw, findings, tmp_path / "copy.xlsx")
    book = load_workbook(out)
    for ref in ("A2", "A3", "B2", "B3"):
        assert book["Projects"][ref].fill.fgColor.rgb.endswith("FFE08A"), ref
        assert "merged-cells" in book["Projects"][ref].comment.text
    assert book["Projects"]["C2"].fill.fill_type is None
    assert book["Projects"]["A2"].value == "P1"  # the value is kept under the mark
    assert book["Fuel"]["D2"].fill.fgColor.rgb.endswith(ERROR_FILL.fgColor.rgb[-6:])
    assert book["Fuel"]["D2"].value == "L"
    listing = list(book["Findings"].iter_rows(min_row=2, values_only=True))
    assert listing[1][5] == "=1+1"
    assert book["Findings"]["F3"].data_type == "s"
    assert WARNING_FILL.fgColor.rgb.endswith("FFE08A")


def test_the_writer_replaces_its_copy_the_refusal_is_the_commands(tmp_path: Path) -> None:
    """``validate --annotate`` refuses an existing file without ``--force`` (tests/test_cli);
    the writer itself does not: the batch writes ``annotated.xlsx`` into each run's fresh
    task folder and the portal into a scratch folder, and a rerun or a second download
    replaces the copy they made."""
    raw = read_workbook(write_workbook(tmp_path / "ok.xlsx", minimal()))
    copy = tmp_path / "copy.xlsx"
    write_annotated(raw, Findings([Finding("unit-unknown", "error", "Fuel", 2, "D")]), copy)
    assert write_annotated(raw, Findings([
        Finding("merged-cells", "warning", "Projects", 2, "A", params={"range": "A2:A2"})]),
        copy) == copy
    listing = list(load_workbook(copy)["Findings"].iter_rows(min_row=2, values_only=True))
    assert [row[:4] for row in listing if row[0]] == [("warning", "merged-cells", "Projects",
                                                        "A2")]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["copy.xlsx", "ok.xlsx"]


def test_a_chinese_comment_reads_as_chinese_is_written(tmp_path: Path) -> None:
    """In the Chinese copy a cell's note puts the severity in Chinese brackets and the field
    as the Chinese template heads it, with no space beside a full-width bracket or colon; the
    English note is as it was."""
    raw = read_workbook(write_workbook(tmp_path / "ok.xlsx", minimal()))
    findings = Findings([Finding("required-missing", "error", "Fuel", 2, "D", "unit")])
    zh = load_workbook(write_annotated(raw, findings, tmp_path / "zh.xlsx", "zh"))
    # the listing's tab is Chinese too; an annotated copy's listing in either language is
    # not copied again (nor validated: AUXILIARY_SHEETS)
    assert zh.sheetnames[0] == "检查结果"
    assert [row[6] for row in zh["检查结果"].iter_rows(min_row=2, values_only=True)] == [
        "单位（unit）为必填项，但单元格为空。"]
    again = load_workbook(write_annotated(read_workbook(tmp_path / "zh.xlsx"), findings,
                                          tmp_path / "again.xlsx", "zh"))
    assert again.sheetnames == zh.sheetnames == ["检查结果", *(s.name for s in raw.sheets)]
    assert AUXILIARY_SHEETS == {"instructions", "说明", "lists", "findings", "检查结果"}
    assert zh["Fuel"]["D2"].comment.text == (
        "【错误】required-missing：单位（unit）为必填项，但单元格为空。\n"
        "→ 请填写单位（unit）的值。")
    en = load_workbook(write_annotated(raw, findings, tmp_path / "en.xlsx"))
    assert en["Fuel"]["D2"].comment.text == (
        "[error] required-missing: unit is required but blank.\n"
        "→ Enter a value for unit.")


# --- mutants the reader accepts (the fuzzing campaign's annotate crashes) ---------------------
def _rewrite(source: Path, target: Path, change: Callable[[dict[str, bytes]], None]) -> Path:
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    change(parts)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return target


def _projects_part(parts: dict[str, bytes]) -> str:
    workbook = parts["xl/workbook.xml"].decode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    rel_id = re.search(r'<sheet[^>]*name="Projects"[^>]*r:id="(\w+)"', workbook)[1]
    target = re.search(rf'<Relationship[^>]*Id="{rel_id}"[^>]*Target="([^"]+)"', rels) or \
        re.search(rf'<Relationship[^>]*Target="([^"]+)"[^>]*Id="{rel_id}"', rels)
    return "xl/" + target[1].lstrip("/").removeprefix("xl/")


def _add_cells(cells: str) -> Callable[[dict[str, bytes]], None]:
    def change(parts: dict[str, bytes]) -> None:
        part = _projects_part(parts)
        xml = parts[part].decode()
        end = xml.index("</row>", xml.index('<row r="2"'))
        parts[part] = (xml[:end] + cells + xml[end:]).encode()
    return change


def _drop(name: str) -> Callable[[dict[str, bytes]], None]:
    return lambda parts: parts.pop(name)


def _garble(name: str) -> Callable[[dict[str, bytes]], None]:
    def change(parts: dict[str, bytes]) -> None:
        parts[name] = b"<Types><Default Extension= garbled"
    return change


def _huge_numfmt(parts: dict[str, bytes]) -> None:
    styles = parts["xl/styles.xml"].decode()
    styles = re.sub(r'numFmtId="\d+"', 'numFmtId="4294967295"', styles)
    parts["xl/styles.xml"] = styles.encode()
    _add_cells('<c r="K2" s="1"><v>45000</v></c>')(parts)


MUTANTS: dict[str, Callable[[dict[str, bytes]], None]] = {
    "odd-date-cells": _add_cells('<c r="K2" t="d"><v>2024-13-45T99:00</v></c>'
                                 '<c r="L2" t="d"><v>x</v></c>'),
    "booleans": _add_cells('<c r="K2" t="b"><v>1</v></c><c r="L2" t="b"><v>0</v></c>'),
    "error-cells": _add_cells('<c r="K2" t="e"><v>#DIV/0!</v></c>'
                              '<c r="L2" t="e"><v>#N/A</v></c>'),
    "missing-styles": _drop("xl/styles.xml"),
    "garbled-content-types": _garble("[Content_Types].xml"),
    "huge-numfmtid": _huge_numfmt,
    "forty-digit-number": _add_cells(
        '<c r="K2"><v>1234567890123456789012345678901234567890</v></c>'
        '<c r="L2"><v>1e308</v></c>'),
}


@pytest.mark.parametrize("name", sorted(MUTANTS))
def test_mutants_the_reader_accepts_annotate_fine(tmp_path: Path, name: str) -> None:
    sheets = minimal()
    sheets["Projects"][2][2] = "Atlantis"  # one finding, so that there is something to mark
    base = write_workbook(tmp_path / "base.xlsx", sheets)
    mutant = _rewrite(base, tmp_path / f"{name}.xlsx", MUTANTS[name])
    read_workbook(mutant)  # the reader accepts it: the copy must be written
    out = tmp_path / "copy.xlsx"
    result = runner.invoke(app, ["validate", str(mutant), "--annotate", str(out), "-q"])
    assert result.exit_code == 1, result.output
    assert "cannot be written" not in result.output
    book = load_workbook(out)
    assert book.sheetnames[0] == "Findings"
    assert book["Projects"]["C3"].value == "Atlantis"
    assert book["Projects"]["C3"].comment is not None
    assert formula_cells(out) == []


# Cells the reader refuses: validate says so in one line (exit 2); no copy is attempted.
REFUSED = {"boolean-7": _add_cells('<c r="K2" t="b"><v>7</v></c>'),
           "unknown-error": _add_cells('<c r="K2" t="e"><v>#NOPE</v></c>')}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_mutants_the_reader_refuses_get_one_line_and_no_copy(tmp_path: Path, name: str) -> None:
    base = write_workbook(tmp_path / "base.xlsx", minimal())
    mutant = _rewrite(base, tmp_path / f"{name}.xlsx", REFUSED[name])
    out = tmp_path / "copy.xlsx"
    result = runner.invoke(app, ["validate", str(mutant), "--annotate", str(out), "-q"])
    assert result.exit_code == 2
    assert f"{name}.xlsx" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_forty_digit_number_keeps_what_excel_can_hold(tmp_path: Path) -> None:
    base = write_workbook(tmp_path / "base.xlsx", minimal())
    mutant = _rewrite(base, tmp_path / "digits.xlsx", MUTANTS["forty-digit-number"])
    raw = read_workbook(mutant)
    out = write_annotated(raw, Findings([Finding("x", "warning", "Projects", 2, "K")]),
                          tmp_path / "copy.xlsx")
    value = load_workbook(out)["Projects"]["K2"].value
    original = raw.sheets[1].rows[1][10]
    assert value == pytest.approx(original, rel=1e-14)  # Excel holds 15 significant digits


def test_sheets_sharing_one_part_are_refused_before_annotating(tmp_path: Path) -> None:
    source = hf.aliased_sheets(tmp_path / "aliases.xlsx", sheets=300, rows=20)
    out = tmp_path / "copy.xlsx"
    result = runner.invoke(app, ["validate", str(source), "--annotate", str(out), "-q"])
    assert result.exit_code == 1  # the validation's own code (it has errors)
    assert "an annotated copy cannot be written for this file:" in result.output
    assert "sharing one part" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    assert not list(tmp_path.glob(".copy.xlsx*"))  # no partial file left behind


def test_an_ods_submission_is_annotated_and_found_by_batch(tmp_path: Path) -> None:
    from odsfiles import write_ods

    from envreport.batch import run_batch

    sheets = minimal()
    sheets["Projects"][2][2] = "Atlantis"
    sheets["Projects"][1][1] = PAYLOADS[1]
    (tmp_path / "in").mkdir()
    source = write_ods(tmp_path / "in" / "sub.ods", sheets)
    out = tmp_path / "copy.xlsx"
    result = runner.invoke(app, ["validate", str(source), "--annotate", str(out), "-q"])
    assert result.exit_code == 1, result.output
    book = load_workbook(out)
    assert book["Projects"]["C3"].comment is not None
    assert book["Projects"]["B2"].value == PAYLOADS[1]
    assert formula_cells(out) == []
    outcome = run_batch([tmp_path / "in"], tmp_path / "out", workers=1, pdf=False)
    entry = outcome.board["entities"][0]
    assert (entry["file"], entry["state"]) == ("sub.ods", "invalid")
    assert (tmp_path / "out" / "TEST" / "annotated.xlsx").is_file()


def test_a_merged_range_in_the_data_is_marked_cell_by_cell(tmp_path: Path) -> None:
    source = write_workbook(tmp_path / "merged.xlsx", minimal())
    book = load_workbook(source)
    book["Projects"].merge_cells("B2:B3")  # project_name of both rows: B3 reads as blank
    book.save(source)
    out = tmp_path / "copy.xlsx"
    result = runner.invoke(app, ["validate", str(source), "--annotate", str(out), "-q"])
    assert result.exit_code == 1, result.output
    copy = load_workbook(out)
    listing = [r for r in copy["Findings"].iter_rows(min_row=2, values_only=True)
               if r[1] == "merged-cells"]
    assert [(r[2], r[3]) for r in listing] == [("Projects", "B2")]
    for ref in ("B2", "B3"):
        cell = copy["Projects"][ref]
        assert cell.fill.fgColor.rgb.endswith(ERROR_FILL.fgColor.rgb[-6:]), ref
        assert "merged-cells" in cell.comment.text, ref
    assert copy["Projects"]["B2"].value == "Solar One"
    assert copy["Projects"]["C2"].comment is None


def test_a_bad_crc_in_an_unused_theme_part_does_not_stop_the_copy(tmp_path: Path) -> None:
    sheets = minimal()
    sheets["Projects"][2][2] = "Atlantis"
    base = write_workbook(tmp_path / "base.xlsx", sheets)
    with zipfile.ZipFile(base) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    theme = "xl/theme/theme1.xml"
    mutant = tmp_path / "bad-crc.xlsx"
    with zipfile.ZipFile(mutant, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data, zipfile.ZIP_STORED if name == theme
                             else zipfile.ZIP_DEFLATED)
    data = bytearray(mutant.read_bytes())
    data[data.find(parts[theme][-200:]) + 100] ^= 0x01  # the stored bytes no longer match
    mutant.write_bytes(bytes(data))
    with zipfile.ZipFile(mutant) as archive, pytest.raises(zipfile.BadZipFile):
        archive.read(theme)  # what re-opening the workbook with openpyxl tripped over
    out = tmp_path / "copy.xlsx"
    result = runner.invoke(app, ["validate", str(mutant), "--annotate", str(out), "-q"])
    assert result.exit_code == 1, result.output
    assert load_workbook(out)["Projects"]["C3"].comment is not None


def test_an_error_value_stays_in_its_marked_cell_as_text(tmp_path: Path) -> None:
    """Fuel C3 holds #N/A: the reader reads it as a blank, so the copy's red cell was empty
    beside its comment about #N/A. It holds #N/A again (an error value, as in the
    submission; no formula); the cells around it are as read."""
    source = write_workbook(tmp_path / "errors.xlsx", minimal())
    book = load_workbook(source)
    cell = book["Fuel"]["C3"]
    cell.value, cell.data_type = "#N/A", "e"
    book.save(source)
    out = tmp_path / "copy.xlsx"
    result = runner.invoke(app, ["validate", str(source), "--annotate", str(out), "-q"])
    assert result.exit_code == 1, result.output
    fuel = load_workbook(out)["Fuel"]
    assert (fuel["C3"].value, fuel["C3"].data_type) == ("#N/A", "e")
    assert fuel["C3"].comment.text.startswith("[error] cell-error-value: quantity holds the "
                                              "Excel error #N/A, not a value.")
    assert [fuel[ref].value for ref in ("A3", "B3", "C2", "D3")] == ["P2", "diesel", 1000, "L"]


def test_the_listing_names_the_sheet_by_the_tab_it_links_to(tmp_path: Path) -> None:
    """A Chinese template's copy listed its findings under "Organization" while its tab, and
    the listing's own link, say 机构信息: the preparer looked for a tab that is not there
    (walked as a data clerk, r14). The listing names the copy's tab, and the canonical sheet
    beside it; English tabs as before."""
    from envreport.workbook.template import write_template

    blank = write_template(tmp_path / "blank.zh.xlsx", "zh")
    out = tmp_path / "copy.xlsx"
    assert runner.invoke(app, ["validate", str(blank), "--annotate", str(out), "--lang", "zh",
                               "-q"]).exit_code == 1
    listing = load_workbook(out)["检查结果"]
    first = next(listing.iter_rows(min_row=2, max_row=2))
    assert [cell.value for cell in first[:5]] == [
        "错误", "required-missing", "机构信息（Organization）", "B2", "entity_id"]
    assert first[3].hyperlink.location == "'机构信息'!B2"
