"""Write the sample submission workbooks under ``sample_inputs/``.

Run: ``.venv/bin/python scripts/make_samples.py [OUT_DIR]`` (default: the repository's
``sample_inputs/``).

Writes
- ``group/parent.xlsx``, ``group/sre.xlsx``, ``group/sri.xlsx``: a fictional Belt-and-Road group
  (China Silk Road Infrastructure Group and its two subsidiaries), reporting year 2024, CNY,
  equity share, AR6. Every sheet of the input contract (docs/workbook.md) is used.
- ``faulty/faulty_submission.xlsx``: one plausible workbook with deliberate faults at known
  cells (``FAULTS`` below), and ``faulty/README.md``, the fault table generated from ``FAULTS``.

The output is deterministic: every random figure comes from a ``random.Random`` seeded per
workbook, the workbook properties carry a fixed timestamp, and the zip members are rewritten
with a fixed date, so a re-run gives byte-identical files. All names, figures, invoice numbers
and exchange rates are illustrative sample data, not facts about real companies.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import random
import re
import sys
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from envreport.schema.sheets import TRANSLATED_TEXT

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "sample_inputs"

YEAR = 2024
PERIOD_START = dt.date(YEAR, 1, 1)
PERIOD_END = dt.date(YEAR, 12, 31)
FIXED_TIME = dt.datetime(2025, 3, 31, 9, 0, 0)
# SRE's Scope 1 + 2 (location-based) of its base year 2021 as its 2021 workbook computes it
# (history/sre_2021.xlsx); every SRE workbook's Targets row states it, and build warns
# (target-base-value-differs) when a base year's workbook states another figure.
SRE_BASE_YEAR_TCO2E = 1_795_706
_ZIP_TIME = (2025, 3, 31, 9, 0, 0)

# The canonical header of every table sheet, in the order the samples write it (contract
# version 1, then the version 2 additions at the end of each header, so that the cells of the
# faulty workbook's faults stay where they were).
COLUMNS: dict[str, list[str]] = {
    "Projects": [
        "project_id", "project_name", "project_name_zh", "host_country", "sector",
        "project_type", "status", "ownership_pct", "operational_control", "financial_control",
        "installed_capacity_mw", "construction_start", "operation_start", "eia_status",
        "eia_approval_date", "eia_authority", "environmental_standard",
        "protected_area_distance_km", "water_stressed", "latitude", "longitude",
        # version 2 additions
        "eia_authority_zh", "protected_area_name", "protected_area_name_zh", "acquired_date",
    ],
    "Fuel": [
        "project_id", "period_start", "period_end", "fuel", "quantity", "unit", "use",
        "data_quality", "source_ref",
    ],
    "Electricity": [
        "project_id", "period_start", "period_end", "energy_type", "quantity", "unit",
        "grid_country", "supplier", "instrument", "instrument_quantity",
        "instrument_factor_kg_per_kwh", "supplier_factor_kg_per_kwh", "source_ref",
    ],
    "Generation": [
        "project_id", "period_start", "period_end", "technology", "gross_generation_mwh",
        "net_export_mwh",
    ],
    "Refrigerants": ["project_id", "period_start", "period_end", "gas", "quantity_kg", "method"],
    "Water": [
        "project_id", "period_start", "period_end", "flow", "source", "quantity", "unit",
        "treated", "water_quality",
    ],
    "Waste": [
        "project_id", "period_start", "period_end", "waste_type", "hazardous", "quantity",
        "unit", "disposal", "waste_type_zh", "location",
    ],
    "Pollutants": [
        "project_id", "period_start", "period_end", "pollutant", "quantity_t",
        "limit_exceedances", "standard", "standard_zh",
    ],
    "Incidents": [
        "project_id", "date", "type", "severity", "description", "fine_amount", "currency",
        "status", "corrective_action", "incident_id", "related_incident_id", "description_zh",
        "corrective_action_zh",
    ],
    "Mitigation": [
        "project_id", "action", "category", "status", "annual_reduction_tco2e", "investment",
        "currency", "completion_date", "action_zh",
    ],
    "GreenFinance": [
        "instrument", "amount", "currency", "issue_date", "maturity_date", "use_of_proceeds",
        "project_ids", "standard", "use_of_proceeds_zh", "standard_zh",
    ],
    "Factors": ["factor_type", "key", "gas", "value", "unit", "year", "source", "source_zh"],
    "Targets": ["metric", "base_year", "base_value", "target_year", "target_reduction_pct"],
    "Subsidiaries": [
        "entity_id", "entity_name", "ownership_pct", "operational_control", "financial_control",
        "entity_name_zh",
    ],
    "FxRates": ["currency", "rate_to_reporting_currency", "source", "source_zh"],
    "Narrative": ["topic", "text", "text_zh"],
}
SHEET_ORDER = ["Organization", *COLUMNS]

Row = dict[str, Any]


# --- helpers -------------------------------------------------------------------------------
def months(year: int = YEAR) -> list[tuple[dt.date, dt.date]]:
    """The twelve calendar months of ``year`` as (first day, last day)."""
    return [
        (dt.date(year, m, 1), dt.date(year, m, calendar.monthrange(year, m)[1]))
        for m in range(1, 13)
    ]


def quarters(year: int = YEAR) -> list[tuple[dt.date, dt.date]]:
    """The four quarters of ``year``."""
    return [
        (dt.date(year, q * 3 - 2, 1),
         dt.date(year, q * 3, calendar.monthrange(year, q * 3)[1]))
        for q in range(1, 5)
    ]


def hours(start: dt.date, end: dt.date) -> int:
    """Hours in the inclusive date range."""
    return ((end - start).days + 1) * 24


def monthly(project_id: str, rng: random.Random, base: float, spread: float,
            decimals: int = 0, **fields: Any) -> list[Row]:
    """Twelve monthly rows of ``base`` ± ``spread`` (relative)."""
    rows = []
    for start, end in months():
        qty = round(base * rng.uniform(1 - spread, 1 + spread), decimals)
        rows.append({"project_id": project_id, "period_start": start, "period_end": end,
                     **fields, "quantity": int(qty) if decimals == 0 else qty})
    return rows


def with_refs(rows: list[Row], prefix: str, rng: random.Random) -> list[Row]:
    """Give every row an invoice-like ``source_ref`` (prefix-YYYY-MM-nnnnn)."""
    for row in rows:
        start = row.get("period_start") or PERIOD_START
        row["source_ref"] = f"{prefix}-{start:%Y-%m}-{rng.randint(10000, 99999)}"
    return rows


# --- the enterprises' own words (Narrative sheet), each with its Chinese text -----------------
Narrative = list[tuple[str, str, str]]  # (topic, English text, Chinese text)

PARENT_NARRATIVE: Narrative = [
    ("governance",
     "The Board's Strategy and ESG Committee oversees climate-related risks and "
     "opportunities and reviews this report before publication. The Group Vice President for "
     "Safety and Environment is accountable for the targets; the subsidiaries' managing "
     "directors report their environmental performance to the committee every quarter.",
     "董事会战略与ESG委员会监督气候相关风险与机遇，并在本报告发布前进行审阅。集团分管安全与环境的"
     "副总裁对各项目标负责；各子公司总经理每季度向该委员会报告环境绩效。"),
    ("strategy",
     "The Group invests in renewable power, grids and low-carbon transport along the Belt "
     "and Road and does not start new coal power projects. Its largest transition risk is "
     "the one coal plant it co-owns; its largest physical risks are flooding of the "
     "Naivasha–Kisumu railway in Kenya, heat at the Ain Sokhna industrial park in Egypt "
     "and changing river flows at Nam Phak in Laos.",
     "集团在“一带一路”沿线投资可再生能源发电、电网和低碳交通，不再新建煤电项目。其最大的转型风险"
     "来自参股的一座燃煤电厂；最大的物理风险是肯尼亚内瓦沙—基苏木铁路的洪水、埃及苏赫纳产业园"
     "的高温以及老挝南帕克电站的河流径流变化。"),
    ("risk_management",
     "Climate and environmental risks are part of the Group's enterprise risk register. "
     "Each project assesses them at investment decision and every year after, and the "
     "register is reviewed by the Audit and Risk Committee.",
     "气候与环境风险已纳入集团的全面风险清单。各项目在投资决策时及此后每年评估这些风险，"
     "风险清单由审计与风险委员会审阅。"),
    ("targets",
     "The Scope 1 and 2 target is set on the location-based Scope 2 figure, for the "
     "projects inside the equity-share boundary, against the 2021 base year. The water "
     "target covers withdrawal at every site.",
     "范围一和范围二目标以基于位置的范围二排放为口径，覆盖股权比例边界内的项目，以2021年为基准年。"
     "取水目标覆盖所有场地的取水量。"),
    ("consolidation",
     "The Group reports on the equity-share approach because most of its overseas projects "
     "are joint ventures with host-country partners; each project counts in proportion to "
     "the Group's share. Projects at 0 % are listed but outside the boundary. Leased office "
     "space outside Beijing is excluded (below 0.1 % of emissions).",
     "由于大部分境外项目是与东道国合作方设立的合资企业，集团采用股权比例法报告，各项目按集团持股"
     "比例计入。持股为0%的项目仅列示，不纳入边界。北京以外的租赁办公场所未纳入（低于排放量的0.1%）。"),
    # True to the Projects sheets' operation_start (tests/test_samples_generation.py).
    ("base_year_policy",
     "2021 is the base year of the Group's targets. Of the projects the Group holds today, "
     "only the headquarters, the Cholistan solar plant and the Sulawesi coal plant operated "
     "throughout 2021; Nam Phak started "
     "operating in March 2021, the Galle Bay terminal in August and Karatau in December. "
     "Meghna, Ain Sokhna and the Naivasha–Kisumu railway started in 2022, the "
     "Syrdarya–Tashkent line in 2023, and the Šumadija expressway is still under "
     "construction. The base year counts each project for the months it operated; projects "
     "built since are organic growth, for which the base year is not recalculated.",
     "2021年为集团各项目标的基准年。在集团目前持有的项目中，2021年全年运营的只有集团总部、"
     "乔利斯坦光伏电站和苏拉威西燃煤电厂；南帕克水电站于2021年3月投运，加勒湾集装箱码头于同年8月投运，卡拉套风电场于同年"
     "12月投运。梅格纳燃气电站、苏赫纳产业园和内瓦沙—基苏木铁路于2022年投运，锡尔河—塔什干"
     "输变电工程于2023年投运，舒马迪亚高速公路仍在建设中。基准年按各项目实际运营的月份计入；"
     "此后建成的项目属于有机增长，基准年不因其重新计算。"),
    ("coal_policy",
     "In line with China's announcement of 21 September 2021, the Group does not build new "
     "coal-fired power projects abroad. The existing Sulawesi plant, in operation since "
     "2018, is run to its permit and prepared for biomass co-firing.",
     "根据中国2021年9月21日的宣布，集团不在境外新建煤电项目。苏拉威西现有电厂自2018年投运，"
     "依许可证运行，并正在筹备生物质掺烧。"),
    ("assurance",
     "Huaxin Assurance Partners gave limited assurance on the Scope 1 and 2 emissions, "
     "energy and water figures of this report under ISAE 3000 (Revised) and ISAE 3410.",
     "华信鉴证合伙企业依据ISAE 3000（修订版）和ISAE 3410，对本报告的范围一和范围二排放、能源"
     "及水资源数据提供了有限保证鉴证。"),
]

SRE_NARRATIVE: Narrative = [
    ("governance",
     "The Board of Silk Road Energy approves the climate strategy and the annual "
     "environmental plan. The HSE Director reports to the Chief Executive and chairs the "
     "monthly environmental performance review of every plant.",
     "丝路能源董事会审批气候战略和年度环境计划。健康安全环境总监向首席执行官汇报，并主持各电厂"
     "每月的环境绩效评审。"),
    ("strategy",
     "Silk Road Energy grows in solar, wind and hydropower and in grid connections, and "
     "runs its one coal plant and one gas plant as efficiently as they can be run. Solar, "
     "wind and hydropower made about a quarter of its gross generation in 2024: 26 % at "
     "its equity share, 24 % counting each plant in full.",
     "丝路能源在光伏、风电、水电和电网互联领域扩大规模，并尽可能高效地运行其唯一的燃煤电厂和"
     "燃气电厂。2024年，光伏、风电和水电约占其总发电量的四分之一：按股权比例计为26%，按各电厂"
     "全额计为24%。"),
    ("strategy",
     "Carbon pricing in host countries is the main transition risk for the Sulawesi and "
     "Meghna plants; changing river flows are the main physical risk for Nam Phak.",
     "东道国碳定价是苏拉威西和梅格纳电厂面临的主要转型风险；河流径流变化是南帕克电站面临的主要"
     "物理风险。"),
    ("risk_management",
     "Each plant keeps an environmental and climate risk register, reviewed every quarter "
     "by the HSE Director and every year by the Board's Risk Committee.",
     "各电厂均建立环境与气候风险清单，由健康安全环境总监每季度审阅，并由董事会风险委员会每年"
     "审阅。"),
    ("targets",
     "The target of a 15 % cut in Scope 1 and 2 emissions by 2030 is measured on "
     "location-based Scope 2, on the equity-share boundary, against 2021. Emissions have "
     "been above the base year since the combined-cycle gas plant in Bangladesh started "
     "operating in 2022.",
     "到2030年范围一和范围二排放降低15%的目标，以基于位置的范围二排放为口径、按股权比例边界、"
     "相对2021年计量。自孟加拉国联合循环燃气电厂于2022年投运以来，排放一直高于基准年。"),
    ("consolidation",
     "Silk Road Energy reports on the equity-share approach, as its parent does: the "
     "Sulawesi plant counts at 51 %, Karatau at 80 %, Nam Phak at 70 % and the other "
     "projects in full. No project is excluded.",
     "丝路能源与母公司一致采用股权比例法报告：苏拉威西电厂按51%计入，卡拉套按80%，南帕克按70%，"
     "其余项目全额计入。没有项目被排除。"),
    ("base_year_policy",
     "2021 is the first year for which every plant then in operation has fuel and "
     "electricity records for the whole time it ran; earlier years rest on estimates. Nam "
     "Phak started operating in March 2021 and Karatau in December 2021, so the base year "
     "holds them for those months only; Meghna (2022) and the Syrdarya–Tashkent line (2023) "
     "were built after it.",
     "2021年是所有当时在运电厂在其运行期间均有燃料和电力记录的第一年；此前各年依赖估算。"
     "南帕克电站于2021年3月投运，卡拉套风电场于2021年12月投运，基准年仅计入其投运后的月份；"
     "梅格纳电站（2022年）和锡尔河—塔什干输变电工程（2023年）在基准年之后建成。"),
    ("coal_policy",
     "Silk Road Energy starts no new coal power project. The Sulawesi plant was built "
     "before China's pledge of September 2021; it has flue-gas desulphurisation and an "
     "efficiency retrofit, and biomass co-firing is planned for 2026.",
     "丝路能源不再启动新的煤电项目。苏拉威西电厂建于中国2021年9月承诺之前，已配备烟气脱硫设施"
     "并完成能效改造，计划于2026年开始生物质掺烧。"),
    ("biodiversity",
     "Nam Phak lies 3.2 km from Nam Et-Phou Louey National Park. The station keeps a "
     "minimum environmental flow, limits the rate of turbine shutdowns to protect fish and "
     "funds the park's ranger patrols on the reservoir's northern shore.",
     "南帕克电站距南厄—普雷国家公园3.2公里。电站保持最小生态流量，限制机组停机速率以保护鱼类，"
     "并资助国家公园在水库北岸的巡护工作。"),
    ("water",
     "Almost all water withdrawn is seawater for once-through cooling at Sulawesi, "
     "returned to the sea within 0.5 % of the volume taken; no plant is in a water-stressed "
     "area.",
     "取水几乎全部为苏拉威西电厂直流冷却所用海水，排回海洋的水量与取水量相差不到0.5%；没有电厂"
     "位于水资源紧张地区。"),
    ("assurance",
     "Huaxin Assurance Partners gave limited assurance on the greenhouse gas statement "
     "under ISAE 3410.",
     "华信鉴证合伙企业依据ISAE 3410对温室气体声明提供了有限保证鉴证。"),
]

SRI_NARRATIVE: Narrative = [
    ("governance",
     "The Managing Director of Silk Road Infrastructure is responsible for environmental "
     "performance; each project's HSE manager reports to her every month.",
     "丝路基础设施总经理对环境绩效负责；各项目健康安全环境经理每月向其汇报。"),
    ("risk_management",
     "Flooding of the railway and heat at the Ain Sokhna park are assessed every year with "
     "the host-country authorities.",
     "公司每年与东道国主管部门共同评估铁路洪水风险和苏赫纳产业园高温风险。"),
    ("consolidation",
     "Equity-share approach, as the parent: the Galle terminal counts at 85 % and Ain "
     "Sokhna at 60 %.",
     "与母公司一致采用股权比例法：加勒码头按85%计入，苏赫纳产业园按60%计入。"),
    ("water",
     "Ain Sokhna is in a water-stressed area; the park reuses treated wastewater for "
     "irrigation and discharges the rest to the sea under permit.",
     "苏赫纳产业园位于水资源紧张地区；园区将处理后的废水回用于绿化灌溉，其余依许可排入海洋。"),
    ("assurance",
     "This report is a draft and has not been assured.",
     "本报告为草稿，尚未经过鉴证。"),
]


def narrative(rows: Narrative) -> list[Row]:
    """The Narrative sheet's rows from (topic, English, Chinese) triples."""
    return [{"topic": topic, "text": text, "text_zh": text_zh} for topic, text, text_zh in rows]


