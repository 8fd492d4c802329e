"""docs/architecture.md names every module of the package, so that the map matches the code.

A module added without a line in the architecture (or renamed, or removed while the document
still names it) fails here rather than leaving readers a map of a package that no longer
exists.
"""

from __future__ import annotations

import re
from pathlib import Path

import envreport

PACKAGE = Path(envreport.__file__).parent
DOC = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")


def _top_level_modules() -> list[str]:
    """``envreport/x.py`` files and ``envreport/x/`` packages, as the document spells them."""
    names = []
    for path in sorted(PACKAGE.iterdir()):
        if path.suffix == ".py" and path.name != "__init__.py":
            names.append(f"envreport/{path.name}")
        elif path.is_dir() and (path / "__init__.py").is_file():
            names.append(f"envreport/{path.name}/")
    return names


def test_every_top_level_module_is_in_the_module_table() -> None:
    missing = [name for name in _top_level_modules() if f"`{name}`" not in DOC]
    assert missing == []


def test_every_metrics_topic_module_is_in_the_topic_table() -> None:
    table = DOC.split("### The metrics topic modules", 1)[1].split("\n## ", 1)[0]
    modules = sorted(p.name for p in (PACKAGE / "metrics").glob("*.py") if p.name != "__init__.py")
    missing = [name for name in modules if f"`{name}`" not in table]
    assert missing == []


def test_every_module_the_document_names_exists() -> None:
    named = set(re.findall(r"`(envreport/[A-Za-z_/]+(?:\.py)?)`", DOC))
    assert named  # the pattern still matches the document's spelling
    gone = sorted(name for name in named if not (PACKAGE.parent / name).exists())
    assert gone == []


#: dotted names in the document that are expressions on an instance, not importable names
INSTANCE_EXPRESSIONS = {"submission.table"}  # Submission.table(sheet) on a submission


def _resolves(dotted: str) -> bool:
    """Whether ``envreport.<dotted>`` is a module, or a name found by importing the longest
    module prefix and reading the rest as attributes."""
    import importlib

    parts = f"envreport.{dotted}".split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            if not hasattr(target, name):
                return False
            target = getattr(target, name)
        return True
    return False


def test_every_dotted_name_the_document_uses_exists() -> None:
    # `envreport.io.UnreadableWorkbookError`, `pipeline.results_json(...)`, `schema.Sheet`:
    # a renamed class or function must not survive in the document under its old name
    modules = {p.stem for p in PACKAGE.iterdir() if p.suffix == ".py" or p.is_dir()}
    named = set()
    for match in re.finditer(r"`(?:envreport\.)?([a-z_]+(?:\.[A-Za-z_]+)+)[`(]", DOC):
        dotted = match[1]
        if dotted.split(".")[0] in modules and not dotted.endswith((".py", ".json", ".md")):
            named.add(dotted)
    assert len(named) >= 10  # the pattern still matches the document's spelling
    broken = sorted(name for name in named - INSTANCE_EXPRESSIONS if not _resolves(name))
    assert broken == []
