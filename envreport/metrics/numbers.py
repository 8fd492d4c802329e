"""How every figure of the results is written: rounding, sums, and plain cell values.

Every float of the results goes through :func:`figure` (or :func:`denoise` column-wise), so
that re-running on shuffled input, or summing in another order, prints the same numbers.
Sums use :func:`math.fsum` (exact) rather than pandas' pairwise sum.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd


# --- numbers ------------------------------------------------------------------------------
def denoise(values: np.ndarray | pd.Series) -> np.ndarray:
    """Round to 12 significant digits, column-wise: drops binary noise, keeps every figure.

    Applied the same way to every float of the trail and the totals, so that re-running on
    shuffled input, or summing in another order, gives the same printed numbers.
    """
    x = np.asarray(values, dtype="float64")
    size = np.abs(x)
    # Tiny magnitudes (far below any reported figure) are left alone: scaling them would
    # overflow the power of ten.
    ok = np.isfinite(x) & (size > 1e-250)
    if not ok.any():
        return x.copy()
    # Worked out on the whole column (an entry that is not ok: on 1.0, then left as it was),
    # not on the ok entries picked out: a column of a million floats is copied fewer times.
    with np.errstate(all="ignore"):
        decimals = (11 - np.floor(np.log10(np.where(ok, size, 1.0)))).astype(int)
        # 1e12 and above: rounded to a whole step of a power of ten instead
        wide = np.flatnonzero(ok & (decimals < 0))
        power = _POWERS_OF_TEN[np.maximum(decimals, 0)]
        rounded = np.round(x * power) / power
        if len(wide):
            step = _POWERS_OF_TEN[-decimals[wide]]
            rounded[wide] = np.round(x[wide] / step) * step
    result: np.ndarray = np.where(ok, rounded, x)
    return result


# 10 ** 0 to 10 ** 299 as np.power makes them (denoise's largest exponent is 261, from
# 1e-250; a float below 1e308 takes at most 297 the other way): looked up per entry, not
# raised to a power again for each.
with np.errstate(over="ignore"):
    _POWERS_OF_TEN = np.power(10.0, np.arange(300))


def figure(value: float | None) -> float | None:
    """One figure for the results: ``None`` stays ``None``, NaN becomes ``None``."""
    if value is None:
        return None
    value = float(value)
    if math.isnan(value):
        return None
    return _denoise_one(value) + 0.0  # + 0.0 turns -0.0 into 0.0


def _denoise_one(x: float) -> float:
    """:func:`denoise` of one float, step for step with the same numpy functions on a scalar
    (a one-entry array cost about 20 µs, and the results have about 800 figures); a test
    holds the two to the same float on awkward and random values."""
    size = abs(x)
    if not (math.isfinite(x) and size > 1e-250):
        return x
    with np.errstate(all="ignore"):
        decimals = int(11 - np.floor(np.log10(size)))
        if decimals < 0:
            step = _POWERS_OF_TEN[-decimals]
            return float(np.round(x / step) * step)
        power = _POWERS_OF_TEN[decimals]
        return float(np.round(x * power) / power)


def sum_or_none(*parts: float | None) -> float | None:
    """A total over several sources: the sum of the non-null parts, null when all are."""
    present = [p for p in parts if p is not None]
    return figure(math.fsum(present)) if present else None


def exact_sum(series: pd.Series | np.ndarray) -> float:
    """The exactly rounded sum of a float column (:func:`math.fsum`)."""
    values = series.to_numpy(dtype="float64") if isinstance(series, pd.Series) else series
    return fsum_array(values)


def fsum_array(values: np.ndarray) -> float:
    """:func:`math.fsum` of a float64 array: the same float, from :func:`_exact_sum` for a
    long array, else from ``math.fsum`` read through a memoryview (Python floats straight
    from the buffer: a third faster than iterating numpy scalars)."""
    contiguous: Any = np.ascontiguousarray(values, dtype="float64")  # numpy's stubs: no Buffer
    if len(contiguous) >= EXACT_SUM_FROM:
        total = _exact_sum(contiguous)
        if total is not None:
            return total
    return math.fsum(memoryview(contiguous))


#: arrays from this long are summed by :func:`_exact_sum` (below it, math.fsum is as fast)
EXACT_SUM_FROM = 1_000
#: the entries :func:`_exact_sum` adds up at once: each block's integer sums stay below
#: 2 ** 53, so that numpy adds them exactly in float64, and its temporary arrays small
_SUM_BLOCK = 1 << 16
#: a magnitude from 2 ** this on is left to math.fsum (whose overflow it reports)
_SUM_EXPONENT_LIMIT = 960
#: below the least exponent ``np.frexp`` gives a float (-1073, of 5e-324): the sum is held
#: as an integer count of 2 ** (this - 53)
_LEAST_EXPONENT = -1100


def _exact_sum(values: np.ndarray) -> float | None:
    """The exact sum of ``values`` rounded once to a float, which is what :func:`math.fsum`
    returns (the correctly rounded sum is one float, however it is worked out), by integer
    arithmetic: each value is a whole mantissa of 53 bits times a power of two
    (``np.frexp``); the mantissas are added per power of two with numpy, a block at a time
    and in two halves of 27 bits, so that every partial sum is a whole number float64 holds
    exactly; the few sums are joined as one Python integer, divided by a power of two once
    (Python's integer division is correctly rounded, ties to even, as fsum is).

    math.fsum adds the values one by one, 25-80 ns each (more the wider its partial sums
    spread); this takes about 7 ns a value once the allocator keeps freed memory (a build's
    process: ``forked.keep_freed_memory``), and a trail's totals are sums of hundreds of
    thousands of values. ``None`` where math.fsum is to say: a value that is not finite or
    is near the largest float, and a sum of zero (fsum decides its sign)."""
    total = 0
    for start in range(0, len(values), _SUM_BLOCK):
        block = values[start:start + _SUM_BLOCK]
        if not np.isfinite(block).all():
            return None
        mantissas, exponents = np.frexp(block)
        low = int(exponents.min())
        if int(exponents.max()) >= _SUM_EXPONENT_LIMIT:
            return None
        # each value is whole * 2 ** (exponent - 53), whole an integer below 2 ** 53 (exact)
        whole = (mantissas * 2.0 ** 53).astype(np.int64)
        power = exponents - low
        upper = whole >> 26  # whole = upper * 2 ** 26 + lower, lower in [0, 2 ** 26)
        lower = whole - (upper << 26)
        uppers = np.bincount(power, weights=upper.astype(np.float64)).astype(np.int64)
        lowers = np.bincount(power, weights=lower.astype(np.float64)).astype(np.int64)
        for shift, up, down in zip(range(len(uppers)), uppers.tolist(), lowers.tolist(),
                                   strict=True):
            if up or down:
                total += ((up << 26) + down) << (shift + low - _LEAST_EXPONENT)
    if total == 0:
        return None
    return total / (1 << (53 - _LEAST_EXPONENT))


def exact_sums(keys: Any, values: Any) -> dict[Any, float]:
    """The exact sum (:func:`math.fsum`) of ``values`` per distinct key of ``keys`` (a column
    or a categorical), keys in sorted order (a categorical's: its categories'); an entry
    without a key is left out. What ``groupby(keys, sort=True)`` with :func:`exact_sum`
    gives, with one sort of the codes instead of a Python call and a Series per group."""
    codes, distinct = pd.factorize(keys, sort=True, use_na_sentinel=True)
    if len(distinct) < 1 << 15:  # a stable sort of 16-bit codes is a radix sort
        codes = codes.astype(np.int16)
    order = np.argsort(codes, kind="stable")
    in_order = np.asarray(values, dtype="float64")[order]
    # where each key's entries begin and end (code -1, no key, sorts first: left out)
    bounds = np.searchsorted(codes[order], np.arange(len(distinct) + 1)).tolist()
    return {key: fsum_array(in_order[begin:end])
            for key, begin, end in zip(list(distinct), bounds, bounds[1:], strict=False)
            if end > begin}


def sums_by(frame: pd.DataFrame, key: str, value: str) -> dict[str, float]:
    """``{key value: figure of the summed value}``, keys sorted."""
    grouped = exact_sums(frame[key], frame[value])
    return {str(k): figure(v) or 0.0 for k, v in grouped.items()}


def apportion(raw: list[float], total: float) -> list[float]:
    """Split ``total`` in proportion to ``raw`` so that the parts add up to it exactly.

    ``total`` is a figure of the results (12 significant digits). Each part is a whole number
    of units of the total's last digit (largest-remainder rounding, ties to the earlier
    month), so the parts are as clean as every other figure and their decimal sum *is* the
    total: ``sum(Decimal(repr(p)) for p in parts) == Decimal(repr(total))``.
    """
    if not raw:
        return []
    if total == 0:
        return [0.0] * len(raw)
    exact = Decimal(repr(total))
    # The unit of the 12th significant digit, or of the last digit the total has if it has
    # more (a figure far below any reported one, which rounding left with binary noise).
    exponent = min(exact.adjusted() - 11, int(exact.as_tuple().exponent))
    units = int(exact.scaleb(-exponent))
    # Exact rational shares (a dozen months): a month without activity gets exactly 0.
    weights = [Fraction(r) for r in raw]
    if sum(weights) <= 0 or min(weights) < 0:
        weights = [Fraction(1)] * len(raw)
    weight = sum(weights)
    targets = [units * w / weight for w in weights]
    whole = [math.floor(x) for x in targets]
    # The 0 to len(raw) - 1 units left over go to the largest remainders.
    order = sorted(range(len(raw)), key=lambda i: (-(targets[i] - whole[i]), i))
    for i in order[:units - sum(whole)]:
        whole[i] += 1
    return [float(Decimal(w).scaleb(exponent)) + 0.0 for w in whole]


# --- plain values of one cell (small tables: projects, actions, incidents) -----------------
def is_missing(value: Any) -> bool:
    """``None``, ``pd.NA``, ``NaT`` or a float NaN."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def text_or_none(value: Any) -> str | None:
    """A cell as text; ``None`` when blank."""
    return None if is_missing(value) else str(value)


