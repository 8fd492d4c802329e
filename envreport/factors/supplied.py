"""The citation of a factor an Electricity row supplies itself: its supplier and document.

A supplier's factor (``supplier_factor_kg_per_kwh``) or an instrument's
(``instrument_factor_kg_per_kwh``) is evidence the auditor must find (GHG Protocol Scope 2
Guidance, quality criteria): the trail cites it as "supplier factor: <supplier>,
<source_ref> (Electricity sheet)", so that each supplier's document is its own citation in
``factor_sources`` and the report's publications cited, whose full text adds the rows that
used it ("... (Electricity sheet, rows 14–19)"). What the row leaves blank the citation says
is missing (:data:`LACKING`): "supplier factor: Acme Power, no document given (Electricity
sheet)", "supplier factor: no supplier named, INV-9 (Electricity sheet)", "supplier factor:
no supplier or document given (Electricity sheet)": the auditor reads that no document backs
the factor, and which part the workbook gave (a lone text is never taken for the other).

A certificate at 0 kg/kWh (an instrument without its own factor: the I-REC, GO, REC or PPA
the row's ``source_ref`` names) is cited the same way, "renewable attributes, 0 kg/kWh:
<supplier>, <source_ref> (Electricity sheet)", and so is what its row leaves blank:
"renewable attributes, 0 kg/kWh: Grid Co, no document given (Electricity sheet)" (the
certificate is the document: the supplier alone finds none, and the auditor reads so).

The supplier and the document are the workbook's text, hostile: each is cut to
:data:`PART_MAX` characters, on one line, without direction controls; the citation starts
with our own words, so no CSV field of it starts a formula, and HTML escapes it as any text.
The report in another language words the fixed part in its own (:func:`parse`), the
supplier and document as typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from envreport import findings
from envreport.safe_text import one_line

SUPPLIER = "supplier factor"
INSTRUMENT = "instrument factor"
CERTIFICATE = "renewable attributes, 0 kg/kWh"
SHEET = "Electricity sheet"
#: what a citation says in place of the supplier and document the row leaves blank, by
#: what is missing: ``%(given)s`` is the part the row gives (the report in another language
#: words these in its own, render.vocabulary.SUPPLIED_LACKING)
LACKING = {"both": "no supplier or document given",
           "document": "%(given)s, no document given",
           "supplier": "no supplier named, %(given)s"}
#: the citations of a factor whose row names no supplier and no document
SUPPLIER_FACTOR_SOURCE = f"{SUPPLIER}: {LACKING['both']} ({SHEET})"
INSTRUMENT_FACTOR_SOURCE = f"{INSTRUMENT}: {LACKING['both']} ({SHEET})"
#: the longest supplier name or document a citation carries (longer: cut, with "…")
PART_MAX = 120
#: the most row ranges a full citation lists (the rest counted)
RANGES_MAX = 12

# what follows the supplier and the document: the sheet, and in the full text the rows
_TAIL = re.compile(rf" \({SHEET}(?:, (?P<rows>.+))?\)$")
# the rows of one workbook: in a group's results led by the member's entity_id ("SRI: ")
_ROWS = re.compile(r"(?:(?P<entity>.+): )?rows? (?P<ranges>[0-9–, ]+?)"
                   r"(?:, … \((?P<count>[0-9]+) rows in all\))?")


def _part(value: object) -> str | None:
    """A supplier or document as a citation carries it: one line, bounded; ``None`` if
    blank."""
    return one_line(value, PART_MAX)


def source(kind: str, supplier: object, document: object) -> str:
    """The short citation of a ``kind`` (:data:`SUPPLIER`, :data:`INSTRUMENT` or
    :data:`CERTIFICATE`) factor given on a row with this supplier and ``source_ref``."""
    name, ref = _part(supplier), _part(document)
    if name is None:
        named = LACKING["both"] if ref is None else LACKING["supplier"] % {"given": ref}
    else:
        named = f"{name}, {ref}" if ref is not None else LACKING["document"] % {"given": name}
    return f"{kind}: {named} ({SHEET})"


def lacking(named: str) -> tuple[str | None, str]:
    """What a citation's supplier and document (:attr:`Cited.named`) lack, a key of
    :data:`LACKING` (``None``: nothing), and the part the workbook gave ("" for neither)."""
    if named == LACKING["both"]:
        return "both", ""
    for key in ("document", "supplier"):
        before, _, after = LACKING[key].partition("%(given)s")
        if (len(named) > len(before) + len(after) and named.startswith(before)
                and named.endswith(after)):
            return key, named[len(before):len(named) - len(after)]
    return None, named


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
class Rows:
    """The rows of one workbook that used a citation: the member's entity_id in a group's
    results (``None`` in an entity's own), the ranges as written, and how many rows when
    the ranges are cut short."""

    entity: str | None
    ranges: str
    count: int | None


@dataclass(frozen=True)
class Cited:
    """A supplied factor's citation taken apart: its kind, the supplier and document as the
    citation carries them (with what is missing, :func:`lacking`), and the rows (full text
    only)."""

    kind: str
    named: str
    rows: tuple[Rows, ...] | None


def parse(text: str) -> Cited | None:
    """The parts of a citation :func:`source` or :func:`with_rows` made; ``None`` for any
    other text. The supplier and document are everything between our opening words and our
    last bracket, so a name holding "(Electricity sheet)" itself cannot move them."""
    for kind in (SUPPLIER, INSTRUMENT, CERTIFICATE):
        if text.startswith(kind + ": "):
            break
    else:
        return None
    at = text.rfind(f" ({SHEET}")
    tail = _TAIL.fullmatch(text, at) if at > len(kind) + 2 else None
    if tail is None:
        return None
    named = text[len(kind) + 2:at]
    if tail.group("rows") is None:
        return Cited(kind, named, None)
    rows = []
    for part in tail.group("rows").split("; "):
        found = _ROWS.fullmatch(part)
        if found is None:
            return None
        count = found.group("count")
        rows.append(Rows(found.group("entity"), found.group("ranges"),
                         int(count) if count else None))
    return Cited(kind, named, tuple(rows))


def is_cited(text: str) -> bool:
    """Whether ``text`` is a supplied factor's short citation."""
    found = parse(text)
    return found is not None and found.rows is None


def row_ranges(rows: Iterable[int]) -> tuple[str, int]:
    """Workbook rows as ranges ("14–19, 25"; at most :data:`RANGES_MAX`), and how many."""
    ordered = sorted(set(rows))
    return findings.row_ranges(ordered, RANGES_MAX), len(ordered)


def _rows_text(entity: str | None, rows: Iterable[int]) -> str:
    shown, count = row_ranges(rows)
    word = "row" if count == 1 else "rows"
    more = f" ({count} rows in all)" if shown.endswith("…") else ""
    return f"{entity + ': ' if entity else ''}{word} {shown}{more}"


def with_rows(short: str, rows: Mapping[str | None, Iterable[int]]) -> str:
    """The full text of a citation: ``short`` with the Electricity rows that used it, by the
    workbook they are in: ``{None: rows}`` in an entity's own results, and in a group's each
    member's rows under its entity_id (which the text names)."""
    written = "; ".join(
        _rows_text(None if entity is None else _part(entity) or "?", member_rows)
        for entity, member_rows in sorted(rows.items(), key=lambda item: item[0] or ""))
    return f"{short.removesuffix(')')}, {written})"


def full_texts(sources: pd.Series, rows: pd.Series,
               entities: pd.Series | None = None) -> dict[str, str]:
    """Each supplied factor's short citation (trail ``factor_source``, a
    category column) → its full text with the rows of its entries (and in a group's trail,
    ``entities``, each member's)."""
    categories: list[str] = sources.cat.categories.tolist()
    cited = [position for position, text in enumerate(categories) if is_cited(text)]
    if not cited:
        return {}
    codes = sources.cat.codes.to_numpy()
    mask = np.isin(codes, cited)
    members: list[str | None] = [None] * int(mask.sum())
    if entities is not None:
        members = list(pd.Series(entities.to_numpy(dtype=object)[mask], dtype=object)
                       .fillna("").astype(str).tolist())
    # each citation's rows by member (``None`` in an entity's own results): a pass over the
    # entries that cite a supplied factor only
    grouped: dict[int, dict[str | None, list[int]]] = {}
    for code, row, member in zip(codes[mask].tolist(), rows.to_numpy()[mask].tolist(),
                                 members, strict=True):
        grouped.setdefault(code, {}).setdefault(member, []).append(row)
    return {categories[code]: with_rows(categories[code], by_member)
            for code, by_member in grouped.items()}
