"""The calculation trail: one entry per input row × gas × method, columnar.

The emission figures of the results are sums over this table, so an auditor can rebuild every
total from ``calculations``. It stays a pandas DataFrame with the columns of
:data:`~envreport.results.TRAIL_COLUMNS` until results.json is written
(:func:`envreport.results.trail_records`): a Python object per entry would cost about ten
times the memory. Its text columns are categories (a few dozen distinct texts repeated over a
million entries), and the parts it is made of are plain numpy arrays until then: a DataFrame
would copy every text into a string column of its own first.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from envreport.factors import supplied
from envreport.factors.library import FactorLibrary
from envreport.metrics.numbers import denoise
from envreport.results.models import TRAIL_COLUMNS
from envreport.results.trail import empty_trail, first_positions
from envreport.schema import Sheet
from envreport.schema.sheets import GwpSet

# The trail's float columns, rounded like every figure (numbers.denoise).
TRAIL_FLOATS = ("activity", "factor", "gas_t", "gwp", "share", "tco2e", "input_quantity")
# The trail's text columns, held as categories.
TRAIL_TEXTS = ("sheet", "project_id", "fuel", "scope", "category", "method", "method_note",
               "activity_unit", "factor_unit", "factor_source", "gas", "gas_group",
               "input_unit")
_SHEET_ORDER = {Sheet.FUEL: 0, Sheet.REFRIGERANTS: 1, Sheet.ELECTRICITY: 2}
_GAS_ORDER = {"CO2": 0, "CH4": 1, "N2O": 2}
CONTRACTUAL_NOTE_PREFIX = "contractual instrument"
FUEL_USE_FALLBACK_NOTE = ("no CH4/N2O factors for this use: stationary energy-industries "
                          "factors used")

#: texts of a part of the trail: each entry's code into the part's own distinct texts (-1:
#: missing)
Texts = tuple[np.ndarray, list[str]]
#: part of the trail: a column per trail field, all as long; texts as codes, so that no
#: Python string is made per entry (a text column of a DataFrame would copy each text too)
Part = dict[str, Any]  # np.ndarray, or Texts for a text column


def _texts(value: Any, length: int) -> Texts:
    """A text column of a part: a scalar repeated (``None``: missing), a column's values, or
    their :data:`Texts` already made (a column shared by several parts: factorized once)."""
    if isinstance(value, tuple):
        return value
    if isinstance(value, pd.Series | np.ndarray):
        codes, uniques = pd.factorize(value, use_na_sentinel=True)
        # tolist: Python's own str for a numpy text array's (np.str_ elsewhere: a category
        # that is not a str sent results.json's writer and the report's summaries through
        # every entry of the column one by one)
        return codes, uniques.tolist()
    if value is None:
        return np.full(length, -1, dtype=np.int32), []
    return np.zeros(length, dtype=np.int32), [value]


_identity = np.frompyfunc(id, 1, 1)


def _shared_texts(column: pd.Series) -> Texts:
    """The :data:`Texts` of a column whose entries are a few shared text objects (a factor's
    source, which resolution spreads from one string per fuel or country over the rows):
    told apart by identity, each distinct object's text read once. pandas hashes every
    entry's text again (a citation is about a hundred characters: a factorization of
    250 000 entries took 50 ms). A column that turns out to hold many objects is factorized
    as any other."""
    values = column.to_numpy(dtype=object)
    codes, distinct_ids = pd.factorize(_identity(values).astype(np.int64))
    if len(distinct_ids) * 16 > len(values):
        return _texts(column, len(column))
    objects = values[first_positions(codes)].tolist()
    # missing (None, NaN): code -1; two objects of one text keep a code each (_stack joins
    # them by text)
    kept = np.array([not pd.isna(obj) for obj in objects], dtype=bool)
    renumbered = np.where(kept, np.cumsum(kept) - 1, -1).astype(np.int64)
    return renumbered[codes], [obj for obj, keep in zip(objects, kept, strict=True) if keep]


def _numbers(value: Any, length: int, dtype: str) -> np.ndarray:
    """A number column of a part: a scalar repeated, or a column's values."""
    if isinstance(value, pd.Series | np.ndarray):
        if dtype == "float64" and np.asarray(value).dtype.kind not in "fiub":
            value = pd.to_numeric(pd.Series(value, dtype=object), errors="coerce")
        return np.asarray(value, dtype=dtype)
    return np.full(length, value, dtype=dtype)


