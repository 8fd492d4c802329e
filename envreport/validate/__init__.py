"""Validation: a :class:`~envreport.io.RawWorkbook` in, a :class:`Submission` out.

Checks run in layers, each yielding findings, all collected in one pass:

1. sheets — required present, none duplicated, unknown ones reported;
2. the Organization record and each table's header and rows (pydantic models);
3. rules across rows and sheets (:mod:`.cross`);
4. plausibility (:mod:`.plausibility`) and the factor library (:mod:`.factor_checks`).

A row is accepted when no *error* names it; every row read is accepted or rejected, and
``rows[sheet].read == accepted + rejected`` for every sheet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import numpy as np
import pandas as pd

from envreport.factors.library import load_library
from envreport.findings import (
    DEFAULT_FINDING_LIMIT,
    Finding,
    Findings,
    column_letter,
    reading_order,
)
from envreport.forked import ForkedCall, ForkedCallError, fork_available
from envreport.io.reader import MAX_ROWS_PER_SHEET, RawSheet, RawWorkbook
from envreport.schema import (
    FINDINGS_TABS,
    INSTRUCTIONS_TABS,
    LISTS_TAB,
    PROJECT_SHEETS,
    SHEETS,
    SHEETS_BY_KEY,
    RowContext,
    Sheet,
    SheetSpec,
    normalise_header,
    normalise_sheet_name,
)
from envreport.schema.types import parse_text
from envreport.submission import InputFile, Organization, RowCount, Submission
from envreport.validate import cross, plausibility
from envreport.validate.factor_checks import (
    ROW_OWN_CODES,
    check_factors,
    fuel_rows_judged,
    unknown_fuels,
)
from envreport.validate.fields import prepare_field
from envreport.validate.fuel_resolution import FuelResolution
from envreport.validate.layout import SheetColumns, SheetLayout, is_blank, match_headers
from envreport.validate.organization import validate_organization
from envreport.validate.tables import validate_table

# Sheets that envreport itself writes into workbooks (template, annotated copy).
AUXILIARY_SHEETS = frozenset(normalise_sheet_name(name) for name in (
    *INSTRUCTIONS_TABS.values(), LISTS_TAB, *FINDINGS_TABS.values()))

__all__ = ["Validation", "match_headers", "prepare", "validate"]

_T = TypeVar("_T")
_U = TypeVar("_U")


def prepare(sheet_names: Sequence[str] = ()) -> None:
    """Load what validating a workbook needs, ahead of its cells: the factor library and the
    validator of each field of its sheets (``sheet_names`` as the workbook lists them; every
    sheet when none is given), built once per process. The pipeline calls it while the
    workbook is still being read in the reading child (about 0.1 s that the cells would
    otherwise wait for)."""
    load_library()
    listed = {SHEETS_BY_KEY.get(normalise_sheet_name(name)) for name in sheet_names}
    for spec in SHEETS:
        if not sheet_names or spec in listed:
            for name in spec.fields:
                prepare_field(spec.model, name)


def validate(raw: RawWorkbook, *, limit: int = DEFAULT_FINDING_LIMIT,
             parallel: bool = False) -> Submission:
    """Check every sheet of ``raw`` and return the accepted rows with all findings.

    ``parallel``: a large workbook's checks are shared with a forked child (the tables of
    some sheets, then the factor checks), on the machine's other core; the findings are the
    same, in the same order. For a process that may fork (the CLI; not a server's threads).
    """
    return Validation(limit=limit, parallel=parallel).finish(raw)


class Validation:
    """A workbook validated as its sheets arrive (:meth:`add`, in file order, while the rest
    is still being read), then as a whole (:meth:`finish`).

    Each table sheet is validated as soon as it and the Organization sheet (its rows are
    checked against the reporting period) are in hand: the read of the next sheets goes on
    meanwhile, in the reading child. What needs every sheet (the checks across rows and
    sheets, the factor checks) waits for :meth:`finish`. The findings are those of
    :func:`validate`, in the same order: each piece is kept apart and they are put together
    in the order :func:`validate` made them.
    """

    def __init__(self, *, limit: int = DEFAULT_FINDING_LIMIT, parallel: bool = False) -> None:
        self.limit, self.parallel = limit, parallel
        self._added: set[int] = set()  # the sheets given, by id
        self._found: list[Finding] = []  # the sheets' own findings (strangers, duplicates)
        self._sheets: dict[str, RawSheet] = {}  # contract name -> the first sheet of that name
        self._layouts: dict[str, SheetLayout] = {}  # in the order the sheets arrived
        self._header_findings: dict[str, list[Finding]] = {}
        self._tables: dict[str, _Table] = {}  # the table sheets validated so far
        self._organization: _OrganizationPart | None = None
        self._context: RowContext | None = None  # known once Organization is validated

    def add(self, sheet: RawSheet, *, now: bool = True) -> None:
        """Take the next sheet of the workbook, in file order. ``now``: validate what can be
        validated already (else everything waits for :meth:`finish`)."""
        self._added.add(id(sheet))
        spec = _contract_sheet(sheet, self._found, self._sheets)
        if spec is None:
            return
        self._sheets[spec.name] = sheet
        if spec.name == Sheet.ORGANIZATION:
            if now:
                self._validate_organization(sheet)
        elif not spec.key_value:
            self._layouts[spec.name], self._header_findings[spec.name] = match_headers(spec,
                                                                                      sheet)
        if now and self._context is not None:
            for name, layout in self._layouts.items():
                if name not in self._tables:
                    self._tables[name] = _table(layout, self._context)

    def _validate_organization(self, sheet: RawSheet) -> None:
        outcome = validate_organization(sheet)
        organization = outcome.organization
        period = outcome.period  # known even when another Organization field has an error
        self._organization = _OrganizationPart(organization, outcome.findings, RowCount(
            outcome.read, outcome.read - outcome.rejected, outcome.rejected, outcome.blank))
        self._context = _row_context(organization, period)

    def checks_shared(self) -> bool:
        """Whether :meth:`finish` shares the checks with a forked child (every sheet given:
        a large workbook, with ``parallel``)."""
        return _shared(self.parallel, self._layouts)

    def finish(self, raw: RawWorkbook) -> Submission:
        """Validate what is left and return the accepted rows with all findings; any sheet of
        ``raw`` not given to :meth:`add` is taken first."""
        for sheet in raw.sheets:
            if id(sheet) not in self._added:
                self.add(sheet, now=False)
        found = list(self._found)
        sheets = self._sheets
        organization: Organization | None = None
        counts: dict[str, RowCount] = {}
        org_raw = sheets.get(Sheet.ORGANIZATION)
        if org_raw is None:
            found.append(Finding("sheet-missing", "error", Sheet.ORGANIZATION))
            self._context = _row_context(None, None)
        else:
            if self._organization is None:
                self._validate_organization(org_raw)
            assert self._organization is not None
            organization = self._organization.organization
            found.extend(self._organization.findings)
            counts[Sheet.ORGANIZATION] = self._organization.count
        assert self._context is not None
        context = self._context

        tables: dict[str, pd.DataFrame] = {}
        # in the contract's sheet order, as the checks and the findings expect
        layouts = {spec.name: self._layouts[spec.name] for spec in SHEETS
                   if spec.name in self._layouts}
        header_findings = self._header_findings
        shared = self.checks_shared()  # the later checks' answer, as told before finish
        pending = {name: layout for name, layout in layouts.items()
                   if name not in self._tables}
        tables_done = {**self._tables,
                       **_validate_tables(pending, context, _shared(self.parallel, pending))}
        cells: dict[str, SheetColumns] = {}
        read: dict[str, int] = {}
        for name, layout in layouts.items():  # in the contract's sheet order, as before
            found.extend(header_findings[name])
            if layout.raw.truncated:
                found.append(Finding("sheet-truncated", "error", name,
                                     params={"max_rows": MAX_ROWS_PER_SHEET}))
            table = tables_done[name]
            found.extend(table.findings)
            tables[name] = table.frame
            if table.cells is not None:
                cells[name] = table.cells
            read[name] = table.read
            counts[name] = RowCount(table.read, 0, 0, table.blank)

        # A parent (a Subsidiaries sheet with rows) may leave Projects out or empty. Out, with
        # rows of its own that name a project (fuel, electricity ...), it is missing all the
        # same: those rows would be left out in silence (an empty sheet makes each of them
        # project-unknown).
        is_parent = read.get(Sheet.SUBSIDIARIES, 0) > 0
        names_projects = any(read.get(name, 0) for name in PROJECT_SHEETS)
        if Sheet.PROJECTS not in sheets and (not is_parent or names_projects):
            found.append(Finding("sheet-missing", "error", Sheet.PROJECTS))
        elif Sheet.PROJECTS in sheets and read.get(Sheet.PROJECTS, 0) == 0 and not is_parent:
            found.append(Finding("sheet-empty", "error", Sheet.PROJECTS, 2, "A"))

        letters = {name: layout.letters for name, layout in layouts.items()}
        submission = Submission(InputFile(raw.name, raw.sha256), organization, tables)
        listed = _listed_projects(cells.get(Sheet.PROJECTS))
        unread = _unread_sheets(layouts, found)
        fuel_table = tables_done.get(Sheet.FUEL)
        incomplete_fuel = fuel_table.rejected_projects if fuel_table else frozenset()
        found.extend(_run_checks(list(_later_checks(submission, letters, listed, unread,
                                                    incomplete_fuel)),
                                 shared))

        _drop_rejected_rows(tables, found)
        for name, frame in tables.items():
            rejected = read[name] - len(frame)
            counts[name] = RowCount(read[name], len(frame), rejected, counts[name].blank)

        findings = Findings(limit=self.limit)
        findings.extend(sorted(found, key=reading_order))
        submission.findings = findings
        submission.rows = counts
        submission.letters = {name: dict(fields) for name, fields in letters.items()}
        return submission


@dataclass
class _OrganizationPart:
    """The Organization sheet validated: its record, findings and row count."""

    organization: Organization | None
    findings: list[Finding]
    count: RowCount


def _row_context(organization: Organization | None,
                 period: tuple[date, date] | None) -> RowContext:
    """What each table's rows are checked against: the reporting period (when its two dates
    are valid) and the consolidation approach."""
    return RowContext(
        period_start=period[0] if period else None,
        period_end=period[1] if period else None,
        consolidation_approach=organization.consolidation_approach if organization else None,
    )


# Below this much work (:func:`_cells_to_check`: about 50 000 activity rows) the checks stay
# in one process. Sheets are validated as they arrive, so only the checks across rows and
# sheets are left to share (the factor checks against the others), and work done in a
# forked child costs about half as much again (copy-on-write faults, in both processes:
# the factor checks 46 ms there against 32 ms in one process at 10 000 rows). Whole
# `validate`, medians of 12-20 alternated runs at real-time priority, in one process or
# shared: 10 000 rows 0.531 / 0.546 s, 30 000 rows 0.554 / 0.571 s (CPU 0.76 / 0.78 s),
# 50 000 rows 0.614 / 0.606 s.
PARALLEL_MIN_CELLS = 800_000


@dataclass
class _Table:
    """What validating one table sheet gives the rest of :func:`validate` (picklable: it may
    come from the forked child)."""

    findings: list[Finding]  # in the order they were made
    frame: pd.DataFrame
    read: int
    blank: int
    cells: SheetColumns | None  # Projects only: the project ids written on rejected rows
    # Fuel only: the projects named on rows rejected for their own errors (a quantity that
    # is #N/A, a formula without a value ...): their fuel is incomplete, not missing
    rejected_projects: frozenset[str] = frozenset()


def _table(layout: SheetLayout, context: RowContext) -> _Table:
    outcome = validate_table(layout, context)
    findings = list(outcome.findings)
    rejected_projects: frozenset[str] = frozenset()
    if layout.spec.name == Sheet.FUEL and outcome.rejected_records:
        findings.extend(_unknown_fuels_of_rejected_rows(outcome.rejected_records,
                                                        outcome.findings, layout))
        rejected_projects = frozenset(
            str(record["project_id"]) for record in outcome.rejected_records.values()
            if record.get("project_id") is not None)
    return _Table(findings, outcome.frame, outcome.read, outcome.blank,
                  outcome.cells if layout.spec.name == Sheet.PROJECTS else None,
                  rejected_projects)


def _cells_to_check(layouts: Mapping[str, SheetLayout]) -> dict[str, int]:
    """Sheet → the work of checking it, in cells: each data row's read cells (read column by
    column) and the sheet's fields (each checked, then typed, also when not in the file)."""
    return {name: max(len(layout.raw.rows) - 1, 0) *
            (len(layout.columns) + len(layout.spec.fields))
            for name, layout in layouts.items()}


