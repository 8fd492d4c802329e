"""End to end: markup typed into a workbook is text in the report and fetches nothing."""

from __future__ import annotations

import subprocess
from pathlib import Path

from bs4 import BeautifulSoup
from pypdf import PdfReader
from typer.testing import CliRunner

from envreport.cli import app
from tests.workbooks import ORGANIZATION, PROJECTS, minimal, write_workbook

NAME = '<script>alert(1)</script><img src="file:///etc/passwd">'
PROJECT = '<link rel="attachment" href="file:///etc/passwd">Rail'


def test_markup_in_a_workbook_renders_as_text_and_fetches_nothing(tmp_path: Path) -> None:
    org = [[k, NAME if k == "organization_name" else v] for k, v in ORGANIZATION]
    projects = [list(r) for r in PROJECTS]
    projects[2][1] = PROJECT
    workbook = write_workbook(tmp_path / "hostile.xlsx", minimal(Organization=org,
                                                                 Projects=projects))
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(workbook), "-o", str(out), "--lang", "en",
                                      "-q"])
    assert result.exit_code == 0, result.output

    html = (out / "report.html").read_text()
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None
    assert soup.find("img") is None
    assert soup.find("link", rel="attachment") is None
    assert NAME in soup.get_text()
    assert soup.title is not None
    assert NAME in soup.title.get_text()
    # The name may appear as text (title, meta author) but never as a URL to fetch.
    urls = [tag.get(a) for tag in soup.find_all(True) for a in ("src", "href", "data")]
    assert not [u for u in urls if u and "passwd" in u]

    pdf = out / "report.pdf"
    reader = PdfReader(pdf)
    assert sorted(reader.attachments) == ["calculations.csv", "results.json", "validation.json"]
    assert b"root:x:0:0" not in pdf.read_bytes()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "<script>alert(1)</script>" in text