# Where each kind of waste is treated when it is not sent away (GRI 306-4/306-5).
_SRE_WASTE_ONSITE = {"bottom ash and slag": "onsite",
                     "driftwood and debris from intake trash racks": "onsite"}
_SRI_WASTE_ONSITE = {"excavated soil and rock": "onsite", "wastewater treatment sludge": "offsite"}


# English free text of the samples → its Chinese text (the ``X_zh`` columns).
ZH: dict[str, str] = {
    # Projects: EIA authorities and protected areas
    "Beijing Municipal Ecology and Environment Bureau": "北京市生态环境局",
    "Punjab Environmental Protection Agency": "旁遮普省环境保护局",
    "Ministry of Ecology and Natural Resources of Kazakhstan": "哈萨克斯坦生态和自然资源部",
    "Ministry of Natural Resources and Environment, Lao PDR": "老挝自然资源与环境部",
    "Ministry of Environment and Forestry (KLHK), Indonesia": "印度尼西亚环境与林业部",
    "Department of Environment, Bangladesh": "孟加拉国环境局",
    "Ministry of Ecology, Environmental Protection and Climate Change, Uzbekistan":
        "乌兹别克斯坦生态、环境保护和气候变化部",
    "National Environment Management Authority (NEMA), Kenya": "肯尼亚国家环境管理局",
    "Central Environmental Authority, Sri Lanka": "斯里兰卡中央环境局",
    "Egyptian Environmental Affairs Agency (EEAA)": "埃及环境事务署",
    "Ministry of Environmental Protection of the Republic of Serbia": "塞尔维亚共和国环境保护部",
    "Ethiopian Environmental Protection Authority": "埃塞俄比亚环境保护局",
    "Nam Et-Phou Louey National Park": "南厄—普雷国家公园",
    # Waste
    "office general waste": "办公生活垃圾",
    "paper and cardboard": "废纸和纸板",
    "kitchen food waste": "餐厨垃圾",
    "waste electrical and electronic equipment": "废弃电器电子产品",
    "spent toner cartridges and fluorescent tubes": "废硒鼓墨盒和废荧光灯管",
    "fly ash": "粉煤灰",
    "bottom ash and slag": "炉底渣",
    "FGD gypsum": "脱硫石膏",
    "waste lubricating and hydraulic oil": "废润滑油和废液压油",
    "waste lubricating oil": "废润滑油",
    "general plant waste": "厂区一般废物",
    "driftwood and debris from intake trash racks": "进水口拦污栅清出的浮木和杂物",
    "spent ion-exchange resin": "废离子交换树脂",
    "damaged PV modules": "损坏的光伏组件",
    "waste transformer oil": "废变压器油",
    "waste gearbox oil": "废齿轮箱油",
    "excavated soil and rock": "开挖土石方",
    "construction and demolition waste": "建筑垃圾",
    "wastewater treatment sludge": "污水处理污泥",
    "general industrial waste": "一般工业固体废物",
    "scrap metal": "废金属",
    "station and depot general waste": "车站和车辆段一般废物",
    "general terminal waste": "码头一般废物",
    "waste oil and oily rags": "废油和含油抹布",
    "waste bitumen and contaminated absorbents": "废沥青和受污染的吸附材料",
    # Pollutants: emission standards
    "Indonesia MoEF Regulation P.15/2019 (thermal power plant emission standards)":
        "印度尼西亚环境与林业部2019年第P.15号条例（火电厂排放标准）",
    "Bangladesh Environment Conservation Rules 2023, Schedule 2":
        "孟加拉国《2023年环境保护规则》附表2",
    "Egyptian Law 4/1994, executive regulations (Decree 1095/2011)":
        "埃及1994年第4号法律实施条例（2011年第1095号法令）",
    # Incidents
    "About 0.4 m3 of hydraulic oil leaked from a coal-yard stacker-reclaimer onto paved "
    "ground; contained with absorbents, no release to drains or sea.":
        "煤场斗轮堆取料机约0.4立方米液压油泄漏至硬化地面；已用吸附材料控制，未进入排水沟或海洋。",
    "Hose replaced; hydraulic hoses added to the monthly inspection list.":
        "已更换软管；液压软管已列入每月检查清单。",
    "Hourly SO2 above the permit limit on two days while an FGD absorber recirculation pump "
    "was out of service.":
        "一台脱硫吸收塔循环泵停运期间，有两天的小时二氧化硫浓度超过许可限值。",
    "Standby pump repaired; unit load limited automatically when an absorber pump trips.":
        "备用泵已修复；吸收塔循环泵跳闸时机组负荷自动受限。",
    "Administrative fine from the provincial environment agency for the August SO2 "
    "exceedance.": "省环境局因8月二氧化硫超标作出的行政罚款。",
    "Fine paid; root-cause report submitted to the agency.": "罚款已缴纳；原因分析报告已提交该局。",
    "Fish stranded in the tailrace channel after a rapid turbine shutdown.":
        "机组快速停机后，鱼类滞留在尾水渠中。",
    "Ramp-down rate limited; fish rescue procedure added.": "已限制减负荷速率；增加鱼类救护程序。",
    "Residents of a village next to the haul road complained about dust from trucks.":
        "运输道路旁村庄的居民投诉卡车扬尘。",
    "Water bowser on the haul road twice a day; speed limit 30 km/h near houses.":
        "运输道路每天洒水两次；民房附近限速每小时30公里。",
    "Noise from night-time freight trains reported by residents near a level crossing.":
        "平交道口附近居民反映夜间货运列车噪声。",
    "Horn-use protocol under review with the community.": "正在与社区共同审议鸣笛规程。",
    "Community meeting at the level crossing; noise measured at the nearest houses at "
    "night.": "在平交道口召开社区会议；夜间在最近的民房处测量噪声。",
    "Night-time horn use limited to the crossing's whistle board from December, pending "
    "the community's review.": "自12月起，夜间仅在道口鸣笛标处鸣笛，待社区审议。",
    "About 150 L of diesel spilled while refuelling a terminal tractor; contained on the "
    "quay, none reached the sea.":
        "为码头牵引车加油时约150升柴油溢出；已在码头面控制，未进入海洋。",
    "Drip trays and spill kits at every refuelling point.": "每个加油点配备接油盘和溢油应急包。",
    "Dust from the haul road reported by a roadside market.": "路边市场反映运输道路扬尘。",
    "Daily watering of the haul road.": "运输道路每日洒水。",
    "County fine for late renewal of the effluent discharge licence.":
        "因延迟续期排污许可证被县政府罚款。",
    "Licence renewed; renewal dates added to the permit register.":
        "许可证已续期；续期日期已列入许可证台账。",
    "Late-payment surcharge on the county fine.": "县政府罚款的滞纳金。",
    # Mitigation
    "Wet limestone-gypsum flue-gas desulphurisation (FGD) upgrade": "石灰石—石膏湿法烟气脱硫改造",
    "Turbine flow-path and boiler efficiency retrofit (heat rate -9 g/kWh)":
        "汽轮机通流及锅炉能效改造（供电煤耗降低9克/千瓦时）",
    "Biomass co-firing (5 % palm kernel shell by energy)": "生物质掺烧（按热量计5%棕榈仁壳）",
    "Inlet-air chilling and HRSG tuning": "进气冷却及余热锅炉优化调整",
    "Robotic waterless module cleaning": "机器人无水清洗光伏组件",
    "Automatic engine start-stop on locomotives (idle reduction)":
        "机车发动机自动启停（减少怠速）",
    "20 MWp rooftop solar on the park's standard factory buildings":
        "园区标准厂房20兆瓦屋顶光伏",
    "Electrification of rubber-tyred gantry cranes (E-RTG)": "轮胎式龙门起重机电动化改造",
    "Warm-mix asphalt for all wearing courses": "所有磨耗层采用温拌沥青",
    "Compensatory afforestation of 35 ha": "补偿性造林35公顷",
    # GreenFinance
    "Refinancing of the group's solar, wind and hydropower projects held through Silk Road "
    "Energy": "为集团通过丝路能源持有的光伏、风电和水电项目再融资",
    "China Green Bond Endorsed Projects Catalogue (2021 edition); ICMA Green Bond Principles":
        "《绿色债券支持项目目录（2021年版）》；国际资本市场协会《绿色债券原则》",
    "Refinancing of the construction of Nam Phak hydropower station": "南帕克水电站建设再融资",
    "LMA/APLMA Green Loan Principles": "贷款市场协会/亚太贷款市场协会《绿色贷款原则》",
    "Solar and wind power generation": "光伏和风力发电",
    "China Green Bond Principles (2022)": "《中国绿色债券原则》（2022年）",
    "Construction of Šumadija Expressway Section 2; margin linked to the site's diesel "
    "intensity": "舒马迪亚高速公路第二标段建设；贷款利差与工地柴油强度挂钩",
    "LMA Sustainability-Linked Loan Principles": "贷款市场协会《可持续发展挂钩贷款原则》",
    "Rooftop solar and wastewater treatment at Ain Sokhna": "苏赫纳屋顶光伏和污水处理",
    "Green Industry Guidance Catalogue (2019); LMA Green Loan Principles":
        "《绿色产业指导目录（2019年版）》；贷款市场协会《绿色贷款原则》",
    # Factors and FxRates sources
    "Sulawesi plant: weighted average as-received NCV of the 48 coal shipments of 2024, "
    "laboratory certificates SCI-MKS-2024-C-0001 to -0048 (ISO 1928)":
        "苏拉威西电厂：2024年48批到厂煤收到基低位发热量加权平均值，"
        "化验证书 SCI-MKS-2024-C-0001 至 -0048（ISO 1928）",
    "PBOC central parity, 2024 annual average": "中国人民银行人民币汇率中间价，2024年年平均",
    "Cross rate via USD (PBOC central parity and the central bank's USD rate, 2024 annual "
    "averages)": "经美元套算（中国人民银行中间价与该国央行美元汇率，2024年年平均）",
    # Subsidiaries
    "Silk Road Energy Co., Ltd.": "丝路能源有限公司",
    "Silk Road Infrastructure Co., Ltd.": "丝路基础设施有限公司",
}

