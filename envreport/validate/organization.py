"""The Organization sheet: rows of ``field`` / ``value``, validated as one record."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError

from envreport.findings import Finding, column_letter
from envreport.io.formulas import EXCEL_ERRORS
from envreport.io.reader import RawSheet
from envreport.schema import SHEETS_BY_NAME, RowContext, Sheet, normalise_header
from envreport.schema.sheets import OrganizationSheet
from envreport.schema.types import parse_date
from envreport.submission import Organization
from envreport.validate.errors import findings_from_errors
from envreport.validate.layout import hidden_column_findings, is_blank, multiplier_finding

SPEC = SHEETS_BY_NAME[Sheet.ORGANIZATION]
_HEADER_WORDS = {"field", "字段", "value", "取值", "值"}


@dataclass
class OrganizationOutcome:
    organization: Organization | None
    findings: list[Finding] = field(default_factory=list)
    read: int = 0
    rejected: int = 0
    blank: int = 0
    # The reporting period when its two dates are valid, even if other fields are not: rows
    # elsewhere are still checked against it, so one run shows every problem.
    period: tuple[date, date] | None = None


def validate_organization(raw: RawSheet) -> OrganizationOutcome:
    """Read the field/value rows, report unknown, duplicate, missing and invalid fields."""
    outcome = OrganizationOutcome(None)
    key_letter = column_letter(1 + raw.column_offset)
    value_letter = column_letter(2 + raw.column_offset)
    rows = raw.rows
    start = 1 if rows and normalise_header(rows[0][0] if rows[0] else "") in _HEADER_WORDS else 0
    aliases = SPEC.header_aliases
    percent_cells = set(raw.percent_cells)
    record: dict[str, Any] = {}
    field_rows: dict[str, int] = {}
    bad_rows: set[int] = set()
    for index in range(start, len(rows)):
        excel_row = index + 1
        cells = rows[index]
        key = cells[0] if cells else None
        value = cells[1] if len(cells) > 1 else None
        if all(is_blank(c) for c in cells):
            outcome.blank += 1
            continue
        outcome.read += 1
        name = aliases.get(normalise_header(key)) if not is_blank(key) else None
        if name is None:
            outcome.findings.append(Finding("field-unknown", "warning", SPEC.name, excel_row,
                                            key_letter, value=key))
            bad_rows.add(excel_row)
            continue
        if name in field_rows:
            outcome.findings.append(Finding("field-duplicate", "error", SPEC.name, excel_row,
                                            key_letter, name, value))
            bad_rows.add(excel_row)
            continue
        field_rows[name] = excel_row
        multiplied = multiplier_finding(SPEC, name, str(key), excel_row, key_letter)
        if multiplied is not None:
            outcome.findings.append(multiplied)
            bad_rows.add(excel_row)
        error = raw.error_cells.get(f"{value_letter}{excel_row}")
        if error is None and isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS:
            error = value.strip().upper()
        if error is not None:
            outcome.findings.append(Finding("cell-error-value", "error", SPEC.name, excel_row,
                                            value_letter, name, error))
            bad_rows.add(excel_row)
        elif not is_blank(value):
            record[name] = value.strip() if isinstance(value, str) else value
            if name.endswith("_pct") and f"{value_letter}{excel_row}" in percent_cells and \
                    isinstance(value, int | float) and not isinstance(value, bool):
                record[name] = float(f"{value * 100:.12g}")  # 5% typed in Excel: 0.05 → 5

    # a hidden value column: the whole record read from cells nobody sees
    outcome.findings.extend(hidden_column_findings(raw, SPEC.name, {}, start))
    for name, excel_row in field_rows.items():
        reference = f"{value_letter}{excel_row}"
        if reference in raw.formula_cells:
            outcome.findings.append(Finding("formula-no-cached-value", "error", SPEC.name,
                                            excel_row, value_letter, name,
                                            raw.formula_cells[reference] or None))
            bad_rows.add(excel_row)
        elif reference in raw.external_cells:
            outcome.findings.append(Finding("formula-external-link", "error", SPEC.name,
                                            excel_row, value_letter, name,
                                            raw.external_cells[reference]))
            bad_rows.add(excel_row)
    try:
        model = OrganizationSheet.model_validate(record, context=RowContext())
    except ValidationError as exc:
        model = None
        errors = exc.errors(include_url=False)
        for detail in errors:
            loc = [p for p in detail["loc"] if isinstance(p, str)]
            fields = [v.field for v in detail.get("ctx", {}).get("violations", [])] or loc
            for name in fields:
                named_row = field_rows.get(name)
                if named_row is not None:
                    bad_rows.add(named_row)
        for finding in _org_findings(errors, field_rows, value_letter, record):
            if not any(f.code in ("formula-no-cached-value", "cell-error-value")
                       and f.row == finding.row for f in outcome.findings):
                outcome.findings.append(finding)
    outcome.rejected = len(bad_rows)
    outcome.period = _period(record)
    if model is not None and not any(f.severity == "error" for f in outcome.findings):
        outcome.organization = to_organization(model)
        outcome.findings.extend(statement_warnings(model, field_rows, key_letter,
                                                   value_letter))
    return outcome


def statement_warnings(model: OrganizationSheet, field_rows: dict[str, int], key_letter: str,
                       value_letter: str) -> list[Finding]:
    """What a published report would lack: a final report's date, an assurance's provider.

    Warnings (the report is still built, and says what it has): a ``final`` report without
    ``publication_date`` prints no date on its cover; ``limited`` or ``reasonable``
    assurance without ``assurance_provider`` or ``assurance_standard`` cannot say who gave
    it or to which standard. The cell is the field's value when the field row exists, else
    the status field's own row.
    """
    found: list[Finding] = []

    def warn(code: str, field: str, anchor: str, value: Any) -> None:
        row = field_rows.get(field)
        if row is not None:
            found.append(Finding(code, "warning", SPEC.name, row, value_letter, field, None))
        else:
            found.append(Finding(code, "warning", SPEC.name, field_rows.get(anchor),
                                 key_letter if anchor in field_rows else None, field, value))

    if model.report_status == "final" and model.publication_date is None:
        warn("publication-date-missing", "publication_date", "report_status", "final")
    if model.assurance_level != "none":
        for field in ("assurance_provider", "assurance_standard"):
            if getattr(model, field) is None:
                warn("assurance-detail-missing", field, "assurance_level",
                     model.assurance_level)
    return found


def _period(record: dict[str, Any]) -> tuple[date, date] | None:
    try:
        start = parse_date(record["reporting_period_start"])
        end = parse_date(record["reporting_period_end"])
    except (KeyError, ValueError):  # PydanticCustomError is a ValueError
        return None
    return (start, end) if start <= end else None


def _org_findings(errors: list[Any], field_rows: dict[str, int], letter: str,
                  record: dict[str, Any]) -> list[Finding]:
    found: list[Finding] = []
    for error in errors:
        loc = [p for p in error["loc"] if isinstance(p, str)]
        name = loc[0] if loc else None
        if error["type"] == "missing" and name and name not in field_rows:
            found.append(Finding("field-missing", "error", SPEC.name, field=name))
            continue
        row = field_rows.get(name) if name else None
        if error["type"] == "row-rules":
            row = field_rows.get(error["ctx"]["violations"][0].field)
        found.extend(findings_from_errors(
            [error], sheet=SPEC.name, row=row or 0,
            letter_of=lambda _f: letter, value_of=record.get,
        ))
    # A finding without a row in the sheet (a missing field) has no cell.
    return [f if f.row else Finding(f.code, f.severity, f.sheet, None, None, f.field, f.value,
                                    f.params) for f in found]


def to_organization(model: OrganizationSheet) -> Organization:
    return Organization.model_validate(model.model_dump())
