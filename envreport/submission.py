"""The typed hand-off between validation and metrics.

A :class:`Submission` holds the *accepted* rows of every sheet as pandas DataFrames with
canonical contract column names, plus ``row`` (the Excel row number each record came
from), so that every figure can point back at its input row.

Column dtypes after validation:
- numbers: ``float64`` (NaN when blank)
- dates: ``datetime64`` (NaT when blank)
- booleans: pandas nullable ``boolean``
- enumerations, ids and text: ``object`` holding ``str`` or ``None``
- countries (``host_country``, ``grid_country``): ISO 3166-1 alpha-3 ``str``
- currencies: ISO 4217 upper-case ``str``
- units (``unit``): the unit text as the project's pint registry normalises it
  (see :func:`envreport.units.normalise_unit`), e.g. ``"m3"``, ``"L"``, ``"MWh"``
- activity rows' blank ``period_start``/``period_end`` are filled with the reporting period.

A sheet that is absent from the workbook is absent from ``tables``; a sheet that is
present but has no accepted rows maps to an empty DataFrame with the contract's columns.
Metrics treat both as "not reported" (``null``), per docs/methodology.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

import pandas as pd
from pydantic import BeforeValidator

from envreport.findings import Findings
from envreport.schema.sheets import OrganizationSheet, normalise_languages


@dataclass(frozen=True, slots=True)
class InputFile:
    """The workbook a submission was read from."""

    name: str
    sha256: str


@dataclass(frozen=True, slots=True)
class RowCount:
    """Row accounting for one sheet: ``read == accepted + rejected``; blanks apart."""

    read: int = 0
    accepted: int = 0
    rejected: int = 0
    blank: int = 0

    def to_dict(self) -> dict[str, int]:
        return {
            "read": self.read,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "blank": self.blank,
        }


def _language_tuple(value: Any) -> Any:
    """``"en, zh"`` (the sheet's text, normalised as the sheet model does) as ``("en", "zh")``."""
    if isinstance(value, str):
        return tuple(normalise_languages(value).split(","))
    return value


class Organization(OrganizationSheet):
    """The ``Organization`` sheet as validation accepted it. Optional fields are ``None``.

    Its fields are the sheet model's (defined once, in :mod:`envreport.schema.sheets`); only
    ``report_languages`` differs: the sheet's text ``en,zh`` is held as ``("en", "zh")``.
    Immutable, like every sheet row.
    """

    # The one field whose type differs from the sheet model's (redeclared in place, so it keeps
    # its column position): an Organization is never used where an OrganizationSheet is expected
    report_languages: Annotated[tuple[str, ...], BeforeValidator(_language_tuple)] = ("en",)  # type: ignore[assignment]

    @property
    def reporting_year(self) -> int:
        """The reporting year is the year of ``reporting_period_end`` (docs/methodology.md)."""
        return self.reporting_period_end.year


@dataclass
class Submission:
    """A validated workbook: the organisation, accepted rows per sheet, and findings."""

    source: InputFile
    organization: Organization | None
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    findings: Findings = field(default_factory=Findings)
    rows: dict[str, RowCount] = field(default_factory=dict)
    # sheet -> field -> column letter, where validation found each header: for the findings
    # made from computed figures (a target's base value), at the cell they are about. Empty
    # for a submission rebuilt from stored rows (the ledger's).
    letters: dict[str, dict[str, str]] = field(default_factory=dict)
    # The group as one merged submission (batch.consolidate.merge): its Targets, the
    # parent's, are measured against the consolidated figures.
    consolidated: bool = False

    @property
    def valid(self) -> bool:
        return self.organization is not None and not self.findings.has_errors

    @property
    def targets_are_the_groups(self) -> bool:
        """A parent's own workbook (Subsidiaries rows), computed alone: its Targets are the
        group's (the group report takes them), so its own figures measure none of them."""
        from envreport.schema import Sheet  # the schema package imports heavier modules

        subsidiaries = self.tables.get(Sheet.SUBSIDIARIES)
        return not self.consolidated and subsidiaries is not None and len(subsidiaries) > 0

    def table(self, sheet: str) -> pd.DataFrame | None:
        """The accepted rows of ``sheet``, or ``None`` when the sheet is absent."""
        return self.tables.get(sheet)
