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

from collections.abc import Callable, Iterable, Iterator

import pandas as pd

from envreport.findings import DEFAULT_FINDING_LIMIT, Finding, Findings
from envreport.io.reader import MAX_ROWS_PER_SHEET, RawSheet, RawWorkbook
from envreport.schema import SHEETS, SHEETS_BY_KEY, RowContext, normalise_sheet_name
from envreport.schema.types import parse_text
from envreport.submission import InputFile, Organization, RowCount, Submission
from envreport.validate import cross, plausibility
from envreport.validate.factor_checks import check_factors
from envreport.validate.layout import SheetLayout, iter_records, match_headers
from envreport.validate.organization import validate_organization
from envreport.validate.tables import validate_table

# Sheets that envreport itself writes into workbooks (template, annotated copy).
AUXILIARY_SHEETS = frozenset({"instructions", "findings", "lists", "说明"})
_SHEET_ORDER = {spec.name: i for i, spec in enumerate(SHEETS)}

__all__ = ["validate"]


def validate(raw: RawWorkbook, *, limit: int = DEFAULT_FINDING_LIMIT) -> Submission:
    """Check every sheet of ``raw`` and return the accepted rows with all findings."""
    found: list[Finding] = []
    sheets = _match_sheets(raw, found)

    organization: Organization | None = None
    counts: dict[str, RowCount] = {}
    org_raw = sheets.get("Organization")
    if org_raw is None:
        found.append(Finding("sheet-missing", "error", "Organization"))
    else:
        outcome = validate_organization(org_raw)
        organization = outcome.organization
        found.extend(outcome.findings)
        counts["Organization"] = RowCount(outcome.read, outcome.read - outcome.rejected,
                                          outcome.rejected, outcome.blank)

    context = RowContext(
        period_start=organization.reporting_period_start if organization else None,
        period_end=organization.reporting_period_end if organization else None,
        consolidation_approach=organization.consolidation_approach if organization else None,
    )

    tables: dict[str, pd.DataFrame] = {}
    layouts: dict[str, SheetLayout] = {}
    read: dict[str, int] = {}
    for spec in SHEETS:
        if spec.key_value or spec.name not in sheets:
            continue
        raw_sheet = sheets[spec.name]
        layout, header_findings = match_headers(spec, raw_sheet)
        found.extend(header_findings)
        if raw_sheet.truncated:
            found.append(Finding("sheet-truncated", "error", spec.name,
                                 params={"max_rows": MAX_ROWS_PER_SHEET}))
        outcome = validate_table(layout, context)
        found.extend(outcome.findings)
        tables[spec.name] = outcome.frame
        layouts[spec.name] = layout
        read[spec.name] = outcome.read
        counts[spec.name] = RowCount(outcome.read, 0, 0, outcome.blank)

    # A parent (a Subsidiaries sheet with rows) may leave Projects out or empty.
    is_parent = read.get("Subsidiaries", 0) > 0
    if "Projects" not in sheets and not is_parent:
        found.append(Finding("sheet-missing", "error", "Projects"))
    elif "Projects" in sheets and read.get("Projects", 0) == 0 and not is_parent:
        found.append(Finding("sheet-empty", "error", "Projects", 2, "A"))

    letters = {name: layout.letters for name, layout in layouts.items()}
    submission = Submission(InputFile(raw.name, raw.sha256), organization, tables)
    listed = _listed_projects(layouts.get("Projects"))
    for check in _later_checks(submission, letters, listed):
        found.extend(check())

    _drop_rejected_rows(tables, found)
    for name, frame in tables.items():
        rejected = read[name] - len(frame)
        counts[name] = RowCount(read[name], len(frame), rejected, counts[name].blank)

    findings = Findings(limit=limit)
    findings.extend(sorted(found, key=_reading_order))
    submission.findings = findings
    submission.rows = counts
    return submission


