"""A refused upload keeps the person on the upload form, with the reason said once.

Found walking the portal in a browser: a .csv gave a bare "415" error page (the form was
gone and the refusal was not in the audit log), and a file that is no workbook printed its
reason twice (as the reason and again as its single finding).
"""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from envreport.ledger import Ledger
from tests.portal.support import Seeded, login, upload
from tests.workbooks import minimal, organization_rows, write_workbook

FORM = '<form method="post" action="/upload" enctype="multipart/form-data" class="upload">'


def test_a_csv_is_refused_on_the_form_in_each_language(
        fresh: tuple[TestClient, Seeded]) -> None:
    client, seeded = fresh
    login(client, "sub")
    answer = upload(client, "emissions.csv", b"a,b\n1,2\n", "text/csv")
    assert answer.status_code == 415
    assert FORM in answer.text
    assert "<h2>Not recorded</h2>" in answer.text
    assert "<p>Upload a workbook (.xlsx, .xlsm or .ods).</p>" in answer.text

    client.get("/lang/zh")
    answer = upload(client, "emissions.xls", b"x", "application/vnd.ms-excel")
    assert answer.status_code == 415
    assert FORM in answer.text
    assert "<h2>未记录</h2>" in answer.text
    assert "<p>请上传工作簿（.xlsx、.xlsm 或 .ods）。</p>" in answer.text

    with Ledger(seeded.url) as ledger:
        refused = [e["detail"] for e in ledger.audit_log(20) if e["action"] == "upload_refused"]
    assert [(d["file"], d["reason"]) for d in refused] == [
        ("emissions.xls", "Upload a workbook (.xlsx, .xlsm or .ods)."),
        ("emissions.csv", "Upload a workbook (.xlsx, .xlsm or .ods).")]


def test_a_file_that_is_no_workbook_says_why_once_with_its_hint(
        fresh: tuple[TestClient, Seeded]) -> None:
    client, _ = fresh
    login(client, "sub")
    answer = upload(client, "notes.xlsx", b"id,value\n1,2\n")
    assert answer.status_code == 422
    assert "<h2>Not recorded</h2>" in answer.text
    reason = ("notes.xlsx cannot be read as a workbook: this is not an Excel workbook "
              "(it looks like a text or CSV file renamed to .xlsx)")
    assert answer.text.count(reason) == 1
    assert (f'<p>{reason} <span class="hint">Save the file from Excel or LibreOffice as an '
            '.xlsx workbook and submit it again.</span></p>') in answer.text
    assert "<ul>" not in answer.text.split('role="alert"', 1)[1].split("</section>", 1)[0]
    assert FORM in answer.text
    assert upload(client, "notes.txt", b"x", "text/plain").status_code == 415


def test_a_workbook_named_in_chinese_is_taken_under_its_name(
        fresh: tuple[TestClient, Seeded], tmp_path: Path) -> None:
    """丝路东非.xlsx was refused with "Upload an Excel workbook (.xlsx or .xlsm)." (415): its
    name, cut to ASCII for headers and paths, lost its stem and with it the ".xlsx"; and
    丝路东非2024年报.xlsx was recorded as 2024__.xlsx, a name nobody wrote. The pages and
    the ledger now name a file as its owner did (control characters dropped); downloads and
    paths still take the ASCII name, downloads beside the owner's (filename*)."""
    client, seeded = fresh
    login(client, "sub")
    answer = upload(client, "丝路东非.xlsx", b"id,value\n1,2\n")
    assert answer.status_code == 422  # read, and refused for what it is
    assert "丝路东非.xlsx cannot be read as a workbook: this is not an Excel workbook" in \
        answer.text
    small = write_workbook(tmp_path / "srea.xlsx",  # SREA's, 2024: recorded
                           minimal(Organization=organization_rows("SREA", 2024)))
    answer = upload(client, "C:\\报送\\丝路东非\u202e2024年报.xlsx", small.read_bytes(),
                    follow_redirects=False)
    assert answer.status_code == 303
    page = client.get(answer.headers["location"])
    assert "<h1>丝路东非2024年报.xlsx</h1>" in page.text
    download = client.get(answer.headers["location"] + "/file")
    assert download.headers["content-disposition"] == (  # the owner's name, and an ASCII one
        "attachment; filename=\"2024__.xlsx\"; filename*=UTF-8''"
        "%E4%B8%9D%E8%B7%AF%E4%B8%9C%E9%9D%9E2024%E5%B9%B4%E6%8A%A5.xlsx")
    with Ledger(seeded.url) as ledger:
        assert ledger.submission(int(answer.headers["location"].rsplit("/", 1)[1])) \
            .file_name == "丝路东非2024年报.xlsx"


def test_the_audit_log_shows_details_as_text_not_python(
        fresh: tuple[TestClient, Seeded]) -> None:
    client, _ = fresh
    login(client, "sub")
    upload(client, "emissions.csv", b"a,b\n", "text/csv")
    admin = TestClient(client.app, base_url="http://127.0.0.1")
    login(admin, "adm")
    page = admin.get("/admin/audit").text
    # each detail by its label (was entity=—; file=…, and before that Python's repr)
    assert ("Entity: —; File: emissions.csv; Reason: Upload a workbook (.xlsx, .xlsm or "
            ".ods).; Through: web") in page
    assert "Name: sub; Role: submitter; Entities: SREA" in page  # was entities=[&#39;SREA&#39;]
    chinese = admin.get("/admin/audit?lang=zh").text  # the refusal stored in English, read
    assert "主体：—；文件：emissions.csv；原因：请上传工作簿（.xlsx、.xlsm 或 .ods）。" in chinese
    assert "None" not in page
    assert "[&#39;" not in page


def test_the_entities_one_may_submit_for_are_listed_as_each_language_lists(
        fresh: tuple[TestClient, Seeded]) -> None:
    # the separator is i18n's (list_separator): the enumeration comma in Chinese
    client, seeded = fresh
    with Ledger(seeded.url) as ledger:
        ledger.add_user("sub3", "submitter", ["SRE", "SRI"], "sub3-password-1", by="test")
    login(client, "sub3", "sub3-password-1")
    english = client.get("/upload?lang=en")
    assert english.status_code == 200
    assert ("<p>You may submit for: <strong>SRE</strong>, <strong>SRI</strong></p>"
            in english.text)
    chinese = client.get("/upload?lang=zh")
    assert chinese.status_code == 200
    assert "<strong>SRE</strong>、<strong>SRI</strong></p>" in chinese.text
