"""The installed wheel carries everything it needs (STYLE.md, convention 12).

Builds the wheel, installs it without dependencies into a fresh virtual environment that
borrows this environment's third-party packages, and runs the CLI from outside the source
tree: templates, factor data, locales and samples must come from the wheel.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def wheel_env(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(base / "dist"), str(ROOT)], check=True)
    wheel = next((base / "dist").glob("envreport-*.whl"))
    env = base / "venv"
    venv.EnvBuilder(with_pip=False).create(env)
    target = next(env.glob("lib/python*/site-packages"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True)
    # Third-party packages come from this environment, appended after the wheel's own.
    borrowed = [p for p in site.getsitepackages() if "site-packages" in p]
    (target / "zz_borrowed.pth").write_text("\n".join(borrowed) + "\n")
    return env


def run(env: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(env / "bin" / "python"), "-m", "envreport.cli", *args], cwd=cwd,
                          capture_output=True, text=True, check=False, env=wheel_only())


def wheel_only() -> dict[str, str]:
    """The environment without PYTHONPATH: a checkout on it (``PYTHONPATH=$PWD pytest``)
    would be imported instead of the wheel."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def test_wheel_imports_from_its_own_files(wheel_env: Path, tmp_path: Path) -> None:
    probe = subprocess.run(
        [str(wheel_env / "bin" / "python"), "-c",
         "import envreport, envreport.resources as r; print(envreport.__file__); "
         "print(r.resource_dir('templates')); print(r.resource_dir('sample_inputs'))"],
        cwd=tmp_path, capture_output=True, text=True, check=True, env=wheel_only())
    lines = probe.stdout.split()
    assert all(str(wheel_env) in line for line in lines), lines


def test_wheel_runs_validate_template_and_demo(wheel_env: Path, tmp_path: Path) -> None:
    template = run(wheel_env, "template", "-o", str(tmp_path / "t.xlsx"), "--lang", "zh",
                   cwd=tmp_path)
    assert template.returncode == 0, template.stderr
    demo = run(wheel_env, "demo", "-o", str(tmp_path / "demo"), "--no-pdf", "-q", cwd=tmp_path)
    assert demo.returncode == 0, demo.stderr
    results = json.loads((tmp_path / "demo" / "results.json").read_text())
    assert results["factor_library"]["version"]
    html = (tmp_path / "demo" / "report.zh.html").read_text()
    # The Chinese report comes from the wheel's templates and catalogue.
    assert '<html lang="zh' in html
    assert "环境报告" in html
    factors = run(wheel_env, "factors", "--fuel", "diesel", cwd=tmp_path)
    assert factors.returncode == 0
    assert "74100" in factors.stdout.replace(",", "")


def test_wheel_console_script_is_the_entry_point(wheel_env: Path, tmp_path: Path) -> None:
    """The wheel's ``envreport`` command runs envreport.__main__ (which catches Ctrl-C while
    the CLI is imported), and works."""
    target = next(wheel_env.glob("lib/python*/site-packages"))
    entry_points = next(target.glob("envreport-*.dist-info")) / "entry_points.txt"
    assert "envreport = envreport.__main__:main" in entry_points.read_text()
    script = target / "bin" / "envreport"  # where pip --target writes console scripts
    version = subprocess.run([str(wheel_env / "bin" / "python"), str(script), "--version"],
                             cwd=tmp_path, capture_output=True, text=True, check=False,
                             env=wheel_only())
    assert version.returncode == 0, version.stderr
    assert version.stdout.startswith("envreport ")
