"""Hostile workbooks: every one ends in one clear line (or one JSON finding), never a traceback.

Each case is built at test time by :mod:`hostile_files` (no binaries are kept). Unreadable
files must give exit code 2 and a single ``unreadable-file`` finding naming the file and what
is wrong; readable but faulty ones exit 1 with their findings. Most runs go through typer's
CliRunner (cheap); the bombs and a few others run the real command in a child process, whose
exit status, time and peak memory (``os.wait4``) are checked.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import hostile_files as hf
import pytest
from typer.testing import CliRunner

from envreport.cli import app

runner = CliRunner()
REPO = Path(__file__).resolve().parents[1]
# The budget of any one command on any one hostile file, in CPU seconds (the command's and
# its children's: contention on a busy machine does not count); wall time gets three times it.
SECONDS = 10.0
BOMB_PEAK_MB = 500  # the peak resident memory allowed to a process handed a bomb


# --------------------------------------------------------------------------------------
# Running the command


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float  # wall time
    cpu: float  # user + system time of the command, its children included
    peak_mb: float = 0.0  # peak resident memory (child processes only)


# The command is started by this small Python launcher, not by the test process itself:
# Linux carries the peak RSS of a process's memory image across exec, and a child spawned
# straight from pytest would report pytest's own peak as its own. The launcher is small, its
# child starts from a small image, and it hands back (exit code, CPU seconds, peak KB).
_LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, *sys.argv[2:]])
_, status, usage = os.wait4(pid, 0)
os.write(int(sys.argv[1]), f"{usage.ru_utime + usage.ru_stime} {usage.ru_maxrss}".encode())
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


def run_cli(*args: object, timeout: float = 120) -> Run:
    """``python -m envreport.cli ARGS`` in a child process: its exit code, output, time, memory."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENVREPORT_")}
    report_read, report_write = os.pipe()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        try:
            proc = subprocess.Popen(
                [sys.executable, "-c", _LAUNCHER, str(report_write), "-m", "envreport.cli",
                 *map(str, args)], stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=REPO,
                env=env, pass_fds=(report_write,))
        finally:
            os.close(report_write)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            pytest.fail(f"envreport {' '.join(map(str, args))} still running after {timeout} s")
        seconds = time.monotonic() - start
        with os.fdopen(report_read, "rb") as report:
            cpu, peak_kb = report.read().split()
        out.seek(0)
        err.seek(0)
        return Run(proc.returncode, out.read().decode(), err.read().decode(), seconds,
                   float(cpu), int(peak_kb) / 1024)


def _cpu_so_far() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # the reader's forked child
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def invoke(*args: object) -> Run:
    """The command in-process (typer's CliRunner): cheap, for the many small cases."""
    start, cpu = time.monotonic(), _cpu_so_far()
    result = runner.invoke(app, [str(a) for a in args])
    seconds, cpu = time.monotonic() - start, _cpu_so_far() - cpu
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Run(result.exit_code, result.stdout, result.stderr, seconds, cpu)


def assert_clean(run: Run) -> None:
    assert "Traceback" not in run.stdout + run.stderr
    assert "internal error" not in run.stderr
    assert run.cpu < SECONDS, f"took {run.cpu:.1f} s of CPU"
    assert run.seconds < 3 * SECONDS, f"took {run.seconds:.1f} s"


def assert_one_line(run: Run, name: str, reason: str) -> None:
    """Text mode: exit 2, nothing on stdout, one line on stderr naming the file and why."""
    assert_clean(run)
    assert run.code == 2, run.stdout + run.stderr
    assert run.stdout.strip() == ""
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("error: ")
    assert name in lines[0]
    assert reason in lines[0]


def assert_unreadable_json(run: Run, name: str, reason: str) -> dict:
    """JSON mode: exit 2, one object holding exactly one ``unreadable-file`` finding."""
    assert_clean(run)
    assert run.code == 2, run.stdout + run.stderr
    report = json.loads(run.stdout)  # the whole of stdout is one JSON object
    assert report["file"] == name
    assert report["valid"] is False
    assert (report["errors"], report["warnings"], report["rows"]) == (1, 0, {})
    (finding,) = report["findings"]
    assert finding["code"] == "unreadable-file"
    assert finding["severity"] == "error"
    assert finding["cell"] is None
    assert finding["message"].startswith(f"{name} cannot be read as a workbook: ")
    assert reason in finding["message"]
    assert not finding["message"].endswith("…"), "the reason is envreport's own: read whole"
    return report


