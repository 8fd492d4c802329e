"""Cover and front matter: the entity, period, status, contact, languages, assurance."""

from __future__ import annotations

import re
from typing import Any

from envreport.i18n import gettext
from envreport.render import vocabulary as v
from envreport.render.sections.common import FreeText
from envreport.results import Results


def report_languages(results: Results, lang: str, languages: list[str] | None) -> list[str]:
    """The languages of this build (an ``en,zh`` build names both on the cover of each): by
    default the workbook's ``report_languages``, else ``lang``; ``lang`` always among them."""
    chosen = list(languages or results.organization.report_languages or [lang])
    if lang not in chosen:
        chosen.insert(0, lang)
    return chosen


def meta(results: Results, lang: str, text: FreeText) -> dict[str, Any]:
    """The entity's name in the report language (and in the other), id and period.

    ``entity`` is the name as free text, for the cover and "About this report": in Chinese
    without ``organization_name_zh`` marked untranslated there (and counted once); the
    running header and the document's title print ``entity_name`` plain."""
    org = results.organization
    name = org.name or org.entity_id or ""
    display_name = org.name_zh if lang == "zh" and org.name_zh else name
    return {
        "entity": text.pick(org.name, org.name_zh) if org.name else None,
        "entity_name": display_name,
        "entity_name_other": name if display_name != name else org.name_zh,
        "entity_id": org.entity_id,
        "period_start": results.period.start,
        "period_end": results.period.end,
    }


def organization(results: Results) -> dict[str, Any]:
    """The organization's facts the "About this report" section prints."""
    org = results.organization
    return {
        "consolidation_label": v.label(v.CONSOLIDATION, org.consolidation_approach),
        "currency": org.reporting_currency,
        "base_year": org.base_year,
        "revenue": org.revenue,
        "employees": org.employees,
    }


#: what separates several standards in ``assurance_standard`` ("ISAE 3000; ISAE 3410"); not
#: commas, which a standard's full title may hold
_STANDARD_SEPARATORS = re.compile(r"\s*[;；、]\s*")


#: the space between a standard's series and its number ("ISAE 3410", "ISO 14064-3")
_SERIES_NUMBER = re.compile(r"(?<=[A-Za-z]) (?=\d)")


def _standard_key(name: str) -> str:
    """A standard's name without case, spaces or brackets of either width."""
    return re.sub(r"[\s()（）]+", "", name).upper()


#: the standards the report names in the reader's language, by :func:`_standard_key`
_KNOWN_STANDARDS = {_standard_key(name): name for name in v.ASSURANCE_STANDARDS}


def assurance_standards(text: str | None, lang: str) -> list[str]:
    """The standards named in ``assurance_standard``, in order, a known one by its name in
    ``lang`` ("ISAE 3000 (Revised)", "《国际鉴证业务准则第3000号（修订版）》"); the report
    lists them in its own language ("… and ISAE 3410", "…和《国际鉴证业务准则第3410号》")."""
    parts = [part for part in _STANDARD_SEPARATORS.split(text or "") if part]
    named = [gettext(known, lang) if (known := _KNOWN_STANDARDS.get(_standard_key(part)))
             else part for part in parts]
    # a series and its number are one name: never "ISAE" at the end of a line, "3410" next
    return [_SERIES_NUMBER.sub("\u00a0", name) for name in named]


def front_matter(results: Results, languages: list[str], lang: str, text: FreeText
                 ) -> dict[str, Any]:
    """Cover and front matter: status, publication date, contact, languages, assurance.

    A report whose workbook does not say ``final`` is a draft, and says so on every page.
    The contact and the assurance provider are free text (``contact``, ``provider``: in
    Chinese their ``_zh``, else the original marked untranslated, counted once each however
    often the report prints them); ``contact_name`` and ``assurance_provider`` stay as
    written, for user templates.
    """
    org = results.organization
    status = str(org.report_status or "draft").lower()
    level = str(org.assurance_level or "none").lower()
    return {
        "status": status,
        "status_label": v.label(v.REPORT_STATUSES, status),
        "draft": status != "final",
        "publication_date": org.publication_date,
        "contact_name": org.contact_name,
        "contact": text.pick(org.contact_name, org.contact_name_zh),
        "contact_email": org.contact_email,
        "languages": [v.label(v.LANGUAGES, code) for code in languages],
        "assured": level != "none",
        "assurance_label": v.label(v.ASSURANCE_LEVELS, level),
        "assurance_provider": org.assurance_provider,
        "provider": text.pick(org.assurance_provider, org.assurance_provider_zh),
        "assurance_standard": org.assurance_standard,  # as written (for user templates)
        "assurance_standards": assurance_standards(org.assurance_standard, lang),
    }