# --- the parent: China Silk Road Infrastructure Group --------------------------------------
FX_SOURCE_PBOC = "PBOC central parity, 2024 annual average"
FX_SOURCE_CROSS = "Cross rate via USD (PBOC central parity and the central bank's USD rate, " \
    "2024 annual averages)"
FX_RATES: dict[str, tuple[float, str]] = {
    "USD": (7.1217, FX_SOURCE_PBOC),
    "EUR": (7.7011, FX_SOURCE_PBOC),
    "PKR": (0.02557, FX_SOURCE_CROSS),
    "IDR": (0.0004487, FX_SOURCE_CROSS),
    "KES": (0.05383, FX_SOURCE_CROSS),
    "LKR": (0.02370, FX_SOURCE_CROSS),
    "EGP": (0.1600, FX_SOURCE_CROSS),
    "BDT": (0.06190, FX_SOURCE_CROSS),
    "KZT": (0.01518, FX_SOURCE_CROSS),
    "UZS": (0.000563, FX_SOURCE_CROSS),
    "RSD": (0.06580, FX_SOURCE_CROSS),
    "LAK": (0.000339, FX_SOURCE_CROSS),
}


def fx_rows(currencies: Iterable[str]) -> list[Row]:
    return [{"currency": c, "rate_to_reporting_currency": FX_RATES[c][0],
             "source": FX_RATES[c][1]} for c in currencies]


#: The assurance provider of the group's samples in Chinese (its ``assurance_provider_zh``),
#: as the Narrative sheet's Chinese assurance statement names it.
HUAXIN_ZH = "华信鉴证合伙企业（示例）"


@dataclass(frozen=True)
class Statement:
    """How a report is published: status, date and assurance (version 2 Organization fields)."""

    status: str = "draft"
    publication_date: dt.date | None = None
    assurance_level: str = "none"
    assurance_provider: str | None = None
    assurance_standard: str | None = None
    recalculation_threshold_pct: float = 5
    assurance_provider_zh: str | None = None


def organization(entity_id: str, name: str, name_zh: str, parent: str | None,
                 revenue: int, employees: int, contact: str, email: str,
                 statement: Statement | None = None, contact_zh: str | None = None
                 ) -> list[tuple[str, Any]]:
    statement = statement or Statement()
    fields: list[tuple[str, Any]] = [
        ("entity_id", entity_id),
        ("organization_name", name),
        ("organization_name_zh", name_zh),
    ]
    if parent:
        fields.append(("parent_entity_id", parent))
    fields += [
        ("reporting_period_start", PERIOD_START),
        ("reporting_period_end", PERIOD_END),
        ("reporting_currency", "CNY"),
        ("consolidation_approach", "equity_share"),
        ("gwp_set", "AR6"),
        ("base_year", 2021),
        ("revenue", revenue),
        ("employees", employees),
        ("report_languages", "en,zh"),
        ("contact_name", contact),
        ("contact_name_zh", contact_zh),
        ("contact_email", email),
        ("report_status", statement.status),
        ("publication_date", statement.publication_date),
        ("assurance_level", statement.assurance_level),
        ("assurance_provider", statement.assurance_provider),
        ("assurance_provider_zh", statement.assurance_provider_zh),
        ("assurance_standard", statement.assurance_standard),
        ("recalculation_threshold_pct", statement.recalculation_threshold_pct),
    ]
    return [(field, value) for field, value in fields if value is not None]


def project(pid: str, name: str, name_zh: str, country: str, sector: str, ptype: str,
            status: str, ownership: float, capacity: float | None, construction: dt.date,
            operation: dt.date | None, eia_date: dt.date, authority: str, standard: str,
            protected_km: float, water_stressed: bool, lat: float, lon: float) -> Row:
    return {
        "project_id": pid, "project_name": name, "project_name_zh": name_zh,
        "host_country": country, "sector": sector, "project_type": ptype, "status": status,
        "ownership_pct": ownership, "operational_control": "yes", "financial_control": "yes",
        "installed_capacity_mw": capacity, "construction_start": construction,
        "operation_start": operation, "eia_status": "approved", "eia_approval_date": eia_date,
        "eia_authority": authority, "environmental_standard": standard,
        "protected_area_distance_km": protected_km,
        "water_stressed": "yes" if water_stressed else "no", "latitude": lat, "longitude": lon,
    }


def parent_workbook() -> tuple[list[tuple[str, Any]], dict[str, list[Row]]]:
    rng = random.Random("envreport-sample-CSIG-2024")
    org = organization("CSIG", "China Silk Road Infrastructure Group Co., Ltd.",
                       "中国丝路基建集团有限公司", None, 86_400_000_000, 18_650,
                       "Wang Li", "esg@csig.example.com",
                       Statement("final", dt.date(2025, 4, 28), "limited",
                                 "Huaxin Assurance Partners (illustrative)",
                                 "ISAE 3000 (Revised); ISAE 3410",
                                 assurance_provider_zh=HUAXIN_ZH),
                       contact_zh="王丽")
    hq = "CSIG-HQ-BJ"
    projects = [project(
        hq, "CSIG Headquarters Office and Vehicle Fleet, Beijing", "集团北京总部办公楼及公务车队",
        "CHN", "other", "other", "operation", 100, None, dt.date(2012, 3, 1),
        dt.date(2014, 10, 1), dt.date(2011, 11, 18),
        "Beijing Municipal Ecology and Environment Bureau", "china", 28.0, True, 39.9087,
        116.4526)]

    fuel = with_refs(monthly(hq, rng, 2350, 0.12, fuel="gasoline", unit="L", use="mobile",
                             data_quality="invoice"), "SINOPEC-FC", rng)
    lpg = with_refs(monthly(hq, rng, 920, 0.10, fuel="lpg", unit="kg", use="stationary",
                            data_quality="invoice"), "BJGAS-LPG", rng)
    for row in lpg[-2:]:  # December deliveries not yet invoiced when the books closed
        row["data_quality"] = "estimated"
    genset = [{"project_id": hq, "period_start": s, "period_end": e, "fuel": "diesel",
               "quantity": rng.randint(260, 340), "unit": "L", "use": "stationary",
               "data_quality": "metered"} for s, e in quarters()]
    fuel += lpg + with_refs(genset, "HQ-GENSET-LOG", rng)

    electricity = []
    for i, (start, end) in enumerate(months()):
        summer = 1.25 if start.month in (6, 7, 8) else 1.0
        electricity.append({
            "project_id": hq, "period_start": start, "period_end": end,
            "energy_type": "electricity",
            "quantity": int(410_000 * summer * rng.uniform(0.94, 1.06)), "unit": "kWh",
            "grid_country": "CN" if i % 3 == 0 else None,
            "supplier": "State Grid Beijing Electric Power Company", "instrument": "none"})
    with_refs(electricity, "SGCC-BJ", rng)

    water = []
    for start, end in months():
        w = int(4800 * rng.uniform(0.9, 1.12))
        water.append({"project_id": hq, "period_start": start, "period_end": end,
                      "flow": "withdrawal", "source": "third_party", "quantity": w,
                      "unit": "m3", "water_quality": "freshwater"})
        water.append({"project_id": hq, "period_start": start, "period_end": end,
                      "flow": "discharge", "source": "third_party",
                      "quantity": int(w * 0.82), "unit": "m3", "treated": "no",
                      "water_quality": "freshwater"})

    waste = []
    for start, end in quarters():
        waste += [
            {"project_id": hq, "period_start": start, "period_end": end,
             "waste_type": "office general waste", "hazardous": "no",
             "quantity": round(rng.uniform(21, 27), 1), "unit": "t", "disposal": "landfill"},
            {"project_id": hq, "period_start": start, "period_end": end,
             "waste_type": "paper and cardboard", "hazardous": "no",
             "quantity": round(rng.uniform(7.5, 10.5), 1), "unit": "t",
             "disposal": "recycling"},
            {"project_id": hq, "period_start": start, "period_end": end,
             "waste_type": "kitchen food waste", "hazardous": "no",
             "quantity": round(rng.uniform(11, 14), 1), "unit": "t",
             "disposal": "composting"},
        ]
    waste.append({"project_id": hq, "period_start": PERIOD_START, "period_end": PERIOD_END,
                  "waste_type": "waste electrical and electronic equipment", "hazardous": "yes",
                  "quantity": 1380, "unit": "kg", "disposal": "recycling"})
    waste.append({"project_id": hq, "period_start": PERIOD_START, "period_end": PERIOD_END,
                  "waste_type": "spent toner cartridges and fluorescent tubes",
                  "hazardous": "yes", "quantity": 215, "unit": "kg",
                  "disposal": "other_disposal"})

    sheets: dict[str, list[Row]] = {
        "Projects": projects,
        "Fuel": fuel,
        "Electricity": electricity,
        "Refrigerants": [{"project_id": hq, "period_start": PERIOD_START,
                          "period_end": PERIOD_END, "gas": "R-410A", "quantity_kg": 8.4,
                          "method": "screening"}],
        "Water": water,
        "Waste": waste,
        "GreenFinance": [{
            "instrument": "green_bond", "amount": 3_000_000_000, "currency": "CNY",
            "issue_date": dt.date(2023, 6, 15), "maturity_date": dt.date(2028, 6, 15),
            "use_of_proceeds": "Refinancing of the group's solar, wind and hydropower "
                               "projects held through Silk Road Energy",
            "standard": "China Green Bond Endorsed Projects Catalogue (2021 edition); "
                        "ICMA Green Bond Principles"}],
        "Targets": [
            # the group's 2021: SRE's (100 %) + 70 % of SRI's stated 2021 base (118 000)
            # + the headquarters' (about 2 900): 1 795 706 + 82 600 + 2 900, rounded
            {"metric": "scope1_2_tco2e", "base_year": 2021, "base_value": 1_881_200,
             "target_year": 2030, "target_reduction_pct": 20},
            {"metric": "water_withdrawal_m3", "base_year": 2022, "base_value": 371_000_000,
             "target_year": 2027, "target_reduction_pct": 10},
        ],
        "Subsidiaries": [
            {"entity_id": "SRE", "entity_name": "Silk Road Energy Co., Ltd.",
             "ownership_pct": 100, "operational_control": "yes", "financial_control": "yes"},
            {"entity_id": "SRI", "entity_name": "Silk Road Infrastructure Co., Ltd.",
             "ownership_pct": 70, "operational_control": "yes", "financial_control": "yes"},
        ],
        "FxRates": fx_rows(FX_RATES),
        "Narrative": narrative(PARENT_NARRATIVE),
    }
    for row in waste:  # the headquarters has no treatment plant of its own
        row["location"] = "offsite"
    return org, sheets


