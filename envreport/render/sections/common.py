"""Helpers every section uses: labelled rows, free text in the report language, citations."""

from __future__ import annotations

import re
from typing import Any

from envreport.factors import load_library
from envreport.render import vocabulary as v
from envreport.render.formatters import currency_name

# the sections name sheets from here; defined with the vocabulary (a supplied citation names one)
from envreport.render.vocabulary import sheet_title as sheet_title


def labelled_rows(items: dict[str, float] | None, labels: dict[str, str]
                  ) -> list[dict[str, Any]] | None:
    """A ``{code: value}`` mapping as labelled rows with each row's share of the total."""
    if items is None:
        return None
    total = sum(x for x in items.values() if x is not None)
    return [
        {
            "code": code,
            "label": v.label(labels, code),
            "value": value,
            "share_pct": (value / total * 100) if total and value is not None else None,
        }
        for code, value in items.items()
    ]


def split_rows(split: dict[str, float] | None, labels: dict[str, str]
               ) -> list[dict[str, Any]] | None:
    """A split that adds up to its total (``unspecified`` only when some rows left it
    blank), as labelled rows."""
    if not split:
        return None
    return [row for row in labelled_rows(split, labels) or []
            if row["code"] != "unspecified" or row["value"]]


class FreeText:
    """Workbook free text in the report language, counting what is not translated.

    The Chinese report prints ``X_zh`` beside a free-text field ``X``; where the workbook
    gives none it prints ``X`` marked as untranslated, and the data-quality section says how
    many such texts there are.
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.untranslated = 0

    def __call__(self, item: Any, key: str) -> dict[str, Any] | None:
        """``{"text", "untranslated"}`` for the field ``key`` of the model ``item``."""
        return self.pick(getattr(item, key, None), getattr(item, f"{key}_zh", None))

    def pick(self, original: str | None, chinese: str | None) -> dict[str, Any] | None:
        """``{"text", "untranslated"}`` for a text and its Chinese version, or ``None``
        when both are empty."""
        if self.lang == "zh" and chinese:
            return {"text": chinese, "untranslated": False}
        if original in (None, ""):
            return None
        # a text with no letter of any language (an id, a number) needs no translation
        untranslated = self.lang == "zh" and bool(re.search(r"[A-Za-z]{2}", str(original)))
        self.untranslated += untranslated
        return {"text": str(original), "untranslated": untranslated}


def citation(text: str | None, lang: str) -> str:
    """A publication's citation (short or full) in the report language."""
    if not text:
        return ""
    if lang != "zh":
        return text
    return v.supplied_citation(text, lang) or load_library().chinese.get(text, text)


def per_revenue(unit: str, currency: str | None, lang: str) -> str:
    """A unit per million of revenue in the reader's language ("tCO2e / CNY m",
    "tCO2e/百万人民币")."""
    if lang == "zh":
        return f"{unit}/百万{currency_name(currency, lang)}"
    return f"{unit} / {currency} m" if currency else f"{unit} / m"


def total(*values: float | None) -> float | None:
    """The sum of the values given, ``None`` when none is."""
    present = [x for x in values if x is not None]
    return sum(present) if present else None


def figure(label: str, value: float | None, unit: str, digits: int | None = None,
           key: str | None = None) -> dict[str, Any]:
    """One key figure; ``key`` is its results key path, the id it is compared under."""
    return {"label": label, "value": value, "unit": unit, "digits": digits, "key": key}

