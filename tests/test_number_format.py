"""The report's numbers formatted by Python where that writes exactly what babel writes
(``Formatters.number``'s fast path), held to babel on awkward and random values."""

from __future__ import annotations

import numpy as np
import pytest
from babel.numbers import format_decimal
from hypothesis import given, settings
from hypothesis import strategies as st

from envreport.render.formatters import Formatters, _babel_locale, _grouped_pattern


def _babel(value: float, digits: int, lang: str) -> str:
    return format_decimal(round(value, digits), format=_grouped_pattern(digits),
                          locale=_babel_locale(lang))


AWKWARD = [0, 0.0, -0.0, 0.5, 1.5, 2.5, -0.5, 0.125, 2.675, 0.0049999, -0.3, 1e-7, -1e-7,
           99_999_999_999.99, 999_999_999_999.5, 1e12, 1e15, 1.2345678901234567e20,
           -123_456.5, 10**11, 7, np.float64(2.675), np.float64(-0.0), np.int64(7), True]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("digits", [None, 0, 1, 2, 3, 5])
def test_awkward_values_are_formatted_as_babel_formats_them(lang: str,
                                                            digits: int | None) -> None:
    fmt = Formatters(lang)
    for value in AWKWARD:
        shown = fmt.number(value, digits)
        used = digits if digits is not None else (
            0 if value == 0 or abs(value) >= 100 else 1 if abs(value) >= 1
            else 3 if abs(value) >= 0.01 else 5)
        assert shown == _babel(value, used, lang), (value, digits)


def test_the_examples_read_as_expected() -> None:
    fmt = Formatters("en")
    assert fmt.number(1234567.891) == "1,234,568"
    assert fmt.number(-1234.5678, 2) == "-1,234.57"
    assert fmt.number(0.0123456) == "0.012"
    assert fmt.number(-0.0) == "-0"  # babel's text too
    assert Formatters("zh").number(98765.4321, 1) == "98,765.4"


@settings(max_examples=1000, deadline=None)
@given(value=st.floats(allow_nan=False, allow_infinity=False, min_value=-1e16, max_value=1e16)
       | st.integers(min_value=-10**14, max_value=10**14),
       digits=st.integers(min_value=0, max_value=6), lang=st.sampled_from(["en", "zh"]))
def test_any_number_is_formatted_as_babel_formats_it(value: float, digits: int,
                                                     lang: str) -> None:
    assert Formatters(lang).number(value, digits) == _babel(value, digits, lang)


def test_factors_and_shares_formatted_once_per_value_print_what_they_printed() -> None:
    # factor and share are cached per language and exact value: the same texts however
    # often and in whatever order they are asked, 0.0 and -0.0 apart (equal as keys)
    en, zh = Formatters("en"), Formatters("zh")
    for _ in range(2):
        assert en.factor(74100.0) == "74,100"
        assert en.factor(1.12118) == "1.12118"  # as applied, not "1.121"
        assert en.factor(0.581000000000001) == zh.factor(0.581) == "0.581"
        assert en.factor(1923.5) == "1,923.5"  # R-410A's AR5 GWP, not "1,924"
        assert en.factor(np.float64(0.6)) == "0.6"
        assert en.factor(2) == "2"
        assert en.factor(-0.0) == "0"
        assert en.share(0.595) == "59.5 %"
        assert zh.share(0.595) == "59.5%"
        assert en.share(0.0) == "0 %"
        assert en.share(-0.0) == "-0 %"
        assert en.share(1) == "100 %"
    with pytest.raises(ValueError, match="NaN"):  # a bug upstream, cached or not
        en.share(float("nan"))


def test_a_conversion_prints_as_applied_to_twelve_significant_digits() -> None:
    """The net energy of a fuel unit and its parts: the binary noise of a division dropped
    (results.json's 12 significant digits), nothing else, so the parts multiply out."""
    en, zh = Formatters("en"), Formatters("zh")
    assert en.exact(0.949550400000001) == "0.9495504"
    assert en.exact(1.055056) == "1.055056"
    assert en.exact(0.032782) == "0.032782"
    assert en.exact(22.6) == zh.exact(22.6) == "22.6"
    assert en.exact(1234.5) == "1,234.5"
    assert en.exact(0.0) == "0"