def _shared(parallel: bool, layouts: Mapping[str, SheetLayout]) -> bool:
    """Whether to share the checks with a forked child: asked for, possible, worth it."""
    return parallel and fork_available() and \
        sum(_cells_to_check(layouts).values()) >= PARALLEL_MIN_CELLS


def _validate_tables(layouts: Mapping[str, SheetLayout], context: RowContext,
                     shared: bool) -> dict[str, _Table]:
    """Every table sheet validated; with ``shared``, the largest sheets by a forked child
    while this process validates the others (about half the cells each)."""
    aside: list[str] = []
    if shared:
        # The heaviest first, each to the side with fewer cells so far: this process keeps
        # Projects (its cells are needed here) and usually the many small sheets.
        here = child = 0
        for name, weight in sorted(_cells_to_check(layouts).items(), key=lambda kv: -kv[1]):
            if name != Sheet.PROJECTS and child <= here:
                aside.append(name)
                child += weight
            else:
                here += weight
    theirs, mine = _beside(
        lambda: {name: _table(layouts[name], context) for name in aside},
        lambda: {name: _table(layout, context) for name, layout in layouts.items()
                 if name not in aside},
        "validating " + ", ".join(aside), bool(aside))
    return {name: theirs[name] if name in theirs else mine[name] for name in layouts}


