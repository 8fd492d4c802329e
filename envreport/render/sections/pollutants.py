"""Air emissions (GRI 305-7), water pollutants (GRI 303-4) and other named pollutants."""

from __future__ import annotations

import re
from typing import Any

from envreport.render import vocabulary as v
from envreport.results import Results


def _rows(pollutants: dict[str, float] | None) -> list[dict[str, Any]] | None:
    rows = [{"code": code, "label": v.label(v.POLLUTANTS, code), "value": value}
            for code, value in (pollutants or {}).items()]
    return rows or None


def _by_medium(pollutants: dict[str, float] | None, water: bool) -> list[dict[str, Any]] | None:
    """The air (``water=False``) or water pollutants of ``pollutants_t``, labelled."""
    if pollutants is None:
        return None
    return _rows({code: value for code, value in pollutants.items()
                  if (re.sub(r"[\s_\-]+", "", code).upper() in v.WATER_POLLUTANTS) == water})


def air_pollutants(results: Results) -> list[dict[str, Any]] | None:
    """Air emissions; results of version 1 carry only ``pollutants_t``, split here by the
    same list of water pollutants the metrics use."""
    if "air_pollutants_t" not in results.model_fields_set:
        return _by_medium(results.pollutants_t, water=False)
    return _rows(results.air_pollutants_t)


def water_pollutants(results: Results) -> list[dict[str, Any]] | None:
    """Pollutants discharged to water (COD, NH3-N), shown under water."""
    if "discharge_pollutants_t" not in results.water.model_fields_set:
        return _by_medium(results.pollutants_t, water=True)
    return _rows(results.water.discharge_pollutants_t)


def other_pollutants(results: Results) -> list[dict[str, Any]] | None:
    """Pollutants named outside the standard lists."""
    return _rows(results.other_pollutants_t)
