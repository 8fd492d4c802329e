"""A group build that fails reads in the page's language; the exception's text is a labelled
technical detail, never the sentence.

The admin page and the audit log showed a crashed build as the exception's English text
("RuntimeError: boom") on 审计日志 too, and a member whose report failed as "2-sre.xlsx:
build failed: ValueError: boom". The outcome now keeps codes (``failure``, each failure's
``kind``) with the text as ``technical``; the pages say them in their language.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from envreport.portal.jobs import build_group
from tests.portal.support import PASSWORDS, Seeded, login
from tests.test_batch_limits import fail_to_compute


def _bearer(client: TestClient) -> dict[str, str]:
    token = client.post("/api/v1/token", json={"username": "adm", "password": PASSWORDS["adm"]})
    return {"authorization": f"Bearer {token.json()['token']}"}


def _audited(client: TestClient, lang: str) -> list[str]:
    """The details of each group build on the audit page in ``lang``, newest first."""
    page = BeautifulSoup(client.get(f"/admin/audit?lang={lang}").text, "html.parser")
    return [row.select("td")[3].get_text() for row in page.select("#audit tbody tr")
            if row["data-action"] == "report_build"]


def _alerts(client: TestClient, lang: str) -> list[str]:
    page = BeautifulSoup(client.get(f"/admin?lang={lang}").text, "html.parser")
    return [p.get_text() for p in page.select("#reports p.alert, #reports p.note")]


def _recorded(client: TestClient, outcome: dict[str, Any]) -> None:
    """``outcome`` of 2024's build kept and audited as the portal's build_report does (it was
    built here, not by the portal's worker), then the admin logged in to read the pages."""
    portal = client.app.state.portal
    portal.last_build[2024] = outcome
    portal.ledger.audit("report_build", "adm", {"period": 2024, **outcome})
    login(client, "adm")


def test_a_crashed_and_a_timed_out_build_read_in_the_pages_language(
        fresh: tuple[TestClient, Seeded]) -> None:
    client, _seeded = fresh
    workers = client.app.state.portal.workers

    async def crash(*_args: Any) -> dict[str, Any]:
        raise RuntimeError("boom")

    async def hang(*_args: Any) -> dict[str, Any]:  # what the worker's time limit raises
        await asyncio.wait_for(asyncio.sleep(60), 0.01)
        return {}

    workers.build_timeout = 3600.0
    for stand_in in (crash, hang):
        workers.build_group = stand_in
        answer = client.post("/api/v1/reports/2024", headers=_bearer(client))
        assert answer.status_code == 409
    assert answer.json() == {"detail": "No group report was built: The build took too long "
                                       "and was stopped. Technical detail: TimeoutError: no "
                                       "answer after 3600 s"}
    login(client, "adm")
    assert _audited(client, "en") == [
        "Reporting period: 2024; Built: No; Reason: The build took too long and was stopped.; "
        "Technical detail: TimeoutError: no answer after 3600 s",
        "Reporting period: 2024; Built: No; Reason: The build stopped on an error.; "
        "Technical detail: RuntimeError: boom"]
    assert _audited(client, "zh") == [
        "报告期：2024；已生成：否；原因：生成耗时过长，已被中止。；"
        "技术细节：TimeoutError: no answer after 3600 s",
        "报告期：2024；已生成：否；原因：生成过程因错误而中止。；技术细节：RuntimeError: boom"]
    assert _alerts(client, "en") == [
        "No group report was built. The build took too long and was stopped. Technical "
        "detail: TimeoutError: no answer after 3600 s"]
    assert _alerts(client, "zh") == [
        "未生成集团报告。生成耗时过长，已被中止。技术细节：TimeoutError: no answer after 3600 s"]


def test_a_members_failed_report_reads_in_the_pages_language(
        fresh: tuple[TestClient, Seeded], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # SRE's report fails to compute (the batch's task processes are forked from here, so
    # they see the stand-in); the group is not built either: no parent has submitted
    client, seeded = fresh
    fail_to_compute(monkeypatch, "sre.xlsx")
    outcome = build_group(seeded.url, 2024, str(tmp_path / "2024"), "adm")
    # the file as it was uploaded, not the build's scratch copy ("2-sre.xlsx")
    assert outcome["failures"] == [
        {"file": "sre.xlsx", "kind": "report", "technical": "ValueError: boom"}]
    assert "message" not in outcome  # no English sentence stored
    _recorded(client, outcome)
    assert _audited(client, "en") == [
        "Reporting period: 2024; Built: No; Submissions by state: Valid 1 and Missing 3; "
        "Reason: None of the inputs has a Subsidiaries sheet, so there is no group to "
        "consolidate.; Not built: sre.xlsx: its report could not be built. Technical detail: "
        "ValueError: boom"]
    assert _audited(client, "zh") == [
        "报告期：2024；已生成：否；各状态报送数：有效1和缺失3；"
        "原因：所有输入文件均没有“子公司”工作表，因此没有可合并的集团。；"
        "未生成：sre.xlsx：报告未能生成。技术细节：ValueError: boom"]
    assert _alerts(client, "en") == [
        "No group report was built. None of the inputs has a Subsidiaries sheet, so there is "
        "no group to consolidate. sre.xlsx: its report could not be built. Technical detail: "
        "ValueError: boom"]
    assert _alerts(client, "zh") == [
        "未生成集团报告。所有输入文件均没有“子公司”工作表，因此没有可合并的集团。"
        "sre.xlsx：报告未能生成。技术细节：ValueError: boom"]


def test_the_batchs_own_reason_reads_in_the_pages_language_as_the_reason(
        fresh: tuple[TestClient, Seeded], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # SRE's report runs out of memory while written (the batch's task processes are forked
    # from here, so they see the stand-in): the batch words why itself ("it needed more than
    # 4096 MB of memory; stopped", TASK_MEMORY_MB), which the pages say in their language as
    # the reason, not as an English technical detail (r17: 技术细节：it needed more than ...)
    from envreport import pipeline

    real_write = pipeline.write_outputs

    def write_outputs(submission: Any, *args: Any, **kwargs: Any) -> Any:
        if submission.source.name.endswith("sre.xlsx"):
            raise MemoryError
        return real_write(submission, *args, **kwargs)

    monkeypatch.setattr(pipeline, "write_outputs", write_outputs)
    client, seeded = fresh
    outcome = build_group(seeded.url, 2024, str(tmp_path / "2024"), "adm")
    assert outcome["failures"] == [
        {"file": "sre.xlsx", "kind": "report",
         "technical": "it needed more than 4096 MB of memory; stopped"}]
    _recorded(client, outcome)
    assert _audited(client, "en") == [
        "Reporting period: 2024; Built: No; Submissions by state: Valid 1 and Missing 3; "
        "Reason: None of the inputs has a Subsidiaries sheet, so there is no group to "
        "consolidate.; Not built: sre.xlsx: its report could not be built. Reason: it needed "
        "more than 4096 MB of memory; stopped"]
    assert _audited(client, "zh") == [
        "报告期：2024；已生成：否；各状态报送数：有效1和缺失3；"
        "原因：所有输入文件均没有“子公司”工作表，因此没有可合并的集团。；"
        "未生成：sre.xlsx：报告未能生成。原因：所需内存超过4096 MB，已停止"]
    assert _alerts(client, "en") == [
        "No group report was built. None of the inputs has a Subsidiaries sheet, so there is "
        "no group to consolidate. sre.xlsx: its report could not be built. Reason: it needed "
        "more than 4096 MB of memory; stopped"]
    assert _alerts(client, "zh") == [
        "未生成集团报告。所有输入文件均没有“子公司”工作表，因此没有可合并的集团。"
        "sre.xlsx：报告未能生成。原因：所需内存超过4096 MB，已停止"]