def _run_checks(checks: list[_Check], shared: bool) -> list[Finding]:
    """The findings of ``checks`` in their order; with ``shared``, the heavy checks run in a
    forked child while this process runs the others."""
    aside = [i for i, check in enumerate(checks) if check.heavy] if shared else []
    theirs, mine = _beside(
        lambda: {i: list(checks[i].run()) for i in aside},
        lambda: {i: list(check.run()) for i, check in enumerate(checks) if i not in aside},
        "the factor checks", bool(aside))
    return [finding for i in range(len(checks))
            for finding in (mine[i] if i in mine else theirs[i])]


def _beside(theirs: Callable[[], _T], mine: Callable[[], _U], what: str,
            fork: bool) -> tuple[_T, _U]:
    """``theirs()`` in a forked child (when ``fork``) while this process runs ``mine()``;
    both results. A child that dies without an answer (killed, out of memory) costs only
    time: its part is done here. Its exception, a bug as it would be here, is raised."""
    if not fork:
        return theirs(), mine()
    call = ForkedCall(what, theirs)
    try:
        here = mine()
    except BaseException:
        call.cancel()
        raise
    try:
        there: _T = call.join()
    except ForkedCallError:
        there = theirs()
    except BaseException:  # its exception (it has ended), or interrupted while waiting
        call.cancel()
        raise
    return there, here


