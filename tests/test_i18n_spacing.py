"""One rule for Chinese spacing around numbers and punctuation, on every surface (the
report's rule, ``envreport.i18n.gap``).

In Chinese text no space separates a number from the Chinese around it: ``第1行``,
``19个错误``, ``（超过20%）``, and so a number filled in (``{count}``, ``%(year)s``) sits
against the Chinese too; a percent sign follows its number directly. A number that belongs
to a Latin name keeps its space (``ISO 4217 币种代码``, ``GRI 302-1``), as do Latin words
and the names filled in (``Fuel 工作表``), as the report writes them (docs/cli.md,
"Chinese text"). No space touches full-width punctuation or separates two Chinese
characters, also where a name is filled in: "单位（unit）为必填项", "unit 为必填项".
"""

from __future__ import annotations

import ast
import csv
import re
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from typer.testing import CliRunner

from envreport.cli import app
from envreport.findings import Finding
from tests.conftest import ROOT, SAMPLES

PACKAGE = ROOT / "envreport"
LOCALE = PACKAGE / "locale" / "zh" / "LC_MESSAGES"
CATALOGUES = sorted(LOCALE.glob("*.po"))
# Chinese characters and full-width punctuation
CJK = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
# The placeholders that are filled in with a number or a date (rows, counts, years, shares,
# periods, figures); the others (NAMED) carry names (a sheet, a field, a file, a value as
# the cell held it), which are written as Latin words are. Every placeholder of the
# catalogues is one or the other (test_every_placeholder_is_numeric_or_named): a new one
# fails that test until it is put here or there.
NUMERIC = frozenset((
    "avg base_year capacity_factor capacity_mw ceiling change combustion computed "
    "construction_start count data_rows day difference_pct earliest effect efficiency end "
    "errors factor_year filled first_row fuel_gj gross group_end group_start header_row hours "
    "issue_date latest length lifecycle limit max_length max_mwh max_rows median n offroad "
    "other_row page pages period_end period_start project_row protected_area_km quantity "
    "recalculated recorded reporting_year row rows share shown sold_gj start stated threshold "
    "replaced submission tolerance_pct total rate other_rate "
    "warnings year factor times ranges seconds megabytes read built "
    # an amount with its currency after it ("112,175人民币": Formatters.money)
    "amount converted").split())
NAMED = frozenset((
    "allowed approach bound choices citation code column consequence contract_sheet counts "
    "currency detail eia_status energy_type entities entity entity_id error example expected "
    "factor_type field field_label file files first fixed_unit fuel group group_gwp_set gwp "
    "gwp_set header_unit id ifi key language login message method metric name path paths "
    "project_id provider parent_id range reason reasons reporting_currency roles scope second "
    "severity sheet standard status suggestion decisions technology topic use value version via "
    "where accepted unit target corrections multiplier named given row_unit signal "
    "relation names what").split())
_NAMES = "|".join(sorted(NUMERIC))
# a number as written or filled in, with the % that may follow it
NUMBER = rf"(?:\d[\d.,]*|\{{(?:{_NAMES})\}}|%\((?:{_NAMES})\)[sdf])%?"
SPACED = re.compile(
    rf"[{CJK}] +(?={NUMBER}(?![A-Za-z]))"  # 第 1 行
    rf"|(?<![A-Za-z] )(?<![A-Za-z\-_\d.,]){NUMBER} +(?=[{CJK}])"  # 1 行 (not ISO 4217 币种)
    rf"|(?<=[\d}}]) +%")  # 25 %
# Full-width punctuation and Chinese quotes (no space touches them), Chinese characters (no
# space between two)
FULL_WIDTH = "\u3000-\u303f\uff00-\uffef\u2018\u2019\u201c\u201d"
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
PUNCTUATION_SPACED = re.compile(rf"[{FULL_WIDTH}] +(?=\S)|(?<=\S) +[{FULL_WIDTH}]"
                                rf"|[{HAN}] +(?=[{HAN}])")


def _spaced(text: str) -> bool:
    return bool(SPACED.search(text) or PUNCTUATION_SPACED.search(text))


def _catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale="zh")


def _translations(path: Path) -> list[str]:
    return [text for message in _catalog(path) if message.id
            for text in ([message.string] if isinstance(message.string, str)
                         else message.string) if text]


def test_every_placeholder_is_numeric_or_named() -> None:
    """The rule knows which placeholders are numbers only if each is classified: one left
    out would be read as a name, and "共 {n} 行" with it would pass unseen."""
    placeholders = {name for path in CATALOGUES for text in _message_ids(path)
                    for pair in re.findall(r"\{(\w+)|%\((\w+)\)", text)
                    for name in pair if name}
    assert not NUMERIC & NAMED
    assert sorted(placeholders - NUMERIC - NAMED) == []
    assert {"filled", "difference_pct"} <= placeholders  # r11's new ones: the extraction works


