"""A file that cannot be read says why in the reader's language, the reason included.

Found walking the CLI and the portal in Chinese: "notes.xlsx 无法作为工作簿读取：this is not an
Excel workbook (it looks like a text or CSV file renamed to .xlsx)" — the reason, written by
envreport/io, stayed English. Each reason of ``codes.UNREADABLE_REASONS`` is made here from a
real file, so a reworded reason in io fails this test instead of silently losing its
translation.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from typer.testing import CliRunner

from envreport.cli import app
from envreport.codes import UNREADABLE_REASONS
from envreport.i18n import gettext
from tests.hostile_files import empty_file, encrypted_workbook, legacy_xls, text_file

runner = CliRunner()


def _files(folder: Path) -> dict[Path, str]:
    """Each file a person may submit by mistake, with the reason io gives for it."""
    def written(name: str, content: bytes) -> Path:
        path = folder / name
        path.write_bytes(content)
        return path

    with zipfile.ZipFile(folder / "letter.xlsx", "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    (folder / "a folder.xlsx").mkdir()
    return {
        folder / "gone.xlsx": "the file does not exist",
        folder / "a folder.xlsx": "this is not a regular file",
        empty_file(folder / "empty.xlsx"): "the file is empty (0 bytes)",
        encrypted_workbook(folder / "locked.xlsx"):
            "the workbook is password-protected (encrypted); save it without a password",
        legacy_xls(folder / "old.xls"):
            "this is a legacy Excel 97-2003 (.xls) file; save it as .xlsx",
        written("export.csv", b"project_id,quantity\nA,1\n"):
            "this is a CSV file, not a workbook; open it in Excel or LibreOffice and save it "
            "as an .xlsx workbook",
        written("page.xlsx", b"<!DOCTYPE html><html><body>x</body></html>"):
            "this is not an Excel workbook (it looks like an HTML page)",
        written("scan.xlsx", b"%PDF-1.7\n%\xe2\xe3\n"):
            "this is not an Excel workbook (it looks like a PDF)",
        written("data.xlsx", b'<?xml version="1.0"?><rows/>'):
            "this is not an Excel workbook (it looks like a plain XML file)",
        written("blob.xlsx", b"\x89\xff\xfe\x00" * 64):
            "this is not an Excel workbook (unknown binary content)",
        text_file(folder / "notes.xlsx"):
            "this is not an Excel workbook (it looks like a text or CSV file renamed to .xlsx)",
        text_file(folder / "notes.ods"):  # a LibreOffice or WPS user's file
            "this is not an Excel workbook (it looks like a text or CSV file renamed to .ods)",
        folder / "letter.xlsx":
            "this zip file is not an Excel workbook (it has no xl/workbook.xml)",
    }


def _message(path: Path, lang: str) -> str:
    result = runner.invoke(app, ["validate", str(path), "--format", "json", "--lang", lang,
                                 "-q"])
    assert result.exit_code == 2, (path.name, result.output)
    findings = json.loads(result.stdout)["findings"]
    assert [f["code"] for f in findings] == ["unreadable-file"]
    return str(findings[0]["message"])


def test_each_reason_is_what_io_says_and_reads_in_chinese(tmp_path: Path) -> None:
    files = _files(tmp_path)
    for path, reason in files.items():
        assert _message(path, "en") == f"{path.name} cannot be read as a workbook: {reason}"
        chinese = gettext(reason, "zh")
        assert chinese != reason
        assert _message(path, "zh") == f"{path.name} 无法作为工作簿读取：{chinese}"
    assert _message(tmp_path / "notes.xlsx", "zh") == (
        "notes.xlsx 无法作为工作簿读取："
        "这不是 Excel 工作簿（看起来是扩展名被改为 .xlsx 的文本或 CSV 文件）")
    # Two reasons come from the reading child (a password calamine meets, a child that
    # answers nothing), which no file made here reaches; every other one is made above.
    from_the_child = {"the workbook is password-protected",
                      "reading it failed unexpectedly; refused"}
    assert set(files.values()) == set(UNREADABLE_REASONS) - from_the_child
    assert all(gettext(reason, "zh") != reason for reason in from_the_child)


def test_a_reason_with_details_of_its_own_stays_as_written(tmp_path: Path) -> None:
    # The parser's words are not ours to translate: the sentence stays whole, in English.
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    message = _message(damaged, "zh")
    assert message.startswith("damaged.xlsx 无法作为工作簿读取：the file is damaged")
