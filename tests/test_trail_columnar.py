"""The trail written and summarised from its columns: results.json and calculations.csv
byte for byte what the per-entry encoders give, and the report's trail sections by hand."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envreport.pipeline import results_json
from envreport.render import trail_csv
from envreport.render.environment import shared_environment
from envreport.render.sections.appendix import (
    aggregate_calculations,
    appendix_rows,
    trail_rows,
)
from envreport.render.sections.ghg import ghg_section
from envreport.render.sections.methodology import energy_contents, factors_used, grid_factors
from envreport.render.sections.trail_frame import (
    EntryKeys,
    TrailKeys,
    first_of_each,
    first_positions,
    number_or_zero,
    per_entry,
    sorted_by,
    text_or_blank,
)
from envreport.results import Results
from envreport.results.jsonfile import (
    ONE_LINE_PER_ENTRY,
    ORJSON_WRITES_REPR,
    float_texts,
    write_results_json,
)
from tests.conftest import sample_results_model

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def sre() -> Results:
    return sample_results_model()  # group/sre.xlsx, computed once per test process


def _hostile(sre: Results, entries: int = ONE_LINE_PER_ENTRY + 51) -> Results:
    """The sample's results with a long trail of awkward values: quotes, line breaks,
    Chinese, formula triggers, missing texts and numbers, -0.0, tiny and huge floats."""
    trail = pd.concat([sre.trail] * math.ceil(entries / len(sre.trail)), ignore_index=True)
    trail = trail.iloc[:entries].copy()
    trail["row"] = np.arange(2, entries + 2)
    texts = ['P "1"\n', "项目-甲", "=HYPERLINK(\"x\")", None, "tab\there", "\\back"]
    trail["project_id"] = [texts[i % len(texts)] for i in range(entries)]
    numbers = [0.1 + 0.2, -0.0, 1e-05, 1e16, float("nan"), 123456789.123]
    trail["activity"] = [numbers[i % len(numbers)] for i in range(entries)]
    trail["method_note"] = [None if i % 3 else "note «é»" for i in range(entries)]
    return sre.model_copy(update={"calculations": trail})


def test_results_json_from_the_columns_is_what_the_entry_encoder_writes(sre: Results) -> None:
    hostile = _hostile(sre)
    # a column of few distinct numbers with gaps (written once per number), no -0.0
    repeated = hostile.trail.assign(activity=[1.5, float("nan"), 1e16] * 83 + [2.0, 2.0])
    # texts of many distinct values (written value by value), and categories
    distinct = hostile.trail.assign(project_id=[f"P-{i}" for i in range(len(hostile.trail))])
    categories = hostile.trail.astype({"project_id": "category", "method_note": "category"})
    for results in (sre, hostile, *(hostile.model_copy(update={"calculations": trail})
                                    for trail in (repeated, distinct, categories))):
        assert results_json(results) == results_json(results.to_json_dict())
    assert '"activity": null' in results_json(hostile.model_copy(
        update={"calculations": repeated})).decode()


def test_results_json_file_is_streamed_with_the_same_bytes(sre: Results, tmp_path: Path
                                                           ) -> None:
    results = _hostile(sre)
    path = tmp_path / "results.json"
    write_results_json(results, path)
    data = path.read_bytes()
    assert data == results_json(results.to_json_dict())
    calcs = json.loads(data)["calculations"]
    assert len(calcs) == ONE_LINE_PER_ENTRY + 51
    assert calcs[0]["project_id"] == 'P "1"\n'
    assert calcs[1]["project_id"] == "项目-甲"
    assert calcs[3]["project_id"] is None
    assert calcs[4]["activity"] is None
    assert calcs[1]["activity"] == -0.0
    assert calcs[2]["activity"] == 1e-05
    # one entry per line, Chinese as UTF-8 (not \u escapes), NaN written as null
    lines = data.decode().splitlines()
    assert lines[next(i for i, x in enumerate(lines) if x.startswith('  "calculations"')) + 2] \
        .startswith('    {"sheet": "Fuel", "row": 3, "project_id": "项目-甲"')
    assert "NaN" not in data.decode()


def test_calculations_csv_from_the_columns_is_what_the_row_writer_writes(sre: Results) -> None:
    results = _hostile(sre)
    text = trail_csv(results)
    assert text == trail_csv(results.to_json_dict())
    rows = list(csv.DictReader(io.StringIO(text.decode("utf-8-sig"))))
    assert rows[2]["project_id"] == "'=HYPERLINK(\"x\")"  # never a live formula
    assert rows[0]["project_id"] == 'P "1"\n'
    assert rows[3]["project_id"] == ""
    assert rows[0]["activity"] == "0.30000000000000004"
    assert rows[4]["activity"] == ""


def _entry(**values: object) -> dict[str, object]:
    base: dict[str, object] = {
        "sheet": "Fuel", "row": 2, "project_id": "P1", "fuel": "diesel", "scope": "1",
        "category": "stationary_combustion", "method": None, "method_note": None,
        "activity": 1.0, "activity_unit": "TJ", "factor": 74100.0, "factor_unit": "kg/TJ",
        "factor_source": "IPCC 2006, Vol. 2, Tables 1.2 and 1.4", "gas": "CO2",
        "gas_group": "CO2", "gas_t": 1.0, "gwp": 1.0, "share": 1.0, "tco2e": 1.0,
        "input_quantity": 1.0, "input_unit": "L"}
    return {**base, **values}


@pytest.fixture
def small(sre: Results) -> Results:
    """Five entries, worked by hand below."""
    ember = "Ember 2025, data year 2024"
    trail = pd.DataFrame([
        _entry(row=5, activity=2.0, gas_t=10.0, share=0.5, tco2e=5.0),
        _entry(row=3, activity=1.5, gas_t=4.0, share=0.5, tco2e=2.0),
        _entry(row=3, gas="CH4", gas_group="CH4", factor=3.0, gwp=27.0, gas_t=0.5,
               share=0.5, tco2e=6.75, factor_source="IPCC 2006, Vol. 2, Table 2.2"),
        _entry(sheet="Electricity", row=9, project_id="SRE-PK-SOL", fuel=None, scope="2",
               category="purchased_energy", method="location", activity=1000.0,
               activity_unit="kWh", factor=0.39861, factor_unit="kg/kWh",
               factor_source=ember, gas="CO2e", gas_t=0.39861, tco2e=0.39861),
        _entry(sheet="Electricity", row=9, project_id="SRE-PK-SOL", fuel=None, scope="2",
               category="purchased_energy", method="market", activity=1000.0,
               activity_unit="kWh", factor=0.5, factor_unit="kg/kWh", factor_source=ember,
               gas="CO2e", gas_t=0.5, tco2e=0.5,
               method_note="supplier factor"),
    ])
    return sre.model_copy(update={"calculations": trail})


def test_appendix_totals_by_project_source_and_gas(small: Results) -> None:
    totals = aggregate_calculations(small.trail)
    assert [(t["project_id"], t["gas"], t["rows"]) for t in totals] == [
        ("P1", "CH4", 1), ("P1", "CO2", 2), ("SRE-PK-SOL", "CO2e", 1), ("SRE-PK-SOL", "CO2e", 1)]
    co2 = totals[1]
    # 2.0 + 1.5 TJ; gas after the share: 10 × 0.5 + 4 × 0.5; tCO2e 5 + 2
    assert (co2["activity"], co2["gas_t"], co2["tco2e"]) == (3.5, 7.0, 7.0)
    assert totals[2]["method_label"] == "Location-based"


def test_appendix_counts_a_row_split_by_an_instrument_once(small: Results) -> None:
    """Electricity row 9's 1,000 kWh, 400 of them under an I-REC: market-based, two entries
    (400 kWh at 0 kg/kWh, 600 kWh at the grid's 0.39861) of one workbook row; with row 10's
    500 kWh, the market-based total is 2 rows of 1,500 kWh, 0 + 0.239166 + 0.199305 t."""
    market = {"sheet": "Electricity", "project_id": "SRE-PK-SOL", "fuel": None, "scope": "2",
              "category": "purchased_energy", "method": "market", "activity_unit": "kWh",
              "factor_unit": "kg/kWh", "gas": "CO2e", "gas_group": "CO2e"}
    trail = pd.DataFrame([
        _entry(**market, row=9, activity=400.0, factor=0.0, gas_t=0.0, tco2e=0.0,
               method_note="contractual instrument (i_rec)"),
        _entry(**market, row=9, activity=600.0, factor=0.39861, gas_t=0.239166,
               tco2e=0.239166),
        _entry(**market, row=10, activity=500.0, factor=0.39861, gas_t=0.199305,
               tco2e=0.199305),
    ])
    [total] = aggregate_calculations(trail)
    assert (total["rows"], total["activity"]) == (2, 1500.0)
    assert total["tco2e"] == pytest.approx(0.438471)
    [row] = appendix_rows([total], "en")
    assert (row.scope, row.rows, row.activity, row.tco2e) == (
        "Scope 2 (market-based)", "2", "1,500 kWh", "0.438")


def test_html_trail_rows_in_sheet_row_gas_order(small: Results) -> None:
    rows = trail_rows(small.trail)
    # sheets by name (Electricity before Fuel), then Excel row, gas, method
    assert [(r.sheet, r.row, r.gas) for r in rows["rows"]] == [
        ("Electricity", 9, "CO2e"), ("Electricity", 9, "CO2e"), ("Fuel", 3, "CH4"),
        ("Fuel", 3, "CO2"), ("Fuel", 5, "CO2")]
    assert rows["total"] == 5
    assert not rows["truncated"]
    # each cell as printed: the filters' text, the scope with its method
    location, market, ch4 = rows["rows"][:3]
    assert location.scope == "Scope 2 (location-based)"
    assert tuple(location[5:]) == ("1,000 kWh", "0.39861 kg/kWh", "CO2e", "1", "100 %",
                                   "0.399")
    assert (market.scope, market.tco2e) == ("Scope 2 (market-based)", "0.500")
    assert (ch4.scope, ch4.source, ch4.factor, ch4.gwp, ch4.share) == (
        "Scope 1", "Stationary combustion", "3 kg/TJ", "27", "50 %")
    chinese = trail_rows(small.trail, "zh")["rows"]
    assert (chinese[0].sheet, chinese[0].scope) == ("外购能源", "范围二（基于位置）")


def test_appendix_rows_print_the_totals(small: Results) -> None:
    trail = small.trail.copy()
    trail.loc[0, "project_id"] = "<P1>"  # the template escapes what it prints
    trail.loc[0, "activity"] = float("nan")  # adds nothing to its total
    rows = appendix_rows(aggregate_calculations(trail), "en")
    assert [(r.first_of_project, r.project_id, r.gas, r.rows) for r in rows] == [
        (True, "<P1>", "CO2", "1"), (True, "P1", "CH4", "1"), (False, "P1", "CO2", "1"),
        (True, "SRE-PK-SOL", "CO2e", "1"), (False, "SRE-PK-SOL", "CO2e", "1")]
    assert rows[0].activity == "0 TJ"
    assert (rows[3].scope, rows[3].fuel, rows[3].activity) == (
        "Scope 2 (location-based)", "", "1,000 kWh")
    html = shared_environment("en").get_template("sections/appendix.html").render(
        appendix=rows, trail=trail_rows(trail), section_titles={"appendix": "Appendix"})
    assert '<tr class="first-of-project"><td class="id">&lt;P1&gt;</td>' in html


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_hostile_trail_texts_are_escaped_in_both_appendix_tables(
        small: Results, lang: str) -> None:
    """The appendix's cells are formatted in Python (AppendixRow, TrailRow), some as Markup
    (a scope with its method, a number with its unit): every workbook text in them must still
    reach the HTML as text. The values no vocabulary knows are printed as written (a fuel,
    a method, a unit), so each is hostile here."""
    from bs4 import BeautifulSoup

    trail = small.trail.copy()
    hostile = {"sheet": "<script>s()</script>", "project_id": "<img src=x onerror=p()>",
               "fuel": "<b>fuel</b>", "method": "<i>m</i>", "gas": "<u>gas</u>",
               "activity_unit": "<s>au</s>", "factor_unit": '"><a href=x>fu</a>'}
    for column, text in hostile.items():
        trail.loc[0, column] = text  # row 5 of Fuel: 2 TJ, 10 t at 0.5, 5 tCO2e
    appendix = appendix_rows(aggregate_calculations(trail), lang)
    rows = trail_rows(trail, lang)
    html = shared_environment(lang).get_template("sections/appendix.html").render(
        appendix=appendix, trail=rows, section_titles={"appendix": "Appendix"})
    soup = BeautifulSoup(html, "html.parser")
    assert [tag.name for tag in soup.find_all(["script", "img", "b", "i", "u", "s", "a"])] == []
    total = [c.get_text() for c in soup.find(id="table-appendix").find_all("tr")[1]("td")]
    # first in the trail table: its sheet sorts first ("<" before "E")
    entry = [c.get_text() for c in soup.find(id="table-trail").find_all("tr")[1]("td")]
    scope = {"en": "Scope 1 (<i>m</i>)", "zh": "范围一（<i>m</i>）"}[lang]
    source = {"en": "Stationary combustion", "zh": "固定燃烧"}[lang]
    assert total == ["<img src=x onerror=p()>", scope, source, "<b>fuel</b>", "<u>gas</u>",
                     "1", "2.0 <s>au</s>", "5.0"]
    assert entry == ["<script>s()</script>", "5", "<img src=x onerror=p()>", scope, source,
                     "2.0 <s>au</s>", '74,100 "><a href=x>fu</a>', "<u>gas</u>", "1",
                     {"en": "50 %", "zh": "50%"}[lang], "5.0"]


def test_factors_used_once_each_and_grid_factors(small: Results) -> None:
    factors = factors_used(small.trail, "en")
    assert [(f["gas"], f["factor"], f["gwp"]) for f in factors] == [
        ("CH4", 3.0, 27.0), ("CO2", 74100.0, 1.0)]
    grid = grid_factors(small, small.trail, "en")
    assert [(r["country"], r["factor"]) for r in grid["rows"]] == [("PAK", 0.39861)]
    assert grid["lifecycle_pct"] is None  # one basis only: no split printed


def test_market_fallbacks_counted_from_the_columns(small: Results, sre: Results) -> None:
    from envreport.factors.resolve import RESIDUAL_MIX_FALLBACK_NOTE

    trail = small.trail.copy()
    assert ghg_section(small, trail, "en")["market_fallbacks"] == 0
    trail.loc[4, "method_note"] = RESIDUAL_MIX_FALLBACK_NOTE
    assert ghg_section(small, trail, "en")["market_fallbacks"] == 1
    assert ghg_section(small, trail.iloc[:0], "en")["market_fallbacks"] == 0


@settings(max_examples=400, deadline=None)
@given(st.lists(st.floats(allow_infinity=False), min_size=1, max_size=64))
def test_float_texts_are_what_json_dumps_writes(numbers: list[float]) -> None:
    # orjson writes the numbers; the texts must be json.dumps's (repr), NaN as null
    expected = [json.dumps(None if n != n else n) for n in numbers]
    assert float_texts(np.array(numbers)) == expected


def test_float_texts_at_the_edges_of_orjsons_range() -> None:
    edges = [1e-4, 9.999999999999999e-05, 1e-05, 0.00012, 1e16, 9999999999999998.0,
             1.2345678901234567e16, -0.0, 0.0, 5e-324, 1.7976931348623157e308, 0.1 + 0.2,
             123.0, -1e-07, 1e22, float("nan")]
    assert float_texts(np.array(edges)) == [
        "0.0001", "9.999999999999999e-05", "1e-05", "0.00012", "1e+16",
        "9999999999999998.0", "1.2345678901234568e+16", "-0.0", "0.0", "5e-324",
        "1.7976931348623157e+308", "0.30000000000000004", "123.0", "-1e-07", "1e+22", "null"]
    assert ORJSON_WRITES_REPR  # the installed orjson agrees with repr (else repr is used)


def _all(keys: EntryKeys) -> list[object]:
    return [keys[position] for position in range(len(keys))]


def test_entry_keys_group_and_sort_by_the_key_not_the_value() -> None:
    # None and "" are one key (""); the groups are numbered as they first appear
    fuel = pd.Series(["diesel", None, "", "coal", "diesel", None], dtype="category")
    keys = per_entry(fuel, text_or_blank)
    assert _all(keys) == ["diesel", "", "", "coal", "diesel", ""]
    groups, first = first_of_each([keys])
    assert groups.tolist() == [0, 1, 1, 2, 0, 1]
    assert first.tolist() == [0, 1, 3]
    assert keys.equals("").tolist() == [False, True, True, False, False, True]
    assert _all(keys.map(len)) == [6, 0, 0, 4, 6, 0]
    # floats keyed once per distinct number; -0.0 keeps its own repr
    factor = pd.Series([2.5, float("nan"), 2.5, 0.1 + 0.2])
    assert _all(per_entry(factor, repr)) == ["2.5", "None", "2.5", "0.30000000000000004"]
    signed = pd.Series([0.0, -0.0, 0.0])
    assert _all(per_entry(signed, repr)) == ["0.0", "-0.0", "0.0"]
    assert first_of_each([per_entry(signed, repr)])[1].tolist() == [0, 1]
    # sorted by Python's order of the keys (rows as numbers: 10 after 9), ties in trail order
    rows = per_entry(pd.Series([10, 9, 10, 2]), int)
    sheets = per_entry(pd.Series(["Fuel", "Electricity", "Fuel", "Fuel"]), str)
    assert sorted_by([sheets, rows]).tolist() == [1, 3, 0, 2]
    assert sorted_by([rows]).tolist() == [3, 1, 0, 2]
    # the first few without sorting them all: the same positions
    assert sorted_by([sheets, rows], limit=3).tolist() == [1, 3, 0]
    assert sorted_by([rows], limit=2).tolist() == [3, 1]


def test_trail_keys_key_each_column_once_and_read_as_the_columns_do() -> None:
    texts = ["diesel", None, "", "coal", "diesel", None]
    trail = pd.DataFrame({"fuel": pd.Series(texts, dtype="category"),
                          "row": [10, 9, 10, 2, 0, -1]})
    keys = TrailKeys(trail)
    fuel = keys("fuel", text_or_blank)
    assert keys("fuel", text_or_blank) is fuel  # made once
    # the categorical's own codes give what the column's values give one by one
    assert _all(fuel) == _all(per_entry(pd.Series(texts, dtype=object), text_or_blank))
    assert _all(fuel.at(np.array([0, 3, 5]))) == ["diesel", "coal", ""]
    # integers keyed by number_or_zero: themselves, in order, without a call per value
    rows = keys("row", number_or_zero)
    assert _all(rows) == [10, 9, 10, 2, 0, -1]
    assert sorted_by([rows]).tolist() == [5, 4, 3, 1, 0, 2]
    assert sorted_by([rows], limit=2).tolist() == [5, 4]
    floats = per_entry(pd.Series([10.0, None, 2.0]), number_or_zero)
    assert _all(floats) == [10.0, 0, 2.0]
    assert sorted_by([floats]).tolist() == [1, 2, 0]


def test_first_positions_of_groups_numbered_as_they_appear() -> None:
    assert first_positions(np.array([0, 0, 1, 0, 2, 1, 3])).tolist() == [0, 2, 4, 6]
    assert first_positions(np.array([], dtype=np.int64)).tolist() == []


def test_results_json_in_many_chunks_is_what_the_entry_encoder_writes(
        sre: Results, monkeypatch: pytest.MonkeyPatch) -> None:
    from envreport.results import jsonfile

    # 3 chunks: activity many-valued in the first (then written value by value without
    # being counted again), one repeated number in the others; -0.0 in the last
    monkeypatch.setattr(jsonfile, "CHUNK_ROWS", 100)
    hostile = _hostile(sre, entries=300)
    activity = [i / 7 for i in range(100)] + [2.5] * 100 + [2.5] * 99 + [-0.0]
    results = hostile.model_copy(update={"calculations": hostile.trail.assign(
        activity=activity)})
    assert results_json(results) == results_json(results.to_json_dict())


def test_energy_contents_follow_the_submissions_ncv_and_density(sre: Results) -> None:
    """A submission's NCV per volume replaces density × NCV; its density replaces the
    library's, with the library's NCV beside it; each names its Factors row. Worked: natural
    gas 38 MJ/m3 → 0.038 GJ per m3; gasoline 0.75 kg/L × 44.3 GJ/t → 0.033225 GJ per L.
    Results stored before ``energy_contents`` (it is ``None``): explained from the trail."""
    from envreport.results.models import FactorOverride

    overrides = [
        FactorOverride(factor_type="ncv", key="natural_gas", gas=None, value=38.0,
                       unit="MJ/m3", source="supplier", sheet="Factors", row=2),
        FactorOverride(factor_type="density", key="gasoline", gas=None, value=0.75,
                       unit="kg/L", source="lab", sheet="Factors", row=3)]
    results = sre.model_copy(update={"factor_overrides": overrides, "energy_contents": None})
    trail = pd.DataFrame([
        _entry(fuel="natural_gas", input_quantity=0.0, input_unit="m3", activity=0.0),
        _entry(fuel="natural_gas", input_quantity=1000.0, input_unit="m3", activity=0.038),
        _entry(fuel="gasoline", input_quantity=1000.0, input_unit="L", activity=0.033225),
        _entry(sheet="Refrigerants", fuel=None, input_unit="kg")])
    rows, cited = energy_contents(results, trail, "en")
    assert [(r["fuel"], r["unit"], round(r["gj_per_unit"], 9)) for r in rows] == [
        ("gasoline", "L", 0.033225), ("natural_gas", "m3", 0.038)]
    gasoline, gas = rows
    assert [(p["name"], p["value"], p["unit"]) for p in gasoline["parts"]] == [
        ("Density", 0.75, "kg/L"), ("Net calorific value", 44.3, "GJ/t")]
    assert gasoline["sources"] == [
        {"sheet": "Factors", "row": 3, "entity": None},
        {"citation": "IPCC 2006, Vol. 2, Tables 1.2 and 1.4", "part": None}]
    assert [(p["name"], p["value"], p["unit"]) for p in gas["parts"]] == [
        ("Net calorific value", 38.0, "MJ/m3")]
    assert gas["sources"] == [{"sheet": "Factors", "row": 2, "entity": None}]
    assert cited == {}  # the trail's own sources already hold Tables 1.2 and 1.4


def test_trail_texts_are_pythons_own_strings(sre: Results) -> None:
    # a numpy string among a column's texts (the refrigerants' scope, "1" or "other", is
    # chosen with np.where) stays one in pandas' own text columns (the CLI's build of a
    # small workbook: no pyarrow) and sent results.json's writer and the report's summaries
    # through each entry of the column one by one; the texts are the same either way
    from envreport.metrics.trail import _texts

    codes, texts = _texts(np.where(np.array([True, False, True]), "other", "1"), 3)
    assert codes.tolist() == [0, 1, 0]
    assert texts == ["other", "1"]
    assert [type(text) for text in texts] == [str, str]
    for name, column in sre.trail.items():
        if isinstance(column.dtype, pd.CategoricalDtype):
            assert {type(text) for text in column.cat.categories} <= {str}, name


def test_groups_of_many_wide_keys_are_numbered_as_they_first_appear() -> None:
    # six keys of 2 000 distinct values each: their codes in mixed radix would not fit in
    # 63 bits, so the combination is numbered down on the way (same groups, same order)
    rng = np.random.default_rng(7)
    length = 3_000
    columns = [rng.integers(0, 2_000, length) // (1 if k % 2 else 400) for k in range(6)]
    keys = [per_entry(pd.Series(column), int) for column in columns]
    groups, first = first_of_each(keys)
    numbered: dict[tuple[int, ...], int] = {}
    expected = [numbered.setdefault(key, len(numbered)) for key in zip(*columns, strict=True)]
    assert groups.tolist() == expected
    assert first.tolist() == [expected.index(group) for group in range(len(numbered))]