def _message_ids(path: Path) -> list[str]:
    return [text for message in _catalog(path) if message.id
            for text in (message.id if isinstance(message.id, tuple) else (message.id,))]


def test_the_rule_finds_what_it_should_and_nothing_else() -> None:
    spaced = ["第 1 行", "共 {n} 行", "超过 20 %", "{share} % 的", "%(start)s 至", "（0 字节）",
              "售出 {sold_gj} 吉焦"]
    fine = ["第1行", "共{n}行", "超过20%", "{share}%的", "%(start)s至", "ISO 4217 币种代码",
            "（GRI 302-1）", "Fuel 工作表", "SF6 等", "工作表 {sheet} 没有", "{file} 有",
            "{value} MWh 超过"]
    assert [text for text in spaced if not SPACED.search(text)] == []
    assert [text for text in fine if SPACED.search(text)] == []
    spaced = ["单位（unit） 为必填项", "请填写 单位（unit）", "“燃料燃烧” 工作表", "或 是", "：“EA”"
              "，实际填写的是 “x”", "项目编号（project_id） 'EA-RAIL-01'"]
    fine = ["单位（unit）为必填项", "unit 为必填项", "列 internal_note 不属于", "Fuel 工作表",
            "（也接受 yes/no、true/false、y/n）", "请填写“是”或“否”"]
    assert [text for text in spaced if not PUNCTUATION_SPACED.search(text)] == []
    assert [text for text in fine if _spaced(text)] == []


@pytest.mark.parametrize("path", CATALOGUES, ids=[p.name for p in CATALOGUES])
def test_no_zh_catalogue_spaces_a_number_from_chinese(path: Path) -> None:
    assert {p.name for p in CATALOGUES} >= {"findings.po", "portal.po", "report.po",
                                             "status.po"}
    assert [text for text in _translations(path) if _spaced(text)] == []


def test_no_chinese_text_in_the_code_spaces_a_number_from_chinese() -> None:
    """The Chinese written in the code itself: policy flags, the template's notes, the
    sheets' descriptions (and so the JSON Schemas made from them)."""
    chinese = re.compile("[\u4e00-\u9fff]")
    spaced = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # docstrings are English prose quoting Chinese (“煤电（coal_power）”): only the
        # number rule applies to them
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
                      and node.body and isinstance(node.body[0], ast.Expr)
                      and isinstance(node.body[0].value, ast.Constant)}
        spaced += [f"{path.relative_to(PACKAGE)}:{node.lineno}" for node in ast.walk(tree)
                   if isinstance(node, ast.Constant) and isinstance(node.value, str)
                   and chinese.search(node.value)
                   and (SPACED.search(node.value) if id(node) in docstrings
                        else _spaced(node.value))]
    assert spaced == []


def test_no_chinese_text_of_the_factor_data_spaces_a_number_from_chinese() -> None:
    """The factor library's Chinese columns (citations, publications, uses), which the
    Chinese report prints: "生态环境部、国家统计局 2023年…" was spaced."""
    chinese = {f"{path.name}:{line}:{column}": text
               for path in sorted((PACKAGE / "factors" / "data").glob("*.csv"))
               for line, row in enumerate(
                   csv.DictReader(path.read_text(encoding="utf-8").splitlines()), 2)
               for column, text in row.items() if column.endswith("_zh") and text}
    assert "publications.csv:26:citation_zh" in chinese
    assert [where for where, text in chinese.items() if _spaced(text)] == []


def test_console_and_findings_write_numbers_as_the_report_does() -> None:
    result = CliRunner().invoke(app, ["validate", str(SAMPLES / "faulty" /
                                                      "faulty_submission.xlsx"),
                                      "--lang", "zh", "-q"])
    # the Chinese colon and comma (was "faulty_submission.xlsx: 无效 — 19个错误，4个警告")
    assert result.stdout.splitlines()[0] == "faulty_submission.xlsx：无效，19个错误，4个警告"
    english = CliRunner().invoke(app, ["validate", str(SAMPLES / "faulty" /
                                                       "faulty_submission.xlsx"), "-q"])
    assert english.stdout.splitlines()[0] == (
        "faulty_submission.xlsx: INVALID — 19 errors, 4 warnings")
    from envreport.console import stage_label

    assert (stage_label("pdf:zh", "zh"), stage_label("render:en", "zh")) == (
        "正在写入 PDF（zh）", "正在生成 HTML（en）")
    assert stage_label("pdf:zh") == "Writing the PDF (zh)"
    estimated = Finding("estimated-share-high", "warning", sheet="Fuel", params={"share": 25})
    assert estimated.message("zh") == "“燃料燃烧”工作表中有25%的数据行为估算值（超过20%）。"
    header = Finding("header-not-in-row-1", "error", sheet="Fuel", params={"header_row": 3})
    assert header.message("zh") == "表头必须位于第1行（实际在第3行）。"


