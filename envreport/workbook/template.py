"""The blank submission workbook, generated from the sheet models (one source of truth).

Every sheet of :data:`envreport.schema.SHEETS` becomes a sheet with its header row frozen
and styled (required columns bold), a comment on each header (meaning, unit, allowed values,
required or not), a drop-down on every enumerated column, and date and number formats on
typed columns. An ``Instructions`` sheet comes first. In Chinese the sheet tabs (``燃料燃烧``
for Fuel, ``SheetSpec.tab``), labels, comments and instructions are Chinese and enumerated
ids are offered as "label（id）"; the reader takes the Chinese tab names and labels as aliases,
so a filled Chinese template reads back as the same sheets and fields.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from envreport import __version__
from envreport.i18n import check_language, list_separator
from envreport.schema import INSTRUCTIONS_TABS, LISTS_TAB, SHEETS, Sheet, SheetSpec
from envreport.schema.sheets import COMMON_GASES, FUEL_IDS, STANDARD_POLLUTANTS, TARGET_METRICS
from envreport.schema.vocabulary import drop_down_entries
from envreport.workbook.printing import row_height
from envreport.workbook.saving import save_pinned

# Rows that get drop-downs (data validation ranges are cheap: one range per column).
FORMATTED_ROWS = 10000
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FILL = PatternFill("solid", fgColor="BDD7EE")
_TITLE_FONT = Font(bold=True, size=14)

# Suggestions for free-text columns that have a usual vocabulary (other values allowed).
_SUGGESTIONS: dict[tuple[str, str], tuple[str, ...]] = {
    (Sheet.FUEL, "fuel"): FUEL_IDS,
    (Sheet.REFRIGERANTS, "gas"): COMMON_GASES,
    (Sheet.POLLUTANTS, "pollutant"): STANDARD_POLLUTANTS,
    (Sheet.TARGETS, "metric"): TARGET_METRICS,
}
_STRICT_SUGGESTIONS = {(Sheet.FUEL, "fuel")}

# One filled row of the Fuel sheet, shown on the Instructions sheet: what a row looks like.
_EXAMPLE_SHEET = Sheet.FUEL
_EXAMPLE_ROW: dict[str, object] = {
    "project_id": "PK-SOL-01", "fuel": "diesel", "quantity": 1784, "unit": "L",
    "use": "stationary", "period_start": "2024-01-01", "period_end": "2024-01-31",
    "data_quality": "invoice",
}

_TEXT = {
    "en": {
        "tab": INSTRUCTIONS_TABS["en"],
        "title": "envreport submission workbook",
        "intro": ("Fill in one sheet per topic. Row 1 holds the headers: do not rename them. "
                  "Bold headers are required. Hover over a header for its meaning, unit and "
                  "allowed values. Leave a sheet empty if the topic does not apply: the report "
                  "then says 'not reported' rather than showing a zero."),
        "rules": ("Dates: Excel dates or YYYY-MM-DD. Yes/no columns: yes or no. Countries: ISO "
                  "code (CN, CHN), English or Chinese name. Currencies: ISO 4217 (CNY, USD). "
                  "Percentages (headers ending in (%)): 45 or 45% for 45 %, not 0.45. Numbers: "
                  "no units or thousands separators in the cell. Units: t, kg, L, m3, GJ, MWh, "
                  "kWh, MMBtu, therm ...; not a multiple of one (10,000 kWh): convert the "
                  "quantity (× 10 in MWh)."),
        "check": "Check the workbook before submitting: envreport validate FILE.xlsx",
        "sheet": "Sheet", "content": "What it holds", "required": "Required columns",
        "required_word": "Required", "optional_word": "Optional", "unit": "Unit",
        "allowed": "Allowed values", "yes_no": "yes or no", "date": "date (YYYY-MM-DD)",
        "number": "number", "must": " (required sheet)", "field": "field", "value": "value",
        "sheet_line": "{title}{must}: {instructions}", "colon": ": ",
        "version": "Template of envreport",
        "example": "Example: one row of the Fuel sheet (1,784 litres of diesel burnt in a "
                   "generator in January 2024)",
        "yes": "yes", "no": "no",
    },
    "zh": {
        "tab": INSTRUCTIONS_TABS["zh"],
        "title": "envreport 环境信息填报工作簿",
        "intro": ("每个主题填写一张工作表。第1行为表头，请勿修改。"
                  "加粗的表头为必填项。将鼠标悬停在表头上可查看含义、单位和可选值。"
                  "某主题不适用时请将该表留空：报告将显示“未报告”，而不会显示为零。"),
        "rules": ("日期：Excel 日期或 YYYY-MM-DD。是/否列：填“是”或“否”。"
                  "国家：ISO 代码（CN、CHN）、英文或中文名称。币种：ISO 4217 代码（CNY、USD）。"
                  "百分比（表头以 (%) 结尾的列）：45%填45或45%，不要填0.45。"
                  "数字：单元格中不要带单位或千位分隔符。"
                  "单位：t、kg、L、m3、GJ、MWh、kWh、MMBtu、therm 等；不要填写“万千瓦时”“万吨”等"
                  "倍数单位，请换算数量（1万千瓦时等于10 MWh，1万吨等于10 kt）。"),
        "check": "提交前请先检查工作簿：envreport validate 文件.xlsx",
        "sheet": "工作表", "content": "内容", "required": "必填列",
        "required_word": "必填", "optional_word": "选填", "unit": "单位",
        "allowed": "可选值", "yes_no": "“是”或“否”", "date": "日期（YYYY-MM-DD）",
        "number": "数字", "must": "（必需的工作表）", "field": "字段", "value": "取值",
        # Chinese punctuation in Chinese text: full-width brackets and colon (the 、 between
        # items is i18n.list_separator's)
        "sheet_line": "{title}{must}：{instructions}", "colon": "：",
        "version": "envreport 模板版本",
        "example": "示例：“燃料燃烧”工作表中的一行（2024年1月柴油发电机消耗柴油1,784升）",
        "yes": "是", "no": "否",
    },
}


def write_template(path: Path | str, lang: str = "en") -> Path:
    """Write the blank submission workbook in ``lang`` (``en`` or ``zh``) to ``path``."""
    check_language(lang)
    path = Path(path)
    book = Workbook()
    book.properties.creator = "envreport"
    lists = book.create_sheet(LISTS_TAB)
    # a new Workbook starts with one ordinary worksheet, active; the stubs type ``active`` as
    # any sheet kind (or none) because a loaded workbook may hold chartsheets
    _write_instructions(cast(Worksheet, book.active), lang)
    for spec in SHEETS:
        sheet = book.create_sheet(spec.tab(lang))
        if spec.key_value:
            _write_key_value_sheet(sheet, spec, lang, lists)
        else:
            _write_table_sheet(sheet, spec, lang, lists)
    book.move_sheet(LISTS_TAB, offset=len(book.sheetnames))
    lists.sheet_state = "hidden"
    path.parent.mkdir(parents=True, exist_ok=True)
    save_pinned(book, path)
    return path


# Instructions column widths: sheet, what it holds, required columns (and the example's
# header, value, meaning). Rows are sized to their wrapped text from these.
_INSTRUCTION_WIDTHS = {"A": 18.0, "B": 80.0, "C": 50.0}


def _write_instructions(sheet: Worksheet, lang: str) -> None:
    text = _TEXT[lang]
    sheet.title = text["tab"]
    whole = sum(_INSTRUCTION_WIDTHS.values())
    sheet["A1"] = text["title"]
    sheet["A1"].font = _TITLE_FONT
    for row, key in ((3, "intro"), (4, "rules"), (5, "check")):
        sheet.cell(row, 1, text[key]).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        sheet.row_dimensions[row].height = row_height([(text[key], whole)])
    header = (text["sheet"], text["content"], text["required"])
    for col, label in enumerate(header, start=1):
        cell = sheet.cell(7, col, label)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    for offset, spec in enumerate(SHEETS):
        row = 8 + offset
        name_cell = sheet.cell(row, 1, spec.tab(lang))
        name_cell.hyperlink = f"#{quote_sheetname(spec.tab(lang))}!A1"
        name_cell.font = Font(bold=spec.required, color="0563C1", underline="single")
        name_cell.alignment = Alignment(vertical="top")
        title = spec.title_zh if lang == "zh" else spec.title
        instructions = spec.instructions_zh if lang == "zh" else spec.instructions
        line = text["sheet_line"].format(title=title, instructions=instructions,
                                         must=text["must"] if spec.required else "")
        sheet.cell(row, 2, line).alignment = Alignment(wrap_text=True, vertical="top")
        required = list_separator(lang).join(spec.label(f, lang) for f in spec.required_fields)
        sheet.cell(row, 3, required).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[row].height = row_height(
            (sheet.cell(row, col).value, _INSTRUCTION_WIDTHS[letter])
            for col, letter in ((1, "A"), (2, "B"), (3, "C")))
    after = _write_example(sheet, 9 + len(SHEETS), lang)
    sheet.cell(after, 1, f"{text['version']} {__version__}").font = Font(
        italic=True, color="808080")
    for letter, width in _INSTRUCTION_WIDTHS.items():
        sheet.column_dimensions[letter].width = width
    # Printed, the sheet fits one page width (as many pages tall as it takes), in landscape,
    # with the column headings repeated
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = "7:7"
    sheet.print_options.gridLines = False


def _write_example(sheet: Worksheet, row: int, lang: str) -> int:
    """One example row of the Fuel sheet, transposed (a column per line: header, value, what
    it means), from ``row``; returns the first free row after it."""
    text = _TEXT[lang]
    spec = next(s for s in SHEETS if s.name == _EXAMPLE_SHEET)
    sheet.cell(row, 1, text["example"]).font = Font(bold=True)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    for offset, field in enumerate(f for f in spec.fields if f in _EXAMPLE_ROW):
        line = row + 1 + offset
        header = sheet.cell(line, 1, spec.label(field, lang))
        header.font = Font(bold=True)
        header.alignment = Alignment(vertical="top")
        value = str(_EXAMPLE_ROW[field])
        if value in _drop_down_ids(spec, field):  # as its drop-down offers it (柴油（diesel）)
            value = drop_down_entries((value,), lang)[0]
        sheet.cell(line, 2, value).alignment = Alignment(vertical="top")
        meaning = spec.extra(field)["help_zh"] if lang == "zh" else spec.fields[field].description
        sheet.cell(line, 3, meaning).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[line].height = row_height([(meaning, _INSTRUCTION_WIDTHS["C"])])
    return row + 2 + len(_EXAMPLE_ROW)


def _comment_text(spec: SheetSpec, field: str, lang: str) -> str:
    text = _TEXT[lang]
    info = spec.fields[field]
    meta = spec.extra(field)
    lines = [field, meta["help_zh"] if lang == "zh" else (info.description or "")]
    kind = spec.kinds[field]
    if meta.get("unit"):
        lines.append(f"{text['unit']}{text['colon']}{meta['unit']}")
    if ids := _drop_down_ids(spec, field):
        # as the drop-down offers them: 天然气（natural_gas） in Chinese
        lines.append(f"{text['allowed']}{text['colon']}"
                     f"{list_separator(lang).join(drop_down_entries(ids, lang))}")
    elif kind == "bool":
        lines.append(f"{text['allowed']}{text['colon']}{text['yes_no']}")
    elif kind == "date":
        lines.append(text["date"])
    lines.append(text["required_word"] if info.is_required() else text["optional_word"])
    return "\n".join(lines)


def _add_list(lists: Worksheet, values: tuple[str, ...]) -> str:
    """Write ``values`` to a new column of the hidden Lists sheet; return its range."""
    column = (lists.max_column + 1) if lists["A1"].value is not None else 1
    for row, value in enumerate(values, start=1):
        lists.cell(row, column, value)
    letter = get_column_letter(column)
    return f"{LISTS_TAB}!${letter}$1:${letter}${len(values)}"


def _validation(formula: str, strict: bool) -> DataValidation:
    validation = DataValidation(type="list", formula1=formula, allow_blank=True)
    validation.showErrorMessage = True
    validation.errorStyle = "stop" if strict else "warning"
    return validation


def _style_header(cell: Cell, required: bool) -> None:
    cell.font = Font(bold=required)
    cell.fill = _REQUIRED_FILL if required else _HEADER_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="center")


def _drop_down_ids(spec: SheetSpec, field: str) -> tuple[str, ...]:
    """The ids a column's drop-down offers: its allowed values, else its suggestions (none:
    no drop-down)."""
    return tuple(spec.allowed_values(field) or _SUGGESTIONS.get((spec.name, field), ()))


def _write_table_sheet(sheet: Worksheet, spec: SheetSpec, lang: str, lists: Worksheet) -> None:
    for col, (field, info) in enumerate(spec.fields.items(), start=1):
        letter = get_column_letter(col)
        cell = sheet.cell(1, col, spec.label(field, lang))
        _style_header(cell, info.is_required())
        cell.comment = Comment(_comment_text(spec, field, lang), "envreport", width=320,
                               height=160)
        sheet.column_dimensions[letter].width = max(14, min(40, len(str(cell.value)) + 4))
        cells = f"{letter}2:{letter}{FORMATTED_ROWS}"
        kind = spec.kinds[field]
        allowed = spec.allowed_values(field)
        if ids := _drop_down_ids(spec, field):
            strict = bool(allowed) or (spec.name, field) in _STRICT_SUGGESTIONS
            entries = drop_down_entries(ids, lang)
            validation = _validation(_add_list(lists, entries), strict)
            validation.add(cells)
            sheet.add_data_validation(validation)
        elif kind == "bool":
            text = _TEXT[lang]
            validation = _validation(f'"{text["yes"]},{text["no"]}"', strict=False)
            validation.add(cells)
            sheet.add_data_validation(validation)
        if kind in ("date", "number", "integer"):
            # A column style: Excel applies it to every new cell, at no cost per row.
            sheet.column_dimensions[letter].number_format = {
                "date": "yyyy-mm-dd", "number": "#,##0.###", "integer": "0"}[kind]
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 30


def _write_key_value_sheet(sheet: Worksheet, spec: SheetSpec, lang: str,
                           lists: Worksheet) -> None:
    text = _TEXT[lang]
    for col, label in enumerate((text["field"], text["value"]), start=1):
        _style_header(sheet.cell(1, col, label), required=True)
    for row, (field, info) in enumerate(spec.fields.items(), start=2):
        label = spec.extra(field)["label_zh"] if lang == "zh" else field
        key_cell = sheet.cell(row, 1, label)
        key_cell.font = Font(bold=info.is_required())
        key_cell.comment = Comment(_comment_text(spec, field, lang), "envreport", width=320,
                                   height=140)
        value_cell = sheet.cell(row, 2)
        kind = spec.kinds[field]
        if kind == "date":
            value_cell.number_format = "yyyy-mm-dd"
        allowed = spec.allowed_values(field)
        if allowed:
            validation = _validation(_add_list(lists, drop_down_entries(allowed, lang)),
                                     strict=True)
            validation.add(value_cell.coordinate)
            sheet.add_data_validation(validation)
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 48
    sheet.freeze_panes = "A2"