# --- Silk Road Energy ----------------------------------------------------------------------
# (project, technology, capacity MW, capacity-factor range, auxiliary share, energy)
_PLANTS = [
    ("SRE-PK-SOL", "solar_pv", 200, (0.165, 0.235), 0.02),
    ("SRE-KZ-WND", "wind", 150, (0.29, 0.41), 0.02),
    ("SRE-LA-HYD", "hydro", 240, (0.38, 0.63), 0.01),
    ("SRE-ID-COAL", "coal_power", 700, (0.56, 0.69), 0.07),
    ("SRE-BD-GAS", "gas_power", 450, (0.50, 0.60), 0.03),
]
COAL_NCV_MJ_PER_KG = 22.6
COAL_NET_EFFICIENCY = 0.385
GAS_EFFICIENCY = 0.52
GJ_PER_MMBTU = 1.055056


def _seasonal_cf(ptype: str, month: int, lo: float, hi: float, rng: random.Random) -> float:
    """A capacity factor in [lo, hi] with the technology's season."""
    shape = {
        "solar_pv": [0.3, 0.45, 0.7, 0.9, 1.0, 0.95, 0.7, 0.65, 0.75, 0.65, 0.4, 0.25],
        "wind": [0.8, 0.85, 0.9, 0.7, 0.5, 0.3, 0.25, 0.3, 0.5, 0.7, 0.85, 0.9],
        "hydro": [0.2, 0.1, 0.05, 0.1, 0.3, 0.6, 0.9, 1.0, 0.95, 0.7, 0.45, 0.3],
    }.get(ptype)
    if shape is None:
        return rng.uniform(lo, hi)
    s = min(1.0, max(0.0, shape[month - 1] + rng.uniform(-0.08, 0.08)))
    return lo + (hi - lo) * s


