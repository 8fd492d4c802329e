"""The version 2 additions of the workbook contract: new columns, the Narrative sheet, and
the incident-link rules. A version 1 workbook must read exactly as before."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from envreport.schema import SHEETS_BY_NAME
from tests.conftest import validate_file
from tests.workbooks import ORGANIZATION, PROJECTS, minimal, write_workbook


def check(tmp_path: Path, **sheets):
    return validate_file(write_workbook(tmp_path / "wb.xlsx", minimal(**sheets)))


def test_a_version_1_organization_gets_the_v2_defaults(tmp_path: Path) -> None:
    submission = check(tmp_path)
    org = submission.organization
    assert submission.findings.flatten() == []
    assert (org.report_status, org.publication_date, org.assurance_level,
            org.assurance_provider, org.assurance_standard,
            org.recalculation_threshold_pct) == ("draft", None, "none", None, None, 5.0)


def test_the_v2_organization_fields_are_read(tmp_path: Path) -> None:
    organization = [*ORGANIZATION,
                    ["report_status", "Final"], ["publication_date", date(2025, 4, 30)],
                    ["assurance_level", "limited"], ["assurance_provider", "Audit & Co"],
                    ["assurance_standard", "ISAE 3410"], ["recalculation_threshold_pct", 10]]
    org = check(tmp_path, Organization=organization).organization
    assert (org.report_status, org.publication_date, org.assurance_level,
            org.assurance_provider, org.assurance_standard,
            org.recalculation_threshold_pct) == ("final", date(2025, 4, 30), "limited",
                                                 "Audit & Co", "ISAE 3410", 10.0)


def test_a_bad_assurance_level_is_an_error_at_its_value_cell(tmp_path: Path) -> None:
    organization = [*ORGANIZATION, ["assurance_level", "full"]]
    submission = check(tmp_path, Organization=organization)
    assert submission.findings.flatten() == [["Organization", "B8", "value-not-allowed"]]


def test_chinese_labels_of_the_new_columns_are_accepted(tmp_path: Path) -> None:
    waste = [["项目编号", "废物类型", "中文废物类型", "是否危险废物", "数量", "单位", "处置方式",
              "处置地点"],
             ["P1", "Fly ash", "粉煤灰", "no", 5, "t", "recycling", "offsite"]]
    submission = check(tmp_path, Waste=waste)
    assert submission.findings.flatten() == []
    row = submission.tables["Waste"].iloc[0]
    assert (row["waste_type_zh"], row["location"]) == ("粉煤灰", "offsite")


def test_projects_accept_divested_and_acquired_date(tmp_path: Path) -> None:
    projects = [[*PROJECTS[0], "acquired_date"],
                [*PROJECTS[1][:5], "divested", *PROJECTS[1][6:], date(2021, 6, 1)],
                [*PROJECTS[2], None]]
    submission = check(tmp_path, Projects=projects)
    assert submission.findings.flatten() == []
    frame = submission.tables["Projects"].set_index("project_id")
    assert frame.loc["P1", "status"] == "divested"
    assert frame.loc["P1", "acquired_date"] == pd.Timestamp("2021-06-01")


def test_water_quality_and_waste_location_take_only_their_values(tmp_path: Path) -> None:
    water = [["project_id", "flow", "source", "quantity", "unit", "water_quality"],
             ["P1", "withdrawal", "ground", 100, "m3", "freshwater"],
             ["P1", "withdrawal", "sea", 100, "m3", "brackish"]]
    waste = [["project_id", "waste_type", "hazardous", "quantity", "unit", "disposal",
              "location"],
             ["P1", "Oil", "yes", 1, "t", "incineration", "elsewhere"]]
    submission = check(tmp_path, Water=water, Waste=waste)
    assert submission.findings.flatten() == [["Water", "F3", "value-not-allowed"],
                                             ["Waste", "G2", "value-not-allowed"]]


def test_the_narrative_sheet_is_read_in_row_order(tmp_path: Path) -> None:
    narrative = [["topic", "text", "text_zh"],
                 ["governance", "The board oversees climate risk.", "董事会监督气候风险。"],
                 ["governance", "A committee meets quarterly.", None],
                 ["coal_policy", "No new coal power abroad.", "不在境外新建煤电项目。"],
                 ["weather", "Sunny.", None]]
    submission = check(tmp_path, Narrative=narrative)
    assert submission.findings.flatten() == [["Narrative", "A5", "value-not-allowed"]]
    frame = submission.tables["Narrative"]
    assert list(frame["topic"]) == ["governance", "governance", "coal_policy"]
    assert list(frame["text_zh"].fillna("-")) == ["董事会监督气候风险。", "-",
                                                   "不在境外新建煤电项目。"]


INCIDENT_HEADER = ["project_id", "incident_id", "related_incident_id", "date", "type",
                   "severity", "fine_amount"]


def test_incident_ids_and_links_that_hold_give_no_finding(tmp_path: Path) -> None:
    incidents = [INCIDENT_HEADER,
                 ["P1", "INC-1", None, date(2024, 8, 3), "exceedance", "moderate", None],
                 ["P1", "INC-2", "INC-1", date(2024, 9, 1), "penalty", "moderate", 50000],
                 ["P1", None, "INC-2", date(2024, 10, 1), "other", "minor", None],
                 ["P2", None, None, date(2024, 11, 1), "complaint", "minor", None]]
    assert check(tmp_path, Incidents=incidents).findings.flatten() == []


def test_a_duplicate_incident_id_is_an_error_at_the_later_cell(tmp_path: Path) -> None:
    incidents = [INCIDENT_HEADER,
                 ["P1", "INC-1", None, date(2024, 8, 3), "spill", "minor", None],
                 ["P2", "INC-1", None, date(2024, 9, 3), "spill", "minor", None]]
    submission = check(tmp_path, Incidents=incidents)
    assert submission.findings.flatten() == [["Incidents", "B3", "incident-id-duplicate"]]
    assert submission.findings.items[0].params == {"first_row": 2}
    assert submission.rows["Incidents"].accepted == 1


def test_a_link_to_no_incident_is_an_error_at_the_related_cell(tmp_path: Path) -> None:
    incidents = [INCIDENT_HEADER,
                 ["P1", "INC-1", None, date(2024, 8, 3), "spill", "minor", None],
                 ["P1", None, "INC-9", date(2024, 9, 3), "penalty", "minor", 1000]]
    submission = check(tmp_path, Incidents=incidents)
    assert submission.findings.flatten() == [["Incidents", "C3", "incident-related-unknown"]]
    assert submission.findings.items[0].value == "INC-9"


def test_incidents_linked_in_a_circle_are_errors(tmp_path: Path) -> None:
    incidents = [INCIDENT_HEADER,
                 ["P1", "A", "B", date(2024, 8, 3), "spill", "minor", None],
                 ["P1", "B", "A", date(2024, 8, 4), "penalty", "minor", 10],
                 ["P1", "C", "C", date(2024, 8, 5), "penalty", "minor", 10]]
    submission = check(tmp_path, Incidents=incidents)
    assert submission.findings.flatten() == [["Incidents", "C2", "incident-related-cycle"],
                                             ["Incidents", "C3", "incident-related-cycle"],
                                             ["Incidents", "C4", "incident-related-cycle"]]


def test_every_translated_text_column_has_its_zh_column() -> None:
    from envreport.schema.sheets import TRANSLATED_TEXT
    for sheet, columns in TRANSLATED_TEXT.items():
        fields = SHEETS_BY_NAME[sheet].fields
        for text, text_zh in columns.items():
            assert text in fields, (sheet, text)
            assert text_zh in fields, (sheet, text_zh)


def test_a_final_report_without_its_date_is_a_warning_at_the_status_row(
        tmp_path: Path) -> None:
    organization = [*ORGANIZATION, ["report_status", "final"]]
    submission = check(tmp_path, Organization=organization)
    assert submission.findings.flatten(("sheet", "cell", "code", "severity")) == [
        ["Organization", "A8", "publication-date-missing", "warning"]]
    assert submission.valid


def test_assurance_without_provider_or_standard_is_a_warning(tmp_path: Path) -> None:
    organization = [*ORGANIZATION, ["assurance_level", "limited"],
                    ["assurance_provider", None], ["publication_date", date(2025, 4, 1)]]
    submission = check(tmp_path, Organization=organization)
    assert submission.findings.flatten(("sheet", "cell", "field", "code")) == [
        ["Organization", "A8", "assurance_standard", "assurance-detail-missing"],
        ["Organization", "B9", "assurance_provider", "assurance-detail-missing"]]
