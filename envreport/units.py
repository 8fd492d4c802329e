"""Units: a curated vocabulary per dimension, looked up — never parsed from free text.

A unit cell is accepted only if it is one of the spellings below (compared ignoring case,
spaces, ``_``/``-`` and with ``³`` read as ``3``). The text is *looked up*, never handed
to pint's parser: pint would read ``M3`` as mega-cubic-metres, ``mt`` as milli-tonnes,
``tons`` as US short tons and evaluate ``10**10**10`` as arithmetic. Spellings that
accountants use for more than one unit (``ton``, ``mt``, ``gal``, ``ml``) are refused with a
hint naming the unambiguous spellings.

pint still does the arithmetic between vocabulary units: each canonical unit has a fixed pint
expression, defined in this module's registry. Gas volumes are *normal* volumes (0 °C,
101.325 kPa): ``m3`` and ``Nm3`` are the same unit, and a standard cubic foot (60 °F,
14.696 psi) is 0.026 79 Nm³ (the methodology) — not the geometric 0.028 317 m³ — because
the factor library's densities are at normal conditions.

Conversions are computed once per distinct unit (cached), then applied to whole columns: no
per-row pint work in the hot path. ``docs/units.md`` is generated from :data:`VOCABULARY`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from envreport.suggest import nearest

if TYPE_CHECKING:
    import pint


Dimension = Literal["mass", "volume", "energy"]

# The base unit each dimension converts to in metrics.
BASE_UNIT: dict[Dimension, str] = {"mass": "t", "volume": "m3", "energy": "GJ"}

# Units quoted on a gross (higher heating value) basis; converted to net in metrics.
GROSS_BASIS_UNITS = frozenset({"therm", "MMBtu"})


@dataclass(frozen=True, slots=True)
class VocabularyUnit:
    """One accepted unit: its canonical spelling, dimension, meaning and accepted aliases."""

    canonical: str
    dimension: Dimension
    definition: str  # the pint expression it converts through (a fixed, trusted string)
    meaning: str
    aliases: tuple[str, ...] = ()


VOCABULARY: tuple[VocabularyUnit, ...] = (
    # --- mass ------------------------------------------------------------------------------
    VocabularyUnit("t", "mass", "tonne", "metric tonne (1,000 kg)",
                   ("tonne", "tonnes", "metric ton", "metric tons", "metric tonne",
                    "metric tonnes", "吨", "公吨")),
    VocabularyUnit("kg", "mass", "kilogram", "kilogram",
                   ("kilogram", "kilograms", "kgs", "公斤", "千克")),
    VocabularyUnit("g", "mass", "gram", "gram", ("gram", "grams", "克")),
    VocabularyUnit("kt", "mass", "kilotonne", "kilotonne (1,000 t)",
                   ("kilotonne", "kilotonnes", "千吨")),
    VocabularyUnit("Gg", "mass", "gigagram", "gigagram (1,000 t; IPCC's unit for NCVs)",
                   ("gigagram", "gigagrams")),
    VocabularyUnit("lb", "mass", "pound", "avoirdupois pound (0.453 592 37 kg)",
                   ("lbs", "pound", "pounds")),
    VocabularyUnit("short_ton", "mass", "short_ton", "US short ton (907.184 74 kg)",
                   ("short ton", "short tons", "US ton", "US tons")),
    VocabularyUnit("long_ton", "mass", "long_ton", "imperial long ton (1,016.046 908 8 kg)",
                   ("long ton", "long tons")),
    # --- volume ----------------------------------------------------------------------------
    VocabularyUnit("L", "volume", "liter", "litre",
                   ("litre", "litres", "liter", "liters", "ltr", "升", "公升")),
    VocabularyUnit("kL", "volume", "kiloliter", "kilolitre (1 m³)",
                   ("kilolitre", "kilolitres", "kiloliter", "kiloliters", "千升")),
    VocabularyUnit("m3", "volume", "m3", "cubic metre (for gases: normal cubic metre, 0 °C)",
                   ("m³", "cubic metre", "cubic metres", "cubic meter", "cubic meters", "cbm",
                    "Nm3", "Nm³", "Sm3", "normal cubic metre", "normal cubic metres",
                    "立方米", "标准立方米")),
    VocabularyUnit("ML", "volume", "megaliter", "megalitre (1,000 m³)",
                   ("megalitre", "megalitres", "megaliter", "megaliters")),
    VocabularyUnit("US_gallon", "volume", "US_gallon", "US liquid gallon (3.785 411 784 L)",
                   ("US gallon", "US gallons", "US gal", "USG")),
    VocabularyUnit("imperial_gallon", "volume", "imperial_gallon",
                   "imperial gallon (4.546 09 L)",
                   ("imperial gallon", "imperial gallons", "imp gal", "UK gallon",
                    "UK gallons")),
    VocabularyUnit("bbl", "volume", "oil_barrel", "oil barrel (42 US gallons, 158.987 L)",
                   ("barrel", "barrels", "oil barrel", "oil barrels", "桶")),
    VocabularyUnit("scf", "volume", "scf", "standard cubic foot (60 °F; 0.026 79 Nm³)",
                   ("standard cubic foot", "standard cubic feet")),
    # --- energy ----------------------------------------------------------------------------
    VocabularyUnit("kWh", "energy", "kilowatt_hour", "kilowatt-hour",
                   ("kilowatt hour", "kilowatt hours", "千瓦时", "度")),
    VocabularyUnit("MWh", "energy", "megawatt_hour", "megawatt-hour",
                   ("megawatt hour", "megawatt hours", "兆瓦时")),
    VocabularyUnit("GWh", "energy", "gigawatt_hour", "gigawatt-hour",
                   ("gigawatt hour", "gigawatt hours", "吉瓦时")),
    VocabularyUnit("MJ", "energy", "megajoule", "megajoule", ("megajoule", "megajoules", "兆焦")),
    VocabularyUnit("GJ", "energy", "gigajoule", "gigajoule", ("gigajoule", "gigajoules", "吉焦")),
    VocabularyUnit("TJ", "energy", "terajoule", "terajoule", ("terajoule", "terajoules", "太焦")),
    VocabularyUnit("MMBtu", "energy", "MMBtu", "million British thermal units (gross basis)",
                   ("million btu", "mmbtus")),
    VocabularyUnit("therm", "energy", "therm", "therm (105.506 MJ, gross basis)", ("therms",)),
    VocabularyUnit("toe", "energy", "toe", "tonne of oil equivalent (41.868 GJ)",
                   ("tonne of oil equivalent", "tonnes of oil equivalent")),
)

# Spellings used for more than one unit: refused, with what to write instead.
AMBIGUOUS: dict[str, tuple[str, ...]] = {
    "ton": ("t", "short_ton"),
    "tons": ("t", "short_ton"),
    "mt": ("t", "short_ton"),  # "metric ton" to some, megatonne (Mt) or millitonne to others
    "gal": ("US_gallon", "imperial_gallon"),
    "gals": ("US_gallon", "imperial_gallon"),
    "gallon": ("US_gallon", "imperial_gallon"),
    "gallons": ("US_gallon", "imperial_gallon"),
    "ml": ("ML", "L"),  # megalitre in water reporting, millilitre everywhere else
}

# Case matters for these spellings only: ``ML`` is the megalitre of water reporting.
_EXACT = {"ML": "ML", "Ml": "ML"}


class UnitError(ValueError):
    """A unit text that is not in the vocabulary, or is of the wrong dimension."""

    def __init__(self, message: str, *, ambiguous: tuple[str, ...] = (),
                 suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.ambiguous = ambiguous
        self.suggestions = suggestions


def fold(text: str) -> str:
    """The look-up key of a unit text: NFKC (``m³`` → ``m3``), lower case, one space."""
    folded = unicodedata.normalize("NFKC", str(text)).lower()
    folded = re.sub(r"[\s_\-]+", " ", folded).strip()
    return folded


def _build_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for unit in VOCABULARY:
        for spelling in (unit.canonical, *unit.aliases):
            if spelling in _EXACT:
                continue  # matched case-sensitively, before folding
            key = fold(spelling)
            if key in lookup and lookup[key] != unit.canonical:
                raise ValueError(f"unit spelling {spelling!r} names two units")
            if key in AMBIGUOUS:
                raise ValueError(f"unit spelling {spelling!r} is listed as ambiguous")
            lookup[key] = unit.canonical
    return lookup


_LOOKUP = _build_lookup()
BY_CANONICAL: dict[str, VocabularyUnit] = {unit.canonical: unit for unit in VOCABULARY}


def accepted_units(*dimensions: Dimension) -> tuple[str, ...]:
    """The canonical spellings of the units of ``dimensions``, in the vocabulary's order:
    what a ``unit-unknown`` hint names, as a subsidiary has no ``docs/units.md``."""
    return tuple(unit.canonical for unit in VOCABULARY if unit.dimension in dimensions)


@lru_cache(maxsize=1)
def unit_registry() -> pint.UnitRegistry[float]:
    """pint's registry with this module's definitions, built on the first conversion: building
    it parses pint's whole definition file (about 0.4 s on an idle machine), which a command
    that converts nothing should not pay."""
    import pint  # imported with the registry: pint's import alone is a noticeable start-up cost

    ureg: pint.UnitRegistry[float] = pint.UnitRegistry(cache_folder=None,
                                                        autoconvert_offset_to_baseunit=True)
    ureg.define("m3 = meter ** 3 = Nm3 = Sm3")
    ureg.define("scf = 0.02679 * m3")
    ureg.define("MMBtu = 1e6 * BTU = mmbtu")
    ureg.define("US_gallon = gallon")
    ureg.define("toe = 41.868 * GJ")
    return ureg


@lru_cache(maxsize=1024)
def normalise_unit(text: str) -> str:
    """Return the canonical spelling of a unit text, or raise :class:`UnitError`.

    ``"m³"``, ``"Nm3"``, ``"M3"`` and ``"cubic metres"`` all become ``"m3"``; ``"tons"``
    raises (ambiguous), as does anything not in the vocabulary.
    """
    cleaned = re.sub(r"\s+", " ", str(text)).strip()
    if not cleaned:
        raise UnitError("blank unit")
    if cleaned in _EXACT:
        return _EXACT[cleaned]
    key = fold(cleaned)
    if key in AMBIGUOUS:
        raise UnitError(f"ambiguous unit {text!r}", ambiguous=AMBIGUOUS[key])
    canonical = _LOOKUP.get(key)
    if canonical is None:
        raise UnitError(f"unknown unit {text!r}", suggestions=suggest_units(key))
    return canonical


def suggest_units(text: str, limit: int = 3) -> tuple[str, ...]:
    """The canonical units whose spellings are closest to ``text`` (for "did you mean"):
    three, as the caller keeps those of the dimension its column needs."""
    return tuple(nearest(fold(text), _LOOKUP, limit))


# Chinese statistics write large quantities in a multiple of a unit: 万千瓦时 (10 000 kWh),
# 万吨, 亿千瓦时. The vocabulary holds no multiple, and the nearest spelling of one is the
# unit itself (万千瓦时 → 千瓦时, kWh), a suggestion that would keep the quantity and make it
# 10 000 times too small: a multiple is recognised, to say how to convert the quantity.
MULTIPLIERS: dict[str, int] = {"十": 10, "百": 100, "千": 1_000, "万": 10_000,
                               "十万": 100_000, "百万": 1_000_000, "千万": 10_000_000,
                               "亿": 100_000_000}
# longest first: 十万 is read before 十
_MULTIPLIER_WORDS = sorted(MULTIPLIERS, key=len, reverse=True)


@dataclass(frozen=True, slots=True)
class UnitMultiple:
    """A unit text that is ``factor`` times a vocabulary ``unit`` (万千瓦时: 10 000 kWh),
    and the same quantity in the vocabulary: ``times`` the number in ``target`` (10 MWh)."""

    factor: int
    unit: str
    times: int
    target: str


def unit_multiple(text: str) -> UnitMultiple | None:
    """The multiple of a vocabulary unit ``text`` writes with a Chinese multiplier, or
    ``None``. ``target`` is the unit in which the quantity is the smallest whole power of
    ten (万千瓦时: 10 MWh; 千立方米: 1 ML, the same unit); a gross-basis unit is never one."""
    key = fold(text)
    for word in _MULTIPLIER_WORDS:
        unit = _LOOKUP.get(key[len(word):].strip()) if key.startswith(word) else None
        if unit is None:
            continue
        factor = MULTIPLIERS[word]
        dimension = BY_CANONICAL[unit].dimension
        best: tuple[int, str] | None = None
        for candidate in VOCABULARY:
            if candidate.dimension != dimension or candidate.canonical in GROSS_BASIS_UNITS:
                continue
            times = factor * conversion_factor(unit, candidate.canonical)
            whole = round(times)
            if whole >= 1 and abs(times - whole) <= 1e-9 * whole \
                    and str(whole).rstrip("0") == "1" and (best is None or whole < best[0]):
                best = (whole, candidate.canonical)
        if best is not None:
            return UnitMultiple(factor, unit, *best)
    return None


# A header that counts its column in a multiple: 营业收入（万元）, 投资额（万）, 人民币千元,
# amount (thousands), Revenue (CNY thousand), (RMB'000), (USD bn). The cell takes the number
# itself, so each value would be read that many times too small. A currency may stand on
# either side of the multiple (万元人民币, 人民币万元; CNY thousand, thousand yuan).
_CURRENCY = r"(?:元|人民币|美元|欧元|港元|港币|日元|英镑|[a-z]{3}|[a-z]{0,3}\$|[¥€£])"
_HEADER_MULTIPLIER = re.compile(
    rf"{_CURRENCY}? ?(?P<word>" + "|".join(_MULTIPLIER_WORDS) +
    rf") ?{_CURRENCY}{{0,2}}"
    # a rate per thousand (per mille) is a number itself: "per" is no currency
    rf"|(?:in )?(?:(?!per ){_CURRENCY}[ ,]*)?"
    r"(?P<english>thousands?|millions?|billions?|['’]000s?|000s|mn|mln|bn)"
    rf"(?: (?:of )?(?:{_CURRENCY}|yuan|dollars?|euros?|pounds?|(?P<unit>.+)))?")
# the English multiple by its word without a plural s ('000s, thousands)
ENGLISH_MULTIPLIERS = {"thousand": 1_000, "'000": 1_000, "’000": 1_000, "000": 1_000,
                        "million": 1_000_000, "mn": 1_000_000, "mln": 1_000_000,
                        "billion": 1_000_000_000, "bn": 1_000_000_000}


def header_multiplier(text: str) -> int | None:
    """The factor a header's bracketed text scales its column by (万元: 10 000; thousands,
    thousand tonnes: 1 000), or ``None`` when the text is no multiplier (a unit, a label)."""
    match = _HEADER_MULTIPLIER.fullmatch(fold(text))
    # a unit after the English multiple (thousand tonnes, '000 t, millions of kWh) is
    # multiplied too; other words make a label (Thousand Islands plant)
    unit = match.group("unit") if match is not None else None
    if match is None or (unit is not None and unit not in _LOOKUP and unit not in AMBIGUOUS):
        return None
    word = match.group("word")
    return MULTIPLIERS[word] if word else ENGLISH_MULTIPLIERS[match.group("english").rstrip("s")]


def dimension_of(unit: str) -> Dimension | None:
    """The dimension of a vocabulary unit (canonical or alias), or ``None`` if unknown."""
    try:
        return BY_CANONICAL[normalise_unit(unit)].dimension
    except UnitError:
        return None


@lru_cache(maxsize=512)
def conversion_factor(unit: str, target: str) -> float:
    """Multiply a quantity in ``unit`` by this to express it in ``target``.

    Both are vocabulary units (any accepted spelling); anything else raises
    :class:`UnitError` — free text never reaches pint's parser.
    """
    source = normalise_unit(unit)
    goal = normalise_unit(target)
    stored = _stored_conversions().get(f"{source} -> {goal}")
    if stored is not None:
        return stored
    return pint_conversion(BY_CANONICAL[source], BY_CANONICAL[goal])


def pint_conversion(source: VocabularyUnit, goal: VocabularyUnit) -> float:
    """pint's factor from ``source`` to ``goal``, to 15 significant digits (raises pint's
    DimensionalityError across dimensions)."""
    # 15 significant digits: drop binary noise (1e-3 not 0.0010000000000000002) so that
    # figures are reproducible and hand-checkable.
    value = unit_registry().Quantity(1.0, source.definition).to(goal.definition).magnitude
    return float(f"{value:.15g}")


# pint's factor between every two vocabulary units of one dimension, as computed by
# :func:`pint_conversion`, stored so that a run needs neither pint's import nor its registry
# (together about a second of a 100 000-row validation). scripts/gen_docs.py writes the file
# from :func:`conversion_table`; a test fails when it differs from what pint computes now.
CONVERSIONS_FILE = Path(__file__).with_name("unit_conversions.json")


def conversion_table() -> dict[str, float]:
    """``"source -> target"`` → pint's factor, for every pair of units of one dimension."""
    return {f"{source.canonical} -> {goal.canonical}": pint_conversion(source, goal)
            for source in VOCABULARY for goal in VOCABULARY
            if source.dimension == goal.dimension}


