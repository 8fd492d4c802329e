"""Every text field of a real submission holds markup, a formula or terminal markup: nothing
envreport writes makes it live (issue 10).

The SRE sample gets a payload in front of every free-text value of every sheet (ids and
values the contract looks up — units, enums, countries, fuels — keep their text, so the
workbook stays valid and everything is built). Then the real commands run: ``build`` with
the PDF, ``validate --annotate`` and ``batch`` with the parent and SRI. Checked:

- report.html (the entity's and the group's), status.html: no element or attribute that
  came from the data (no script, iframe, svg, img, attachment link, event handler, no URL
  naming /etc/passwd), and the payload text is there as text;
- calculations.csv (attached to the PDF), status.xlsx, the annotated copies: no live
  formula (no ``<f>`` in any sheet, no CSV field starting ``= + - @`` TAB CR);
- results.json and validation.json: strict JSON.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook
from pypdf import PdfReader
from typer.testing import CliRunner

from envreport.cli import app
from envreport.io import read_workbook
from envreport.safe_text import set_text_cell
from envreport.validate import validate

SAMPLES = Path(__file__).resolve().parents[1] / "sample_inputs" / "group"
PAYLOADS = (
    '<script>alert(1)</script><iframe src="file:///etc/passwd"></iframe>',
    '=HYPERLINK("http://evil.example","y")',
    "[/bold][link=file:///etc/passwd]x[/link]",
    "+1+1<svg onload=alert(1)>",
    "@SUM(1)<img src=x onerror=alert(1)>",
    '-2+3<link rel="attachment" href="file:///etc/passwd">',
    "{{ 7*7 }}{% raw %}",
    "\t=1+1",
)
FORBIDDEN_TAGS = ("iframe", "img", "object", "embed")
URL_ATTRIBUTES = ("src", "href", "data", "action", "formaction", "xlink:href", "poster", "srcset")
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _is_key(header: object) -> bool:
    """Ids tie rows together: a payload there would only break the links, not test escaping."""
    return not isinstance(header, str) or header.endswith(("_id", "_ids"))


def payloaded(source: Path, target: Path) -> tuple[Path, int]:
    """``source`` with a payload in front of every free-text value that still validates.

    Every text value gets one; the cells validation then rejects (a unit, an enum value, a
    country: looked up, not free text), and the rest of a row with an error elsewhere, get
    their value back, until the workbook is as valid as the sample. Returns the file and the
    number of cells left holding a payload.
    """
    book = load_workbook(source)
    original: dict[tuple[str, str], str] = {}
    for sheet in book.worksheets:
        headers = [cell.value for cell in sheet[1]]
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                header = headers[cell.column - 1] if cell.column <= len(headers) else None
                if sheet.title == "Organization" and cell.column == 2:
                    header = row[0].value
                if not isinstance(cell.value, str) or not cell.value.strip() or _is_key(header):
                    continue
                if sheet.title == "Organization" and cell.column == 1:
                    continue  # the field names
                original[(sheet.title, cell.coordinate)] = cell.value
                payload = PAYLOADS[len(original) % len(PAYLOADS)]
                set_text_cell(cell, f"{payload} {cell.value}")
    baseline = {(f.sheet, f.cell) for f in validate(read_workbook(source)).findings.errors}
    for _ in range(8):
        book.save(target)
        errors = {(f.sheet, f.cell) for f in validate(read_workbook(target)).findings.errors}
        new = errors - baseline
        restore = [key for key in original if key in new]
        if not restore:  # errors elsewhere in their rows (cross-field rules)
            rows = {(sheet, re.sub(r"^[A-Z]+", "", cell or "")) for sheet, cell in new}
            restore = [key for key in original
                       if (key[0], re.sub(r"^[A-Z]+", "", key[1])) in rows]
        if not restore:
            break
        for sheet_name, reference in restore:
            book[sheet_name][reference].value = original.pop((sheet_name, reference))
    assert not errors - baseline, f"still invalid at {sorted(errors - baseline)[:5]}"
    return target, len(original)


def assert_inert_html(path: Path, *, own_scripts: int = 0) -> str:
    """No element or attribute from the data in the page at ``path``; its text returned.

    ``own_scripts``: the page's own inline scripts (the status board's sort), which must not
    contain anything from the data.
    """
    html = path.read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    scripts = soup.find_all("script")
    assert len(scripts) == own_scripts, f"{len(scripts)} scripts in {path}"
    assert not [s for s in scripts if "alert" in s.get_text() or s.get("src")], path
    for tag in FORBIDDEN_TAGS:
        assert soup.find(tag) is None, f"<{tag}> in {path}"
    assert soup.find("link", rel="attachment") is None
    # the charts are inline SVG drawn by matplotlib; a payload's <svg onload> would be another
    assert all("chart" in (svg.get("class") or []) for svg in soup.find_all("svg")), path
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            assert not name.lower().startswith("on"), f"{name}= on <{element.name}> in {path}"
            if name.lower() in URL_ATTRIBUTES:  # text in content= or title= is only text
                text = " ".join(value) if isinstance(value, list) else str(value)
                assert "passwd" not in text, f"{name}={text!r} in {path}"
                assert "evil.example" not in text, f"{name}={text!r} in {path}"
    return soup.get_text()


def assert_no_formula_in_xlsx(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<(\w+:)?f[ >]", archive.read(name)), f"formula in {name}"
    for sheet in load_workbook(path).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"


def assert_no_formula_in_csv(data: bytes) -> int:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    fields = 0
    for row in rows[1:]:
        for value in row:
            fields += 1
            if value.startswith(TRIGGERS):
                float(value)  # only our own negative numbers may start with "-"
    return fields


def strict_json(data: str | bytes) -> dict:
    def refuse(name: str) -> None:
        raise AssertionError(f"{name} in JSON")

    return json.loads(data, parse_constant=refuse)


@pytest.fixture(scope="module")
def hostile_sre(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    folder = tmp_path_factory.mktemp("payload")
    return payloaded(SAMPLES / "sre.xlsx", folder / "sre.xlsx")


def test_payloads_fill_the_free_text_fields(hostile_sre: tuple[Path, int]) -> None:
    path, count = hostile_sre
    assert count > 100  # project names, sources, references, descriptions, notes ...
    texts = [cell.value for sheet in load_workbook(path).worksheets
             for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    for payload in PAYLOADS:
        assert any(text.startswith(payload) for text in texts), payload


@pytest.mark.slow
def test_build_writes_nothing_live(hostile_sre: tuple[Path, int], tmp_path: Path) -> None:
    path, _ = hostile_sre
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(path), "-o", str(out), "--lang", "en", "-q"])
    assert result.exit_code == 0, result.output
    text = assert_inert_html(out / "report.html")
    assert "<script>alert(1)</script>" in text  # shown, as text
    assert "[/bold][link=file:///etc/passwd]x[/link]" in text
    strict_json((out / "results.json").read_text(encoding="utf-8"))
    attachments = PdfReader(out / "report.pdf").attachments
    assert assert_no_formula_in_csv(attachments["calculations.csv"][0]) > 1000
    strict_json(attachments["validation.json"][0])
    assert b"root:x:0:0" not in (out / "report.pdf").read_bytes()


def test_annotated_copy_and_text_output(hostile_sre: tuple[Path, int], tmp_path: Path) -> None:
    path, _ = hostile_sre
    annotated = tmp_path / "annotated.xlsx"
    result = CliRunner().invoke(app, ["validate", str(path), "--annotate", str(annotated)])
    assert result.exit_code == 0, result.output
    assert_no_formula_in_xlsx(annotated)
    values = [cell.value for sheet in load_workbook(annotated).worksheets
              for row in sheet.iter_rows() for cell in row]
    assert '=HYPERLINK("http://evil.example","y")' in " ".join(map(str, values))


@pytest.mark.slow
def test_batch_outputs_are_inert(hostile_sre: tuple[Path, int], tmp_path: Path) -> None:
    path, _ = hostile_sre
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "sre.xlsx").write_bytes(path.read_bytes())
    for name in ("parent.xlsx", "sri.xlsx"):
        (folder / name).write_bytes((SAMPLES / name).read_bytes())
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["batch", str(folder), "-o", str(out), "--no-pdf",
                                      "--lang", "en", "-q", "-j", "1"])
    assert result.exit_code in (0, 1), result.output
    board = strict_json((out / "status.json").read_text(encoding="utf-8"))
    assert_inert_html(out / "status.html", own_scripts=1)  # its column sort
    assert_no_formula_in_xlsx(out / "status.xlsx")
    pages = sorted(out.glob("*/report.html"))
    assert len(pages) >= 4, pages  # three entities and the group
    for page in pages:
        assert_inert_html(page)
    for annotated in out.glob("*/annotated.xlsx"):
        assert_no_formula_in_xlsx(annotated)
    written = {p.resolve() for p in out.rglob("*")}
    assert all(str(p).startswith(str(out.resolve())) for p in written)
    assert board["counts"]
