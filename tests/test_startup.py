"""What ``envreport validate`` imports: only what validating and printing need.

Every process pays for its imports before reading a cell, so the validate path keeps the
version lookup, babel's ``.po`` reader, rich's progress display and every later stage
(metrics, render, ledger, portal, openpyxl, WeasyPrint) out; each is imported where it is
used. Run in a fresh interpreter, as a user's command would be.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import version

from typer.testing import CliRunner

from envreport.cli import app
from tests.conftest import ROOT, SAMPLES

# Modules the validate command must not import (a prefix covers the package's modules).
NOT_ON_THE_VALIDATE_PATH = (
    "babel", "rich.progress", "envreport.metrics", "envreport.render", "envreport.results",
    "envreport.ledger", "envreport.portal", "envreport.batch", "envreport.workbook",
    "weasyprint", "openpyxl", "jinja2", "sqlalchemy", "fastapi", "uvicorn", "pint",
)

_PROBE = """
import json, sys
sys.argv = ["envreport", *sys.argv[1:]]
from envreport.cli import main
try:
    main()
except SystemExit as stop:
    code = stop.code
print(json.dumps({"exit": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def _imported_by(*args: str) -> tuple[int, list[str]]:
    """Run the CLI in a fresh interpreter: its exit code and every module it imported."""
    done = subprocess.run([sys.executable, "-c", _PROBE, *args], cwd=ROOT, capture_output=True,
                          text=True, check=False)
    probe = json.loads(done.stderr.strip().splitlines()[-1])
    return probe["exit"], probe["modules"]


def _unwanted(modules: list[str]) -> list[str]:
    return [m for m in modules
            if any(m == name or m.startswith(f"{name}.") for name in NOT_ON_THE_VALIDATE_PATH)]


def test_validate_imports_only_what_it_needs() -> None:
    exit_code, modules = _imported_by("validate", str(SAMPLES / "faulty" /
                                                     "faulty_submission.xlsx"), "-q")
    assert exit_code == 1  # the faulty sample was validated, its errors found
    assert "envreport.validate" in modules
    assert "pandas" in modules
    assert _unwanted(modules) == []


def test_zh_messages_load_babel_only_when_asked() -> None:
    exit_code, modules = _imported_by("validate", str(SAMPLES / "faulty" /
                                                     "faulty_submission.xlsx"), "-q",
                                      "--lang", "zh")
    assert exit_code == 1
    assert "babel.messages.pofile" in modules  # the Chinese catalogue was read
    assert [m for m in _unwanted(modules) if not m.startswith("babel")] == []


def test_importing_the_package_does_not_read_its_metadata() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import sys, envreport; print('importlib.metadata' in sys.modules)"],
        cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_version_is_the_package_metadata() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"envreport {version('envreport')}\n"


_FORK_PROBE = """
import json, sys
sys.argv = ["envreport", *sys.argv[1:]]
from envreport.io import reader
started = reader._IsolatedRead.start
loaded = []

def start(*args, **kwargs):
    loaded.append(sorted(m for m in ("pandas", "numpy", "envreport.schema",
                                     "envreport.validate") if m in sys.modules))
    return started(*args, **kwargs)

reader._IsolatedRead.start = start
from envreport.cli import main
try:
    main()
except SystemExit as stop:
    code = stop.code
print(json.dumps({"exit": code, "loaded_at_fork": loaded}), file=sys.stderr)
"""


def test_validate_starts_reading_before_the_heavy_imports() -> None:
    # The reading child is forked before pandas and the schema models are imported: this
    # process imports them (about half a second) while the child reads. (pydantic alone is
    # there already: typer parses the arguments with it.)
    done = subprocess.run([sys.executable, "-c", _FORK_PROBE, "validate",
                           str(SAMPLES / "faulty" / "faulty_submission.xlsx"), "-q"],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    probe = json.loads(done.stderr.strip().splitlines()[-1])
    assert probe == {"exit": 1, "loaded_at_fork": [[], []]}  # the read, the pass over the XML


_EXIT_PROBE = """
import gc, json, sys
sys.argv = ["envreport", *sys.argv[1:]]
from envreport.cli import main
try:
    main()
except SystemExit as stop:
    code = stop.code
print(json.dumps({"exit": code, "frozen": gc.get_freeze_count()}), file=sys.stderr)
"""


def test_validate_leaves_its_objects_to_the_end_of_the_process() -> None:
    # Python's finalisation would run the cyclic collector over every object (pandas,
    # pyarrow, the cells: about 0.1 s); once validate has written everything they are frozen.
    done = subprocess.run([sys.executable, "-c", _EXIT_PROBE, "validate",
                           str(SAMPLES / "faulty" / "faulty_submission.xlsx"), "-q",
                           "--format", "json"],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    probe = json.loads(done.stderr.strip().splitlines()[-1])
    assert probe["exit"] == 1
    assert probe["frozen"] > 10_000  # every object alive then (0 when nothing was frozen)
    assert json.loads(done.stdout)["valid"] is False  # the report was written whole first
