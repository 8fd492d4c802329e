"""The type checker's configuration stays whole: strict on every module of envreport/.

CI runs ``mypy`` with pyproject.toml's ``[tool.mypy]``; a module excluded there, a per-module
override that turns a check off, or a bare ``# type: ignore`` would weaken it without a red
build. These tests make such a change visible.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import envreport

PACKAGE = Path(envreport.__file__).parent
CONFIG = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
    "mypy"]

#: packages installed without type information; mypy reads their names as Any
UNTYPED_PACKAGES = {"weasyprint", "weasyprint.*", "pydyf", "pyarrow", "pyarrow.*", "re2",
                    "uharfbuzz", "fontTools.*"}


def test_mypy_checks_all_of_envreport_strictly() -> None:
    assert CONFIG["files"] == ["envreport"]
    assert CONFIG["strict"] is True
    assert "exclude" not in CONFIG
    assert "ignore_missing_imports" not in CONFIG  # only for the untyped packages below


def test_overrides_only_name_untyped_third_party_packages() -> None:
    for override in CONFIG.get("overrides", []):
        assert set(override) == {"module", "ignore_missing_imports"}
        assert set(override["module"]) <= UNTYPED_PACKAGES


def test_every_type_ignore_names_its_error_and_says_why() -> None:
    bare, unexplained = [], []
    for path in sorted(PACKAGE.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            if "# type: ignore" not in line:
                continue
            where = f"{path.relative_to(PACKAGE.parent)}:{number}"
            if not re.search(r"# type: ignore\[[a-z-]+(, [a-z-]+)*\]", line):
                bare.append(where)
            if number < 2 or not lines[number - 2].strip().startswith("#"):
                unexplained.append(where)
    assert bare == []
    assert unexplained == []
