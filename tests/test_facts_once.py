"""Facts defined once: every list that several stages use comes from one definition."""

from __future__ import annotations

import pytest
from metrics_support import project, submission

from envreport.batch.jobs import override_slot
from envreport.codes import POLICY_FLAGS, PROTECTED_AREA_KM
from envreport.factors.resolve import override_target
from envreport.metrics import compute
from envreport.metrics.targets import current_values
from envreport.render import vocabulary
from envreport.schema import PROJECT_SHEETS, SHEETS_BY_NAME
from envreport.schema.sheets import STANDARD_POLLUTANTS, TARGET_METRICS
from envreport.validate.factor_checks import default_columns
from envreport.workbook.template import _SUGGESTIONS as SUGGESTIONS


def test_target_metrics_are_one_list() -> None:
    results = compute(submission())
    current = current_values(results.ghg, results.energy, results.water, results.waste)
    assert set(current) == set(TARGET_METRICS)  # metrics computes every one
    assert set(vocabulary.TARGET_METRICS) == set(TARGET_METRICS)  # the report labels every one
    assert SUGGESTIONS[("Targets", "metric")] == TARGET_METRICS  # the template offers them


def test_pollutants_are_one_list() -> None:
    assert SUGGESTIONS[("Pollutants", "pollutant")] == STANDARD_POLLUTANTS


def test_factor_findings_point_at_the_template_columns() -> None:
    # The template's order is the model's: Electricity's data_quality is column M, before
    # source_ref (a restated copy of the order once lacked it).
    columns = default_columns()
    assert columns["Electricity"]["data_quality"] == "M"
    assert columns["Electricity"]["source_ref"] == "N"
    for sheet, letters in columns.items():
        assert list(letters) == list(SHEETS_BY_NAME[sheet].fields)


def test_project_sheets_are_the_sheets_with_a_project_id() -> None:
    assert PROJECT_SHEETS == ("Fuel", "Electricity", "Generation", "Refrigerants", "Water",
                              "Waste", "Pollutants", "Incidents", "Mitigation")


@pytest.mark.parametrize(("factor_type", "key", "expected"), [
    ("grid", "UK", ("grid", "GBR")), ("grid", "steam", ("grid", "steam")),
    ("NCV", " Diesel ", ("fuel", "diesel")), ("refrigerant", "R-134a", ("refrigerant", "R134A")),
    ("grid", "Atlantis", None), ("emission", "x", None)])
def test_batch_keys_overrides_as_resolution_does(factor_type, key, expected) -> None:
    assert override_target(factor_type, key) == expected
    assert override_slot({"factor_type": factor_type, "key": key}) == expected


def test_policy_flags_are_registered_codes_in_both_languages() -> None:
    assert set(vocabulary.POLICY_FLAGS) == set(POLICY_FLAGS)
    assert POLICY_FLAGS["protected-area"].text("en") == "Within 5 km of a protected area."
    assert POLICY_FLAGS["protected-area"].text("zh") == "距保护区不足5公里。"
    assert PROTECTED_AREA_KM == 5.0
    near = project(protected_area_distance_km=4.9)
    flags = compute(submission([near])).policy_flags
    assert [(f.project_id, f.code, f.message) for f in flags] == [
        ("P1", "protected-area", "Within 5 km of a protected area.")]
    assert compute(submission([project(protected_area_distance_km=5.0)])).policy_flags == []


def test_the_organization_hand_off_is_the_sheet_model() -> None:
    # submission.Organization is the sheet's model (fields defined once), languages a tuple.
    from datetime import date

    from envreport.schema.sheets import OrganizationSheet
    from envreport.submission import Organization

    assert issubclass(Organization, OrganizationSheet)
    assert set(Organization.model_fields) == set(OrganizationSheet.model_fields)
    org = Organization.model_validate(
        {"entity_id": "E1", "organization_name": "Org", "reporting_period_start": "2024-01-01",
         "reporting_period_end": date(2024, 12, 31), "reporting_currency": "usd",
         "consolidation_approach": "equity_share", "report_languages": "ZH, en"})
    assert (org.report_languages, org.reporting_currency, org.reporting_year) == (
        ("en", "zh"), "USD", 2024)
    assert org.reporting_period_start == date(2024, 1, 1)


def test_trail_notes_the_report_translates_are_the_ones_resolution_writes() -> None:
    from envreport.factors import supplied
    from envreport.factors.resolve import RENEWABLE_INSTRUMENT_SOURCE, RESIDUAL_MIX_FALLBACK_NOTE

    for note in (RENEWABLE_INSTRUMENT_SOURCE, RESIDUAL_MIX_FALLBACK_NOTE):
        assert vocabulary.METRIC_NOTES[note] == note  # the msgid is the text itself
    # a supplied factor's words for what its row leaves blank: the msgids are the texts
    assert vocabulary.SUPPLIED_LACKING == supplied.LACKING
    # a market row on the grid factor carries exactly the note the report counts
    electricity = [{"project_id": "P1", "quantity": 10, "unit": "MWh"}]
    trail = compute(submission(Electricity=electricity)).trail
    market = trail[trail["method"] == "market"]
    assert list(market["method_note"]) == [RESIDUAL_MIX_FALLBACK_NOTE]


def test_the_cli_offers_the_languages_envreport_has() -> None:
    # template --lang and validate --lang offer exactly the catalogues' languages
    from envreport import cli
    from envreport.i18n import SUPPORTED_LANGUAGES

    assert [language.value for language in cli.Language] == list(SUPPORTED_LANGUAGES)


def test_exit_codes_are_written_once() -> None:
    """Every command ends with an exit code of envreport.exit_codes (README: 0, 1, 2): no
    module defines its own EXIT_* or ends with a number written out (sys.exit(2),
    SystemExit(1), typer.Exit(2)). The reading child's private status to its parent
    (io.reader._EXIT_MEMORY) is no command's exit code."""
    import ast
    from pathlib import Path

    import envreport
    from envreport.exit_codes import EXIT_FAILED, EXIT_INVALID, EXIT_OK

    assert (EXIT_OK, EXIT_INVALID, EXIT_FAILED) == (0, 1, 2)
    package = Path(envreport.__file__).parent
    stray = []
    for path in sorted(package.rglob("*.py")):
        where = path.relative_to(package).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign) and where != "exit_codes.py":
                names = [n.id for t in node.targets for n in ast.walk(t)
                         if isinstance(n, ast.Name)]
                stray += [f"{where}:{node.lineno} {n}" for n in names if n.startswith("EXIT_")]
            if isinstance(node, ast.Call) and node.args \
                    and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, int):
                called = ast.unparse(node.func)
                if called in ("sys.exit", "SystemExit", "typer.Exit", "exit", "os._exit") \
                        and where != "io/reader.py":
                    stray.append(f"{where}:{node.lineno} {called}({node.args[0].value})")
    assert stray == []
