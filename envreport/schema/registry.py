"""The sheets of the workbook, in template order, with what each one is for.

:data:`SHEETS` is the single list that the template writer, the reader, the validator and
the JSON Schema export walk. Header and sheet-name matching rules (docs/workbook.md,
"General rules") live here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Final

from pydantic.fields import FieldInfo

from envreport.schema import sheets as s
from envreport.schema.base import SheetRow
from envreport.schema.kinds import enum_values, field_kind
from envreport.schema.types import is_unit_column


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of the contract."""

    name: str
    model: type[SheetRow]
    title: str
    title_zh: str
    instructions: str
    instructions_zh: str
    required: bool = False
    key_value: bool = False  # the Organization sheet: rows of field / value
    activity: bool = False  # has project_id + period_start/period_end

    def tab(self, lang: str) -> str:
        """The sheet's tab name in the template of ``lang``: the canonical name in English,
        ``title_zh`` (``燃料燃烧``) in Chinese. The reader accepts both in either language."""
        return self.title_zh if lang == "zh" else self.name

    @cached_property
    def fields(self) -> dict[str, FieldInfo]:
        """The model's fields in contract order."""
        return dict(self.model.model_fields)

    @cached_property
    def required_fields(self) -> tuple[str, ...]:
        return tuple(name for name, info in self.fields.items() if info.is_required())

    def extra(self, field: str) -> dict[str, Any]:
        """The template metadata of a field (``label_zh``, ``help_zh``, ``unit``)."""
        extra = self.fields[field].json_schema_extra
        return dict(extra) if isinstance(extra, dict) else {}

    def label(self, field: str, lang: str) -> str:
        """The header text the template writes for ``field`` in ``lang``."""
        meta = self.extra(field)
        if lang == "zh":
            base = meta["label_zh"]
        else:
            base = field
        return f"{base} ({meta['unit']})" if meta.get("unit") else base

    @cached_property
    def kinds(self) -> dict[str, str]:
        """Field → ``date``, ``bool``, ``number``, ``integer``, ``list``, ``enum`` or ``text``."""
        return {name: field_kind(info.annotation) for name, info in self.fields.items()}

    @cached_property
    def row_unit_fields(self) -> tuple[str, ...]:
        """The number fields read in the unit of their row's ``unit`` column (``quantity``,
        ``instrument_quantity``): those without a unit of their own, on a sheet whose
        ``unit`` column holds a unit of the vocabulary per row."""
        unit = self.fields.get("unit")
        if unit is None or not is_unit_column(unit):
            return ()
        return tuple(name for name, kind in self.kinds.items()
                     if kind == "number" and not self.extra(name).get("unit"))

    def allowed_values(self, field: str) -> tuple[str, ...]:
        """The canonical ids of an enumerated field (its drop-down list), else ``()``."""
        return enum_values(self.fields[field].annotation)

    @cached_property
    def field_keys(self) -> dict[str, str]:
        """Normalised field name → field name (the canonical names of :attr:`header_aliases`)."""
        return {normalise_header(name): name for name in self.fields}

    @cached_property
    def header_aliases(self) -> dict[str, str]:
        """Normalised header text → field name, from canonical names and Chinese labels."""
        aliases: dict[str, str] = {}
        for name in self.fields:
            aliases[normalise_header(name)] = name
            label_zh = self.extra(name).get("label_zh")
            if label_zh:
                aliases.setdefault(normalise_header(label_zh), name)
        return aliases


_BRACKETED_UNIT = re.compile(r"[\(\[（【][^\)\]）】]*[\)\]）】]\s*$")
_IGNORED = re.compile(r"[\s_]+")


def normalise_header(text: Any) -> str:
    """Header matching key: case-insensitive, without spaces, ``_`` and a trailing (unit)."""
    cleaned = _BRACKETED_UNIT.sub("", str(text).strip())
    return _IGNORED.sub("", cleaned).lower()


def normalise_sheet_name(text: str) -> str:
    """Sheet names match case-insensitively, ignoring surrounding spaces."""
    return text.strip().lower()