def sre_workbook() -> tuple[list[tuple[str, Any]], dict[str, list[Row]]]:
    rng = random.Random("envreport-sample-SRE-2024")
    org = organization("SRE", "Silk Road Energy Co., Ltd.", "丝路能源有限公司", "CSIG",
                       21_300_000_000, 4_820, "Chen Jing", "hse@sre.example.com",
                       Statement("final", dt.date(2025, 4, 15), "limited",
                                 "Huaxin Assurance Partners (illustrative)", "ISAE 3410",
                                 assurance_provider_zh=HUAXIN_ZH),
                       contact_zh="陈静")
    projects = [
        project("SRE-PK-SOL", "Cholistan 200 MW Solar PV Power Plant", "乔利斯坦200兆瓦光伏电站",
                "PK", "energy", "solar_pv", "operation", 100, 200, dt.date(2019, 4, 15),
                dt.date(2020, 9, 30), dt.date(2018, 12, 10),
                "Punjab Environmental Protection Agency", "ifc_ps", 42.0, False, 29.2831,
                71.9475),
        project("SRE-KZ-WND", "Karatau 150 MW Wind Farm", "卡拉套150兆瓦风电场", "KAZ",
                "energy", "wind", "operation", 80, 150, dt.date(2020, 5, 4),
                dt.date(2021, 12, 20), dt.date(2020, 2, 14),
                "Ministry of Ecology and Natural Resources of Kazakhstan", "host_country", 18.5,
                False, 43.5712, 69.7538),
        project("SRE-LA-HYD", "Nam Phak 240 MW Hydropower Station", "南帕克240兆瓦水电站",
                "LAO", "energy", "hydro", "operation", 70, 240, dt.date(2016, 10, 3),
                dt.date(2021, 3, 15), dt.date(2016, 6, 30),
                "Ministry of Natural Resources and Environment, Lao PDR", "ifc_ps", 3.2, False,
                20.4127, 102.5846),
        project("SRE-ID-COAL", "Sulawesi 2×350 MW Coal-fired Power Plant",
                "苏拉威西2×350兆瓦燃煤电厂", "ID", "energy", "coal_power", "operation", 51, 700,
                dt.date(2015, 7, 1), dt.date(2018, 11, 28), dt.date(2015, 3, 16),
                "Ministry of Environment and Forestry (KLHK), Indonesia", "world_bank_ehs",
                35.0, False, -2.8316, 122.1489),
        project("SRE-BD-GAS", "Meghna 450 MW Combined-Cycle Gas Power Plant",
                "梅格纳450兆瓦燃气联合循环电站", "Bangladesh", "energy", "gas_power", "operation",
                100, 450, dt.date(2019, 2, 1), dt.date(2022, 1, 10), dt.date(2018, 9, 20),
                "Department of Environment, Bangladesh", "ifc_ps", 60.0, False, 23.6044,
                90.6012),
        project("SRE-UZ-TL", "Syrdarya–Tashkent 500 kV Transmission Line and Substation",
                "锡尔河—塔什干500千伏输变电工程", "UZ", "energy", "transmission", "operation",
                100, None, dt.date(2021, 3, 1), dt.date(2023, 6, 30), dt.date(2020, 12, 15),
                "Ministry of Ecology, Environmental Protection and Climate Change, Uzbekistan",
                "host_country", 12.0, False, 40.8342, 68.6617),
    ]

    generation: list[Row] = []
    gross_by: dict[str, list[float]] = {}
    for pid, ptype, cap, (lo, hi), aux in _PLANTS:
        gross_by[pid] = []
        for start, end in months():
            cf = _seasonal_cf(ptype, start.month, lo, hi, rng)
            gross = round(cap * hours(start, end) * cf, 1)
            gross_by[pid].append(gross)
            generation.append({"project_id": pid, "period_start": start, "period_end": end,
                               "technology": ptype, "gross_generation_mwh": gross,
                               "net_export_mwh": round(gross * (1 - aux), 1)})

    fuel: list[Row] = []
    coal = []
    for (start, end), gross in zip(months(), gross_by["SRE-ID-COAL"], strict=True):
        tonnes = gross * 3.6 / COAL_NET_EFFICIENCY / COAL_NCV_MJ_PER_KG
        coal.append({"project_id": "SRE-ID-COAL", "period_start": start, "period_end": end,
                     "fuel": "bituminous_coal", "quantity": round(tonnes * rng.uniform(0.99,
                                                                                        1.01)),
                     "unit": "t", "use": "stationary", "data_quality": "metered"})
    fuel += with_refs(coal, "WB-SUL", rng)
    fuel += with_refs(monthly("SRE-ID-COAL", rng, 42_000, 0.2, fuel="diesel", unit="L",
                              use="stationary", data_quality="metered"), "PTM-HSD", rng)
    gas = []
    for (start, end), gross in zip(months(), gross_by["SRE-BD-GAS"], strict=True):
        mmbtu = gross * 3.6 / GAS_EFFICIENCY / 0.9 / GJ_PER_MMBTU
        gas.append({"project_id": "SRE-BD-GAS", "period_start": start, "period_end": end,
                    "fuel": "natural_gas", "quantity": round(mmbtu * rng.uniform(0.99, 1.01)),
                    "unit": "MMBtu", "use": "stationary", "data_quality": "invoice"})
    fuel += with_refs(gas, "TGTDCL-INV", rng)
    fuel += with_refs(monthly("SRE-PK-SOL", rng, 1850, 0.15, fuel="diesel", unit="L",
                              use="mobile", data_quality="invoice"), "PSO-FC", rng)
    fuel += with_refs(monthly("SRE-KZ-WND", rng, 1240, 0.15, fuel="gasoline", unit="L",
                              use="mobile", data_quality="invoice"), "KMG-FC", rng)
    fuel += with_refs(monthly("SRE-UZ-TL", rng, 930, 0.15, fuel="diesel", unit="L",
                              use="mobile", data_quality="invoice"), "UNG-FC", rng)
    hydro_genset = [{"project_id": "SRE-LA-HYD", "period_start": s, "period_end": e,
                     "fuel": "diesel", "quantity": rng.randint(1800, 2600), "unit": "L",
                     "use": "stationary", "data_quality": "estimated"} for s, e in quarters()]
    fuel += with_refs(hydro_genset, "NPH-GEN-LOG", rng)

    electricity: list[Row] = []
    for pid, supplier, base, unit, grid in [
        ("SRE-PK-SOL", "Multan Electric Power Company (MEPCO)", 118, "MWh", None),
        ("SRE-KZ-WND", "KEGOC", 74, "MWh", "KZ"),
        ("SRE-ID-COAL", "PT PLN (Persero)", 640, "MWh", None),
        ("SRE-UZ-TL", "Regional Electric Networks JSC", 46_500, "kWh", "UZB"),
    ]:
        rows = monthly(pid, rng, base, 0.25, decimals=1 if unit == "MWh" else 0,
                       energy_type="electricity", unit=unit, grid_country=grid,
                       supplier=supplier, instrument="none")
        electricity += with_refs(rows, f"{pid.split('-')[1]}-EB", rng)

    water: list[Row] = []
    for start, end in months():
        sea_ml = round(rng.uniform(55_000, 62_000))
        water += [
            {"project_id": "SRE-ID-COAL", "period_start": start, "period_end": end,
             "flow": "withdrawal", "source": "sea", "quantity": sea_ml, "unit": "ML"},
            {"project_id": "SRE-ID-COAL", "period_start": start, "period_end": end,
             "flow": "withdrawal", "source": "ground", "quantity": rng.randint(36_000, 44_000),
             "unit": "m3"},
            {"project_id": "SRE-ID-COAL", "period_start": start, "period_end": end,
             "flow": "discharge", "source": "sea", "quantity": round(sea_ml * 0.995),
             "unit": "ML", "treated": "yes"},
        ]
        gas_w = rng.randint(610_000, 690_000)
        water += [
            {"project_id": "SRE-BD-GAS", "period_start": start, "period_end": end,
             "flow": "withdrawal", "source": "surface", "quantity": gas_w, "unit": "m3"},
            {"project_id": "SRE-BD-GAS", "period_start": start, "period_end": end,
             "flow": "discharge", "source": "surface", "quantity": int(gas_w * 0.27),
             "unit": "m3", "treated": "yes"},
        ]
        water.append({"project_id": "SRE-PK-SOL", "period_start": start, "period_end": end,
                      "flow": "withdrawal", "source": "ground",
                      "quantity": rng.randint(2200, 2900), "unit": "m3"})
        hyd_w = rng.randint(1100, 1350)
        water += [
            {"project_id": "SRE-LA-HYD", "period_start": start, "period_end": end,
             "flow": "withdrawal", "source": "surface", "quantity": hyd_w, "unit": "m3"},
            {"project_id": "SRE-LA-HYD", "period_start": start, "period_end": end,
             "flow": "discharge", "source": "surface", "quantity": int(hyd_w * 0.8),
             "unit": "m3", "treated": "yes"},
        ]
    for row in water:  # seawater (cooling) is "other water", everything else fresh
        row["water_quality"] = "other" if row["source"] == "sea" else "freshwater"

    waste: list[Row] = []
    for (start, end), coal_row in zip(months(), coal, strict=True):
        t = coal_row["quantity"]
        waste += [
            {"project_id": "SRE-ID-COAL", "period_start": start, "period_end": end,
             "waste_type": "fly ash", "hazardous": "no",
             "quantity": round(t * 0.048 * rng.uniform(0.97, 1.03)), "unit": "t",
             "disposal": "recycling"},
            {"project_id": "SRE-ID-COAL", "period_start": start, "period_end": end,
             "waste_type": "bottom ash and slag", "hazardous": "no",
             "quantity": round(t * 0.012 * rng.uniform(0.97, 1.03)), "unit": "t",
             "disposal": "landfill"},
            {"project_id": "SRE-ID-COAL", "period_start": start, "period_end": end,
             "waste_type": "FGD gypsum", "hazardous": "no",
             "quantity": round(t * 0.019 * rng.uniform(0.97, 1.03)), "unit": "t",
             "disposal": "recycling"},
        ]
    for start, end in quarters():
        waste += [
            {"project_id": "SRE-ID-COAL", "period_start": start, "period_end": end,
             "waste_type": "waste lubricating and hydraulic oil", "hazardous": "yes",
             "quantity": round(rng.uniform(6, 9), 2), "unit": "t",
             "disposal": "recovery_other"},
            {"project_id": "SRE-BD-GAS", "period_start": start, "period_end": end,
             "waste_type": "waste lubricating oil", "hazardous": "yes",
             "quantity": round(rng.uniform(1.8, 2.6), 2), "unit": "t",
             "disposal": "incineration_energy_recovery"},
            {"project_id": "SRE-BD-GAS", "period_start": start, "period_end": end,
             "waste_type": "general plant waste", "hazardous": "no",
             "quantity": round(rng.uniform(30, 42), 1), "unit": "t", "disposal": "landfill"},
            {"project_id": "SRE-LA-HYD", "period_start": start, "period_end": end,
             "waste_type": "driftwood and debris from intake trash racks", "hazardous": "no",
             "quantity": round(rng.uniform(40, 120)), "unit": "t", "disposal": "composting"},
        ]
    waste += [
        {"project_id": "SRE-ID-COAL", "period_start": PERIOD_START, "period_end": PERIOD_END,
         "waste_type": "spent ion-exchange resin", "hazardous": "yes", "quantity": 2400,
         "unit": "kg", "disposal": "incineration"},
        {"project_id": "SRE-PK-SOL", "period_start": PERIOD_START, "period_end": PERIOD_END,
         "waste_type": "damaged PV modules", "hazardous": "no", "quantity": 18.4, "unit": "t",
         "disposal": "recycling"},
        {"project_id": "SRE-PK-SOL", "period_start": PERIOD_START, "period_end": PERIOD_END,
         "waste_type": "waste transformer oil", "hazardous": "yes", "quantity": 620,
         "unit": "kg", "disposal": "incineration"},
        {"project_id": "SRE-KZ-WND", "period_start": PERIOD_START, "period_end": PERIOD_END,
         "waste_type": "waste gearbox oil", "hazardous": "yes", "quantity": 3.2, "unit": "t",
         "disposal": "recovery_other"},
    ]

    for row in waste:
        row["location"] = _SRE_WASTE_ONSITE.get(row["waste_type"], "offsite")

    pollutants: list[Row] = []
    coal_std = "Indonesia MoEF Regulation P.15/2019 (thermal power plant emission standards)"
    for (start, end), coal_row in zip(months(), coal, strict=True):
        t = coal_row["quantity"]
        august = start.month == 8
        pollutants += [
            {"project_id": "SRE-ID-COAL", "period_start": start, "period_end": end,
             "pollutant": "SO2", "quantity_t": round(t * 0.00096 * (1.35 if august else 1), 1),
             "limit_exceedances": 2 if august else 0, "standard": coal_std},
            {"project_id": "SRE-ID-COAL", "period_start": start, "period_end": end,
             "pollutant": "NOx", "quantity_t": round(t * 0.0016 * rng.uniform(0.95, 1.05), 1),
             "limit_exceedances": 0, "standard": coal_std},
            {"project_id": "SRE-ID-COAL", "period_start": start, "period_end": end,
             "pollutant": "PM", "quantity_t": round(t * 0.00009 * rng.uniform(0.9, 1.1), 2),
             "limit_exceedances": 0, "standard": coal_std},
        ]
    for row in gas:
        pollutants.append({
            "project_id": "SRE-BD-GAS", "period_start": row["period_start"],
            "period_end": row["period_end"], "pollutant": "NOx",
            "quantity_t": round(row["quantity"] * 0.000021, 1), "limit_exceedances": 0,
            "standard": "Bangladesh Environment Conservation Rules 2023, Schedule 2"})

    sheets: dict[str, list[Row]] = {
        "Projects": projects,
        "Fuel": fuel,
        "Electricity": electricity,
        "Generation": generation,
        "Refrigerants": [
            {"project_id": "SRE-ID-COAL", "period_start": PERIOD_START,
             "period_end": PERIOD_END, "gas": "SF6", "quantity_kg": 3.6,
             "method": "mass_balance"},
            {"project_id": "SRE-ID-COAL", "period_start": PERIOD_START,
             "period_end": PERIOD_END, "gas": "R-410A", "quantity_kg": 22.0,
             "method": "mass_balance"},
            {"project_id": "SRE-UZ-TL", "period_start": PERIOD_START, "period_end": PERIOD_END,
             "gas": "SF6", "quantity_kg": 11.2, "method": "mass_balance"},
            # Control-room chillers still on HCFC-22: an ozone-depleting substance (GRI 305-6)
            # reported apart from Scope 1.
            {"project_id": "SRE-ID-COAL", "period_start": PERIOD_START,
             "period_end": PERIOD_END, "gas": "R-22", "quantity_kg": 18.0,
             "method": "mass_balance"},
            {"project_id": "SRE-BD-GAS", "period_start": PERIOD_START,
             "period_end": PERIOD_END, "gas": "HFC-134a", "quantity_kg": 14.5,
             "method": "screening"},
        ],
        "Water": water,
        "Waste": waste,
        "Pollutants": pollutants,
        "Incidents": [
            {"incident_id": "SRE-INC-2024-01", "project_id": "SRE-ID-COAL",
             "date": dt.date(2024, 3, 14), "type": "spill",
             "severity": "minor",
             "description": "About 0.4 m3 of hydraulic oil leaked from a coal-yard "
                            "stacker-reclaimer onto paved ground; contained with absorbents, "
                            "no release to drains or sea.",
             "status": "closed",
             "corrective_action": "Hose replaced; hydraulic hoses added to the monthly "
                                  "inspection list."},
            {"incident_id": "SRE-INC-2024-02", "project_id": "SRE-ID-COAL",
             "date": dt.date(2024, 8, 21), "type": "exceedance",
             "severity": "moderate",
             "description": "Hourly SO2 above the permit limit on two days while an FGD "
                            "absorber recirculation pump was out of service.",
             "status": "closed",
             "corrective_action": "Standby pump repaired; unit load limited automatically "
                                  "when an absorber pump trips."},
            # The fine for the August exceedance: part of that incident, not another one.
            {"incident_id": "SRE-INC-2024-03", "related_incident_id": "SRE-INC-2024-02",
             "project_id": "SRE-ID-COAL", "date": dt.date(2024, 10, 8), "type": "penalty",
             "severity": "moderate",
             "description": "Administrative fine from the provincial environment agency for "
                            "the August SO2 exceedance.",
             "fine_amount": 250_000_000, "currency": "IDR", "status": "closed",
             "corrective_action": "Fine paid; root-cause report submitted to the agency."},
            {"incident_id": "SRE-INC-2024-04", "project_id": "SRE-LA-HYD",
             "date": dt.date(2024, 6, 12), "type": "biodiversity",
             "severity": "minor",
             "description": "Fish stranded in the tailrace channel after a rapid turbine "
                            "shutdown.",
             "status": "closed",
             "corrective_action": "Ramp-down rate limited; fish rescue procedure added."},
        ],
        "Mitigation": [
            {"project_id": "SRE-ID-COAL",
             "action": "Wet limestone-gypsum flue-gas desulphurisation (FGD) upgrade",
             "category": "pollution_control", "status": "completed",
             "investment": 42_000_000, "currency": "USD",
             "completion_date": dt.date(2022, 11, 30)},
            {"project_id": "SRE-ID-COAL",
             "action": "Turbine flow-path and boiler efficiency retrofit (heat rate -9 g/kWh)",
             "category": "energy_efficiency", "status": "completed",
             "annual_reduction_tco2e": 78_000, "investment": 18_500_000, "currency": "USD",
             "completion_date": dt.date(2023, 9, 30)},
            {"project_id": "SRE-ID-COAL",
             "action": "Biomass co-firing (5 % palm kernel shell by energy)",
             "category": "fuel_switch", "status": "planned", "annual_reduction_tco2e": 96_000,
             "investment": 6_200_000, "currency": "USD",
             "completion_date": dt.date(2026, 6, 30)},
            {"project_id": "SRE-BD-GAS", "action": "Inlet-air chilling and HRSG tuning",
             "category": "energy_efficiency", "status": "in_progress",
             "annual_reduction_tco2e": 21_000, "investment": 820_000_000, "currency": "BDT",
             "completion_date": dt.date(2025, 6, 30)},
            {"project_id": "SRE-PK-SOL", "action": "Robotic waterless module cleaning",
             "category": "other", "status": "in_progress", "investment": 1_150_000,
             "currency": "USD", "completion_date": dt.date(2025, 3, 31)},
        ],
        "GreenFinance": [
            {"instrument": "green_loan", "amount": 150_000_000, "currency": "USD",
             "issue_date": dt.date(2022, 3, 1), "maturity_date": dt.date(2034, 3, 1),
             "use_of_proceeds": "Refinancing of the construction of Nam Phak hydropower "
                                "station",
             "project_ids": "SRE-LA-HYD", "standard": "LMA/APLMA Green Loan Principles"},
            {"instrument": "green_bond", "amount": 1_200_000_000, "currency": "CNY",
             "issue_date": dt.date(2024, 4, 18), "maturity_date": dt.date(2027, 4, 18),
             "use_of_proceeds": "Solar and wind power generation",
             "project_ids": "SRE-PK-SOL,SRE-KZ-WND",
             "standard": "China Green Bond Principles (2022)"},
        ],
        "Factors": [
            {"factor_type": "ncv", "key": "bituminous_coal", "value": COAL_NCV_MJ_PER_KG,
             "unit": "MJ/kg", "year": 2024,
             "source": "Sulawesi plant: weighted average as-received NCV of the 48 coal "
                       "shipments of 2024, laboratory certificates SCI-MKS-2024-C-0001 to "
                       "-0048 (ISO 1928)"},
        ],
        # The base value is what SRE reported for 2021 (history/sre_2021.xlsx, AR5):
        # Scope 1 1 792 599 + Scope 2 location-based 3 107 = 1 795 706 tCO2e. Emissions grew
        # with the gas plant (2022), so the progress is negative: the report says so.
        "Targets": [
            {"metric": "scope1_2_tco2e", "base_year": 2021, "base_value": SRE_BASE_YEAR_TCO2E,
             "target_year": 2030, "target_reduction_pct": 15},
        ],
        "FxRates": fx_rows(["USD", "EUR", "IDR", "BDT", "PKR", "KZT"]),
        "Narrative": narrative(SRE_NARRATIVE),
    }
    projects[2]["protected_area_name"] = "Nam Et-Phou Louey National Park"
    return org, sheets


