"""The ISO 3166-1 countries and ISO 4217 currencies the contract accepts, as pycountry lists
them, read from a file stored with the package.

pycountry's import looks its own version up in the installed distributions' metadata
(with importlib.metadata) and builds its databases' indices on first use: about 8 ms of CPU
in every ``envreport validate`` (reading this file: under 1 ms). The few things the cell
types read — each country's codes and English names, each currency's code and name, and
the Simplified Chinese names of pycountry's ``zh_CN`` catalogues — are stored in
``iso_codes.json``, written by scripts/gen_docs.py from :func:`iso_code_text`; a test
fails when the file differs from what pycountry gives now. pycountry stays the source (and
is still imported where a report names a country).
"""

from __future__ import annotations

import gettext
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

ISO_CODES_FILE = Path(__file__).with_name("iso_codes.json")


@dataclass(frozen=True)
class Country:
    """One ISO 3166-1 country: its codes and English names (``None`` when pycountry has
    no such name)."""

    alpha_2: str
    alpha_3: str
    name: str
    common_name: str | None
    official_name: str | None

    @property
    def display(self) -> str:
        """The name a person uses (Tanzania rather than "Tanzania, United Republic of")."""
        return self.common_name or self.name

    @property
    def english_names(self) -> tuple[str, ...]:
        """Its English names that pycountry has: the name, the common and official ones."""
        return tuple(english for english in (self.name, self.common_name, self.official_name)
                     if english is not None)


@dataclass
class IsoCodes:
    """The countries and currencies in pycountry's order, with their Chinese names."""

    countries: tuple[Country, ...]
    # Simplified Chinese country name → alpha-3 (肯尼亚 → KEN), the first country of a name
    chinese_country_names: dict[str, str]
    currencies: tuple[tuple[str, str], ...]  # (alpha-3 code, English name)
    # Simplified Chinese currency name → code (肯尼亚先令 → KES), the last currency of a name
    chinese_currency_names: dict[str, str]

    def __post_init__(self) -> None:
        self._by_alpha_2 = {country.alpha_2: country for country in self.countries}
        self._by_alpha_3 = {country.alpha_3: country for country in self.countries}

    def country_by_alpha_2(self, code: str) -> Country | None:
        """The country of an alpha-2 code, in any case (pycountry's ``get(alpha_2=...)``)."""
        return self._by_alpha_2.get(code.upper())

    def country_by_alpha_3(self, code: str) -> Country | None:
        """The country of an alpha-3 code, in any case (pycountry's ``get(alpha_3=...)``)."""
        return self._by_alpha_3.get(code.upper())


def iso_code_table() -> dict[str, Any]:
    """What ``iso_codes.json`` holds, computed from pycountry now."""
    import pycountry

    countries = [[c.alpha_2, c.alpha_3, c.name, getattr(c, "common_name", None),
                  getattr(c, "official_name", None)] for c in pycountry.countries]
    chinese_countries: dict[str, str] = {}
    catalogue = _chinese_catalogue("iso3166-1", pycountry.LOCALES_DIR)
    if catalogue is not None:
        for country in pycountry.countries:
            # the official name too (中华人民共和国, 肯尼亚共和国), as it is in English
            for attr in ("name", "common_name", "official_name"):
                english = getattr(country, attr, None)
                chinese = catalogue.gettext(english) if english else None
                if chinese and chinese != english:
                    chinese_countries.setdefault(chinese, country.alpha_3)
    currencies = [[c.alpha_3, c.name] for c in pycountry.currencies]
    chinese_currencies: dict[str, str] = {}
    catalogue = _chinese_catalogue("iso4217", pycountry.LOCALES_DIR)
    if catalogue is not None:
        for c in pycountry.currencies:
            if catalogue.gettext(c.name) != c.name:
                chinese_currencies[catalogue.gettext(c.name)] = c.alpha_3
    return {"countries": countries, "chinese_country_names": chinese_countries,
            "currencies": currencies, "chinese_currency_names": chinese_currencies}


def _chinese_catalogue(domain: str, locales: str) -> gettext.NullTranslations | None:
    """pycountry's Simplified Chinese catalogue of ``domain``, or None when it has none."""
    try:
        return gettext.translation(domain, locales, languages=["zh_CN"])
    except OSError:
        return None


def iso_code_text() -> str:
    """``iso_codes.json`` as scripts/gen_docs.py writes it: one country, currency or Chinese
    name a line, so that a change of pycountry's shows as the lines it changes."""
    def text(item: Any) -> str:
        return json.dumps(item, ensure_ascii=False)

    parts = []
    for key, value in iso_code_table().items():
        if isinstance(value, dict):  # an object, one name a line
            body = ",\n".join(f"{text(name)}: {text(code)}" for name, code in value.items())
            parts.append(f"{text(key)}: {{\n{body}\n}}")
        else:  # a list, one record a line
            body = ",\n".join(text(record) for record in value)
            parts.append(f"{text(key)}: [\n{body}\n]")
    return "{\n" + ",\n".join(parts) + "\n}\n"


@lru_cache(maxsize=1)
def iso_codes() -> IsoCodes:
    """The stored table (pycountry's, computed now, in a checkout before gen_docs ran)."""
    try:
        table = json.loads(ISO_CODES_FILE.read_text(encoding="utf-8"))
    except FileNotFoundError:
        table = iso_code_table()
    return IsoCodes(
        countries=tuple(Country(*fields) for fields in table["countries"]),
        chinese_country_names=dict(table["chinese_country_names"]),
        currencies=tuple((code, name) for code, name in table["currencies"]),
        chinese_currency_names=dict(table["chinese_currency_names"]),
    )
