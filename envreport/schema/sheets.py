"""The sheets of the submission workbook (contract version 1 plus the version 2 additions).

Field names are the contract: auditors, subsidiaries and other tools rely on them. Add
optional fields freely (documented in ``docs/workbook.md``); rename none. Required columns
are the fields without a default. Every version 2 addition is optional with a default that
gives a version 1 workbook exactly its old reading.

A free-text column ``X`` may have a ``X_zh`` column beside it: the Chinese text, which the
Chinese report shows instead of ``X`` (see :data:`TRANSLATED_TEXT`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, ClassVar, Literal, get_args

import numpy as np
import pandas as pd
from pydantic import BeforeValidator, Field

from envreport.schema.base import Choice, RowContext, RowRule, SheetRow, column
from envreport.schema.types import (
    Country,
    Currency,
    Day,
    EnergyUnit,
    FuelUnit,
    IdList,
    MassUnit,
    NonNegative,
    Percent,
    Text,
    VolumeUnit,
    YesNo,
    parse_integer,
    parse_number,
    parse_text,
)

# ---- enumerations (the drop-down lists) ------------------------------------------------
ConsolidationApproach = Literal["operational_control", "financial_control", "equity_share"]
CONSOLIDATION_APPROACHES: tuple[ConsolidationApproach, ...] = get_args(ConsolidationApproach)
GwpSet = Literal["AR6", "AR5", "AR4"]
GWP_SETS: tuple[GwpSet, ...] = get_args(GwpSet)
#: the GWP set of a workbook that names none (the Organization sheet's default)
DEFAULT_GWP_SET: GwpSet = "AR6"


def gwp_set_or_default(value: str | None) -> str:
    """A GWP set as recorded or read (any case, or none) as its id: ``ar5`` → ``AR5``, none →
    :data:`DEFAULT_GWP_SET`; a ledger record or results.json may hold either."""
    return (value or DEFAULT_GWP_SET).upper()


Sector = Literal["energy", "transport", "infrastructure", "manufacturing", "mining", "oil_gas",
                 "agriculture", "real_estate", "other"]
SECTORS: tuple[Sector, ...] = get_args(Sector)
ProjectType = Literal["solar_pv", "wind", "hydro", "biomass_power", "coal_power", "gas_power",
                      "oil_power", "transmission", "railway", "road", "port", "airport",
                      "industrial_park", "manufacturing", "mining", "oil_gas", "other"]
PROJECT_TYPES: tuple[ProjectType, ...] = get_args(ProjectType)


# The Generation technologies whose output is renewable (self-generated renewable energy,
# avoided emissions).
RENEWABLE_TECHNOLOGIES = ("solar_pv", "wind", "hydro", "biomass_power")
# Renewables that burn no fuel: their electricity is self-generated energy in GRI 302-1
# (electricity made from fuel, biomass included, is already counted as the fuel).
NON_FUEL_RENEWABLE_TECHNOLOGIES = ("solar_pv", "wind", "hydro")
# ``divested`` (v2): sold or closed during or before this period; base-year recalculation
# treats it as a structural change.
ProjectStatus = Literal["planning", "construction", "operation", "decommissioned", "divested"]
PROJECT_STATUSES: tuple[ProjectStatus, ...] = get_args(ProjectStatus)
EiaStatus = Literal["approved", "pending", "not_started", "not_required"]
EIA_STATUSES: tuple[EiaStatus, ...] = get_args(EiaStatus)
EnvironmentalStandard = Literal["host_country", "china", "ifc_ps", "world_bank_ehs", "eu", "other"]
ENVIRONMENTAL_STANDARDS: tuple[EnvironmentalStandard, ...] = get_args(EnvironmentalStandard)
# The fuel ids the library must know at least (docs/workbook.md); the template's drop-down.
FUEL_IDS = ("natural_gas", "diesel", "gasoline", "fuel_oil", "lpg", "jet_kerosene", "kerosene",
            "crude_oil", "naphtha", "bituminous_coal", "sub_bituminous_coal", "lignite",
            "anthracite", "coking_coal", "petroleum_coke", "coke", "peat", "wood", "charcoal",
            "biodiesel", "bioethanol", "biogas", "landfill_gas")
# Suggested (not exclusive) names for the Refrigerants drop-down.
COMMON_GASES = ("HFC-134a", "HFC-32", "HFC-125", "HFC-143a", "HFC-23", "HFC-152a", "HFC-227ea",
                "R-410A", "R-404A", "R-407C", "SF6", "NF3", "CF4", "C2F6", "HCFC-22")
FuelUse = Literal["stationary", "mobile", "offroad"]
FUEL_USES: tuple[FuelUse, ...] = get_args(FuelUse)
DataQuality = Literal["metered", "invoice", "estimated"]
DATA_QUALITIES: tuple[DataQuality, ...] = get_args(DataQuality)
EnergyType = Literal["electricity", "heat", "steam", "cooling"]
ENERGY_TYPES: tuple[EnergyType, ...] = get_args(EnergyType)
Instrument = Literal["none", "rec", "i_rec", "go", "ppa", "green_tariff"]
INSTRUMENTS: tuple[Instrument, ...] = get_args(Instrument)
# Every instrument but "none" conveys renewable attributes (GRI 302-1 counts what it covers).
RENEWABLE_INSTRUMENTS = tuple(i for i in INSTRUMENTS if i != "none")
# Purchased energy that is not electricity: no grid-average factor exists for it.
HEAT_TYPES = tuple(t for t in ENERGY_TYPES if t != "electricity")
RefrigerantMethod = Literal["mass_balance", "screening"]
REFRIGERANT_METHODS: tuple[RefrigerantMethod, ...] = get_args(RefrigerantMethod)
WaterFlow = Literal["withdrawal", "discharge"]
WATER_FLOWS: tuple[WaterFlow, ...] = get_args(WaterFlow)
WaterSource = Literal["surface", "ground", "sea", "produced", "third_party"]
WATER_SOURCES: tuple[WaterSource, ...] = get_args(WaterSource)
# GRI 303-3/303-4: freshwater is at most 1,000 mg/L total dissolved solids.
WaterQuality = Literal["freshwater", "other"]
WATER_QUALITIES: tuple[WaterQuality, ...] = get_args(WaterQuality)
DisposalRoute = Literal["reuse", "recycling", "composting", "recovery_other",
                        "incineration_energy_recovery", "incineration", "landfill",
                        "other_disposal"]
DISPOSAL_ROUTES: tuple[DisposalRoute, ...] = get_args(DisposalRoute)
DIVERTED_ROUTES = ("reuse", "recycling", "composting", "recovery_other")
# GRI 306-4/306-5: where the recovery or disposal operation took place.
WasteLocation = Literal["onsite", "offsite"]
WASTE_LOCATIONS: tuple[WasteLocation, ...] = get_args(WasteLocation)
# Air emissions (GRI 305-7) and pollutants discharged to water (GRI 303-4, the MEE format).
AIR_POLLUTANTS = ("SO2", "NOx", "PM", "PM10", "PM2.5", "VOC")
WATER_POLLUTANTS = ("COD", "NH3-N")
STANDARD_POLLUTANTS = (*AIR_POLLUTANTS, *WATER_POLLUTANTS)
IncidentType = Literal["spill", "exceedance", "complaint", "penalty", "biodiversity", "other"]
INCIDENT_TYPES: tuple[IncidentType, ...] = get_args(IncidentType)
IncidentSeverity = Literal["minor", "moderate", "major"]
SEVERITIES: tuple[IncidentSeverity, ...] = get_args(IncidentSeverity)
IncidentStatus = Literal["open", "closed"]
INCIDENT_STATUSES: tuple[IncidentStatus, ...] = get_args(IncidentStatus)
MitigationCategory = Literal["energy_efficiency", "renewable_energy", "fuel_switch",
                             "electrification", "methane_capture", "ccus", "pollution_control",
                             "afforestation", "other"]
MITIGATION_CATEGORIES: tuple[MitigationCategory, ...] = get_args(MitigationCategory)
MitigationStatus = Literal["planned", "in_progress", "completed"]
MITIGATION_STATUSES: tuple[MitigationStatus, ...] = get_args(MitigationStatus)
GreenInstrument = Literal["green_bond", "green_loan", "sustainability_linked_loan", "green_fund",
                          "other"]
GREEN_INSTRUMENTS: tuple[GreenInstrument, ...] = get_args(GreenInstrument)
FactorType = Literal["fuel", "ncv", "density", "grid", "refrigerant"]
FACTOR_TYPES: tuple[FactorType, ...] = get_args(FactorType)
FactorGas = Literal["CO2", "CH4", "N2O", "CO2e"]
FACTOR_GASES: tuple[FactorGas, ...] = get_args(FactorGas)
# The metrics a target can be set on: the one list (metrics computes each current value,
# the report labels each, the template offers them).
TargetMetric = Literal["scope1_tco2e", "scope2_market_tco2e", "scope2_location_tco2e",
                       "scope1_2_tco2e", "water_withdrawal_m3", "energy_total_gj",
                       "waste_total_t", "scope1_2_market_tco2e", "water_consumption_m3",
                       "waste_disposed_t"]
TARGET_METRICS: tuple[str, ...] = get_args(TargetMetric)
ReportLanguageChoice = Literal["en", "zh", "en,zh"]
REPORT_LANGUAGES: tuple[ReportLanguageChoice, ...] = get_args(ReportLanguageChoice)
ReportStatus = Literal["draft", "final"]
REPORT_STATUSES: tuple[ReportStatus, ...] = get_args(ReportStatus)
AssuranceLevel = Literal["none", "limited", "reasonable"]
ASSURANCE_LEVELS: tuple[AssuranceLevel, ...] = get_args(AssuranceLevel)
# The topics of the Narrative sheet; each is shown in its own section of the report (the
# structure of IFRS S2 and China's 2025 climate disclosure standard, plus the statements a
# report owes its reader).
NarrativeTopic = Literal["governance", "strategy", "risk_management", "targets", "consolidation",
                         "base_year_policy", "coal_policy", "biodiversity", "water", "assurance",
                         "other"]
NARRATIVE_TOPICS: tuple[NarrativeTopic, ...] = get_args(NarrativeTopic)
# Sheet → free-text column → its Chinese column. The Chinese report prints the ``_zh`` text
# where it is given and marks the original as untranslated where it is not.
TRANSLATED_TEXT: dict[str, dict[str, str]] = {
    "Organization": {"organization_name": "organization_name_zh",
                     "contact_name": "contact_name_zh",
                     "assurance_provider": "assurance_provider_zh"},
    "Projects": {"project_name": "project_name_zh", "eia_authority": "eia_authority_zh",
                 "protected_area_name": "protected_area_name_zh"},
    "Waste": {"waste_type": "waste_type_zh"},
    "Pollutants": {"standard": "standard_zh"},
    "Incidents": {"description": "description_zh", "corrective_action": "corrective_action_zh"},
    "Mitigation": {"action": "action_zh"},
    "GreenFinance": {"use_of_proceeds": "use_of_proceeds_zh", "standard": "standard_zh"},
    "Factors": {"source": "source_zh"},
    "Subsidiaries": {"entity_name": "entity_name_zh"},
    "FxRates": {"source": "source_zh"},
    "Narrative": {"text": "text_zh"},
}


def normalise_languages(value: Any) -> Any:
    """``en, zh`` / ``zh,en`` / ``EN`` all mean what they say."""
    if isinstance(value, str):
        parts = [p.strip().lower() for p in value.replace("，", ",").split(",") if p.strip()]
        return ",".join(sorted(set(parts), key=["en", "zh"].index)) if set(parts) <= {"en", "zh"} \
            else value
    return value


Languages = Annotated[Choice[ReportLanguageChoice], BeforeValidator(normalise_languages)]
Latitude = Annotated[float, BeforeValidator(parse_number), Field(ge=-90, le=90)]
Longitude = Annotated[float, BeforeValidator(parse_number), Field(ge=-180, le=180)]
Year = Annotated[int, BeforeValidator(parse_integer), Field(ge=1900, le=2100)]
Count = Annotated[int, BeforeValidator(parse_integer), Field(ge=0)]
Positive = Annotated[float, BeforeValidator(parse_number), Field(gt=0)]
LongText = Annotated[str, BeforeValidator(parse_text)]


def _period_order(start: str, end: str) -> RowRule:
    """A row's own period ends on or after it starts."""
    return RowRule("period-end-before-start", end,
                   broken=lambda f, c: f[end] < f[start],
                   params=lambda r, c: {"start": r[start].isoformat()})