# --- Silk Road Infrastructure --------------------------------------------------------------
def sri_workbook() -> tuple[list[tuple[str, Any]], dict[str, list[Row]]]:
    rng = random.Random("envreport-sample-SRI-2024")
    # A draft, not assured: the report says so on every page and states "not assured".
    org = organization("SRI", "Silk Road Infrastructure Co., Ltd.", "丝路基础设施有限公司",
                       "CSIG", 34_700_000_000, 9_310, "Liu Yang", "hse@sri.example.com",
                       Statement(publication_date=dt.date(2025, 4, 10)), contact_zh="刘洋")
    projects = [
        project("SRI-KE-RAIL", "Naivasha–Kisumu Standard Gauge Railway (operation)",
                "内瓦沙—基苏木标准轨距铁路（运营）", "Kenya", "transport", "railway",
                "operation", 100, None, dt.date(2019, 10, 1), dt.date(2022, 11, 15),
                dt.date(2019, 7, 25), "National Environment Management Authority (NEMA), Kenya",
                "ifc_ps", 8.5, False, -0.7167, 36.4333),
        project("SRI-LK-PORT", "Galle Bay Container Terminal", "加勒湾集装箱码头", "Sri Lanka",
                "transport", "port", "operation", 85, None, dt.date(2018, 5, 2),
                dt.date(2021, 8, 1), dt.date(2018, 1, 22),
                "Central Environmental Authority, Sri Lanka", "ifc_ps", 14.0, False, 6.0329,
                80.2168),
        project("SRI-EG-PARK", "Ain Sokhna Sino-Egyptian Industrial Park, Phase III",
                "苏赫纳中埃产业园三期", "EG", "infrastructure", "industrial_park", "operation", 60,
                None, dt.date(2019, 9, 1), dt.date(2022, 4, 1), dt.date(2019, 5, 12),
                "Egyptian Environmental Affairs Agency (EEAA)", "host_country", 45.0, True,
                29.6205, 32.3347),
        project("SRI-RS-ROAD", "Šumadija Expressway, Section 2", "舒马迪亚高速公路第二标段",
                "Serbia", "transport", "road", "construction", 100, None, dt.date(2023, 4, 3),
                None, dt.date(2023, 1, 20),
                "Ministry of Environmental Protection of the Republic of Serbia", "eu", 6.8,
                False, 44.0128, 20.9114),
    ]

    fuel: list[Row] = []
    fuel += with_refs(monthly("SRI-KE-RAIL", rng, 640_000, 0.08, fuel="diesel", unit="L",
                              use="offroad", data_quality="invoice"), "KPC-INV", rng)
    rail_gasoline = monthly("SRI-KE-RAIL", rng, 3500, 0.12, fuel="gasoline", unit="L",
                            use="mobile", data_quality="invoice")
    fuel += with_refs(rail_gasoline, "TOTAL-KE-FC", rng)
    fuel += with_refs(monthly("SRI-LK-PORT", rng, 178_000, 0.1, fuel="diesel", unit="L",
                              use="offroad", data_quality="metered"), "CPC-LK", rng)
    fuel += with_refs(monthly("SRI-LK-PORT", rng, 610, 0.1, fuel="lpg", unit="kg",
                              use="stationary", data_quality="invoice"), "LAUGFS", rng)
    fuel += with_refs(monthly("SRI-EG-PARK", rng, 850_000, 0.1, fuel="natural_gas",
                              unit="m3", use="stationary", data_quality="metered"),
                      "EGAS-MTR", rng)
    road = monthly("SRI-RS-ROAD", rng, 245_000, 0.12, fuel="diesel", unit="L",
                   use="offroad", data_quality="invoice")
    for row in road[:2]:  # winter shutdown: lower site activity
        row["quantity"] = int(row["quantity"] * 0.55)
    fuel += with_refs(road, "NIS-INV", rng)
    road_gasoline = monthly("SRI-RS-ROAD", rng, 4100, 0.12, fuel="gasoline", unit="L",
                            use="mobile", data_quality="invoice")
    for row in road_gasoline[-3:]:  # fuel cards of a subcontractor: invoices outstanding
        row["data_quality"] = "estimated"
    fuel += with_refs(road_gasoline, "NIS-FC", rng)
    for row in rail_gasoline[-2:]:
        row["data_quality"] = "estimated"

    electricity: list[Row] = []
    rail = monthly("SRI-KE-RAIL", rng, 905_000, 0.07, energy_type="electricity", unit="kWh",
                   supplier="Kenya Power and Lighting Company (KPLC)", instrument="none")
    for row in rail[6:]:  # I-RECs from geothermal bought for the second half-year
        row["instrument"] = "i_rec"
        row["instrument_quantity"] = int(row["quantity"] * 0.5)
    electricity += with_refs(rail, "KPLC", rng)
    port = monthly("SRI-LK-PORT", rng, 2650, 0.09, decimals=1, energy_type="electricity",
                   unit="MWh", supplier="Ceylon Electricity Board (CEB)", instrument="none")
    for row in port[:6]:  # CEB published a supplier factor for the first half only
        row["supplier_factor_kg_per_kwh"] = 0.489
    electricity += with_refs(port, "CEB-GALLE", rng)
    electricity += with_refs(monthly(
        "SRI-EG-PARK", rng, 10_800, 0.1, decimals=1, energy_type="electricity", unit="MWh",
        grid_country="EGY", supplier="Egyptian Electricity Transmission Company (EETC)",
        instrument="none"), "EETC", rng)
    electricity += with_refs(monthly(
        "SRI-RS-ROAD", rng, 78_000, 0.15, energy_type="electricity", unit="kWh",
        grid_country="Serbia", supplier="Elektrodistribucija Srbije", instrument="none"),
        "EDS", rng)

    water: list[Row] = []
    for pid, w_src, w_base, d_dest, d_share, treated in [
        ("SRI-KE-RAIL", "ground", 9000, "third_party", 0.72, "yes"),
        ("SRI-LK-PORT", "third_party", 18_000, "sea", 0.66, "yes"),
        ("SRI-EG-PARK", "third_party", 210_000, "sea", 0.76, "yes"),
        ("SRI-RS-ROAD", "surface", 14_000, "surface", 0.18, "yes"),
    ]:
        for start, end in months():
            w = int(w_base * rng.uniform(0.9, 1.1))
            water += [
                {"project_id": pid, "period_start": start, "period_end": end,
                 "flow": "withdrawal", "source": w_src, "quantity": w, "unit": "m3",
                 "water_quality": "freshwater"},
                # Treated effluent into the sea mixes with seawater: "other water".
                {"project_id": pid, "period_start": start, "period_end": end,
                 "flow": "discharge", "source": d_dest, "quantity": int(w * d_share),
                 "unit": "m3", "treated": treated,
                 "water_quality": "other" if d_dest == "sea" else "freshwater"},
            ]

    waste: list[Row] = []
    for start, end in months():
        waste += [
            {"project_id": "SRI-RS-ROAD", "period_start": start, "period_end": end,
             "waste_type": "excavated soil and rock", "hazardous": "no",
             "quantity": round(rng.uniform(18_000, 30_000)), "unit": "t", "disposal": "reuse"},
            {"project_id": "SRI-RS-ROAD", "period_start": start, "period_end": end,
             "waste_type": "construction and demolition waste", "hazardous": "no",
             "quantity": round(rng.uniform(1200, 2000)), "unit": "t",
             "disposal": "recycling"},
            {"project_id": "SRI-EG-PARK", "period_start": start, "period_end": end,
             "waste_type": "wastewater treatment sludge", "hazardous": "yes",
             "quantity": round(rng.uniform(40, 60), 1), "unit": "t",
             "disposal": "incineration"},
            {"project_id": "SRI-EG-PARK", "period_start": start, "period_end": end,
             "waste_type": "general industrial waste", "hazardous": "no",
             "quantity": round(rng.uniform(300, 400), 1), "unit": "t", "disposal": "landfill"},
            {"project_id": "SRI-EG-PARK", "period_start": start, "period_end": end,
             "waste_type": "scrap metal", "hazardous": "no",
             "quantity": round(rng.uniform(120, 180), 1), "unit": "t", "disposal": "recycling"},
            {"project_id": "SRI-KE-RAIL", "period_start": start, "period_end": end,
             "waste_type": "station and depot general waste", "hazardous": "no",
             "quantity": round(rng.uniform(35, 50), 1), "unit": "t", "disposal": "landfill"},
            {"project_id": "SRI-LK-PORT", "period_start": start, "period_end": end,
             "waste_type": "general terminal waste", "hazardous": "no",
             "quantity": round(rng.uniform(20, 30), 1), "unit": "t", "disposal": "landfill"},
        ]
    for start, end in quarters():
        waste += [
            {"project_id": "SRI-KE-RAIL", "period_start": start, "period_end": end,
             "waste_type": "waste lubricating oil", "hazardous": "yes",
             "quantity": round(rng.uniform(8, 12), 2), "unit": "t",
             "disposal": "recovery_other"},
            {"project_id": "SRI-LK-PORT", "period_start": start, "period_end": end,
             "waste_type": "waste oil and oily rags", "hazardous": "yes",
             "quantity": round(rng.uniform(2000, 3500)), "unit": "kg",
             "disposal": "incineration_energy_recovery"},
            {"project_id": "SRI-LK-PORT", "period_start": start, "period_end": end,
             "waste_type": "scrap metal", "hazardous": "no",
             "quantity": round(rng.uniform(25, 40), 1), "unit": "t", "disposal": "recycling"},
            {"project_id": "SRI-RS-ROAD", "period_start": start, "period_end": end,
             "waste_type": "waste bitumen and contaminated absorbents", "hazardous": "yes",
             "quantity": round(rng.uniform(2, 4), 2), "unit": "t", "disposal": "incineration"},
        ]

    for row in waste:
        row["location"] = _SRI_WASTE_ONSITE.get(row["waste_type"], "offsite")

    pollutants: list[Row] = []
    for start, end in months():
        pollutants += [
            {"project_id": "SRI-EG-PARK", "period_start": start, "period_end": end,
             "pollutant": "COD", "quantity_t": round(rng.uniform(7.5, 10.5), 2),
             "limit_exceedances": 0,
             "standard": "Egyptian Law 4/1994, executive regulations (Decree 1095/2011)"},
            {"project_id": "SRI-EG-PARK", "period_start": start, "period_end": end,
             "pollutant": "NH3-N", "quantity_t": round(rng.uniform(0.45, 0.8), 3),
             "limit_exceedances": 0,
             "standard": "Egyptian Law 4/1994, executive regulations (Decree 1095/2011)"},
        ]

    sheets: dict[str, list[Row]] = {
        "Projects": projects,
        "Fuel": fuel,
        "Electricity": electricity,
        "Refrigerants": [
            {"project_id": "SRI-KE-RAIL", "period_start": PERIOD_START,
             "period_end": PERIOD_END, "gas": "HFC-134a", "quantity_kg": 65.0,
             "method": "mass_balance"},
            *[{"project_id": "SRI-LK-PORT", "period_start": s, "period_end": e,
               "gas": "HFC-134a", "quantity_kg": round(rng.uniform(9, 15), 1),
               "method": "mass_balance"} for s, e in quarters()],
            {"project_id": "SRI-EG-PARK", "period_start": PERIOD_START,
             "period_end": PERIOD_END, "gas": "R-410A", "quantity_kg": 30.5,
             "method": "screening"},
            {"project_id": "SRI-EG-PARK", "period_start": PERIOD_START,
             "period_end": PERIOD_END, "gas": "SF6", "quantity_kg": 2.1,
             "method": "mass_balance"},
        ],
        "Water": water,
        "Waste": waste,
        "Pollutants": pollutants,
        "Incidents": [
            {"incident_id": "SRI-2024-07", "project_id": "SRI-RS-ROAD",
             "date": dt.date(2024, 5, 17), "type": "complaint",
             "severity": "minor",
             "description": "Residents of a village next to the haul road complained about "
                            "dust from trucks.",
             "status": "closed",
             "corrective_action": "Water bowser on the haul road twice a day; speed limit "
                                  "30 km/h near houses."},
            {"incident_id": "SRI-2024-12", "project_id": "SRI-KE-RAIL",
             "date": dt.date(2024, 9, 3), "type": "complaint",
             "severity": "minor",
             "description": "Noise from night-time freight trains reported by residents near "
                            "a level crossing.",
             "status": "open",
             "corrective_action": "Horn-use protocol under review with the community."},
            # A follow-up of the noise complaint: part of it, not another incident.
            {"related_incident_id": "SRI-2024-12", "project_id": "SRI-KE-RAIL",
             "date": dt.date(2024, 10, 15), "type": "other", "severity": "minor",
             "description": "Community meeting at the level crossing; noise measured at the "
                            "nearest houses at night.",
             "status": "open",
             "corrective_action": "Night-time horn use limited to the crossing's whistle "
                                  "board from December, pending the community's review."},
            {"incident_id": "SRI-2024-15", "project_id": "SRI-LK-PORT",
             "date": dt.date(2024, 11, 2), "type": "spill",
             "severity": "minor",
             "description": "About 150 L of diesel spilled while refuelling a terminal "
                            "tractor; contained on the quay, none reached the sea.",
             "status": "closed",
             "corrective_action": "Drip trays and spill kits at every refuelling point."},
        ],
        "Mitigation": [
            {"project_id": "SRI-KE-RAIL",
             "action": "Automatic engine start-stop on locomotives (idle reduction)",
             "category": "energy_efficiency", "status": "completed",
             "annual_reduction_tco2e": 3_900, "investment": 2_300_000, "currency": "USD",
             "completion_date": dt.date(2024, 5, 31)},
            {"project_id": "SRI-EG-PARK",
             "action": "20 MWp rooftop solar on the park's standard factory buildings",
             "category": "renewable_energy", "status": "in_progress",
             "annual_reduction_tco2e": 17_500, "investment": 95_000_000, "currency": "CNY",
             "completion_date": dt.date(2025, 9, 30)},
            {"project_id": "SRI-LK-PORT",
             "action": "Electrification of rubber-tyred gantry cranes (E-RTG)",
             "category": "electrification", "status": "planned",
             "annual_reduction_tco2e": 6_800, "investment": 11_500_000, "currency": "USD",
             "completion_date": dt.date(2026, 12, 31)},
            {"project_id": "SRI-RS-ROAD", "action": "Warm-mix asphalt for all wearing courses",
             "category": "energy_efficiency", "status": "in_progress",
             "annual_reduction_tco2e": 1_200, "investment": 1_900_000, "currency": "EUR",
             "completion_date": dt.date(2025, 10, 31)},
            {"project_id": "SRI-RS-ROAD", "action": "Compensatory afforestation of 35 ha",
             "category": "afforestation", "status": "planned",
             "annual_reduction_tco2e": 250, "investment": 410_000, "currency": "EUR",
             "completion_date": dt.date(2026, 4, 30)},
        ],
        "GreenFinance": [
            {"instrument": "sustainability_linked_loan", "amount": 60_000_000,
             "currency": "EUR", "issue_date": dt.date(2023, 3, 15),
             "maturity_date": dt.date(2030, 3, 15),
             "use_of_proceeds": "Construction of Šumadija Expressway Section 2; margin linked "
                                "to the site's diesel intensity",
             "project_ids": "SRI-RS-ROAD",
             "standard": "LMA Sustainability-Linked Loan Principles"},
            {"instrument": "green_loan", "amount": 400_000_000, "currency": "CNY",
             "issue_date": dt.date(2024, 7, 1), "maturity_date": dt.date(2031, 7, 1),
             "use_of_proceeds": "Rooftop solar and wastewater treatment at Ain Sokhna",
             "project_ids": "SRI-EG-PARK",
             "standard": "Green Industry Guidance Catalogue (2019); LMA Green Loan Principles"},
        ],
        "Targets": [
            {"metric": "water_withdrawal_m3", "base_year": 2022, "base_value": 2_150_000,
             "target_year": 2027, "target_reduction_pct": 10},
            {"metric": "scope1_2_tco2e", "base_year": 2021, "base_value": 118_000,
             "target_year": 2030, "target_reduction_pct": 25},
        ],
        "FxRates": fx_rows(["USD", "EUR", "KES", "LKR", "EGP", "RSD"]),
        "Narrative": narrative(SRI_NARRATIVE),
    }
    return org, sheets