def _part(length: int, **columns: Any) -> Part:
    """A part of the trail from its columns (scalars are repeated)."""
    return {name: _texts(columns[name], length) if name in TRAIL_TEXTS else
            _numbers(columns[name], length, "int64" if name == "row" else "float64")
            for name in TRAIL_COLUMNS}


def _computable(rows: pd.DataFrame, computable: pd.Series) -> pd.DataFrame:
    """The rows that can be computed: all of them in any build (a row that cannot carries an
    error, and an invalid workbook is not built), so the frame itself, not a copy of it."""
    return rows if computable.all() else rows[computable]


def _flag_texts(flags: Any, when_true: str | None, when_false: str | None) -> Texts:
    """A text column chosen by a yes/no column (``None``: missing), without a text per entry
    to factorize again."""
    chosen = np.asarray(flags, dtype=bool)
    distinct = [text for text in (when_false, when_true) if text is not None]
    code_of: dict[str | None, int] = {text: number for number, text in enumerate(distinct)}
    codes = np.where(chosen, code_of.get(when_true, -1), code_of.get(when_false, -1))
    return codes.astype(np.int32), distinct


def _subset(texts: Texts, mask: np.ndarray) -> Texts:
    """The entries of ``texts`` where ``mask`` is true (the distinct texts kept whole:
    :func:`_stack` keeps only the texts some entry uses)."""
    codes, distinct = texts
    return codes[mask], distinct


def fuel_trail(fuel: pd.DataFrame, library: FactorLibrary, gwp_set: GwpSet) -> list[Part]:
    """CO2, CH4 and N2O entries of each computable Fuel row (from ``resolve_fuel``)."""
    ok = _computable(fuel, fuel["problem"].isna() & fuel["tj"].notna())
    if ok.empty:
        return []
    biogenic = ok["biogenic"].to_numpy(dtype=bool)
    gwp_column = library.gwp[f"{gwp_set.lower()}_gwp100"]
    # the methane row of each entry, fossil or not: two GWPs (NaN where the library has none)
    gwp_ch4 = gwp_column.reindex([library.combustion_ch4_gas(gwp_set, False),
                                  library.combustion_ch4_gas(gwp_set, True)]
                                 ).to_numpy(dtype="float64")[biogenic.astype(np.int64)]
    gwp_n2o = float(gwp_column.loc["N2O"])
    # the parts of the row's energy (activity) the Factors sheet gave, said on every entry of
    # the row; with the fallback's note on CH4 and N2O when both apply
    has_note = (ok["energy_note"].notna().to_numpy(dtype=bool) if "energy_note" in ok.columns
                else None)
    energy_note: Texts | None = None
    if has_note is not None and has_note.any():
        notes = ok["energy_note"].to_numpy(dtype=object)  # NaN: no note
        energy_note = _texts(notes, len(ok))
        fallback = ok["fallback"].to_numpy(dtype=bool)
        nonco2 = np.where(fallback, FUEL_USE_FALLBACK_NOTE, notes)
        both = fallback & has_note
        nonco2[both] = [f"{note}; {FUEL_USE_FALLBACK_NOTE}" for note in notes[both]]
        fallback_note = _texts(nonco2, len(ok))
    else:
        fallback_note = _flag_texts(ok["fallback"], FUEL_USE_FALLBACK_NOTE, None)
    # the CH4 and N2O sources: the library's unless the Factors sheet overrides them (each
    # text column factorized once, and shared by the parts that write it)
    nonco2_source = _shared_texts(ok["nonco2_src"])
    ch4_source, n2o_source = (
        _texts(ok[override].fillna(ok["nonco2_src"]), len(ok)) if override in ok.columns
        else nonco2_source for override in ("ch4_src_override", "n2o_src_override"))
    tj, share = ok["tj"].to_numpy(dtype="float64"), ok["share"].to_numpy(dtype="float64")
    project, fuel_ids, category, unit = (
        _texts(ok[name], len(ok)) for name in ("project_id", "fuel", "category", "unit"))
    parts = []
    for gas, factor, source, gwp, scope, note in (
        ("CO2", ok["co2_ef"], _shared_texts(ok["co2_src"]), 1.0,
         _flag_texts(biogenic, "biogenic", "1"), energy_note),
        ("CH4", ok["ch4_ef"], ch4_source, gwp_ch4, "1", fallback_note),
        ("N2O", ok["n2o_ef"], n2o_source, gwp_n2o, "1", fallback_note),
    ):
        gas_t = tj * _numbers(factor, len(ok), "float64") / 1000.0
        parts.append(_part(
            len(ok), sheet=Sheet.FUEL, row=ok["row"], project_id=project,
            fuel=fuel_ids, scope=scope, category=category, method=None,
            method_note=note, activity=tj, activity_unit="TJ", factor=factor,
            factor_unit="kg/TJ", factor_source=source, gas=gas, gas_group=gas,
            gas_t=gas_t, gwp=gwp, share=share, tco2e=gas_t * gwp * share,
            input_quantity=ok["quantity"], input_unit=unit))
    return parts