# --------------------------------------------------------------------------------------
# Unreadable files: (file name, builder, words the reason must contain)

Builder = Callable[[Path], Path]

UNREADABLE: dict[str, tuple[str, Builder, str]] = {
    "empty": ("empty.xlsx", hf.empty_file, "the file is empty (0 bytes)"),
    "text": ("data.xlsx", hf.text_file, "text or CSV file renamed to .xlsx"),
    "truncated": ("half.xlsx", hf.truncated_workbook, "damaged or truncated"),
    "legacy-xls": ("old.xls", hf.legacy_xls, "legacy Excel 97-2003 (.xls)"),
    "legacy-xls-renamed": ("old.xlsx", hf.legacy_xls, "legacy Excel 97-2003 (.xls)"),
    "encrypted": ("locked.xlsx", hf.encrypted_workbook, "password-protected"),
    "encrypted-directory-at-end": (
        "locked_big.xlsx", lambda p: hf.encrypted_workbook(p, large=True), "password-protected"),
    "entities-shared-strings": (
        "lol_sst.xlsx", hf.entity_bomb_shared_strings, "declares XML entities"),
    "entities-sheet": ("lol_sheet.xlsx", hf.entity_bomb_sheet, "declares XML entities"),
    "xxe": ("xxe.xlsx", hf.xxe_workbook, "declares XML entities"),
    "xxe-after-long-comment": (
        "xxe_late.xlsx", lambda p: hf.xxe_workbook(p, padding=20_000), "declares XML entities"),
    "xxe-after-huge-comment": (
        "xxe_later.xlsx", lambda p: hf.xxe_workbook(p, padding=300_000), "XML prolog"),
    "zip-bomb-declared": ("bomb_cd.xlsx", hf.zip_bomb_declared, "(a zip bomb?)"),
    "lying-header-small": ("lying.xlsx", hf.lying_header, "damaged"),
    "lying-header-larger": (
        "lying_big.xlsx", lambda p: hf.lying_header(p, declared=100_000), "damaged"),
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Build each hostile file once per module, on first use."""
    folder = tmp_path_factory.mktemp("hostile")
    built: dict[str, Path] = {}

    def get(case: str) -> Path:
        if case not in built:
            name, builder, _ = UNREADABLE[case]
            built[case] = builder(folder / name)
        return built[case]

    return get


@pytest.mark.parametrize("case", list(UNREADABLE))
def test_unreadable_file_gives_one_line(case: str, hostile: Callable[[str], Path]) -> None:
    name, _, reason = UNREADABLE[case]
    assert_one_line(invoke("validate", hostile(case), "-q"), name, reason)


@pytest.mark.parametrize("case", list(UNREADABLE))
def test_unreadable_file_gives_one_json_finding(case: str,
                                                hostile: Callable[[str], Path]) -> None:
    name, _, reason = UNREADABLE[case]
    report = assert_unreadable_json(invoke("validate", hostile(case), "--format", "json"),
                                    name, reason)
    assert len(report["sha256"] or "") == 64


def test_xxe_never_reads_the_local_file(hostile: Callable[[str], Path]) -> None:
    passwd = Path("/etc/passwd")
    marker = "root:x:0:0" if passwd.is_file() and "root:x:0:0" in passwd.read_text() else None
    for case in ("xxe", "xxe-after-long-comment", "xxe-after-huge-comment"):
        for args in ((), ("--format", "json")):
            run = invoke("validate", hostile(case), *args)
            assert run.code == 2
            if marker:
                assert marker not in run.stdout + run.stderr


@pytest.mark.parametrize("kind", ["directory", "missing"])
def test_directory_or_missing_path(kind: str, tmp_path: Path) -> None:
    target = tmp_path if kind == "directory" else tmp_path / "nowhere.xlsx"
    reason = "not a regular file" if kind == "directory" else "does not exist"
    assert_one_line(invoke("validate", target), target.name, reason)
    report = assert_unreadable_json(invoke("validate", target, "--format", "json"),
                                    target.name, reason)
    assert report["sha256"] is None
    assert_one_line(invoke("build", target, "-o", tmp_path / "out", "--no-pdf"),
                    target.name, reason)


@pytest.mark.parametrize("case", ["empty", "legacy-xls", "encrypted", "xxe", "lying-header-small"])
def test_build_on_an_unreadable_file(case: str, hostile: Callable[[str], Path],
                                     tmp_path: Path) -> None:
    name, _, reason = UNREADABLE[case]
    out = tmp_path / "report"
    assert_one_line(invoke("build", hostile(case), "-o", out, "--no-pdf", "-q"), name, reason)
    assert not out.exists() or not any(out.iterdir())


# --------------------------------------------------------------------------------------
# The real command, in a child process: exit codes, no traceback, time and peak memory


def test_subprocess_text_and_json(hostile: Callable[[str], Path], tmp_path: Path) -> None:
    run = run_cli("validate", hostile("empty"))
    assert_one_line(run, "empty.xlsx", "the file is empty")
    assert run.peak_mb < BOMB_PEAK_MB
    assert_unreadable_json(run_cli("validate", hostile("legacy-xls"), "--format", "json"),
                           "old.xls", "legacy Excel")
    assert_one_line(run_cli("validate", tmp_path), tmp_path.name, "not a regular file")
    assert_one_line(run_cli("build", hostile("encrypted"), "-o", tmp_path / "out", "--no-pdf"),
                    "locked.xlsx", "password-protected")


BOMBS: dict[str, tuple[str, Builder, str]] = {
    # a sheet whose XML really inflates to 700 MB, stored in about 2.5 MB
    "zip-bomb-sheet": ("bomb.xlsx", hf.zip_bomb_sheet, "(a zip bomb?)"),
    # 70 sheets of 7 MB each, every one under the per-part check: 490 MB from 1.3 MB
    "zip-bomb-many-parts": ("bomb_parts.xlsx", hf.zip_bomb_many_parts, "(a zip bomb?)"),
    # 1000 sheets naming one 4 MB part: 4 GB of XML to parse from a 360 KB file
    "aliased-sheets": ("aliases.xlsx", hf.aliased_sheets, "sheets sharing one part"),
    # one shared string of 1 GB, stored in about 1 MB
    "shared-string-1gb": ("sst_bomb.xlsx", hf.shared_string_bomb, "(a zip bomb?)"),
    # a 32 KB shared string used by 20 000 cells: a 9 KB file, 640 MB of text once read
    "shared-string-reused": (
        "sst_reuse.xlsx", lambda p: hf.shared_string_amplifier(p, string_kb=32),
        "repeat shared text"),
    # two cells, A1 and XFD1048576: calamine asks for 512 GB for the range between them
    "sparse-range": ("sparse.xlsx", hf.sparse_range, "million cells to hold (a bomb?)"),
    # the same, the far row reached by a cell without a reference
    "sparse-range-positional": ("sparse3.xlsx", lambda p: hf.sparse_range(p, positional=True),
                                "million cells to hold (a bomb?)"),
    # the same, written so that only calamine sees the far cell: the read child's memory cap
    "sparse-range-past-preflight": (
        "sparse2.xlsx", lambda p: hf.sparse_range(p, spaced=True), "more than 400 MB"),
    # billion laughs in the shared strings
    "entities-shared-strings": ("lol.xlsx", hf.entity_bomb_shared_strings, "XML entities"),
}


@pytest.mark.parametrize("case", list(BOMBS))
def test_bomb_is_refused_in_bounded_time_and_memory(case: str, tmp_path: Path) -> None:
    name, builder, reason = BOMBS[case]
    # CPU seconds, not wall time: on a loaded machine (CI beside other jobs) the wall clock
    # measures the other work, and this only guards the builder from growing by accident
    start = time.process_time()
    path = builder(tmp_path / name)
    assert time.process_time() - start < 5, "building the bomb must stay fast"
    run = run_cli("validate", path, "--format", "json")
    assert_unreadable_json(run, name, reason)
    assert run.peak_mb < BOMB_PEAK_MB, f"peak RSS {run.peak_mb:.0f} MB"


def test_bombs_are_what_they_claim(tmp_path: Path) -> None:
    """The builders' archives declare what the tests say, with honest CRCs."""
    import zipfile

    with zipfile.ZipFile(hf.zip_bomb_sheet(tmp_path / "b.xlsx")) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
        assert info.file_size > 600 * 2**20
        assert info.compress_size < 4 * 2**20
        with archive.open(info) as member:  # inflates for real: read the start only
            assert member.read(200).startswith(b"<?xml")
    with zipfile.ZipFile(hf.shared_string_bomb(tmp_path / "s.xlsx", inflated_mb=8)) as archive:
        assert archive.testzip() is None  # every CRC right
        assert archive.getinfo("xl/sharedStrings.xml").file_size > 8 * 2**20
    with zipfile.ZipFile(hf.lying_header(tmp_path / "l.xlsx")) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size == 200


# --------------------------------------------------------------------------------------
# Readable workbooks: normal results, findings at the right place


def test_blank_formatted_rows_trailing(tmp_path: Path) -> None:
    """A million styled blank rows after the data: read fast, dropped, valid."""
    path = hf.blank_formatted_rows(tmp_path / "blank_tail.xlsx")
    run = invoke("validate", path, "--format", "json")
    assert_clean(run)
    report = json.loads(run.stdout)
    assert run.code == 0, report["findings"]
    assert report["rows"]["Projects"] == {"read": 6, "accepted": 6, "rejected": 0, "blank": 0}
    assert report["findings"] == []


def test_blank_formatted_rows_between_data(tmp_path: Path) -> None:
    """Styled blank rows between projects: counted as blank, the project below them read.

    200 000 rather than a million: calamine holds such a sheet as a dense rows × 21 range
    (a million rows take about 4 s and 950 MB on an idle machine, 650 MB of it calamine's),
    and validation walks every row; the trailing case above covers the million.
    """
    last = 200_000
    path = hf.blank_formatted_rows(tmp_path / "blank_mid.xlsx", last_row=last, interior=True)
    run = run_cli("validate", path, "--format", "json")
    assert_clean(run)
    report = json.loads(run.stdout)
    assert run.code == 0, report["findings"]
    assert report["rows"]["Projects"] == {"read": 6, "accepted": 6, "rejected": 0,
                                          "blank": last - 7}
    assert report["findings"] == []
    assert run.peak_mb < BOMB_PEAK_MB, f"peak RSS {run.peak_mb:.0f} MB"


def test_missing_required_sheets(tmp_path: Path) -> None:
    path = hf.unrelated_sheet_only(tmp_path / "notes.xlsx")
    run = invoke("validate", path, "--format", "json")
    assert_clean(run)
    assert run.code == 1
    report = json.loads(run.stdout)
    missing = {f["sheet"] for f in report["findings"] if f["code"] == "sheet-missing"}
    assert missing == {"Organization", "Projects"}
    assert all(f["code"] != "unreadable-file" for f in report["findings"])
    text = invoke("validate", path)
    assert text.code == 1
    assert "Traceback" not in text.stdout + text.stderr


def test_macro_workbook_reads_normally(tmp_path: Path) -> None:
    baseline = json.loads(invoke("validate", hf.SAMPLE, "--format", "json").stdout)
    path = hf.macro_workbook(tmp_path / "submission.xlsm")
    run = invoke("validate", path, "--format", "json")
    assert_clean(run)
    report = json.loads(run.stdout)
    assert run.code == 0, report["findings"]
    assert report["rows"] == baseline["rows"]
    assert report["findings"] == baseline["findings"] == []


def test_formula_without_cached_value_at_its_cell(tmp_path: Path) -> None:
    path = hf.formula_without_value(tmp_path / "formula.xlsx", sheet="Fuel", cell="D2")
    run = invoke("validate", path, "--format", "json")
    assert_clean(run)
    assert run.code == 1
    report = json.loads(run.stdout)
    flagged = [f for f in report["findings"] if f["code"] == "formula-no-cached-value"]
    assert [(f["sheet"], f["cell"], f["row"], f["column"]) for f in flagged] == [
        ("Fuel", "D2", 2, "D")]
    assert report["rows"]["Fuel"]["rejected"] == 1


def test_a_formula_reading_another_workbook_is_an_error_at_its_cell(tmp_path: Path) -> None:
    """A formula linked to another workbook ([1]Sheet1!A1, Excel's external link) with a
    cached value was read as that value, in silence: a figure of the report came from a file
    the auditor never sees, as it was when last opened. Each such cell is now an error:
    written out, the copies of a shared formula, and the Organization sheet's values."""
    from tests.conftest import validate_file

    steps = [("Fuel", "E2", '<c r="E2"><f t="shared" ref="E2:E3" si="0">[1]Sheet1!A1</f>'
                            "<v>999999</v></c>"),
             ("Fuel", "E3", '<c r="E3"><f t="shared" si="0"/><v>1000000</v></c>'),
             ("Fuel", "E4", '<c r="E4"><f>SUM(1,2)</f><v>3</v></c>'),  # its own: read
             ("Fuel", "E5", '<c r="E5"><f>[0]!Rate*2</f><v>4</v></c>'),  # [0]: itself
             ("Organization", "B3", '<c r="B3" t="str"><f>[2]Names!A1</f>'
                                    "<v>Silk Road Energy Co., Ltd.</v></c>")]
    path = hf.SAMPLE
    for number, (sheet, cell, xml) in enumerate(steps):
        path = hf.sample_cell_patched(tmp_path / f"linked{number}.xlsx", sheet, cell, xml,
                                      source=path)
    submission = validate_file(path)
    assert [(f.sheet, f.cell, f.severity, f.value, f.message("zh"))
            for f in submission.findings.items] == [
        ("Organization", "B3", "error", "=[2]Names!A1",
         "该单元格的值取自另一个工作簿（=[2]Names!A1）：报告中的数据必须来自本次报送的工作簿本身。"),
        ("Fuel", "E2", "error", "=[1]Sheet1!A1",
         "该单元格的值取自另一个工作簿（=[1]Sheet1!A1）：报告中的数据必须来自本次报送的工作簿本身。"),
        ("Fuel", "E3", "error", "=[1]Sheet1!A1",
         "该单元格的值取自另一个工作簿（=[1]Sheet1!A1）：报告中的数据必须来自本次报送的工作簿本身。")]
    assert submission.findings.items[1].message() == (
        "The cell takes its value from another workbook (=[1]Sheet1!A1): a figure of the "
        "report must come from the submission itself.")


def test_a_nul_character_in_a_cell_is_dropped_on_every_ledger(tmp_path: Path,
                                                              ledger_url: str) -> None:
    """Excel writes a NUL character in a cell as _x0000_; read, it reached the ledger, and
    PostgreSQL refused the whole workbook ("internal error: DataError: PostgreSQL text fields
    cannot contain NUL"; the portal answered 500): from a table cell or an Organization
    value, and, once those were cleaned, still from a header echoed by its finding. It
    means nothing: the reader drops it from every text it hands on (values, headers, field
    names), on SQLite alike."""
    from workbooks import FUEL, minimal, write_workbook

    from envreport.ledger import Ledger


    fuel = [[*FUEL[0], "note"], *([*row, "read"] for row in FUEL[1:])]  # H1: "note"
    path = write_workbook(tmp_path / "small.xlsx", minimal(Fuel=fuel))  # Projects B2: P1
    for number, (sheet, cell, text) in enumerate([
            ("Projects", "B2", "Solar_x0000_ One"),
            ("Organization", "B3", "Test_x0000_ Energy Co."),
            ("Organization", "A7", "consolidation_x0000_approach"),  # a field name
            ("Fuel", "H1", "site_x0000_ note"),  # a header no column has: column-unknown
            ("Fuel", "D2", "L_x0000_q"),  # a bad value: unit-unknown echoes it
    ]):
        path = hf.sample_cell_patched(
            tmp_path / f"nul{number}.xlsx", sheet, cell,
            f'<c r="{cell}" t="inlineStr"><is><t>{text}</t></is></c>', source=path)
    with Ledger(ledger_url) as ledger:
        record = ledger.record(path, by="test")
        assert record.outcome == "invalid"
        stored = ledger.submission(record.id)
        rows = ledger.audit_log(1)
    assert stored is not None
    assert stored.organization is not None
    assert stored.organization["organization_name"] == "Test Energy Co."
    assert stored.organization["consolidation_approach"] == "equity_share"
    assert [(f["cell"], f["code"], f["value"], f["message"]) for f in stored.findings] == [
        ("H1", "column-unknown", "site note",
         "The column 'site note' is not part of sheet Fuel; its values were not read."),
        ("D2", "unit-unknown", "Lq", "'Lq' is not a recognised unit.")]
    assert "\x00" not in json.dumps(stored.findings, ensure_ascii=False)
    assert rows[0]["action"] == "submission.record"


def test_direction_controls_are_dropped_from_workbook_text_with_a_warning(
        tmp_path: Path) -> None:
    """Trojan Source (CVE-2021-42574): U+202E in a project's name showed its letters reversed
    in every report, page and finding (and, left open, the text after it); an isolate
    (U+2067 ... U+2069) likewise. The reader drops them from every text, and each cell that
    held one has a warning: nothing changed silently."""
    from workbooks import minimal, write_workbook

    from envreport.pipeline import load_submission

    path = write_workbook(tmp_path / "small.xlsx", minimal())
    for number, (sheet, cell, text) in enumerate([
            ("Projects", "B2", "Solar \u202eenO"),
            ("Organization", "B3", "Test \u2067Energy\u2069 Co.")]):
        path = hf.sample_cell_patched(
            tmp_path / f"bidi{number}.xlsx", sheet, cell,
            f'<c r="{cell}" t="inlineStr"><is><t>{text}</t></is></c>', source=path)
    submission = load_submission(path)
    assert submission.valid
    assert submission.organization is not None
    assert submission.organization.organization_name == "Test Energy Co."
    assert submission.tables["Projects"]["project_name"].tolist() == ["Solar enO", "Rail Two"]
    assert [(f.sheet, f.cell, f.code, f.severity, f.value) for f in submission.findings] == [
        ("Organization", "B3", "text-direction-control", "warning", "Test Energy Co."),
        ("Projects", "B2", "text-direction-control", "warning", "Solar enO")]
    assert submission.findings.items[1].message() == (
        "The text held invisible direction controls (U+202A to U+202E, U+2066 to U+2069), "
        "which make a text show other than it reads (a name or a number reversed); they were "
        "removed, and the text read as 'Solar enO'.")
    assert submission.findings.items[1].message("zh") == (
        "该文本含有不可见的文字方向控制符（U+202A至U+202E、U+2066至U+2069），会使文本显示得与"
        "实际内容不同（如名称或数字被倒置）；已将其删除，文本按“Solar enO”读取。")


# --------------------------------------------------------------------------------------
# Crashes found by fuzzing (issue 10): each is now a finding at its cell or one line, exit 2

NUMBER_COLUMN = "C"  # Fuel: project_id, fuel, quantity, unit, ...
UNIT_COLUMN = "D"


def _fuel_workbook(path: Path, *, quantity: object = 1000, unit: object = "L") -> Path:
    from workbooks import FUEL, minimal, write_workbook

    fuel = [list(row) for row in FUEL]
    fuel[1][2], fuel[1][3] = quantity, unit
    return write_workbook(path, minimal(Fuel=fuel))


def _strict_json(text: str) -> dict:
    def refuse(name: str) -> None:
        raise AssertionError(f"{name} in JSON output")

    return json.loads(text, parse_constant=refuse)


def test_corrupt_deflate_stream_is_one_line(tmp_path: Path) -> None:
    path = hf.corrupt_deflate(tmp_path / "inflate.xlsx")
    assert_one_line(invoke("validate", path), "inflate.xlsx", "cannot be inflated")
    report = assert_unreadable_json(invoke("validate", path, "--format", "json"),
                                    "inflate.xlsx", "Error -3 while decompressing data")
    assert report["sha256"] is not None  # a file within the size limit is still identified


@pytest.mark.parametrize("value", [1e308, -1e308, 1.5e18])
def test_number_whose_products_overflow_is_an_error_at_its_cell(value: float,
                                                                tmp_path: Path) -> None:
    path = _fuel_workbook(tmp_path / "huge.xlsx", quantity=value)
    run = invoke("validate", path, "--format", "json")
    assert_clean(run)
    assert run.code == 1
    (finding,) = _strict_json(run.stdout)["findings"]
    assert (finding["code"], finding["sheet"], finding["cell"]) == (
        "number-too-large", "Fuel", f"{NUMBER_COLUMN}2")
    assert finding["message"] == f"quantity is {value!r}, beyond the largest number accepted " \
        "(10^18)."
    out = tmp_path / "out"
    build = invoke("build", path, "-o", out, "--no-pdf", "-q")
    assert_clean(build)
    assert build.code == 1  # refused with its errors, not a crash on an infinite product
    assert not (out / "results.json").exists()


def test_largest_accepted_number_builds_finite_figures(tmp_path: Path) -> None:
    """10^18 litres of diesel: every product and sum stays finite; results.json is strict."""
    path = _fuel_workbook(tmp_path / "big.xlsx", quantity=1e18)
    out = tmp_path / "out"
    run = invoke("build", path, "-o", out, "--no-pdf", "-q", "--lang", "en")
    assert_clean(run)
    assert run.code == 0, run.stderr
    results = _strict_json((out / "results.json").read_text(encoding="utf-8"))
    # 10^18 L of diesel: ~2.7 kg CO2e a litre, so about 2.7e15 t
    assert 1e15 < results["ghg"]["scope1_tco2e"] < 1e16


def test_integer_beyond_64_bits_is_an_error_at_its_cell(tmp_path: Path) -> None:
    """10^20 in a count column overflowed pandas' int64 (OverflowError, exit 70)."""
    from openpyxl import load_workbook

    book = load_workbook(hf.SAMPLE)
    sheet = book["Pollutants"]
    column = [cell.value for cell in sheet[1]].index("limit_exceedances") + 1
    sheet.cell(2, column).value = 10**20
    book.save(tmp_path / "count.xlsx")
    run = invoke("validate", tmp_path / "count.xlsx", "--format", "json")
    assert_clean(run)
    assert run.code == 1
    found = [(f["code"], f["sheet"], f["cell"]) for f in _strict_json(run.stdout)["findings"]
             if f["severity"] == "error"]
    letter = sheet.cell(2, column).column_letter
    assert found == [("number-too-large", "Pollutants", f"{letter}2")]


def test_infinite_cell_value_is_text_in_json(tmp_path: Path) -> None:
    """A cell holding 1e400 reads as infinity; the JSON report echoes it as text."""
    path = hf.sample_cell_patched(tmp_path / "inf.xlsx", "Fuel", "E2", '<c r="E2"><v>1e400</v></c>')
    run = invoke("validate", path, "--format", "json")
    assert_clean(run)
    assert run.code == 1
    (finding,) = [f for f in _strict_json(run.stdout)["findings"] if f["cell"] == "E2"]
    assert (finding["code"], finding["value"]) == ("not-a-number", "inf")


@pytest.mark.parametrize("unit", ["10**10**10", "(L", "L)(", "m3 ** 1e9", "2**2**2**2**2",
                                  "__import__('os')", "[/bold]"])
def test_unit_expression_is_looked_up_never_evaluated(unit: str, tmp_path: Path) -> None:
    """pint evaluated ``10**10**10`` (a hang past 60 s) and raised TokenError on ``(L``."""
    path = _fuel_workbook(tmp_path / "unit.xlsx", unit=unit)
    run = invoke("validate", path, "--format", "json")
    assert_clean(run)  # within the CPU budget: no evaluation
    assert run.code == 1
    (finding,) = _strict_json(run.stdout)["findings"]
    assert (finding["code"], finding["cell"], finding["value"]) == (
        "unit-unknown", f"{UNIT_COLUMN}2", unit)


MARKUP = ["[/bold]", "[link=file:///etc/passwd]x[/link]", "[bold red]loud", ":warning:"]


@pytest.mark.parametrize("payload", MARKUP)
def test_terminal_markup_in_cells_prints_as_plain_text(payload: str, tmp_path: Path) -> None:
    """Text output crashed with MarkupError on ``[/bold]``; now every cell prints as typed."""
    path = _fuel_workbook(tmp_path / "markup.xlsx", unit=payload)
    run = invoke("validate", path)
    assert_clean(run)
    assert run.code == 1
    assert f"'{payload}' is not" in run.stdout  # the unit-unknown message, verbatim
    assert "⚠" not in run.stdout


def test_markup_in_sheet_names_and_the_file_name(tmp_path: Path) -> None:
    """Excel forbids [ and ] in sheet names, but the XML of a hostile file may hold them."""
    sheet = hf.sheet_xml([hf.inline_row(1, ["[bold]x"]), hf.inline_row(2, ["y"])])
    path = hf.minimal_workbook(tmp_path / "[link=x]book[bold].xlsx", {"[/red] notes": sheet})
    run = invoke("validate", path)
    assert_clean(run)
    assert run.code == 1  # the contract sheets are missing
    assert "[/red] notes" in run.stdout
    assert "[link=x]book[bold].xlsx" in run.stdout


def test_progress_bars_print_file_names_as_text() -> None:
    """A batch member named ``[/bold].xlsx`` crashed the progress bar on a terminal."""
    import io

    from envreport.batch.progress import batch_bar
    from envreport.console import plain_console, progress_reporter

    buffer = io.StringIO()
    console = plain_console(file=buffer, force_terminal=True, width=100)
    with batch_bar(console, True) as bar:
        bar.start(2)
        bar.advance("read", "[/bold].xlsx")
        bar.advance("read", "[link=file:///etc/passwd]x.xlsx")
    with progress_reporter(console, True) as report:
        report("render:[/red]")
    assert "[/bold].xlsx" in buffer.getvalue()
    assert "[link=file:///etc/passwd]x.xlsx" in buffer.getvalue()


# --------------------------------------------------------------------------------------
# Big files (issue 15): size checked before anything is read, Excel's grid enforced


@pytest.mark.parametrize("through_link", [False, True])
def test_huge_sparse_file_is_refused_before_reading(through_link: bool, tmp_path: Path) -> None:
    """16 GiB (a hole: no disk used) was hashed in full first: 37 s in JSON mode."""
    path = hf.sparse_file(tmp_path / "huge.xlsx")
    if through_link:
        (tmp_path / "link.xlsx").symlink_to(path)
        path = tmp_path / "link.xlsx"
    # CPU seconds (hashing the 16 GiB took 37 s of them), not wall time, which on a loaded
    # machine measures the other jobs
    cpu = _cpu_so_far()
    report = assert_unreadable_json(invoke("validate", path, "--format", "json"), path.name,
                                    "the file is 16384 MB, above the 200 MB limit")
    assert report["sha256"] is None  # nothing hashed that will not be read
    assert_one_line(invoke("validate", path), path.name, "above the 200 MB limit")
    assert _cpu_so_far() - cpu < 5


def test_batch_refuses_a_huge_file_and_a_link_to_it_without_reading(tmp_path: Path) -> None:
    """A batch lost 80 s hashing one 16 GiB member; 64 GiB through a link ran past 60 s."""
    from workbooks import minimal, write_workbook

    inputs = tmp_path / "in"
    inputs.mkdir()
    write_workbook(inputs / "good.xlsx", minimal())
    hf.sparse_file(inputs / "huge.xlsx", 64 * 2**30)
    (inputs / "alias.xlsx").symlink_to(inputs / "huge.xlsx")
    run = run_cli("batch", inputs, "-o", tmp_path / "out", "--no-pdf", "-q", "--lang", "en")
    assert run.cpu < 3 * SECONDS, f"{run.cpu:.1f} s of CPU"
    assert run.code == 1, run.stderr  # an unreadable member
    board = json.loads((tmp_path / "out" / "status.json").read_text(encoding="utf-8"))
    entries = {entry["file"]: entry for entry in board["entities"] if entry["file"]}
    assert entries["good.xlsx"]["state"] == "valid"
    huge = entries.get("huge.xlsx") or entries["alias.xlsx"]  # one file, listed once
    assert huge["state"] == "unreadable"
    assert huge["sha256"] is None
    assert "the file is 65536 MB, above the 200 MB limit" in huge["findings"][0]["message"]


@pytest.mark.parametrize(("reference", "words"), [
    ("A1048577", "up to row 1,048,577"),
    ("XFE1", "column 16,385"),
    ("A99999999999", "up to row 99,999,999,999"),
])
def test_reference_beyond_excels_grid_is_refused(reference: str, words: str,
                                                 tmp_path: Path) -> None:
    path = hf.far_cell(tmp_path / "far.xlsx", reference)
    run = invoke("validate", path, "--format", "json")
    assert_unreadable_json(run, "far.xlsx", words)
    assert "beyond Excel's grid (1,048,576 rows, columns A to XFD); refused" in run.stdout


@pytest.mark.parametrize(("spaced", "reason"), [
    (False, "40 million cells to hold (a bomb?)"),
    # written so that only calamine places the cell: the read's budget, sized from the 5
    # cells the pre-flight counted, stops it
    (True, "more than 400 MB of memory"),
])
def test_one_far_cell_stays_under_500_mb(spaced: bool, reason: str, tmp_path: Path) -> None:
    """One cell at AL1048576 in a small file peaked at 1.65 GB RSS in 7–17 s."""
    path = hf.far_cell(tmp_path / "far.xlsx", "AL1048576", spaced=spaced)
    assert path.stat().st_size < 35_000
    run = run_cli("validate", path, "--format", "json")
    assert_unreadable_json(run, "far.xlsx", reason)
    assert run.peak_mb < BOMB_PEAK_MB, f"peak RSS {run.peak_mb:.0f} MB"