# --- the faulty workbook -------------------------------------------------------------------
KEEP = object()  # the fault is the row as written (nothing to overwrite)


@dataclass(frozen=True)
class Fault:
    """One deliberate fault: where it is, what is wrong, the finding it should produce."""

    sheet: str
    row: int  # Excel row; 1 = the header row
    field: str
    value: Any
    what: str
    code: str
    severity: str = "error"
    also: tuple[tuple[str, Any], ...] = ()  # other cells of the row that make it plausible


FAULTS: list[Fault] = [
    Fault("Projects", 7, "eia_approval_date", None,
          "eia_status is approved but eia_approval_date is blank", "eia-approval-date-missing"),
    Fault("Projects", 5, "project_id", "EA-RAIL-01",
          "project_id EA-RAIL-01 listed a second time (first at row 3)", "project-duplicate"),
    Fault("Projects", 6, "host_country", "Tanzanya", "misspelt, unknown country",
          "country-unknown"),
    Fault("Fuel", 1, "internal_note", "internal_note",
          "column internal_note is not part of the contract", "column-unknown", "warning"),
    Fault("Fuel", 7, "quantity", 245_000,
          "245 000 L in June, more than 10 × the median of the project's diesel rows",
          "value-outlier", "warning"),
    Fault("Fuel", 16, "quantity", -5_200, "negative quantity", "value-out-of-range"),
    Fault("Fuel", 18, "quantity", "=E17*2",
          "formula without a cached value (saved by openpyxl)", "formula-no-cached-value"),
    Fault("Fuel", 20, "period_end", dt.date(2024, 6, 30),
          "period_end 2024-06-30 before period_start 2024-07-01", "period-end-before-start"),
    Fault("Fuel", 22, "unit", "drums", "unit not known to the units registry (1 550 drums)",
          "unit-unknown", also=(("quantity", 1_550),)),
    Fault("Fuel", 27, "fuel", "HSD", "HSD (high-speed diesel) is not a fuel id of the library",
          "fuel-unknown"),
    Fault("Fuel", 29, "project_id", "EA-SOL-10", "project_id not on the Projects sheet",
          "project-unknown"),
    Fault("Fuel", 31, "unit", None, "required unit blank", "required-missing"),
    Fault("Fuel", 33, "period_start", dt.date(2023, 12, 1),
          "row for December 2023, outside the reporting period 2024",
          "period-outside-reporting",
          also=(("period_end", dt.date(2023, 12, 31)), ("source_ref", "KOL-INV-2023-12-40417"))),
    Fault("Fuel", 38, "quantity", KEEP, "row 38 repeats row 37 (same project, period, fuel, "
          "quantity)", "duplicate-row", "warning"),
    Fault("Electricity", 5, "unit", "kg", "a mass unit in an energy column",
          "unit-wrong-dimension"),
    Fault("Electricity", 9, "instrument_quantity", 900_000,
          "instrument_quantity 900 000 kWh above the row's quantity",
          "instrument-quantity-exceeds"),
    Fault("Generation", 2, "gross_generation_mwh", 40_000,
          "40 000 MWh in January from 50 MW (at most 50 × 744 = 37 200 MWh)",
          "generation-exceeds-capacity"),
    Fault("Refrigerants", 2, "quantity_kg", "12,5 t", "text in a number column",
          "not-a-number"),
    Fault("Waste", 1, "disposal", None, "required column disposal missing from the header",
          "column-missing"),
    Fault("Incidents", 2, "date", "2024-02-30", "text that is not a date (30 February)",
          "not-a-date"),
    Fault("Incidents", 3, "currency", "KSH",
          "KSH is not an ISO 4217 code (Kenyan shilling is KES)", "currency-unknown"),
    Fault("Incidents", 4, "related_incident_id", "EA-INC-2",
          "related_incident_id EA-INC-2 names no incident (the fine's incident is EA-INC-02)",
          "incident-related-unknown"),
]


def faulty_workbook() -> tuple[list[tuple[str, Any]], dict[str, list[Row]],
                               dict[str, list[str]]]:
    rng = random.Random("envreport-sample-faulty-2024")
    org = organization("SREA", "Silk Road East Africa Co., Ltd.", "丝路东非有限公司", None,
                       2_450_000_000, 1_240, "Otieno Achieng", "hse@srea.example.com")
    projects = [
        project("EA-SOL-01", "Garissa North 50 MW Solar PV Plant", "加里萨北50兆瓦光伏电站", "KE",
                "energy", "solar_pv", "operation", 100, 50, dt.date(2021, 2, 1),
                dt.date(2022, 3, 15), dt.date(2020, 10, 5),
                "National Environment Management Authority (NEMA), Kenya", "ifc_ps", 22.0,
                True, -0.4532, 39.6461),
        project("EA-RAIL-01", "Naivasha Inland Container Depot Rail Services",
                "内瓦沙内陆集装箱堆场铁路服务", "KEN", "transport", "railway", "operation", 100,
                None, dt.date(2019, 6, 1), dt.date(2021, 1, 10), dt.date(2019, 3, 18),
                "National Environment Management Authority (NEMA), Kenya", "ifc_ps", 9.0,
                False, -0.7172, 36.4310),
        project("EA-ROAD-02", "Addis–Adama Expressway Widening", "亚的斯—阿达玛高速公路拓宽工程",
                "ETH", "transport", "road", "construction", 100, None, dt.date(2024, 2, 1),
                None, dt.date(2023, 11, 30), "Ethiopian Environmental Protection Authority",
                "world_bank_ehs", 15.0, False, 8.8220, 38.9010),
        project("EA-RAIL-01", "Naivasha ICD Rail Siding Extension", "内瓦沙堆场铁路专用线延伸",
                "Kenya", "transport", "railway", "construction", 100, None,
                dt.date(2024, 5, 6), None, dt.date(2024, 3, 1),
                "National Environment Management Authority (NEMA), Kenya", "ifc_ps", 9.0,
                False, -0.7190, 36.4290),
        project("EA-PARK-03", "Dar es Salaam Logistics Park", "达累斯萨拉姆物流园",
                "Tanzania", "infrastructure", "industrial_park", "planning", 100, None,
                None, None, None, None, "host_country", 30.0, False, -6.8235, 39.2695),
    ]
    projects[4]["eia_status"] = "not_started"
    projects.append(project(
        "EA-WND-04", "Marsabit East 100 MW Wind Farm", "马萨比特东100兆瓦风电场", "Kenya",
        "energy", "wind", "construction", 100, 100, dt.date(2024, 9, 2), None,
        dt.date(2024, 6, 14), "National Environment Management Authority (NEMA), Kenya",
        "ifc_ps", 11.0, False, 2.3284, 37.9899))  # row 7: no activity rows yet

    fuel: list[Row] = []
    fuel += monthly("EA-ROAD-02", rng, 21_000, 0.08, fuel="diesel", unit="L", use="offroad",
                    data_quality="invoice")  # rows 2-13
    fuel += monthly("EA-RAIL-01", rng, 310_000, 0.06, fuel="diesel", unit="L",
                    use="offroad", data_quality="invoice")  # rows 14-25
    fuel += monthly("EA-SOL-01", rng, 820, 0.1, fuel="gasoline", unit="L", use="mobile",
                    data_quality="invoice")  # rows 26-37
    fuel.append(dict(fuel[-1]))  # row 38: a duplicate of row 37
    with_refs(fuel, "KOL-INV", rng)
    fuel[-1]["source_ref"] = fuel[-2]["source_ref"]
    fuel[0]["internal_note"] = "check with site accountant"

    electricity = monthly("EA-RAIL-01", rng, 760_000, 0.06, energy_type="electricity",
                          unit="kWh", supplier="Kenya Power and Lighting Company (KPLC)",
                          instrument="none")
    electricity[7]["instrument"] = "i_rec"  # row 9
    with_refs(electricity, "KPLC", rng)

    generation = []
    for start, end in months():
        gross = round(50 * hours(start, end) * rng.uniform(0.19, 0.23), 1)
        generation.append({"project_id": "EA-SOL-01", "period_start": start,
                           "period_end": end, "technology": "solar_pv",
                           "gross_generation_mwh": gross,
                           "net_export_mwh": round(gross * 0.98, 1)})

    water = []
    for start, end in months():
        w = rng.randint(7000, 9000)
        water += [
            {"project_id": "EA-RAIL-01", "period_start": start, "period_end": end,
             "flow": "withdrawal", "source": "ground", "quantity": w, "unit": "m3"},
            {"project_id": "EA-RAIL-01", "period_start": start, "period_end": end,
             "flow": "discharge", "source": "third_party", "quantity": int(w * 0.7),
             "unit": "m3", "treated": "yes"},
        ]

    sheets: dict[str, list[Row]] = {
        "Projects": projects,
        "Fuel": fuel,
        "Electricity": electricity,
        "Generation": generation,
        "Refrigerants": [
            {"project_id": "EA-RAIL-01", "period_start": PERIOD_START,
             "period_end": PERIOD_END, "gas": "HFC-134a", "quantity_kg": 12.5,
             "method": "mass_balance"},
            {"project_id": "EA-RAIL-01", "period_start": PERIOD_START,
             "period_end": PERIOD_END, "gas": "R-410A", "quantity_kg": 6.0,
             "method": "screening"},
        ],
        "Water": water,
        "Waste": [
            {"project_id": "EA-ROAD-02", "period_start": s, "period_end": e,
             "waste_type": "construction and demolition waste", "hazardous": "no",
             "quantity": round(rng.uniform(300, 500)), "unit": "t"} for s, e in quarters()
        ],
        "Incidents": [
            {"incident_id": "EA-INC-01", "project_id": "EA-ROAD-02",
             "date": dt.date(2024, 2, 28), "type": "complaint",
             "severity": "minor", "description": "Dust from the haul road reported by a "
                                                 "roadside market.",
             "status": "closed", "corrective_action": "Daily watering of the haul road."},
            {"incident_id": "EA-INC-02", "project_id": "EA-RAIL-01",
             "date": dt.date(2024, 7, 9), "type": "penalty",
             "severity": "minor",
             "description": "County fine for late renewal of the effluent discharge licence.",
             "fine_amount": 150_000, "currency": "KES", "status": "closed",
             "corrective_action": "Licence renewed; renewal dates added to the permit "
                                  "register."},
            {"project_id": "EA-RAIL-01", "date": dt.date(2024, 8, 20), "type": "penalty",
             "severity": "minor", "description": "Late-payment surcharge on the county fine.",
             "fine_amount": 15_000, "currency": "KES", "status": "closed",
             "related_incident_id": "EA-INC-02"},
        ],
        "FxRates": fx_rows(["USD", "KES"]),
    }
    columns = {name: list(COLUMNS[name]) for name in sheets}
    columns["Fuel"].append("internal_note")
    columns["Waste"].remove("disposal")

    for fault in FAULTS:
        if fault.row == 1 or fault.value is KEEP:
            continue
        row = sheets[fault.sheet][fault.row - 2]
        row[fault.field] = fault.value
        row.update(fault.also)
    return org, sheets, columns


