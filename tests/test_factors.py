"""The factor library: shipped data, lookups with sources, the grid year rule, show tables."""

from __future__ import annotations

import csv
import re
from importlib.resources import files

import pandas as pd
import pytest
from metrics_support import fuel, results_of, submission
from rich.console import Console

from envreport.factors import CONTRACT_FUELS, load_library
from envreport.factors.show import FactorLookupError, factor_tables, print_factors
from envreport.metrics import compute
from envreport.schema.types import parse_country
from envreport.validate.factor_checks import check_factors


@pytest.fixture(scope="module")
def lib():
    return load_library()


def test_library_is_loaded_once_and_versioned(lib):
    assert load_library() is lib
    assert lib.version == "2026.1"


def test_every_contract_fuel_has_factors_and_sources(lib):
    for fid in CONTRACT_FUELS:
        assert lib.has_fuel(fid), fid
        assert lib.ncv(fid).value > 0
        assert lib.co2_factor(fid).source.startswith("IPCC")
        assert lib.nonco2_factor(fid, "CH4", "energy_industries") is not None


def test_every_data_row_names_its_source():
    data = files("envreport.factors").joinpath("data")
    for name in ("fuels.csv", "fuel_nonco2.csv", "gwp.csv", "grid.csv", "constants.csv"):
        with data.joinpath(name).open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                for key in ("publisher", "document", "edition"):
                    assert row[key], (name, key, row)


def test_reference_names_map_to_contract_ids(lib):
    # gas_diesel_oil → diesel etc. (spec/workbook.md)
    assert lib.fuels.loc["diesel", "ipcc_fuel"] == "gas_diesel_oil"
    assert lib.fuels.loc["bioethanol", "ipcc_fuel"] == "biogasoline"
    assert lib.fuels.loc["coke", "ipcc_fuel"] == "coke_oven_coke"


def test_method_densities(lib):
    # methods.md: natural gas 0.717 kg/Nm3, bioethanol 0.789 kg/L
    assert lib.density("natural_gas").value == 0.717
    assert lib.density("natural_gas").unit == "kg/Nm3"
    assert lib.density("bioethanol").value == 0.789
    assert lib.density("diesel").value == 0.84
    assert lib.density("biogas") is None  # needs an ncv override by volume


#: how a value was found, which a citation never says: the tools and mirrors it was read from,
#: and a researcher's words ("via", "uses", "found", "see"). r14: diesel's density was cited
#: "GHGP tool density 840 kg/m3 (via AMEE); ghgpy uses 844".
RESEARCH_NOTE = re.compile(
    r"\b(via|uses|found|see|snapshot\w*|commit)\b|ghgpy|AMEE|GHGP\b|github|co2\.js|"
    r"openclimatedata|chrisroadmap|reportify|https?://|www\.|\.(com|org|net|ai)\b|transcri",
    re.IGNORECASE)
DIESEL_DENSITY = ("World Resources Institute and World Business Council for Sustainable "
                  "Development (n.d.). GHG Protocol tool for stationary combustion, version 4.0: "
                  "default fuel densities")


def test_the_research_note_pattern_catches_the_old_density_source():
    def notes(text: str) -> list[str]:
        return [found.group() for found in RESEARCH_NOTE.finditer(text)]

    assert notes("GHGP tool density 840 kg/m3 (via AMEE); ghgpy uses 844") == [
        "GHGP", "via", "AMEE", "ghgpy", "uses"]
    assert notes("Annex A, Group I (ozone.unep.org, treaties)") == [".org"]
    assert notes("IPCC (AR4/AR5 via GHG Protocol GWP Values 2016)") == ["via"]
    assert not RESEARCH_NOTE.search(DIESEL_DENSITY)