def iso_date(value: Any) -> str | None:
    """A date cell as ``YYYY-MM-DD``; ``None`` when blank."""
    if is_missing(value):
        return None
    stamp = pd.to_datetime(value, errors="coerce")
    return None if pd.isna(stamp) else stamp.date().isoformat()


def flag_or_none(value: Any) -> bool | None:
    """A yes/no cell as a bool; ``None`` when blank."""
    return None if is_missing(value) else bool(value)


def int_or_none(value: Any) -> int | None:
    """A whole-number cell as an int; ``None`` when blank or not a number."""
    try:
        return None if value is None or (isinstance(value, float) and math.isnan(value)) \
            else int(value)
    except (TypeError, ValueError):
        return None


# --- column-wise values (lists that may be long) ------------------------------------------
def text_list(column: pd.Series) -> list[str | None]:
    """A column as text values, blanks as ``None``."""
    return [None if is_missing(v) else str(v) for v in column.astype(object).tolist()]


def iso_date_list(column: pd.Series) -> list[str | None]:
    """A date column as ``YYYY-MM-DD`` values, blanks as ``None``."""
    stamps = pd.to_datetime(column, errors="coerce")
    text = stamps.dt.strftime("%Y-%m-%d")
    return [None if is_missing(v) else v for v in text.astype(object).tolist()]


