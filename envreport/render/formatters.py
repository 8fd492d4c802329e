"""Every number, date and name the report prints, formatted for one locale (babel).

Templates never format: they call these functions as Jinja filters (registered in
:mod:`envreport.render.environment`). A ``None`` value is a topic or figure that was not
reported and prints as "Not reported", never as a zero that looks measured.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from babel import Locale
from babel.numbers import (
    NumberPattern,
    format_decimal,
    get_decimal_symbol,
    get_group_symbol,
    get_minus_sign_symbol,
    parse_pattern,
)
from markupsafe import Markup, escape

from envreport.i18n import gap, gettext

#: a table or section number of a citation: digits, then full stops each followed by digits
#: or letters ("7.SM.7", "3.2.2", "1.4.1.2")
_SECTION_NUMBER = re.compile(r"\d+(?:\.\w+)+")

#: babel locale used for each report language
BABEL_LOCALES = {"en": "en_GB", "zh": "zh_Hans_CN"}


def _alpha2(iso3: str) -> str | None:
    """The alpha-2 code of an ISO 3166 alpha-3 (or alpha-2) code, any case; None if unknown.
    From pycountry's table as stored in ``schema/iso_codes.json`` (pycountry's import and
    its first look-up cost a build about 0.03 s; a test holds the file to pycountry)."""
    from envreport.schema.iso_codes import iso_codes

    country = iso_codes().country_by_alpha_3(iso3) if len(iso3) == 3 else None
    return country.alpha_2 if country else (iso3.upper() if len(iso3) == 2 else None)


#: units in Chinese (GB 3100 names); a compound unit is translated part by part
UNITS_ZH = {
    "tCO2e": "吨二氧化碳当量", "tCO2": "吨二氧化碳", "t": "吨", "kg": "千克", "TJ": "太焦",
    "GJ": "吉焦", "MJ": "兆焦", "kWh": "千瓦时", "MWh": "兆瓦时", "MW": "兆瓦", "km": "千米",
    "m³": "立方米", "m3": "立方米", "L": "升", "Nm3": "标准立方米", "employee": "人",
}


def _unit_zh(unit: str) -> str:
    parts = re.split(r"(\s*/\s*)", unit)
    return "".join("/" if re.fullmatch(r"\s*/\s*", p) else UNITS_ZH.get(p.strip(), p)
                   for p in parts)


#: what stands for the number in :meth:`Formatters._gap`: the rule looks only at whether the
#: word before is a number, and what a number's gap is does not depend on which number
_A_NUMBER = "1"


@cache
def _babel_locale(lang: str) -> Locale:
    """Babel's locale of a report language, parsed once (``Locale.parse`` per formatted number
    took about a second of a 10 000-row build)."""
    return Locale.parse(BABEL_LOCALES[lang])


@cache
def _grouped_pattern(digits: int) -> NumberPattern:
    """``#,##0.00…`` with ``digits`` decimals, parsed once (babel parses a text pattern on
    every call, a good part of the time of a report's two thousand trail rows)."""
    return parse_pattern("#,##0" + ("." + "0" * digits if digits else ""))


@cache
def _western_digits(lang: str) -> bool:
    """Whether the locale groups with ",", marks decimals with "." and negatives with "-"
    (both report languages' do), so that Python's own formatting writes what babel does."""
    locale = _babel_locale(lang)
    return (get_group_symbol(locale=locale), get_decimal_symbol(locale=locale),
            get_minus_sign_symbol(locale=locale)) == (",", ".", "-")


# The factors and shares a report prints repeat (a trail of 2 000 rows holds a few dozen
# of each, and babel takes about 50 µs per factor): each is formatted once per language and
# exact value (``typed``: 1 and 1.0 apart; zero is never cached, as 0.0 and -0.0 are equal
# keys with different texts). Bounded for a long-lived process (the portal).
@lru_cache(maxsize=4096, typed=True)
def _cached_exact(lang: str, value: float | int) -> str:
    # results.json's 12 significant digits: a division's binary noise dropped, nothing else
    digits = max(0, 11 - math.floor(math.log10(abs(value))))
    return format_decimal(round(value, digits), format="#,##0." + "#" * max(digits, 1),
                          locale=_babel_locale(lang))


