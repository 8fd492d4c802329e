"""The results of a submission: typed, versioned models — the hand-off metrics → render.

:func:`envreport.metrics.compute` returns :class:`Results`; ``results.json`` is
:meth:`Results.to_json_dict`; :func:`load_results` reads a stored file of any known version
(through :func:`migrate`). ``schemas/results.schema.json`` and ``docs/results.md`` are
generated from these models (:mod:`envreport.results.export`).
"""

from __future__ import annotations

from typing import Any

from envreport.results.migrate import UnknownSchemaVersionError, migrate
from envreport.results.models import (
    PROJECT_FIGURES,
    SCHEMA_VERSION,
    TRAIL_COLUMNS,
    ActionEntry,
    AvoidedFactor,
    BaseYear,
    Change,
    Comparison,
    Compliance,
    CountryEntry,
    DataQuality,
    Energy,
    EnergyContent,
    EntityEntry,
    ExchangeRate,
    FactorLibraryVersion,
    FactorOverride,
    Ghg,
    GreenFinance,
    GroupResults,
    HistoryEntry,
    IncidentEntry,
    InputFile,
    InputState,
    Intensity,
    Mitigation,
    MoneyConverted,
    MonthlyEmissions,
    Organization,
    Period,
    PolicyFlag,
    PriorPeriod,
    ProjectEntry,
    ProjectFigures,
    RecalculationTrigger,
    Results,
    Scope1BySource,
    SheetQuality,
    TargetEntry,
    TrailEntry,
    Validation,
    Waste,
    Water,
)
from envreport.results.tolerance import BASE_VALUE_TOLERANCE_PCT, differs
from envreport.results.trail import TrailRecords, trail_from_records, trail_records


def load_results(data: dict[str, Any]) -> Results:
    """A parsed results.json (any known ``schema_version``) as :class:`Results`.

    Group results (with ``inputs`` and ``by_entity``) load as :class:`GroupResults`.
    """
    current = migrate(data)
    current["calculations"] = trail_from_records(current.get("calculations") or [])
    model = GroupResults if "by_entity" in current else Results
    return model.model_validate(current)


__all__ = [
    "BASE_VALUE_TOLERANCE_PCT",
    "PROJECT_FIGURES",
    "SCHEMA_VERSION",
    "TRAIL_COLUMNS",
    "ActionEntry",
    "AvoidedFactor",
    "BaseYear",
    "Change",
    "Comparison",
    "Compliance",
    "CountryEntry",
    "DataQuality",
    "Energy",
    "EnergyContent",
    "EntityEntry",
    "ExchangeRate",
    "FactorLibraryVersion",
    "FactorOverride",
    "Ghg",
    "GreenFinance",
    "GroupResults",
    "HistoryEntry",
    "IncidentEntry",
    "InputFile",
    "InputState",
    "Intensity",
    "Mitigation",
    "MoneyConverted",
    "MonthlyEmissions",
    "Organization",
    "Period",
    "PolicyFlag",
    "PriorPeriod",
    "ProjectEntry",
    "ProjectFigures",
    "RecalculationTrigger",
    "Results",
    "Scope1BySource",
    "SheetQuality",
    "TargetEntry",
    "TrailEntry",
    "TrailRecords",
    "UnknownSchemaVersionError",
    "Validation",
    "Waste",
    "Water",
    "differs",
    "load_results",
    "migrate",
    "trail_from_records",
    "trail_records",
]