def test_a_number_and_its_unit_are_joined_as_the_language_writes_them() -> None:
    """In Chinese a unit written in Chinese sits against its number (``18.3太焦``); a unit
    left Latin keeps its space, as in English; the workbook's unit text is escaped."""
    from markupsafe import Markup

    from envreport.render.formatters import Formatters

    en, zh = Formatters("en"), Formatters("zh")
    assert en.with_unit(en.number(18.27), "TJ") == "18.3 TJ"
    assert zh.with_unit(zh.number(18.27), "TJ") == "18.3太焦"
    assert zh.with_unit(zh.factor(0.84), "kg/L") == "0.84千克/升"
    assert zh.with_unit(zh.number(5.0), "lb") == "5.0 lb"  # no Chinese name: a Latin word
    assert zh.with_unit("7", None) == "7"
    assert (zh.unit_gap("tCO2e"), en.unit_gap("tCO2e"), zh.unit_gap("lb")) == ("", " ", " ")
    # a number already markup (a figure with its marks): the workbook's unit escaped after it
    hostile = zh.with_unit(Markup("<i>5.0</i>"), "<b>")
    assert isinstance(hostile, Markup)
    assert hostile == "<i>5.0</i> &lt;b&gt;"
    # a figure not reported has no unit to join (not "未报告 &lt;b&gt;")
    assert zh.with_unit(zh.not_reported(), "<b>") == '<span class="nr">未报告</span>'


def test_no_table_or_figure_of_the_chinese_report_spaces_a_number_from_its_unit() -> None:
    """The report's tables and cards join a value and its unit in the template (the
    appendix's activity, the trail's factor, the methodology's density and NCV, the key
    figures): "18.3 太焦" and "密度0.84 千克/升" were printed beside "第1行"."""
    from tests.test_render_reading import soup

    body = soup("zh").find("body")
    cells = [re.sub(r"\s+", " ", cell.get_text("")).strip()
             for cell in body.find_all(["td", "th", "figcaption", "caption"])
             + body.select(".kpi .v")]
    assert [text for text in cells if SPACED.search(text)] == []
    assert "18.3太焦" in cells  # Sulawesi's diesel in the appendix, worked in test_render_reading
    assert "密度0.84千克/升 × 低位发热量43吉焦/吨" in cells
    assert body.select(".kpi .v")[0].get_text("") == "2,612,261吨二氧化碳当量"


def test_the_one_rule_spaces_two_pieces_of_text_as_chinese_writes_them() -> None:
    """``i18n.gap``: none beside full-width punctuation, between Chinese characters, between
    a number and Chinese; one between a Latin word and Chinese; always one in English."""
    from envreport.i18n import gap

    cases = {("单位（unit）", "为必填项"): "", ("请填写", "单位（unit）"): "",
             ("“燃料燃烧”", "工作表"): "", ("柴油", "不是"): "", ("第", "1"): "",
             ("18.3", "太焦"): "", ("-5,200", "吨"): "", ("25%", "的"): "",
             ("unit", "为必填项"): " ", ("列", "internal_note"): " ", ("EA-SOL-01", "未在"): " ",
             ("ISO 4217", "币种代码"): " ", ("5.0", "lb"): " ", ("", "为"): " "}
    assert {pair: gap(*pair, "zh") for pair in cases} == cases
    assert {gap(*pair, "en") for pair in cases} == {" "}