@lru_cache(maxsize=4096, typed=True)
def _cached_share(formatters: Formatters, value: float) -> Markup | str:
    return formatters._share_text(value)


@lru_cache(maxsize=256)
def currency_name(code: str | None, lang: str) -> str:
    """How the report names a currency, everywhere it prints one (amounts, notes, units):
    in English its ISO 4217 code (unambiguous, ``CNY``); in Chinese babel's Chinese name
    (``人民币``, ``美元``, ``肯尼亚先令``), the code for a currency babel has no name for."""
    if not code or lang != "zh":
        return code or ""
    from babel.numbers import get_currency_name

    return str(get_currency_name(code, locale=BABEL_LOCALES[lang]))


def shown_digits(value: float) -> int:
    """The decimals the report shows a quantity with, by its magnitude (the same in every
    language): none from 100 on, one from 1, three from 0.01, five below."""
    magnitude = abs(value)
    if magnitude == 0 or magnitude >= 100:
        return 0
    if magnitude >= 1:
        return 1
    return 3 if magnitude >= 0.01 else 5


def differs_as_shown(first: float | None, second: float | None) -> bool:
    """Whether two quantities read differently in the report: each rounded as it is shown
    (:func:`shown_digits`), or one of them not reported. A restatement that moves a figure
    by less than its last shown decimal restates nothing the reader sees (R marks a figure
    that changed, docs/ledger.md)."""
    if first is None or second is None:
        return (first is None) != (second is None)
    return round(first, shown_digits(first)) != round(second, shown_digits(second))


