"""The labels of the workbook's enumerated values (English msgids, translated in report.po).

Defined once, here, below every stage: the template's drop-downs offer each id with its
label ("光伏（solar_pv）"), the validator reads a label written alone as its id
(:func:`ids_by_label`) and suggests by it, the report prints it (``envreport.render.vocabulary``
takes these tables from here). ``N_`` only marks a string for extraction.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from envreport.i18n import SUPPORTED_LANGUAGES, gettext


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark ``message`` for translation without translating it here."""
    return message


#: each project type's label: the report's and the template's drop-down's name for it, and
#: the technology a Generation finding names in Chinese
PROJECT_TYPES = {
    "solar_pv": N_("Solar PV"),
    "wind": N_("Wind"),
    "hydro": N_("Hydropower"),
    "biomass_power": N_("Biomass power"),
    "coal_power": N_("Coal power"),
    "gas_power": N_("Gas power"),
    "oil_power": N_("Oil power"),
    "transmission": N_("Transmission"),
    "railway": N_("Railway"),
    "road": N_("Road"),
    "port": N_("Port"),
    "airport": N_("Airport"),
    "industrial_park": N_("Industrial park"),
    "manufacturing": N_("Manufacturing"),
    "mining": N_("Mining"),
    "oil_gas": N_("Oil and gas"),
    "other": N_("Other"),
}
CONSOLIDATION = {
    "equity_share": N_("Equity share"),
    "operational_control": N_("Operational control"),
    "financial_control": N_("Financial control"),
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
STATUSES = {
    "planning": N_("Planning"),
    "construction": N_("Construction"),
    "operation": N_("Operation"),
    "decommissioned": N_("Decommissioned"),
    "divested": N_("Divested"),
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
WATER = {
    "surface": N_("Surface water"),
    "ground": N_("Groundwater"),
    "sea": N_("Seawater"),
    "produced": N_("Produced water"),
    "third_party": N_("Third-party water"),
}
WATER_QUALITIES = {
    "freshwater": N_("Freshwater (≤ 1,000 mg/L total dissolved solids)"),
    "other": N_("Other water"),
    "unspecified": N_("Quality not stated"),
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
WASTE_LOCATIONS = {
    "onsite": N_("On site"),
    "offsite": N_("Off site"),
    "unspecified": N_("Location not stated"),
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
OVERRIDE_TYPES = {
    "fuel": N_("Fuel emission factor"),
    "ncv": N_("Net calorific value"),
    "density": N_("Density"),
    "grid": N_("Grid emission factor"),
    "refrigerant": N_("Refrigerant GWP"),
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
REPORT_STATUSES = {"draft": N_("Draft"), "final": N_("Final")}
ASSURANCE_LEVELS = {
    "none": N_("Not assured"),
    "limited": N_("Limited assurance"),
    "reasonable": N_("Reasonable assurance"),
}
#: labels a former template's drop-down offered, by the label (English msgid) that replaced
#: them: a workbook filled in from that template is still read (its cell says ``有限鉴证``
#: where today's drop-down says ``有限保证``, the CICPA / ISAE 3000 term)
FORMER_LABELS = {
    "Limited assurance": ("有限鉴证",),
    "Reasonable assurance": ("合理鉴证",),
}
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

#: the tables :func:`choice_label` looks an id up in, first match wins (an id such as
#: ``other`` has the same label in all of them)
CHOICE_TABLES = (CONSOLIDATION, SECTORS, PROJECT_TYPES, STATUSES, EIA, STANDARDS, FUELS,
                 FUEL_USES, DATA_QUALITIES, ENERGY_INSTRUMENTS, REFRIGERANT_METHODS,
                 WATER_FLOWS, WATER, WATER_QUALITIES, DISPOSAL, WASTE_LOCATIONS,
                 INCIDENT_TYPES, SEVERITIES, OPEN_CLOSED, ACTION_CATEGORIES, ACTION_STATUSES,
                 INSTRUMENTS, OVERRIDE_TYPES, TARGET_METRICS, REPORT_STATUSES,
                 ASSURANCE_LEVELS, NARRATIVE_TOPIC_LABELS)


def choice_label(code: str) -> str | None:
    """The label (English msgid) of an enumerated workbook value, for template drop-downs."""
    for table in CHOICE_TABLES:
        if code in table:
            return table[code]
    return None


def label_in(labels: dict[str, str], code: str, lang: str) -> str:
    """``code``'s label of ``labels`` in ``lang``; a code the table does not list as itself."""
    label = labels.get(code)
    return gettext(label, lang) if label else code


@lru_cache(maxsize=256)
def labels_of(ids: tuple[str, ...]) -> dict[str, str]:
    """The label of each of one column's ids that has one: from the table that lists them
    all, when one does (an assurance level ``none`` is "Not assured", not the energy
    instrument's "None"; ``other`` water is "Other water"), else each id's
    :func:`choice_label`."""
    home = next((table for table in CHOICE_TABLES if all(code in table for code in ids)), {})
    labels = {code: home.get(code) or choice_label(code) for code in ids}
    return {code: label for code, label in labels.items() if label is not None}


def drop_down_entries(ids: tuple[str, ...], lang: str) -> tuple[str, ...]:
    """One column's ids as the template's drop-down offers them: the ids in English; in
    Chinese each id's Chinese label with the id in brackets ("光伏（solar_pv）"), an id
    without one as itself."""
    if lang == "en":
        return ids
    labels = labels_of(ids)
    entries = []
    for code in ids:
        label = labels.get(code)
        translated = gettext(label, lang) if label else None
        entries.append(f"{translated}（{code}）" if translated and translated != label else code)
    return tuple(entries)


def fold_label(text: str) -> str:
    """A label as it is compared: surrounding spaces off, case ignored, inner runs of spaces
    as one (``"solar  pv"`` is ``Solar PV``'s spelling; ``光伏`` stays itself)."""
    return " ".join(text.split()).casefold()


@lru_cache(maxsize=256)
def ids_by_label(ids: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Each label of ``ids`` in every language and each of its :data:`FORMER_LABELS`
    (folded), with the ids it names, in ``ids``' order: one id, or several when two values
    share a label (which names neither)."""
    found: dict[str, list[str]] = {}
    for code, label in labels_of(ids).items():
        spellings = [gettext(label, lang) for lang in SUPPORTED_LANGUAGES]
        for spelling in [*spellings, *FORMER_LABELS.get(label, ())]:
            named = found.setdefault(fold_label(spelling), [])
            if code not in named:
                named.append(code)
    return {text: tuple(codes) for text, codes in found.items()}


def labelled_spellings(ids: Iterable[str]) -> dict[str, str]:
    """The id and each unshared label of every id (folded, labels as :func:`ids_by_label`
    reads them) → the id: what "Did you mean" compares a written value with."""
    ids = tuple(ids)
    spellings = {text: codes[0] for text, codes in ids_by_label(ids).items()
                 if len(codes) == 1}
    spellings.update({code.lower(): code for code in ids})
    return spellings
