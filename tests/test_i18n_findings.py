"""The Chinese findings catalogue: complete, placeholder-safe, and in step with the code table.

Every code's title, message and hint, and every string the console and the annotated copy
pass to ``gettext``, must have a Chinese translation that keeps the English ``{placeholders}``
(same names, same ``!r`` conversions), formats without error, and is what the run-time
catalogue actually serves. ``findings.po`` must be what the extractor writes.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from envreport.codes import CODES, _Params
from envreport.findings import Finding
from envreport.i18n import gettext, missing_translations
from tests.conftest import load_script

ROOT = Path(__file__).resolve().parent.parent
PO_PATH = ROOT / "envreport" / "locale" / "zh" / "LC_MESSAGES" / "findings.po"


extractor = load_script("extract_findings_messages")
EXTRACTION = extractor.extract()
CODE_STRINGS = sorted({getattr(c, role) for c in CODES.values()
                       for role in ("title", "message", "message_one", "hint")
                       if getattr(c, role)})
UI_STRINGS = sorted({msgid for msgid, entry in EXTRACTION.entries.items() if entry.locations})
ALL_STRINGS = sorted(set(CODE_STRINGS) | set(UI_STRINGS))


def _placeholders(template: str) -> set[tuple[str, str | None, str]]:
    """The ``{name!conv:spec}`` fields of a ``str.format`` template."""
    return {(name, conversion, spec or "")
            for _, name, spec, conversion in string.Formatter().parse(template)
            if name is not None}


def _po_strings() -> dict[str, str]:
    with PO_PATH.open("rb") as handle:
        catalog = read_po(handle, locale="zh")
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}


def test_console_and_annotate_strings_are_extracted() -> None:
    assert EXTRACTION.unresolved == [], "gettext calls the extractor cannot resolve"
    expected = {
        "Rendering the HTML", "Writing the PDF", "Reading the workbook", "Validating",
        "Computing the figures", "valid", "INVALID", "{errors} errors, {warnings} warnings",
        "(file)", "Cell",
        "Severity", "Code", "Message", "Rows", "Sheet", "read", "accepted", "rejected",
        "blank", "error", "warning", "Field", "Value", "Hint", "More findings were not listed.",
    }
    assert expected <= set(UI_STRINGS)


def test_every_string_has_a_chinese_translation() -> None:
    assert missing_translations(ALL_STRINGS, "zh") == []
    assert all(gettext(text, "zh").strip() for text in ALL_STRINGS)


def test_runtime_catalogue_serves_the_findings_translations() -> None:
    """Domains share one run-time dictionary: another .po must not shadow these entries."""
    po = _po_strings()
    shadowed = {text: (po[text], gettext(text, "zh"))
                for text in ALL_STRINGS if gettext(text, "zh") != po.get(text)}
    assert shadowed == {}


@pytest.mark.parametrize("text", ALL_STRINGS)
def test_translation_keeps_the_placeholders(text: str) -> None:
    translated = gettext(text, "zh")
    assert _placeholders(translated) == _placeholders(text), translated


# what every finding provides itself (codes._fill); the rest come from the finding's params
_POSITION = {"sheet": "Fuel", "cell": "C5", "field": "quantity", "value": "abc", "column": "C"}


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_formats_in_chinese(code: str) -> None:
    entry = CODES[code]
    names = {name for template in (entry.message, entry.hint)
             for name, _, _ in _placeholders(template)}
    params = {name: f"<{name}>" for name in names - set(_POSITION)}
    finding = Finding(code, entry.severity, sheet="Fuel", row=5, column="C", field="quantity",
                      value="abc", params=params)
    # the field as the Chinese template heads it, with its canonical name in brackets; the
    # sheet as the Chinese template names its tab
    values = _Params({**_POSITION, "field": "消耗量（quantity）", "sheet": "“燃料燃烧”",
                      **params})
    message, hint = finding.message("zh"), finding.hint("zh")
    for template, text in ((entry.message, message), (entry.hint, hint)):
        # every placeholder was filled with its value (a failed format leaves the template)
        for name, _, _ in _placeholders(template):
            assert str(values[name]) in text, (name, text)
        assert "{" not in text
        assert "}" not in text
    assert message != entry.message.format_map(values)
    assert finding.to_dict("zh")["message"] == message


def test_a_message_and_hint_in_chinese_as_written() -> None:
    finding = Finding("sheet-missing", "error", sheet="Fuel")
    assert finding.message("zh") == "缺少必需的工作表“燃料燃烧”。"
    assert finding.hint("zh") == "请添加该工作表，或从模板重新开始填写（envreport template）。"
    estimated = Finding("estimated-share-high", "warning", sheet="Fuel", params={"share": 25})
    assert estimated.message("en") == "25 % of the Fuel rows are estimated (above 20 %)."
    assert estimated.message("zh") == "“燃料燃烧”工作表中有25%的数据行为估算值（超过20%）。"


def test_chinese_text_names_the_chinese_tab_the_position_stays_canonical() -> None:
    """The zh template's tab (项目) in the text; sheet, cell and JSON as the contract says."""
    duplicate = Finding("project-duplicate", "error", "Projects", 5, "A", "project_id",
                        "EA-RAIL-01", {"first_row": 3})
    assert duplicate.message("zh") == (
        "项目编号（project_id）“EA-RAIL-01”在“项目”工作表中出现了不止一次（首次出现在第3行）。")
    assert duplicate.message("en") == (
        "project_id 'EA-RAIL-01' appears more than once on Projects (first at row 3).")
    as_json = duplicate.to_dict("zh")
    assert (as_json["sheet"], as_json["cell"]) == ("Projects", "A5")
    # a tab that is no contract sheet keeps its own name; the contract sheet it should be
    # is named as the Chinese template names it
    renamed = Finding("sheet-renamed", "error", "Project", params={"contract_sheet": "Projects"})
    assert renamed.message("zh") == (
        "工作表“Project”的表头与“项目”工作表相同，但名称不同，因此其数据行未被读取。")
    assert renamed.hint("zh") == "将工作表“Project”重命名为“项目”（双击其标签）。"
    assert renamed.message("en").startswith("The sheet Project has the header of the Projects")
    missing = Finding("field-missing", "error", "Organization", field="currency")
    assert missing.message("zh").startswith("“机构信息”工作表中缺少")


