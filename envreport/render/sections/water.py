"""Water withdrawal, discharge and consumption with their splits (GRI 303-3/4/5)."""

from __future__ import annotations

from typing import Any

from envreport.render import vocabulary as v
from envreport.render.sections.common import labelled_rows, split_rows
from envreport.results import Results


def water_section(results: Results) -> dict[str, Any]:
    """The water figures and their labelled splits."""
    water = results.water
    return {
        "withdrawal": water.withdrawal_m3,
        "discharge": water.discharge_m3,
        "consumption": water.consumption_m3,
        "stressed": water.withdrawal_stressed_m3,
        "by_source": labelled_rows(water.withdrawal_by_source_m3, v.WATER),
        "by_destination": labelled_rows(water.discharge_by_destination_m3, v.WATER),
        "withdrawal_by_quality": split_rows(water.withdrawal_by_quality_m3, v.WATER_QUALITIES),
        "discharge_by_quality": split_rows(water.discharge_by_quality_m3, v.WATER_QUALITIES),
        "stressed_by_source": labelled_rows(water.withdrawal_stressed_by_source_m3, v.WATER)
        if water.withdrawal_stressed_by_source_m3 else None,
    }