def test_no_source_a_reader_sees_is_a_research_note(lib):
    """Every text that cites a factor — each publication's citation and reference (en, zh,
    and the use it applies to), each data row's publisher, document, table and edition, and
    every source a lookup returns — names the publication, never how the value was found.
    The finding trail stays in the maintainers' columns (transcription, density_note, notes)."""
    data = files("envreport.factors").joinpath("data")
    cited = ("publisher", "document", "table", "edition", "citation", "citation_zh",
             "publication", "publication_zh", "applies_to", "applies_to_zh")
    seen = 0
    for name in ("publications.csv", "fuels.csv", "fuel_nonco2.csv", "gwp.csv", "grid.csv",
                 "ods.csv", "constants.csv"):
        with data.joinpath(name).open(encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            assert "source" not in (reader.fieldnames or ()), name  # renamed: transcription
            for row in reader:
                for key in cited:
                    if row.get(key):
                        seen += 1
                        assert not RESEARCH_NOTE.search(row[key]), (name, key, row[key])
    assert seen > 1000
    sources = [lib.ncv(f).source for f in lib.fuel_ids()]
    sources += [d.source for f in lib.fuel_ids() if (d := lib.density(f)) is not None]
    sources += [*lib.nonco2["factor_source"], *lib.grid["factor_source"],
                *lib.ods["factor_source"], *(c.source for c in lib.constants.values())]
    sources += [lib.gwp_value(g, s).source for g in lib.gwp.index for s in ("AR4", "AR5", "AR6")]
    for source in sources:
        assert source in lib.citations, source  # a publication of publications.csv
        assert not RESEARCH_NOTE.search(source), source


def test_a_density_cites_its_publication_and_keeps_its_note_apart(lib):
    """The density's own publication, not the NCV's; the transcription note stays in the
    library for maintainers (density_note), where no report reads it."""
    assert lib.density("diesel").source == DIESEL_DENSITY
    assert lib.citations[DIESEL_DENSITY] == "GHG Protocol stationary combustion tool, v4.0"
    assert lib.chinese["GHG Protocol stationary combustion tool, v4.0"] == (
        "温室气体核算体系固定源燃烧计算工具，第4.0版")
    assert lib.fuels.loc["diesel", "density_note"] == (
        "GHGP tool density 840 kg/m3 (via AMEE); ghgpy uses 844")
    assert lib.density("biodiesel").source == (
        "Brazilian GHG Protocol Programme (Programa Brasileiro GHG Protocol), FGV Center for "
        "Sustainability Studies (n.d.). GHG Protocol calculation tool: density of biodiesel "
        "(B100)")
    # the method's own values say they are the method's, not a publication's
    assert lib.density("natural_gas").source == lib.density("bioethanol").source == (
        "envreport methodology, Scope 1: combustion (a method decision, not a published "
        "factor): natural gas 0.717 kg/Nm3 at 0 °C and 101.325 kPa; bioethanol 0.789 kg/L, "
        "the density of ethanol")
    assert lib.ncv("diesel").source == (
        "IPCC (2006). 2006 IPCC Guidelines for National Greenhouse Gas Inventories, Volume 2: "
        "Energy, Chapter 1, Table 1.2 (net calorific values) and Table 1.4 (CO2 emission "
        "factors)")


def test_factors_command_cites_diesels_density_by_its_publication():
    console = Console(record=True, width=400)
    print_factors(console, fuel="diesel")
    rows = [[cell.strip() for cell in line.split("│")[1:-1]]
            for line in console.export_text().splitlines() if line.startswith("│ density")]
    assert rows == [["density", "0.84", "kg/L", DIESEL_DENSITY]]


def test_biogenic_flags(lib):
    assert {f for f in CONTRACT_FUELS if lib.is_biogenic(f)} == {
        "wood", "charcoal", "biodiesel", "bioethanol", "biogas", "landfill_gas"}


def test_nonco2_contexts(lib):
    assert lib.nonco2_factor("diesel", "N2O", "offroad").value == 28.6
    assert lib.nonco2_factor("gasoline", "CH4", "road").value == 33
    assert lib.nonco2_factor("bituminous_coal", "CH4", "manufacturing").value == 10
    assert lib.nonco2_factor("wood", "CH4", "commercial").value == 300
    assert lib.nonco2_factor("coke", "CH4", "road") is None


@pytest.mark.parametrize(("gas", "gwp_set", "value", "group"), [
    ("CO2", "AR6", 1, "CO2"),
    ("N2O", "AR6", 273, "N2O"),
    ("N2O", "AR5", 265, "N2O"),
    ("N2O", "AR4", 298, "N2O"),
    ("SF6", "AR6", 25200, "SF6"),
    ("NF3", "AR5", 16100, "NF3"),
    ("R-410A", "AR6", 2256, "HFCs"),
    ("r410a", "AR4", 2088, "HFCs"),
    ("HFC-410A", "AR5", 1924, "HFCs"),
    ("R-404A", "AR6", 4728, "HFCs"),
    ("R-407C", "AR6", 1908, "HFCs"),
    ("R-134a", "AR6", 1530, "HFCs"),
    ("PFC-14", "AR6", 7380, "PFCs"),
    ("C2F6", "AR4", 12200, "PFCs"),
    ("R-22", "AR6", 1960, "other"),
])
def test_gwp_and_groups(lib, gas, gwp_set, value, group):
    assert lib.gwp_value(gas, gwp_set).value == value
    assert lib.gas_group(gas) == group


def test_a_blends_gwp_is_its_components_weighted_then_rounded_and_says_so(lib):
    """ASHRAE 34 compositions: R-410A 50 % HFC-32 + 50 % HFC-125; R-407C 23 % HFC-32, 25 %
    HFC-125, 52 % HFC-134a. The library holds whole numbers (2,255.5 applied as 2,256): the
    report's citation said "components weighted", so an auditor's 2,255.5 missed it."""
    assert [lib.gwp_value("R-410A", s).value for s in ("AR4", "AR5", "AR6")] == [
        2088.0, 1924.0, 2256.0]  # 2,087.5, 1,923.5 and 2,255.5, rounded
    assert lib.gwp_value("R-407C", "AR6").value == 1908.0  # 177.33 + 935 + 795.6 = 1,907.93
    for s in ("AR4", "AR5", "AR6"):
        reference = lib.gwp_value("R-410A", s).source
        assert reference.endswith("components weighted by the blend's nominal composition "
                                  "(ANSI/ASHRAE Standard 34), rounded to a whole number")
        assert lib.chinese[reference].endswith(
            "按混合物的标称组分（ANSI/ASHRAE 34标准）加权，取整数")


def test_combustion_methane_by_set(lib):
    # methods.md: AR6 fossil 29.8 / non-fossil 27.0; AR5 28 and AR4 25 for all CH4.
    assert lib.gwp_value(lib.combustion_ch4_gas("AR6", False), "AR6").value == 29.8
    assert lib.gwp_value(lib.combustion_ch4_gas("AR6", True), "AR6").value == 27.0
    assert lib.gwp_value(lib.combustion_ch4_gas("AR5", False), "AR5").value == 28
    assert lib.gwp_value(lib.combustion_ch4_gas("AR4", True), "AR4").value == 25


@pytest.mark.parametrize(("country", "year", "value", "factor_year", "later", "ftype"), [
    ("CHN", 2024, 0.5306, 2023, False, "cn_mee_national_average_co2"),  # latest ≤ 2024
    ("CHN", 2022, 0.5366, 2022, False, "cn_mee_national_average_co2"),
    ("CHN", 2020, 0.5366, 2022, True, "cn_mee_national_average_co2"),  # all later: earliest
    ("GBR", 2024, 0.177, 2025, True, "uk_desnz_grid_co2e"),  # authority, not Ember
    ("USA", 2024, 0.34996, 2023, False, "us_epa_egrid_co2"),
    ("KEN", 2024, 0.08483, 2024, False, "ember_average_lifecycle_latest"),
    ("KEN", 2023, 0.09695, 2023, False, "ember_average_lifecycle"),
    ("LKA", 2024, 0.50978, 2022, False, "ember_average_lifecycle"),
])
def test_grid_year_rule(lib, country, year, value, factor_year, later, ftype):
    choice = lib.grid_factor(country, year)
    assert (choice.value, choice.year, choice.later_than_period, choice.factor_type) == (
        value, factor_year, later, ftype)
    assert choice.source


def test_grid_missing_and_sensitivity(lib):
    assert lib.grid_factor("XKX", 2024) is None
    ifi = lib.grid_factor("KEN", 2024, role="sensitivity")
    assert ifi.value == 0.274
    assert ifi.factor_type == "ifi_combined_margin_electricity_consumption_co2"


def test_show_tables_by_fuel_country_gas():
    (props, nonco2) = factor_tables(fuel="diesel")
    assert ("NCV", 43.0, "TJ/Gg") == props.rows[0][:3]
    assert any(r[0] == "offroad" and r[2] == 28.6 for r in nonco2.rows)
    (grid,) = factor_tables(country="KE")  # alpha-2 accepted
    assert grid.title.startswith("KEN")
    assert {r[2] for r in grid.rows} >= {"Scope 2 location-based",
                                          "avoided-emissions sensitivity"}
    assert factor_tables(country="Kenya")[0].rows == grid.rows
    (gwp,) = factor_tables(gas="R-22")
    assert "outside the Kyoto basket" in gwp.title
    assert [r[:2] for r in gwp.rows] == [("AR4", 1810.0), ("AR5", 1760.0), ("AR6", 1960.0)]
    assert len(factor_tables()) == 3


def test_show_unknown_raises():
    with pytest.raises(FactorLookupError):
        factor_tables(fuel="unobtainium")
    # the message says where the ids are, and the nearest when one is near (r14: 'HSD', a
    # clerk's name for diesel, said only that it is not a fuel)
    with pytest.raises(FactorLookupError) as error:
        factor_tables(fuel="HSD")
    assert str(error.value) == ("'HSD' is not a fuel of the factor library; envreport "
                                "factors lists the fuels")
    with pytest.raises(FactorLookupError) as error:
        factor_tables(fuel="disel")
    assert str(error.value) == ("'disel' is not a fuel of the factor library (did you mean "
                                "diesel or biodiesel?); envreport factors lists the fuels")
    with pytest.raises(FactorLookupError) as error:
        factor_tables(gas="R410")
    assert str(error.value) == ("'R410' has no GWP in the factor library (did you mean "
                                "R-410A?); envreport factors lists the gases")
    with pytest.raises(FactorLookupError):
        factor_tables(country="Atlantis")


def test_print_factors_renders():
    console = Console(record=True, width=200)
    print_factors(console, gas="SF6")
    assert "25200" in console.export_text()


@pytest.mark.parametrize(("text", "alpha3"), [
    ("UK", "GBR"), ("Russia", "RUS"), ("GB", "GBR"), ("United Kingdom", "GBR"), ("CN", "CHN")])
def test_factors_command_accepts_every_country_a_workbook_accepts(text, alpha3):
    assert parse_country(text) == alpha3  # the workbook's parser
    (grid,) = factor_tables(country=text)
    assert grid.title.startswith(alpha3)


def test_grid_override_keyed_uk_applies_to_gbr_electricity():
    # 0.3 kg/kWh × 1 000 000 kWh = 300 t, both methods (no instrument, no supplier factor)
    sub = submission(
        Electricity=[{"project_id": "P1", "quantity": 1000, "unit": "MWh",
                      "grid_country": "GBR"}],
        Factors=[{"factor_type": "grid", "key": "UK", "gas": "CO2e", "value": 0.3,
                  "unit": "kg/kWh", "source": "supplier disclosure"}])
    assert list(check_factors(sub)) == []
    results = compute(sub)
    assert results.ghg.scope2_location_tco2e == 300.0
    assert [(o.key, o.row) for o in results.factor_overrides] == [("GBR", 2)]


def test_resolve_fuel_spreads_one_string_per_distinct_value(lib):
    # 1 500 rows, three distinct fuel texts: every row's text column points at one shared
    # Python string per distinct value (pandas 3 str columns copied each row's text, which
    # was the peak memory of a 500 000-row build), and the values are what resolution means.
    from envreport.factors.resolve import parse_overrides, resolve_fuel

    sub = submission(
        Fuel=[fuel(1.0, "t", "Diesel"), fuel(2.0, "t", "diesel"), fuel(3.0, "t", "disel")] * 500,
        Factors=[{"factor_type": "fuel", "key": "diesel", "gas": "CH4", "value": 5,
                  "unit": "kg/TJ", "source": "plant test"}])
    f = resolve_fuel(sub, lib, parse_overrides(sub, lib))
    assert f["fuel"].tolist()[:3] == ["diesel", "diesel", "disel"]
    assert f["problem"].isna().tolist()[:3] == [True, True, False]
    assert f["problem"][2] == "fuel-unknown"
    # 1 t and 2 t × 43.0 TJ/Gg (IPCC's diesel NCV)
    assert f["tj"].tolist()[:2] == pytest.approx([0.043, 0.086])
    assert f["ch4_ef"].tolist()[:2] == [5.0, 5.0]
    assert pd.isna(f["ch4_ef"][2])
    assert f["ch4_src_override"][0] == "Factors sheet row 2: plant test"
    assert pd.isna(f["ch4_src_override"][2])
    table = sub.table("Fuel")
    for column in ("project_id", "unit", "use"):  # the submission's own strings, not copies
        assert f[column].dtype == object, column
        assert all(a is b for a, b in zip(f[column], table[column], strict=True)), column
    for column in ("fuel", "co2_src", "ncv_src", "context", "nonco2_context", "nonco2_src",
                   "category"):
        assert f[column].dtype == object, column
        # at most one string object per distinct fuel text typed (three), not one per row
        assert len({id(v) for v in f[column] if isinstance(v, str)}) <= 3, column
    assert len({id(v) for v in f["co2_src"] if isinstance(v, str)}) == 1


def test_resolve_electricity_by_energy_type_instrument_and_grid_year(lib):
    # 1 200 rows, four kinds repeated: the energy type, the instrument and the grid factor's
    # year are looked up once per distinct value (not compared or mapped row by row), and
    # each row gets what resolution means for its kind.
    from envreport.factors.resolve import (
        HEAT_SUPPLIER_NOTE,
        SUPPLIER_FACTOR_SOURCE,
        parse_overrides,
        resolve_electricity,
    )

    rows = [
        {"project_id": "P1", "quantity": 1000, "unit": "kWh"},  # the host's grid: CHN
        {"project_id": "P1", "quantity": 1000, "unit": "kWh", "grid_country": "GBR",
         "instrument": "rec", "instrument_quantity": 400},
        {"project_id": "P1", "quantity": 500, "unit": "kWh", "energy_type": "heat",
         "supplier_factor_kg_per_kwh": 0.2},
        {"project_id": "P1", "quantity": 10, "unit": "kWh", "grid_country": "ATA"},
    ]
    sub = submission(Electricity=rows * 300)
    e = resolve_electricity(sub, lib, parse_overrides(sub, lib))
    first = e.iloc[:4]
    # MEE's 2023 factor for China (0.5306 kg/kWh); for the UK only DESNZ's 2025 one (0.177),
    # later than the 2024 period
    assert first["loc_factor"].tolist()[:3] == [0.5306, 0.177, 0.2]
    assert first["factor_year"].tolist()[:2] == [2023, 2025]
    assert {type(year) for year in first["factor_year"][:2]} == {int}  # not 2025.0
    assert first["factor_year"][2] is None  # heat: no grid factor, no year
    assert pd.isna(first["factor_year"][3])  # no factor for Antarctica
    assert first["loc_src"][2] == SUPPLIER_FACTOR_SOURCE
    assert first["loc_note"].tolist()[:3] == [None, None, HEAT_SUPPLIER_NOTE]
    assert first["covered_kwh"].tolist() == [0.0, 400.0, 0.0, 0.0]
    assert first["rest_kwh"].tolist() == [1000.0, 600.0, 500.0, 10.0]
    assert first["problem"].fillna("").tolist() == ["", "", "", "grid-factor-missing"]
    assert first["later"].tolist() == [False, True, False, False]
    assert e["covered_kwh"].sum() == 400.0 * 300
    assert (e["problem"] == "grid-factor-missing").sum() == 300
    # the year of the later factor in the warning's parameters, as an int beside Antarctica
    later = [f for f in check_factors(sub) if f.code == "factor-year-later-than-period"]
    assert [(f.row, f.params) for f in later] == [
        (3, {"factor_year": 2025, "reporting_year": 2024})]
    assert type(later[0].params["factor_year"]) is int
    # one shared string per distinct source, not one per row
    assert len({id(v) for v in e["loc_src"] if isinstance(v, str)}) == 3


def test_resolve_refrigerants_spreads_one_string_per_distinct_gas(lib):
    # 1 200 rows, four gas texts: the GWP of each distinct text is looked up once and every
    # row's text columns point at one shared string per value (pandas 3 str columns copied
    # each row's text and mapped row by row).
    from envreport.factors.resolve import parse_overrides, resolve_refrigerants

    rows = [{"project_id": "P1", "gas": gas, "quantity_kg": 2.0}
            for gas in ("R-410A", "r410a", "HFC-999", "R-999")] * 300
    sub = submission(Refrigerants=rows,
                     Factors=[{"factor_type": "refrigerant", "key": "HFC-999", "value": 100,
                               "unit": "1", "source": "supplier sheet"}])
    r = resolve_refrigerants(sub, lib, parse_overrides(sub, lib), "AR6")
    first = r.iloc[:4]
    assert first["gas"].tolist() == ["R-410A", "R-410A", "HFC-999", "R-999"]
    assert first["gwp"].tolist()[:3] == [2256.0, 2256.0, 100.0]  # IPCC AR6; the override
    assert pd.isna(first["gwp"][3])
    assert first["source"][2] == "Factors sheet row 2: supplier sheet"
    assert first["problem"].tolist()[3] == "refrigerant-unknown"
    assert r["problem"].notna().sum() == 300
    assert r["share"].tolist() == [1.0] * 1200
    table = sub.table("Refrigerants")
    for column, given in (("project_id", "project_id"), ("gas_given", "gas")):
        assert r[column].dtype == object, column  # the submission's own strings, not copies
        assert all(a is b for a, b in zip(r[column], table[given], strict=True)), column
    for column in ("gas", "group", "source"):
        assert r[column].dtype == object, column
        # at most one string object per distinct gas text typed (four), not one per row
        assert len({id(v) for v in r[column] if isinstance(v, str)}) <= 4, column


def test_the_mee_nbs_2022_factor_cites_its_announcement_with_its_date() -> None:
    """China's 2022 grid factor (0.5366) cites the MEE/NBS announcement by its title and its
    date, 20 December 2024, in both languages: the reference gives that date (no number).
    The 2023 announcement's title only: the reference dates it "about January 2026"."""
    from datetime import date

    from bs4 import BeautifulSoup
    from html_tables import row_cells
    from metrics_support import organization, results_of

    from envreport.render import render_html

    year_2022 = organization(reporting_period_start=date(2022, 1, 1),
                             reporting_period_end=date(2022, 12, 31))
    results = results_of(submission(org=year_2022, Electricity=[
        {"project_id": "P1", "quantity": 1000, "unit": "kWh"}]))
    short = "MEE and NBS, 2022 electricity CO2 factors"
    assert results["factor_sources"][short] == (
        "Ministry of Ecology and Environment and National Bureau of Statistics of China (2024). "
        "Announcement on the release of the 2022 electricity carbon dioxide emission factors, "
        "20 December 2024")
    en = BeautifulSoup(render_html(results, "en"), "html.parser")
    assert row_cells(en, "table-grid-factors", "China")[1:3] == ["2022", "0.5366"]
    assert row_cells(en, "table-factor-sources", short)[1] == results["factor_sources"][short]
    zh = BeautifulSoup(render_html(results, "zh"), "html.parser")
    short_zh = "生态环境部、国家统计局2022年电力二氧化碳排放因子"
    assert row_cells(zh, "table-factor-sources", short_zh)[1] == (
        "生态环境部、国家统计局：《关于发布2022年电力二氧化碳排放因子的公告》，2024年12月20日")
    # the Chinese report prints the short citation as results.json and calculations.csv hold
    # it, where a trail entry's factor_source is found (walked as an auditor, r17); the
    # English report's citation is that one already
    assert row_cells(zh, "table-factor-sources", short_zh)[2] == short
    assert len(row_cells(en, "table-factor-sources", short)) == 2


def test_a_results_json_stored_before_the_citation_change_shows_the_grid_year() -> None:
    """A results.json stored before r13 dated the 2022 announcement holds its older full text
    in ``factor_sources``; re-rendered, China's grid factor showed no data year, looked up
    by that text. It is found by the publication (its short citation, as the trail records
    it), the country and the value."""
    from datetime import date

    from bs4 import BeautifulSoup
    from html_tables import row_cells
    from metrics_support import organization, results_of

    from envreport.render import render_html

    year_2022 = organization(reporting_period_start=date(2022, 1, 1),
                             reporting_period_end=date(2022, 12, 31))
    results = results_of(submission(org=year_2022, Electricity=[
        {"project_id": "P1", "quantity": 1000, "unit": "kWh"}]))
    short = "MEE and NBS, 2022 electricity CO2 factors"
    results["factor_sources"][short] = (  # as stored before 6526968
        "Ministry of Ecology and Environment and National Bureau of Statistics of China. "
        "Announcement on the release of the 2022 electricity carbon dioxide emission factors")
    en = BeautifulSoup(render_html(results, "en"), "html.parser")
    assert row_cells(en, "table-grid-factors", "China")[:3] == ["China", "2022", "0.5366"]


def test_a_fuel_reads_its_drop_down_entry_and_its_label_as_its_id():
    """The fuel column reads the Chinese template's drop-down entry and a fuel's label alone,
    as every drop-down column does (r14: 柴油（diesel）, picked from the drop-down, was
    fuel-unknown); anything else keeps its id form for fuel-unknown to report."""
    from envreport.factors.resolve import fuel_id

    assert [fuel_id(t) for t in ("Natural Gas", "柴油（diesel）", "柴油", " 天然气 ",
                                 "Gas/Diesel oil (diesel)", "Fuel oil", "diesel (red)", "HSD")
            ] == ["natural_gas", "diesel", "diesel", "natural_gas", "diesel", "fuel_oil",
                  "diesel_(red)", "hsd"]


def test_publications_without_a_known_year_are_cited_n_d_in_both_languages() -> None:
    """The GHG Protocol tool's densities (diesel), the Brazilian programme's biodiesel density
    and MEE/NBS's 2023 grid factors come from publications whose year no source the library
    was built from supports: the reference says so, "(n.d.)" after the issuer as the year
    stands in the others, and "年份不详" where the Chinese reference gives the year."""
    from bs4 import BeautifulSoup

    from envreport.render import render_html

    results = results_of(submission(
        Fuel=[fuel(1000, "L"), fuel(100, "L", "biodiesel")],
        Electricity=[{"project_id": "P1", "quantity": 1000, "unit": "kWh"}]))
    expected = {
        "GHG Protocol stationary combustion tool, v4.0": (
            "World Resources Institute and World Business Council for Sustainable Development "
            "(n.d.). GHG Protocol tool for stationary combustion, version 4.0: default fuel "
            "densities",
            "温室气体核算体系固定源燃烧计算工具，第4.0版",
            "世界资源研究所、世界可持续发展工商理事会：《温室气体核算体系固定源燃烧计算工具》"
            "第4.0版，年份不详，燃料默认密度"),
        "Brazilian GHG Protocol Programme tool": (
            "Brazilian GHG Protocol Programme (Programa Brasileiro GHG Protocol), FGV Center for "
            "Sustainability Studies (n.d.). GHG Protocol calculation tool: density of biodiesel "
            "(B100)",
            "巴西温室气体核算体系项目计算工具",
            "巴西温室气体核算体系项目（Programa Brasileiro GHG Protocol），瓦加斯基金会可持续发展"
            "研究中心：《温室气体核算体系计算工具》，年份不详，生物柴油（B100）密度"),
        "MEE and NBS, 2023 electricity CO2 factors": (
            "Ministry of Ecology and Environment and National Bureau of Statistics of China "
            "(n.d.). Announcement on the release of the 2023 electricity carbon dioxide emission "
            "factors",
            "生态环境部、国家统计局2023年电力二氧化碳排放因子",
            "生态环境部、国家统计局：《关于发布2023年电力二氧化碳排放因子的公告》，年份不详"),
    }

    def rows(lang: str) -> dict[str, str]:
        table = BeautifulSoup(render_html(results, lang), "html.parser").find(
            id="table-factor-sources")
        # a version or table number is a span of its own: read each cell's text whole; the
        # Chinese table's third column is the English short citation, results.json's key
        cells = [" ".join(td.get_text().split()) for td in table.find_all("td")]
        width = 2 if lang == "en" else 3
        if width == 3:
            assert cells[2::3] == list(en)
        return dict(zip(cells[::width], cells[1::width], strict=True))

    # results.json: a density's reference beside the fuel it converted, a grid factor's
    # among the trail's factor_sources
    cited = {c["density_source"]: c["density_reference"] for c in results["energy_contents"]}
    cited.update(results["factor_sources"])
    en = rows("en")
    zh = rows("zh")
    for short, (full, short_zh, full_zh) in expected.items():
        assert cited[short] == full
        assert en[short] == full
        assert zh[short_zh] == full_zh
