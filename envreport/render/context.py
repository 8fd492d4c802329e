"""Results dict → report context: plain, JSON-able data shaped for the templates.

All the report's decisions live here (what is "not reported", which GRI disclosure points
where, how the calculation trail is aggregated for print), so that the templates only loop
and test. Missing optional keys of the results contract become ``None`` here, never in a
template (the environment's ``StrictUndefined`` would stop the render).
"""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from typing import Any

from envreport.codes import PROTECTED_AREA_KM
from envreport.factors import load_library
from envreport.factors.resolve import RESIDUAL_MIX_FALLBACK_NOTE
from envreport.render import vocabulary as v
from envreport.render.formatters import Formatters
from envreport.render.gri import STANDARDS, SUCCESSORS, gri_index
from envreport.render.vocabulary import N_

#: the HTML shows the row-level calculation trail up to this many rows (the PDF never shows
#: it: it carries the aggregated appendix and the complete trail as an attached CSV)
HTML_TRAIL_ROW_LIMIT = 2000
#: validation findings listed in the data-quality section (all are in the attached JSON)
FINDINGS_LIST_LIMIT = 50

OK_STATES = ("valid", "valid_with_warnings")


def dig(data: Any, *path: str) -> Any:
    """``data[path[0]][path[1]]...`` or ``None`` when any step is missing or null."""
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _rows(items: dict[str, float] | None, labels: dict[str, str]) -> list[dict[str, Any]] | None:
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


class FreeText:
    """Workbook free text in the report language, counting what is not translated.

    The Chinese report prints ``X_zh`` beside a free-text column ``X``; where the workbook
    gives none it prints ``X`` marked as untranslated, and the data-quality section says how
    many such texts there are (spec/workbook.md, version 2).
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.untranslated = 0

    def __call__(self, item: dict[str, Any] | None, key: str) -> dict[str, Any] | None:
        """``{"text", "untranslated"}`` for ``item[key]``, or ``None`` when it is empty."""
        item = item or {}
        original = item.get(key)
        if self.lang == "zh" and item.get(f"{key}_zh"):
            return {"text": item[f"{key}_zh"], "untranslated": False}
        if original in (None, ""):
            return None
        # a text with no letter of any language (an id, a number) needs no translation
        untranslated = self.lang == "zh" and bool(re.search(r"[A-Za-z]{2}", str(original)))
        self.untranslated += untranslated
        return {"text": str(original), "untranslated": untranslated}


#: Narrative topics (spec/workbook.md, version 2) in the order the report shows them
NARRATIVE_TOPICS = ("governance", "strategy", "risk_management", "targets", "consolidation",
                    "base_year_policy", "coal_policy", "biodiversity", "water", "assurance",
                    "other")


def _narrative(results: dict[str, Any], text: FreeText) -> dict[str, list[dict[str, Any]]]:
    """The enterprise's own words by topic, in workbook order."""
    by_topic: dict[str, list[dict[str, Any]]] = {t: [] for t in NARRATIVE_TOPICS}
    given = results.get("narrative") or {}
    # results carry {topic: [{"text", "text_zh", "row"}]}; a flat list of rows with a
    # "topic" each reads the same
    items = ([dict(item, topic=topic) for topic, rows in given.items() for item in rows or []]
             if isinstance(given, dict) else list(given))
    for item in items:
        topic = str(item.get("topic") or "other")
        shown = text(item, "text")
        if shown is not None:
            by_topic.setdefault(topic, []).append(shown)
    return by_topic


def _ods(results: dict[str, Any], lang: str) -> dict[str, Any] | None:
    """Ozone-depleting substances released (GRI 305-6), in tonnes of CFC-11 equivalent."""
    ods = results.get("ods")
    if ods is None:
        return None
    return {
        "cfc11_eq_t": ods.get("cfc11_eq_t"),
        "by_gas": [{"gas": g.get("gas"), "released_kg": g.get("released_kg"),
                    "odp": g.get("odp"), "cfc11_eq_t": g.get("cfc11_eq_t"),
                    "citation": _citation(g.get("source"), lang)}
                   for g in ods.get("by_gas") or []],
    }


def _waste_by_location(waste: dict[str, Any]) -> list[dict[str, Any]] | None:
    """Diverted (GRI 306-4) and disposed (306-5) waste, on site and off site, each with its
    hazardous part; "location not stated" only where rows left it blank."""
    keys = {"diverted": "diverted_by_location_t", "diverted_hazardous":
            "hazardous_diverted_by_location_t", "disposed": "disposed_by_location_t",
            "disposed_hazardous": "hazardous_disposed_by_location_t"}
    splits = {name: waste.get(key) or {} for name, key in keys.items()}
    if waste.get("diverted_by_location_t") is None:
        return None
    rows = []
    for where in v.WASTE_LOCATIONS:
        row = {name: split.get(where) for name, split in splits.items()}
        if where == "unspecified" and not any(row.values()):
            continue
        rows.append({"label": v.label(v.WASTE_LOCATIONS, where), **row})
    return rows