def _contract_sheet(sheet: RawSheet, found: list[Finding],
                    matched: Mapping[str, RawSheet]) -> SheetSpec | None:
    """The contract sheet that ``sheet`` is (``matched``: those already found, in file
    order), or ``None``: a duplicate or a stranger, reported in ``found``."""
    key = normalise_sheet_name(sheet.name)
    spec = SHEETS_BY_KEY.get(key)
    if spec is None:
        if key not in AUXILIARY_SHEETS:
            found.append(_stranger(sheet))
        return None
    if spec.name in matched:
        found.append(Finding("sheet-duplicate", "error", spec.name, value=sheet.name))
        return None
    for row, column in sheet.direction_cells:  # dropped by the reader: not silently
        found.append(Finding("text-direction-control", "warning", spec.name, row + 1,
                             column_letter(column + 1 + sheet.column_offset),
                             value=sheet.rows[row][column]))
    if sheet.hidden:
        # Hidden to leave it out ("not applicable"), its rows would count unnoticed.
        data_rows = _data_rows(sheet)
        if data_rows:
            found.append(Finding("sheet-hidden", "warning", spec.name,
                                 params={"data_rows": data_rows}))
    return spec


def _data_rows(sheet: RawSheet) -> int:
    """The rows below row 1 that hold a value."""
    return sum(1 for row in sheet.rows[1:] if not all(is_blank(c) for c in row))