def _match_sheets(raw: RawWorkbook, found: list[Finding]) -> dict[str, RawSheet]:
    """Contract sheet name → the workbook's sheet; report duplicates and strangers."""
    matched: dict[str, RawSheet] = {}
    for sheet in raw.sheets:
        key = normalise_sheet_name(sheet.name)
        spec = SHEETS_BY_KEY.get(key)
        if spec is None:
            if key not in AUXILIARY_SHEETS:
                found.append(Finding("sheet-unknown", "warning", sheet.name))
            continue
        if spec.name in matched:
            found.append(Finding("sheet-duplicate", "error", spec.name, value=sheet.name))
            continue
        matched[spec.name] = sheet
    return matched


def _later_checks(submission: Submission, letters: dict[str, dict[str, str]],
                  listed_projects: dict[str, int]
                  ) -> Iterator[Callable[[], Iterable[Finding]]]:
    """The checks that need typed tables, in the order they are reported."""
    tables = submission.tables
    projects = tables.get("Projects")
    if projects is not None:
        yield lambda: cross.duplicate_projects(projects, letters)
        known = set(projects["project_id"])
        listed = {pid: row for pid, row in listed_projects.items() if pid not in known}
        yield lambda: cross.unknown_projects(tables, known, letters, listed)
        yield lambda: plausibility.eia_warnings(projects, letters)
        generation = tables.get("Generation")
        if generation is not None:
            yield lambda: plausibility.generation_vs_capacity(generation, projects, letters)
    incidents = tables.get("Incidents")
    if incidents is not None:
        yield lambda: cross.incident_links(incidents, letters)
    yield lambda: cross.duplicate_rows(tables, letters)
    yield lambda: plausibility.outliers(tables, letters)
    yield lambda: plausibility.estimated_share(tables, letters)
    yield lambda: plausibility.ignored_values(tables, letters)
    if submission.organization is not None:
        organization = submission.organization
        yield lambda: cross.missing_fx_rates(tables, organization, letters)
        yield lambda: check_factors(_with_known_projects(submission), letters)


def _with_known_projects(submission: Submission) -> Submission:
    """The submission without rows of unknown or rejected projects.

    Those rows already have their finding (project-unknown, project-rows-unusable); checking
    their factors too would only add a consequence of the same mistake.
    """
    projects = submission.tables.get("Projects")
    if projects is None:
        return submission
    known = set(projects["project_id"])
    tables = {
        name: frame if name == "Projects" or "project_id" not in frame
        else frame[frame["project_id"].isin(known)]
        for name, frame in submission.tables.items()
    }
    return Submission(submission.source, submission.organization, tables)


def _listed_projects(layout: SheetLayout | None) -> dict[str, int]:
    """Every project_id written on Projects (accepted or not) → its first Excel row."""
    listed: dict[str, int] = {}
    if layout is None:
        return listed
    for excel_row, record in iter_records(layout):
        if record and "project_id" in record:
            listed.setdefault(str(parse_text(record["project_id"])), excel_row)
    return listed


def _drop_rejected_rows(tables: dict[str, pd.DataFrame], found: list[Finding]) -> None:
    """Remove from the tables every row that a later check reported an error on."""
    bad: dict[str, set[int]] = {}
    for finding in found:
        if finding.severity == "error" and finding.row and finding.sheet in tables:
            bad.setdefault(finding.sheet, set()).add(finding.row)
    for sheet, rows in bad.items():
        frame = tables[sheet]
        tables[sheet] = frame[~frame["row"].isin(rows)].reset_index(drop=True)


def _reading_order(finding: Finding) -> tuple[int, str, int, int, str, str]:
    return (
        _SHEET_ORDER.get(finding.sheet or "", -1 if finding.sheet is None else len(_SHEET_ORDER)),
        finding.sheet or "",
        finding.row or 0,
        len(finding.column or ""),
        finding.column or "",
        finding.code,
    )
