"""The results of a submission as typed, versioned models (the output contract in code).

``results.json`` is :meth:`Results.to_json_dict` of these models; ``docs/results.md`` and
``schemas/results.schema.json`` are generated from them. Field names are promises to
auditors and other tools: add fields freely, rename none, and raise
:data:`SCHEMA_VERSION` (with a migration in :mod:`envreport.results.migrate`) when the meaning
of a field changes.

A figure is a float in the unit its name ends with; a topic without input rows is ``None``
(``null``), never 0. The calculation trail is not a list of models: it stays a pandas
DataFrame (:attr:`Results.trail`, one column per :class:`TrailEntry` field) until the
results are written, because a Python object per entry would cost ten times the memory.

Fields that only some results carry (the group's ``entity_id`` on projects and overrides)
default to ``None`` and are written only when set: :meth:`Results.to_json_dict` dumps with
``exclude_unset``, so every field the computation sets — ``None`` included — is written.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from envreport.results.trail import (
    TRAIL_COLUMNS,
    Figure,
    Section,
    TrailEntry,
    TrailRecords,
    trail_records,
)

SCHEMA_VERSION = "2"

__all__ = ["SCHEMA_VERSION", "TRAIL_COLUMNS", "Figure", "Section", "TrailEntry"]


class InputFile(Section):
    """The workbook the figures come from."""

    file_name: str
    sha256: str


class Organization(Section):
    """The reporting entity as the Organization sheet gives it."""

    entity_id: str | None
    name: str | None
    name_zh: str | None
    consolidation_approach: str | None
    reporting_currency: str | None
    revenue: float | None
    employees: float | None
    base_year: int | None
    parent_entity_id: str | None
    # How the report is published (workbook contract version 2).
    report_status: str | None = None  # draft | final
    publication_date: str | None = None  # ISO date
    assurance_level: str | None = None  # none | limited | reasonable
    assurance_provider: str | None = None
    assurance_provider_zh: str | None = None
    assurance_standard: str | None = None
    recalculation_threshold_pct: Figure = None
    contact_name: str | None = None
    contact_name_zh: str | None = None
    contact_email: str | None = None
    report_languages: list[str] | None = None


class Period(Section):
    """The reporting period, ISO dates."""

    start: str | None
    end: str | None


class FactorLibraryVersion(Section):
    """The edition of the factor library the figures use."""

    version: str


class FactorOverride(Section):
    """One accepted row of the Factors sheet that replaced a library factor."""

    factor_type: str
    key: str
    gas: str | None
    value: float
    unit: str
    source: str
    sheet: str
    row: int
    entity_id: str | None = None  # group results: the member whose workbook has the row
    source_zh: str | None = None  # the workbook's Chinese text of the source (version 2)


class Scope1BySource(Section):
    """Scope 1 by GHG Protocol source category (off-road counts as mobile)."""

    stationary_combustion: Figure
    mobile_combustion: Figure
    fugitive: Figure


class Intensity(Section):
    """Emission intensities."""

    tco2e_per_million_revenue: Figure
    tco2e_per_employee: Figure
    tco2e_per_mwh_generated: Figure


class MonthlyEmissions(Section):
    """One calendar month of the reporting period; the months add up to the annual totals."""

    month: str
    scope1_tco2e: Figure
    scope2_location_tco2e: Figure
    scope2_market_tco2e: Figure


class Ghg(Section):
    """Greenhouse gases (GHG Protocol Corporate Standard, Scope 2 Guidance)."""

    scope1_tco2e: Figure
    scope1_by_source_tco2e: Scope1BySource
    scope1_offroad_tco2e: Figure
    scope1_by_gas_t: dict[str, float] | None  # mass of gas, t, per GAS_GROUPS
    scope2_location_tco2e: Figure
    scope2_market_tco2e: Figure
    biogenic_co2_t: Figure
    other_gases_tco2e: Figure
    intensity: Intensity | None = None
    monthly_tco2e: list[MonthlyEmissions] | None = None


class EnergyIntensity(Section):
    """GRI 302-3: the 302-1 total per million of revenue and per employee, GJ."""

    gj_per_million_revenue: Figure
    gj_per_employee: Figure


class Energy(Section):
    """Energy (GRI 302-1), GJ: total = fuel + purchased + self-generated renewable − sold."""

    total_consumption_gj: Figure
    fuel_gj: Figure
    purchased_gj: Figure
    renewable_gj: Figure
    non_renewable_gj: Figure
    by_fuel_gj: dict[str, float] | None
    self_generated_renewable_gj: Figure  # solar, wind, hydro gross generation
    sold_gj: Figure  # net export; a blank export counts its gross generation
    renewable_fuel_gj: Figure = None  # biomass fuels
    non_renewable_fuel_gj: Figure = None
    purchased_renewable_gj: Figure = None  # covered by a renewable-attribute instrument
    sold_renewable_gj: Figure = None  # sold from solar, wind, hydro and biomass power
    sold_from_gross_gj: Figure = None  # the part of sold_gj taken from gross generation
    renewable_share_pct: Figure = None
    intensity: EnergyIntensity | None = None


class Water(Section):
    """Water (GRI 303), m³."""

    withdrawal_m3: Figure
    discharge_m3: Figure
    consumption_m3: Figure
    withdrawal_stressed_m3: Figure
    withdrawal_by_source_m3: dict[str, float] | None
    discharge_by_destination_m3: dict[str, float] | None
    # GRI 303-3/303-4: freshwater, other, unspecified (rows without water_quality)
    withdrawal_by_quality_m3: dict[str, float] | None = None
    discharge_by_quality_m3: dict[str, float] | None = None
    withdrawal_stressed_by_source_m3: dict[str, float] | None = None
    withdrawal_stressed_by_quality_m3: dict[str, float] | None = None
    # COD, NH3-N discharged to water (GRI 303-4, the MEE format), t; not air emissions
    discharge_pollutants_t: dict[str, float] | None = None


class Waste(Section):
    """Waste (GRI 306), t."""

    total_t: Figure
    hazardous_t: Figure
    diverted_t: Figure
    disposed_t: Figure
    by_disposal_t: dict[str, float] | None = None  # per recovery or disposal route
    # GRI 306-4/306-5 by where the operation took place: onsite, offsite, unspecified
    diverted_by_location_t: dict[str, float] | None = None
    disposed_by_location_t: dict[str, float] | None = None
    hazardous_diverted_by_location_t: dict[str, float] | None = None
    hazardous_disposed_by_location_t: dict[str, float] | None = None
    # the hazardous part of diverted_t and of disposed_t (the totals of the two splits above)
    hazardous_diverted_t: Figure = None
    hazardous_disposed_t: Figure = None


class IncidentEntry(Section):
    """One Incidents row of a project in the boundary."""

    project_id: str | None
    row: int
    date: str | None
    type: str | None
    severity: str | None
    description: str | None
    fine_amount: Figure
    currency: str | None
    fine_reporting_currency: Figure
    consolidation_share: Figure
    status: str | None
    corrective_action: str | None
    # Version 2: incidents counted once (a penalty or follow-up row belongs to its incident)
    incident_id: str | None = None
    related_incident_id: str | None = None
    counted: bool | None = None  # false: a row that belongs to the incident at incident_row
    incident_row: int | None = None
    description_zh: str | None = None
    corrective_action_zh: str | None = None
    incident_fines_reporting_currency: Figure = None  # on an incident: its and its rows' fines


class Compliance(Section):
    """Incidents and fines (GRI 2-27), EIA coverage."""

    incidents: int | None
    major_incidents: int | None
    fines: Figure  # reporting currency, in full (never multiplied by a share)
    eia_coverage_pct: Figure
    incident_list: list[IncidentEntry] | None


class GreenFinance(Section):
    """Green finance raised, in the reporting currency."""

    total: Figure
    by_instrument: dict[str, float] | None


class AvoidedFactor(Section):
    """The grid factors avoided emissions of one host country use."""

    country: str
    factor_kg_per_kwh: Figure
    factor_source: str | None
    sensitivity_factor_kg_per_kwh: Figure
    sensitivity_source: str | None


class ActionEntry(Section):
    """One Mitigation row of a project in the boundary, as reported."""

    project_id: str | None
    row: int
    action: str | None
    action_zh: str | None = None
    category: str | None
    status: str | None
    annual_reduction_tco2e: Figure
    investment: Figure
    currency: str | None
    completion_date: str | None
    consolidation_share: Figure


class Mitigation(Section):
    """Renewable generation, avoided emissions and mitigation actions."""

    renewable_generation_mwh: Figure
    avoided_tco2e: Figure
    avoided_tco2e_ifi_combined_margin: Figure
    actions_reduction_tco2e: Figure
    avoided_factors: list[AvoidedFactor]
    actions: list[ActionEntry] | None


class SheetQuality(Section):
    """Estimated rows of one activity sheet."""

    rows: int
    estimated: int
    share_pct: Figure


class DataQuality(Section):
    """Share of activity rows marked ``estimated``."""

    estimated_share_pct: Figure
    by_sheet: dict[str, SheetQuality]


class TargetEntry(Section):
    """One Targets row with its target, current value and progress.

    ``target_value`` is ``base_value`` less ``target_reduction_pct``; ``progress_pct`` is
    (base − current) ÷ (base − target) × 100, negative above the base value. With the ledger
    (``build --ledger``), when the base year was recalculated, a Scope 1 or 2 target's
    ``target_value``, ``progress_pct`` and ``trajectory_value`` are measured from
    ``base_value_recalculated`` instead (``base_value_source`` is ``ledger_recalculated``;
    ``base_value`` stays the workbook's). ``base_value_differs`` is true when ``base_value``
    is more than 0.5 % from ``base_value_recorded`` and from the base year as the report
    uses it (docs/ledger.md, "Targets and the base year"). In the group report
    (``batch --ledger``), a target of an earlier base year is checked against the base year
    consolidated from the members' base-year submissions in the ledger
    (``base_value_consolidated``), or names the members without one
    (``base_value_unchecked``): its base value could not be checked.
    """

    metric: str | None
    base_year: int | None
    base_value: Figure
    target_year: int | None
    target_value: Figure
    current_value: Figure
    progress_pct: Figure
    row: int
    # From the ledger (build --ledger): the straight line from base value to target value.
    trajectory_value: Figure = None
    on_track: bool | None = None
    # The Targets row's own reduction (target_value is base_value less it).
    target_reduction_pct: Figure = None
    # From the ledger (build --ledger), when it holds the base year's submission: the base
    # year's figure for the metric as that submission reported it, and as recalculated
    # (Scope 1 and 2 metrics, when the base year was recalculated); whether the workbook's
    # base_value differs beyond the tolerance from the recorded figure and from the base year
    # as the report uses it (restated, recalculated); which base value target_value,
    # progress_pct and the trajectory are measured from.
    base_value_recorded: Figure = None
    base_value_recalculated: Figure = None
    base_value_differs: bool | None = None
    base_value_source: Literal["workbook", "ledger_recalculated"] = "workbook"
    # The group report (batch --ledger), a target of an earlier base year: true when
    # base_value_recorded is the group's base year consolidated from its members' base-year
    # submissions in the ledger; else the members without a valid current submission of the
    # base year there, whose base value could therefore not be checked.
    base_value_consolidated: bool | None = None
    base_value_unchecked: list[str] | None = None
    # True in a parent's own report (its workbook computed alone): the Targets are the
    # group's, measured against the consolidated figures in the group report; current_value
    # and progress_pct are then null here, as the parent's own figures measure none of them.
    group_target: bool | None = None


class PolicyFlag(Section):
    """A project that meets a rule of the lender's environmental policy."""

    project_id: str
    code: str
    message: str


class ProjectFigures(Section):
    """The figures kept per project; ``by_country`` and ``by_entity`` sum exactly these."""

    scope1_tco2e: Figure
    scope2_location_tco2e: Figure
    scope2_market_tco2e: Figure
    biogenic_co2_t: Figure
    other_gases_tco2e: Figure
    energy_gj: Figure
    water_withdrawal_m3: Figure
    waste_t: Figure
    renewable_generation_mwh: Figure
    avoided_tco2e: Figure


# The summable per-project figures, in output order (defined once, by the model).
PROJECT_FIGURES: tuple[str, ...] = tuple(ProjectFigures.model_fields)


class ProjectEntry(Section):
    """One project of the Projects sheet, in the boundary or not."""

    project_id: str
    project_name: str | None
    host_country: str | None
    sector: str | None
    project_type: str | None
    status: str | None
    consolidation_share: Figure
    in_boundary: bool
    project_name_zh: str | None
    eia_status: str | None
    environmental_standard: str | None
    eia_approval_date: str | None
    construction_start: str | None
    operation_start: str | None
    protected_area_distance_km: Figure
    installed_capacity_mw: Figure
    ownership_pct: Figure
    water_stressed: bool | None
    scope1_tco2e: Figure
    scope2_location_tco2e: Figure
    scope2_market_tco2e: Figure
    biogenic_co2_t: Figure
    other_gases_tco2e: Figure
    energy_gj: Figure
    water_withdrawal_m3: Figure
    waste_t: Figure
    renewable_generation_mwh: Figure
    avoided_tco2e: Figure
    entity_id: str | None = None  # group results: the member that reports the project
    # Version 2 descriptive fields
    eia_authority: str | None = None
    eia_authority_zh: str | None = None
    protected_area_name: str | None = None
    protected_area_name_zh: str | None = None
    acquired_date: str | None = None


class CountryEntry(Section):
    """The by_project figures summed over the projects of one host country."""

    country: str
    projects: int
    scope1_tco2e: Figure
    scope2_location_tco2e: Figure
    scope2_market_tco2e: Figure
    biogenic_co2_t: Figure
    other_gases_tco2e: Figure
    energy_gj: Figure
    water_withdrawal_m3: Figure
    waste_t: Figure
    renewable_generation_mwh: Figure
    avoided_tco2e: Figure


class Validation(Section):
    """How many findings validation reported."""

    errors: int
    warnings: int


class CorrectedMember(Section):
    """A member's submission a group's period was consolidated from, corrected since."""

    entity_id: str
    submission_id: int  # the member's current submission of the period
    replaced_submission_id: int  # the one the group's report was built from


class PriorPeriod(Section):
    """The period a comparison is made with."""

    start: str
    end: str
    restated: bool
    restatement_reasons: list[str] = Field(default_factory=list)  # "GWP set AR5 → AR6"
    submission_id: int | None = None  # the ledger's submission of the prior period
    # the prior period's submission a report used before ``submission_id`` corrected it
    # (restated: its figures are the ones as originally reported)
    replaced_submission_id: int | None = None
    # a group's prior period: the members' submissions its report was consolidated from
    # that were corrected since (restated: consolidated again from the current ones)
    member_corrections: list[CorrectedMember] | None = None


class Change(Section):
    """One figure now and in the prior period."""

    current: Figure
    prior: Figure
    change_pct: Figure
    prior_as_reported: Figure = None  # when the prior period is restated
    # when the prior period is restated: whether this figure is (marked R), its prior as
    # restated reading otherwise than as first reported, at the report's rounding
    prior_restated: bool | None = None


class Comparison(Section):
    """This period against the entity's prior period in the ledger (v2)."""

    prior_period: PriorPeriod
    figures: dict[str, Change]  # key path (e.g. "ghg.scope1_tco2e") → change


class HistoryEntry(Section):
    """One period of the entity's history in the ledger, oldest first (v2)."""

    period_start: str
    period_end: str
    scope1_tco2e: Figure
    scope2_location_tco2e: Figure
    scope2_market_tco2e: Figure
    energy_total_gj: Figure
    restated: bool
    as_reported_scope1_tco2e: Figure


class RecalculationTrigger(Section):
    """A structural change that can call for a base-year recalculation."""

    code: str
    project_id: str | None
    detail: str | None
    effect_tco2e: Figure
    effect_pct: Figure


class BaseYear(Section):
    """The base year's figures and whether they were recalculated (v2)."""

    year: int
    scope1_tco2e: Figure
    scope2_location_tco2e: Figure
    scope2_market_tco2e: Figure
    as_reported_scope1_tco2e: Figure
    recalculated: bool
    threshold_pct: Figure
    triggers: list[RecalculationTrigger]
    in_ledger: bool = False  # the base year's submission is in the ledger
    restated: bool = False  # recomputed under this report's methods
    submission_id: int | None = None
    as_reported_scope2_location_tco2e: Figure = None
    total_effect_pct: Figure = None  # the triggers' absolute effects, summed
    as_reported_scope2_market_tco2e: Figure = None


# The trail as the JSON Schema sees it: a list of entries (in memory it is a DataFrame).
TrailFrame = Annotated[
    pd.DataFrame,
    # items: TrailEntry, filled in by envreport.results.export (pydantic resolves $refs only
    # among the models it walks, and the DataFrame is not one).
    WithJsonSchema({"type": "array",
                    "description": "The calculation trail, one entry per input row, gas "
                                   "and method that produced an emission."}),
]


class OdsEntry(Section):
    """One ozone-depleting substance released (GRI 305-6)."""

    gas: str
    released_kg: Figure  # after the consolidation share
    odp: float  # t CFC-11 eq per t (Montreal Protocol annexes)
    cfc11_eq_t: Figure
    source: str


class Ods(Section):
    """Ozone-depleting substances from the Refrigerants sheet (GRI 305-6)."""

    cfc11_eq_t: Figure
    by_gas: list[OdsEntry]


class EnergyContent(Section):
    """How one fuel's quantities in one workbook unit became net energy (the `activity`, in
    TJ, of its Fuel entries in `calculations`): with this entry a Fuel entry can be
    re-derived from results.json alone. One entry per fuel and `input_unit` the Fuel sheet
    converted, sorted by both; the report's "Fuel quantities to net energy" table prints them.
    `null` without a Fuel sheet; absent from results stored before this key.

    `gj_per_unit` is the net energy of one `input_unit` as applied (the first such row with
    a quantity: its TJ × 1000 over its quantity; `null` when every row's quantity is 0), and
    `rows` how many Fuel rows were converted so. It is made of: for a volume, `density`
    (`density_unit`, kg/L or kg/Nm3) × `ncv` (`ncv_unit` TJ/Gg, the same number as GJ/t),
    or the submission's NCV per volume alone; for a mass, `ncv`; for a gross-basis energy
    unit (therm, MMBtu), the unit's energy × `gross_to_net` (IPCC's net/gross ratio of the
    fuel's state); a net energy unit is as it is (every part `null`). The units (docs/units.md)
    convert as pint's definitions (1 L = 0.001 m3, 1 MMBtu = 1.055056 GJ). A library part names its
    publication by its short citation (`*_source`, as `factor_source` in `calculations`) and
    its full English reference (`*_reference`); a part from the `Factors` sheet
    (`*_override` true) has that row's source and no reference (`factor_overrides` lists the
    row). Diesel in L: 0.84 kg/L × 43 TJ/Gg = 0.03612 GJ per L (0.03612 TJ per kL). In a
    group's results.json the entries are the merged submission's, as `factor_sources` is:
    each fuel and unit once, `rows` across the members.
    """

    fuel: str
    input_unit: str
    rows: int
    gj_per_unit: Figure
    density: float | None
    density_unit: str | None
    density_source: str | None
    density_reference: str | None
    density_override: bool
    ncv: float | None
    ncv_unit: str | None
    ncv_source: str | None
    ncv_reference: str | None
    ncv_override: bool
    gross_to_net: float | None
    gross_to_net_source: str | None
    gross_to_net_reference: str | None


#: the figures an exchange rate converts money into (``MoneyConverted.field``), each by its
#: key path in results.json: the engine writes them, the report names them
FINES_FIELD = "compliance.fines"
GREEN_FINANCE_FIELD = "green_finance.total"


class MoneyConverted(Section):
    """What one exchange rate converted into one figure: the money of ``sheet``'s rows in
    that currency (``rows`` of them) that the figure ``field`` (a key path of results.json)
    counts, summed as reported (``amount``, in the currency) and as counted
    (``amount_reporting_currency``: each row's amount × the rate, summed)."""

    field: str  # FINES_FIELD | GREEN_FINANCE_FIELD
    sheet: str  # Incidents | GreenFinance
    rows: int
    amount: Figure
    amount_reporting_currency: Figure


class ExchangeRate(Section):
    """One row of the FxRates sheet that converted money into the reporting currency, so
    that a reader can recompute the money figures: 250,000,000 IDR of fines × 0.0004487 =
    112,175 CNY. One entry per currency converted, by currency; a rate given but converting
    nothing is left out (the list says what the figures used, not what the workbook holds:
    the workbook is the place for that). Fines count the Incidents rows of projects in the
    boundary, green finance every GreenFinance row (of a member in the boundary, in a
    group); a Mitigation row's investment is shown as reported, in its own currency, and
    converted by no rate. ``source`` is the workbook's text on one line, at most 120
    characters. In a group's results.json the rates are the parent's FxRates (every
    member's money is converted with them): ``entity_id`` names the parent."""

    currency: str
    rate_to_reporting_currency: float  # units of reporting_currency per one unit of currency
    reporting_currency: str
    source: str | None
    source_zh: str | None = None  # the workbook's Chinese text of the source, when given
    sheet: str  # FxRates
    row: int
    entity_id: str | None = None  # group results: the parent, whose FxRates the group uses
    converted: list[MoneyConverted]


class NarrativeEntry(Section):
    """One row of the Narrative sheet: the enterprise's own words on a topic. In a group
    report a member's words on water or biodiversity follow the parent's and name the member
    (``entity_id``); the report cites them by entity."""

    topic: str
    text: str | None
    text_zh: str | None
    row: int  # of the Narrative sheet of the workbook that gave it (entity_id's, if named)
    # a group report: the member whose words these are (on water or biodiversity), cited by
    # entity; absent for the reporting entity's (the parent's) own
    entity_id: str | None = None


class Results(Section):
    """Every figure of one report: the content of ``results.json``."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    schema_version: str = SCHEMA_VERSION
    tool_version: str
    input: InputFile
    organization: Organization
    period: Period
    reporting_year: int | None
    gwp_set: str
    factor_library: FactorLibraryVersion
    factor_overrides: list[FactorOverride]
    ghg: Ghg
    energy: Energy
    water: Water
    waste: Waste
    pollutants_t: dict[str, float] | None  # every pollutant, air and water
    air_pollutants_t: dict[str, float] | None = None  # GRI 305-7
    other_pollutants_t: dict[str, float] | None = None  # names outside the standard lists
    ods: Ods | None = None  # GRI 305-6
    compliance: Compliance
    green_finance: GreenFinance
    mitigation: Mitigation
    data_quality: DataQuality | None
    targets: list[TargetEntry] | None
    policy_flags: list[PolicyFlag]
    narrative: list[NarrativeEntry] | None = None  # the Narrative rows, in row order
    by_project: list[ProjectEntry]
    by_country: list[CountryEntry]
    factor_sources: dict[str, str]
    # how each fuel's quantity became net energy (version 2 addition); absent from results
    # stored before it, which the report then explains from the trail and the library
    energy_contents: list[EnergyContent] | None = None
    # the FxRates rows that converted money, with what each converted (absent from results
    # stored before this key; [] when no money was converted)
    exchange_rates: list[ExchangeRate] | None = None
    calculations: TrailFrame = Field(repr=False)
    validation: Validation
    comparison: Comparison | None = None
    history: list[HistoryEntry] | None = None
    base_year: BaseYear | None = None

    @property
    def trail(self) -> pd.DataFrame:
        """The calculation trail, columnar (one column per :class:`TrailEntry` field)."""
        return self.calculations

    def to_json_dict(self, *, lazy_trail: bool = False) -> dict[str, Any]:
        """The JSON-able content of ``results.json`` (keys in contract order).

        With ``lazy_trail``, ``calculations`` is a :class:`TrailRecords` (entries made as they
        are read) instead of a list: for the build's writers, which only walk it.
        """
        out: dict[str, Any] = {}
        for name in type(self).model_fields:
            if name not in self.model_fields_set:
                continue
            if name == "calculations":
                out[name] = (TrailRecords(self.calculations) if lazy_trail
                             else trail_records(self.calculations))
                continue
            value = getattr(self, name)
            out[name] = _dump(value)
        return out


def _dump(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="python", exclude_unset=True)
    if isinstance(value, list):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    return value


class InputState(Section):
    """One workbook of a group batch and what became of it."""

    entity_id: str | None
    file_name: str | None  # None: a roster entity that submitted no file (missing)
    sha256: str | None
    state: str


class EntityEntry(Section):
    """One member's contribution to the group: the sums of its projects' figures."""

    entity_id: str
    name: str | None
    file_name: str | None
    parent: bool
    share: Figure
    controlled: bool | None
    projects: int
    projects_in_boundary: int
    scope1_tco2e: Figure
    scope2_location_tco2e: Figure
    scope2_market_tco2e: Figure
    energy_gj: Figure
    biogenic_co2_t: Figure
    other_gases_tco2e: Figure
    water_withdrawal_m3: Figure
    waste_t: Figure
    renewable_generation_mwh: Figure
    avoided_tco2e: Figure
    # the entity's Chinese name (its workbook's organization_name_zh, else the roster's)
    name_zh: str | None = None


class GroupResults(Results):
    """A group's results: the merged submission's figures plus its members.

    `inputs` lists every file of the batch and every roster entity without one (`file_name`
    null), with its state on the status board (docs/batch.md); `by_entity` what each member
    adds to the group; `group_findings` every finding about the group, each in the shape of
    a finding of `envreport validate --format json` (`severity`, `code`, `sheet`, `cell`,
    `row`, `column`, `field`, `value`, `message`, `hint`; docs/findings.md lists the codes)
    after the `entity_id` and `file` of the submission it points into (null when it is about
    the group). `schemas/results.schema.json` validates an entity's and a group's file: the
    three keys are optional at its top level.
    """

    inputs: list[InputState]
    by_entity: list[EntityEntry]
    group_findings: list[dict[str, Any]]
