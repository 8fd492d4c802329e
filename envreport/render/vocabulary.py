"""Labels of the fixed vocabularies the report prints (English msgids, translated in report.po).

The labels of the workbook's enumerated values (fuels, sectors, statuses ...) are the
schema's (``envreport.schema.vocabulary``), shared with the template and the validator;
the report's own ones (scopes, sources, policy flags ...) are here.

``N_`` only marks a string for extraction; the templates translate it with the ``label``
filter. Codes without a label print as themselves.
"""

from __future__ import annotations

from envreport.factors import supplied
from envreport.factors.resolve import RENEWABLE_INSTRUMENT_SOURCE, RESIDUAL_MIX_FALLBACK_NOTE
from envreport.i18n import gettext
from envreport.results.models import FINES_FIELD, GREEN_FINANCE_FIELD
from envreport.schema import SHEETS_BY_NAME, Sheet
from envreport.schema.vocabulary import (
    ACTION_CATEGORIES,
    ACTION_STATUSES,
    ASSURANCE_LEVELS,
    CONSOLIDATION,
    DATA_QUALITIES,
    DISPOSAL,
    EIA,
    ENERGY_INSTRUMENTS,
    FUEL_USES,
    FUELS,
    INCIDENT_TYPES,
    INSTRUMENTS,
    N_,
    NARRATIVE_TOPIC_LABELS,
    OPEN_CLOSED,
    OVERRIDE_TYPES,
    PROJECT_TYPES,
    REFRIGERANT_METHODS,
    REPORT_STATUSES,
    SECTORS,
    SEVERITIES,
    STANDARDS,
    STATUSES,
    TARGET_METRICS,
    WASTE_LOCATIONS,
    WATER,
    WATER_FLOWS,
    WATER_QUALITIES,
    choice_label,
)

# The workbook's labels are defined once, in the schema, with the template and the validator;
# the report's sections read them here beside the report's own.
__all__ = [
    "ACTION_CATEGORIES",
    "ACTION_STATUSES",
    "ASSURANCE_LEVELS",
    "CONSOLIDATION",
    "DATA_QUALITIES",
    "DISPOSAL",
    "EIA",
    "ENERGY_INSTRUMENTS",
    "FUELS",
    "FUEL_USES",
    "INCIDENT_TYPES",
    "INSTRUMENTS",
    "NARRATIVE_TOPIC_LABELS",
    "N_",
    "OPEN_CLOSED",
    "OVERRIDE_TYPES",
    "PROJECT_TYPES",
    "REFRIGERANT_METHODS",
    "REPORT_STATUSES",
    "SECTORS",
    "SEVERITIES",
    "STANDARDS",
    "STATUSES",
    "TARGET_METRICS",
    "WASTE_LOCATIONS",
    "WATER",
    "WATER_FLOWS",
    "WATER_QUALITIES",
    "choice_label",
]

SOURCES = {
    "stationary_combustion": N_("Stationary combustion"),
    "mobile_combustion": N_("Mobile combustion (road)"),
    "offroad_combustion": N_("Off-road machinery"),
    "fugitive": N_("Fugitive (refrigerants, SF6)"),
    "purchased_energy": N_("Purchased energy"),
}
#: the rows of Scope 1 by source (``ghg.scope1_by_source_tco2e``): the GHG Protocol's three
#: categories, whose mobile combustion holds road vehicles *and* off-road machinery; the
#: trail's own categories (``SOURCES``) keep the two apart. "Mobile combustion (road)" over
#: the sum called a group's railway and port machinery (25,271 of 25,603 tCO2e) road.
SCOPE1_SOURCES = {
    "stationary_combustion": SOURCES["stationary_combustion"],
    "mobile_combustion": N_("Mobile combustion (road and off-road)"),
    "fugitive": SOURCES["fugitive"],
}
SCOPES = {
    "1": N_("Scope 1"),
    "2": N_("Scope 2"),
    "biogenic": N_("Biogenic CO2"),
    "other": N_("Other gases"),
}
METHODS = {"location": N_("Location-based"), "market": N_("Market-based")}
POLICY_FLAGS = {
    "new-coal-power": N_("New coal power"),
    "eia-missing": N_("EIA not approved"),
    "eia-after-construction": N_("EIA approved after construction start"),
    "protected-area": N_("Within 5 km of a protected area"),
    "water-stress": N_("Withdrawal in a water-stressed area"),
}
INPUT_STATES = {
    "valid": N_("Valid"),
    "valid_with_warnings": N_("Valid with warnings"),
    "invalid": N_("Invalid"),
    "unreadable": N_("Unreadable"),
    "missing": N_("Missing"),
    "unexpected": N_("Unexpected"),
}
#: a line of the batch's status board: what the file is to the group
ENTITY_ROLES = {
    "parent": N_("Parent"),
    "subsidiary": N_("Subsidiary"),
    "unexpected": N_("Not on the roster"),
    "unidentified": N_("Entity not identified"),
}
#: the parts of a fuel's net energy per workbook unit, as the methodology multiplies them
ENERGY_PARTS = {"gross": N_("Gross energy"), "ratio": N_("Net/gross ratio"),
                "density": N_("Density"), "ncv": N_("Net calorific value")}