def _reporting_period(context: RowContext) -> tuple[date, date]:
    """The reporting period of a context a period rule applies in (without one the rule's
    ``broken`` is False, so neither its mask nor its params are asked for)."""
    if context.period_start is None or context.period_end is None:
        raise ValueError("a period rule was applied without a reporting period")
    return context.period_start, context.period_end


def _outside_reporting(frame: pd.DataFrame, context: RowContext, start: str, end: str
                       ) -> tuple[np.ndarray, np.ndarray]:
    """Ordered rows with a period of their own reaching outside the reporting period: those
    to report at ``start`` (they begin before it) and those to report at ``end``.

    Computed on the columns' datetime64 arrays, where a comparison with a blank (NaT) is
    false as in pandas: a blank start is never before the reporting period, a blank end
    never after it (the date given beside a blank one is :func:`_single_date_outside`'s
    to judge). Two rules of every activity sheet ask for it; as a dozen pandas
    operations it cost about 1 ms a sheet whatever its rows, most of a small sheet's rules."""
    first_day, last_day = _reporting_period(context)
    first, last = np.datetime64(first_day), np.datetime64(last_day)
    own_start, own_end = frame[start].to_numpy(), frame[end].to_numpy()
    early = own_start < first
    outside = ~(own_end < own_start) & ~(pd.isna(own_start) & pd.isna(own_end)) & (
        early | (own_end > last))
    return outside & early, outside & ~early