def fault_cell(fault: Fault, columns: dict[str, list[str]]) -> str:
    """The Excel cell a fault sits in (the header row's cell, or 'row 1' for a missing column)."""
    header = columns[fault.sheet]
    if fault.value is KEEP:
        return f"row {fault.row}"
    if fault.field not in header:
        return "row 1 (header)"
    return f"{get_column_letter(header.index(fault.field) + 1)}{fault.row}"


def faulty_readme(columns: dict[str, list[str]]) -> str:
    lines = [
        "# faulty_submission.xlsx — a workbook with deliberate faults",
        "",
        "A plausible single-entity submission (Silk Road East Africa Co., Ltd., `SREA`, 2024)",
        "with one deliberate fault per line below, each at a known cell. It is generated by",
        "`scripts/make_samples.py` from its `FAULTS` table, which also writes this file: edit",
        "the script, not this file. `faulty_submission.expected.json` pins the findings the",
        "validator produces ([sheet, cell, code, severity] in reading order) and each sheet's",
        "row counts; it is kept by hand, and `tests/test_validate.py` checks the validator",
        "against it.",
        "",
        "Codes are those of `envreport/codes.py`. Each fault sits on a row of its own, and no",
        "activity row refers to a project whose Projects row is faulty, so that one fault gives",
        "one finding; a validator may still add consequences (the table lists the finding each",
        "fault is there to test).",
        "",
        "| # | sheet | cell | what is wrong | finding code | severity |",
        "|---|---|---|---|---|---|",
    ]
    for i, f in enumerate(FAULTS, 1):
        lines.append(f"| {i} | {f.sheet} | {fault_cell(f, columns)} | {f.what} | `{f.code}` "
                     f"| {f.severity} |")
    return "\n".join(lines) + "\n"


# --- writing -------------------------------------------------------------------------------
def write_workbook(path: Path, org: list[tuple[str, Any]], sheets: dict[str, list[Row]],
                   columns: dict[str, list[str]] | None = None) -> None:
    """Write one submission workbook: Organization first, then the table sheets."""
    columns = columns or COLUMNS
    wb = Workbook()
    bold = Font(bold=True)
    ws = wb.active
    ws.title = "Organization"
    ws.append(["field", "value"])
    for field, value in org:
        ws.append([field, value])
        if isinstance(value, dt.date):
            ws.cell(ws.max_row, 2).number_format = "yyyy-mm-dd"
    for cell in ws[1]:
        cell.font = bold
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 50

    for name in SHEET_ORDER[1:]:
        if name not in sheets:
            continue
        ws = wb.create_sheet(name)
        header = columns[name]
        ws.append(header)
        for cell in ws[1]:
            cell.font = bold
        for row in sheets[name]:
            ws.append([row.get(field) for field in header])
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
        for i, field in enumerate(header, 1):
            ws.column_dimensions[get_column_letter(i)].width = max(12, len(field) + 2)
        ws.freeze_panes = "A2"

    wb.properties.creator = "envreport scripts/make_samples.py"
    wb.properties.title = "envreport sample submission"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_normalise_zip(buffer.getvalue()))


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite the xlsx zip with fixed member dates and the fixed modified time.

    openpyxl stamps ``modified`` with the time of saving and each zip member with the
    current time; both would make every re-run a different file.
    """
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>", content)
            member = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            dst.writestr(member, content)
    return out.getvalue()


_FILES_TABLE = [
    ("`group/parent.xlsx`",
     "China Silk Road Infrastructure Group Co., Ltd. (`CSIG`), the parent: Organization, its "
     "Beijing headquarters and vehicle fleet (Fuel, Electricity, Refrigerants, Water, Waste), "
     "a green bond, group Targets, the `Subsidiaries` roster (SRE 100 %, SRI 70 %), "
     "`FxRates` to CNY and the group's `Narrative`; a final report with limited assurance"),
    ("`group/sre.xlsx`",
     "Silk Road Energy Co., Ltd. (`SRE`): solar (Pakistan), wind (Kazakhstan), hydro (Laos, "
     "3.2 km from a protected area), an existing coal plant (Indonesia, 51 %, in operation "
     "since 2018, with FGD and an efficiency retrofit), a combined-cycle gas plant "
     "(Bangladesh), a 500 kV line and substation (Uzbekistan); monthly Fuel, Generation, "
     "Water, Waste and Pollutants; a measured coal NCV in `Factors`; an HCFC-22 chiller "
     "(ozone-depleting, GRI 305-6); the August SO2 exceedance with its IDR penalty on a row "
     "that names the incident (`related_incident_id`); a final report with limited "
     "assurance. `envreport demo` builds its report"),
    ("`group/sri.xlsx`",
     "Silk Road Infrastructure Co., Ltd. (`SRI`): railway (Kenya, I-RECs in the second "
     "half-year), container terminal (Sri Lanka, supplier factor on some rows), industrial "
     "park (Egypt, water-stressed), expressway under construction (Serbia); a follow-up "
     "row that belongs to a noise complaint; a draft, not assured"),
    ("`history/sre_2021.xlsx`, `history/sre_2023.xlsx`",
     "earlier years of `SRE` for the ledger (`scripts/sample_history.py`): 2021 is the base "
     "year, both use the AR5 GWP set, and a 60 MW heavy-fuel-oil plant in Viet Nam "
     "(`SRE-VN-HFO`) is divested on 30 June 2023 and absent from 2024. Recorded before "
     "`group/sre.xlsx`, they make its report compare, restate and recalculate the base year "
     "(docs/ledger.md)"),
    ("`faulty/faulty_submission.xlsx`",
     "one workbook with deliberate faults at known cells; the table is in `faulty/README.md`"),
    ("`**/*.expected.json`",
     "a workbook's expected findings and row counts, kept by hand; the tests check the "
     "validator against them"),
]

SAMPLES_README = (
    "# Sample inputs\n\n"
    "Sample submission workbooks (input contract: `docs/workbook.md`), generated by\n"
    "`scripts/make_samples.py` (`.venv/bin/python scripts/make_samples.py`), which also writes\n"
    "this file. The script is deterministic: re-running it gives the same files. Edit the\n"
    "script, not the workbooks. Every company, project, figure, invoice number and exchange\n"
    "rate is illustrative sample data.\n\n"
    "| file | what it is |\n|---|---|\n"
    + "".join(f"| {name} | {what} |\n" for name, what in _FILES_TABLE)
    + "\n"
    "The three `group/` workbooks are one batch: reporting year 2024 (2024-01-01 to\n"
    "2024-12-31), reporting currency CNY, consolidation approach `equity_share`, GWP set AR6,\n"
    "11 projects in 11 host countries. Countries are written as ISO alpha-2 (`PK`), alpha-3\n"
    "(`KAZ`) or English short names (`Kenya`) on purpose: the contract accepts all three.\n"
    "Activity sheets hold one row per month (small streams per quarter or year); generation\n"
    "stays within each plant's capacity × hours, with capacity factors typical of the\n"
    "technology. The FX rates are rounded 2024 averages for illustration, not an\n"
    "authoritative rate source.\n\n"
    "Every column of contract version 2 is used: every free-text field has its Chinese text\n"
    "(`*_zh`, from one table in the script, so the Chinese report reads in Chinese), the\n"
    "`Narrative` sheets speak to governance, strategy, risk management, targets,\n"
    "consolidation, base-year policy, coal policy and assurance in both languages, incidents\n"
    "carry ids, water rows their quality, waste rows where they were treated (`location`),\n"
    "and every generation row its `net_export_mwh`.\n"
)


def translate(sheets: dict[str, list[Row]]) -> None:
    """Fill every ``X_zh`` column from :data:`ZH`; a text without a translation is an error.

    The Chinese report prints the ``_zh`` text, so every free text of the samples has one
    (the demo's Chinese report reads in Chinese). Texts already given in Chinese stay.
    """
    missing = []
    for sheet, rows in sheets.items():
        for text_field, zh_field in TRANSLATED_TEXT.get(sheet, {}).items():
            for row in rows:
                text = row.get(text_field)
                if text is None or row.get(zh_field):
                    continue
                if text in ZH:
                    row[zh_field] = ZH[text]
                else:
                    missing.append(text)
    if missing:
        raise KeyError(f"no Chinese text in ZH for: {sorted(set(missing))}")


def _history_module() -> Any:
    """``scripts/sample_history.py`` (earlier years of SRE for the ledger), loaded by path so
    that this script works both run directly and loaded by the tests."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "sample_history", Path(__file__).with_name("sample_history.py"))
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_samples(out_dir: Path) -> list[Path]:
    """Write every sample workbook (and the generated READMEs) under ``out_dir``."""
    out_dir = Path(out_dir)
    written = []
    for name, build in [("parent", parent_workbook), ("sre", sre_workbook),
                        ("sri", sri_workbook)]:
        org, sheets = build()
        translate(sheets)
        path = out_dir / "group" / f"{name}.xlsx"
        write_workbook(path, org, sheets)
        written.append(path)
    for name, (org, sheets) in _history_module().history_workbooks(sre_workbook).items():
        path = out_dir / "history" / f"{name}.xlsx"
        write_workbook(path, org, sheets)
        written.append(path)
    org, sheets, columns = faulty_workbook()
    translate(sheets)
    path = out_dir / "faulty" / "faulty_submission.xlsx"
    write_workbook(path, org, sheets, columns)
    written.append(path)
    readme = out_dir / "faulty" / "README.md"
    readme.write_text(faulty_readme(columns), encoding="utf-8")
    written.append(readme)
    top = out_dir / "README.md"
    top.write_text(SAMPLES_README, encoding="utf-8")
    written.append(top)
    return written


def main(argv: list[str]) -> int:
    out_dir = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    for path in make_samples(out_dir):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
