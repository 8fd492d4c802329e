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
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Annotated, Any

import pycountry
from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from envreport.units import Dimension, UnitError, check_unit, normalise_unit

# Free text longer than this is refused: no real field needs it, and it keeps a hostile
# workbook from pushing megabytes of text into the report.
MAX_TEXT_LENGTH = 2000

_EXCEL_EPOCH = datetime(1899, 12, 30)
_TRUE = frozenset({"yes", "y", "true", "t", "1", "是", "对"})
_FALSE = frozenset({"no", "n", "false", "f", "0", "否", "不是"})
_NUMBER_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _fail(code: str, value: Any, **params: Any) -> PydanticCustomError:
    return PydanticCustomError(code, "{value!r} is invalid", {"value": value, **params})


def parse_text(value: Any) -> str:
    """Text as typed; numbers typed into a text cell keep their digits (101.0 → "101")."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    text = str(value).strip()
    if len(text) > MAX_TEXT_LENGTH:
        raise _fail("text-too-long", value, length=len(text), max_length=MAX_TEXT_LENGTH)
    return text


def parse_number(value: Any) -> float:
    """A real number: a numeric cell, or text holding only a number (``"1250.5"``)."""
    if isinstance(value, bool):
        raise _fail("not-a-number", value)
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and _NUMBER_TEXT.match(value.strip()):
        number = float(value.strip())
    else:
        raise _fail("not-a-number", value)
    if math.isnan(number) or math.isinf(number):
        raise _fail("not-a-number", value)
    return number


def parse_integer(value: Any) -> int:
    """A whole number (a year, a count)."""
    try:
        number = parse_number(value)
    except PydanticCustomError:
        raise _fail("not-an-integer", value) from None
    if not number.is_integer():
        raise _fail("not-an-integer", value)
    return int(number)


def parse_date(value: Any) -> date:
    """An Excel date, ISO ``YYYY-MM-DD`` text, or an Excel serial day number."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise _fail("not-a-date", value)
    if isinstance(value, int | float) and 1 <= value < 2958466:
        # An unformatted date cell shows its serial number; it still means that day.
        return (_EXCEL_EPOCH + timedelta(days=int(value))).date()
    if isinstance(value, str):
        text = value.strip()
        try:
            return date.fromisoformat(text[:10]) if len(text) >= 10 else date.fromisoformat(text)
        except ValueError:
            pass
    raise _fail("not-a-date", value)


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


@lru_cache(maxsize=1024)
def _country_alpha3(text: str) -> str | None:
    if not text:
        return None
    if text.lower() in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[text.lower()]
    country = None
    if len(text) == 2:
        country = pycountry.countries.get(alpha_2=text.upper())
    elif len(text) == 3:
        country = pycountry.countries.get(alpha_3=text.upper())
    if country is None:
        lowered = text.lower()
        for candidate in pycountry.countries:
            names = {candidate.name.lower()}
            for attr in ("common_name", "official_name"):
                if hasattr(candidate, attr):
                    names.add(getattr(candidate, attr).lower())
            if lowered in names:
                country = candidate
                break
    return country.alpha_3 if country is not None else None


def parse_country(value: Any) -> str:
    """ISO 3166-1 alpha-2, alpha-3 or English short name → alpha-3."""
    alpha3 = _country_alpha3(str(value).strip())
    if alpha3 is None:
        raise _fail("country-unknown", value)
    return alpha3


@lru_cache(maxsize=256)
def _currency_code(text: str) -> str | None:
    code = text.strip().upper()
    return code if len(code) == 3 and pycountry.currencies.get(alpha_3=code) else None


def parse_currency(value: Any) -> str:
    """An ISO 4217 code, upper-cased."""
    code = _currency_code(str(value))
    if code is None:
        raise _fail("currency-unknown", value)
    return code


def unit_parser(*allowed: Dimension) -> BeforeValidator:
    """A validator for a ``unit`` cell that must be one of the ``allowed`` dimensions."""
    example = {"mass": "t", "volume": "m3", "energy": "MWh"}

    def parse(value: Any) -> str:
        text = parse_text(value)
        try:
            normalise_unit(text)
        except UnitError:
            raise _fail("unit-unknown", value) from None
        try:
            return check_unit(text, allowed)
        except UnitError:
            raise _fail(
                "unit-wrong-dimension", value, expected=" or ".join(allowed),
                example=", ".join(example[d] for d in allowed),
            ) from None

    return BeforeValidator(parse)


def list_parser(value: Any) -> list[str]:
    """A comma-separated list of ids (``GreenFinance.project_ids``)."""
    return [part.strip() for part in parse_text(value).split(",") if part.strip()]


Text = Annotated[str, BeforeValidator(parse_text), Field(min_length=1)]
Number = Annotated[float, BeforeValidator(parse_number)]
NonNegative = Annotated[float, BeforeValidator(parse_number), Field(ge=0)]
Percent = Annotated[float, BeforeValidator(parse_number), Field(ge=0, le=100)]
Integer = Annotated[int, BeforeValidator(parse_integer)]
Day = Annotated[date, BeforeValidator(parse_date)]
YesNo = Annotated[bool, BeforeValidator(parse_bool)]
Country = Annotated[str, BeforeValidator(parse_country)]
Currency = Annotated[str, BeforeValidator(parse_currency)]
IdList = Annotated[list[str], BeforeValidator(list_parser)]
EnergyUnit = Annotated[str, unit_parser("energy")]
VolumeUnit = Annotated[str, unit_parser("volume")]
MassUnit = Annotated[str, unit_parser("mass")]
FuelUnit = Annotated[str, unit_parser("mass", "volume", "energy")]
