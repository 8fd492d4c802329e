"""What a new user reads is what envreport does: the README's validation excerpt is the real
output of ``envreport validate`` on the faulty sample, and every link of README.md, docs/ and
sample_inputs/ resolves to a file (and a heading) in the repository."""

from __future__ import annotations

import io
import json
import re
from functools import cache
from typing import Any

from envreport.console import plain_console, print_validation
from envreport.validate.report import validation_report
from tests.conftest import ROOT, SAMPLES, validate_file

FAULTY = SAMPLES / "faulty" / "faulty_submission.xlsx"
README = ROOT / "README.md"


@cache
def _faulty_report() -> dict[str, Any]:
    """``validate --format json``'s report of the faulty sample, made once for both excerpts
    (the tests only read it)."""
    return validation_report(validate_file(FAULTY))


def _fenced_block(text: str, opening: str) -> str:
    """The fenced block whose first line starts with ``opening`` (without the fences)."""
    start = text.index(opening)
    return text[start:text.index("```", start)]


def test_readme_validation_excerpt_is_the_real_output() -> None:
    report = _faulty_report()
    buffer = io.StringIO()
    print_validation(plain_console(file=buffer, width=100, soft_wrap=False), report)
    printed = [line.rstrip() for line in buffer.getvalue().splitlines()]
    readme = README.read_text(encoding="utf-8")
    excerpt = _fenced_block(readme, "faulty_submission.xlsx: INVALID").splitlines()
    assert excerpt[0] == printed[0] == "faulty_submission.xlsx: INVALID — 19 errors, 4 warnings"
    # Each table of the excerpt is one sheet's table of the real output, line for line.
    missing = [line for line in excerpt if line not in printed]
    assert missing == []
    assert "│ J1   │ error    │ column-missing │ The required column disposal is missing from " \
           "the header row.  │" in excerpt


def test_readme_json_excerpt_matches_the_real_report() -> None:
    report = _faulty_report()
    readme = README.read_text(encoding="utf-8")
    excerpt = _fenced_block(readme, '{\n  "file": "faulty_submission.xlsx"')
    for key in ("file", "sha256", "valid", "errors", "warnings", "truncated"):
        assert f'"{key}": {json.dumps(report[key])}' in excerpt, key
    assert f'"Fuel": {json.dumps(report["rows"]["Fuel"])}' in excerpt
    first = json.dumps(report["findings"][0], indent=2, ensure_ascii=False)
    assert "\n".join("    " + line for line in first.splitlines()) in excerpt


def _anchor(heading: str) -> str:
    """GitHub's anchor of a Markdown heading: lower case, punctuation dropped, spaces → -."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_link_of_the_docs_resolves() -> None:
    pages = [README, *sorted((ROOT / "docs").glob("*.md")),
             *sorted((ROOT / "sample_inputs").rglob("README.md"))]
    broken: list[str] = []
    for page in pages:
        for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            path, _, fragment = target.partition("#")
            resolved = (page.parent / path).resolve() if path else page
            if not resolved.exists() or not resolved.is_relative_to(ROOT.resolve()):
                broken.append(f"{page.relative_to(ROOT)}: {target}")
            elif fragment and resolved.suffix == ".md":
                headings = re.findall(r"^#+ (.*)$", resolved.read_text(encoding="utf-8"),
                                      re.MULTILINE)
                if fragment not in {_anchor(h) for h in headings}:
                    broken.append(f"{page.relative_to(ROOT)}: {target} (no such heading)")
    assert broken == []
    assert len(pages) >= 13



def test_the_readme_tree_names_every_package_and_every_page() -> None:
    readme = README.read_text(encoding="utf-8")
    tree = _fenced_block(readme, "envreport/        the package")
    packages = sorted(path.name for path in (ROOT / "envreport").iterdir()
                      if path.is_dir() and not path.name.startswith(("_", ".")))
    assert [name for name in packages if f"  {name}/ " not in tree] == []
    pages = sorted(path.stem for path in (ROOT / "docs").glob("*.md"))
    listed = tree[tree.index("docs/"):]
    assert [page for page in pages if page not in listed] == []


def test_the_readme_names_every_sheet_of_the_contract() -> None:
    from envreport.schema import SHEETS

    readme = README.read_text(encoding="utf-8")
    section = readme[readme.index("## The input workbook"):readme.index("## The method")]
    assert [spec.name for spec in SHEETS if f"`{spec.name}`" not in section] == []


def test_nothing_shipped_points_users_to_the_specification() -> None:
    # Users have the package and its docs/, not the project's specification: a factor's note
    # that `envreport factors` prints said "spec/methods.md", and factor rows and a worked
    # example pointed at the project's reference notes ("shared/reference/README.md"). Docs,
    # factor data, catalogues and templates name docs/ pages and tests instead.
    shipped = [README, *(ROOT / "docs").glob("*.md"),
               *(ROOT / "envreport" / "factors" / "data").glob("*.csv"),
               *(ROOT / "envreport" / "locale").rglob("*.po"),
               *(ROOT / "templates").rglob("*.html")]
    assert len(shipped) > 20
    pointing = [path.relative_to(ROOT).as_posix() for path in shipped
                if re.search(r"\bspec/|shared/|\breference/README",
                             path.read_text(encoding="utf-8"))]
    assert pointing == []


def _command_options() -> list[tuple[str, tuple[str, ...]]]:
    """(command, the spellings of an option) of every option of every command of the CLI.
    Typer (0.29) carries its own copy of click's classes: a group is known by its commands,
    an option by its kind."""
    import typer

    from envreport.cli import app

    found = []

    def walk(command: Any, path: list[str]) -> None:
        commands = getattr(command, "commands", None)
        if commands is not None:
            for name, sub in commands.items():
                walk(sub, [*path, name])
            return
        for param in command.params:
            if param.param_type_name == "option" and "--help" not in param.opts:
                found.append((" ".join(path), (*param.opts, *param.secondary_opts)))

    walk(typer.main.get_command(app), [])
    return found


def test_every_option_of_the_cli_is_documented() -> None:
    """An option added to a command (template --force, validate --annotate) is written up
    in README.md or docs/ for users, who have only those (performance.md does not count)."""
    docs = README.read_text(encoding="utf-8") + "".join(
        page.read_text(encoding="utf-8") for page in sorted((ROOT / "docs").glob("*.md"))
        if page.name != "performance.md")
    options = _command_options()
    assert ("template", ("--force",)) in options
    assert ("batch", ("--workers", "-j")) in options
    undocumented = [(command, spellings) for command, spellings in options
                    if not any(re.search(rf"(?<![\w-]){re.escape(spelling)}(?![\w-])", docs)
                               for spelling in spellings)]
    assert undocumented == []
