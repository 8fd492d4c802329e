"""Cell types of the workbook contract, as pydantic annotated types.

Each type parses what people really type into a spreadsheet (an Excel date or ISO text,
``yes``/``是``, ``CN``/``CHN``/``China``) and, when it cannot, raises a
:class:`~pydantic_core.PydanticCustomError` whose *type* is the stable finding code
(``not-a-date``, ``country-unknown`` ...). Validation turns those errors into findings at
the cell, so the wording here is for developers; users see :mod:`envreport.codes`.

Look-ups that are costly (countries, currencies, units) are cached per distinct text, so
a 100 000-row sheet with a dozen distinct values pays for a dozen look-ups.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationInfo
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from envreport.safe_text import EXCEL_MAX_TEXT
from envreport.schema.base import RowContext
from envreport.schema.iso_codes import iso_codes
from envreport.suggest import did_you_mean
from envreport.units import (
    BY_CANONICAL,
    Dimension,
    UnitError,
    accepted_units,
    normalise_unit,
    unit_multiple,
)

# Dates outside [EARLIEST_DATE, period end + DATE_HORIZON_DAYS] are errors: a bare year or
# a stray number read as an Excel day number lands there (2020 → 1905-07-12).
EARLIEST_DATE = date(1990, 1, 1)
DATE_HORIZON_DAYS = 366
# Dates that may lie years ahead of the reporting period: they are planned, not past.
FORWARD_LOOKING_DATES = frozenset({"maturity_date", "completion_date", "operation_start"})
# Integers in a date cell that are read as a year someone typed, not an Excel day number.
_YEAR_RANGE = range(1900, 2101)

_EXCEL_EPOCH = datetime(1899, 12, 30)
_TRUE = frozenset({"yes", "y", "true", "t", "1", "是", "对"})
_FALSE = frozenset({"no", "n", "false", "f", "0", "否", "不是"})
# The largest magnitude a number cell may hold: far beyond any real figure in any unit or
# currency the contract accepts, and small enough that every product with a factor, a GWP
# and an exchange rate (each below 10^6), summed over a million rows, stays finite — 1e308
# passes float() but overflows to infinity in the first product. Integers below it also fit
# the 64-bit integer columns of the tables (10^20 does not: pandas raises OverflowError).
MAX_NUMBER_MAGNITUDE = 1e18
_NUMBER_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
# A Chinese input method in full-width mode types a number or a date in full-width
# characters (１２００．５, ２０２４－０３－３１　００：００): its digits, point, signs,
# exponent, colon and space are read as their ASCII forms, so that ０.５ and ０．５ are
# the same number. Only these: NFKC would also turn a superscript into a digit (10² into
# 102). A thousands separator (１，２００) stays refused, as 1,200 is.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．＋－ｅＥ：\u3000", "0123456789.+-eE: ")
# ISO date text, alone or with the time of day a text export adds (2024-03-31 00:00:00);
# anything else after the date is no date: "2024-03-01至2024-03-31" in period_end was
# read as its first ten characters, 1 March
_DATE_WITH_TIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?",
    re.ASCII)


def _fail(code: str, value: Any, **params: Any) -> PydanticCustomError:
    return PydanticCustomError(code, "{value!r} is invalid", {"value": value, **params})


def shows_nothing(text: str) -> bool:
    """Whether a cell's ``text`` is blank: empty, spaces, or only format characters (a
    zero-width space or joiner, the byte-order mark, a direction mark: Unicode category Cf)
    among spaces. A required name of such characters was accepted, invisible in the report."""
    text = text.strip()
    return not text or (unicodedata.category(text[0]) == "Cf" and all(
        c.isspace() or unicodedata.category(c) == "Cf" for c in text))


def parse_text(value: Any) -> str:
    """Text as typed; numbers typed into a text cell keep their digits (101.0 → "101"); a
    text that shows nothing is blank (:func:`shows_nothing`)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    text = str(value).strip()
    if shows_nothing(text):
        return ""
    # Excel's own limit for one cell: a text that Excel could hold is kept whole.
    if len(text) > EXCEL_MAX_TEXT:
        raise _fail("text-too-long", value, length=len(text), max_length=EXCEL_MAX_TEXT)
    return text