#: pollutants discharged to water (GRI 303-4, MEE format): reported under water, not under
#: air emissions (GRI 305-7). Keys compared without case, spaces, "-" or "_".
WATER_POLLUTANTS = frozenset({"COD", "BOD", "BOD5", "NH3N", "AMMONIANITROGEN", "TN", "TP",
                              "TOTALNITROGEN", "TOTALPHOSPHORUS", "SS", "TSS", "OIL"})
POLLUTANTS = {
    "COD": N_("Chemical oxygen demand (COD)"),
    "NH3-N": N_("Ammonia nitrogen (NH3-N)"),
    "NH3_N": N_("Ammonia nitrogen (NH3-N)"),
    "TN": N_("Total nitrogen"),
    "TP": N_("Total phosphorus"),
    "NOx": N_("Nitrogen oxides (NOx)"),
    "SO2": N_("Sulphur dioxide (SO2)"),
    "SOx": N_("Sulphur oxides (SOx)"),
    "PM": N_("Particulate matter (PM)"),
    "VOC": N_("Volatile organic compounds (VOC)"),
}
#: action categories that reduce greenhouse gases: their annual reduction applies
GHG_ACTION_CATEGORIES = frozenset({"energy_efficiency", "renewable_energy", "fuel_switch",
                                   "electrification", "methane_capture", "ccus",
                                   "afforestation"})
#: project types that generate power: their installed capacity applies
POWER_PROJECT_TYPES = frozenset({"solar_pv", "wind", "hydro", "biomass_power", "coal_power",
                                 "gas_power", "oil_power"})
#: assurance standards the report names in the reader's language (matched without case,
#: spaces or brackets of either width: "ISAE 3000（revised）" is the first); others print as
#: the workbook writes them
ASSURANCE_STANDARDS = (N_("ISAE 3000 (Revised)"), N_("ISAE 3000"), N_("ISAE 3410"))
LANGUAGES = {"en": N_("English"), "zh": N_("Chinese")}
SEVERITY_FINDING = {"error": N_("Error"), "warning": N_("Warning")}


def label(table: dict[str, str], code: object) -> str:
    """The msgid for ``code`` in ``table``, or the code itself when it has no label."""
    if code is None:
        return ""
    return table.get(str(code), str(code))


# Source notes that the metrics engine writes into the trail in English (not citations of
# a publication): translated where the report prints them.
METRIC_NOTES = {
    RENEWABLE_INSTRUMENT_SOURCE: N_("contractual instrument: renewable attributes, 0 kg/kWh"),
    RESIDUAL_MIX_FALLBACK_NOTE:
        N_("no residual mix in the factor library: location-based factor used"),
    # what a run before r18 cited a supplier's or an instrument's factor as when its row
    # named no supplier and no document (supplied.SUPPLIER_FACTOR_SOURCE now): the
    # results.json of such a run is still rendered, its citations translated
    **{text: text for text in (N_("supplier factor (Electricity sheet)"),
                               N_("instrument factor (Electricity sheet)"))},
}

