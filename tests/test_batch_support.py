"""Helpers for the batch tests: variants of the bundled group samples, a render-free group.

(Named ``test_batch_*`` to sit with the batch tests; it holds no tests itself.)
"""

from __future__ import annotations

import copy
import shutil
from functools import cache
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from envreport.batch.consolidate import GroupTask, compute_group
from envreport.batch.jobs import Inspected, inspect_workbook
from envreport.batch.plan import Plan, make_plan
from envreport.metrics import compute
from envreport.pipeline import load_submission

GROUP = Path(__file__).resolve().parent.parent / "sample_inputs" / "group"


def copy_samples(dest: Path, names: tuple[str, ...] = ("parent", "sre", "sri")) -> list[Path]:
    dest.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy(GROUP / f"{n}.xlsx", dest / f"{n}.xlsx")) for n in names]


def edit_workbook(path: Path, out: Path | None = None, *,
                  org: dict[str, Any] | None = None,
                  cells: dict[str, dict[tuple[str, str], Any]] | None = None,
                  rename_project: tuple[str, str] | None = None,
                  delete_rows: dict[str, tuple[str, str]] | None = None,
                  append_rows: dict[str, list[dict[str, Any]]] | None = None) -> Path:
    """A copy of ``path`` with changes.

    ``org``: Organization field → value. ``cells``: sheet → {(key value in column A, field):
    value} (rows found by their first column, e.g. project_id or entity_id).
    ``rename_project``: (old, new) project_id on every sheet. ``delete_rows``: sheet →
    (field, value) of the rows to delete. ``append_rows``: sheet → rows as field → value.
    """
    out = out or path
    book = load_workbook(path)
    if org:
        ws = book["Organization"]
        rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
        for field, value in org.items():
            if field in rows:
                ws.cell(rows[field], 2).value = value
            else:
                ws.append([field, value])
    for sheet, changes in (cells or {}).items():
        ws = book[sheet]
        header = {ws.cell(1, c).value: c for c in range(1, ws.max_column + 1)}
        keys = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
        for (key, field), value in changes.items():
            ws.cell(keys[key], header[field]).value = value
    if rename_project:
        old, new = rename_project
        for ws in book.worksheets:
            for row in ws.iter_rows(min_row=2):
                for cell in row:
                    if cell.value == old:
                        cell.value = new
    for sheet, (field, value) in (delete_rows or {}).items():
        ws = book[sheet]
        header = {ws.cell(1, c).value: c for c in range(1, ws.max_column + 1)}
        for r in range(ws.max_row, 1, -1):
            if ws.cell(r, header[field]).value == value:
                ws.delete_rows(r)
    for sheet, new_rows in (append_rows or {}).items():
        ws = book[sheet]
        header = [ws.cell(1, c).value for c in range(1, ws.max_column + 1)]
        for rec in new_rows:
            ws.append([rec.get(h) for h in header])
    book.save(out)
    return out


def inspect_all(paths: list[Path], scratch: Path) -> list[Inspected]:
    scratch.mkdir(parents=True, exist_ok=True)
    return [inspect_workbook(i, p, scratch) for i, p in enumerate(sorted(paths))]


def group_results(paths: list[Path], scratch: Path) -> tuple[dict[str, Any], Plan]:
    """The group's results.json content without rendering (what ``batch`` computes)."""
    plan = make_plan(inspect_all(paths, scratch))
    assert plan.approach is not None
    task = GroupTask(plan.members, plan.approach, [g.finding for g in plan.findings], [], [],
                     scratch / "group")
    return compute_group(task)[1].to_json_dict(), plan


def own_results(path: Path) -> dict[str, Any]:
    """An entity's own results, as ``envreport build`` computes them (a fresh copy each call).

    A bundled sample's are computed once per test process: the tests edit copies, never the
    samples themselves."""
    if path.resolve().parent == GROUP:
        return copy.deepcopy(_sample_own_results(path.name))
    return _own_results(path)


@cache
def _sample_own_results(name: str) -> dict[str, Any]:
    return _own_results(GROUP / name)


def _own_results(path: Path) -> dict[str, Any]:
    sub = load_submission(path)
    assert sub.valid, [f.code for f in sub.findings.errors]
    return compute(sub).to_json_dict()
