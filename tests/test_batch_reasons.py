"""The batch's own reasons (a limit, a crash, a folder entry not read, a batch stopped) in
the board's language: status.zh.html said "pipe.xlsx 无法作为工作簿读取：a FIFO (named pipe),
not a file; not read" and "报告未能生成。技术细节：it took more than 600 s; stopped"."""

from __future__ import annotations

import os
import re
import string
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

from envreport.batch import Limits, reasons, run_batch
from envreport.i18n import gettext
from tests.test_batch_board import _board, _entity


def _names(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name)


def test_every_sentence_of_the_batch_is_a_msgid_listed_once() -> None:
    # a sentence added to batch.reasons but to neither tuple is neither translated nor
    # matched (in_language): the board would say it in English
    said = {name: value for name, value in vars(reasons).items()
            if name.isupper() and isinstance(value, str)}
    assert sorted(said.values()) == sorted((*reasons.SENTENCES, *reasons.LINES))


def test_each_reason_has_a_chinese_sentence_with_the_same_values() -> None:
    for sentence in reasons.SENTENCES:
        chinese = gettext(sentence, "zh")
        assert re.search("[\u4e00-\u9fff]", chinese), sentence
        assert _names(chinese) == _names(sentence)


def test_a_reason_as_the_batch_wrote_it_in_each_language() -> None:
    timed_out = Limits(seconds=600).describe_time()
    memory = Limits(memory_bytes=4096 * 2**20).describe_memory()
    assert (timed_out, memory) == ("it took more than 600 s; stopped",
                                   "it needed more than 4096 MB of memory; stopped")
    crashed = reasons.CRASHED.format(signal="SIGSEGV")
    internal = reasons.INTERNAL_ERROR.format(detail="ValueError: boom: x")
    assert [reasons.in_language(text, "zh") for text in (
        timed_out, memory, crashed, internal, reasons.INTERRUPTED)] == [
        "用时超过600秒，已停止", "所需内存超过4096 MB，已停止", "其进程崩溃（SIGSEGV），已停止",
        "内部错误（技术细节：ValueError: boom: x）", "未生成：批处理被中断"]
    # English: as written; an exception's own text, or a reader's reason: not ours
    assert reasons.in_language(timed_out, "en") == timed_out
    assert reasons.in_language("ValueError: it took more than 600 s", "zh") is None
    assert reasons.in_language(None, "zh") is None


def test_the_board_says_the_batchs_reason_in_its_language() -> None:
    from envreport.batch.status import render_status_html

    figures = dict.fromkeys(("scope1_tco2e", "scope2_location_tco2e", "scope2_market_tco2e",
                             "energy_gj"))
    data = _board([_entity(figures, build_failure="it took more than 600 s; stopped"),
                   _entity(figures, entity_id="SRI", build_failure=reasons.INTERRUPTED),
                   _entity(figures, entity_id="SRX", build_failure="ValueError: boom")],
                  figures, {"build_failure": reasons.INTERNAL_ERROR.format(detail="OSError: x")})
    shown = {}
    for lang in ("en", "zh"):
        soup = BeautifulSoup(render_status_html(data, lang), "html.parser")
        shown[lang] = ([p.get_text() for p in soup.select("tr p.build-failure")],
                       soup.select_one("#group-not-built").get_text())
    assert shown["en"] == (
        ["The report could not be built. Reason: it took more than 600 s; stopped",
         "The report could not be built. Reason: not built: the batch was interrupted",
         "The report could not be built. Technical detail: ValueError: boom"],
        "No group report was built. Reason: internal error: OSError: x")
    assert shown["zh"] == (
        ["报告未能生成。原因：用时超过600秒，已停止", "报告未能生成。原因：未生成：批处理被中断",
         "报告未能生成。技术细节：ValueError: boom"],
        "未生成集团报告。原因：内部错误（技术细节：OSError: x）")


def test_a_folder_entry_not_read_is_said_on_the_chinese_board(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "notes.xlsx").write_text("not a workbook")
    outside = tmp_path / "elsewhere.xlsx"
    outside.write_text("x")
    (inputs / "link.xlsx").symlink_to(outside)
    os.mkfifo(inputs / "pipe.xlsx")
    out = tmp_path / "out"
    run_batch([inputs], out, workers=1, pdf=False, langs=["en", "zh"])
    soup = BeautifulSoup((out / "status.zh.html").read_text(encoding="utf-8"), "html.parser")
    said = {row("td")[1].get_text(): row.select_one("ul.findings").get_text()
            for row in soup.select("#status tbody tr")}
    assert said == {
        "link.xlsx": "unreadable-file：link.xlsx 无法作为工作簿读取：这是指向输入文件夹以外文件的"
                     "链接；未跟随",
        "notes.xlsx": "unreadable-file：notes.xlsx 无法作为工作簿读取：这不是 Excel 工作簿"
                      "（看起来是扩展名被改为 .xlsx 的文本或 CSV 文件）",
        "pipe.xlsx": "unreadable-file：pipe.xlsx 无法作为工作簿读取：这是 FIFO（命名管道），"
                     "不是文件；未读取"}
    # the English board and status.json keep the batch's sentence as it wrote it
    english = BeautifulSoup((out / "status.html").read_text(encoding="utf-8"), "html.parser")
    assert [li.get_text() for li in english.select("#status ul.findings li")][-1] == (
        "unreadable-file: pipe.xlsx cannot be read as a workbook: a FIFO (named pipe), not a "
        "file; not read")