def test_a_filled_in_name_is_spaced_by_the_rule() -> None:
    """The catalogue writes a space beside a name filled in ("{field} 为必填项"): a Latin
    name keeps it, a Chinese label in full-width brackets or a Chinese value does not."""
    from envreport.i18n import fill

    assert fill("{field} 为必填项，请填写 {field} 的值。", {"field": "单位（unit）"}, "zh") == (
        "单位（unit）为必填项，请填写单位（unit）的值。")
    assert fill("{field} 为必填项，请填写 {field} 的值。", {"field": "unit"}, "zh") == (
        "unit 为必填项，请填写 unit 的值。")
    assert fill("{value!r} 不是 {field} 的允许取值", {"value": "柴油", "field": "燃料（fuel）"},
                "zh") == "“柴油”不是燃料（fuel）的允许取值"
    assert fill("{value} 不是 {key} 的 {n} 倍", {"value": "柴油", "key": "燃料", "n": 3},
                "zh") == "柴油不是燃料的3倍"
    assert fill("{a} {b}", {"a": "“项目”", "b": "x"}, "zh") == "“项目”x"
    assert fill("{field} is required.", {"field": "unit"}, "en") == "unit is required."
    # a quoted text: in Chinese quotes in Chinese, its line break escaped as repr escapes it;
    # Python's repr in English; a number unquoted in both
    assert fill("实际填写的是 {value!r}。", {"value": "12,5\nt"}, "zh") == (
        "实际填写的是“12,5\\nt”。")
    assert fill("got {value!r}.", {"value": "12,5\nt"}, "en") == "got '12,5\\nt'."
    assert fill("实际填写的是 {value!r}。", {"value": 5}, "zh") == "实际填写的是5。"
    assert fill("{n:,} rows", {"n": 12345}, "en") == "12,345 rows"


def test_no_finding_in_chinese_spaces_a_chinese_name_or_value() -> None:
    """Every code's message and hint, its field the Chinese column label with its name in
    brackets and every value Chinese: no space beside a bracket or between Chinese words.
    The messages of the faulty sample as a Chinese reader reads them (console, JSON,
    annotated copy, portal)."""
    from envreport.codes import CODES

    spaced = {}
    for code, entry in sorted(CODES.items()):
        names = {name for template in (entry.message, entry.hint)
                 for _, name, _, _ in string.Formatter().parse(template) if name}
        finding = Finding(code, entry.severity, sheet="Fuel", row=5, column="C",
                          field="quantity", value="柴油",
                          params={name: "柴油" for name in names - {"sheet", "field", "value"}})
        for template, text in ((entry.message, finding.message("zh")),
                               (entry.hint, finding.hint("zh"))):
            assert ("消耗量（quantity）" in text) == ("{field}" in template), text
            if PUNCTUATION_SPACED.search(text):
                spaced[code] = text
    assert spaced == {}
    required = Finding("required-missing", "error", sheet="Fuel", row=31, column="F",
                       field="unit")
    assert required.message("zh") == "单位（unit）为必填项，但单元格为空。"
    assert required.hint("zh") == "请填写单位（unit）的值。"
    outside = Finding("required-missing", "error", sheet="Notes", row=3, column="B",
                      field="unit")  # no Chinese label: a Latin name keeps its space
    assert outside.message("zh") == "unit 为必填项，但单元格为空。"
    duplicate = Finding("project-duplicate", "error", "Projects", 5, "A", "project_id",
                        "EA-RAIL-01", {"first_row": 3})
    assert duplicate.message("zh") == (
        "项目编号（project_id）“EA-RAIL-01”在“项目”工作表中出现了不止一次（首次出现在第3行）。")
    unknown = Finding("project-unknown", "error", "Fuel", 29, "A", "project_id", "EA-SOL-10",
                      {"suggestion": "EA-SOL-01"})
    assert unknown.message("zh") == (
        "项目编号（project_id）“EA-SOL-10”未在“项目”工作表中列出。您是否想输入 EA-SOL-01？")
    assert unknown.message("en") == (
        "project_id 'EA-SOL-10' is not listed on the Projects sheet. Did you mean EA-SOL-01?")


def test_a_named_field_is_not_followed_by_its_value_in_a_second_bracket() -> None:
    """"期间结束（period_end）（2024-06-30）早于…" read as two labels: the value follows 为
    ("期间结束（period_end）为2024-06-30，早于期间开始日期2024-07-01")."""
    doubled = [text for path in CATALOGUES for text in _translations(path)
               if re.search(r"）（\{|\{field\}（\{", text)]
    assert doubled == []
    # nor a bracket inside a bracket (（项目编号（project_id）EA-SOL-01，…）)
    nested = [text for path in CATALOGUES for text in _translations(path)
              if re.search(r"（[^（）]*（", text)]
    assert nested == []
    before = Finding("period-end-before-start", "error", "Fuel", 20, "C", "period_end",
                     "2024-06-30", {"start": "2024-07-01"})
    assert before.message("zh") == (
        "期间结束（period_end）为2024-06-30，早于期间开始日期2024-07-01。")
    # the columns a duplicate row shares, named as the template heads them (was fuel/use)
    duplicate = Finding("duplicate-row", "warning", "Fuel", 37, "A", None, None,
                        {"other_row": 38, "key": "fuel/use"})
    assert duplicate.message("zh") == (
        "本行与第38行的项目、期间、燃料（fuel）、用途（use）和数量（按单位换算后比较）均相同。")
    assert duplicate.message("en") == (
        "This row and row 38 have the same project, period, fuel/use and quantity "
        "(compared after unit conversion).")
    covered = Finding("instrument-quantity-exceeds", "error", "Electricity", 9, "J",
                      "instrument_quantity", 900000, {"quantity": 778696})
    assert covered.message("zh") == (
        "工具覆盖量（instrument_quantity）为900000，大于消耗量778696。")


