"""A finding's message names a drop-down value by its Chinese label in Chinese (柴油, not
diesel) and by its id in English, as the cell holds it; a hint that says what to type keeps
the id."""

from __future__ import annotations

from typing import Any

import pytest

from envreport.findings import Finding


def _finding(code: str, sheet: str, field: str, value: Any, **params: Any) -> Finding:
    return Finding(code, "warning", sheet, 5, "D", field, value, params)


CASES = [
    (_finding("value-outlier", "Fuel", "quantity", 9000.0, median="120", key="diesel"),
     "9000 is more than 10 times the median (120) of this project's diesel rows.",
     "9000超过本项目柴油各行中位数（120）的10倍。"),
    (_finding("value-outlier", "Electricity", "quantity", 9000.0, median="120", key="steam"),
     "9000 is more than 10 times the median (120) of this project's steam rows.",
     "9000超过本项目蒸汽各行中位数（120）的10倍。"),
    (_finding("value-outlier", "Water", "quantity", 9000.0, median="120", key="withdrawal"),
     "9000 is more than 10 times the median (120) of this project's withdrawal rows.",
     "9000超过本项目取水各行中位数（120）的10倍。"),
    (_finding("target-base-value-differs", "Targets", "base_value", 1000.0,
              metric="scope1_tco2e", base_year=2020, stated="1,000", computed="1,200",
              difference_pct=16.7, tolerance_pct=1),
     "base_value (1,000) is not the scope1_tco2e computed for 2020, the target's base year, "
     "from that year's own data: 1,200 (16.7 %, more than the 1 % allowed for rounding). "
     "Every report measures the target's progress from base_value.",
     "基准值（base_value）为1,000，不是根据目标基准年2020年自身数据计算的"
     "范围一排放量（吨二氧化碳当量）：计算值为1,200（相差16.7%，超过舍入允许的1%）。"
     "各期报告均以基准值（base_value）衡量目标进展。"),
    (_finding("eia-not-approved", "Projects", "eia_status", "pending",
              status="operation", eia_status="pending"),
     "The project is in operation but its EIA is pending.",
     "项目处于运营期，但其环评状态为审批中。"),
    (_finding("control-missing", "Projects", "operational_control", None,
              approach="operational_control", field_label="operational control"),
     "operational_control is required under the operational_control approach but is blank.",
     "采用运营控制法合并时，运营控制（operational_control）为必填项，但单元格为空。"),
    (_finding("energy-factor-missing", "Electricity", "quantity", 1, energy_type="steam"),
     "steam has no library factor; supplier_factor_kg_per_kwh is blank.",
     "因子库中没有蒸汽的排放因子，且供应商排放因子（supplier_factor_kg_per_kwh）为空。"),
    (_finding("fuel-volume-not-convertible", "Fuel", "unit", "bbl", fuel="peat"),
     "peat has no density in the library, so 'bbl' cannot be converted.",
     "因子库中没有泥炭的密度，因此无法换算“bbl”。"),
    (_finding("fuel-use-fallback", "Fuel", "use", "offroad", fuel="lpg", use="offroad"),
     "lpg has no CH4/N2O factors for offroad; the stationary energy-industry factors were "
     "used.",
     "液化石油气没有适用于非道路机械的 CH4/N2O 排放因子，已改用 stationary（能源工业固定源燃烧）"
     "排放因子。"),
    (_finding("override-invalid", "Factors", "key", "diesel", factor_type="ncv", key="diesel",
              reason="no unit"),
     "The ncv override for 'diesel' cannot be applied: no unit.",
     "“diesel”的低位发热量覆盖值无法应用：no unit。"),
    (_finding("generation-capacity-factor-high", "Generation", "gross_generation_mwh", 1,
              technology="coal_power", capacity_factor=99, ceiling=90),
     "1 MWh means a capacity factor of 99 %, above the 90 % a coal_power plant reaches.",
     "1兆瓦时对应的容量系数为99%，高于煤电项目可达到的90%。"),
]


@pytest.mark.parametrize(("finding", "english", "chinese"), CASES,
                         ids=[f"{case[0].code}-{case[0].sheet}" for case in CASES])
def test_the_message_names_a_drop_down_value_by_its_label_in_chinese(
        finding: Finding, english: str, chinese: str) -> None:
    assert finding.message("en") == english
    assert finding.message("zh") == chinese


def test_a_value_outside_the_vocabulary_is_named_as_written() -> None:
    finding = _finding("value-outlier", "Fuel", "quantity", 9000.0, median="120",
                       key="camel_dung")
    assert finding.message("zh") == "9000超过本项目 camel_dung 各行中位数（120）的10倍。"


def test_the_hint_that_says_what_to_type_keeps_the_id() -> None:
    finding = Finding("gas-volume-needs-ncv", "error", "Fuel", 5, "B", "fuel", "natural_gas",
                      {"fuel": "natural_gas"})
    assert finding.message("zh") == ("按体积填报的天然气需要在“因子覆盖”工作表中提供 ncv 覆盖值"
                                     "（其甲烷含量因气源而异）。")
    assert finding.message("en") == ("natural_gas given by volume needs an ncv override in "
                                     "Factors (its methane content varies).")
    assert finding.hint("zh") == ("请在“因子覆盖”工作表中添加一行：因子类型（factor_type）为 ncv，"
                                  "key 为 natural_gas，unit 为 MJ/Nm3，并注明来源。")