def refrigerant_trail(refrigerants: pd.DataFrame) -> list[Part]:
    """One entry per computable Refrigerants row (from ``resolve_refrigerants``)."""
    ok = _computable(refrigerants, refrigerants["problem"].isna())
    if ok.empty:
        return []
    gas_t = ok["quantity_kg"] / 1000.0
    return [_part(
        len(ok), sheet=Sheet.REFRIGERANTS, row=ok["row"], project_id=ok["project_id"],
        fuel=None,
        # HCFCs and other non-Kyoto gases are reported apart, never in Scope 1.
        scope=np.where(ok["group"] == "other", "other", "1"), category="fugitive",
        method=None, method_note=None, activity=ok["quantity_kg"],
        activity_unit="kg", factor=1.0, factor_unit="kg/kg",
        factor_source=ok["source"], gas=ok["gas"], gas_group=ok["group"],
        gas_t=gas_t, gwp=ok["gwp"], share=ok["share"],
        tco2e=gas_t * ok["gwp"] * ok["share"], input_quantity=ok["quantity_kg"],
        input_unit="kg")]


def electricity_trail(electricity: pd.DataFrame) -> list[Part]:
    """Location-based, instrument-covered and residual market-based entries per row."""
    ok = _computable(electricity, electricity["problem"].isna() & electricity["kwh"].notna())
    if ok.empty:
        return []
    length = len(ok)
    # each text column factorized once for the three kinds of entry, which take their rows'
    project, unit = _texts(ok["project_id"], length), _texts(ok["unit"], length)
    row, share, quantity = (ok[name].to_numpy() for name in ("row", "share", "quantity"))

    def entries(energy: pd.Series, method: str, factor: Any, source: Texts,
                note: Texts) -> Part:
        """An entry for each row with some of ``energy`` (kWh) at ``factor``."""
        mask = (energy > 0).to_numpy(dtype=bool)
        kwh = energy.to_numpy(dtype="float64")[mask]
        factors = _numbers(np.asarray(factor), length, "float64")[mask]
        gas_t = kwh * factors / 1000.0
        return _part(
            int(mask.sum()), sheet=Sheet.ELECTRICITY, row=row[mask],
            project_id=_subset(project, mask), fuel=None,
            scope="2", category="purchased_energy", method=method,
            method_note=_subset(note, mask), activity=kwh, activity_unit="kWh",
            factor=factors, factor_unit="kg/kWh", factor_source=_subset(source, mask),
            gas="CO2e", gas_group="CO2e", gas_t=gas_t, gwp=1.0, share=share[mask],
            tco2e=gas_t * share[mask], input_quantity=quantity[mask],
            input_unit=_subset(unit, mask))

    # the instrument's note made once per distinct instrument, not per row
    instrument_codes, instruments = pd.factorize(ok["instrument"])  # never blank: "none"
    instrument_note = (instrument_codes, [f"{CONTRACTUAL_NOTE_PREFIX} ({instrument})"
                                          for instrument in instruments])
    # the instrument's own factor or its certificate at 0 kg/kWh, cited by the row's
    # supplier and document (each covered row has one: envreport.factors.supplied)
    instrument_source = _shared_texts(ok["instrument_src"])
    return [
        entries(ok["kwh"], "location", ok["loc_factor"], _shared_texts(ok["loc_src"]),
                _texts(ok["loc_note"], length)),
        entries(ok["covered_kwh"], "market", ok["covered_factor"], instrument_source,
                instrument_note),
        entries(ok["rest_kwh"], "market", ok["rest_factor"], _shared_texts(ok["rest_src"]),
                _texts(ok["rest_note"], length)),
    ]


