"""The finding codes: one table, the single source for messages, hints and the docs.

Each code is stable: tools and auditors key on it. Titles, messages and hints are English
source strings; Chinese comes from the ``findings`` catalogue
(``envreport/locale/zh/LC_MESSAGES/findings.po``). ``docs/findings.md`` is generated from
this table (``python scripts/gen_docs.py``) and a test fails when it drifts.

Message templates are ``str.format`` templates. Every finding provides ``sheet``, ``cell``,
``field`` and ``value``; other names come from the finding's ``params``. A code whose message
names a count of things (rows) has a second template for one (``message_one``), used when the
finding's ``count`` parameter is 1: "Row 6 is hidden", not "Row(s) 6 are hidden".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, Protocol

from envreport.i18n import fill, gap, gettext, list_separator

# Dynamic look-ups of the table's own strings (collected from CODES by the extractor);
# literal ``gettext(...)`` calls below are vocabulary the extractor reads from this file.
translate_source = gettext

# Defined here, with the table that gives every code its severity; findings.py imports it
# (findings → codes, never back: the table knows findings only by this protocol).
Severity = Literal["error", "warning"]


class Finding(Protocol):
    """What a message needs of a finding (:class:`envreport.findings.Finding` has it)."""

    @property
    def code(self) -> str: ...
    @property
    def sheet(self) -> str | None: ...
    @property
    def cell(self) -> str | None: ...
    @property
    def field(self) -> str | None: ...
    @property
    def column(self) -> str | None: ...
    @property
    def value(self) -> Any: ...
    @property
    def params(self) -> dict[str, Any]: ...


@dataclass(frozen=True, slots=True)
class Code:
    """What a finding code means and how to fix what it reports."""

    code: str
    severity: Severity
    scope: str  # file | sheet | column | cell | row | group
    title: str
    message: str
    hint: str
    message_one: str = ""  # the message when the finding's ``count`` is 1; "" when none

    def message_for_count(self, count: Any) -> str:
        """The English template for a finding whose ``count`` parameter is ``count``."""
        return self.message_one if self.message_one and count == 1 else self.message


CODES: dict[str, Code] = {}


def register(code: str, severity: Severity, scope: str, title: str, message: str,
             hint: str, message_one: str = "") -> None:
    """Add a code to the table; a code is defined exactly once."""
    if code in CODES:
        raise ValueError(f"finding code {code!r} defined twice")
    CODES[code] = Code(code, severity, scope, title, message, hint, message_one)


# --- the file as a whole (fatal: nothing else can be checked) -----------------------------
register("unreadable-file", "error", "file", "File cannot be read",
         "{file} cannot be read as a workbook: {reason}",
         "Save the file from Excel or LibreOffice as an .xlsx workbook and submit it again.")

# --- sheets ------------------------------------------------------------------------------
register("sheet-missing", "error", "sheet", "Required sheet missing",
         "The required sheet {sheet} is missing.",
         "Add the sheet, or start again from the template (envreport template).")
register("sheet-empty", "error", "sheet", "Required sheet has no data",
         "The sheet {sheet} has no data rows.",
         "Fill in at least one row below the header.")
register("sheet-duplicate", "error", "sheet", "Sheet appears twice",
         "Two sheets are named {sheet} (names are compared ignoring case and spaces).",
         "Merge the two sheets into one and delete the other.")
register("sheet-renamed", "error", "sheet", "Contract sheet under another name",
         "The sheet {sheet} has the header of the {contract_sheet} sheet but another name, so "
         "its rows were not read.",
         "Rename the sheet {sheet} to {contract_sheet} (double-click its tab).")
register("sheet-hidden", "warning", "sheet", "Hidden sheet holds data",
         "The sheet {sheet} is hidden in the workbook, but was read: its {data_rows} rows with "
         "values count in the report like those of any other sheet.",
         "Delete the rows that are not to be reported and unhide the sheet, so that the "
         "workbook shows everything that is reported.")
register("sheet-unknown", "warning", "sheet", "Sheet not in the contract",
         "The sheet {sheet} is not part of the submission workbook and was not read "
         "({data_rows} rows with values below row 1).",
         "Rename it to a contract sheet name if it holds data to report; otherwise ignore.")

# --- columns -----------------------------------------------------------------------------
register("column-missing", "error", "column", "Required column missing",
         "The required column {field} is missing from the header row.",
         "Add a column headed {field} (the template has every column).")
register("header-not-in-row-1", "error", "sheet", "Header not in row 1",
         "The header must be in row 1 (found in row {header_row}).",
         "Delete the rows above the header (titles, notes) so that the header is row 1.")
register("header-unit-conflict", "error", "column", "Header unit contradicts the column",
         "The header {value!r} names the unit {header_unit}, but {field} is always in "
         "{fixed_unit}.",
         "Convert the values to {fixed_unit} and write the header as {field}.")
register("column-unknown", "warning", "column", "Column not in the contract",
         "The column {value!r} is not part of sheet {sheet}; its values were not read.",
         "Rename the header to a contract column, or delete the column if it is a note.")
register("header-multiplier", "error", "column", "Header counts in a multiple",
         "The header {value!r} counts in {multiplier}, but {field} takes the number itself: "
         "its values would be read {factor} times too small.",
         "Multiply the values by {factor} and remove {multiplier} from the header.")
register("header-unit-row-conflict", "error", "column", "Header unit contradicts the unit column",
         "The header {value!r} names the unit {header_unit}, but the unit column of rows {rows} "
         "says {row_unit} ({relation}): {field} is read in {row_unit}, and if its values are "
         "in {header_unit} they are wrong.",
         "Check which unit the values are in: if {row_unit}, remove {header_unit} from the "
         "header; if {header_unit}, convert them to {row_unit}, or write their unit in the "
         "unit column.",
         message_one="The header {value!r} names the unit {header_unit}, but the unit column "
         "of row {rows} says {row_unit} ({relation}): {field} is read in {row_unit}, and if "
         "its value is in {header_unit} it is wrong.")
register("column-duplicate", "error", "column", "Column appears twice",
         "The column {field} appears more than once in the header row.",
         "Keep one column per field and delete the others.")
register("column-no-header", "warning", "column", "Values under a blank header",
         "Column {column} has values but no header; they were not read.",
         "Give the column a contract header or delete its values.")

# --- Organization sheet ------------------------------------------------------------------
register("field-missing", "error", "sheet", "Required organisation field missing",
         "The Organization sheet has no value for {field}.",
         "Add a row with {field} in column A and its value in column B.")
register("field-unknown", "warning", "row", "Organisation field not in the contract",
         "The Organization field {value!r} is not part of the contract and was not read.",
         "Check its spelling against the template's Organization sheet.")
register("field-duplicate", "error", "row", "Organisation field given twice",
         "The Organization field {field} is given more than once.",
         "Keep one row for {field}.")

# --- cells -------------------------------------------------------------------------------
register("required-missing", "error", "cell", "Required value missing",
         "{field} is required but blank.",
         "Enter a value for {field}.")
register("formula-no-cached-value", "error", "cell", "Formula without a computed value",
         "{field} holds a formula with no computed value.",
         "Open the workbook in Excel or LibreOffice, let it recalculate, save, and submit again.")
register("formula-external-link", "error", "cell", "Formula reading another workbook",
         "The cell takes its value from another workbook ({value}): a figure of the report "
         "must come from the submission itself.",
         "Replace the formula by its value (Copy, then Paste Special > Values), or break the "
         "link (Excel: Data > Edit Links > Break Link), save, and submit again.")
register("cell-error-value", "error", "cell", "Excel error value",
         "{field} holds the Excel error {value}, not a value.",
         "Correct the formula or the data it uses so the cell shows a value, then save again.")
register("merged-cells", "error", "cell", "Merged cells in the data",
         "Merged cells {range}: write the value in every row.",
         "Unmerge the cells and write the value into each row of the range.")
register("row-hidden", "warning", "row", "Hidden rows hold data",
         "Rows {rows} are hidden in the workbook (hidden, or filtered out), but hold values: "
         "they were read, and count in the report like every other row.",
         "Delete the rows that are not to be reported and unhide the rest, so that the sheet "
         "shows everything that is reported.",
         message_one="Row {rows} is hidden in the workbook (hidden, or filtered out), but holds "
         "values: it was read, and counts in the report like every other row.")
register("column-hidden", "warning", "column", "Hidden column holds data",
         "Column {column} is hidden in the workbook, but holds values: they were read, and "
         "count in the report like those of every other column.",
         "Unhide the column, and delete the values that are not to be reported, so that the "
         "sheet shows everything that is reported.")
register("text-direction-control", "warning", "cell", "Invisible direction control removed",
         "The text held invisible direction controls (U+202A to U+202E, U+2066 to U+2069), "
         "which make a text show other than it reads (a name or a number reversed); they were "
         "removed, and the text read as {value!r}.",
         "Type the text again without them: right-to-left text (Arabic, Urdu) shows right "
         "without them.")
register("date-looks-like-year", "error", "cell", "A year where a date belongs",
         "{field} holds {year}, which looks like a year, not a date.",
         "Enter the full date, e.g. {year}-06-30, as an Excel date or YYYY-MM-DD text.")
register("date-implausible", "error", "cell", "Date out of the plausible range",
         "{field} is {day}: dates before {earliest} or after {latest} are not accepted here.",
         "Check the date (a number may have been read as an Excel day number).")
register("pct-looks-like-fraction", "warning", "cell", "Percentage typed as a fraction?",
         "{field} is {value} while other rows of this column are above 1: a fraction typed "
         "instead of a percentage?",
         "Write percentages as numbers from 0 to 100 (51 for 51 %), or format the cell as a "
         "percentage.")
register("pct-all-fractions", "warning", "cell", "Percentages typed as fractions?",
         "{field} is {value} and no row of this column is above 1: percentages typed as "
         "fractions (0.5 for 50 %)? As written it counts as {value} %.",
         "Type percentages as numbers from 0 to 100: 100 for all, and for a half 50 or 50%.")
register("number-formatted-as-percent", "warning", "cell",
         "A number formatted as a percentage",
         "{field} is formatted as a percentage: the cell shows {shown}; {value} was read.",
         "Format the cell as a number and type the value in the column's unit (only the "
         "*_pct columns take percentages).")
register("not-a-number", "error", "cell", "Not a number",
         "{field} must be a number, got {value!r}.",
         "Type the number alone, without a unit, a percent sign or thousands separators "
         "(e.g. 1250.5; 45 for 45 %).")
register("not-an-integer", "error", "cell", "Not a whole number",
         "{field} must be a whole number, got {value!r}.",
         "Type a whole number (e.g. 2024).")
register("number-too-large", "error", "cell", "Number too large",
         "{field} is {value!r}, beyond the largest number accepted ({limit}).",
         "Check the cell: a number this large is a typing or export error. Type the figure "
         "in the unit of the row's unit column.")
register("not-a-date", "error", "cell", "Not a date",
         "{field} must be a date, got {value!r}.",
         "Use an Excel date or ISO text YYYY-MM-DD (e.g. 2024-03-31).")
register("not-a-boolean", "error", "cell", "Not yes or no",
         "{field} must be yes or no, got {value!r}.",
         "Use yes/no, true/false, y/n or 是/否.")
register("value-not-allowed", "error", "cell", "Value not in the list",
         "{value!r} is not an allowed value of {field}; allowed: {allowed}.",
         "Pick a value from the drop-down list.")
register("value-label-ambiguous", "error", "cell", "Label of two values",
         "{value!r} is the label of both {first} and {second} in {field}.",
         "Pick the value from the drop-down list, or type the id of the one meant.")
register("value-out-of-range", "error", "cell", "Value out of range",
         "{field} must be {bound}, got {value}.",
         "Check the number and its unit.")
register("value-invalid", "error", "cell", "Value not accepted",
         "{field} does not accept {value!r} ({detail}).",
         "Check the value against the column's comment in the template.")
register("text-too-long", "error", "cell", "Text too long",
         "{field} holds {length} characters; at most {max_length} are accepted.",
         "Shorten the text; put long descriptions in an attached document.")
register("unit-unknown", "error", "cell", "Unit not recognised",
         "{value!r} is not a recognised unit.",
         "Write one of the units the column accepts: {accepted}; or the unit's full name, in "
         "English or Chinese.")
register("unit-multiple", "error", "cell", "A multiple of a unit",
         "{value!r} is {factor} {unit}: a multiple of a unit, which the unit column does not "
         "take.",
         "Convert the quantity: multiply it by {times} and write {target} as its unit "
         "(1 {value} = {times} {target}).")
register("unit-ambiguous", "error", "cell", "Unit is ambiguous",
         "{value!r} is written for more than one unit, so it is not accepted.",
         "Write {choices} instead, whichever is meant.")
register("unit-wrong-dimension", "error", "cell", "Unit of the wrong kind",
         "{value!r} is not a unit of {expected} as {field} requires.",
         "Use a unit of {expected} (e.g. {example}).")
register("country-unknown", "error", "cell", "Country not recognised",
         "{value!r} is not a recognised country.",
         "Use an ISO 3166-1 code (CN, CHN), the English short name (China) or the Chinese "
         "name (中国).")
register("currency-unknown", "error", "cell", "Currency not recognised",
         "{value!r} is not an ISO 4217 currency code.",
         "Use a three-letter code such as CNY, USD or EUR.")

# --- rules within a row -------------------------------------------------------------------
register("period-end-before-start", "error", "cell", "Period ends before it starts",
         "{field} ({value}) is before the start of the period ({start}).",
         "Swap or correct the two dates.")
register("period-outside-reporting", "error", "cell", "Row outside the reporting period",
         "The row's period {start} to {end} is not inside the reporting period "
         "{period_start} to {period_end}.",
         "Report only activity of this reporting period, or correct the dates.")
register("period-single-date-outside", "error", "cell",
         "Row's only date outside the reporting period",
         "{field} ({value}) is outside the reporting period {period_start} to {period_end}; "
         "the row's other date is blank, so it is taken as {filled} and the row's period "
         "would end before it starts.",
         "Report only activity of this reporting period, or correct {field}.")
register("eia-approval-date-missing", "error", "cell", "EIA approval date missing",
         "eia_status is approved but eia_approval_date is blank.",
         "Enter the date the EIA was approved.")
register("instrument-quantity-exceeds", "error", "cell", "Instrument covers more than used",
         "instrument_quantity ({value}) is more than the quantity consumed ({quantity}).",
         "An instrument can cover at most the energy consumed on that row.")
register("instrument-quantity-without-instrument", "warning", "cell",
         "Instrument quantity without an instrument",
         "instrument_quantity is given but instrument is none; it was ignored.",
         "Name the instrument (rec, i_rec, go, ppa, green_tariff) or clear the quantity.")
register("control-missing", "error", "cell", "Control not stated",
         "{field} is required under the {approach} approach but is blank.",
         "Enter yes or no: does the entity have {field_label} of this project?")
register("net-export-exceeds-generation", "error", "cell", "Exports more than generated",
         "net_export_mwh ({value}) is more than gross_generation_mwh ({gross}).",
         "Net export cannot exceed what the plant generated; check both figures.")
register("target-year-not-after-base", "error", "cell", "Target year not after base year",
         "target_year ({value}) must be after base_year ({base_year}).",
         "Correct one of the two years.")
register("target-base-value-differs", "warning", "cell",
         "Base value differs from the base year's own figure",
         # the base year's own workbook (its reporting year), or a group's members' base-year
         # submissions in the ledger, consolidated (batch --ledger)
         "base_value ({stated}) is not the {metric} computed for {base_year}, the target's "
         "base year, from that year's own data: {computed} ({difference_pct} %, more than the "
         "{tolerance_pct} % allowed for rounding). Every report measures the target's progress "
         "from base_value.",
         "State the base year's figure as computed ({computed}) in base_value, or correct "
         "the activity data if base_value is right.")
register("maturity-before-issue", "error", "cell", "Matures before it is issued",
         "maturity_date ({value}) is before issue_date ({issue_date}).",
         "Correct one of the two dates.")
register("treated-on-withdrawal", "warning", "cell", "Treatment flag on a withdrawal",
         "treated applies to discharges only; it was ignored on a withdrawal.",
         "Clear the cell, or change flow to discharge.")
register("operation-before-construction", "warning", "cell",
         "Operation starts before construction",
         "operation_start ({value}) is before construction_start ({construction_start}).",
         "Check both dates.")

# --- rules across rows and sheets ---------------------------------------------------------
register("project-unknown", "error", "cell", "Unknown project",
         "project_id {value!r} is not listed on the Projects sheet.",
         "Add the project to Projects, or correct the id.")
register("project-rows-unusable", "error", "cell", "Rows of a project that has errors",
         "project_id {value!r} has errors on the Projects sheet (row {project_row}), so this "
         "row was not used.",
         "Correct the project's row on the Projects sheet; these rows are then read.")
register("project-duplicate", "error", "cell", "Project listed twice",
         "project_id {value!r} appears more than once on Projects (first at row {first_row}).",
         "Keep one row per project.")
register("incident-id-duplicate", "error", "cell", "Incident id used twice",
         "incident_id {value!r} appears more than once on Incidents (first at row {first_row}).",
         "Give each incident its own id; a penalty or follow-up row names its incident in "
         "related_incident_id instead.")
register("incident-related-unknown", "error", "cell", "Related incident not on the sheet",
         "related_incident_id {value!r} names no incident_id of an accepted row on Incidents.",
         "Write the incident_id of the incident this row belongs to, or leave the cell blank if "
         "the row is an incident of its own.")
register("incident-related-cycle", "error", "cell", "Incidents refer to each other in a circle",
         "related_incident_id {value!r} leads back to this row; no row of the chain is the "
         "incident itself.",
         "Leave related_incident_id blank on the row that records the incident itself.")
register("duplicate-row", "warning", "row", "Possible duplicate row",
         "This row and row {other_row} have the same project, period, {key} and quantity "
         "(compared after unit conversion).",
         "Delete it if it was entered twice; keep it if it is a genuine second delivery.")
register("fx-rate-missing", "error", "cell", "No exchange rate for the currency",
         "{value} is not the reporting currency ({reporting_currency}) and FxRates has no rate "
         "for it.",
         "Add a row for {value} to the FxRates sheet with the rate and its source.")
register("fx-rate-conflict", "error", "cell", "Currency given two different rates",
         "{value} is also given on row {other_row} at another rate ({other_rate}, this row "
         "{rate}): money in {value} is converted with the last row's rate, which may not be "
         "the right one.",
         "Keep one row for {value}, with the right rate and its source.")
register("fx-rate-repeated", "warning", "cell", "Currency given twice",
         "{value} is also given on row {other_row}, at the same rate ({rate}): money in "
         "{value} is converted with the last row.",
         "Delete one of the two rows for {value}.")

# --- plausibility (what an auditor would query) --------------------------------------------
register("generation-exceeds-capacity", "error", "cell", "Generation impossible for capacity",
         "{value} MWh is more than {capacity_mw} MW could generate in {hours} hours "
         "({max_mwh} MWh).",
         "Check the generation figure and its unit (MWh), and the project's capacity.")
register("generation-capacity-factor-high", "warning", "cell", "Capacity factor implausible",
         "{value} MWh means a capacity factor of {capacity_factor} %, above the {ceiling} % "
         "a {technology} plant reaches.",
         "Check the figure, the period and the installed capacity.")
register("publication-date-missing", "warning", "cell", "Final report without a date",
         "report_status is final but publication_date is blank: the cover prints no date.",
         "Enter the date the report is published in publication_date (YYYY-MM-DD).")
register("assurance-detail-missing", "warning", "cell", "Assurance without its provider or "
         "standard",
         "{field} is blank although the report has assurance: the report cannot say who gave "
         "it or to which standard.",
         "Enter the assurance provider and the standard (e.g. ISAE 3000, ISAE 3410, "
         "ISO 14064-3), or set assurance_level to none.")
register("net-export-missing", "warning", "cell", "Electricity sold not given",
         "net_export_mwh is blank ({rows} row(s)): the whole gross generation is taken as sold "
         "to the grid, which lowers the energy consumed (GRI 302-1) by the plant's own use.",
         "Enter the electricity delivered to the grid (metered export) in net_export_mwh.")
register("generation-fuel-missing", "error", "cell", "Electricity from fuel, no fuel",
         "{project_id} sells {value} MWh from a {technology} plant, but the Fuel sheet has no "
         "row for {project_id}: the energy consumed (GRI 302-1) would subtract electricity "
         "whose fuel it never counted, and can turn negative.",
         "Add the fuel the plant burned to the Fuel sheet with project_id {project_id} (its "
         "Scope 1 emissions are missing too), or correct the technology if the plant burns "
         "no fuel.")
register("generation-exceeds-fuel", "error", "cell", "More electricity than fuel",
         "{project_id} sells {sold_gj} GJ of electricity from a {technology} plant, more than "
         "the {fuel_gj} GJ of fuel on its Fuel rows: no plant makes more electricity than its "
         "fuel holds, so fuel is missing, and the energy consumed (GRI 302-1) would be "
         "understated.",
         "Enter all the fuel the plant burned in the period on the Fuel sheet (project_id "
         "{project_id}), or check the generation figures and their unit (MWh).")
register("generation-efficiency-high", "warning", "cell", "Electricity implausible for the fuel",
         "{project_id} sells {sold_gj} GJ of electricity from a {technology} plant: "
         "{efficiency} % of the {fuel_gj} GJ of fuel on its Fuel rows, more than the "
         "{ceiling} % the most efficient plants of its kind turn into electricity. Some of its "
         "fuel is probably missing: its Scope 1 emissions and the energy consumed (GRI 302-1) "
         "would be understated.",
         "Check that the Fuel sheet holds all the fuel the plant burned in the period "
         "(project_id {project_id}), and the generation figures and their unit (MWh).")
register("generation-period-without-fuel", "warning", "cell", "Generation in a period without "
         "fuel",
         "{project_id}'s {technology} plant generated {value} MWh from {start} to {end}, but no "
         "Fuel row of {project_id} covers a day of that period: the fuel it burned then is "
         "probably missing, and with it the plant's Scope 1 emissions and part of the energy "
         "consumed (GRI 302-1).",
         "Add the fuel burned in that period to the Fuel sheet (project_id {project_id}, with "
         "its period_start and period_end), or correct the periods of the Fuel or Generation "
         "rows.")
register("value-outlier", "warning", "cell", "Value far from the usual",
         "{value} is more than 10 times the median ({median}) of this project's {key} rows.",
         "Check the unit and the decimal point.")
register("eia-not-approved", "warning", "cell", "Project active without an approved EIA",
         "The project is in {status} but its EIA is {eia_status}.",
         "Record the EIA approval, or explain in the report why it is pending.")
register("construction-before-eia", "warning", "cell", "Construction began before EIA approval",
         "Construction started on {construction_start}, before the EIA approval on {value}.",
         "Check both dates; if they are right the report will flag it.")
register("estimated-share-high", "warning", "sheet", "Much of the data is estimated",
         "{share} % of the {sheet} rows are estimated (above 20 %).",
         "Replace estimates with metered or invoiced figures where you can.")
register("sheet-truncated", "error", "sheet", "Too many rows",
         "The sheet {sheet} has more than {max_rows} rows; the rest were not read.",
         "Split the submission, or contact the group team.")

# --- factors (the factor library and the Factors sheet) ------------------------------------
register("fuel-unknown", "error", "cell", "Fuel not in the factor library",
         "{value!r} is not a fuel of the factor library.",
         "Pick a fuel from the drop-down (envreport factors lists them).")
register("refrigerant-unknown", "error", "cell", "Gas has no GWP in the library",
         "{value!r} has no global warming potential in the factor library.",
         "Use a gas name such as HFC-134a, R-410A or SF6, or add a refrigerant override in "
         "Factors.")
register("grid-factor-missing", "error", "cell", "No grid factor for the country",
         "There is no electricity factor for {value} in the factor library.",
         "Add a grid override for {value} in the Factors sheet with its source.")
register("factor-year-later-than-period", "warning", "cell", "Grid factor newer than the period",
         "The earliest electricity factor for {value} is for {factor_year}, after the reporting "
         "year {reporting_year}; it was used.",
         "Add a grid override in Factors if an earlier factor is available.")
register("energy-factor-missing", "error", "cell", "No factor for purchased heat, steam or cooling",
         "{energy_type} has no library factor; supplier_factor_kg_per_kwh is blank.",
         "Enter the supplier's factor in supplier_factor_kg_per_kwh.")
register("gas-volume-needs-ncv", "error", "cell", "Gas volume needs a heating value",
         "{fuel} given by volume needs an ncv override in Factors (its methane content varies).",
         "Add a Factors row: factor_type ncv, key {fuel}, unit MJ/Nm3, with its source.")
register("fuel-volume-not-convertible", "error", "cell", "Fuel volume cannot be converted",
         "{fuel} has no density in the library, so {value!r} cannot be converted.",
         "Report the quantity by mass or energy, or add a density override in Factors.")
register("fuel-use-fallback", "warning", "cell", "No factors for this use of the fuel",
         "{fuel} has no CH4/N2O factors for {use}; the stationary energy-industry factors were "
         "used.",
         "Check the use; the report discloses the fallback.")
register("override-invalid", "error", "row", "Factor override cannot be applied",
         "The {factor_type} override for {key!r} cannot be applied: {reason}.",
         "Correct the key, gas or unit as the Factors sheet's instructions say.")
register("pollutant-unlisted", "warning", "cell", "Pollutant outside the standard list",
         "{value!r} is not one of the standard pollutants; it is reported under its own name.",
         "Use SO2, NOx, PM, PM10, PM2.5, VOC, COD or NH3-N where one applies.")

# --- groups (envreport batch) --------------------------------------------------------------
register("group-period-mismatch", "error", "group", "Reporting periods differ",
         "{entity_id} reports {start} to {end}; the group reports {group_start} to {group_end}.",
         "Ask the subsidiary to resubmit for the group's reporting period.")
register("group-gwp-mismatch", "error", "group", "GWP sets differ",
         "{entity_id} uses {gwp_set}; the group uses {group_gwp_set}.",
         "Ask the subsidiary to use the group's GWP set.")
register("entity-not-in-roster", "warning", "group", "Submission not expected",
         "{entity_id} ({file}) is not on the parent's Subsidiaries sheet; it was not consolidated.",
         "Add the entity to Subsidiaries, or remove the file from the batch.")
register("entity-missing", "error", "group", "Expected submission missing",
         "{entity_id} is on the Subsidiaries sheet but no workbook was submitted.",
         "Collect the subsidiary's workbook, or remove it from the roster.")
register("entity-duplicate", "error", "group", "Two submissions for one entity",
         "{entity_id} is reported by more than one file: {files}.",
         "Keep one workbook per entity.")
register("project-in-two-submissions", "error", "group", "Project reported twice",
         "project_id {project_id} is reported by {entities}; it would be counted twice.",
         "Report each project in one submission only.")
register("parent-missing", "error", "group", "No parent workbook",
         "None of the inputs has a Subsidiaries sheet, so there is no group to consolidate.",
         "Include the parent's workbook (the one with the Subsidiaries sheet).")


class _Params(dict[str, Any]):
    """Format parameters that leave an unknown placeholder visible instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