#: The tabs envreport itself writes into a workbook beside the contract's sheets, in each
#: language it writes them: the template's instructions and its hidden drop-down lists, and
#: an annotated copy's listing of its findings. Validation skips them (a filled-in template,
#: an annotated copy uploaded again), and the copy leaves an earlier listing out.
INSTRUCTIONS_TABS: Final = {"en": "Instructions", "zh": "说明"}
LISTS_TAB: Final = "Lists"
FINDINGS_TABS: Final = {"en": "Findings", "zh": "检查结果"}


class Sheet:
    """The name of every sheet of the contract: code that reads a sheet by name uses these."""

    ORGANIZATION: Final = "Organization"
    PROJECTS: Final = "Projects"
    FUEL: Final = "Fuel"
    ELECTRICITY: Final = "Electricity"
    GENERATION: Final = "Generation"
    REFRIGERANTS: Final = "Refrigerants"
    WATER: Final = "Water"
    WASTE: Final = "Waste"
    POLLUTANTS: Final = "Pollutants"
    INCIDENTS: Final = "Incidents"
    MITIGATION: Final = "Mitigation"
    GREEN_FINANCE: Final = "GreenFinance"
    FACTORS: Final = "Factors"
    TARGETS: Final = "Targets"
    SUBSIDIARIES: Final = "Subsidiaries"
    FX_RATES: Final = "FxRates"
    NARRATIVE: Final = "Narrative"


_ACTIVITY_HELP = ("One row per project and period. Leave period_start and period_end blank for "
                  "the whole reporting period.")
_ACTIVITY_HELP_ZH = "每个项目、每个期间一行。期间留空表示整个报告期。"

SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec(Sheet.ORGANIZATION, s.OrganizationSheet, "Organisation", "机构信息",
              "One row per field: the field name in column A, its value in column B.",
              "每个字段一行：A 列为字段名，B 列为取值。", required=True, key_value=True),
    SheetSpec(Sheet.PROJECTS, s.ProjectsSheet, "Projects", "项目",
              "One row per project or site. project_id must be unique; every other sheet "
              "refers to it.",
              "每个项目或场地一行。项目编号必须唯一，其他各表均以此引用项目。", required=True),
    SheetSpec(Sheet.FUEL, s.FuelSheet, "Fuel combustion", "燃料燃烧",
              "Fuel burnt in boilers, generators, vehicles and machinery (Scope 1). "
              + _ACTIVITY_HELP,
              "锅炉、发电机、车辆和机械燃烧的燃料（范围一）。" + _ACTIVITY_HELP_ZH,
              activity=True),
    SheetSpec(Sheet.ELECTRICITY, s.ElectricitySheet, "Purchased energy", "外购能源",
              "Electricity, heat, steam and cooling bought (Scope 2). " + _ACTIVITY_HELP,
              "外购的电力、热力、蒸汽和冷量（范围二）。" + _ACTIVITY_HELP_ZH, activity=True),
    SheetSpec(Sheet.GENERATION, s.GenerationSheet, "Generation", "发电量",
              "Electricity generated by the projects. " + _ACTIVITY_HELP,
              "项目的发电量。" + _ACTIVITY_HELP_ZH, activity=True),
    SheetSpec(Sheet.REFRIGERANTS, s.RefrigerantsSheet, "Refrigerants and SF6", "制冷剂与 SF6",
              "Refrigerant and SF6 released or recharged (Scope 1 fugitive). " + _ACTIVITY_HELP,
              "泄漏或补充的制冷剂与 SF6（范围一逸散排放）。" + _ACTIVITY_HELP_ZH, activity=True),
    SheetSpec(Sheet.WATER, s.WaterSheet, "Water", "水资源",
              "Water withdrawn by source and discharged by destination. " + _ACTIVITY_HELP,
              "按来源的取水量和按去向的排水量。" + _ACTIVITY_HELP_ZH, activity=True),
    SheetSpec(Sheet.WASTE, s.WasteSheet, "Waste", "废弃物",
              "Waste generated, hazardous or not, by recovery or disposal route. "
              + _ACTIVITY_HELP,
              "按回收或处置方式填报的废弃物（区分是否危险废物）。" + _ACTIVITY_HELP_ZH,
              activity=True),
    SheetSpec(Sheet.POLLUTANTS, s.PollutantsSheet, "Pollutants", "污染物",
              "Air and water pollutants emitted, in tonnes. " + _ACTIVITY_HELP,
              "大气和水污染物排放量（吨）。" + _ACTIVITY_HELP_ZH, activity=True),
    SheetSpec(Sheet.INCIDENTS, s.IncidentsSheet, "Incidents", "环境事件",
              "Environmental incidents, complaints and penalties in the reporting period.",
              "报告期内的环境事件、投诉和处罚。"),
    SheetSpec(Sheet.MITIGATION, s.MitigationSheet, "Mitigation actions", "减排措施",
              "Actions that reduce emissions, with their estimated annual reduction.",
              "减少排放的措施及其预计年减排量。"),
    SheetSpec(Sheet.GREEN_FINANCE, s.GreenFinanceSheet, "Green finance", "绿色金融",
              "Green bonds, loans and funds raised.", "绿色债券、贷款和基金。"),
    SheetSpec(Sheet.FACTORS, s.FactorsSheet, "Factor overrides", "因子覆盖",
              "Optional: replace a built-in factor for this workbook, with its source.",
              "可选：以注明来源的因子替换内置因子，仅适用于本工作簿。"),
    SheetSpec(Sheet.TARGETS, s.TargetsSheet, "Targets", "目标",
              "Optional: reduction targets against a base year.", "可选：相对基准年的减排目标。"),
    SheetSpec(Sheet.SUBSIDIARIES, s.SubsidiariesSheet, "Subsidiaries", "子公司",
              "Parent only: the subsidiaries that submit their own workbooks.",
              "仅母公司填写：单独报送工作簿的子公司。"),
    SheetSpec(Sheet.FX_RATES, s.FxRatesSheet, "Exchange rates", "汇率",
              "Optional: rates that bring other currencies into the reporting currency.",
              "可选：将其他币种折算为报告币种的汇率。"),
    SheetSpec(Sheet.NARRATIVE, s.NarrativeSheet, "Narrative", "叙述",
              "Optional: your own words on governance, strategy, risk management, targets, "
              "consolidation, base-year policy, coal policy, biodiversity, water and assurance. "
              "One or more rows per topic, shown in that topic's section in row order; text_zh "
              "is the Chinese text.",
              "可选：贵单位就治理、战略、风险管理、目标、合并范围、基准年政策、煤电政策、生物多样性、"
              "水资源和鉴证的表述。每个主题可填一行或多行，按行序显示在报告相应章节；"
              "“中文内容”为中文文本。"),
)