def parse_number(value: Any) -> float:
    """A real number: a numeric cell, or text holding only a number (``"1250.5"``)."""
    if isinstance(value, bool):
        raise _fail("not-a-number", value)
    if isinstance(value, int) and abs(value) > MAX_NUMBER_MAGNITUDE:
        raise _fail("number-too-large", value, limit="10^18")  # float() may overflow
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and _NUMBER_TEXT.match(
            text := value.strip().translate(_FULL_WIDTH)):
        number = float(text)
    else:
        raise _fail("not-a-number", value)
    if math.isnan(number) or math.isinf(number):
        raise _fail("not-a-number", value)
    if abs(number) > MAX_NUMBER_MAGNITUDE:
        raise _fail("number-too-large", value, limit="10^18")
    return number


def parse_integer(value: Any) -> int:
    """A whole number (a year, a count)."""
    try:
        number = parse_number(value)
    except PydanticCustomError as error:
        if error.type == "number-too-large":
            raise
        raise _fail("not-an-integer", value) from None
    if not number.is_integer():
        raise _fail("not-an-integer", value)
    return int(number)


def _to_date(value: Any) -> date:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        # 2020 typed into a date-formatted cell is Excel's day 2020: 1905-07-12.
        serial = (value - _EXCEL_EPOCH.date()).days
        if serial in _YEAR_RANGE:
            raise _fail("date-looks-like-year", value, year=serial)
        return value
    if isinstance(value, bool):
        raise _fail("not-a-date", value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and int(value) in _YEAR_RANGE:
            raise _fail("date-looks-like-year", value, year=int(value))
        if 1 <= value < 2958466:
            # An unformatted date cell shows its serial number; it still means that day.
            return (_EXCEL_EPOCH + timedelta(days=int(value))).date()
    if isinstance(value, str):
        text = value.strip().translate(_FULL_WIDTH)
        if text.isdigit() and int(text) in _YEAR_RANGE:
            raise _fail("date-looks-like-year", value, year=int(text))
        with_time = _DATE_WITH_TIME.fullmatch(text)
        try:
            return date.fromisoformat(with_time.group(1) if with_time else text)
        except ValueError:
            pass
    raise _fail("not-a-date", value)


def parse_date(value: Any, info: ValidationInfo | None = None) -> date:
    """An Excel date, ISO ``YYYY-MM-DD`` text, or an Excel serial day number, in a plausible range.

    A whole number from 1900 to 2100 is a year typed into a date cell (``date-looks-like-year``),
    not day 2020 of Excel's calendar. A date before 1990, or more than a year after the
    reporting period ends (when the period is known), is ``date-implausible``; fields in
    :data:`FORWARD_LOOKING_DATES` have no upper bound.
    """
    return _check_date_range(_to_date(value), info)


def _validate_date(value: Any, info: ValidationInfo) -> date:
    # pydantic passes ``info`` (the row context, the field name) only to a validator whose
    # second parameter is required.
    return parse_date(value, info)


def _check_date_range(day: date, info: ValidationInfo | None) -> date:
    """``day`` if it is plausible for the field and the row context, else a finding."""
    context = info.context if info is not None else None
    field_name = info.field_name if info is not None else None
    latest: date | None = None
    if isinstance(context, RowContext) and context.period_end is not None \
            and field_name not in FORWARD_LOOKING_DATES:
        latest = context.period_end + timedelta(days=DATE_HORIZON_DAYS)
    if day < EARLIEST_DATE or (latest is not None and day > latest):
        raise _fail("date-implausible", day, day=day.isoformat(),
                    earliest=EARLIEST_DATE.isoformat(),
                    latest=latest.isoformat() if latest else "—")
    return day


def parse_bool(value: Any) -> bool:
    """yes/no, true/false, y/n, 1/0 or 是/否."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _fail("not-a-boolean", value)


# English short names in common use that pycountry spells differently.
_COUNTRY_ALIASES = {
    "russia": "RUS",
    "turkey": "TUR",
    "south korea": "KOR",
    "korea": "KOR",
    "north korea": "PRK",
    "iran": "IRN",
    "syria": "SYR",
    "tanzania": "TZA",
    "bolivia": "BOL",
    "venezuela": "VEN",
    "moldova": "MDA",
    "czech republic": "CZE",
    "dr congo": "COD",
    "democratic republic of the congo": "COD",
    "republic of the congo": "COG",
    "brunei": "BRN",
    "cape verde": "CPV",
    "ivory coast": "CIV",
    "hong kong": "HKG",
    "macau": "MAC",
    "uk": "GBR",
    "usa": "USA",
    "united states of america": "USA",
}


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Every lower-cased English name and alias of a country → its display name."""
    codes = iso_codes()
    names: dict[str, str] = {}
    for candidate in codes.countries:
        for english in candidate.english_names:
            names[english.lower()] = candidate.display
    # Simplified Chinese names (pycountry's zh_CN catalogue: 肯尼亚, 坦桑尼亚), so that a
    # preparer of the Chinese template may write the country in Chinese
    for alias, alpha3 in [*_COUNTRY_ALIASES.items(), *codes.chinese_country_names.items()]:
        country = codes.country_by_alpha_3(alpha3)
        if country is not None:
            names.setdefault(alias, country.display)
    return names


@lru_cache(maxsize=1024)
def _country_alpha3(text: str) -> str | None:
    if not text:
        return None
    if text.lower() in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[text.lower()]
    codes = iso_codes()
    country = None
    if len(text) == 2:
        country = codes.country_by_alpha_2(text)
    elif len(text) == 3:
        country = codes.country_by_alpha_3(text)
    if country is None:
        lowered = text.lower()
        country = next((candidate for candidate in codes.countries
                        if any(english.lower() == lowered
                               for english in candidate.english_names)), None)
    if country is None:
        return codes.chinese_country_names.get(text)
    return country.alpha_3


def country_alpha3(value: Any) -> str | None:
    """ISO 3166-1 alpha-2, alpha-3, English short name or common alias (UK, Russia) →
    alpha-3; ``None`` when blank or unknown. The one country parser: the workbook, the
    Factors sheet's grid keys and ``envreport factors --country`` all use it."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    return _country_alpha3(str(value).strip())


def parse_country(value: Any) -> str:
    """ISO 3166-1 alpha-2, alpha-3 or English short name → alpha-3."""
    alpha3 = _country_alpha3(str(value).strip())
    if alpha3 is None:
        # a full name of a code, or a name in the other language, is the one suggestion
        suggestion = did_you_mean(str(value).strip().lower(), _country_names())
        raise _fail("country-unknown", value, **({"suggestion": suggestion} if suggestion
                                                   else {}))
    return alpha3


@lru_cache(maxsize=256)
def _currency_code(text: str) -> str | None:
    code = text.strip().upper()
    return code if len(code) == 3 and code in _currency_codes() else None


@lru_cache(maxsize=1)
def _currency_codes() -> frozenset[str]:
    return frozenset(code for code, _name in iso_codes().currencies)


# Local abbreviations and names that are not ISO codes: suggested, never accepted silently.
_CURRENCY_SPELLINGS = {
    "rmb": "CNY", "yuan": "CNY", "人民币": "CNY", "元": "CNY", "ksh": "KES", "kshs": "KES",
    "tsh": "TZS", "tshs": "TZS", "ush": "UGX", "ushs": "UGX", "us$": "USD", "$": "USD",
    "dollar": "USD", "美元": "USD", "euro": "EUR", "€": "EUR", "欧元": "EUR", "£": "GBP",
    "naira": "NGN", "rp": "IDR", "rupiah": "IDR", "rm": "MYR", "ringgit": "MYR",
    "rupee": "INR", "rs": "INR", "pkr rs": "PKR", "港币": "HKD", "hk$": "HKD", "ntd": "TWD",
}


@lru_cache(maxsize=1)
def _currency_choices() -> dict[str, str]:
    codes = iso_codes()
    choices = {code.lower(): code for code, _name in codes.currencies}
    choices.update({name.lower(): code for code, name in codes.currencies})
    # Chinese names (肯尼亚先令 → KES), suggested like the English ones
    choices.update(codes.chinese_currency_names)
    return choices


def suggest_currency(text: str) -> str | None:
    """The ISO code someone probably meant by ``text`` (``KSH`` → ``KES``), or ``None``."""
    key = str(text).strip().lower()
    if key in _CURRENCY_SPELLINGS:
        return _CURRENCY_SPELLINGS[key]
    return did_you_mean(key, _currency_choices())


def parse_currency(value: Any) -> str:
    """An ISO 4217 code, upper-cased."""
    code = _currency_code(str(value))
    if code is None:
        suggestion = suggest_currency(str(value))
        raise _fail("currency-unknown", value, **({"suggestion": suggestion} if suggestion
                                                    else {}))
    return code


# The validator of each unit column (the unit of its row's quantity), known by identity: a
# sheet's number columns without a unit of their own are read in it (SheetSpec.row_unit_fields).
UNIT_PARSERS: list[BeforeValidator] = []


def is_unit_column(info: FieldInfo) -> bool:
    """Whether the field ``info`` is a unit column (made with :func:`unit_parser`)."""
    return any(item is parser for item in info.metadata for parser in UNIT_PARSERS)


def unit_parser(*allowed: Dimension) -> BeforeValidator:
    """A validator for a ``unit`` cell that must be one of the ``allowed`` dimensions."""
    example = {"mass": "t", "volume": "m3", "energy": "MWh"}
    # the units the hint names: the cell's writer may have only the workbook, not docs/
    accepted = ", ".join(accepted_units(*allowed))

    def parse(value: Any) -> str:
        text = parse_text(value)
        try:
            unit = normalise_unit(text)
        except UnitError as exc:
            if exc.ambiguous:
                raise _fail("unit-ambiguous", value,
                            choices=" or ".join(exc.ambiguous)) from None
            multiple = unit_multiple(text)
            if multiple is None:
                fitting = [u for u in exc.suggestions if BY_CANONICAL[u].dimension in allowed]
            elif BY_CANONICAL[multiple.unit].dimension not in allowed:
                # a multiple's nearest spelling is its unit (万千瓦时 → kWh): never suggested
                fitting = []
            elif multiple.times > 1:
                raise _fail("unit-multiple", value, factor=f"{multiple.factor:,}",
                            unit=multiple.unit, times=f"{multiple.times:,}",
                            target=multiple.target) from None
            else:  # a multiple that is a unit of the list is suggested as it (千立方米 → ML)
                fitting = [multiple.target]
            params = {"suggestion": " or ".join(fitting)} if fitting else {}
            raise _fail("unit-unknown", value, accepted=accepted, **params) from None
        if BY_CANONICAL[unit].dimension not in allowed:
            raise _fail(
                "unit-wrong-dimension", value, expected=" or ".join(allowed),
                example=", ".join(example[d] for d in allowed),
            )
        return unit

    validator = BeforeValidator(parse)
    UNIT_PARSERS.append(validator)
    return validator


def list_parser(value: Any) -> list[str]:
    """A comma-separated list of ids (``GreenFinance.project_ids``)."""
    return [part.strip() for part in parse_text(value).split(",") if part.strip()]


Text = Annotated[str, BeforeValidator(parse_text), Field(min_length=1)]
Number = Annotated[float, BeforeValidator(parse_number)]
NonNegative = Annotated[float, BeforeValidator(parse_number), Field(ge=0)]
Percent = Annotated[float, BeforeValidator(parse_number), Field(ge=0, le=100)]
Integer = Annotated[int, BeforeValidator(parse_integer)]
Day = Annotated[date, BeforeValidator(_validate_date)]
YesNo = Annotated[bool, BeforeValidator(parse_bool)]
Country = Annotated[str, BeforeValidator(parse_country)]
Currency = Annotated[str, BeforeValidator(parse_currency)]
IdList = Annotated[list[str], BeforeValidator(list_parser)]
EnergyUnit = Annotated[str, unit_parser("energy")]
VolumeUnit = Annotated[str, unit_parser("volume")]
MassUnit = Annotated[str, unit_parser("mass")]
FuelUnit = Annotated[str, unit_parser("mass", "volume", "energy")]
