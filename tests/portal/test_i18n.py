"""Every text of the portal's pages has its Chinese translation (envreport/locale/zh)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from envreport.i18n import missing_translations
from envreport.portal.jobs import process_upload
from envreport.portal.service import COMPARED_FIGURES
from envreport.render.vocabulary import INPUT_STATES
from tests.conftest import ROOT
from tests.portal.support import Seeded

TEMPLATES = ROOT / "templates" / "portal"
# a message alone, _("..."), or with its arguments, _("... %(name)s ...", name=...)
_MESSAGE = re.compile(r'_\("((?:[^"\\]|\\.)*)"[,)]')


def _template_strings() -> list[str]:
    found: set[str] = set()
    for path in TEMPLATES.glob("*.html"):
        text = path.read_text(encoding="utf-8")
        found |= set(_MESSAGE.findall(text))
    return sorted(found)


def test_every_template_string_is_translated() -> None:
    strings = _template_strings()
    assert "Download the annotated copy" in strings
    assert "Against the prior period (%(start)s – %(end)s, restated)" in strings
    assert "restated: %(reasons)s" in strings
    assert missing_translations(strings, "zh") == []


def test_roles_states_figures_and_refusals_are_translated() -> None:
    assert process_upload.__doc__  # the refusals below are the ones it gives
    words = ["admin", "auditor", "submitter", "current", "superseded", "rejected", "open",
             "closed", "error", "warning", *(label for _key, label in COMPARED_FIGURES),
             *INPUT_STATES.values(),  # a state's label on every page (web.environment)
             "This workbook is for entity {entity}, which you may not submit for.",
             "The period {year} is closed: it accepts no more submissions.",
             "The workbook names no entity: fill in its Organization sheet and upload it "
             "again.", "Wrong user name or password.",
             "Too many failed attempts. Try again in a few minutes."]
    assert missing_translations(words, "zh") == []


def test_the_language_switch_is_on_every_page(clients: dict[str, TestClient]) -> None:
    for role, path in (("anon", "/login"), ("sub", "/"), ("sub", "/upload"),
                       ("aud", "/board"), ("adm", "/admin"), ("adm", "/nope")):
        page = clients[role].get(path).text
        assert 'class="lang" href="/lang/zh?next=' in page, (role, path)
    chinese = clients["aud"].get("/board?lang=zh").text
    assert "<h1>2024年报送状态</h1>" in chinese  # not "报送状态 2024"
    assert "<h1>Status board 2024</h1>" in clients["aud"].get("/board?lang=en").text
    assert 'href="/lang/en?next=' in chinese
    assert '<html lang="zh-Hans">' in chinese


def test_chinese_pages_head_and_bracket_as_the_chinese_messages_do(
        clients: dict[str, TestClient], seeded: Seeded) -> None:
    """Found walking the portal in Chinese (r11): the findings were headed "Projects",
    "Incidents" while their messages name the tabs “项目”工作表; the entity's code stood in
    half-width brackets after a space (丝路能源有限公司 (SRE)); the audit log's column read
    措施 (the report's mitigation "Action")."""
    faulty = f"/submissions/{seeded.srea_id}"
    headings = re.compile(r"<h3>([^<]+)</h3>")
    assert headings.findall(clients["sub"].get(faulty + "?lang=zh").text) == [
        "项目（Projects）", "燃料燃烧（Fuel）", "外购能源（Electricity）", "发电量（Generation）",
        "制冷剂与 SF6（Refrigerants）", "废弃物（Waste）", "环境事件（Incidents）"]
    assert headings.findall(clients["sub"].get(faulty + "?lang=en").text) == [
        "Projects", "Fuel", "Electricity", "Generation", "Refrigerants", "Waste", "Incidents"]
    # how it was received, in the page's language (the seed recorded it as from the web)
    received = re.compile(r"<dd>[^<]* UTC · sub([^<]*)</dd>")
    assert received.findall(clients["sub"].get(faulty + "?lang=zh").text) == ["（网页）"]
    assert received.findall(clients["sub"].get(faulty + "?lang=en").text) == [" (web)"]
    # the entity's code in full-width brackets: test_chinese_names, with the pages' names
    audit = clients["adm"].get("/admin/audit?lang=zh").text
    assert "<th>时间</th><th>操作人</th><th>操作</th><th>详情</th>" in audit
    # the new entity's id is its code (主体代码), not 主体 as the entity itself
    admin_page = clients["adm"].get("/admin?lang=zh").text
    assert '<label>主体代码 <input name="entity_id"' in admin_page


def test_a_finding_reads_in_chinese_without_spaces_beside_its_brackets(
        clients: dict[str, TestClient], seeded: Seeded) -> None:
    """The findings list of the faulty workbook: the field as the Chinese template heads it,
    against the Chinese around it ("单位（unit） 为必填项" read a space after the bracket), and
    the code after the full stop without a space; in English as it was."""
    from bs4 import BeautifulSoup

    faulty = f"/submissions/{seeded.srea_id}"

    def message(lang: str) -> str:
        page = BeautifulSoup(clients["sub"].get(f"{faulty}?lang={lang}").text, "html.parser")
        row = page.select_one('tr[data-code="required-missing"][data-cell="F31"]')
        assert row is not None
        return row.select("td")[2].get_text()

    assert message("zh") == "单位（unit）为必填项，但单元格为空。required-missing"
    assert message("en") == "unit is required but blank. required-missing"


def test_every_action_the_code_audits_has_a_label_in_both_languages() -> None:
    """The audit page reads each action by its label: an action written anywhere (ledger,
    portal) without one would show as a code; the labels and the details' are translated."""
    from envreport.ledger.accounts import DECISIONS, SYSTEM_ACTORS
    from envreport.portal.audit import ACTIONS, DETAILS

    source = "\n".join(path.read_text(encoding="utf-8")
                       for path in sorted((ROOT / "envreport").rglob("*.py")))
    written = set(re.findall(r'audit[(,]\s*(?:connection,\s*)?"([a-z_.]+)"', source))
    assert {"login_failed", "upload_refused", "submission.record", "report_build"} <= written
    assert 'f"period.{new_state}"' in source
    assert 'f"review.{decision}"' in source
    written |= {"period.open", "period.closed", *(f"review.{d}" for d in DECISIONS)}
    assert sorted(written) == sorted(ACTIONS)
    assert missing_translations([*ACTIONS.values(), *DETAILS.values(),
                                 *SYSTEM_ACTORS.values()], "zh") == []


def test_a_change_in_percent_is_written_by_the_reports_rule() -> None:
    """The submission page's change against the prior period is the report's ``signed``
    (its ``pct`` filter), not a "%" or " %" the page chose itself: grouped, signed, a dash
    without a change, the percent sign spaced as each language writes it."""
    from envreport.portal.web import environment

    page = (TEMPLATES / "submission.html").read_text(encoding="utf-8")
    assert "{{ signed(f.change_pct) }}" in page
    assert '" %"' not in page
    texts = '{% from "_partials/_tables.html" import signed %}' \
            "{{ signed(4.26) }}|{{ signed(-0.6) }}|{{ signed(none) }}|{{ signed(1234.5) }}"
    assert environment("en").from_string(texts).render() == "+4.3 %|-0.6 %|—|+1,234.5 %"
    assert environment("zh").from_string(texts).render() == "+4.3%|-0.6%|—|+1,234.5%"


def test_a_refusal_is_in_the_pages_language_with_its_detail_filled_in() -> None:
    """"Entity SRK exists already." stood in English on a Chinese page: a refusal with a
    detail (an id, a number) was an f-string, which no catalogue could translate. Every
    refusal a page can show has its translation; the API keeps English."""
    from envreport.portal.access import RefusedError

    source = "\n".join(path.read_text(encoding="utf-8")
                       for path in sorted((ROOT / "envreport" / "portal").glob("*.py"))
                       if path.name != "api.py")
    refusals = sorted(set(re.findall(r'RefusedError\(\s*"((?:[^"\\]|\\.)*)"', source)))
    assert "Entity {entity_id} exists already." in refusals
    # and the account-name sentences the portal passes on from the ledger, which defines
    # the rule for the command line and the portal (admin.add_user)
    from envreport.ledger.accounts import ACCOUNT_NAME_RULE, RESERVED_NAME

    refusals += [ACCOUNT_NAME_RULE, RESERVED_NAME]
    assert not re.search(r'RefusedError\(\s*f"', source)
    assert missing_translations(refusals, "zh") == []
    error = RefusedError("Entity {entity_id} exists already.", 409, entity_id="SRK")
    assert (error.message, error.text("en"), error.text("zh")) == (
        "Entity SRK exists already.", "Entity SRK exists already.", "主体 SRK 已存在。")
    assert RefusedError("The password needs at least {count} characters.",
                        count=10).text("zh") == "密码至少需要10个字符。"


def test_a_group_builds_counts_read_in_the_states_order_in_each_language() -> None:
    """The audit page writes a group build's counts by state in the board's order of the
    states (not as stored), a nil count left out, a state it does not know last by its id."""
    from envreport.portal.audit import readable

    entry = {"action": "report_build",
             "detail": {"counts": {"zzz": 4, "invalid": 2, "missing": 0, "valid": 3,
                                   "unreadable": 1}}}
    assert [d["text"] for d in readable([entry], "en", {})[0]["details"]] == [
        "Valid 3, Invalid 2, Unreadable 1 and zzz 4"]
    assert [d["text"] for d in readable([entry], "zh", {})[0]["details"]] == [
        "有效3、无效2、无法读取1和zzz 4"]


def test_the_files_of_a_group_report_are_listed_by_what_they_are(
        clients: dict[str, TestClient]) -> None:
    """The admin page listed a built report's files by their names (report.en.html): each is
    now what it is in the page's language, its file name beside it in grey."""
    from bs4 import BeautifulSoup

    from envreport.portal.admin import REPORT_FILES, report_dir

    admin = clients["adm"]
    folder = report_dir(admin.app.state.portal.reports_dir, 2023)  # a closed period's
    for name in ("report.zh.pdf", "reports.zip"):
        (folder / REPORT_FILES[name].path).parent.mkdir(parents=True, exist_ok=True)
        (folder / REPORT_FILES[name].path).write_bytes(b"built")

    def listed(lang: str) -> list[tuple[str, str, str]]:
        page = BeautifulSoup(admin.get(f"/admin?lang={lang}").text, "html.parser")
        return [(li.a["href"], li.a.get_text(), li.code.get_text())
                for li in page.select("#reports ul.files li")]

    assert listed("zh") == [
        ("/admin/reports/2023/report.zh.pdf", "中文报告（PDF）", "report.zh.pdf"),
        ("/admin/reports/2023/reports.zip", "全部文件，含各成员报告（ZIP）", "reports.zip")]
    assert listed("en") == [
        ("/admin/reports/2023/report.zh.pdf", "Chinese report (PDF)", "report.zh.pdf"),
        ("/admin/reports/2023/reports.zip", "Everything, with the members' reports (ZIP)",
         "reports.zip")]
    assert missing_translations([file.label for file in REPORT_FILES.values()], "zh") == []
