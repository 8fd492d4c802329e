"""Labels of the fixed vocabularies the report prints (English msgids, translated in report.po).

``N_`` only marks a string for extraction; the templates translate it with the ``label``
filter. Codes without a label print as themselves.
"""

from __future__ import annotations

from envreport.factors.resolve import (
    RENEWABLE_INSTRUMENT_SOURCE,
    RESIDUAL_MIX_FALLBACK_NOTE,
    SUPPLIER_FACTOR_SOURCE,
)
from envreport.i18n import gettext
from envreport.schema.sheets import PROJECT_TYPE_LABELS


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark ``message`` for translation without translating it here."""
    return message


CONSOLIDATION = {
    "equity_share": N_("Equity share"),
    "operational_control": N_("Operational control"),
    "financial_control": N_("Financial control"),
}
SOURCES = {
    "stationary_combustion": N_("Stationary combustion"),
    "mobile_combustion": N_("Mobile combustion (road)"),
    "offroad_combustion": N_("Off-road machinery"),
    "fugitive": N_("Fugitive (refrigerants, SF6)"),
    "purchased_energy": N_("Purchased energy"),
}
SCOPES = {
    "1": N_("Scope 1"),
    "2": N_("Scope 2"),
    "biogenic": N_("Biogenic CO2"),
    "other": N_("Other gases"),
}
METHODS = {"location": N_("Location-based"), "market": N_("Market-based")}
FUELS = {
    "natural_gas": N_("Natural gas"),
    "diesel": N_("Diesel"),
    "gasoline": N_("Gasoline"),
    "fuel_oil": N_("Fuel oil"),
    "lpg": N_("LPG"),
    "jet_kerosene": N_("Jet kerosene"),
    "kerosene": N_("Kerosene"),
    "crude_oil": N_("Crude oil"),
    "naphtha": N_("Naphtha"),
    "bituminous_coal": N_("Bituminous coal"),
    "sub_bituminous_coal": N_("Sub-bituminous coal"),
    "lignite": N_("Lignite"),
    "anthracite": N_("Anthracite"),
    "coking_coal": N_("Coking coal"),
    "petroleum_coke": N_("Petroleum coke"),
    "coke": N_("Coke"),
    "peat": N_("Peat"),
    "wood": N_("Wood"),
    "charcoal": N_("Charcoal"),
    "biodiesel": N_("Biodiesel"),
    "bioethanol": N_("Bioethanol"),
    "biogas": N_("Biogas"),
    "landfill_gas": N_("Landfill gas"),
    "electricity": N_("Electricity"),
    "heat": N_("Heat"),
    "steam": N_("Steam"),
    "cooling": N_("Cooling"),
    "purchased": N_("Purchased energy"),
}
WATER = {
    "surface": N_("Surface water"),
    "ground": N_("Groundwater"),
    "sea": N_("Seawater"),
    "produced": N_("Produced water"),
    "third_party": N_("Third-party water"),
}
DISPOSAL = {
    "reuse": N_("Preparation for reuse"),
    "recycling": N_("Recycling"),
    "composting": N_("Composting"),
    "recovery_other": N_("Other recovery"),
    "incineration_energy_recovery": N_("Incineration with energy recovery"),
    "incineration": N_("Incineration without energy recovery"),
    "landfill": N_("Landfilling"),
    "other_disposal": N_("Other disposal"),
}
# the labels of the Projects and Generation drop-downs: the schema's, which findings name too
PROJECT_TYPES = PROJECT_TYPE_LABELS
STATUSES = {
    "planning": N_("Planning"),
    "construction": N_("Construction"),
    "operation": N_("Operation"),
    "decommissioned": N_("Decommissioned"),
    "divested": N_("Divested"),
}
SECTORS = {
    "energy": N_("Energy"),
    "transport": N_("Transport"),
    "infrastructure": N_("Infrastructure"),
    "manufacturing": N_("Manufacturing"),
    "mining": N_("Mining"),
    "oil_gas": N_("Oil and gas"),
    "agriculture": N_("Agriculture"),
    "real_estate": N_("Real estate"),
    "other": N_("Other"),
}
FUEL_USES = {"stationary": N_("Stationary"), "mobile": N_("Mobile (road)"),
             "offroad": N_("Off-road machinery")}
DATA_QUALITIES = {"metered": N_("Metered"), "invoice": N_("Invoice"),
                  "estimated": N_("Estimated")}
ENERGY_INSTRUMENTS = {
    "none": N_("None"),
    "rec": N_("Renewable energy certificate (REC)"),
    "i_rec": N_("International REC (I-REC)"),
    "go": N_("Guarantee of origin (GO)"),
    "ppa": N_("Power purchase agreement (PPA)"),
    "green_tariff": N_("Green tariff"),
}
REFRIGERANT_METHODS = {"mass_balance": N_("Mass balance"), "screening": N_("Screening")}
WATER_FLOWS = {"withdrawal": N_("Withdrawal"), "discharge": N_("Discharge")}
NARRATIVE_TOPIC_LABELS = {
    "governance": N_("Governance"),
    "strategy": N_("Strategy"),
    "risk_management": N_("Risk management"),
    "targets": N_("Metrics and targets"),
    "consolidation": N_("Boundary and consolidation"),
    "base_year_policy": N_("Base year and recalculation"),
    "coal_policy": N_("Position on coal power"),
    "biodiversity": N_("Biodiversity"),
    "water": N_("Water"),
    "assurance": N_("External assurance"),
    "other": N_("Other information"),
}
EIA = {
    "approved": N_("Approved"),
    "pending": N_("Pending"),
    "not_started": N_("Not started"),
    "not_required": N_("Not required"),
}
STANDARDS = {
    "host_country": N_("Host-country standards"),
    "china": N_("Chinese standards"),
    "ifc_ps": N_("IFC Performance Standards"),
    "world_bank_ehs": N_("World Bank EHS Guidelines"),
    "eu": N_("EU standards"),
    "other": N_("Other"),
}
POLICY_FLAGS = {
    "new-coal-power": N_("New coal power"),
    "eia-missing": N_("EIA not approved"),
    "eia-after-construction": N_("EIA approved after construction start"),
    "protected-area": N_("Within 5 km of a protected area"),
    "water-stress": N_("Withdrawal in a water-stressed area"),
}
INCIDENT_TYPES = {
    "spill": N_("Spill"),
    "exceedance": N_("Limit exceedance"),
    "complaint": N_("Complaint"),
    "penalty": N_("Penalty"),
    "biodiversity": N_("Biodiversity"),
    "other": N_("Other"),
}
SEVERITIES = {"minor": N_("Minor"), "moderate": N_("Moderate"), "major": N_("Major")}
OPEN_CLOSED = {"open": N_("Open"), "closed": N_("Closed")}
ACTION_CATEGORIES = {
    "energy_efficiency": N_("Energy efficiency"),
    "renewable_energy": N_("Renewable energy"),
    "fuel_switch": N_("Fuel switch"),
    "electrification": N_("Electrification"),
    "methane_capture": N_("Methane capture"),
    "ccus": N_("CCUS"),
    "pollution_control": N_("Pollution control"),
    "afforestation": N_("Afforestation"),
    "other": N_("Other"),
}
ACTION_STATUSES = {
    "planned": N_("Planned"),
    "in_progress": N_("In progress"),
    "completed": N_("Completed"),
}
INSTRUMENTS = {
    "green_bond": N_("Green bond"),
    "green_loan": N_("Green loan"),
    "sustainability_linked_loan": N_("Sustainability-linked loan"),
    "green_fund": N_("Green fund"),
    "other": N_("Other"),
}
TARGET_METRICS = {
    "scope1_tco2e": N_("Scope 1 emissions (tCO2e)"),
    "scope2_market_tco2e": N_("Scope 2 market-based emissions (tCO2e)"),
    "scope2_location_tco2e": N_("Scope 2 location-based emissions (tCO2e)"),
    "scope1_2_tco2e": N_("Scope 1 + 2 emissions (tCO2e)"),
    "water_withdrawal_m3": N_("Water withdrawal (m³)"),
    "energy_total_gj": N_("Energy consumption (GJ)"),
    "waste_total_t": N_("Waste generated (t)"),
    "scope1_2_market_tco2e": N_("Scope 1 + 2 market-based emissions (tCO2e)"),
    "water_consumption_m3": N_("Water consumption (m³)"),
    "waste_disposed_t": N_("Waste directed to disposal (t)"),
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
OVERRIDE_TYPES = {
    "fuel": N_("Fuel emission factor"),
    "ncv": N_("Net calorific value"),
    "density": N_("Density"),
    "grid": N_("Grid emission factor"),
    "refrigerant": N_("Refrigerant GWP"),
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
WATER_QUALITIES = {
    "freshwater": N_("Freshwater (≤ 1,000 mg/L total dissolved solids)"),
    "other": N_("Other water"),
    "unspecified": N_("Quality not stated"),
}
WASTE_LOCATIONS = {
    "onsite": N_("On site"),
    "offsite": N_("Off site"),
    "unspecified": N_("Location not stated"),
}
REPORT_STATUSES = {"draft": N_("Draft"), "final": N_("Final")}
ASSURANCE_LEVELS = {
    "none": N_("Not assured"),
    "limited": N_("Limited assurance"),
    "reasonable": N_("Reasonable assurance"),
}
#: assurance standards the report names in the reader's language (matched without case,
#: spaces or brackets of either width: "ISAE 3000（revised）" is the first); others print as
#: the workbook writes them
ASSURANCE_STANDARDS = (N_("ISAE 3000 (Revised)"), N_("ISAE 3000"), N_("ISAE 3410"))
LANGUAGES = {"en": N_("English"), "zh": N_("Chinese")}
SEVERITY_FINDING = {"error": N_("Error"), "warning": N_("Warning")}


def choice_label(code: str) -> str | None:
    """The label of an enumerated workbook value (any vocabulary), for template drop-downs."""
    for table in (CONSOLIDATION, SECTORS, PROJECT_TYPES, STATUSES, EIA, STANDARDS, FUELS,
                  FUEL_USES, DATA_QUALITIES, ENERGY_INSTRUMENTS, REFRIGERANT_METHODS,
                  WATER_FLOWS, WATER, WATER_QUALITIES, DISPOSAL, WASTE_LOCATIONS,
                  INCIDENT_TYPES, SEVERITIES, OPEN_CLOSED, ACTION_CATEGORIES, ACTION_STATUSES,
                  INSTRUMENTS, OVERRIDE_TYPES, TARGET_METRICS, REPORT_STATUSES,
                  ASSURANCE_LEVELS, NARRATIVE_TOPIC_LABELS):
        if code in table:
            return table[code]
    return None


def label(table: dict[str, str], code: object) -> str:
    """The msgid for ``code`` in ``table``, or the code itself when it has no label."""
    if code is None:
        return ""
    return table.get(str(code), str(code))


# Source notes that the metrics engine writes into the trail in English (not citations of
# a publication): translated where the report prints them.
METRIC_NOTES = {
    SUPPLIER_FACTOR_SOURCE: N_("supplier factor (Electricity sheet)"),
    RENEWABLE_INSTRUMENT_SOURCE: N_("contractual instrument: renewable attributes, 0 kg/kWh"),
    RESIDUAL_MIX_FALLBACK_NOTE:
        N_("no residual mix in the factor library: location-based factor used"),
}

# The words ``envreport.ledger.compare`` starts a restatement reason with ("GWP set AR5 →
# AR6"): translated; the values after them are codes and versions, the same in any language.
RESTATEMENT_REASON_WORDS = (N_("GWP set"), N_("factor library"), N_("consolidation"))


def restatement_reason(text: str, lang: str) -> str:
    """A restatement reason in ``lang``: its leading word translated, the rest as stored."""
    for word in RESTATEMENT_REASON_WORDS:
        if text.startswith(word + " "):
            return gettext(word, lang) + text[len(word):]
    return text
