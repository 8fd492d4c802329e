"""The citation of a factor an Electricity row supplies itself: its supplier and document.

A supplier's factor (``supplier_factor_kg_per_kwh``) or an instrument's
(``instrument_factor_kg_per_kwh``) is evidence the auditor must find (GHG Protocol Scope 2
Guidance, quality criteria): the trail cites it as "supplier factor: <supplier>,
<source_ref> (Electricity sheet)", so that each supplier's document is its own citation in
``factor_sources`` and the report's publications cited, whose full text adds the rows that
used it ("... (Electricity sheet, rows 14–19)"). A row that names neither keeps the fixed
text ("supplier factor (Electricity sheet)").

The supplier and the document are the workbook's text, hostile: each is cut to
:data:`PART_MAX` characters, on one line, without direction controls; the citation starts
with our own words, so no CSV field of it starts a formula, and HTML escapes it as any text.
The report in another language words the fixed part in its own (:func:`parse`), the
supplier and document as typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from envreport.safe_text import without_direction_controls

SUPPLIER = "supplier factor"
INSTRUMENT = "instrument factor"
SHEET = "Electricity sheet"
#: the fixed texts of a factor whose row names no supplier and no document
SUPPLIER_FACTOR_SOURCE = f"{SUPPLIER} ({SHEET})"
INSTRUMENT_FACTOR_SOURCE = f"{INSTRUMENT} ({SHEET})"
#: the longest supplier name or document a citation carries (longer: cut, with "…")
PART_MAX = 120
#: the most row ranges a full citation lists (the rest counted)
RANGES_MAX = 12

_SPACES = re.compile(r"\s+")
# what follows the supplier and the document: the sheet, and in the full text the rows
_TAIL = re.compile(rf" \({SHEET}(?:, rows? (?P<ranges>[0-9–, ]+?)"
                   r"(?:, … \((?P<count>[0-9]+) rows in all\))?)?\)$")


def _part(value: object) -> str | None:
    """A supplier or document as a citation carries it: one line, bounded; ``None`` if
    blank."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = _SPACES.sub(" ", without_direction_controls(str(value))).strip()
    if not text:
        return None
    return text if len(text) <= PART_MAX else text[:PART_MAX - 1].rstrip() + "…"


def source(kind: str, supplier: object, document: object) -> str:
    """The short citation of a ``kind`` (:data:`SUPPLIER` or :data:`INSTRUMENT`) factor
    given on a row with this supplier and ``source_ref``."""
    named = ", ".join(p for p in (_part(supplier), _part(document)) if p is not None)
    return f"{kind}: {named} ({SHEET})" if named else f"{kind} ({SHEET})"


def sources(kind: str, supplier: pd.Series, document: pd.Series, used: pd.Series,
            index: pd.Index) -> pd.Series:
    """:func:`source` of each row where ``used`` (``None`` elsewhere), each text made once
    per distinct supplier and document and shared by their rows."""
    out = pd.Series(np.full(len(index), None, dtype=object), index=index, dtype=object)
    mask = used.to_numpy(dtype=bool)
    if not mask.any():
        return out
    pairs = pd.MultiIndex.from_arrays([
        pd.Series(supplier.to_numpy(dtype=object)[mask], dtype=object).fillna(""),
        pd.Series(document.to_numpy(dtype=object)[mask], dtype=object).fillna("")])
    codes, uniques = pd.factorize(pairs)
    texts = np.array([source(kind, s or None, d or None) for s, d in uniques], dtype=object)
    out[mask] = texts[codes]
    return out


@dataclass(frozen=True)
class Cited:
    """A supplied factor's citation taken apart: its kind, the supplier and document as the
    citation carries them (empty for the fixed text), and the rows (full text only)."""

    kind: str
    named: str
    ranges: str | None
    count: int | None


def parse(text: str) -> Cited | None:
    """The parts of a citation :func:`source` or :func:`with_rows` made; ``None`` for any
    other text. The supplier and document are everything between our opening words and our
    last bracket, so a name holding "(Electricity sheet)" itself cannot move them."""
    for kind in (SUPPLIER, INSTRUMENT):
        if text.startswith((kind + " (", kind + ": ")):
            break
    else:
        return None
    at = text.rfind(f" ({SHEET}")
    tail = _TAIL.fullmatch(text, at) if at >= len(kind) else None
    if tail is None:
        return None
    named = text[len(kind) + 2:at] if text.startswith(kind + ": ") else ""
    if text.startswith(kind + ": ") and not named:
        return None
    count = tail.group("count")
    return Cited(kind, named, tail.group("ranges"), int(count) if count else None)


def is_cited(text: str) -> bool:
    """Whether ``text`` is a supplied factor's citation naming a supplier or document."""
    found = parse(text)
    return found is not None and bool(found.named) and found.ranges is None


def row_ranges(rows: Iterable[int]) -> tuple[str, int]:
    """Workbook rows as ranges ("14–19, 25"; at most :data:`RANGES_MAX`), and how many."""
    ordered = sorted(set(rows))
    ranges: list[str] = []
    start = previous = ordered[0]
    for row in [*ordered[1:], None]:
        if row is not None and row == previous + 1:
            previous = row
            continue
        ranges.append(str(start) if start == previous else f"{start}–{previous}")
        if row is not None:
            start = previous = row
    shown = ", ".join(ranges[:RANGES_MAX])
    return (shown if len(ranges) <= RANGES_MAX else f"{shown}, …"), len(ordered)


def with_rows(short: str, rows: Iterable[int]) -> str:
    """The full text of a citation: ``short`` with the Electricity rows that used it."""
    shown, count = row_ranges(rows)
    word = "row" if count == 1 else "rows"
    more = f" ({count} rows in all)" if shown.endswith("…") else ""
    return f"{short.removesuffix(')')}, {word} {shown}{more})"


def full_texts(sources: pd.Series, rows: pd.Series) -> dict[str, str]:
    """Each supplied factor's citation that names something (trail ``factor_source``, a
    category column) → its full text with the rows of its entries."""
    categories: list[str] = sources.cat.categories.tolist()
    cited = [position for position, text in enumerate(categories) if is_cited(text)]
    if not cited:
        return {}
    codes = sources.cat.codes.to_numpy()
    mask = np.isin(codes, cited)
    # the entries of each citation together (a sort, not a scan per citation: a workbook
    # may give every row a document of its own)
    order = np.argsort(codes[mask], kind="stable")
    used, used_rows = codes[mask][order].tolist(), rows.to_numpy()[mask][order].tolist()
    starts = [at for at in range(len(used)) if at == 0 or used[at] != used[at - 1]]
    return {categories[used[start]]: with_rows(categories[used[start]], used_rows[start:end])
            for start, end in zip(starts, [*starts[1:], len(used)], strict=True)}