def test_po_file_is_up_to_date(tmp_path: Path) -> None:
    out = tmp_path / "findings.po"
    assert extractor.main(["--existing", str(PO_PATH), "--output", str(out)]) == 0
    with out.open("rb") as handle:
        fresh = [m.id for m in read_po(handle, locale="zh") if m.id]
    with PO_PATH.open("rb") as handle:
        current = [m.id for m in read_po(handle, locale="zh") if m.id]
    assert current == fresh, "run python scripts/extract_findings_messages.py"
    # byte for byte, as `--check` compares it: a msgid written wrapped by hand passed the
    # comparison of ids above while --check failed
    assert out.read_bytes() == PO_PATH.read_bytes(), "run extract_findings_messages.py"


def test_chinese_messages_name_a_field_by_its_label_with_its_name_in_brackets() -> None:
    """"report_status 为定稿，但 publication_date 为空" named the fields by their ids alone:
    the Chinese text names them as the Chinese template heads them, 报告状态（report_status）.
    A snake_case word outside brackets is a value the cell holds (i_rec), never a field."""
    values = {"i_rec", "green_tariff"}
    bare = {text: words for text in _po_strings().values()
            if (words := set(re.findall(r"(?<![（A-Za-z_./-])[a-z]+_[a-z_0-9]+(?![）A-Za-z_])",
                                        re.sub(r"\{[^}]*\}", "", text))) - values)}
    assert bare == {}
