"""The import graph keeps the pipeline's flow: io → validate → metrics → render.

Read from the source with :mod:`ast` (nothing is imported): every ``import`` of an
``envreport`` module, at module level or inside a function (a lazy import is still a
dependency), except under ``if TYPE_CHECKING``. ``from package import name`` counts as a
dependency on the package, ``from package.module import name`` on the module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "envreport"

# What each part may never import (a prefix matches the package and all its modules).
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "envreport.io": ("envreport.validate", "envreport.metrics", "envreport.render",
                     "envreport.results", "envreport.pipeline", "envreport.batch",
                     "envreport.ledger", "envreport.portal", "envreport.cli"),
    "envreport.schema": ("envreport.io", "envreport.validate", "envreport.metrics",
                         "envreport.render", "envreport.results", "envreport.pipeline",
                         "envreport.batch", "envreport.ledger", "envreport.portal"),
    "envreport.factors": ("envreport.validate", "envreport.metrics", "envreport.render",
                          "envreport.pipeline", "envreport.batch", "envreport.ledger",
                          "envreport.portal", "envreport.cli"),
    "envreport.validate": ("envreport.metrics", "envreport.results", "envreport.render",
                           "envreport.pipeline", "envreport.batch", "envreport.ledger",
                           "envreport.portal", "envreport.cli"),
    "envreport.results": ("envreport.io", "envreport.validate", "envreport.metrics",
                          "envreport.render", "envreport.pipeline", "envreport.batch",
                          "envreport.ledger", "envreport.portal", "envreport.cli"),
    "envreport.metrics": ("envreport.io", "envreport.validate", "envreport.render",
                          "envreport.pipeline", "envreport.batch", "envreport.ledger",
                          "envreport.portal", "envreport.cli"),
    "envreport.render": ("envreport.io", "envreport.validate", "envreport.metrics",
                         "envreport.pipeline", "envreport.batch", "envreport.ledger",
                         "envreport.portal", "envreport.cli"),
    "envreport.pipeline": ("envreport.batch", "envreport.ledger", "envreport.portal",
                           "envreport.cli"),
    "envreport.rendering_ahead": ("envreport.batch", "envreport.ledger", "envreport.portal",
                                  "envreport.cli"),
    "envreport.findings": ("envreport.io", "envreport.validate", "envreport.metrics",
                           "envreport.render", "envreport.pipeline"),
    "envreport.codes": ("envreport.findings", "envreport.io", "envreport.validate",
                        "envreport.metrics", "envreport.render", "envreport.pipeline"),
    "envreport.submission": ("envreport.io", "envreport.validate", "envreport.metrics",
                             "envreport.render", "envreport.pipeline"),
}
# Packages whose inside is their own business: batch uses them through their __init__.
STAGE_PACKAGES = ("envreport.io", "envreport.validate", "envreport.metrics",
                  "envreport.render", "envreport.factors", "envreport.workbook",
                  "envreport.ledger", "envreport.results")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path) -> list[tuple[str, tuple[str, ...]]]:
    """(module imported, names taken from it) for every envreport import in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only = {id(n) for node in ast.walk(tree)
                 if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
                 for n in ast.walk(node)}
    found = []
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            found += [(alias.name, ()) for alias in node.names
                      if alias.name.startswith("envreport")]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                base = base[:len(base) - node.level + 1]
                module = ".".join([*base, module] if module else base)
            if module.startswith("envreport"):
                found.append((module, tuple(alias.name for alias in node.names)))
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


@pytest.mark.parametrize("part", sorted(FORBIDDEN))
def test_no_stage_imports_a_later_one(part: str) -> None:
    wrong = [f"{name} imports {target}" for name, edges in GRAPH.items() if _within(name, part)
             for target, _ in edges for banned in FORBIDDEN[part] if _within(target, banned)]
    assert wrong == []


def test_batch_uses_only_public_apis() -> None:
    wrong = []
    for name, edges in GRAPH.items():
        if not _within(name, "envreport.batch"):
            continue
        for target, names in edges:
            inside = [p for p in STAGE_PACKAGES if _within(target, p) and target != p]
            if inside:
                wrong.append(f"{name} reaches into {target}")
            if any(n.startswith("_") for n in names):
                wrong.append(f"{name} imports private {names} from {target}")
    assert wrong == []