def _period_outside(start: str, end: str, at: str) -> RowRule:
    """A row's own period lies inside the reporting period (blank ends mean its ends); the
    finding sits on the start when the row begins too early, else on the end."""
    def broken(frame: pd.DataFrame, context: RowContext) -> Any:
        if context.period_start is None or context.period_end is None:
            return False
        at_start, at_end = _outside_reporting(frame, context, start, end)
        return at_start if at == "start" else at_end

    def params(row: Mapping[str, Any], context: RowContext) -> dict[str, Any]:
        first, last = _reporting_period(context)
        return {"start": (row[start] or first).isoformat(),
                "end": (row[end] or last).isoformat(),
                "period_start": first.isoformat(), "period_end": last.isoformat()}

    return RowRule("period-outside-reporting", start if at == "start" else end, broken, params)


def _single_date_outside(start: str, end: str, blank: str) -> RowRule:
    """A row with one of its two dates blank: the blank one is the reporting period's bound,
    so the date given must not lie beyond the other bound (a blank start with an end before
    the reporting period, a blank end with a start after it), or the row's period would end
    before it starts. :func:`_outside_reporting` judges a blank as never outside; this rule
    is the rest of "a row's period lies inside the reporting period". The finding sits on
    the date given; ``blank`` names the blank one's column."""
    given = end if blank == start else start

    def broken(frame: pd.DataFrame, context: RowContext) -> Any:
        if context.period_start is None or context.period_end is None:
            return False
        own_start, own_end = frame[start].to_numpy(), frame[end].to_numpy()
        if blank == start:  # NaT compares false: a row with both dates blank is not judged
            return pd.isna(own_start) & (own_end < np.datetime64(context.period_start))
        return pd.isna(own_end) & (own_start > np.datetime64(context.period_end))

    def params(row: Mapping[str, Any], context: RowContext) -> dict[str, Any]:
        first, last = _reporting_period(context)
        return {"filled": (first if blank == start else last).isoformat(),
                "period_start": first.isoformat(), "period_end": last.isoformat()}

    return RowRule("period-single-date-outside", given, broken, params)


def _control(approach: str) -> RowRule:
    """Under a control approach the matching yes/no column must be filled."""
    return RowRule("control-missing", approach,
                   broken=lambda f, c: f[approach].isna()
                   if c.consolidation_approach == approach else False,
                   params=lambda r, c: {"approach": approach,
                                        "field_label": approach.replace("_", " ")})


