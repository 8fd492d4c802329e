"""The portal takes .ods workbooks (LibreOffice, WPS) as the command line reads them.

Found by a new user's walk: ``envreport validate x.ods`` worked, but the portal refused the
same file with 415, so a subsidiary on LibreOffice or WPS could not submit. An .ods passes
the same guards as an .xlsx (the size cap, the reading child and its limits, the zip and XML
checks); what it is, is judged by its content, never by its name or the content type the
client declares; and a stored .ods downloads as an .ods.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from envreport.io import ODS_MEDIA_TYPE as ODS
from envreport.io import (
    WORKBOOK_MEDIA_TYPES,
    WORKBOOK_SUFFIXES,
    UnreadableWorkbookError,
    is_ods_workbook,
)
from envreport.io.safety import check_archive
from envreport.ledger import Ledger
from envreport.portal.web import XLSX
from tests.hostile_files import Member, repeated_deflate, write_zip
from tests.odsfiles import MIMETYPE, write_ods
from tests.portal.support import Seeded, login, upload
from tests.workbooks import minimal, organization_rows, write_workbook

CLIENT_SAYS = "application/octet-stream"  # what a browser sends for a type it does not know


def _ods(path: Path, entity: str) -> Path:
    return write_ods(path, minimal(Organization=organization_rows(entity, 2024)))


def _refused_reasons(seeded: Seeded) -> list[tuple[str, str]]:
    with Ledger(seeded.url) as ledger:
        return [(e["detail"]["file"], e["detail"]["reason"]) for e in ledger.audit_log(50)
                if e["action"] == "upload_refused"]


def test_an_ods_is_recorded_from_the_form_and_downloads_as_an_ods(
        clients: dict[str, TestClient], tmp_path: Path) -> None:
    client = clients["sub"]
    content = _ods(tmp_path / "srea.ods", "SREA").read_bytes()
    answer = upload(client, "丝路东非2024.ods", content, CLIENT_SAYS, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    page = client.get(answer.headers["location"])
    assert "<h1>丝路东非2024.ods</h1>" in page.text
    download = client.get(answer.headers["location"] + "/file")
    assert download.status_code == 200
    assert download.headers["content-type"] == ODS
    assert download.headers["content-disposition"] == (
        "attachment; filename=\"2024.ods\"; filename*=UTF-8''"
        "%E4%B8%9D%E8%B7%AF%E4%B8%9C%E9%9D%9E2024.ods")
    assert download.content == content  # as received, byte for byte
    annotated = client.get(answer.headers["location"] + "/annotated")  # an .xlsx, as the CLI's
    assert annotated.status_code == 200
    assert annotated.headers["content-type"] == XLSX
    assert annotated.headers["content-disposition"] == (
        "attachment; filename=\"2024.annotated.xlsx\"; filename*=UTF-8''"
        "%E4%B8%9D%E8%B7%AF%E4%B8%9C%E9%9D%9E2024.annotated.xlsx")
    # the .ods's sheets, behind the listing of its findings, as an Excel workbook
    assert load_workbook(io.BytesIO(annotated.content), read_only=True).sheetnames == [
        "Findings", "Organization", "Projects", "Fuel"]
    # another submitter does not see it; the form names the .ods among what it takes
    assert clients["sub2"].get(answer.headers["location"] + "/file").status_code == 404
    form = client.get("/upload").text
    assert ('Workbook (.xlsx, .xlsm, .ods) <input type="file" name="workbook" '
            'accept=".xlsx,.xlsm,.ods" required>') in form
    assert "工作簿（.xlsx、.xlsm、.ods）" in client.get("/upload?lang=zh").text


def test_the_api_takes_an_ods_for_the_submitters_own_entity_only(
        clients: dict[str, TestClient], tokens: dict[str, str], tmp_path: Path) -> None:
    sre = _ods(tmp_path / "sre.ods", "SRE").read_bytes()

    def post(who: str | None) -> object:
        headers = {"authorization": f"Bearer {tokens[who]}"} if who else {}
        return clients["anon"].post("/api/v1/submissions", headers=headers,
                                    files={"workbook": ("sre.ods", sre, CLIENT_SAYS)})

    recorded = post("sub2")
    assert recorded.status_code == 201, recorded.text
    assert (recorded.json()["entity_id"], recorded.json()["file_name"]) == ("SRE", "sre.ods")
    refused = post("sub")  # SREA's submitter: the workbook is SRE's
    assert refused.status_code == 422
    assert refused.json()["detail"] == ("This workbook is for entity SRE, which you may not "
                                        "submit for.")
    assert [post(who).status_code for who in ("aud", "adm", None)] == [403, 403, 401]


def test_a_hostile_ods_is_refused_as_a_hostile_xlsx_is(
        fresh: tuple[TestClient, Seeded], tmp_path: Path) -> None:
    client, seeded = fresh  # an app of its own: its audit log holds these refusals only
    login(client, "sub")
    text = upload(client, "notes.ods", b"id,value\n1,2\n", ODS)  # the client's word: not taken
    assert text.status_code == 422
    assert ("notes.ods cannot be read as a workbook: this is not an Excel workbook "
            "(it looks like a text or CSV file renamed to .ods)") in text.text
    # an .ods whose content.xml inflates to 699 MB from 2 MB: refused before parsing
    row = b"<table:table-row><table:table-cell/></table:table-row>" * 20_000
    bomb = write_zip(tmp_path / "bomb.ods", [
        Member("mimetype", MIMETYPE.encode(), zipfile.ZIP_STORED,
               zipfile.crc32(MIMETYPE.encode()), len(MIMETYPE)),
        repeated_deflate("content.xml", b'<?xml version="1.0"?><office:document-content>',
                         row, 700 * 2**20 // len(row), b"</office:document-content>")])
    answer = upload(client, "bomb.ods", bomb.read_bytes(), CLIENT_SAYS)
    assert answer.status_code == 422
    assert ("bomb.ods cannot be read as a workbook: the part content.xml would inflate to "
            "699 MB from 2.1 MB (a zip bomb?); refused") in answer.text
    assert [file for file, _ in _refused_reasons(seeded)] == ["bomb.ods", "notes.ods"]
    assert upload(client, "notes.odt", b"x", CLIENT_SAYS).status_code == 415


def test_a_workbook_is_typed_by_its_content_not_its_name(
        clients: dict[str, TestClient], tmp_path: Path) -> None:
    """An Excel workbook named .ods is read as the command line reads it (by its content) and
    downloads as the .xlsx it is; an .ods named .xlsx downloads as an .ods. An Excel workbook
    named .xlsm keeps its name and goes as the macro-enabled workbook Excel opens an .xlsm
    as (r14: it went as an .xlsx, which Excel refuses to open under an .xlsm's name)."""
    client = clients["sub"]
    excel = write_workbook(tmp_path / "x.xlsx",
                           minimal(Organization=organization_rows("SREA", 2024))).read_bytes()
    ods = _ods(tmp_path / "y.ods", "SREA").read_bytes()
    for name, content, kind, disposition in [
            ("excel.ods", excel, XLSX,
             "attachment; filename=\"excel.xlsx\"; filename*=UTF-8''excel.xlsx"),
            ("calc.xlsx", ods, ODS,
             "attachment; filename=\"calc.ods\"; filename*=UTF-8''calc.ods"),
            ("宏 Macros.XLSM", excel, "application/vnd.ms-excel.sheet.macroEnabled.12",
             "attachment; filename=\"Macros.XLSM\"; "
             "filename*=UTF-8''%E5%AE%8F%20Macros.XLSM")]:
        answer = upload(client, name, content, CLIENT_SAYS, follow_redirects=False)
        assert answer.status_code == 303, answer.text
        download = client.get(answer.headers["location"] + "/file")
        assert download.headers["content-type"] == kind
        assert download.headers["content-disposition"] == disposition
        assert download.content == content
    assert WORKBOOK_MEDIA_TYPES.keys() == set(WORKBOOK_SUFFIXES)  # every name has its type


@pytest.mark.parametrize(("build", "expected"), [
    ("ods", True), ("xlsx", False), ("mimetype second", True), ("no content.xml", False),
    ("an Excel part too", False), ("text", False), ("other mimetype", False),
    ("empty zip", False)])
def test_a_download_is_an_ods_exactly_when_the_reader_reads_one(
        build: str, expected: bool, tmp_path: Path) -> None:
    # the portal types a stored file as the reader judged it when the file was recorded: a
    # zip with content.xml and a mimetype part saying so, and no Excel workbook part
    buffer = io.BytesIO()
    if build == "ods":
        content = _ods(tmp_path / "a.ods", "SREA").read_bytes()
    elif build == "xlsx":
        content = write_workbook(tmp_path / "a.xlsx", minimal()).read_bytes()
    elif build == "text":
        content = b"mimetype" + MIMETYPE.encode()
    else:
        with zipfile.ZipFile(buffer, "w") as archive:
            if build in ("mimetype second", "an Excel part too"):
                archive.writestr("content.xml", "<x/>")
            if build == "an Excel part too":
                archive.writestr("xl/workbook.xml", "<x/>")
            if build != "empty zip":
                archive.writestr("mimetype", "application/vnd.oasis.opendocument.text"
                                 if build == "other mimetype" else MIMETYPE)
            if build in ("other mimetype", "empty zip"):
                archive.writestr("content.xml", "<x/>")
        content = buffer.getvalue()
    assert is_ods_workbook(content) is expected
    path = tmp_path / "file.bin"
    path.write_bytes(content)
    try:
        read_as_ods = check_archive(path).ods
    except UnreadableWorkbookError:
        read_as_ods = False
    assert read_as_ods is expected


def test_a_refusal_the_audit_log_stored_before_ods_uploads_still_reads_in_chinese() -> None:
    from envreport.portal.audit import _text

    assert _text("reason", "Upload an Excel workbook (.xlsx or .xlsm).", "zh") == \
        "请上传 Excel 工作簿（.xlsx 或 .xlsm）。"