@lru_cache(maxsize=1)
def _stored_conversions() -> dict[str, float]:
    try:
        table = json.loads(CONVERSIONS_FILE.read_text(encoding="utf-8"))
    except FileNotFoundError:  # a checkout before gen_docs ran: pint computes each pair
        return {}
    return {key: float(value) for key, value in table.items()}


def ratio_factor(text: str, target: str) -> float | None:
    """Multiply a value in the ratio unit ``text`` (``kg/GJ``, ``MJ/Nm3``) by this to express it
    in ``target`` (``kg/TJ``, ``MJ/m3``); ``None`` when ``text`` does not fit.

    For the Factors sheet's ``unit`` column. Each side of the ``/`` is looked up in the
    vocabulary; ``1``, ``-`` or a blank is a pure number. Nothing is evaluated.
    """
    source, goal = _ratio(text), _ratio(target)
    if source is None or goal is None:
        return None
    factor = 1.0
    for have, want, power in ((source[0], goal[0], 1), (source[1], goal[1], -1)):
        if have is None and want is None:
            continue
        if have is None or want is None or \
                BY_CANONICAL[have].dimension != BY_CANONICAL[want].dimension:
            return None
        factor *= conversion_factor(have, want) ** power
    return float(f"{factor:.15g}")


def _ratio(text: str) -> tuple[str | None, str | None] | None:
    """``"kg/TJ"`` → ``("kg", "TJ")``; ``"1"`` → ``(None, None)``; ``None`` if not a ratio of
    vocabulary units."""
    cleaned = str(text).strip()
    if cleaned in {"", "-", "1"}:
        return None, None
    if len(cleaned) > 64:
        return None
    numerator, slash, denominator = cleaned.partition("/")
    try:
        top = normalise_unit(numerator)
        bottom = normalise_unit(denominator) if slash else None
    except UnitError:
        return None
    return top, bottom