SHEETS_BY_NAME: dict[str, SheetSpec] = {spec.name: spec for spec in SHEETS}
# Sheets whose rows belong to one project (a project_id column referring to Projects).
PROJECT_SHEETS: tuple[str, ...] = tuple(
    spec.name for spec in SHEETS if spec.name != Sheet.PROJECTS and "project_id" in spec.fields)
# Sheet name as read (normalised) → its spec: the canonical name and the Chinese tab name.
SHEETS_BY_KEY: dict[str, SheetSpec] = {
    normalise_sheet_name(name): spec for spec in SHEETS for name in (spec.name, spec.title_zh)}


_TEMPLATE_POSITIONS = {spec.name: number for number, spec in enumerate(SHEETS)}


def template_position(sheet: str) -> int:
    """A contract sheet's place among the template's tabs; any other sheet after them all.
    The one order sheets are listed in (findings, rows read per sheet)."""
    return _TEMPLATE_POSITIONS.get(sheet, len(SHEETS))


def sheet_spec(name: str) -> SheetSpec | None:
    """The contract sheet a workbook's sheet ``name`` is (canonical or Chinese tab name)."""
    return SHEETS_BY_KEY.get(normalise_sheet_name(name))


def sheet_heading(sheet: str, lang: str) -> str:
    """A group of findings headed by its sheet: in Chinese a contract sheet by the Chinese
    template's tab, as the messages name it, and its canonical name, as the JSON and the
    cell references do ("项目（Projects）"); any other tab as written. The CLI's validate
    and the portal's submission page head their groups with it."""
    spec = SHEETS_BY_NAME.get(sheet)
    return f"{spec.tab(lang)}（{sheet}）" if lang == "zh" and spec is not None else sheet
