"""The factor library: emission factors, GWPs and grid factors with their sources.

The data ships as CSV under ``envreport/factors/data/`` (edition in ``data/VERSION``);
:func:`load_library` reads and validates it once. See ``docs/methodology.md``.
"""

from envreport.factors.library import (
    CONTRACT_FUELS,
    GAS_GROUPS,
    FactorLibrary,
    FactorLibraryError,
    GridChoice,
    Sourced,
    gas_key,
    load_library,
)
from envreport.factors.resolve import country_alpha3, override_target

__all__ = [
    "CONTRACT_FUELS",
    "GAS_GROUPS",
    "FactorLibrary",
    "FactorLibraryError",
    "GridChoice",
    "Sourced",
    "country_alpha3",
    "gas_key",
    "load_library",
    "override_target",
]