def _split_rows(split: dict[str, float] | None, labels: dict[str, str]
                ) -> list[dict[str, Any]] | None:
    """A split that adds up to its total (``unspecified`` only when some rows left it
    blank), as labelled rows."""
    if not split:
        return None
    return [row for row in _rows(split, labels) or []
            if row["code"] != "unspecified" or row["value"]]


def _incidents(compliance: dict[str, Any], currency: str | None, text: FreeText
               ) -> list[dict[str, Any]]:
    """Incidents in results order, each with the penalty and follow-up rows that belong to it
    (``counted`` false: spec/results.md, version 2) and its corrective action."""
    incidents: list[dict[str, Any]] = []
    by_row: dict[Any, dict[str, Any]] = {}
    for i in compliance.get("incident_list") or []:
        row = {
            "project_id": i.get("project_id"), "date": i.get("date"),
            "incident_id": i.get("incident_id"),
            "type_label": v.label(v.INCIDENT_TYPES, i.get("type")),
            "severity_label": v.label(v.SEVERITIES, i.get("severity")),
            "description": text(i, "description"),
            "corrective_action": text(i, "corrective_action"),
            "fine": i.get("fine_amount"), "currency": i.get("currency") or currency,
            "status_label": v.label(v.OPEN_CLOSED, i.get("status")),
            "related": [],
        }
        parent = by_row.get(i.get("incident_row"))
        if i.get("counted", True) is False and parent is not None:
            parent["related"].append(row)
        else:
            incidents.append(row)
            by_row[i.get("row")] = row
    return incidents


def _pollutant_rows(pollutants: dict[str, float] | None, water: bool
                    ) -> list[dict[str, Any]] | None:
    """The air (``water=False``) or water pollutants of ``pollutants_t``, labelled."""
    if pollutants is None:
        return None
    rows = [{"code": code, "label": v.label(v.POLLUTANTS, code), "value": value}
            for code, value in pollutants.items()
            if (re.sub(r"[\s_\-]+", "", code).upper() in v.WATER_POLLUTANTS) == water]
    return rows or None


def _sheet_title(sheet: str, lang: str) -> str:
    """A workbook sheet as the reader's template names it: in Chinese its Chinese title."""
    from envreport.schema import SHEETS_BY_NAME

    spec = SHEETS_BY_NAME.get(sheet)
    return spec.title_zh if lang == "zh" and spec is not None else sheet


def _per_revenue(unit: str, currency: str | None, lang: str) -> str:
    """A unit per million of revenue in the reader's language ("tCO2e / CNY m",
    "tCO2e/百万人民币")."""
    if lang == "zh":
        from babel.numbers import get_currency_name

        name = get_currency_name(currency, locale="zh_Hans_CN") if currency else ""
        return f"{unit}/百万{name}"
    return f"{unit} / {currency} m" if currency else f"{unit} / m"


def _sum(*values: float | None) -> float | None:
    present = [x for x in values if x is not None]
    return sum(present) if present else None


def _figure(label: str, value: float | None, unit: str, digits: int | None = None) -> dict:
    return {"label": label, "value": value, "unit": unit, "digits": digits}


def _section(sid: str, title: str, present: bool = True) -> dict[str, Any]:
    return {"id": sid, "title": title, "present": present}


def _project_rows(results: dict[str, Any], text: FreeText) -> list[dict[str, Any]]:
    fields = (
        "project_id", "project_name", "project_name_zh", "host_country", "sector",
        "project_type", "status", "consolidation_share", "installed_capacity_mw",
        "construction_start", "operation_start", "eia_status", "eia_approval_date",
        "environmental_standard", "protected_area_distance_km", "water_stressed",
        "scope1_tco2e", "scope2_location_tco2e", "scope2_market_tco2e", "energy_gj",
        "generation_mwh", "water_withdrawal_m3",
    )
    flags: dict[str, list[str]] = defaultdict(list)
    for flag in results.get("policy_flags") or []:
        flags[flag.get("project_id")].append(flag.get("code"))
    rows = []
    for project in results.get("by_project") or []:
        row = {name: project.get(name) for name in fields}
        share = row["consolidation_share"]
        row["in_boundary"] = project.get("in_boundary", share is None or share > 0)
        row["type_label"] = v.label(v.PROJECT_TYPES, row["project_type"])
        row["status_label"] = v.label(v.STATUSES, row["status"])
        row["eia_label"] = v.label(v.EIA, row["eia_status"])
        row["standard_label"] = v.label(v.STANDARDS, row["environmental_standard"])
        row["flags"] = [v.label(v.POLICY_FLAGS, code) for code in flags.get(row["project_id"], [])]
        row["near_protected_area"] = (
            row["protected_area_distance_km"] is not None
            and row["protected_area_distance_km"] < PROTECTED_AREA_KM
        )
        start, approval = row["construction_start"], row["eia_approval_date"]
        if "eia_status" not in project:
            # the results do not carry the project's EIA data: say so, do not guess
            row["eia_before_construction"] = None
        elif row["eia_status"] == "not_required":
            row["eia_before_construction"] = N_("Not required")
        elif start is None:
            row["eia_before_construction"] = N_("Construction not started")
        elif approval is None:
            row["eia_before_construction"] = N_("No")
        else:
            row["eia_before_construction"] = N_("Yes") if approval <= start else N_("No")
        row["name"] = text(project, "project_name")
        row["coal_power"] = row["project_type"] == "coal_power"
        row["capacity_applies"] = row["project_type"] in v.POWER_PROJECT_TYPES
        row["protected_area_flag"] = "protected-area" in flags.get(row["project_id"], [])
        row["new_coal"] = "new-coal-power" in flags.get(row["project_id"], [])
        rows.append(row)
    return rows