def figure_list(column: pd.Series | np.ndarray) -> list[float | None]:
    """A numeric column as figures (:func:`denoise`), blanks as ``None``."""
    values = denoise(pd.to_numeric(pd.Series(column), errors="coerce").to_numpy("float64"))
    return [None if math.isnan(v) else v + 0.0 for v in values.tolist()]


def is_in(column: pd.Series, values: list[str]) -> np.ndarray:
    """Whether each entry of ``column`` is one of ``values`` (``Series.isin``), for a
    categorical column (the trail's texts) worked out once per category and spread over the
    entries by their codes: pandas' isin took 1.2 ms a call on a 200 000-entry trail, this
    0.1 ms."""
    if not isinstance(column.dtype, pd.CategoricalDtype):
        return column.isin(values).to_numpy(dtype=bool)
    # a code of -1 (missing) takes the last entry: never one of the values
    chosen = np.append(column.cat.categories.isin(values), False)
    picked: np.ndarray = chosen[column.cat.codes.to_numpy()]
    return picked


def column_or_blank(frame: pd.DataFrame, name: str) -> pd.Series:
    """``frame[name]``, or a column of blanks when the sheet has no such column."""
    if name in frame.columns:
        return frame[name]
    return pd.Series(None, index=frame.index, dtype=object)


def records(columns: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """Equal-length columns as a list of dicts (one per row), keys in ``columns`` order."""
    return [dict(zip(columns, rec, strict=True)) for rec in zip(*columns.values(), strict=True)]
