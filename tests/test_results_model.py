"""The typed results model: schema export, the columnar trail, loading and migrating."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from metrics_support import fuel, submission

from envreport.metrics import compute
from envreport.pipeline import results_json
from envreport.results import (
    PROJECT_FIGURES,
    SCHEMA_VERSION,
    TRAIL_COLUMNS,
    CountryEntry,
    EntityEntry,
    ProjectEntry,
    Results,
    UnknownSchemaVersionError,
    load_results,
    migrate,
)
from envreport.results.export import results_markdown, results_schema_text
from tests.conftest import sample_results_model

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def sre() -> Results:
    return sample_results_model()  # group/sre.xlsx, computed once per test process


def test_results_schema_matches_committed_file() -> None:
    committed = (ROOT / "schemas" / "results.schema.json").read_text(encoding="utf-8")
    assert committed == results_schema_text(), \
        "schemas/results.schema.json drifted: run python scripts/gen_docs.py"


def test_schema_describes_the_trail_entries_and_the_v2_additions() -> None:
    schema = json.loads(results_schema_text())
    assert schema["properties"]["calculations"]["items"] == {"$ref": "#/$defs/TrailEntry"}
    assert set(schema["$defs"]["TrailEntry"]["properties"]) == {*TRAIL_COLUMNS, "entity_id"}
    assert {"comparison", "history", "base_year"} <= set(schema["properties"])
    assert schema["x-schema-version"] == SCHEMA_VERSION == "2"


def test_the_published_schema_accepts_an_entity_and_a_group_file_and_nothing_else() -> None:
    """A group's results.json is an entity's plus inputs, by_entity and group_findings; the
    schema readers are pointed to (docs/results.md) used to reject it: its top level is
    closed and named none of the three."""
    import copy

    import jsonschema_rs

    from tests.conftest import sample_results

    validator = jsonschema_rs.validator_for(json.loads(results_schema_text()))
    entity = sample_results()
    assert list(validator.iter_errors(entity)) == []
    group = copy.deepcopy(entity)
    sha = entity["input"]["sha256"]
    group["inputs"] = [{"entity_id": "SRE", "file_name": "sre.xlsx", "sha256": sha,
                        "state": "valid"},
                       {"entity_id": "SRX", "file_name": None, "sha256": None,
                        "state": "missing"}]
    group["by_entity"] = [{
        "entity_id": "SRE", "name": "Silk Road Energy Co., Ltd.", "file_name": "sre.xlsx",
        "parent": False, "share": 1.0, "controlled": True, "projects": 6,
        "projects_in_boundary": 6, "scope1_tco2e": 2612261.09358,
        "scope2_location_tco2e": 4508.89602362, "scope2_market_tco2e": 4508.89602362,
        "energy_gj": 19530040.1053, "biogenic_co2_t": 0.0, "other_gases_tco2e": 17.9928,
        "water_withdrawal_m3": 364607076.73, "waste_t": 65457.218,
        "renewable_generation_mwh": 1488158.71, "avoided_tco2e": 614942.951373,
        "name_zh": "丝路能源有限公司"}]
    group["group_findings"] = [{"entity_id": "SRX", "file": None, "severity": "error",
                                "code": "submission-missing", "sheet": "Subsidiaries",
                                "cell": "A3", "row": 3, "column": "A", "field": "entity_id",
                                "value": "SRX", "message": "…", "hint": "…"}]
    assert list(validator.iter_errors(group)) == []
    # still closed: a misspelt key or a figure of the wrong type is reported
    group["by_entitys"] = []
    group["by_entity"][0]["scope1_tco2e"] = "2,612,261"
    assert sorted(list(error.instance_path) for error in validator.iter_errors(group)) == [
        [], ["by_entity", 0, "scope1_tco2e"]]


def test_the_trail_stays_columnar(sre: Results) -> None:
    # A DataFrame, one column per TrailEntry field: never one Python object per entry.
    assert isinstance(sre.trail, pd.DataFrame)
    assert list(sre.trail.columns) == list(TRAIL_COLUMNS)
    assert len(sre.to_json_dict()["calculations"]) == len(sre.trail) > 100


def test_attributes_are_the_json_figures(sre: Results) -> None:
    data = sre.to_json_dict()
    assert sre.ghg.scope1_tco2e == data["ghg"]["scope1_tco2e"]
    assert sre.by_project[0].project_id == data["by_project"][0]["project_id"]
    # by_project entries of an entity's results carry no entity_id (only a group's do)
    assert "entity_id" not in data["by_project"][0]
    assert list(data)[:2] == ["schema_version", "tool_version"]
    assert list(data)[-4:] == ["validation", "comparison", "history", "base_year"]


def test_stored_results_load_back_byte_identical(sre: Results) -> None:
    text = results_json(sre)
    loaded = load_results(json.loads(text))
    assert results_json(loaded) == text


def test_version_1_results_migrate_to_version_2() -> None:
    electricity = {"project_id": "P1", "quantity": 1000, "unit": "MWh"}
    current = compute(submission(Fuel=[fuel(1000, "L")],
                                 Electricity=[electricity])).to_json_dict()
    v1 = {k: v for k, v in current.items() if k not in {"comparison", "history", "base_year"}}
    v1["schema_version"] = "1"
    migrated = migrate(v1)
    assert migrated == current
    assert v1["schema_version"] == "1"  # the stored dict is not changed in place
    loaded = load_results(v1)
    assert loaded.schema_version == "2"
    assert (loaded.comparison, loaded.history, loaded.base_year) == (None, None, None)
    assert loaded.ghg.scope1_tco2e == current["ghg"]["scope1_tco2e"]


@pytest.mark.parametrize("version", ["0", "3", None])
def test_unknown_or_newer_versions_are_refused(version: str | None) -> None:
    with pytest.raises(UnknownSchemaVersionError, match="schema_version"):
        migrate({"schema_version": version})


def test_unknown_keys_are_refused() -> None:
    data = compute(submission()).to_json_dict()
    data["ghg"]["scope4_tco2e"] = 1.0
    with pytest.raises(ValueError, match="scope4_tco2e"):
        load_results(data)


def test_results_doc_matches_the_models() -> None:
    committed = (ROOT / "docs" / "results.md").read_text(encoding="utf-8")
    assert committed == results_markdown(), "docs/results.md drifted: run scripts/gen_docs.py"
    assert "| `calculations` | list of [TrailEntry](#trailentry) |" in committed
    assert "| `base_year` | [BaseYear](#baseyear) or null |" in committed


def test_the_ledger_reads_version_1_results_through_the_migration(tmp_path: Path) -> None:
    from sqlalchemy import update

    from envreport.ledger import Ledger
    from envreport.ledger import tables as t

    with Ledger(f"sqlite:///{tmp_path / 'ledger.db'}") as ledger:
        record = ledger.record(ROOT / "sample_inputs" / "group" / "sre.xlsx")
        stored = ledger.submission(record.id)
        assert stored is not None
        assert stored.results is not None
        v1 = {k: v for k, v in stored.results.items()
              if k not in {"comparison", "history", "base_year"}}
        v1["schema_version"] = "1"
        with ledger.engine.begin() as connection:  # as a version-1 tool stored it
            connection.execute(update(t.results).where(t.results.c.submission_id == record.id)
                               .values(results_json=json.dumps(v1)))
        again = ledger.submission(record.id)
        assert again is not None
        assert again.results is not None
        assert again.results["schema_version"] == "2"
        assert (again.results["comparison"], again.results["history"],
                again.results["base_year"]) == (None, None, None)
        assert again.results["ghg"] == stored.results["ghg"]


def test_the_summed_entries_carry_exactly_the_project_figures() -> None:
    # ProjectEntry, CountryEntry and EntityEntry repeat the ProjectFigures fields instead of
    # inheriting them: pydantic puts inherited fields first, which would reorder the keys of
    # results.json. This keeps the copies equal to PROJECT_FIGURES, the list the sums walk.
    assert PROJECT_FIGURES == (
        "scope1_tco2e", "scope2_location_tco2e", "scope2_market_tco2e", "biogenic_co2_t",
        "other_gases_tco2e", "energy_gj", "water_withdrawal_m3", "waste_t",
        "renewable_generation_mwh", "avoided_tco2e")
    project = list(ProjectEntry.model_fields)
    start = project.index("scope1_tco2e")
    assert tuple(project[start:start + len(PROJECT_FIGURES)]) == PROJECT_FIGURES
    assert tuple(CountryEntry.model_fields) == ("country", "projects", *PROJECT_FIGURES)
    entity = set(EntityEntry.model_fields) - {
        "entity_id", "name", "name_zh", "file_name", "parent", "share", "controlled",
        "projects", "projects_in_boundary"}
    assert entity == set(PROJECT_FIGURES)