def _aggregate_calculations(calcs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Project × scope × source × method × fuel/gas totals: as long as the factor set, not the
    input (spec/methods.md, "The PDF at any input size")."""
    groups: dict[tuple, dict[str, Any]] = {}
    for calc in calcs:
        fuel = calc.get("fuel")
        key = (
            str(calc.get("project_id") or ""), str(calc.get("scope") or ""),
            str(calc.get("category") or ""), str(calc.get("method") or ""),
            str(fuel or ""), str(calc.get("gas") or ""), str(calc.get("activity_unit") or ""),
        )
        group = groups.get(key)
        if group is None:
            group = groups[key] = {
                "project_id": key[0],
                "scope_label": v.label(v.SCOPES, calc.get("scope")),
                "source_label": v.label(v.SOURCES, calc.get("category")),
                "method_label": v.label(v.METHODS, calc.get("method") or ""),
                "fuel_label": v.label(v.FUELS, fuel) if fuel else "",
                "gas": calc.get("gas") or "",
                "activity_unit": calc.get("activity_unit") or "",
                "rows": 0, "activity": 0.0, "gas_t": 0.0, "tco2e": 0.0,
            }
        group["rows"] += 1
        group["activity"] += calc.get("activity") or 0.0
        group["gas_t"] += (calc.get("gas_t") or 0.0) * (calc.get("share") or 0.0)
        group["tco2e"] += calc.get("tco2e") or 0.0
    return [groups[key] for key in sorted(groups)]


def _citation(text: str | None, lang: str) -> str:
    """A publication's citation (short or full) in the report language."""
    if not text:
        return ""
    return load_library().chinese.get(text, text) if lang == "zh" else text


def _factors_used(calcs: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Every fuel, gas and refrigerant factor the trail used, once, with the use it applies
    to (which table's CH4 and N2O: diesel on the road and in a boiler differ)."""
    applies_to = load_library().applies_to
    seen: dict[tuple, dict[str, Any]] = {}
    for calc in calcs:
        if calc.get("scope") == "2":
            continue  # grid factors have their own table
        key = (
            str(calc.get("category") or ""), str(calc.get("fuel") or ""),
            str(calc.get("gas") or ""),
            repr(calc.get("factor")), str(calc.get("factor_unit") or ""),
            str(calc.get("factor_source") or ""), repr(calc.get("gwp")),
        )
        if key not in seen:
            source = calc.get("factor_source") or ""
            use = applies_to.get(source)
            seen[key] = {
                "source_label": v.label(v.SOURCES, calc.get("category")),
                "fuel_label": v.label(v.FUELS, calc.get("fuel")) if calc.get("fuel") else "",
                "gas": calc.get("gas") or "",
                "factor": calc.get("factor"),
                "factor_unit": calc.get("factor_unit") or "",
                "gwp": calc.get("gwp"),
                "applies_to": (use[1] if lang == "zh" else use[0]) if use else "",
                "citation": _citation(source, lang),
            }
    return [seen[key] for key in sorted(seen)]


#: a grid factor's basis, by the words its publication's use names
LIFECYCLE, COMBUSTION = "lifecycle", "combustion"


def _grid_factors(results: dict[str, Any], lang: str) -> dict[str, Any]:
    """The grid factors behind Scope 2 (location-based): country, data year, basis and
    publication of each, and the share of Scope 2 on each basis when they mix."""
    lib = load_library()
    hosts = {p.get("project_id"): p.get("host_country") for p in results.get("by_project") or []}
    rows: dict[tuple, dict[str, Any]] = {}
    tco2e_by_basis: dict[str, float] = defaultdict(float)
    for calc in results.get("calculations") or []:
        if calc.get("scope") != "2" or calc.get("method") != "location":
            continue
        source = calc.get("factor_source") or ""
        country = hosts.get(calc.get("project_id"))
        use = lib.applies_to.get(source)
        basis = None if use is None else (LIFECYCLE if "lifecycle" in use[0] else COMBUSTION)
        if basis is not None:
            tco2e_by_basis[basis] += calc.get("tco2e") or 0.0
        key = (str(country), source, repr(calc.get("factor")))
        if key in rows:
            continue
        full = (results.get("factor_sources") or {}).get(source)
        year = None
        if full is not None:
            match = lib.grid[(lib.grid["country_iso3"] == country)
                             & (lib.grid["factor_source"] == full)
                             & ((lib.grid["kg_co2e_per_kwh"] - (calc.get("factor") or 0)).abs()
                                < 1e-9)]
            year = int(match["year"].iloc[0]) if not match.empty else None
        rows[key] = {
            "country": country, "year": year, "factor": calc.get("factor"),
            "factor_unit": calc.get("factor_unit") or "",
            "basis": (use[1] if lang == "zh" else use[0]) if use else None,
            # a factor from the submission (Factors sheet) cites the enterprise's own source
            "citation": _citation(source, lang) if use else source,
        }
    total = sum(tco2e_by_basis.values())
    mixed = total > 0 and all(tco2e_by_basis.get(b, 0) > 0 for b in (LIFECYCLE, COMBUSTION))
    return {
        "rows": [rows[k] for k in sorted(rows, key=lambda k: (k[0], k[1]))],
        "lifecycle_pct": tco2e_by_basis[LIFECYCLE] / total * 100 if mixed else None,
        "combustion_pct": tco2e_by_basis[COMBUSTION] / total * 100 if mixed else None,
    }


def _mee_mapping(present: dict[str, bool]) -> list[dict[str, Any]]:
    def row(number: str, title: str, sections: list[str], note: str | None = None) -> dict:
        covered = [s for s in sections if present.get(s)]
        return {"number": number, "title": title, "sections": covered, "note": note}

    return [
        row("—", N_("Summary of key environmental information"), ["key-figures"]),
        row("1", N_("Basic information"), ["about", "annex-projects"]),
        row("2", N_("Environmental management information"), ["compliance", "policy"],
            N_("Permits, environmental protection tax, pollution liability insurance and "
               "credit rating are not covered by this report.")),
        row("3", N_("Pollutant generation, treatment and discharge"),
            ["pollutants", "waste", "water"]),
        row("4", N_("Carbon emissions"), ["ghg", "energy", "mitigation"]),
        row("5", N_("Ecological and environmental emergency information"), []),
        row("6", N_("Ecological and environmental violations"), ["compliance"]),
        row("7", N_("Temporary disclosures made during the year"), []),
        row("8", N_("Other environmental information"),
            ["biodiversity", "green-finance", "policy"]),
    ]


#: the figures of the group's reconciliation tables, in their column order
GROUP_FIGURES = ("scope1_tco2e", "scope2_location_tco2e", "scope2_market_tco2e", "energy_gj")


def _group(results: dict[str, Any], text: FreeText) -> dict[str, Any] | None:
    """Entities and submissions of a group report.

    ``by_entity`` holds each entity's figures as consolidated (after its share); the report
    shows them beside the entity's own figures (before the share), so that a reader can
    reconcile both with the group total: the consolidated column sums to it.
    """
    by_entity, inputs = results.get("by_entity"), results.get("inputs")
    if by_entity is None and inputs is None:
        return None
    entities = []
    for e in by_entity or []:
        share = e.get("share")
        consolidated = {k: e.get(k) for k in GROUP_FIGURES}
        own = {k: (x / share if x is not None and share else None)
               for k, x in consolidated.items()}
        entities.append({
            "entity_id": e.get("entity_id"),
            "name": text({"name": e.get("name") or e.get("entity_name"),
                          "name_zh": e.get("name_zh")}, "name"),
            "share": share,
            "controlled": e.get("controlled"),
            "own": own,
            "consolidated": consolidated,
            # kept for templates that read the consolidated figures directly
            **consolidated,
        })
    totals = {k: _sum(*(e["consolidated"][k] for e in entities)) for k in GROUP_FIGURES}
    submissions = [
        {
            "entity_id": i.get("entity_id"),
            "file_name": i.get("file_name"),
            "sha256": i.get("sha256"),
            "state": i.get("state"),
            "state_label": v.label(v.INPUT_STATES, i.get("state")),
            "included": i.get("state") in OK_STATES,
        }
        for i in inputs or []
    ]
    return {
        "entities": entities,
        "totals": totals,
        "inputs": submissions,
        "included": [s for s in submissions if s["included"]],
        "not_included": [s for s in submissions if not s["included"]],
    }


def _statements(r: dict[str, Any], org: dict[str, Any], projects: list[dict[str, Any]],
                narrative: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """What the reader must be told besides the figures: boundary and exclusions, base year
    and its recalculation policy, the basis of targets, the position on coal power, assurance."""
    base_year = r.get("base_year") or {}
    threshold = base_year.get("threshold_pct", org.get("recalculation_threshold_pct"))
    return {
        "consolidation_label": v.label(v.CONSOLIDATION, org.get("consolidation_approach")),
        "excluded": [p for p in projects if not p["in_boundary"]],
        "base_year": org.get("base_year") or base_year.get("year"),
        "threshold_pct": 5.0 if threshold is None else threshold,
        "recalculated": bool(base_year.get("recalculated")),
        "target_bases": sorted({v.label(v.TARGET_METRICS, t.get("metric"))
                                for t in r.get("targets") or []}),
        "coal_projects": [p for p in projects if p["coal_power"]],
        "coal_text": narrative.get("coal_policy") or [],
    }


def _ghg_section(ghg: dict[str, Any] | None, calcs: list[dict[str, Any]], currency: str | None,
                 lang: str) -> dict[str, Any] | None:
    """Scope 1 and 2 (both methods), their parts and intensities (GRI 305-1, 2, 4)."""
    if ghg is None:
        return None
    s1, s2l, s2m = (dig(ghg, k) for k in ("scope1_tco2e", "scope2_location_tco2e",
                                          "scope2_market_tco2e"))
    market_fallbacks = sum(
        1 for c in calcs
        if c.get("method") == "market" and c.get("method_note") == RESIDUAL_MIX_FALLBACK_NOTE
    )
    return {
        "scope1": s1,
        "scope2_location": s2l,
        "scope2_market": s2m,
        "total_location": _sum(s1, s2l),
        "total_market": _sum(s1, s2m),
        "biogenic": ghg.get("biogenic_co2_t"),
        "other_gases": ghg.get("other_gases_tco2e"),
        "by_source": _rows(ghg.get("scope1_by_source_tco2e"), v.SOURCES),
        "by_gas": _rows(ghg.get("scope1_by_gas_t"), {}),
        "intensity": [
            {"label": N_("Scope 1 + 2 (location-based) per million of revenue"),
             "value": dig(ghg, "intensity", "tco2e_per_million_revenue"),
             "unit": _per_revenue("tCO2e", currency, lang)},
            {"label": N_("Scope 1 + 2 (location-based) per employee"),
             "value": dig(ghg, "intensity", "tco2e_per_employee"),
             "unit": N_("tCO2e / employee")},
            {"label": N_("Scope 1 of generating projects per MWh generated"),
             "value": dig(ghg, "intensity", "tco2e_per_mwh_generated"), "unit": "tCO2e / MWh"},
        ],
        "market_fallbacks": market_fallbacks,
    }


def _energy_section(energy: dict[str, Any] | None, currency: str | None, lang: str
                    ) -> dict[str, Any] | None:
    """Energy per GRI 302-1 (each term its own line) and its intensity (302-3)."""
    if energy is None:
        return None
    return {
        "total": energy.get("total_consumption_gj"),
        "fuel": energy.get("fuel_gj"),
        "purchased": energy.get("purchased_gj"),
        "renewable": energy.get("renewable_gj"),
        "non_renewable": energy.get("non_renewable_gj"),
        "by_fuel": _rows(energy.get("by_fuel_gj"), v.FUELS),
        "self_generated": energy.get("self_generated_renewable_gj"),
        "sold": energy.get("sold_gj"),
        "renewable_fuel": energy.get("renewable_fuel_gj"),
        "non_renewable_fuel": energy.get("non_renewable_fuel_gj"),
        "purchased_renewable": energy.get("purchased_renewable_gj"),
        "renewable_share": energy.get("renewable_share_pct"),
        "intensity": [
            {"label": N_("Energy consumption per million of revenue"),
             "value": dig(energy, "intensity", "gj_per_million_revenue"),
             "unit": _per_revenue("GJ", currency, lang)},
            {"label": N_("Energy consumption per employee"),
             "value": dig(energy, "intensity", "gj_per_employee"),
             "unit": N_("GJ / employee")},
        ] if isinstance(energy.get("intensity"), dict) else None,
    }


def _mitigation_section(mitigation: dict[str, Any] | None, lang: str, text: FreeText
                        ) -> dict[str, Any] | None:
    """Renewable generation, avoided emissions with the IFI sensitivity, actions."""
    if mitigation is None:
        return None
    return {
        "generation": mitigation.get("renewable_generation_mwh"),
        "avoided": mitigation.get("avoided_tco2e"),
        "actions_reduction": mitigation.get("actions_reduction_tco2e"),
        "avoided_ifi": mitigation.get("avoided_tco2e_ifi_combined_margin"),
        "avoided_factors": [
            {"country": f.get("country"), "factor": f.get("factor_kg_per_kwh"),
             "citation": _citation(f.get("factor_source"), lang),
             "ifi_factor": f.get("sensitivity_factor_kg_per_kwh"),
             "ifi_citation": _citation(f.get("sensitivity_source"), lang)}
            for f in mitigation.get("avoided_factors") or []
        ],
        "actions": None if mitigation.get("actions") is None else [
            {"project_id": a.get("project_id"), "action": text(a, "action"),
             "category_label": v.label(v.ACTION_CATEGORIES, a.get("category")),
             "status_label": v.label(v.ACTION_STATUSES, a.get("status")),
             "reduction": a.get("annual_reduction_tco2e"),
             "reduction_applies": a.get("category") in v.GHG_ACTION_CATEGORIES,
             "investment": a.get("investment"), "currency": a.get("currency"),
             "completion_date": a.get("completion_date")}
            for a in mitigation["actions"]
        ],
    }


def _water_section(water: dict[str, Any] | None) -> dict[str, Any] | None:
    """Water withdrawal, discharge and consumption with their splits (GRI 303-3/4/5)."""
    if water is None:
        return None
    return {
        "withdrawal": water.get("withdrawal_m3"),
        "discharge": water.get("discharge_m3"),
        "consumption": water.get("consumption_m3"),
        "stressed": water.get("withdrawal_stressed_m3"),
        "by_source": _rows(water.get("withdrawal_by_source_m3"), v.WATER),
        "by_destination": _rows(water.get("discharge_by_destination_m3"), v.WATER),
        "withdrawal_by_quality": _split_rows(water.get("withdrawal_by_quality_m3"),
                                             v.WATER_QUALITIES),
        "discharge_by_quality": _split_rows(water.get("discharge_by_quality_m3"),
                                            v.WATER_QUALITIES),
        "stressed_by_source": _rows(water.get("withdrawal_stressed_by_source_m3"), v.WATER)
        if water.get("withdrawal_stressed_by_source_m3") else None,
    }


def _waste_section(waste: dict[str, Any] | None) -> dict[str, Any] | None:
    """Waste generated, diverted and disposed (GRI 306-3/4/5)."""
    if waste is None:
        return None
    return {
        "total": waste.get("total_t"),
        "hazardous": waste.get("hazardous_t"),
        "non_hazardous": (waste["total_t"] - waste["hazardous_t"])
        if waste.get("total_t") is not None and waste.get("hazardous_t") is not None else None,
        "diverted": waste.get("diverted_t"),
        "disposed": waste.get("disposed_t"),
        "by_disposal": _rows(waste.get("by_disposal_t"), v.DISPOSAL),
        "by_location": _waste_by_location(waste),
    }


def _compliance_section(compliance: dict[str, Any] | None, currency: str | None,
                        text: FreeText) -> dict[str, Any] | None:
    """Incidents counted once, fines in full, EIA coverage (GRI 2-27)."""
    if compliance is None:
        return None
    return {
        "incidents": compliance.get("incidents"),
        "major": compliance.get("major_incidents"),
        "fines": compliance.get("fines"),
        "eia_coverage": compliance.get("eia_coverage_pct"),
        "list": _incidents(compliance, currency, text),
    }

def _front_matter(org: dict[str, Any], languages: list[str]) -> dict[str, Any]:
    """Cover and front matter: status, publication date, contact, languages, assurance.

    A report whose workbook does not say ``final`` is a draft (spec/workbook.md, version 2),
    and says so on every page.
    """
    status = str(org.get("report_status") or "draft").lower()
    level = str(org.get("assurance_level") or "none").lower()
    return {
        "status": status,
        "status_label": v.label(v.REPORT_STATUSES, status),
        "draft": status != "final",
        "publication_date": org.get("publication_date"),
        "contact_name": org.get("contact_name"),
        "contact_email": org.get("contact_email"),
        "languages": [v.label(v.LANGUAGES, code) for code in languages],
        "assured": level != "none",
        "assurance_label": v.label(v.ASSURANCE_LEVELS, level),
        "assurance_provider": org.get("assurance_provider"),
        "assurance_standard": org.get("assurance_standard"),
    }


def build_context(
    results: dict[str, Any], lang: str, validation: dict[str, Any] | None = None,
    languages: list[str] | None = None,
) -> dict[str, Any]:
    """Everything the templates print, from a results dict (spec/results.md).

    ``languages`` are the languages of this build (an ``en,zh`` build names both on the
    cover of each); by default the workbook's ``report_languages``, else ``lang``.
    """
    r = results
    org = r.get("organization") or {}
    currency = org.get("reporting_currency")
    calcs = r.get("calculations") or []
    text = FreeText(lang)
    projects = _project_rows(r, text)
    ghg, energy, water, waste = r.get("ghg"), r.get("energy"), r.get("water"), r.get("waste")
    mitigation, compliance = r.get("mitigation"), r.get("compliance")
    green_finance, pollutants = r.get("green_finance"), r.get("pollutants_t")
    # results split pollutants by medium (air_pollutants_t, water.discharge_pollutants_t);
    # older results carry only pollutants_t, split here by the same lists
    air_rows = (_pollutant_rows(pollutants, water=False) if "air_pollutants_t" not in r else
                [{"code": c, "label": v.label(v.POLLUTANTS, c), "value": x}
                 for c, x in (r["air_pollutants_t"] or {}).items()] or None)
    water_split = dig(water, "discharge_pollutants_t")
    water_rows = (_pollutant_rows(pollutants, water=True)
                  if water is None or "discharge_pollutants_t" not in water else
                  [{"code": c, "label": v.label(v.POLLUTANTS, c), "value": x}
                   for c, x in (water_split or {}).items()] or None)

    present = {
        "key-figures": True,
        "about": True,
        "ghg": True,
        "energy": True,
        "mitigation": True,
        "water": True,
        "waste": True,
        "pollutants": True,
        "biodiversity": any(p["protected_area_distance_km"] is not None
                            or p["protected_area_flag"] for p in projects),
        "compliance": True,
        "green-finance": True,
        "policy": bool(projects),
        "annex-projects": bool(projects),
    }
    # A section that exists but only says "not reported" does not cover a disclosure.
    has_data = {
        "key-figures": True,
        "about": True,
        "ghg": any(dig(ghg, k) is not None for k in ("scope1_tco2e", "scope2_location_tco2e")),
        "energy": dig(energy, "total_consumption_gj") is not None,
        "mitigation": mitigation is not None and any(
            x is not None for k, x in mitigation.items() if k != "actions"),
        "water": dig(water, "withdrawal_m3") is not None or dig(water, "discharge_m3") is not None,
        "waste": dig(waste, "total_t") is not None,
        "pollutants": air_rows is not None,
        "biodiversity": present["biodiversity"],
        "compliance": dig(compliance, "incidents") is not None,
        "green-finance": dig(green_finance, "total") is not None,
        "policy": present["policy"],
        "annex-projects": present["annex-projects"],
    }
    group = _group(r, text)
    narrative = _narrative(r, text)
    if group is not None and lang == "zh" and org.get("name_zh"):
        for entity in group["entities"]:
            if entity["entity_id"] == org.get("entity_id"):
                entity["name"] = {"text": org["name_zh"], "untranslated": False}

    sections = [
        _section("key-figures", N_("Key figures")),
        _section("comparison", N_("Comparison with earlier periods"),
                 r.get("comparison") is not None),
        _section("about", N_("About this report")),
        _section("statements", N_("Statements and management approach")),
        _section("group", N_("Group structure and submissions"), group is not None),
        _section("ghg", N_("Greenhouse gas emissions")),
        _section("energy", N_("Energy")),
        _section("mitigation", N_("Climate change mitigation")),
        _section("water", N_("Water")),
        _section("waste", N_("Waste")),
        _section("pollutants", N_("Air emissions")),
        _section("biodiversity", N_("Biodiversity and protected areas")),
        _section("compliance", N_("Environmental compliance")),
        _section("green-finance", N_("Green finance")),
        _section("policy", N_("Alignment with the Green Belt and Road Opinions")),
        _section("annex-projects", N_("Annex: projects")),
        _section("gri", N_("GRI content index")),
        _section("mee", N_("Mapping to China's MEE disclosure format")),
        _section("methodology", N_("Methodology and emission factors")),
        _section("appendix", N_("Calculation appendix")),
        _section("data-quality", N_("Data quality")),
    ]
    section_titles = {s["id"]: s["title"] for s in sections}

    s1, s2l, s2m = dig(ghg, "scope1_tco2e"), dig(ghg, "scope2_location_tco2e"), dig(
        ghg, "scope2_market_tco2e")
    languages = list(languages or org.get("report_languages") or [lang])
    if lang not in languages:
        languages.insert(0, lang)

    # The first rows in trail order: nsmallest is sorted(...)[:n] (stable too) without
    # holding a sorted copy of the whole trail.
    ordered_trail = heapq.nsmallest(
        HTML_TRAIL_ROW_LIMIT, calcs,
        key=lambda c: (str(c.get("sheet")), c.get("row") or 0, str(c.get("gas")),
                       str(c.get("method") or "")))
    findings = (validation or {}).get("findings") or []

    name = org.get("name") or org.get("entity_id") or ""
    name_zh = org.get("name_zh")
    display_name = name_zh if lang == "zh" and name_zh else name
    return {
        "lang": lang,
        "meta": {
            "entity_name": display_name,
            "entity_name_other": name if display_name != name else name_zh,
            "entity_id": org.get("entity_id"),
            "period_start": dig(r, "period", "start"),
            "period_end": dig(r, "period", "end"),
        },
        "org": {
            "consolidation_label": v.label(v.CONSOLIDATION, org.get("consolidation_approach")),
            "currency": currency,
            "base_year": org.get("base_year"),
            "revenue": org.get("revenue"),
            "employees": org.get("employees"),
        },
        "languages": [v.label(v.LANGUAGES, code) for code in languages],
        "front": _front_matter(org, languages),
        "gwp_set": r.get("gwp_set"),
        "tool_version": r.get("tool_version"),
        "schema_version": r.get("schema_version"),
        "factor_library_version": dig(r, "factor_library", "version"),
        "input": {"file_name": dig(r, "input", "file_name"), "sha256": dig(r, "input", "sha256")},
        "sections": [s for s in sections if s["present"]],
        "section_titles": section_titles,
        "present": present,
        "has_data": has_data,
        "group": group,
        "key_figures": [
            _figure(N_("Scope 1 emissions"), s1, "tCO2e"),
            _figure(N_("Scope 2 emissions, location-based"), s2l, "tCO2e"),
            _figure(N_("Scope 2 emissions, market-based"), s2m, "tCO2e"),
            _figure(N_("Biogenic CO2 (outside the scopes)"), dig(ghg, "biogenic_co2_t"), "t"),
            _figure(N_("Energy consumption"), dig(energy, "total_consumption_gj"), "GJ"),
            _figure(N_("Renewable electricity generated"),
                    dig(mitigation, "renewable_generation_mwh"), "MWh"),
            _figure(N_("Avoided emissions"), dig(mitigation, "avoided_tco2e"), "tCO2e"),
            _figure(N_("Water withdrawal"), dig(water, "withdrawal_m3"), "m³"),
            _figure(N_("Waste generated"), dig(waste, "total_t"), "t"),
            _figure(N_("Environmental incidents"), dig(compliance, "incidents"), "", 0),
        ],
        "ghg": _ghg_section(ghg, calcs, currency, lang),
        "by_country": [
            {"country": c.get("country"), "scope1_tco2e": c.get("scope1_tco2e"),
             "scope2_location_tco2e": c.get("scope2_location_tco2e"),
             "scope2_market_tco2e": c.get("scope2_market_tco2e"),
             "energy_gj": c.get("energy_gj")}
            # by the country's English name, in both languages: the ISO code put Sri Lanka
            # (LKA) between Laos and Pakistan
            for c in sorted(r.get("by_country") or [],
                            key=lambda c: (Formatters("en").country(c.get("country")),
                                           str(c.get("country"))))
        ],
        "projects": projects,
        "projects_in_boundary": [p for p in projects if p["in_boundary"]],
        "energy": _energy_section(energy, currency, lang),
        "mitigation": _mitigation_section(mitigation, lang, text),
        "targets": [
            {"metric_label": v.label(v.TARGET_METRICS, t.get("metric")),
             "base_year": t.get("base_year"), "base_value": t.get("base_value"),
             "target_year": t.get("target_year"), "target_value": t.get("target_value"),
             "current_value": t.get("current_value"), "progress_pct": t.get("progress_pct")}
            for t in r.get("targets") or []
        ],
        "water": _water_section(water),
        "waste": _waste_section(waste),
        "pollutants": air_rows,
        "other_pollutants": None if r.get("other_pollutants_t") is None else [
            {"code": code, "label": v.label(v.POLLUTANTS, code), "value": value}
            for code, value in r["other_pollutants_t"].items()] or None,
        "water_pollutants": water_rows,
        "ods": _ods(r, lang),
        "compliance": _compliance_section(compliance, currency, text),
        "green_finance": None if green_finance is None else {
            "total": green_finance.get("total"),
            "by_instrument": _rows(green_finance.get("by_instrument"), v.INSTRUMENTS),
        },
        "policy_flags": [
            {"project_id": f.get("project_id"), "code": f.get("code"),
             "label": v.label(v.POLICY_FLAGS, f.get("code")), "message": f.get("message")}
            for f in r.get("policy_flags") or []
        ],
        "gri": gri_index(r, lambda *path: dig(r, *path) is not None,
                         {t for t, items in narrative.items() if items},
                         {**has_data, "group": group is not None}),
        "gri_standards": [{"code": code, "title": title} for code, title in STANDARDS.items()],
        "gri_successors": SUCCESSORS,
        "narrative": narrative,
        "statements": _statements(r, org, projects, narrative),
        "mee": _mee_mapping(has_data),
        "factors": _factors_used(calcs, lang),
        "grid_factors": _grid_factors(r, lang),
        "overrides": [
            {"factor_type": v.label(v.OVERRIDE_TYPES, o.get("factor_type")),
             "key": v.label(v.FUELS, o.get("key")), "gas": o.get("gas"),
             "value": o.get("value"), "unit": o.get("unit"), "source": o.get("source"),
             "sheet": o.get("sheet"), "row": o.get("row")}
            for o in r.get("factor_overrides") or []
        ],
        "factor_sources": [
            {"citation": _citation(key, lang), "reference": _citation(text, lang)}
            for key, text in sorted((r.get("factor_sources") or {}).items())
        ],
        "appendix": _aggregate_calculations(calcs),
        "trail": {
            "rows": [
                {"sheet": c.get("sheet"), "row": c.get("row"), "project_id": c.get("project_id"),
                 "scope_label": v.label(v.SCOPES, c.get("scope")),
                 "source_label": v.label(v.SOURCES, c.get("category")),
                 "method_label": v.label(v.METHODS, c.get("method")) if c.get("method") else "",
                 "activity": c.get("activity"), "activity_unit": c.get("activity_unit"),
                 "factor": c.get("factor"), "factor_unit": c.get("factor_unit"),
                 "gas": c.get("gas"), "gwp": c.get("gwp"), "share": c.get("share"),
                 "tco2e": c.get("tco2e")}
                for c in ordered_trail[:HTML_TRAIL_ROW_LIMIT]
            ],
            "total": len(calcs),
            "limit": HTML_TRAIL_ROW_LIMIT,
            "truncated": len(calcs) > HTML_TRAIL_ROW_LIMIT,
        },
        "monthly": r.get("ghg_monthly") or dig(ghg, "monthly_tco2e"),
        "data_quality": {
            "errors": (validation or {}).get("errors", dig(r, "validation", "errors")),
            "warnings": (validation or {}).get("warnings", dig(r, "validation", "warnings")),
            "validated_file": (validation or {}).get("file"),
            "validated_sha256": (validation or {}).get("sha256"),
            "rows": [
                {"sheet": _sheet_title(sheet, lang), "read": c.get("read"),
                 "accepted": c.get("accepted"),
                 "rejected": c.get("rejected"), "blank": c.get("blank")}
                for sheet, c in sorted(((validation or {}).get("rows") or {}).items())
            ],
            "findings": [
                {"severity_label": v.label(v.SEVERITY_FINDING, f.get("severity")),
                 "code": f.get("code"), "sheet": f.get("sheet"), "cell": f.get("cell"),
                 "message": f.get("message")}
                for f in findings[:FINDINGS_LIST_LIMIT]
            ],
            "findings_total": len(findings),
            "findings_limit": FINDINGS_LIST_LIMIT,
            "estimated_share_pct": dig(r, "data_quality", "estimated_share_pct"),
            "untranslated": text.untranslated if lang == "zh" else None,
        },
    }