def check_unit(text: str, allowed: tuple[Dimension, ...]) -> str:
    """Normalise ``text`` and check its dimension is one of ``allowed``."""
    unit = normalise_unit(text)
    if BY_CANONICAL[unit].dimension not in allowed:
        raise UnitError(f"{text!r} is not a unit of {' or '.join(allowed)}")
    return unit


def vocabulary_markdown() -> str:
    """The vocabulary as a Markdown section (``docs/units.md`` is generated from it)."""
    lines = [
        "# Units",
        "",
        "<!-- generated by scripts/gen_docs.py from envreport/units.py; do not edit -->",
        "",
        "A `unit` cell must hold one of the spellings below. Case, spaces, `_` and `-` do not",
        "matter and `³` reads as `3` (`M3`, `m³` and `cubic metres` are all `m3`), with one",
        f"exception: {' and '.join(f'`{spelling}`' for spelling in _EXACT)}, with a capital M,"
        " are the megalitre (`ml` and `mL` are refused",
        "as ambiguous, below). Unit texts are looked up in this list, never interpreted:",
        "anything else is an error at its cell that suggests the nearest units.",
        "",
        "Gas volumes (`m3`, `Nm3`, `scf`) are normal volumes at 0 °C and 101.325 kPa.",
        "",
        "A multiple of a unit written with a Chinese multiplier (`万千瓦时`, 10,000 kWh;",
        "`万吨`, `亿千瓦时`, `万立方米`) is not a unit: it is an error at its cell",
        "(`unit-multiple`) that says how to convert the quantity into a unit of the list",
        "(12 `万千瓦时` is 120 `MWh`); a multiple that is one (`千立方米`, the `ML`) is",
        "suggested as that unit.",
        "",
    ]
    titles = {"mass": "Mass", "volume": "Volume", "energy": "Energy"}
    for dimension in ("mass", "volume", "energy"):
        lines += [f"## {titles[dimension]}", "", "| unit | meaning | also accepted |",
                  "|---|---|---|"]
        for unit in VOCABULARY:
            if unit.dimension == dimension:
                aliases = ", ".join(f"`{a}`" for a in unit.aliases) or "—"
                lines.append(f"| `{unit.canonical}` | {unit.meaning} | {aliases} |")
        lines.append("")
    lines += ["## Units of the Factors sheet", "",
              "A factor's `unit` is a ratio of two units of this list (`kg/TJ`, `kg/GJ`,",
              "`MJ/kg`, `TJ/Gg`, `MJ/Nm3`, `kg/L`, `kg/Nm3`, `kg/kWh`, `g/kWh` ...) or `1` for a",
              "pure number; it is converted to the unit the factor type needs. Anything else is",
              "refused.", ""]
    lines += ["## Refused as ambiguous", "",
              "These spellings mean different units to different people; write one of the",
              "units on the right instead.", "", "| written | write instead |", "|---|---|"]
    for spelling, choices in AMBIGUOUS.items():
        lines.append(f"| `{spelling}` | {', '.join(f'`{c}`' for c in choices)} |")
    return "\n".join(lines) + "\n"