# A supplied factor's citation (envreport.factors.supplied) in the reader's language: the
# fixed words translated, the supplier and document as the workbook gives them.
SUPPLIED_CITATIONS = {
    (supplied.SUPPLIER, False): N_("supplier factor: %(named)s (%(sheet)s)"),
    (supplied.SUPPLIER, True): N_("supplier factor: %(named)s (%(sheet)s, %(rows)s)"),
    (supplied.INSTRUMENT, False): N_("instrument factor: %(named)s (%(sheet)s)"),
    (supplied.INSTRUMENT, True): N_("instrument factor: %(named)s (%(sheet)s, %(rows)s)"),
    (supplied.CERTIFICATE, False): N_("renewable attributes, 0 kg/kWh: %(named)s (%(sheet)s)"),
    (supplied.CERTIFICATE, True):
        N_("renewable attributes, 0 kg/kWh: %(named)s (%(sheet)s, %(rows)s)"),
}
# what a supplied factor's citation says in place of a blank supplier or document
# (supplied.LACKING): "%(given)s" the part the row gives, as typed
SUPPLIED_LACKING = {"both": N_("no supplier or document given"),
                    "document": N_("%(given)s, no document given"),
                    "supplier": N_("no supplier named, %(given)s")}
# one row, several, or more ranges than the citation lists (their rows counted)
SUPPLIED_ROWS = {"one": N_("row %(ranges)s"), "several": N_("rows %(ranges)s"),
                 "cut": N_("rows %(ranges)s, … (%(count)s rows in all)")}


def sheet_title(sheet: str, lang: str) -> str:
    """A workbook sheet as the reader's template names it: in Chinese its Chinese title
    ("Factors" → "因子覆盖"), so the report names a sheet the same way everywhere."""
    spec = SHEETS_BY_NAME.get(sheet)
    return spec.title_zh if lang == "zh" and spec is not None else sheet


def supplied_citation(text: str, lang: str) -> str | None:
    """A supplied factor's citation (:func:`supplied.parse`) in ``lang``; ``None`` for any
    other text."""
    cited = supplied.parse(text)
    if cited is None:
        return None
    if lang == "en":
        return text
    sheet = sheet_title(Sheet.ELECTRICITY, lang)
    rows = (gettext(N_("; "), lang).join(_rows_text(part, lang) for part in cited.rows)
            if cited.rows is not None else "")
    lacks, given = supplied.lacking(cited.named)
    named = (given if lacks is None
             else gettext(SUPPLIED_LACKING[lacks], lang) % {"given": given})
    return gettext(SUPPLIED_CITATIONS[(cited.kind, cited.rows is not None)], lang) % {
        "named": named, "sheet": sheet, "rows": rows}


def _rows_text(rows: supplied.Rows, lang: str) -> str:
    """One workbook's rows of a supplied factor's citation in ``lang``."""
    ranges = rows.ranges.replace(", ", "、") if lang == "zh" else rows.ranges
    kind = "cut" if rows.count else "one" if rows.ranges.isdigit() else "several"
    text = gettext(SUPPLIED_ROWS[kind], lang) % {"ranges": ranges, "count": rows.count}
    if rows.entity is None:
        return text
    return gettext(N_("%(entity)s: %(rows)s"), lang) % {"entity": rows.entity, "rows": text}


# What an exchange rate converted (results.exchange_rates[].converted[].field): the figure,
# then its rows, one or several
CONVERTED_FIELDS = {FINES_FIELD: N_("Fines"), GREEN_FINANCE_FIELD: N_("Green finance")}
CONVERTED_ROWS = {"one": N_("%(sheet)s, 1 row"), "several": N_("%(sheet)s, %(count)s rows")}


# The words ``envreport.ledger.compare`` starts a restatement reason with ("GWP set AR5 →
# AR6"): translated; the values after them are codes and versions, the same in any language.
RESTATEMENT_REASON_WORDS = (N_("GWP set"), N_("factor library"), N_("consolidation"))


def restatement_reason(text: str, lang: str) -> str:
    """A restatement reason in ``lang``: its leading word translated, the rest as stored."""
    for word in RESTATEMENT_REASON_WORDS:
        if text.startswith(word + " "):
            return gettext(word, lang) + text[len(word):]
    return text