# Values quoted in messages are cut here: a hostile 32 KB header must not flood the report.
MAX_QUOTED_CHARS = 120
# envreport's own sentences quoted in a message (why a file cannot be read) are longer than a
# quoted value and must be read whole; bounded all the same, as they may name archive parts
MAX_PROSE_CHARS = 600


class Prose(str):
    """A sentence envreport wrote itself, given as a message parameter (``{reason}``): quoted
    up to :data:`MAX_PROSE_CHARS`, not cut at :data:`MAX_QUOTED_CHARS` like a cell's value."""

    __slots__ = ()


def _plain(value: Any) -> Any:
    """Numbers as people write them: 200 not 200.0; dates as ISO text; long text cut."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    limit = MAX_PROSE_CHARS if isinstance(value, Prose) else MAX_QUOTED_CHARS
    if isinstance(value, str) and len(value) > limit:
        return value[: limit - 1] + "…"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _vocabulary(lang: str) -> dict[str, str]:
    """Words that the code puts into messages as parameters, translated."""
    return {
        "mass": gettext("mass", lang),
        "volume": gettext("volume", lang),
        "energy": gettext("energy", lang),
        "operational control": gettext("operational control", lang),
        "financial control": gettext("financial control", lang),
        " or ": gettext(" or ", lang),
    }


# Why a file cannot be read, in the sentences envreport/io writes whole (safety.py's
# pre-flight, reader.py's reading child). Each has its translation, so that the
# unreadable-file message ("{file} cannot be read as a workbook: {reason}") reads in one
# language; a reason with details of its own (a size, a part's name, the parser's words)
# stays as written. tests/test_unreadable_reasons.py makes each file and checks its reason.
UNREADABLE_REASONS = (
    "the file does not exist",
    "this is not a regular file",
    "the file is empty (0 bytes)",
    "the workbook is password-protected (encrypted); save it without a password",
    "the workbook is password-protected",
    "this is a legacy Excel 97-2003 (.xls) file; save it as .xlsx",
    "this is a CSV file, not a workbook; open it in Excel or LibreOffice and save it as an "
    ".xlsx workbook",
    "this is not an Excel workbook (it looks like an HTML page)",
    "this is not an Excel workbook (it looks like a PDF)",
    "this is not an Excel workbook (it looks like a plain XML file)",
    "this is not an Excel workbook (unknown binary content)",
    "this is not an Excel workbook (it looks like a text or CSV file renamed to .xlsx)",
    "this is not an Excel workbook (it looks like a text or CSV file renamed to .ods)",
    "this zip file is not an Excel workbook (it has no xl/workbook.xml)",
    "reading it failed unexpectedly; refused",
)


# Why a Factors override cannot be applied (override-invalid's {reason}), the sentences
# envreport/factors/resolve.py and envreport/batch/overrides.py write (:func:`own_reason`):
# each has its translation, its values (a key or unit as the cell held it, quoted as the
# language quotes; a row; the members' ids) as written. validation.json keeps the English.
OVERRIDE_BLANK = "value is blank"
OVERRIDE_NEGATIVE = "value is negative"
OVERRIDE_NOT_A_FUEL = "{key!r} is not a fuel of the library"
OVERRIDE_FUEL_GAS = "gas must be CO2, CH4 or N2O"
OVERRIDE_GRID_GAS = "gas must be CO2e (or blank) for a grid factor"
OVERRIDE_NOT_A_COUNTRY = "{key!r} is not a country (or heat, steam, cooling)"
OVERRIDE_TYPE = "factor_type must be fuel, ncv, density, grid or refrigerant"
OVERRIDE_UNIT = "unit {unit!r} does not fit a {factor_type} factor"
OVERRIDE_ZERO = "value must be above 0"
OVERRIDE_REPEATED = "repeats the override in row {row}"
#: the group rule (batch.overrides): a member's override would apply to others' rows
OVERRIDE_IN_GROUP = ("in the group it would also apply to the rows of {entities}, which do "
                     "not use it; the group uses the library factor")
OVERRIDE_REASONS = (OVERRIDE_BLANK, OVERRIDE_NEGATIVE, OVERRIDE_NOT_A_FUEL, OVERRIDE_FUEL_GAS,
                    OVERRIDE_GRID_GAS, OVERRIDE_NOT_A_COUNTRY, OVERRIDE_TYPE, OVERRIDE_UNIT,
                    OVERRIDE_ZERO, OVERRIDE_REPEATED, OVERRIDE_IN_GROUP)


class _OwnReason(Prose):
    """A reason of :data:`OVERRIDE_REASONS` as written in English, keeping its sentence and
    values to say it in another language (never read back from the English text)."""

    sentence: str
    values: dict[str, Any]


def own_reason(sentence: str, **values: Any) -> Prose:
    """``sentence`` (one of :data:`OVERRIDE_REASONS`) filled in with ``values``, as a
    message's ``{reason}``: said in the message's language (:func:`_reason`)."""
    reason = _OwnReason(sentence.format(**values))
    reason.sentence, reason.values = sentence, values
    return reason


def _reason(value: Prose, lang: str) -> str:
    """A reason of :data:`UNREADABLE_REASONS` or :data:`OVERRIDE_REASONS` in ``lang`` (an
    override's values as written); any other sentence as it is."""
    translated = {reason: gettext(reason, lang) for reason in UNREADABLE_REASONS}
    if not isinstance(value, _OwnReason):
        return translated.get(value, value)
    said = {sentence: gettext(sentence, lang) for sentence in OVERRIDE_REASONS}
    return fill(said[value.sentence], value.values, lang)


def _localise(value: Any, lang: str) -> Any:
    """Translate a parameter made of vocabulary words joined by " or " (``mass or volume``),
    or a sentence envreport wrote itself (:class:`Prose`) that has a translation."""
    if lang == "en" or not isinstance(value, str):
        return value
    if isinstance(value, Prose):
        return _reason(value, lang)
    words = _vocabulary(lang)
    parts = value.split(" or ")
    if all(part in words for part in parts):
        return words[" or "].join(words[part] for part in parts)
    if len(parts) > 1 and not any(" " in part for part in parts):  # ids: "t or short_ton"
        return words[" or "].join(parts)
    return value


def allowed_ids(listed: str) -> tuple[str, ...]:
    """The ids of a drop-down's allowed values as pydantic lists them (``'a', 'b' or 'c'``),
    the ``allowed`` parameter of ``value-not-allowed``."""
    return tuple(re.findall(r"'([^']*)'", listed))


def _allowed(listed: str, lang: str) -> str:
    """A drop-down's allowed values (the schema's list as pydantic writes it, ``'a', 'b' or
    'c'``), whole: envreport's own text, not a cell's to cut. In Chinese as the Chinese
    drop-down offers them (光伏（solar_pv）、风电（wind）……或其他（other）)."""
    if lang == "en":
        return listed
    from envreport.schema.vocabulary import drop_down_entries

    entries = drop_down_entries(allowed_ids(listed), lang)
    if len(entries) < 2:
        return "".join(entries) or listed
    # Chinese lists with the enumeration comma, and its "or" needs no spaces between
    # full-width brackets
    return list_separator(lang).join(entries[:-1]) + gettext(" or ", lang).strip() + entries[-1]


def _field_label(sheet: str | None, field: str, lang: str) -> str:
    """``field`` of ``sheet`` as the reader's template heads it: in Chinese the column's
    Chinese label with the canonical name in brackets ("项目编号（project_id）"), in English
    the name."""
    if lang != "zh" or not field or not sheet:
        return field
    from envreport.schema import SHEETS_BY_NAME

    spec = SHEETS_BY_NAME.get(sheet)
    label = spec.extra(field).get("label_zh") if spec and field in spec.fields else None
    return f"{label}（{field}）" if label else field


#: the parameters that hold field names of the finding's sheet joined by "/" (the columns a
#: duplicate row shares: "fuel/use"), named in Chinese as the template heads them
#: (燃料（fuel）、用途（use）)
_FIELD_LIST_PARAMS = {"duplicate-row": "key"}


@cache  # one table per code and sheet, not one built for every message written
def _labelled_params(code: str, sheet: str | None) -> Mapping[str, dict[str, str]]:
    """The parameters of the message of a finding of ``code`` on ``sheet`` that hold a
    drop-down's id (a value of the workbook's vocabulary), each with the table of its labels
    (``envreport.schema.vocabulary``).

    In English a message names such a value by its id, the text the cell holds (``diesel``);
    in Chinese by the label of the Chinese template's drop-down (柴油 of “柴油（diesel）”), a
    sentence of Chinese words rather than an id between them. A hint that says what to type
    (``key 为 {fuel}``) keeps the id: only messages are labelled."""
    from envreport.schema import Sheet
    from envreport.schema import vocabulary as v

    # the outlier's key is the first column its rows are grouped by, which depends on the sheet
    outlier_keys = {Sheet.FUEL: v.FUELS, Sheet.ELECTRICITY: v.FUELS, Sheet.WATER: v.WATER_FLOWS}
    by_code: dict[str, dict[str, dict[str, str]]] = {
        "value-outlier": ({"key": outlier_keys[sheet]} if sheet in outlier_keys else {}),
        "target-base-value-differs": {"metric": v.TARGET_METRICS},
        "eia-not-approved": {"status": v.STATUSES, "eia_status": v.EIA},
        "control-missing": {"approach": v.CONSOLIDATION},
        "energy-factor-missing": {"energy_type": v.FUELS},
        "gas-volume-needs-ncv": {"fuel": v.FUELS},
        "fuel-volume-not-convertible": {"fuel": v.FUELS},
        "fuel-use-fallback": {"fuel": v.FUELS, "use": v.FUEL_USES},
        "override-invalid": {"factor_type": v.OVERRIDE_TYPES},
    }
    # every Generation finding names the plant's technology
    return {"technology": v.PROJECT_TYPES, **by_code.get(code, {})}


def _label(value: Any, labels: dict[str, str], lang: str) -> Any:
    """A vocabulary id in ``lang``, not English (which names it by its id): its label's
    translation; the id for a value the table does not list (the validator reports that one
    on its own)."""
    if not isinstance(value, str):
        return value
    from envreport.schema.vocabulary import label_in

    return label_in(labels, value, lang)


#: The sheet parameters of the messages: in Chinese text a contract sheet is named by its
#: tab in the Chinese template, the finding's ``sheet`` and location staying canonical.
_SHEET_PARAMS = ("sheet", "contract_sheet")


def _sheet_name(sheet: str, lang: str) -> str:
    """A sheet as a message names it: in English as written (the canonical name, or the
    workbook's own tab when it is none of the contract's); in Chinese the Chinese template's
    tab of a contract sheet ("Projects" → 项目), any other tab as written, in Chinese quotes
    (“项目”工作表, “Notes”) so that it reads apart from the text around it."""
    if lang != "zh" or not sheet:
        return sheet
    from envreport.schema import SHEETS_BY_NAME

    spec = SHEETS_BY_NAME.get(sheet)
    return f"“{spec.tab(lang) if spec is not None else sheet}”"


def _param_text(value: Any, lang: str) -> Any:
    """One parameter as a message shows it: names listed (files) as the language lists them,
    any other value as people write it (:func:`_plain`), in the language (:func:`_localise`)."""
    if isinstance(value, tuple | list):
        return list_separator(lang).join(str(_plain(item)) for item in value)
    return _localise(_plain(value), lang)


def _fill(template: str, finding: Finding, lang: str = "en", labelled: bool = False) -> str:
    params = _Params({k: _param_text(v, lang) for k, v in finding.params.items()})
    if labelled and lang != "en":  # English names a vocabulary value by its id, as typed
        for name, labels in _labelled_params(finding.code, finding.sheet).items():
            if name in params:
                params[name] = _label(params[name], labels, lang)
    params.setdefault("sheet", finding.sheet or "")
    for name in _SHEET_PARAMS:
        if name in params:
            params[name] = _sheet_name(str(params[name]), lang)
    if "allowed" in params:
        params["allowed"] = _allowed(str(finding.params["allowed"]), lang)
    if "accepted" in params:  # envreport's own list of units, whole, as the language lists
        params["accepted"] = list_separator(lang).join(
            str(finding.params["accepted"]).split(", "))
    listed = _FIELD_LIST_PARAMS.get(finding.code)
    if lang == "zh" and listed is not None and listed in params:
        params[listed] = list_separator(lang).join(_field_label(finding.sheet, field, lang)
                                                   for field in str(params[listed]).split("/"))
    params.setdefault("cell", finding.cell or "")
    params.setdefault("field", _field_label(finding.sheet, finding.field or "", lang))
    params.setdefault("value", _plain(finding.value))
    params.setdefault("column", finding.column or "")
    try:
        return fill(template, params, lang)
    except (ValueError, IndexError, KeyError, AttributeError, TypeError):
        # a malformed translation ("{x.y}", "{x:d}" over text) must not crash
        return template


def message_for(finding: Finding, lang: str) -> str:
    """The finding's message in ``lang``, with "Did you mean …?" when a close value exists."""
    code = CODES.get(finding.code)
    if code is None:
        return finding.code
    template = code.message_for_count(finding.params.get("count"))
    message = _fill(translate_source(template, lang), finding, lang, labelled=True)
    suggestion = finding.params.get("suggestion")
    if suggestion:
        question = gettext("Did you mean {suggestion}?", lang)
        choices = gettext(" or ", lang).join(str(_plain(str(suggestion))).split(" or "))
        question = question.format(suggestion=choices)
        message += gap(message, question, lang) + question
    return message


def hint_for(code_name: str, lang: str, finding: Finding | None = None) -> str:
    """The hint for ``code_name`` in ``lang``."""
    code = CODES.get(code_name)
    if code is None:
        return ""
    text = translate_source(code.hint, lang)
    return _fill(text, finding, lang) if finding is not None else text



# --- policy flags (results.policy_flags): not findings about the workbook, but projects the
# lender's environmental policy asks to look at. Codes are stable like finding codes.
# China's pledge of 21 September 2021: no new coal power abroad (docs/methodology.md).
COAL_PLEDGE_DATE = "2021-09-22"
# A project closer than this to a protected area is flagged (GRI 304-1 context).
PROTECTED_AREA_KM = 5.0


@dataclass(frozen=True, slots=True)
class PolicyFlagCode:
    """A policy flag: its stable code and its message in English and Chinese."""

    code: str
    message: str
    message_zh: str

    def text(self, lang: str) -> str:
        """The message in ``lang`` (English for any language without its own text)."""
        template = self.message_zh if lang == "zh" else self.message
        return template.format(protected_area_km=f"{PROTECTED_AREA_KM:g}")


POLICY_FLAGS: dict[str, PolicyFlagCode] = {flag.code: flag for flag in (
    PolicyFlagCode("new-coal-power",
                   "New coal power project (planning, or construction from 22 September 2021).",
                   "新建煤电项目（规划中，或自2021年9月22日起开工建设）。"),
    PolicyFlagCode("eia-missing",
                   "Project in construction or operation without an approved EIA.",
                   "项目处于建设或运营阶段，但环评尚未获批。"),
    PolicyFlagCode("eia-after-construction", "EIA approved after construction started.",
                   "环评在开工建设之后才获批。"),
    PolicyFlagCode("protected-area", "Within {protected_area_km} km of a protected area.",
                   "距保护区不足{protected_area_km}公里。"),
    PolicyFlagCode("water-stress", "Withdraws water in a water-stressed area.",
                   "在水资源紧张地区取水。"),
)}