# ---- Organization (a two-column sheet: field, value) ------------------------------------
class OrganizationSheet(SheetRow):
    """The reporting entity and the choices that shape its report."""


    entity_id: Text = column("Stable code of this reporting entity (e.g. SRE-ID).", "主体编号",
                             "本报告主体的固定编码（如 SRE-ID）。")
    organization_name: Text = column("Legal name.", "机构名称", "法定名称。")
    organization_name_zh: Text | None = column("Chinese name.", "中文名称", "机构的中文名称。",
                                               default=None)
    parent_entity_id: Text | None = column(
        "The group this entity reports into (the parent's entity_id).", "上级主体编号",
        "本主体向其报送的集团主体编号。", default=None)
    reporting_period_start: Day = column("First day of the reporting period.", "报告期开始",
                                         "报告期第一天。")
    reporting_period_end: Day = column("Last day of the reporting period.", "报告期结束",
                                       "报告期最后一天。")
    reporting_currency: Currency = column("ISO 4217 code of the reporting currency.",
                                          "报告币种", "报告所用币种的 ISO 4217 代码。")
    consolidation_approach: Choice[ConsolidationApproach] = column(
        "GHG Protocol consolidation approach.", "合并方法",
        "温室气体核算体系的合并方法：运营控制、财务控制或股权比例。")
    gwp_set: Choice[GwpSet] = column(
        "IPCC assessment report whose 100-year GWPs are used.", "GWP 版本",
        "采用的 IPCC 评估报告100年全球增温潜势。", default=DEFAULT_GWP_SET)
    base_year: Year | None = column("Year of the GHG base year.", "基准年",
                                    "温室气体排放基准年。", default=None)
    revenue: NonNegative | None = column("Revenue in the reporting currency (for intensity).",
                                         "营业收入", "以报告币种计的营业收入（用于强度指标）。",
                                         default=None)
    employees: NonNegative | None = column("Headcount (for intensity).", "员工人数",
                                           "员工人数（用于强度指标）。", default=None)
    report_languages: Languages = column(
        "Languages of the report: en, zh or en,zh.", "报告语言", "报告语言：en、zh 或 en,zh。",
        default="en")
    contact_name: Text | None = column("Preparer.", "联系人", "填报人姓名。", default=None)
    contact_name_zh: Text | None = column("Preparer's name in Chinese.", "联系人中文姓名",
                                          "填报人的中文姓名。", default=None)
    contact_email: Text | None = column("Preparer's e-mail.", "联系邮箱", "填报人电子邮箱。",
                                        default=None)
    report_status: Choice[ReportStatus] = column(
        "draft (default) or final; a draft report says so on every page.", "报告状态",
        "草稿（默认）或定稿；草稿报告每页均标明草稿。", default="draft")
    publication_date: Day | None = column("Date printed on the report's cover.", "发布日期",
                                          "印在报告封面上的发布日期。", default=None)
    assurance_level: Choice[AssuranceLevel] = column(
        "External assurance of the report: none (default), limited or reasonable.", "鉴证级别",
        "报告的外部鉴证级别：无（默认）、有限保证或合理保证。", default="none")
    assurance_provider: Text | None = column("Who gave the assurance.", "鉴证机构",
                                             "提供鉴证的机构。", default=None)
    assurance_provider_zh: Text | None = column("Who gave the assurance, in Chinese.",
                                                "鉴证机构中文名称", "鉴证机构的中文名称。",
                                                default=None)
    assurance_standard: Text | None = column(
        "Assurance standard, e.g. ISAE 3000, ISAE 3410, ISO 14064-3; several separated by "
        "';' (ISAE 3000; ISAE 3410).", "鉴证标准",
        "鉴证所依据的标准，如 ISAE 3000、ISAE 3410、ISO 14064-3；多项以“;”分隔"
        "（ISAE 3000; ISAE 3410）。", default=None)
    recalculation_threshold_pct: Percent = column(
        "Significance threshold for recalculating the base year (default 5).", "基准年重算阈值",
        "触发基准年重新计算的显著性阈值（默认5）。", default=5.0, unit="%")

    rule_period: ClassVar[RowRule] = _period_order("reporting_period_start",
                                                   "reporting_period_end")