def _stranger(sheet: RawSheet) -> Finding:
    """A sheet with no contract name: a renamed contract sheet (its header says which) is an
    error, since its rows would silently be missing; any other a warning with its row count."""
    data_rows = _data_rows(sheet)
    header = {normalise_header(cell) for cell in (sheet.rows[0] if sheet.rows else [])
              if isinstance(cell, str) and cell.strip()}
    contract = _sheet_with_header(header) if data_rows else None
    if contract is not None:
        return Finding("sheet-renamed", "error", sheet.name,
                       params={"contract_sheet": contract.name})
    return Finding("sheet-unknown", "warning", sheet.name, params={"data_rows": data_rows})


def _sheet_with_header(header: set[str]) -> SheetSpec | None:
    """The table sheet whose every required column is in ``header`` (the best match)."""
    best: tuple[int, SheetSpec] | None = None
    for spec in SHEETS:
        if spec.key_value or not spec.required_fields:
            continue
        aliases = spec.header_aliases
        matched = {aliases[h] for h in header if h in aliases}
        if set(spec.required_fields) <= matched and (best is None or len(matched) > best[0]):
            best = (len(matched), spec)
    return best[1] if best else None


@dataclass(frozen=True)
class _Check:
    """One check of the typed tables; a ``heavy`` one (it resolves factors: about as long
    as all the others together) may run in a forked child (:func:`_run_checks`)."""

    run: Callable[[], Iterable[Finding]]
    heavy: bool = False


def _unread_sheets(layouts: Mapping[str, SheetLayout], found: Iterable[Finding]) -> set[str]:
    """The contract sheets that are in the workbook but none of whose rows could be read,
    which their header or tab already says: a required column missing or the header not in
    row 1 (every row rejected), or the sheet under another name (``sheet-renamed``). A sheet
    read despite a header error (a duplicate column, a unit that contradicts its column) is
    read: its rows, or their absence, still count."""
    unread = {name for name, layout in layouts.items() if layout.missing_required}
    unread.update(str(finding.params["contract_sheet"]) for finding in found
                  if finding.code == "sheet-renamed" and "contract_sheet" in finding.params)
    return unread


def _later_checks(submission: Submission, letters: dict[str, dict[str, str]],
                  listed_projects: dict[str, int], unread: set[str],
                  incomplete_fuel: frozenset[str] = frozenset()) -> Iterator[_Check]:
    """The checks that need typed tables, in the order they are reported. A sheet in
    ``unread`` is there but unread: no check takes its missing rows for "none reported".
    A project in ``incomplete_fuel`` has a Fuel row rejected for its own error: its
    generation is not weighed against its fuel (the fuel is not missing, that row's error
    says what is wrong with it)."""
    tables = submission.tables
    projects = tables.get(Sheet.PROJECTS)
    weighed = projects is not None and tables.get(Sheet.GENERATION) is not None
    # The Fuel rows both heavy checks need (they run in one process, in order), resolved in
    # one call: the generation check's only when it runs.
    fuel_rows = FuelResolution(submission, fuel_rows_judged,
                               *([plausibility.fuel_rows_weighed] if weighed else []))
    if projects is not None:
        yield _Check(lambda: cross.duplicate_projects(projects, letters))
        known = set(projects["project_id"])
        listed = {pid: row for pid, row in listed_projects.items() if pid not in known}
        yield _Check(lambda: cross.unknown_projects(tables, known, letters, listed))
        yield _Check(lambda: plausibility.eia_warnings(projects, letters))
        generation = tables.get(Sheet.GENERATION)
        if generation is not None:
            yield _Check(lambda: plausibility.generation_vs_capacity(generation, projects,
                                                                     letters))
            yield _Check(lambda: plausibility.net_export_missing(generation, letters))
            if Sheet.FUEL not in unread:  # else "no Fuel row for X" on each thermal row
                yield _Check(lambda: plausibility.generation_without_fuel(
                    generation, tables.get(Sheet.FUEL), letters, incomplete_fuel))
                yield _Check(lambda: plausibility.generation_period_without_fuel(
                    generation, tables.get(Sheet.FUEL), letters, incomplete_fuel))
            yield _Check(lambda: plausibility.generation_beyond_fuel(
                submission, letters, incomplete_fuel, fuel_rows), heavy=True)
    incidents = tables.get(Sheet.INCIDENTS)
    if incidents is not None:
        yield _Check(lambda: cross.incident_links(incidents, letters))
    yield _Check(lambda: cross.duplicate_rows(tables, letters))
    yield _Check(lambda: plausibility.outliers(tables, letters))
    yield _Check(lambda: plausibility.estimated_share(tables, letters))
    yield _Check(lambda: plausibility.ignored_values(tables, letters))
    rates = tables.get(Sheet.FX_RATES)
    if rates is not None:
        yield _Check(lambda: cross.repeated_fx_rates(rates, letters))
    if submission.organization is not None:
        organization = submission.organization
        yield _Check(lambda: cross.missing_fx_rates(tables, organization, letters))
    yield _Check(lambda: _factor_findings(submission, letters, fuel_rows), heavy=True)


