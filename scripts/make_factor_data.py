"""Derive the shipped factor CSVs from ``shared/reference`` (run by hand, not at runtime).

The CSVs under ``envreport/factors/data/`` are what ships and what the library reads; this
script records how they were made so that the next edition can be rebuilt the same way::

    .venv/bin/python scripts/make_factor_data.py /work/shared/reference [OUT_DIR]

``OUT_DIR`` defaults to the package's ``envreport/factors/data/``; give another folder to
compare a rebuild with the committed files (``diff -r``) before replacing them. It writes
fuels.csv, fuel_nonco2.csv, gwp.csv and grid.csv (each row with the id of the publication it
cites); constants.csv, publications.csv and VERSION are edited by
hand.

It maps the reference's IPCC fuel names onto the workbook's fuel ids, splits the wide
CH4/N2O columns into one row per (fuel, context) so that metrics can merge on them, and
writes every value beside its publisher, document, table, edition and year.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

# The package's factor data, relative to this script (scripts/ is beside envreport/).
DATA = Path(__file__).resolve().parent.parent / "envreport" / "factors" / "data"

# The workbook contract's fuel ids (spec/workbook.md) ← the reference's IPCC-style ids.
FUEL_IDS = {
    "natural_gas": "natural_gas",
    "gas_diesel_oil": "diesel",
    "motor_gasoline": "gasoline",
    "residual_fuel_oil": "fuel_oil",
    "lpg": "lpg",
    "jet_kerosene": "jet_kerosene",
    "other_kerosene": "kerosene",
    "crude_oil": "crude_oil",
    "naphtha": "naphtha",
    "other_bituminous_coal": "bituminous_coal",
    "sub_bituminous_coal": "sub_bituminous_coal",
    "lignite": "lignite",
    "anthracite": "anthracite",
    "coking_coal": "coking_coal",
    "petroleum_coke": "petroleum_coke",
    "coke_oven_coke": "coke",
    "peat": "peat",
    "wood_wood_waste": "wood",
    "charcoal": "charcoal",
    "biodiesels": "biodiesel",
    "biogasoline": "bioethanol",
    "other_biogas": "biogas",
    "landfill_gas": "landfill_gas",
    # extras of the reference, kept because they cost nothing and users ask for them
    "aviation_gasoline": "aviation_gasoline",
    "refinery_gas": "refinery_gas",
    "municipal_waste_non_biomass": "municipal_waste_non_biomass",
}

GASEOUS = {"natural_gas", "biogas", "landfill_gas", "refinery_gas"}
SOLID = {"bituminous_coal", "sub_bituminous_coal", "lignite", "anthracite", "coking_coal",
         "petroleum_coke", "coke", "peat", "wood", "charcoal", "municipal_waste_non_biomass"}

IPCC_DOC = "2006 IPCC Guidelines for National Greenhouse Gas Inventories, Vol. 2 Energy"
TRANSCRIPTION = ("GHG Protocol stationary-combustion tool v4.0 via AMEE "
                 "(github.com/mamhoff/datasets @ b33b25ba)")
SECONDARY = "secondary code transcriptions (two agree)"

# context → (table, transcription note); the wide reference columns per context.
CONTEXTS = {
    "energy_industries": ("Ch.2 Table 2.2", TRANSCRIPTION, "stationary"),
    "manufacturing": ("Ch.2 Table 2.3", TRANSCRIPTION, "manufacturing"),
    "commercial": ("Ch.2 Table 2.4", TRANSCRIPTION, "commercial"),
    "residential": ("Ch.2 Table 2.5", TRANSCRIPTION, "residential"),
    "offroad": ("Ch.3 Table 3.3.1", TRANSCRIPTION, "mobile_offroad"),
}
# The reference's single "mobile" column names its own context per fuel.
MOBILE_CONTEXT = {
    "road transport": ("road", "Ch.3 Table 3.2.2", SECONDARY),
    "road transport (CNG)": ("road", "Ch.3 Table 3.2.2", SECONDARY),
    "ocean-going ships": ("ships", "Ch.3 Table 3.5.3", TRANSCRIPTION),
    "civil aviation": ("aviation", "Ch.3 Table 3.6.5", "one secondary code transcription"),
    "railways (coal)": ("rail", "Ch.3 Table 3.4.1", TRANSCRIPTION),
}

# Constants the project's method fixes (spec/methods.md prevails over the reference).
METHOD_DENSITY = {
    "natural_gas": ("0.717", "kg/Nm3", "envreport method decision (docs/methodology.md, "
                    "'Scope 1: combustion'): 0.717 kg/Nm3 at 0 °C, 101.325 kPa, i.e. "
                    "34.4 MJ/Nm3 at IPCC's 48.0 TJ/Gg"),
    "bioethanol": ("0.789", "kg/L", "envreport method decision (docs/methodology.md, "
                   "'Scope 1: combustion'): density of ethanol, 0.789 kg/L"),
}
# The publication a density cites (publications.csv), by where the reference found it: the
# reference's density_source says how it was found (kept as density_note, for maintainers),
# never what a report cites.
DENSITY_PUBLICATION = {"natural_gas": "envreport_method_density",
                       "bioethanol": "envreport_method_density",
                       "biodiesel": "ghgp_brazil_tool"}  # the Brazil Program's tool value
TOOL_DENSITY = "ghgp_stationary_combustion_v4"  # every other density: the GHGP tool's


def _fuels(ref: Path) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    fuels: list[dict[str, str]] = []
    nonco2: list[dict[str, str]] = []
    with (ref / "emission_factors.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            fid = FUEL_IDS[r["fuel_id"]]
            state = "gas" if fid in GASEOUS else "solid" if fid in SOLID else "liquid"
            density, density_unit, density_note = "", "", ""
            if r["typical_density_kg_per_l"]:
                density, density_unit = r["typical_density_kg_per_l"], "kg/L"
                density_note = r["density_source"]
            if fid in METHOD_DENSITY:
                density, density_unit, density_note = METHOD_DENSITY[fid]
            fuels.append({
                "fuel_id": fid,
                "fuel_name": r["fuel_name"],
                "ipcc_fuel": r["fuel_id"],
                "ipcc_category": r["ipcc_category"],
                "state": state,
                "biogenic": "yes" if r["biogenic_co2"] == "yes" else "no",
                "ncv_tj_per_gg": r["ncv_tj_per_gg"],
                "co2_kg_per_tj": r["co2_kg_per_tj"],
                "density": density,
                "density_unit": density_unit,
                "publisher": "IPCC",
                "document": IPCC_DOC,
                "table": "Ch.1 Table 1.2 (NCV); Ch.1 Table 1.4 (CO2)",
                "edition": "2006",
                "year": "2006",
                "transcription": TRANSCRIPTION,
                "density_note": density_note,
                "verification": r["verification"],
                "notes": r["notes"],
            })
            for context, (table, via, col) in CONTEXTS.items():
                ch4, n2o = r[f"ch4_kg_per_tj_{col}"], r[f"n2o_kg_per_tj_{col}"]
                if ch4 and n2o:
                    note = r["offroad_context"] if context == "offroad" else ""
                    nonco2.append(_nonco2_row(fid, context, ch4, n2o, table, via, note,
                                              r["verification"]))
            if r["ch4_kg_per_tj_mobile"] and r["n2o_kg_per_tj_mobile"]:
                context, table, via = MOBILE_CONTEXT[r["mobile_context"]]
                nonco2.append(_nonco2_row(fid, context, r["ch4_kg_per_tj_mobile"],
                                          r["n2o_kg_per_tj_mobile"], table, via,
                                          r["mobile_context"], r["verification"]))
    return fuels, nonco2


def _nonco2_row(fid: str, context: str, ch4: str, n2o: str, table: str, via: str,
                note: str, verification: str) -> dict[str, str]:
    return {
        "fuel_id": fid, "context": context, "ch4_kg_per_tj": ch4, "n2o_kg_per_tj": n2o,
        "publisher": "IPCC", "document": IPCC_DOC, "table": table, "edition": "2006",
        "year": "2006", "transcription": via, "verification": verification,
        "context_note": note,
    }


GAS_GROUP = {
    "CO2": "CO2", "CH4": "CH4", "CH4_fossil": "CH4", "CH4_non_fossil": "CH4", "N2O": "N2O",
    "SF6": "SF6", "NF3": "NF3", "CF4": "PFCs", "C2F6": "PFCs", "HCFC-22": "other",
}
GAS_ALIASES = {
    "HFC-134a": "R-134a", "HFC-32": "R-32", "HFC-125": "R-125", "HFC-143a": "R-143a",
    "HFC-23": "R-23", "HFC-152a": "R-152a", "HFC-227ea": "R-227ea", "CF4": "PFC-14;R-14",
    "C2F6": "PFC-116;R-116", "HCFC-22": "R-22", "R-410A": "HFC-410A",
    "R-404A": "HFC-404A", "R-407C": "HFC-407C", "CO2": "R-744", "SF6": "", "NF3": "",
}


def _gwp(ref: Path) -> list[dict[str, str]]:
    rows = []
    with (ref / "gwp.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            gas = r["gas"]
            group = GAS_GROUP.get(gas, "HFCs")  # the rest are HFCs and HFC blends
            rows.append({
                "gas": gas,
                "group": group,
                "kyoto": "no" if group == "other" else "yes",
                "aliases": GAS_ALIASES.get(gas, ""),
                "ar4_gwp100": r["ar4_gwp100"],
                "ar5_gwp100": r["ar5_gwp100"],
                "ar6_gwp100": r["ar6_gwp100"],
                "publisher": "IPCC",
                "document": "IPCC AR4 WG1 Ch.2; AR5 WG1 Ch.8; AR6 WG1 Ch.7",
                "table": ("AR4 Table 2.14; AR5 Table 8.A.1; AR6 Table 7.15"
                          if gas.startswith("CH4_") else
                          "AR4 Table 2.14; AR5 Table 8.A.1; AR6 Table 7.SM.7"),
                "edition": "AR4 2007; AR5 2013; AR6 2021",
                # how the values were found (AR4/AR5 from the GHG Protocol's 2016 table):
                # for maintainers; the publication_* columns are what a report cites
                "transcription": r["source"],
                "notes": r["notes"],
            })
    return rows


# factor_type → (role, basis, publisher, document, edition). The role says how metrics use it.
GRID_TYPES = {
    "ember_average_lifecycle": ("location", "lifecycle CO2e, production-based average",
                                "Ember", "Yearly Electricity Data", "2024-2025 releases"),
    "ember_average_lifecycle_latest": ("location", "lifecycle CO2e, production-based average",
                                       "Ember", "Yearly Electricity Data", "2025 release"),
    "cn_mee_national_average_co2": ("location", "combustion CO2, consumption average",
                                    "China MEE & NBS",
                                    "Announcement on electricity CO2 emission factors", "2023"),
    "uk_desnz_grid_co2e": ("location", "combustion CO2e, generation", "UK DESNZ",
                           "GHG Conversion Factors", "2025"),
    "us_epa_egrid_co2": ("location", "combustion CO2, national average", "US EPA",
                         "GHG Emission Factors Hub, Table 6 (eGRID2023)", "Jan 2025"),
    "cn_mee_national_excl_market_nonfossil_co2": (
        "alternative", "combustion CO2", "China MEE & NBS",
        "Announcement on electricity CO2 emission factors", "2023"),
    "cn_mee_national_fossil_co2": ("alternative", "combustion CO2", "China MEE & NBS",
                                   "Announcement on electricity CO2 emission factors", "2023"),
    "cn_mee_regional_average_co2": ("alternative", "combustion CO2", "China MEE & NBS",
                                    "Announcement on electricity CO2 emission factors", "2023"),
    "ifi_combined_margin_electricity_consumption_co2": (
        "sensitivity", "CO2, combined margin", "IFI Technical Working Group",
        "Harmonised Default Grid Emission Factors", "v3.1 (2021)"),
    "ifi_operating_margin_co2": ("alternative", "CO2, operating margin",
                                 "IFI Technical Working Group",
                                 "Harmonised Default Grid Emission Factors", "v3.1 (2021)"),
}
# Countries whose national authority's factor is the location-based factor (methods.md).
AUTHORITY = {"CHN": "cn_mee_national_average_co2", "GBR": "uk_desnz_grid_co2e",
             "USA": "us_epa_egrid_co2"}


def _grid(ref: Path) -> list[dict[str, str]]:
    rows = []
    with (ref / "grid_factors.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            ftype = r["factor_type"]
            role, basis, publisher, document, edition = GRID_TYPES[ftype]
            iso3 = r["country_iso3"]
            if role == "location" and ftype.startswith("ember") and iso3 in AUTHORITY:
                role = "alternative"  # the national authority's factor is preferred
            rows.append({
                "country_iso3": iso3, "country": r["country"], "year": r["year"],
                "kg_co2e_per_kwh": r["kg_co2e_per_kwh"], "factor_type": ftype, "role": role,
                "basis": basis, "publisher": publisher, "document": document,
                "edition": edition, "transcription": r["source"], "notes": r["notes"],
            })
    return rows


# The publication each row cites (an id of publications.csv, which holds the citation
# text in English and Chinese); the provenance columns stay beside it for the auditor.
NONCO2_PUBLICATION = {"Ch.2 Table 2.2": "ipcc2006_v2_t2_2", "Ch.2 Table 2.3": "ipcc2006_v2_t2_3",
                      "Ch.2 Table 2.4": "ipcc2006_v2_t2_4", "Ch.2 Table 2.5": "ipcc2006_v2_t2_5",
                      "Ch.3 Table 3.2.2": "ipcc2006_v2_t3_2_2",
                      "Ch.3 Table 3.3.1": "ipcc2006_v2_t3_3_1",
                      "Ch.3 Table 3.4.1": "ipcc2006_v2_t3_4_1",
                      "Ch.3 Table 3.5.3": "ipcc2006_v2_t3_5_3",
                      "Ch.3 Table 3.6.5": "ipcc2006_v2_t3_6_5"}
GRID_PUBLICATION = {"ember": "ember_{year}", "ifi": "ifi_2021", "cn": "cn_mee_nbs_{year}",
                    "uk": "uk_desnz_2025", "us": "us_epa_egrid2023"}


def with_publication(name: str, row: dict[str, str]) -> dict[str, str]:
    """``row`` of data file ``name`` with its publication id column(s) (publications.csv)."""
    row = {k: v for k, v in row.items() if not k.startswith("publication")}
    if name == "fuels.csv":
        row["publication"] = "ipcc2006_v2_t1_2_t1_4"
        row["density_publication"] = (DENSITY_PUBLICATION.get(row["fuel_id"], TOOL_DENSITY)
                                      if row["density"] else "")
    elif name == "fuel_nonco2.csv":
        row["publication"] = NONCO2_PUBLICATION[row["table"]]
    elif name == "constants.csv":
        row["publication"] = "ipcc2006_v2_s1_4_1_2"
    elif name == "gwp.csv":
        blend = row["transcription"].startswith("COMPUTED")
        for gwp_set in ("ar4", "ar5", "ar6"):
            pid = f"ipcc_{gwp_set}_gwp" + ("_blend" if blend else "")
            if gwp_set == "ar6" and row["gas"].startswith("CH4_"):
                pid = "ipcc_ar6_gwp_ch4"
            row[f"publication_{gwp_set}"] = pid
    elif name == "grid.csv":
        row["publication"] = GRID_PUBLICATION[row["factor_type"].split("_")[0]].format(
            year=row["year"])
    return row


def _write(out: Path, name: str, rows: list[dict[str, str]]) -> None:
    rows = [with_publication(name, r) for r in rows]
    with (out / name).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(ref: Path, out: Path = DATA) -> None:
    """Write fuels.csv, fuel_nonco2.csv, gwp.csv and grid.csv from the reference folder."""
    out.mkdir(parents=True, exist_ok=True)
    fuels, nonco2 = _fuels(ref)
    _write(out, "fuels.csv", fuels)
    _write(out, "fuel_nonco2.csv", nonco2)
    _write(out, "gwp.csv", _gwp(ref))
    _write(out, "grid.csv", _grid(ref))


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/reference"),
         Path(sys.argv[2]) if len(sys.argv) > 2 else DATA)