# ---- Projects -----------------------------------------------------------------------------
class ProjectsSheet(SheetRow):
    """One row per project or site."""


    project_id: Text = column("Unique project code.", "项目编号", "唯一的项目编码。")
    project_name: Text = column("Project name.", "项目名称", "项目名称。")
    project_name_zh: Text | None = column("Chinese project name.", "项目中文名称",
                                          "项目的中文名称。", default=None)
    host_country: Country = column("Host country: ISO code, English or Chinese name.",
                                   "所在国", "项目所在国：ISO 代码、英文或中文名称。")
    sector: Choice[Sector] = column("Sector.", "行业", "所属行业。")
    project_type: Choice[ProjectType] = column("Type of project.", "项目类型", "项目类型。")
    status: Choice[ProjectStatus] = column(
        "Life-cycle status; divested: sold or closed during or before this period.", "项目状态",
        "项目所处阶段：规划、建设、运营、退役或已剥离（本期内或之前出售或关闭）。")
    ownership_pct: Percent = column("The entity's ownership share, 0–100.", "持股比例",
                                    "本主体持有的股权比例（0–100）。", unit="%")
    operational_control: YesNo | None = column(
        "Does the entity have operational control? Required under operational_control.",
        "运营控制", "本主体是否拥有运营控制权？采用运营控制法时必填。", default=None)
    financial_control: YesNo | None = column(
        "Does the entity have financial control? Required under financial_control.",
        "财务控制", "本主体是否拥有财务控制权？采用财务控制法时必填。", default=None)
    installed_capacity_mw: NonNegative | None = column(
        "Installed generating capacity.", "装机容量", "发电装机容量。", default=None, unit="MW")
    construction_start: Day | None = column("Construction start date.", "开工日期",
                                            "开工日期。", default=None)
    operation_start: Day | None = column("Commercial operation date.", "投运日期",
                                         "投入运营日期。", default=None)
    eia_status: Choice[EiaStatus] = column("Environmental impact assessment status.",
                                             "环评状态", "环境影响评价状态。")
    eia_approval_date: Day | None = column("Date the EIA was approved.", "环评批复日期",
                                           "环评获批日期；环评状态为已批复时必填。",
                                           default=None)
    eia_authority: Text | None = column("Authority that approved the EIA.", "环评审批机关",
                                        "批复环评的主管机关。", default=None)
    eia_authority_zh: Text | None = column("Chinese name of the EIA authority.",
                                           "中文环评审批机关", "环评审批机关的中文名称。",
                                           default=None)
    environmental_standard: Choice[EnvironmentalStandard] | None = column(
        "Environmental standard applied.", "适用环境标准",
        "项目适用的环境标准：东道国、中国、IFC 绩效标准、世界银行 EHS、欧盟或其他。",
        default=None)
    protected_area_distance_km: NonNegative | None = column(
        "Distance to the nearest protected area.", "距保护区距离", "距最近自然保护区的距离。",
        default=None, unit="km")
    protected_area_name: Text | None = column("Name of the nearest protected area.",
                                              "保护区名称", "最近自然保护区的名称。",
                                              default=None)
    protected_area_name_zh: Text | None = column("Chinese name of the nearest protected area.",
                                                 "中文保护区名称", "最近自然保护区的中文名称。",
                                                 default=None)
    acquired_date: Day | None = column(
        "Date the entity acquired the project or started to consolidate it.", "取得日期",
        "本主体取得该项目或开始将其纳入合并范围的日期。", default=None)
    water_stressed: YesNo | None = column("Is the site in a water-stressed area?", "水资源紧张",
                                          "项目是否位于水资源紧张地区？", default=None)
    latitude: Latitude | None = column("Latitude (WGS 84).", "纬度", "纬度（WGS 84）。",
                                       default=None)
    longitude: Longitude | None = column("Longitude (WGS 84).", "经度", "经度（WGS 84）。",
                                         default=None)

    rule_eia_date: ClassVar[RowRule] = RowRule(
        "eia-approval-date-missing", "eia_approval_date",
        broken=lambda f, c: (f["eia_status"] == "approved") & f["eia_approval_date"].isna())
    rule_control_financial: ClassVar[RowRule] = _control("financial_control")
    rule_control_operational: ClassVar[RowRule] = _control("operational_control")


# ---- activity sheets ----------------------------------------------------------------------
_PERIOD_HELP = ("First day of the period this row covers; blank means the reporting period.",
                "期间开始", "本行数据所属期间的第一天；留空表示整个报告期。")
_PERIOD_END_HELP = ("Last day of the period this row covers; blank means the reporting "
                    "period.", "期间结束", "本行数据所属期间的最后一天；留空表示整个报告期。")


class ActivityRow(SheetRow):
    """A row that belongs to a project and, optionally, a part of the reporting period."""

    project_id: Text = column("Project code from the Projects sheet.", "项目编号",
                              "项目表中的项目编号。")
    period_start: Day | None = column(*_PERIOD_HELP, default=None)
    period_end: Day | None = column(*_PERIOD_END_HELP, default=None)

    rule_period: ClassVar[RowRule] = _period_order("period_start", "period_end")
    rule_period_outside_start: ClassVar[RowRule] = _period_outside("period_start", "period_end",
                                                                   "start")
    rule_period_outside_end: ClassVar[RowRule] = _period_outside("period_start", "period_end",
                                                                 "end")
    rule_period_start_blank_end_outside: ClassVar[RowRule] = _single_date_outside(
        "period_start", "period_end", "period_start")
    rule_period_end_blank_start_outside: ClassVar[RowRule] = _single_date_outside(
        "period_start", "period_end", "period_end")


class FuelSheet(ActivityRow):
    """Stationary and mobile combustion (Scope 1)."""


    fuel: Text = column("Fuel id of the factor library (see the drop-down).", "燃料",
                        "排放因子库中的燃料编号（见下拉列表）。")
    quantity: NonNegative = column("Quantity consumed.", "消耗量", "燃料消耗量。")
    unit: FuelUnit = column("Unit of the quantity: mass, volume or energy (t, L, m3, GJ, "
                            "MMBtu ...).", "单位", "消耗量的单位：质量、体积或能量（t、L、m3、GJ、"
                            "MMBtu 等）。")
    use: Choice[FuelUse] = column(
        "stationary; mobile for road vehicles; offroad for construction and mining machinery.",
        "用途", "固定燃烧；移动源（道路车辆）；非道路（施工和采矿机械）。")
    data_quality: Choice[DataQuality] | None = column(
        "How the figure was obtained.", "数据质量", "数据来源：计量、发票或估算。", default=None)
    source_ref: Text | None = column("Invoice, meter or document reference.", "来源凭证",
                                     "发票、计量表或文件编号。", default=None)


