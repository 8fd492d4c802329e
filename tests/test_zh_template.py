"""The Chinese template end to end (Chinese tabs read as their contract sheets; findings name
the canonical sheet and mark the Chinese tab), and byte-stable xlsx outputs (template,
annotated copy, status.xlsx: every time in them pinned)."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from envreport.batch.status import write_status_xlsx
from envreport.cli import app
from envreport.schema import SHEETS
from envreport.workbook.template import write_template
from tests.conftest import validate_file
from tests.test_template import fill_template

runner = CliRunner()


def _filled_chinese_template(path: Path) -> Path:
    write_template(path, "zh")
    fill_template(path)
    return path


def test_a_filled_chinese_template_validates_annotates_and_builds(tmp_path: Path) -> None:
    path = _filled_chinese_template(tmp_path / "zh.xlsx")
    book = load_workbook(path)
    assert "燃料燃烧" in book.sheetnames
    assert "Fuel" not in book.sheetnames
    book["燃料燃烧"]["E2"] = -5  # 消耗量 (quantity) of the one Fuel row
    book.save(path)

    # findings name the canonical sheet, at the cell of the Chinese tab
    submission = validate_file(path)
    assert submission.findings.flatten(("sheet", "cell", "code", "field")) == [
        ["Fuel", "E2", "value-out-of-range", "quantity"]]

    annotated = tmp_path / "annotated.xlsx"
    result = runner.invoke(app, ["validate", str(path), "--annotate", str(annotated), "-q"])
    assert result.exit_code == 1, result.output
    copy = load_workbook(annotated)
    assert copy.sheetnames[:4] == ["Findings", "说明", "机构信息", "项目"]
    listing = copy["Findings"]
    # the tab the preparer looks for, where the link goes, and the canonical sheet (r14)
    assert listing["C2"].value == "燃料燃烧 (Fuel)"
    assert listing["D2"].value == "E2"
    assert listing["D2"].hyperlink.location == "'燃料燃烧'!E2"
    marked = copy["燃料燃烧"]["E2"]
    assert marked.fill.fgColor.rgb.endswith("F4B6B6")
    assert "value-out-of-range" in marked.comment.text

    # corrected, it builds, with the Chinese tabs' rows in the figures
    book = load_workbook(path)
    book["燃料燃烧"]["E2"] = 1000
    book.save(path)
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(path), "-o", str(out), "--no-pdf",
                                 "--lang", "zh", "-q"])
    assert result.exit_code == 0, result.output
    results = json.loads((out / "results.json").read_text())
    assert results["organization"]["entity_id"] == "T1"
    # the 1,000 L of diesel on 燃料燃烧 and the 5,000 kWh on 外购能源 are in the figures, at
    # the 80 % equity share: 1000 L x 0.84 kg/L x 43 TJ/Gg = 36.12 GJ -> 28.896 GJ;
    # 5000 kWh x 0.39861 kg/kWh (Pakistan 2024) x 80 % = 1.594 t -> 1.6 t as results.json rounds it
    assert results["energy"]["fuel_gj"] == 28.896
    assert results["ghg"]["scope2_location_tco2e"] == 1.6


def test_a_batch_reads_a_chinese_template_and_annotates_its_tab(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    path = _filled_chinese_template(inputs / "zh.xlsx")
    book = load_workbook(path)
    book["燃料燃烧"]["E2"] = -5
    book.save(path)
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", str(inputs), "-o", str(out), "--no-pdf",
                                 "--lang", "en", "--workers", "1", "-q"])
    assert result.exit_code == 1, result.output
    (entry,) = json.loads((out / "status.json").read_text())["entities"]
    assert entry["state"] == "invalid"
    assert [(f["sheet"], f["cell"], f["code"]) for f in entry["findings"]] == [
        ("Fuel", "E2", "value-out-of-range")]
    copy = load_workbook(out / entry["outputs"]["annotated"])
    assert "value-out-of-range" in copy["燃料燃烧"]["E2"].comment.text


def test_both_names_of_one_sheet_are_a_duplicate(tmp_path: Path) -> None:
    path = _filled_chinese_template(tmp_path / "zh.xlsx")
    book = load_workbook(path)
    book.copy_worksheet(book["燃料燃烧"]).title = "Fuel"
    book.save(path)
    codes = validate_file(path).findings.flatten(("sheet", "code", "value"))
    assert ["Fuel", "sheet-duplicate", "Fuel"] in codes


def test_the_workbook_doc_lists_every_chinese_tab_name() -> None:
    doc = " ".join((Path(__file__).parent.parent / "docs" / "workbook.md").read_text().split())
    for spec in SHEETS:
        assert f"`{spec.name}` {spec.title_zh}" in doc, spec.name


def _times(path: Path) -> tuple[set[tuple[int, ...]], list[str]]:
    """The date of every zip entry and the times in docProps/core.xml."""
    with zipfile.ZipFile(path) as archive:
        dates = {info.date_time for info in archive.infolist()}
        core = archive.read("docProps/core.xml").decode()
    return dates, re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core)


@pytest.mark.parametrize(("epoch", "stamp", "date_time"), [
    (None, "2024-01-01T00:00:00Z", (2024, 1, 1, 0, 0, 0)),
    ("1700000000", "2023-11-14T22:13:20Z", (2023, 11, 14, 22, 13, 20)),
])
def test_xlsx_outputs_carry_only_the_pinned_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 epoch: str | None, stamp: str,
                                                 date_time: tuple[int, ...]) -> None:
    if epoch is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    source = _filled_chinese_template(tmp_path / "in.xlsx")
    book = load_workbook(source)
    book["燃料燃烧"]["E2"] = -5
    book.save(source)
    board = {"entities": [], "group": {"findings": []}, "complete": True}
    made: dict[str, list[bytes]] = {"template": [], "annotated": [], "status": []}
    for run in ("a", "b"):
        folder = tmp_path / run
        made["template"].append(write_template(folder / "t.xlsx", "zh").read_bytes())
        annotated = folder / "annotated.xlsx"
        runner.invoke(app, ["validate", str(source), "--annotate", str(annotated), "-q"])
        made["annotated"].append(annotated.read_bytes())
        made["status"].append(write_status_xlsx(board, folder / "status.xlsx").read_bytes())
        for path in (folder / "t.xlsx", annotated, folder / "status.xlsx"):
            dates, core = _times(path)
            assert dates == {date_time}, path.name
            assert core == [stamp, stamp], path.name
    for name, (first, second) in made.items():
        assert first == second, name