def _per_category(column: pd.Categorical, key: Any, missing: Any) -> np.ndarray:
    """``key`` of each entry of a categorical column, worked out once per category (a missing
    entry takes ``missing``)."""
    keyed = np.array([*map(key, column.categories), missing])
    per_entry: np.ndarray = keyed[column.codes]  # code -1 (missing) takes the last
    return per_entry


def _stack(parts: list[Part]) -> dict[str, Any]:
    """The parts' columns one under the other, texts as categories (sorted)."""
    columns: dict[str, Any] = {}
    for name in TRAIL_COLUMNS:
        if name in TRAIL_TEXTS:
            pieces: list[Texts] = [part.pop(name) for part in parts]
            # the texts some entry uses (a part's texts can be those of all its sheet's rows)
            union = sorted({text for part_codes, distinct in pieces
                            for text, count in zip(distinct, np.bincount(
                                part_codes + 1, minlength=len(distinct) + 1)[1:].tolist(),
                                strict=True) if count})
            position = {text: number for number, text in enumerate(union)}
            codes = np.concatenate([
                np.array([*(position.get(t, -1) for t in distinct), -1],
                         dtype=np.int32)[part_codes]
                for part_codes, distinct in pieces])  # a part's code -1 takes the last: -1
            columns[name] = pd.Categorical.from_codes(codes, categories=pd.Index(union))
        else:  # each part's column is freed as soon as it is copied
            columns[name] = np.concatenate([part.pop(name) for part in parts])
    return columns


def build_trail(fuel: pd.DataFrame | None, refrigerants: pd.DataFrame | None,
                electricity: pd.DataFrame | None, library: FactorLibrary,
                gwp_set: GwpSet) -> tuple[pd.DataFrame, dict[str, str]]:
    """The whole trail, sorted by sheet, Excel row, gas and method, floats rounded; and the
    factor sources, each short citation on its entries to the citation's full text.

    The sources are not kept in the frame's ``attrs``: pandas deep-copies those into every
    column and selection taken from the trail (thousands of copies while the figures are
    summed and results.json is written, a tenth of a second at 500 000 rows).
    """
    parts: list[Part] = []
    if fuel is not None:
        parts += fuel_trail(fuel, library, gwp_set)
    if refrigerants is not None:
        parts += refrigerant_trail(refrigerants)
    if electricity is not None:
        parts += electricity_trail(electricity)
    parts = [p for p in parts if len(p["row"])]
    if not parts:
        return empty_trail(), {}
    columns = _stack(parts)
    del parts
    # Sorting by the Excel row (not input order) makes the trail, and every sum over it,
    # independent of the order the rows arrived in. One stable lexsort over numpy keys (the
    # last key sorts first), applied a column at a time before the frame is made (one copy
    # of a column alive at once, never two of the whole trail).
    order = np.lexsort((
        _per_category(columns["method_note"],
                      lambda note: str(note).startswith(CONTRACTUAL_NOTE_PREFIX), False),
        _per_category(columns["method"], {"location": 0, "market": 1}.get, 0),
        columns["gas"].codes,  # categories are sorted, and a gas is never blank
        _per_category(columns["gas"], lambda gas: _GAS_ORDER.get(gas, 9), 9),
        columns["row"],
        _per_category(columns["sheet"], _SHEET_ORDER.get, 3),
    ))
    for name in TRAIL_COLUMNS:
        columns[name] = columns[name][order]
        if name in TRAIL_FLOATS:
            columns[name] = denoise(columns[name])
    del order
    # the columns as they are (each made above for this frame alone): not copied again, nor
    # consolidated into one block per dtype (a copy of every float column)
    trail = pd.DataFrame(columns, copy=False)
    del columns
    # Short citations on every entry; factor_sources (in the results) has the full text: a
    # publication's, or a supplied factor's citation with the rows that used it.
    full = trail["factor_source"]
    distinct = {s: library.citations.get(s, s) for s in full.dropna().unique()}
    with_rows = supplied.full_texts(full, trail["row"])
    trail["factor_source"] = full.map(distinct).astype("category")
    return trail, {short: with_rows.get(long, long) for long, short in distinct.items()}