class ElectricitySheet(ActivityRow):
    """Purchased electricity, heat, steam and cooling (Scope 2)."""


    energy_type: Choice[EnergyType] = column(
        "electricity (default), heat, steam or cooling.", "能源类型",
        "电力（默认）、热力、蒸汽或冷量。", default="electricity")
    quantity: NonNegative = column("Energy consumed.", "消耗量", "外购能源消耗量。")
    unit: EnergyUnit = column("Energy unit (kWh, MWh, GJ ...).", "单位",
                              "能量单位（kWh、MWh、GJ 等）。")
    grid_country: Country | None = column("Grid country; blank means the project's host country.",
                                          "电网所在国", "电网所在国；留空则为项目所在国。",
                                          default=None)
    supplier: Text | None = column("Electricity supplier.", "供应商", "电力供应商。",
                                   default=None)
    instrument: Choice[Instrument] = column(
        "Contractual instrument: none, rec, i_rec, go, ppa, green_tariff.", "合同工具",
        "合同工具：无、REC、I-REC、GO、购电协议或绿色电价。", default="none")
    instrument_quantity: NonNegative | None = column(
        "Energy covered by the instrument, in the row's unit; blank means all.", "工具覆盖量",
        "合同工具覆盖的能量（与本行单位相同）；留空表示全部。", default=None)
    instrument_factor_kg_per_kwh: NonNegative | None = column(
        "Emission factor of the instrument; blank means 0.", "工具排放因子",
        "合同工具的排放因子；留空为0。", default=None, unit="kg/kWh")
    supplier_factor_kg_per_kwh: NonNegative | None = column(
        "Supplier-specific emission factor.", "供应商排放因子", "供应商提供的排放因子。",
        default=None, unit="kg/kWh")
    data_quality: Choice[DataQuality] | None = column(
        "How the figure was obtained (addition to contract v1).", "数据质量",
        "数据来源：计量、发票或估算。", default=None)
    source_ref: Text | None = column("Invoice or meter reference.", "来源凭证",
                                     "发票或计量表编号。", default=None)

    rule_instrument: ClassVar[RowRule] = RowRule(
        "instrument-quantity-exceeds", "instrument_quantity",
        broken=lambda f, c: (f["instrument"] != "none")
        & (f["instrument_quantity"] > f["quantity"]),
        params=lambda r, c: {"quantity": r["quantity"]})


class GenerationSheet(ActivityRow):
    """Electricity the projects generate (mitigation)."""


    technology: Choice[ProjectType] = column("Technology (as project_type).", "发电技术",
                                              "发电技术（与项目类型一致）。")
    gross_generation_mwh: NonNegative = column("Gross electricity generated.", "总发电量",
                                               "总发电量。", unit="MWh")
    net_export_mwh: NonNegative | None = column("Electricity delivered to the grid.",
                                                "上网电量", "输送至电网的电量。", default=None,
                                                unit="MWh")

    rule_export: ClassVar[RowRule] = RowRule(
        "net-export-exceeds-generation", "net_export_mwh",
        broken=lambda f, c: f["net_export_mwh"] > f["gross_generation_mwh"],
        params=lambda r, c: {"gross": r["gross_generation_mwh"]})


def delivered_mwh(generation: pd.DataFrame) -> pd.Series:
    """The electricity each Generation row delivered to the grid (sold): its net export, or
    its whole gross generation where the export is blank. GRI 302-1's energy sold, the
    avoided emissions and the generation-fuel checks all take it so."""
    return generation["net_export_mwh"].fillna(generation["gross_generation_mwh"])


class RefrigerantsSheet(ActivityRow):
    """Fugitive emissions of refrigerants and SF6 (Scope 1)."""


    gas: Text = column("Gas: HFC-134a, R-410A, SF6 ...", "气体", "气体名称：HFC-134a、R-410A、"
                       "SF6 等。")
    quantity_kg: NonNegative = column("Mass released or recharged.", "逸散量",
                                      "泄漏或补充的质量。", unit="kg")
    method: Choice[RefrigerantMethod] | None = column(
        "mass_balance or screening.", "核算方法", "质量平衡法或筛查法。", default=None)


class WaterSheet(ActivityRow):
    """Water withdrawal and discharge (GRI 303)."""


    flow: Choice[WaterFlow] = column("withdrawal or discharge.", "流向", "取水或排水。")
    source: Choice[WaterSource] = column(
        "Source of a withdrawal, or destination of a discharge.", "来源/去向",
        "取水来源或排水去向：地表水、地下水、海水、采出水或第三方。")
    quantity: NonNegative = column("Volume.", "水量", "水量。")
    unit: VolumeUnit = column("Volume unit (m3, ML, L ...).", "单位", "体积单位（m3、ML、L 等）。")
    treated: YesNo | None = column("Was the discharge treated? (discharge only)", "是否处理",
                                   "排水是否经过处理？（仅排水）", default=None)
    water_quality: Choice[WaterQuality] | None = column(
        "freshwater (at most 1,000 mg/L total dissolved solids) or other (GRI 303-3).", "水质",
        "淡水（溶解性总固体不超过1,000 mg/L）或其他水（GRI 303-3）。", default=None)
    data_quality: Choice[DataQuality] | None = column(
        "How the figure was obtained (addition to contract v1).", "数据质量",
        "数据来源：计量、发票或估算。", default=None)