def test_each_line_of_the_batchs_messages_has_a_chinese_sentence() -> None:
    for line in reasons.LINES:
        assert re.search("[\u4e00-\u9fff]", gettext(line, "zh")), line
        assert _names(gettext(line, "zh")) == _names(line)


def test_a_report_not_built_in_the_commands_language(monkeypatch: Any, tmp_path: Path) -> None:
    # the lines said "错误：SRE.xlsx: build failed: ValueError: boom" after `--lang zh`
    from typer.testing import CliRunner

    from envreport.cli import app
    from tests.test_batch_limits import fail_to_compute, member

    inputs = tmp_path / "in"
    member(inputs, "SRE")
    member(inputs, "SRI")
    fail_to_compute(monkeypatch, "SRE.xlsx")
    said = {}
    for lang in ("en", "zh"):
        result = CliRunner().invoke(app, ["batch", str(inputs), "-o", str(tmp_path / lang),
                                          "--no-pdf", "--quiet", "-j", "1", "--lang", lang])
        assert result.exit_code == 1, result.output
        said[lang] = [line for line in result.stderr.splitlines() if "SRE" in line]
    assert said == {"en": ["error: SRE.xlsx: build failed: technical detail: ValueError: boom"],
                    "zh": ["错误：SRE.xlsx：报告未能生成（技术细节：ValueError: boom）"]}
    # the batch's own reason, in the command's language; the group's line
    assert reasons.failure_line({"file": None, "kind": "group",
                                 "technical": "it took more than 5 s; stopped"}, "zh") == (
        "集团报告未能生成（用时超过5秒，已停止）")
    assert reasons.failure_line({"file": "x.xlsx", "kind": "annotated",
                                 "technical": "OSError: disk full"}, "en") == (
        "x.xlsx: no annotated copy: technical detail: OSError: disk full")


def test_an_annotated_copy_not_written_says_why_in_the_boards_language() -> None:
    # "无批注副本：BadZipFile: Bad CRC-32" on status.zh.html: the exception's text unlabelled
    from envreport.batch.status import render_status_html

    figures = dict.fromkeys(("scope1_tco2e", "scope2_location_tco2e", "scope2_market_tco2e",
                             "energy_gj"))
    data = _board([_entity(figures, annotate_failure="BadZipFile: Bad CRC-32"),
                   _entity(figures, entity_id="SRI",
                           annotate_failure=reasons.TIMED_OUT.format(seconds="600"))],
                  figures, {})
    shown = {lang: [p.get_text() for p in BeautifulSoup(
        render_status_html(data, lang), "html.parser").select("tr p.annotate-failure")]
        for lang in ("en", "zh")}
    assert shown == {
        "en": ["No annotated copy was written. Technical detail: BadZipFile: Bad CRC-32",
               "No annotated copy was written. Reason: it took more than 600 s; stopped"],
        "zh": ["未写入批注副本。技术细节：BadZipFile: Bad CRC-32",
               "未写入批注副本。原因：用时超过600秒，已停止"]}


def test_what_a_stopped_batch_had_done_in_the_commands_language() -> None:
    # "错误：interrupted: read 4 of 5 workbook(s), …" after `--lang zh`
    stopped = {"read": 4, "total": 5, "built": 2, "group_built": False,
               "not_done": ["slow-1.xlsx", "group"]}
    assert reasons.stopped_lines(stopped, "en") == [
        "interrupted: read 4 of 5 workbook(s), built 2 report folder(s)",
        "not done: slow-1.xlsx, Group report",
        "the status board is marked incomplete; run the same command again to complete it"]
    assert reasons.stopped_lines(stopped, "zh") == [
        "已中断：已读取4个工作簿（共5个），已生成2个报告文件夹", "未完成：slow-1.xlsx，集团报告",
        "状态看板已标记为不完整；再次运行同一命令即可完成"]
    done = {**stopped, "group_built": True, "not_done": []}
    assert reasons.stopped_lines(done, "zh") == [
        "已中断：已读取4个工作簿（共5个），已生成2个报告文件夹及集团报告",
        "状态看板已标记为不完整；再次运行同一命令即可完成"]