def _factor_findings(submission: Submission, letters: dict[str, dict[str, str]],
                     fuel_rows: FuelResolution) -> Iterator[Finding]:
    """The factor checks on every accepted row, so that a row's own faults (an unknown fuel)
    are reported in the same run as its project's.

    For rows of unknown or rejected projects, and for every row when the Organization sheet
    has errors, only findings about the row's own cells are kept: a missing grid factor for
    a country nobody named would only be a consequence of the other mistake.
    """
    projects = submission.tables.get(Sheet.PROJECTS)
    known = set(projects["project_id"]) if projects is not None else None
    project_rows = {
        name: set(frame.loc[~frame["project_id"].isin(known), "row"])
        for name, frame in submission.tables.items()
        if known is not None and name != Sheet.PROJECTS and "project_id" in frame
    }
    for finding in check_factors(submission, letters, fuel_rows):
        if finding.code in ROW_OWN_CODES:
            yield finding
        elif submission.organization is not None and \
                finding.row not in project_rows.get(finding.sheet or "", set()):
            yield finding


def _unknown_fuels_of_rejected_rows(records: dict[int, dict[str, object]],
                                    findings: list[Finding], layout: SheetLayout
                                    ) -> Iterator[Finding]:
    """An unknown fuel on a row rejected for other errors, unless its fuel cell has one."""
    reported = {f.row for f in findings if f.field == "fuel"}
    rows = [(row, record.get("fuel")) for row, record in records.items()
            if row not in reported]
    return unknown_fuels(rows, layout.letters.get("fuel"))


def _listed_projects(cells: SheetColumns | None) -> dict[str, int]:
    """Every project_id written on Projects (accepted or not) → its first Excel row."""
    column = cells.columns.get("project_id") if cells is not None else None
    if cells is None or column is None:
        return {}
    # Each distinct cell read as text once (101.0 and "101" are the same project).
    texts = np.empty(len(cells.rows), dtype=object)
    distinct = np.array([None if v is None else str(parse_text(v)) for v in column.values] +
                        [None], dtype=object)
    texts[:] = distinct[column.codes]  # code -1 (a number cell) is filled just below
    numbers, floats = pd.factorize(column.numbers[column.is_number], use_na_sentinel=False)
    texts[column.is_number] = np.array([str(parse_text(v)) for v in floats.tolist()],
                                       dtype=object)[numbers] if len(floats) else []
    written = pd.Series(cells.rows, index=texts)
    written = written[written.index.notna()]
    first = written[~written.index.duplicated(keep="first")]
    return {str(text): int(row) for text, row in first.items()}


def _drop_rejected_rows(tables: dict[str, pd.DataFrame], found: list[Finding]) -> None:
    """Remove from the tables every row that a later check reported an error on."""
    bad: dict[str, set[int]] = {}
    for finding in found:
        if finding.severity == "error" and finding.row and finding.sheet in tables:
            bad.setdefault(finding.sheet, set()).add(finding.row)
    for sheet, rows in bad.items():
        frame = tables[sheet]
        tables[sheet] = frame[~frame["row"].isin(rows)].reset_index(drop=True)

