"""End to end in a real browser: Playwright drives Debian's Chromium against ``envreport serve``.

The server runs as its own process on 127.0.0.1 and a free port (loopback only). The journey
is the issue's: the submitter uploads the faulty sample, sees its findings at their cells,
downloads the annotated copy, uploads the corrected workbook and sees it valid; the auditor
signs it off; the admin builds the group report and downloads the PDF. Then every page is
opened in English and Chinese at desktop (1280) and phone (390) widths and checked for
sideways scrolling; with ``PORTAL_SHOTS=<folder>`` each is also photographed there for a
person to look at (48 full-page screenshots cost about 5 s of the browser's CPU, which the
suite spends only when someone will look).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from envreport.ledger import Ledger
from tests.portal.support import (
    FAULTY,
    GROUP,
    PASSWORDS,
    Seeded,
    corrected_workbook,
    live_server,
)

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = Path(os.environ["PORTAL_SHOTS"]) if os.environ.get("PORTAL_SHOTS") else None
LONG_PATH = "\\\\fileserver\\hse\\" + "\\".join(["2024_annual_disclosure_evidence_pack"] * 6)
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")]


@pytest.fixture(scope="module")
def server(seeded_once: tuple[Path, Seeded],
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Seeded, Path]]:
    """``envreport serve`` on the seeded ledger: its address, the ids, its working folder."""
    from tests.portal.conftest import copy_of_seed

    folder = tmp_path_factory.mktemp("e2e")
    seeded = copy_of_seed(seeded_once, folder)
    with Ledger(seeded.url) as ledger:  # the rest of the group, for the group report
        for name in ("parent.xlsx", "sri.xlsx"):
            ledger.record(GROUP / name, by="seed", source="cli")
        # SRE's 2023: its 2024 submission shows figures against the prior period
        ledger.record(GROUP.parent / "history" / "sre_2023.xlsx", by="seed", source="cli")
        # a comment with a long unbroken word (a file share's path): it ran 24,000 px past
        # the phone's edge, the page scrolling sideways (the screenshots check every page)
        ledger.review(seeded.sre_id, decision="returned", by="aud", comment=(
            "The invoices are at " + LONG_PATH + "; please reconcile Fuel E2."))
    with live_server(seeded.url, folder) as base:
        yield base, seeded, folder


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _login(page: object, base: str, name: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORDS[name])
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_load_state()


def _logout(page: object) -> None:
    page.click("form[action='/logout'] button")
    page.wait_for_url("**/login")


def test_the_three_journeys_in_a_browser(server: tuple[str, Seeded, Path], browser: object,
                                         tmp_path: Path) -> None:
    base, _, workdir = server
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    # submitter: the faulty workbook, its findings at their cells, the annotated copy
    _login(page, base, "sub")
    page.goto(f"{base}/upload")
    page.set_input_files("input[name=workbook]", str(FAULTY))
    page.click("form.upload button[type=submit]")
    page.wait_for_url("**/submissions/*", timeout=60_000)
    assert page.locator("#state .badge").inner_text() == "Invalid"
    projects = page.locator("#findings table").first
    assert projects.locator("tbody tr").first.get_attribute("data-cell") == "A5"
    assert "EA-RAIL-01" in projects.locator("tbody tr").first.inner_text()
    assert page.locator("tr[data-cell='D6'][data-code='country-unknown']").count() == 1
    with page.expect_download() as download_info:
        page.click("#annotated")
    download = download_info.value
    assert download.suggested_filename == "faulty_submission.annotated.xlsx"
    annotated = tmp_path / "annotated.xlsx"
    download.save_as(annotated)
    book = load_workbook(annotated)
    assert book.sheetnames[0] == "Findings"
    assert book["Projects"]["A5"].comment is not None

    # the corrected workbook: valid, no findings
    page.goto(f"{base}/upload")
    page.set_input_files("input[name=workbook]", str(corrected_workbook(tmp_path)))
    page.click("form.upload button[type=submit]")
    page.wait_for_url("**/submissions/*", timeout=60_000)
    assert page.locator("#state .badge").inner_text() == "Valid"
    assert page.locator("#no-findings").is_visible()
    fixed_url = page.url
    page.click("a.lang")  # 中文
    assert page.locator("#state .badge").inner_text() == "有效"
    page.click("a.lang")  # back to English
    _logout(page)

    # auditor: the board, the submission, sign-off
    _login(page, base, "aud")
    assert page.url.endswith("/board")
    page.click("tr[data-entity='SREA'] a")
    assert page.url == fixed_url
    page.fill("textarea[name=comment]", "Figures agree with the site records.")
    page.click("button[value=signed_off]")
    page.wait_for_load_state()
    assert page.locator("#reviews .review-signed_off").count() == 1
    assert "Figures agree with the site records." in page.locator("#reviews").inner_text()
    _logout(page)

    # admin: the group report of 2024, its PDF
    _login(page, base, "adm")
    page.click("form[action='/admin/reports/2024'] button")
    page.wait_for_selector("a[data-file='report.en.pdf']", timeout=300_000)
    with page.expect_download() as download_info:
        page.click("a[data-file='report.en.pdf']")
    pdf = tmp_path / "group.pdf"
    download_info.value.save_as(pdf)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert download_info.value.suggested_filename == "group-2024-report.en.pdf"
    # the consolidated report in both languages; the members' reports as HTML only
    offered = page.locator("a[data-file]").evaluate_all("links => links.map(a => a.dataset.file)")
    assert {"report.en.pdf", "report.zh.pdf", "report.en.html", "report.zh.html"} <= set(offered)
    built = workdir / "envreport-reports" / "2024"
    reports = sorted(p.parent.name for p in built.glob("*/report.en.html"))
    assert reports == ["CSIG", "SRE", "SREA", "SRI", "group"]
    assert sorted(p.relative_to(built).as_posix() for p in built.rglob("*.pdf")) == [
        "group/report.en.pdf", "group/report.zh.pdf"]
    audit = page.goto(f"{base}/admin/audit")
    assert audit is not None
    assert audit.status == 200
    actions = page.locator("#audit tbody tr").evaluate_all(
        "rows => rows.map(row => row.dataset.action)")
    for action in ("report_build", "review.signed_off", "submission.record", "login"):
        assert action in actions
    labels = page.locator("#audit tbody tr td:nth-child(3)").all_inner_texts()
    assert {"Group report built", "Submission signed off", "Submission recorded",
            "Signed in"} <= set(labels)
    assert errors == []  # no CSP violation or script error in the console
    context.close()


PAGES = {
    "anon": ["/login"],
    "sub": ["/", "/upload", "/submissions", "/submissions/{srea}", "/entities/SREA"],
    "aud": ["/board", "/submissions/{sre}"],
    "adm": ["/admin", "/admin/audit", "/board?state=missing", "/nope"],
}


def test_no_page_scrolls_sideways(server: tuple[str, Seeded, Path], browser: object) -> None:
    """Every page, in both languages, at desktop and phone widths, is no wider than the
    window (its tables scroll in their own box); photographed into ``$PORTAL_SHOTS`` when set."""
    base, seeded, _ = server
    if SHOTS is not None:
        if SHOTS.exists():
            shutil.rmtree(SHOTS)
        SHOTS.mkdir(parents=True)
    taken = []
    for role, paths in PAGES.items():
        # one browser context (one login) per role, its window resized for the phone
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        if role != "anon":
            _login(page, base, role)
        for width, height in ((1280, 900), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            for lang in ("en", "zh"):
                page.goto(f"{base}/lang/{lang}?next=/health")
                for path in paths:
                    url = path.format(srea=seeded.srea_id, sre=seeded.sre_id)
                    page.goto(base + url)
                    name = (f"{role}-{url.strip('/').replace('/', '_').replace('?', '_') or 'home'}"
                            f"-{lang}-{width}.png")
                    if SHOTS is not None:
                        page.screenshot(path=str(SHOTS / name), full_page=True)
                    # no horizontal scrolling of the page itself (tables scroll in their box)
                    overflow = page.evaluate(
                        "document.documentElement.scrollWidth - window.innerWidth")
                    assert overflow <= 1, (name, overflow)
                    # a time in a table on one line (the board's broke "2026-12-01 12:44 UTC"
                    # into four beside a long name, and on a phone)
                    assert page.evaluate(_TIMES_ON_MORE_THAN_ONE_LINE) == [], name
                    taken.append(name)
        context.close()
    assert len(taken) == 2 * 2 * sum(len(p) for p in PAGES.values())


# the table cells holding a time (2024-05-01 09:30 UTC) whose text takes more than a line
_TIMES_ON_MORE_THAN_ONE_LINE = """[...document.querySelectorAll("td")].filter(td =>
  /^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC$/.test(td.textContent.trim())).filter(td => {
    const range = document.createRange();
    range.selectNodeContents(td);
    return range.getClientRects().length > 1;
  }).map(td => td.textContent.trim())"""


# the middle of a cell's text line, and of the button's text (a Range measures the glyphs'
# line box, not the padding around them)
_TEXT_MIDDLES = """rows => rows.map(row => {
  const middle = node => {
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    return box.top + box.height / 2;
  };
  return [middle(row.cells[0]), middle(row.querySelector("button"))];
})"""


def test_row_actions_sit_on_their_rows_text_line(server: tuple[str, Seeded, Path],
                                                 browser: object) -> None:
    """Close / Reopen (the periods) and Build (the group report): the button's text on the
    line of its row's text, in English and Chinese (it sat 8 px lower: the top-aligned cell
    gave the full-size button's padding above its text)."""
    base, _, _ = server
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _login(page, base, "adm")
    for lang in ("en", "zh"):
        page.goto(f"{base}/lang/{lang}?next=/admin")
        for table in ("#periods", "#reports"):
            rows = page.locator(f"{table} tbody tr").evaluate_all(_TEXT_MIDDLES)
            assert rows, (lang, table)
            for year_middle, button_middle in rows:
                assert abs(year_middle - button_middle) <= 1, (lang, table, rows)
    context.close()