@dataclass(frozen=True)
class Formatters:
    """Formatting functions bound to one report language."""

    lang: str

    @property
    def locale(self) -> Locale:
        return _babel_locale(self.lang)

    def not_reported(self) -> Markup:
        """The marker printed in place of a null figure."""
        return Markup('<span class="nr">{}</span>').format(gettext("Not reported", self.lang))

    def number(self, value: float | int | None, digits: int | None = None) -> Markup | str:
        """A quantity with grouping; decimals chosen by magnitude unless ``digits`` is given."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return self.not_reported()
        if digits is None:
            digits = shown_digits(value)
        rounded = round(value, digits)
        if (isinstance(rounded, int | float) and not isinstance(rounded, bool)
                and abs(rounded) < 10 ** (12 - digits) and _western_digits(self.lang)):
            # The text babel writes (tests/test_number_format.py), a fifth of the time: a
            # 10 000-row report formats about 13 000 numbers. Rounded to ``digits`` and under
            # 10**(12 - digits), the float's shortest text has those decimals at most, which
            # babel prints (padded), and its exact binary value rounds to that same text.
            return f"{rounded:,.{digits}f}"
        return format_decimal(rounded, format=_grouped_pattern(digits), locale=self.locale)

    def compact(self, value: float, scale: float | None = None) -> str:
        """A short axis label ("2.5M", "250万") for chart ticks; ``scale`` is the axis maximum,
        so that every tick of one axis has the same form."""
        from babel.numbers import format_compact_decimal

        if abs(scale if scale is not None else value) < 10_000 or value == 0:
            return str(self.number(value, 0))
        return format_compact_decimal(value, format_type="short", locale=self.locale,
                                      fraction_digits=1)

    def integer(self, value: float | int | None) -> Markup | str:
        """A count."""
        return self.number(value, 0)

    def percent(self, value: float | None, digits: int = 1) -> Markup | str:
        """A percentage given in percent points (75.0 → "75.0 %")."""
        if value is None:
            return self.not_reported()
        sep = " " if self.lang == "en" else ""
        if 0 < abs(value) < 0.5 * 10 ** -digits:
            # a small share that is not nil: "0.0 %" would read as none at all
            smallest = format_decimal(10 ** -digits, format="0." + "0" * digits if digits
                                      else "0", locale=self.locale)
            return f"<{smallest}{sep}%" if value > 0 else f">-{smallest}{sep}%"
        return f"{self.number(value, digits)}{sep}%"

    def exact(self, value: float | int | None) -> Markup | str:
        """A conversion or factor as applied, to results.json's 12 significant digits
        without padding zeros (1.05505585262 → "1.05505585262", 0.032782 → "0.032782"). For
        the parts an auditor multiplies out (the fuel table's energy per unit, then a row's
        quantity): at four digits the parts ("1.055 GJ × 0.9") missed their product
        ("0.9496"), and 0.9496 GJ × the sample's 15,901,503 MMBtu missed the gas's energy
        by 788 GJ."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return self.not_reported()
        if value == 0:
            return "0"
        return _cached_exact(self.lang, value)

    #: a factor a calculation used (emission factor, grid factor, GWP, ODP, override) is
    #: printed as applied, :meth:`exact` itself (no call in between: the appendix prints two
    #: a row): an auditor multiplies what is printed, and 1.121 printed where 1.12118 was
    #: applied missed the row's tCO2e by 0.00018 t a MWh (1.26 t on a 7,000 MWh row)
    factor = exact

    def cite(self, text: str | None) -> Markup:
        """A publication's citation with each table or section number ("7.SM.7", "3.2.2",
        "1.4.1.2") kept on one line: a narrow Publication column broke "Table 7.SM." from its
        last "7" (Unicode allows a break between a full stop after a letter and a digit)."""
        # a supplied factor's citation: its fixed words translated, its supplier and
        # document as typed (no msgid holds them)
        from envreport.render.vocabulary import supplied_citation

        return self.cite_as_written(supplied_citation(text or "", self.lang)
                                    or self.label(text))

    @staticmethod
    def cite_as_written(text: str | None) -> Markup:
        """:meth:`cite` of the citation as results.json holds it, in no language's words (the
        English short citation a report in Chinese prints beside its own)."""
        escaped = str(escape(text))
        return Markup(_SECTION_NUMBER.sub(r'<span class="nobr">\g<0></span>', escaped))

    def share(self, value: float | None) -> Markup | str:
        """A consolidation share given as a fraction, as applied (0.7 → "70 %", 0.595 →
        "59.5 %": rounding 59.5 to "60 %" would not reconcile with the figures)."""
        if value is None:
            return self.not_reported()
        if value == 0 or value != value:  # -0.0 prints "-0 %": never one text with 0.0
            return self._share_text(value)
        return _cached_share(self, value)

    def _share_text(self, value: float) -> Markup | str:
        pct = value * 100
        digits = next((d for d in (0, 1) if abs(pct * 10**d - round(pct * 10**d)) < 1e-6), 2)
        return self.percent(pct, digits)

    def or_dash(self, value: object) -> object:
        """"—" for a field that does not apply (no fine, no capacity of a railway); the value
        itself otherwise. Only for fields that do not apply: missing data is "not reported"."""
        return "—" if value is None or value == "" else value

    def money(self, value: float | None, currency: str | None) -> Markup | str:
        """An amount with its currency as :func:`currency_name` names it: ``112,175 CNY``,
        ``112,175人民币`` (a Chinese name against its number, as any Chinese word is)."""
        if value is None:
            return self.not_reported()
        name = currency_name(currency, self.lang)
        return f"{self.number(value, 0)}{self._gap(name)}{name}".rstrip()

    def currency(self, code: str | None) -> str:
        """A currency named in text or a unit: :func:`currency_name` in this language."""
        return currency_name(code, self.lang)

    def date(self, value: str | dt.date | None) -> Markup | str:
        """An ISO date in the locale's long form."""
        if value in (None, ""):
            return self.not_reported()
        if isinstance(value, str):
            value = dt.date.fromisoformat(value[:10])
        from babel.dates import format_date

        return format_date(value, format="long", locale=self.locale)

    def period(self, start: str | dt.date | None, end: str | dt.date | None) -> Markup:
        """A period from ``start`` to ``end``, each a long date, as the language writes a
        range: "1 January 2024 – 31 December 2024", "2024年1月1日至2024年12月31日" (not the
        spaced dash of English between Chinese dates)."""
        template = Markup.escape(gettext("{start} – {end}", self.lang))
        return Markup(template).format(start=self.date(start), end=self.date(end))

    def country(self, iso: str | None) -> str:
        """A country's name in the report language from its ISO code ("PAK" → "Pakistan")."""
        if not iso:
            return gettext("Unknown", self.lang)
        alpha2 = _alpha2(iso)
        name = self.locale.territories.get(alpha2) if alpha2 else None
        return name or iso

    def text(self, value: object) -> Markup | str:
        """Free text from the workbook (escaped by the environment), or "Not reported"."""
        if value is None or value == "":
            return self.not_reported()
        return str(value)

    def unit(self, unit: str | None) -> str:
        """A unit symbol in the report language ("kg/TJ" → "千克/太焦" in Chinese)."""
        if not unit:
            return ""
        translated = gettext(unit, self.lang)
        if self.lang != "zh" or translated != unit:
            return translated
        return _unit_zh(unit)

    def _gap(self, word: str) -> str:
        """The space between a number and the word after it (a unit, a currency): none before
        Chinese in Chinese (``18.3太焦``, ``112,175人民币``: a number sits against the Chinese
        around it, docs/cli.md "Chinese text"), one before a Latin word as in English
        (``18.3 TJ``, and in Chinese a unit or code left Latin: ``1,500 ZZZ``): the one rule,
        :func:`envreport.i18n.gap`."""
        return gap(_A_NUMBER, word, self.lang)

    def unit_gap(self, unit: str | None) -> str:
        """The space a template puts between a number and ``unit`` set apart from it (the key
        figures' cards: the number, then the unit in smaller type)."""
        return self._gap(self.unit(unit)) if unit else ""

    def with_unit(self, number: Markup | str, unit: str | None) -> Markup | str:
        """A formatted number followed by its unit in the report language, spaced as the
        language writes them: ``18.3 TJ``, ``18.3太焦``, ``0.84千克/升``. A figure not reported
        is that alone: "Not reported", never "Not reported tCO2e" (未报告吨二氧化碳当量)."""
        shown = self.unit(unit)
        if not shown or (isinstance(number, Markup) and number == self.not_reported()):
            return number
        # Markup + str escapes the unit (a factor override's unit is the workbook's text)
        return number + self._gap(shown) + shown

    def unit_paren(self, unit: str | None) -> str:
        """A unit in brackets after a heading: " (tCO2e)", in Chinese "（吨二氧化碳当量）"."""
        shown = self.unit(unit)
        return f"（{shown}）" if self.lang == "zh" else f" ({shown})"

    def unit_heading(self, unit: str | None) -> Markup:
        """A unit in brackets after a table heading, kept on one line: a narrow column breaks
        the heading before the bracket, never inside the unit ("（吨二氧化碳当/量）")."""
        paren = self.unit_paren(unit)  # its brackets, and the space before them in English
        space = " " if paren.startswith(" ") else ""
        return Markup(space) + Markup('<span class="uh">{}</span>').format(paren.lstrip(" "))

    def and_list(self, items: list[str]) -> str:
        """Items joined the way the language lists them ("A, B and C"; "A、B和C"): the
        joining word is the report's, never the workbook's."""
        from babel.lists import format_list

        return format_list([str(item) for item in items], locale=self.locale) if items else ""

    def label(self, msgid: str | None) -> str:
        """Translate a label that the context built from a fixed vocabulary."""
        if msgid is None:
            return ""
        return gettext(msgid, self.lang)

    def inner_label(self, msgid: str | None) -> str:
        """A label set inside a phrase ("Scope 2 (location-based)"): in English lower-case,
        the labels being capitalised to stand alone in a cell; Chinese has no case."""
        text = self.label(msgid)
        return text.lower() if self.lang == "en" else text

    def filters(self) -> dict[str, object]:
        """The Jinja filters, by name."""
        return {
            "num": self.number,
            "int": self.integer,
            "pct": self.percent,
            "factor": self.factor,
            "cite": self.cite,
            "cite_as_written": self.cite_as_written,
            "exact": self.exact,
            "share": self.share,
            "money": self.money,
            "currency": self.currency,
            "date": self.date,
            "period": self.period,
            "country": self.country,
            "text": self.text,
            "label": self.label,
            "inner_label": self.inner_label,
            "and_list": self.and_list,
            "or_dash": self.or_dash,
            "unit": self.unit,
            "unit_paren": self.unit_paren,
            "unit_gap": self.unit_gap,
            "with_unit": self.with_unit,
            "unit_heading": self.unit_heading,
        }