class WasteSheet(ActivityRow):
    """Waste generated and where it went (GRI 306)."""


    waste_type: Text = column("Kind of waste.", "废物类型", "废物种类。")
    waste_type_zh: Text | None = column("Chinese name of the kind of waste.", "中文废物类型",
                                        "废物种类的中文名称。", default=None)
    hazardous: YesNo = column("Is it hazardous waste?", "是否危险废物", "是否属于危险废物？")
    quantity: NonNegative = column("Mass.", "数量", "质量。")
    unit: MassUnit = column("Mass unit (t, kg).", "单位", "质量单位（t、kg）。")
    disposal: Choice[DisposalRoute] = column(
        "Recovery or disposal operation.", "处置方式",
        "回收或处置方式：再利用、回收、堆肥、其他回收、焚烧（能量回收）、焚烧、填埋、其他处置。")
    location: Choice[WasteLocation] | None = column(
        "Where the recovery or disposal took place: onsite or offsite (GRI 306-4/5).", "处置地点",
        "回收或处置的地点：场内或场外（GRI 306-4/5）。", default=None)
    data_quality: Choice[DataQuality] | None = column(
        "How the figure was obtained (addition to contract v1).", "数据质量",
        "数据来源：计量、发票或估算。", default=None)


class PollutantsSheet(ActivityRow):
    """Air and water pollutants (GRI 305-7)."""


    pollutant: Text = column("SO2, NOx, PM, PM10, PM2.5, VOC, COD, NH3-N (others with a "
                             "warning).", "污染物", "SO2、NOx、PM、PM10、PM2.5、VOC、COD、NH3-N"
                             "（其他名称会给出警告）。")
    quantity_t: NonNegative = column("Mass emitted or discharged.", "排放量", "排放量。",
                                     unit="t")
    limit_exceedances: Count | None = column("Number of exceedances of the permit limit.",
                                             "超标次数", "超过许可限值的次数。", default=None)
    standard: Text | None = column("Emission standard applied.", "执行标准", "执行的排放标准。",
                                   default=None)
    standard_zh: Text | None = column("Chinese name of the emission standard.",
                                      "中文执行标准", "排放标准的中文名称。", default=None)


class IncidentsSheet(SheetRow):
    """Environmental incidents, complaints and penalties (GRI 2-27)."""


    project_id: Text = column("Project code.", "项目编号", "项目编号。")
    incident_id: Text | None = column("The entity's own id of the incident (unique on the "
                                      "sheet).", "事件编号", "本主体对该事件的编号（本表内唯一）。",
                                      default=None)
    related_incident_id: Text | None = column(
        "On a penalty or follow-up row: the incident_id it belongs to. Such a row is not "
        "another incident.", "关联事件编号",
        "处罚或后续跟进行填写其所属事件的编号；此类行不计为另一起事件。", default=None)
    date: Day = column("Date of the incident.", "日期", "事件发生日期。")
    type: Choice[IncidentType] = column(
        "spill, exceedance, complaint, penalty, biodiversity or other.", "类型",
        "泄漏、超标、投诉、处罚、生物多样性或其他。")
    severity: Choice[IncidentSeverity] = column("minor, moderate or major.", "严重程度",
                                         "轻微、中等或重大。")
    description: LongText | None = column("What happened.", "描述", "事件经过。", default=None)
    description_zh: LongText | None = column("What happened, in Chinese.", "中文描述",
                                             "事件经过（中文）。", default=None)
    fine_amount: NonNegative | None = column("Fine paid or imposed.", "罚款金额", "罚款金额。",
                                             default=None)
    currency: Currency | None = column("Currency of the fine; blank means the reporting "
                                       "currency.", "币种", "罚款币种；留空为报告币种。",
                                       default=None)
    status: Choice[IncidentStatus] | None = column("open or closed.", "状态", "未结或已结。",
                                                     default=None)
    corrective_action: LongText | None = column("Corrective action taken.", "整改措施",
                                                "采取的整改措施。", default=None)
    corrective_action_zh: LongText | None = column("Corrective action taken, in Chinese.",
                                                   "中文整改措施", "采取的整改措施（中文）。",
                                                   default=None)

    rule_period_outside: ClassVar[RowRule] = _period_outside("date", "date", "end")


class MitigationSheet(SheetRow):
    """Actions that reduce emissions."""


    project_id: Text = column("Project code.", "项目编号", "项目编号。")
    action: Text = column("What was done.", "措施", "采取的措施。")
    action_zh: Text | None = column("What was done, in Chinese.", "中文措施",
                                    "采取的措施（中文）。", default=None)
    category: Choice[MitigationCategory] = column("Kind of action.", "类别", "措施类别。")
    status: Choice[MitigationStatus] = column("planned, in_progress or completed.", "状态",
                                                "计划中、实施中或已完成。")
    annual_reduction_tco2e: NonNegative | None = column(
        "Estimated annual reduction.", "年减排量", "预计年减排量。", default=None,
        unit="tCO2e")
    investment: NonNegative | None = column("Investment.", "投资额", "投资金额。", default=None)
    currency: Currency | None = column("Currency of the investment; blank means the reporting "
                                       "currency.", "币种", "投资币种；留空为报告币种。",
                                       default=None)
    completion_date: Day | None = column("Completion date.", "完成日期", "完成日期。",
                                         default=None)