def _top(module: str) -> str:
    return ".".join(module.split(".")[:2])


def test_no_private_names_cross_packages() -> None:
    # A leading underscore is private to its package (batch.run's progress class was used
    # by the CLI side of batch under a private name; it is public now).
    wrong = [f"{name} imports {n} from {target}" for name, edges in GRAPH.items()
             for target, names in edges for n in names
             if n.startswith("_") and not n.startswith("__") and _top(target) != _top(name)]
    assert wrong == []


def test_the_import_graph_has_no_cycle() -> None:
    edges = {name: sorted({t for t, _ in targets if t in MODULES and t != name})
             for name, targets in GRAPH.items()}
    # A package's __init__ importing its own modules is how a package exports; the cycle
    # that matters is between modules, so edges to a package's own __init__ from inside it
    # are left out.
    for name in edges:
        edges[name] = [t for t in edges[name] if not _within(name, t)]
    # No exception: the ledger's figures and the portal's shared state live in their own
    # modules, so lazy imports inside functions close no loop either.
    assert _cycles(edges) == []


def _cycles(edges: dict[str, list[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, []):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_graph_is_read_from_the_whole_package() -> None:
    assert {"envreport.pipeline", "envreport.metrics.compute", "envreport.results.models",
            "envreport.factors.resolve"} <= set(MODULES)
    assert ("envreport.metrics", ("compute",)) in GRAPH["envreport.pipeline"]


def test_docs_stand_alone() -> None:
    # Users have the repository only: README and docs/ never send them to files outside it.
    root = PACKAGE.parent
    pages = [root / "README.md", *sorted((root / "docs").glob("*.md"))]
    outside = [f"{page.name}: {needle}" for page in pages
               for needle in ("spec/", "../shared", "/work/")
               if needle in page.read_text(encoding="utf-8")]
    assert outside == []


def test_sheet_names_in_the_code_are_registry_sheets() -> None:
    # Stages read sheets by name (rows_of(submission, "Fuel"), submission.table("Fuel")); a
    # misspelt name would silently read nothing. Every such name must be a registry sheet.
    from envreport.schema import SHEETS_BY_NAME

    used: dict[str, list[str]] = {}
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute):  # submission.table("Fuel")
                position = {"table": 0, "rows_of": 1}.get(func.attr)
            else:  # rows_of(submission, "Fuel")
                position = 1 if getattr(func, "id", "") == "rows_of" else None
            if position is None or len(node.args) <= position:
                continue
            argument = node.args[position]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                used.setdefault(argument.value, []).append(name)
    assert {sheet: where for sheet, where in used.items() if sheet not in SHEETS_BY_NAME} == {}


def _sheet_literals(tree: ast.AST, names: set[str]) -> list[ast.Constant]:
    """String constants equal to a sheet name, apart from docstrings, ``__all__`` and
    message ids (``N_("Water")`` is a report label, not a sheet)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("N_", "_", "gettext"):
            skipped |= {id(n) for n in ast.walk(node)}
        elif isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__"
                                                  for t in node.targets):
            skipped |= {id(n) for n in ast.walk(node)}
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            skipped.add(id(node.value))  # a docstring
    return [node for node in ast.walk(tree) if isinstance(node, ast.Constant)
            and isinstance(node.value, str) and node.value in names and id(node) not in skipped]


def test_sheet_names_are_written_once() -> None:
    # The registry's Sheet constants are the only spelling of a sheet name in the code.
    from envreport.schema import SHEETS_BY_NAME, Sheet

    names = {value for key, value in vars(Sheet).items() if key.isupper()}
    assert names == set(SHEETS_BY_NAME)
    assert _sheet_literals(ast.parse('x = "Fuel"  # a literal'), names) != []
    literal = [f"{name}:{node.lineno} {node.value!r}" for name, path in MODULES.items()
               if not _within(name, "envreport.schema")
               for node in _sheet_literals(ast.parse(path.read_text(encoding="utf-8")), names)]
    assert literal == []