def test_a_period_is_written_as_the_language_writes_a_range() -> None:
    """"2024年1月1日 – 2024年12月31日" put English's spaced dash between Chinese dates on the
    cover, the running header, the about table and the history: 至 in Chinese."""
    from envreport.render.formatters import Formatters

    assert Formatters("zh").period("2024-01-01", "2024-12-31") == "2024年1月1日至2024年12月31日"
    assert Formatters("en").period("2024-01-01", "2024-12-31") == (
        "1 January 2024 – 31 December 2024")
    # an end without a start: the start says so, the range joined the same way
    assert Formatters("zh").period(None, "2024-12-31") == (
        '<span class="nr">未报告</span>至2024年12月31日')
    assert Formatters("en").period(None, "2024-12-31") == (
        '<span class="nr">Not reported</span> – 31 December 2024')
    templates = ROOT / "templates"
    spaced = [path.name for path in sorted(templates.rglob("*.html"))
              if re.search(r"\|date \}\} – \{\{", path.read_text(encoding="utf-8"))]
    assert spaced == []


def test_a_list_and_a_code_in_brackets_are_punctuated_from_one_place() -> None:
    """The portal's and the findings' lists and brackets are i18n's, each language's form in
    one table: no template chooses a separator or a bracket by an if on the language."""
    from envreport.i18n import bracketed, list_separator
    from envreport.render.environment import builtin_template_dir, make_environment

    assert [list_separator(lang) for lang in ("en", "zh")] == [", ", "、"]
    assert [bracketed("SRE", lang) for lang in ("en", "zh")] == ["(SRE)", "（SRE）"]
    macro = ('{% from "portal/_macros.html" import entity_name, entity_code %}'
             "{% set e = {'entity_id': 'SRE', 'name': 'Silk Road Energy', "
             "'name_zh': '丝路能源有限公司'} %}"
             "{{ entity_name(e, lang) }}{{ entity_code(e, lang) }}")
    assert make_environment("en").from_string(macro).render() == (
        'Silk Road Energy <span class="muted">(SRE)</span>')
    assert make_environment("zh").from_string(macro).render() == (
        '丝路能源有限公司<span class="muted">（SRE）</span>')
    chosen = [path.name for path in builtin_template_dir().rglob("*.html")
              if re.search(r'"、" if lang|lang == "zh" %}<span class="muted">（',
                           path.read_text(encoding="utf-8"))]
    assert chosen == []


def test_a_chinese_character_is_a_han_ideograph_and_nothing_else() -> None:
    # one definition (i18n.HAN_CHAR) for the spacing rule and suggest's Chinese words;
    # every character Unicode names a CJK ideograph up to the end of plane 3, and no other
    import unicodedata

    from envreport.i18n import HAN_CHAR, gap

    wrong = [hex(code) for code in range(0x40000)
             if (name := unicodedata.name(chr(code), ""))
             and bool(HAN_CHAR.match(chr(code))) != name.startswith(
                 ("CJK UNIFIED IDEOGRAPH-", "CJK COMPATIBILITY IDEOGRAPH-"))]
    assert wrong == []
    # the edges of the blocks: Extension A ends at U+4DBF, the Yijing hexagrams (U+4DC0 to
    # U+4DFF) are symbols, the Unified Ideographs begin at U+4E00; Extension B at U+20000
    assert [bool(HAN_CHAR.match(ch)) for ch in "\u4dbf\u4dc0\u4dff\u4e00\u9fff\ua000"] == [
        True, False, False, True, True, False]
    assert [bool(HAN_CHAR.match(ch)) for ch in "\uf8ff\uf900\ufaff\ufb00"] == [
        False, True, True, False]
    assert [bool(HAN_CHAR.match(ch)) for ch in "\U0001ffff\U00020000\U0002a6df"] == [
        False, True, True]
    assert gap("石", "\U00020000", "zh") == ""  # two characters: no space between them
    assert gap("石", "\u4dc0", "zh") == " "  # ䷀ is no character of the text