class GreenFinanceSheet(SheetRow):
    """Green bonds, loans and funds."""


    instrument: Choice[GreenInstrument] = column("Kind of instrument.", "工具类型",
                                                  "绿色金融工具类型。")
    amount: NonNegative = column("Amount raised.", "金额", "融资金额。")
    currency: Currency = column("Currency of the amount.", "币种", "金额币种。")
    issue_date: Day | None = column("Issue date.", "发行日期", "发行日期。", default=None)
    maturity_date: Day | None = column("Maturity date.", "到期日期", "到期日期。", default=None)
    use_of_proceeds: LongText | None = column("Use of proceeds.", "资金用途", "募集资金用途。",
                                              default=None)
    use_of_proceeds_zh: LongText | None = column("Use of proceeds, in Chinese.",
                                                 "中文资金用途", "募集资金用途（中文）。",
                                                 default=None)
    project_ids: IdList | None = column("Projects financed, comma-separated.", "项目编号",
                                        "资助的项目编号，以逗号分隔。", default=None)
    standard: Text | None = column("Standard followed (e.g. ICMA GBP).", "遵循标准",
                                   "遵循的标准（如 ICMA 绿色债券原则）。", default=None)
    standard_zh: Text | None = column("Chinese name of the standard followed.",
                                      "中文遵循标准", "所遵循标准的中文名称。", default=None)

    rule_dates: ClassVar[RowRule] = RowRule(
        "maturity-before-issue", "maturity_date",
        broken=lambda f, c: f["maturity_date"] < f["issue_date"],
        params=lambda r, c: {"issue_date": r["issue_date"].isoformat()})


class FactorsSheet(SheetRow):
    """Overrides of the built-in factor library for this submission."""


    factor_type: Choice[FactorType] = column(
        "fuel, ncv, density, grid or refrigerant.", "因子类型",
        "因子类型：燃料排放因子、低位发热量、密度、电网或制冷剂 GWP。")
    key: Text = column("Fuel id, country code or gas.", "键", "燃料编号、国家代码或气体名称。")
    gas: Choice[FactorGas] | None = column("CO2, CH4 or N2O for fuel; CO2e for grid.", "气体",
                                             "燃料因子填 CO2、CH4 或 N2O；电网因子填 CO2e。",
                                             default=None)
    value: NonNegative = column("The factor's value.", "数值", "因子数值。")
    unit: Text = column("kg/TJ (fuel); TJ/Gg, MJ/kg or MJ/Nm3 (ncv); kg/L or kg/Nm3 (density); "
                        "kg/kWh (grid); 1 (refrigerant).", "单位",
                        "kg/TJ（燃料）；TJ/Gg、MJ/kg 或 MJ/Nm3（热值）；kg/L 或 kg/Nm3（密度）；"
                        "kg/kWh（电网）；1（制冷剂）。")
    year: Year | None = column("Year the factor applies to.", "年份", "因子适用年份。",
                               default=None)
    source: Text = column("Where the value comes from.", "来源", "数值来源。")
    source_zh: Text | None = column("Where the value comes from, in Chinese.", "中文来源",
                                    "数值来源（中文）。", default=None)


class TargetsSheet(SheetRow):
    """Reduction targets."""


    metric: Text = column("scope1_tco2e, scope2_market_tco2e, scope1_2_tco2e, "
                          "water_withdrawal_m3 ...", "指标", "目标指标，如 scope1_2_tco2e。")
    base_year: Year = column("Base year.", "基准年", "基准年。")
    base_value: NonNegative = column("Value in the base year.", "基准值", "基准年数值。")
    target_year: Year = column("Target year.", "目标年", "目标年。")
    target_reduction_pct: Percent = column("Reduction from the base value.", "目标降幅",
                                           "相对基准值的降幅。", unit="%")

    rule_years: ClassVar[RowRule] = RowRule(
        "target-year-not-after-base", "target_year",
        broken=lambda f, c: f["target_year"] <= f["base_year"],
        params=lambda r, c: {"base_year": r["base_year"]})


class SubsidiariesSheet(SheetRow):
    """In a parent's workbook: the subsidiaries expected to submit."""


    entity_id: Text = column("Subsidiary's entity_id.", "主体编号", "子公司的主体编号。")
    entity_name: Text | None = column("Subsidiary's name.", "主体名称", "子公司名称。",
                                      default=None)
    entity_name_zh: Text | None = column("Subsidiary's Chinese name.", "主体中文名称",
                                         "子公司的中文名称。", default=None)
    ownership_pct: Percent = column("The parent's share, 0–100.", "持股比例",
                                    "母公司持股比例（0–100）。", unit="%")
    operational_control: YesNo | None = column("Does the parent have operational control?",
                                               "运营控制", "母公司是否拥有运营控制权？",
                                               default=None)
    financial_control: YesNo | None = column("Does the parent have financial control?",
                                             "财务控制", "母公司是否拥有财务控制权？",
                                             default=None)

    rule_control_financial: ClassVar[RowRule] = _control("financial_control")
    rule_control_operational: ClassVar[RowRule] = _control("operational_control")


class FxRatesSheet(SheetRow):
    """Exchange rates into the reporting currency."""


    currency: Currency = column("ISO 4217 code.", "币种", "ISO 4217 币种代码。")
    rate_to_reporting_currency: Positive = column(
        "Units of the reporting currency per one unit of currency.", "折算汇率",
        "1单位该币种折合的报告币种金额。")
    source: Text = column("Where the rate comes from.", "来源", "汇率来源。")
    source_zh: Text | None = column("Where the rate comes from, in Chinese.", "中文来源",
                                    "汇率来源（中文）。", default=None)


class NarrativeSheet(SheetRow):
    """The enterprise's own words, shown in the report section of their topic."""


    topic: Choice[NarrativeTopic] = column(
        "governance, strategy, risk_management, targets, consolidation, base_year_policy, "
        "coal_policy, biodiversity, water, assurance or other.", "主题",
        "治理、战略、风险管理、目标、合并范围、基准年政策、煤电政策、生物多样性、水资源、鉴证或其他。")
    text: LongText = column("The text, shown in that topic's section in row order.", "内容",
                            "文字内容，按行序显示在该主题的章节中。")
    text_zh: LongText | None = column("The text in Chinese.", "中文内容", "文字内容（中文）。",
                                      default=None)
